"""SVG line charts of baseline vs canary, one panel per metric, for the step summary.

A hand-written SVG renderer (no matplotlib): text labels stay crisp and the file is a few KB.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH = 640
PANEL_HEIGHT = 150
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 70, 20, 28, 26
COLOURS = {"baseline": "#1f77b4", "canary": "#ff7f0e"}
VERDICT_COLOURS = {"pass": "#2ca02c", "high": "#d62728", "low": "#d62728", "nodata": "#7f7f7f"}


@dataclass(frozen=True)
class Panel:
    """One metric's two series (time in seconds, values with NaN gaps) and its verdict."""

    title: str
    verdict: str
    baseline: tuple[Sequence[float], Sequence[float]]
    canary: tuple[Sequence[float], Sequence[float]]


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def _polyline(points: list[tuple[float, float]], colour: str) -> list[str]:
    """A line through consecutive finite points (NaN breaks the line) plus dots."""
    parts: list[str] = []
    run: list[str] = []
    for x, y in [*points, (math.nan, math.nan)]:
        if math.isfinite(y):
            run.append(f"{x:.1f},{y:.1f}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{colour}"/>')
            continue
        if len(run) > 1:
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="1.6" '
                f'points="{" ".join(run)}"/>'
            )
        run = []
    return parts


def _panel(panel: Panel, top: float) -> list[str]:
    series = [panel.baseline, panel.canary]
    times = [t for ts, _ in series for t in ts]
    values = [v for _, vs in series for v in vs if math.isfinite(v)]
    left, right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    plot_top, plot_bottom = top + MARGIN_TOP, top + PANEL_HEIGHT - MARGIN_BOTTOM
    colour = VERDICT_COLOURS.get(panel.verdict, "#000")
    out = [
        f'<text x="{left}" y="{top + 18:.0f}" font-weight="bold">{escape(panel.title)}</text>',
        f'<text x="{right}" y="{top + 18:.0f}" text-anchor="end" fill="{colour}" '
        f'font-weight="bold">{escape(panel.verdict.upper())}</text>',
        f'<rect x="{left}" y="{plot_top:.0f}" width="{right - left}" '
        f'height="{plot_bottom - plot_top:.0f}" fill="#fafafa" stroke="#ccc"/>',
    ]
    if not times or not values:
        out.append(
            f'<text x="{(left + right) / 2:.0f}" y="{(plot_top + plot_bottom) / 2:.0f}" '
            'text-anchor="middle" fill="#7f7f7f">no data</text>'
        )
        return out
    t0, t1 = min(times), max(times)
    low, high = min(values), max(values)
    if high == low:
        low, high = low - (abs(low) or 1) * 0.1, high + (abs(high) or 1) * 0.1
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad

    def x_of(t: float) -> float:
        return left + (t - t0) / ((t1 - t0) or 1) * (right - left)

    def y_of(v: float) -> float:
        return plot_bottom - (v - low) / (high - low) * (plot_bottom - plot_top)

    for value in (low + pad, high - pad):
        out.append(
            f'<text x="{left - 6}" y="{y_of(value) + 4:.1f}" text-anchor="end" '
            f'font-size="11">{_fmt(value)}</text>'
        )
    minutes = (t1 - t0) / 60
    out.append(
        f'<text x="{left}" y="{plot_bottom + 16:.0f}" font-size="11">-{minutes:.0f} min</text>'
    )
    out.append(
        f'<text x="{right}" y="{plot_bottom + 16:.0f}" text-anchor="end" font-size="11">end</text>'
    )
    for (ts, vs), name in zip(series, ("baseline", "canary"), strict=True):
        out += _polyline([(x_of(t), y_of(v)) for t, v in zip(ts, vs, strict=True)], COLOURS[name])
    return out


def render_svg(panels: Sequence[Panel], title: str) -> str:
    """The whole chart: a legend line and one panel per metric."""
    height = 40 + PANEL_HEIGHT * len(panels)
    body = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="13">',
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
        f'<text x="{MARGIN_LEFT}" y="22" font-size="14">{escape(title)}</text>',
    ]
    legend_x = WIDTH - MARGIN_RIGHT - 170
    for index, (name, colour) in enumerate(COLOURS.items()):
        x = legend_x + index * 90
        body.append(f'<rect x="{x}" y="12" width="14" height="4" fill="{colour}"/>')
        body.append(f'<text x="{x + 18}" y="19" font-size="12">{name}</text>')
    for index, panel in enumerate(panels):
        body += _panel(panel, 30 + index * PANEL_HEIGHT)
    body.append("</svg>")
    return "\n".join(body) + "\n"

"""A small PNG bar chart of the DORA metrics against their targets, drawn with zlib + struct.

PNG rather than SVG: the chart is uploaded as an artifact and linked from the step summary,
pasted into compliance reports and viewed in tools that do not render (or sanitise away) SVG;
a bitmap needs no fonts on the viewer's side. matplotlib is not a dependency, so the image is
painted here: bars, a target line, and labels in a built-in 5x7 pixel font.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

Color = tuple[int, int, int]
WHITE: Color = (255, 255, 255)
INK: Color = (40, 40, 40)
GRID: Color = (215, 215, 215)
GREEN: Color = (46, 160, 67)
RED: Color = (207, 34, 46)
GREY: Color = (160, 160, 160)

# 5x7 glyphs, one 5-bit row per entry (HD44780-style).
_FONT: dict[str, tuple[int, ...]] = {
    "0": (0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E),
    "1": (0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E),
    "2": (0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F),
    "3": (0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E),
    "4": (0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02),
    "5": (0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E),
    "6": (0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E),
    "7": (0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08),
    "8": (0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E),
    "9": (0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C),
    "A": (0x0E, 0x11, 0x11, 0x11, 0x1F, 0x11, 0x11),
    "B": (0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E),
    "C": (0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E),
    "D": (0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C),
    "E": (0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F),
    "F": (0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10),
    "G": (0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F),
    "H": (0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11),
    "I": (0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E),
    "J": (0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C),
    "K": (0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11),
    "L": (0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F),
    "M": (0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11),
    "N": (0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11),
    "O": (0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E),
    "P": (0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10),
    "Q": (0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D),
    "R": (0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11),
    "S": (0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E),
    "T": (0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04),
    "U": (0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E),
    "V": (0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04),
    "W": (0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A),
    "X": (0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11),
    "Y": (0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04),
    "Z": (0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F),
    " ": (0, 0, 0, 0, 0, 0, 0),
    "%": (0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03),
    ".": (0, 0, 0, 0, 0, 0x0C, 0x0C),
    "/": (0, 0x01, 0x02, 0x04, 0x08, 0x10, 0),
    "<": (0x02, 0x04, 0x08, 0x10, 0x08, 0x04, 0x02),
    ">": (0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08),
    "=": (0, 0, 0x1F, 0, 0x1F, 0, 0),
    ":": (0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0),
    "-": (0, 0, 0, 0x1F, 0, 0, 0),
    "+": (0, 0x04, 0x04, 0x1F, 0x04, 0x04, 0),
    "(": (0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02),
    ")": (0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08),
    "?": (0x0E, 0x11, 0x01, 0x02, 0x04, 0, 0x04),
}


class Canvas:
    """An RGB pixel buffer that encodes to PNG."""

    def __init__(self, width: int, height: int, background: Color = WHITE) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(background) * (width * height))

    def rect(self, x: int, y: int, w: int, h: int, color: Color) -> None:
        """Fill a rectangle (clipped to the canvas)."""
        x0, y0 = max(x, 0), max(y, 0)
        x1, y1 = min(x + w, self.width), min(y + h, self.height)
        if x0 >= x1:
            return
        row = bytes(color) * (x1 - x0)
        for yy in range(y0, y1):
            start = (yy * self.width + x0) * 3
            self.pixels[start : start + len(row)] = row

    def text(self, x: int, y: int, text: str, color: Color = INK, scale: int = 2) -> int:
        """Draw text with the 5x7 font; returns the width drawn."""
        cursor = x
        for char in text.upper():
            glyph = _FONT.get(char, _FONT["?"])
            for row, bits in enumerate(glyph):
                for col in range(5):
                    if bits & (0x10 >> col):
                        self.rect(cursor + col * scale, y + row * scale, scale, scale, color)
            cursor += 6 * scale
        return cursor - x

    def png(self) -> bytes:
        """The image as PNG bytes (8-bit RGB, no filtering, zlib level 9)."""
        stride = self.width * 3
        raw = b"".join(
            b"\x00" + bytes(self.pixels[y * stride : (y + 1) * stride]) for y in range(self.height)
        )
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(raw, 9))
            + _chunk(b"IEND", b"")
        )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def text_width(text: str, scale: int = 2) -> int:
    """Width in pixels of `text` at `scale`."""
    return len(text) * 6 * scale


@dataclass(frozen=True)
class Bar:
    """One metric: its value relative to the target (1.0 = exactly on target)."""

    label: str
    value_text: str
    target_text: str
    ratio: float | None
    """value / target scaled so that the target sits at 1.0; None = no data."""
    met: bool | None


def scorecard(title: str, bars: Sequence[Bar], width: int = 760, height: int = 360) -> bytes:
    """A bar per metric, heights relative to the target line (drawn at half the plot height)."""
    canvas = Canvas(width, height)
    canvas.text(16, 12, title, INK, 2)
    top, bottom = 60, height - 70
    plot_h = bottom - top
    target_y = bottom - plot_h // 2
    canvas.rect(16, bottom, width - 32, 2, INK)
    for x in range(16, width - 16, 12):
        canvas.rect(x, target_y, 6, 2, GRID if x % 24 else GREY)
    canvas.text(width - 16 - text_width("TARGET", 1), target_y - 10, "TARGET", GREY, 1)
    slot = (width - 32) // max(len(bars), 1)
    for i, bar in enumerate(bars):
        x = 16 + i * slot
        bar_w = slot // 2
        bx = x + (slot - bar_w) // 2
        if bar.ratio is None:
            color, h = GREY, 4
        else:
            color = GREEN if bar.met else RED
            h = max(int(min(bar.ratio, 2.0) / 2.0 * plot_h), 2)
        canvas.rect(bx, bottom - h, bar_w, h, color)
        value_x = x + (slot - text_width(bar.value_text)) // 2
        canvas.text(value_x, max(bottom - h - 20, top - 16), bar.value_text, INK, 2)
        label_x = x + (slot - text_width(bar.label, 1)) // 2
        canvas.text(label_x, bottom + 12, bar.label, INK, 1)
        target_x = x + (slot - text_width(bar.target_text, 1)) // 2
        canvas.text(target_x, bottom + 26, bar.target_text, GREY, 1)
    return canvas.png()

"""The eval gate's Markdown section (step summary, PR comment): regressions first, then suites,
flaky cases, what was reused, cost and latency."""

from __future__ import annotations

from genai_gate.errors import ConfigError
from genai_gate.gates.eval.details import (
    BaselineSource,
    ChangedOnly,
    EvalDetails,
    EvalSummary,
    Policy,
    RunEstimate,
    SuiteVerdict,
)
from genai_gate.gates.eval.settings import Thresholds
from genai_gate.report.text import md_inline
from genai_gate.results import CaseResult, GateResult, Status

MAX_ROWS = 50
"""Rows per table before the rest is summarised."""


def markdown_section(result: GateResult) -> str:
    """Markdown for the eval gate, leading with what a reviewer must act on."""
    summary, details = _typed(result)
    blocks = [
        _regressions(result.cases),
        _suites(details.suites or {}),
        _rules(details.policy),
        _failures(details.failures or []),
        _flaky(result.cases),
        _changes(result, summary, details),
        _reuse(result, details.changed_only),
        _cost_latency(result, summary, details.estimate),
    ]
    return "\n\n".join(b for b in blocks if b)


def _typed(result: GateResult) -> tuple[EvalSummary, EvalDetails]:
    """The typed summary and details; a run that did not finish (status error) may carry only
    progress figures, and then has neither."""
    try:
        return EvalSummary.of(result), EvalDetails.of(result)
    except ConfigError:
        if result.status is not Status.ERROR:
            raise
        return EvalSummary(), EvalDetails()


def _regressions(cases: list[CaseResult]) -> str:
    count = sum(1 for c in cases if c.details.get("baseline", {}).get("change") == "regressed")
    if not count:
        return ""
    return (
        f"### ❌ Regressions ({count})\n\nCases that passed on the baseline and fail now are "
        "listed first under **Failing cases**, marked *regressed*."
    )


def _suites(suites: dict[str, SuiteVerdict]) -> str:
    if not suites:
        return ""
    compare = any(s.changes is not None for s in suites.values())
    header = "| suite | cases | ✅ | ❌ | 🎲 | ⚠️ | mean score | CI | pass rate |"
    sep = "|---|---|---|---|---|---|---|---|---|"
    if compare:
        header += " vs baseline |"
        sep += "---|"
    rows = []
    for name, s in suites.items():
        ci = s.ci
        row = (
            f"| {md_inline(name, 60)} | {s.cases} | {s.passed} | {s.failed} | "
            f"{s.flaky} | {s.errors} | {s.score:.3f} | "
            f"[{ci.low:.3f}, {ci.high:.3f}] ({ci.method}, {ci.of}) | "
            f"{s.pass_rate:.1%} |"
        )
        if compare:
            row += f" {_versus(s)} |"
        rows.append(row)
    return "\n".join(["### Suites", "", header, sep, *rows])


def _rules(policy: Policy | None) -> str:
    """The gate rules of each suite, defaults marked: a default must say what it does."""
    if policy is None or not policy.suites:
        return ""
    lines = []
    for name, rules in policy.suites.items():
        defaulted = set(policy.defaulted.get(name, []))
        lines.append(
            f"- {md_inline(name, 60)}: " + "; ".join(_rule_texts(rules, defaulted, policy))
        )
    return "**Gate rules** (*default* = not set in genai-gate.yaml):\n\n" + "\n".join(lines)


def _rule_texts(rules: Thresholds, defaulted: set[str], policy: Policy) -> list[str]:
    def mark(key: str, text: str) -> str:
        return f"{text} (*default*)" if key in defaulted else text

    rate = rules.min_pass_rate
    every = ": every case must pass" if rate == 1 else ""
    texts = [mark("min_pass_rate", f"min_pass_rate {rate:g}{every}")]
    if rules.min_score is not None:
        texts.append(mark("min_score", f"min_score {rules.min_score:g}"))
    if policy.repeat > 1:
        texts.append(
            mark(
                "case_min_pass_rate",
                f"case_min_pass_rate {rules.case_min_pass_rate:g} of {policy.repeat} samples",
            )
        )
    if policy.baseline:
        on = "on" if rules.no_significant_regression else "off"
        texts.append(mark("no_significant_regression", f"no significant regression: {on}"))
    return texts


def _versus(suite: SuiteVerdict) -> str:
    test = suite.paired_test
    if test is None:
        return "no paired cases"
    flag = " **significant regression**" if test.significant_regression else ""
    return f"Δ {test.mean_delta:+.3f}, p={test.p_value:.3g} ({test.method}){flag}"


def _failures(failures: list[str]) -> str:
    if not failures:
        return ""
    return "**Gate rules broken:**\n\n" + "\n".join(f"- {md_inline(f, 300)}" for f in failures)


def _flaky(cases: list[CaseResult]) -> str:
    flaky = [c for c in cases if c.status is Status.FLAKY]
    if not flaky:
        return ""
    rows = [
        f"| `{md_inline(c.id, 100)}` | {c.details.get('passed_samples')}/{c.details.get('samples')}"
        f" ({c.details.get('pass_rate', 0):.0%}) | {_yes(c.details.get('counts_as_pass'))}"
        f" | {md_inline(c.reason, 200)} |"
        for c in flaky[:MAX_ROWS]
    ]
    head = [
        f"### 🎲 Flaky cases ({len(flaky)})",
        "",
        "| case | passed samples | counts as pass | why |",
    ]
    return "\n".join([*head, "|---|---|---|---|", *rows])


def _changes(result: GateResult, summary: EvalSummary, details: EvalDetails) -> str:
    if summary.regressed is None:
        return ""
    counts = {"regressed": summary.regressed, "fixed": summary.fixed}
    counts.update(new=summary.new, removed=summary.removed)
    parts = [f"{n} {kind}" for kind, n in counts.items()]
    unchanged = sum(s.changes.unchanged for s in (details.suites or {}).values() if s.changes)
    lines = ["**Versus baseline:** " + ", ".join(parts) + f", {unchanged} unchanged."]
    source = baseline_source(details.baseline)
    if source:
        lines.append(f"Baseline: {source}.")
    fixed = [c for c in result.cases if c.details.get("baseline", {}).get("change") == "fixed"]
    if fixed:
        lines.append("Fixed: " + ", ".join(f"`{md_inline(c.id, 80)}`" for c in fixed[:MAX_ROWS]))
    removed = details.removed or []
    if removed:
        lines.append(
            "Removed: " + ", ".join(f"`{md_inline(r.id, 80)}`" for r in removed[:MAX_ROWS])
        )
    return "\n\n".join(lines)


def baseline_source(info: BaselineSource | None) -> str:
    """`base ref main at 1a2b3c4d5e6f (104 cases, 104 of 104 answers from cache)`, or the
    baseline file; "" when unknown."""
    if info is None:
        return ""
    if info.source == "file":
        return f"results file `{md_inline(str(info.path or ''), 200)}`"
    return (
        f"base ref `{md_inline(str(info.ref or ''), 60)}` at {str(info.commit)[:12]}"
        f" ({info.cases} cases, {info.cached_answers} of {info.answers}"
        " answers from cache)"
    )


def _reuse(result: GateResult, info: ChangedOnly | None) -> str:
    if info is None:
        return ""
    reused = sum(1 for c in result.cases if c.details.get("reused") == "baseline")
    ran = len(result.cases) - reused
    changed = ", ".join(f"`{md_inline(p, 60)}`" for p in info.changed_prompts) or "none"
    return (
        f"**Changed-only run** against `{md_inline(info.base_ref, 60)}`: "
        f"changed prompts {changed}; {ran} cases evaluated, "
        f"{reused} unchanged cases taken from the baseline."
    )


def _cost_latency(result: GateResult, summary: EvalSummary, estimate: RunEstimate | None) -> str:
    usage = result.usage
    bits = []
    if usage is not None:
        bits.append(
            f"{usage.requests} requests ({usage.cached_requests} from cache), "
            f"{usage.prompt_tokens:,} prompt + {usage.completion_tokens:,} completion tokens"
        )
        if usage.cost_usd is not None:
            bits.append(f"${usage.cost_usd:.4f}")
    if estimate is not None and estimate.cost_usd is not None:
        bits.append(f"estimated before the run: ${estimate.cost_usd:.4f}")
    p50, p95 = summary.latency_p50_ms, summary.latency_p95_ms
    if p50 is not None and p95 is not None:
        bits.append(f"latency p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    return "**Cost and latency:** " + "; ".join(bits) + "." if bits else ""


def _yes(value: object) -> str:
    return "yes" if value else "no"

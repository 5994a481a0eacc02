"""The compliance policy: each required piece of evidence, met or missing, with the evidence."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from genai_gate.gates.audit.record import Approval, Manifest
from genai_gate.gates.audit.settings import PolicySettings
from genai_gate.results import GateResult, Status

if TYPE_CHECKING:
    from genai_gate.gates.audit.github import PullEvidence


@dataclass(frozen=True)
class Item:
    """One required piece of evidence."""

    id: str
    met: bool
    evidence: str


@dataclass
class Evidence:
    """What is known about the deploy being checked."""

    sha: str
    environment: str
    pull: PullEvidence | None
    results: Mapping[str, GateResult]
    manifest: Manifest
    previous: Manifest | None
    """Manifest of the last successful deploy to this environment (from the log)."""
    approvals: list[Approval] | None
    """Environment approvals of the run; None when they were not read."""


def pr_approved(policy: PolicySettings, pull: PullEvidence | None) -> Item:
    """Enough approving reviews (latest per reviewer, not the author), none requesting changes."""
    if pull is None:
        return Item("pr-approved", False, "no pull request found (pass --pr)")
    latest: dict[str, tuple[str, str | None]] = {}
    for review in pull.reviews:
        if review.state in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
            latest[review.user] = (review.state, review.commit_id)
    approvers = sorted(
        user
        for user, (state, commit) in latest.items()
        if state == "APPROVED"
        and user != pull.author
        and (not policy.approval_on_head or commit == pull.head_sha)
    )
    blocking = sorted(u for u, (state, _) in latest.items() if state == "CHANGES_REQUESTED")
    where = f"PR #{pull.number}"
    if blocking:
        return Item("pr-approved", False, f"{where}: changes requested by {', '.join(blocking)}")
    if len(approvers) < policy.min_approvals:
        head = " on the head commit" if policy.approval_on_head else ""
        return Item(
            "pr-approved",
            False,
            f"{where}: {len(approvers)} approving review(s){head} by someone other than the "
            f"author, {policy.min_approvals} required",
        )
    return Item("pr-approved", True, f"{where} approved by {', '.join(approvers)}")


def gate_item(item_id: str, gate: str, evidence: Evidence) -> Item:
    """A gate's results file that passed, complete, on the exact sha being deployed."""
    result = evidence.results.get(gate)
    if result is None:
        return Item(item_id, False, f"no {gate} results file in the results dir")
    if result.git_sha != evidence.sha:
        where = result.git_sha or "an unknown commit"
        return Item(item_id, False, f"{gate} ran on {where}, not on {evidence.sha}")
    if result.status is not Status.PASS or result.incomplete:
        state = "incomplete" if result.status is Status.PASS else result.status.value
        return Item(item_id, False, f"{gate} is {state} on {evidence.sha[:12]}: {result.title}")
    return Item(item_id, True, f"{gate} passed on {evidence.sha[:12]}: {result.title}")


def gates_passed(policy: PolicySettings, evidence: Evidence) -> list[Item]:
    """Each required gate has a results file that passed, complete, on the exact sha."""
    return [gate_item(f"gate:{gate}", gate, evidence) for gate in policy.required_gates]


def security_scan(policy: PolicySettings, evidence: Evidence) -> Item | None:
    """The security scan (bandit, semgrep, pip-audit) passed on the exact sha."""
    if not policy.require_security_scan:
        return None
    return gate_item("security-scan", "security-scan", evidence)


def _cost_delta_pct(result: GateResult | None) -> float | None:
    """The projected change of a cost-estimate result, read through its typed summary."""
    from genai_gate.errors import ConfigError
    from genai_gate.gates.cost.summary import CostSummary

    if result is None:
        return None
    try:
        return CostSummary.of(result).delta_pct
    except ConfigError:  # an error result, or one written without the figures
        return None


def cost_approved(policy: PolicySettings, evidence: Evidence) -> Item | None:
    """A projected cost increase over the limit carries the approval label.

    Skipped when the cost gate is neither required nor run.
    """
    result = evidence.results.get("cost-estimate")
    if result is None and "cost-estimate" not in policy.required_gates:
        return None
    delta = _cost_delta_pct(result)
    if delta is None:
        return Item("cost-approved", False, "no cost-estimate results with delta_pct")
    if delta <= policy.cost_limit_pct:
        return Item(
            "cost-approved", True, f"projected cost {delta:+.1f}% within +{policy.cost_limit_pct}%"
        )
    labels = evidence.pull.labels if evidence.pull else []
    if policy.cost_approval_label in labels:
        return Item(
            "cost-approved",
            True,
            f"projected cost {delta:+.1f}% over +{policy.cost_limit_pct}%, approved by label "
            f"{policy.cost_approval_label!r}",
        )
    return Item(
        "cost-approved",
        False,
        f"projected cost {delta:+.1f}% over +{policy.cost_limit_pct}% without the label "
        f"{policy.cost_approval_label!r}",
    )


def ticket(policy: PolicySettings, pull: PullEvidence | None) -> Item | None:
    """A change ticket id in the PR title or body (None when the policy has no pattern)."""
    if policy.ticket_pattern is None:
        return None
    if pull is None:
        return Item("change-ticket", False, "no pull request found (pass --pr)")
    match = re.search(policy.ticket_pattern, f"{pull.title}\n{pull.body}")
    if match is None:
        return Item(
            "change-ticket",
            False,
            f"PR #{pull.number}: no change ticket matching {policy.ticket_pattern!r} "
            "in the title or body",
        )
    return Item("change-ticket", True, f"PR #{pull.number}: ticket {match.group(0)}")


def privacy_review(policy: PolicySettings, evidence: Evidence) -> Item:
    """A new knowledge-base snapshot or data source carries the privacy review label."""
    new, old = evidence.manifest, evidence.previous or Manifest(code_sha="")
    news = []
    if new.kb_snapshot_id and new.kb_snapshot_id != old.kb_snapshot_id:
        news.append(f"knowledge-base snapshot {new.kb_snapshot_id} (was {old.kb_snapshot_id})")
    news += [
        f"data source {source}"
        for source, digest in sorted(new.data_sources.items())
        if old.data_sources.get(source) != digest
    ]
    if not news:
        return Item("privacy-review", True, "no new data source or knowledge-base snapshot")
    labels = evidence.pull.labels if evidence.pull else []
    what = "; ".join(news)
    if policy.privacy_review_label in labels:
        return Item(
            "privacy-review", True, f"{what}: reviewed (label {policy.privacy_review_label!r})"
        )
    return Item("privacy-review", False, f"{what}: needs the label {policy.privacy_review_label!r}")


def environment_approved(policy: PolicySettings, evidence: Evidence) -> Item | None:
    """An approval through environment protection for the environments that require one."""
    if evidence.environment not in policy.approval_environments:
        return None
    if evidence.approvals is None:
        return Item(
            "environment-approval",
            False,
            "run approvals not read (needs $GITHUB_RUN_ID and $GITHUB_TOKEN in Actions)",
        )
    approved = {
        a.user
        for a in evidence.approvals
        if a.state == "approved" and evidence.environment in a.environments
    }
    author = evidence.pull.author if evidence.pull else None
    who = sorted(approved - {author})
    if not who and author in approved:
        return Item(
            "environment-approval",
            False,
            f"{evidence.environment} approved only by {author}, the author of PR "
            f"#{evidence.pull.number if evidence.pull else ''}: self-approval does not count",
        )
    if not who:
        return Item(
            "environment-approval",
            False,
            f"no approval of environment {evidence.environment!r} in this run",
        )
    return Item(
        "environment-approval", True, f"{evidence.environment} approved by {', '.join(who)}"
    )


def evaluate(policy: PolicySettings, evidence: Evidence) -> list[Item]:
    """Every item of the policy, in a stable order."""
    items: list[Item | None] = []
    if policy.require_pr_approval:
        items.append(pr_approved(policy, evidence.pull))
    items += gates_passed(policy, evidence)
    items.append(security_scan(policy, evidence))
    items.append(cost_approved(policy, evidence))
    items.append(ticket(policy, evidence.pull))
    items.append(privacy_review(policy, evidence))
    items.append(environment_approved(policy, evidence))
    return [item for item in items if item is not None]

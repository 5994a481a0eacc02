"""The plain record checker (`record_check`) against two oracles: the `jsonschema` package on the
JSON Schema pydantic generates from `AuditRecord` (same accept / reject on valid drafts and on
every mutation of them), and pydantic itself (the same record, byte for byte, when both accept)."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from genai_gate.canonical import self_hashed
from genai_gate.errors import ConfigError, ExitCode
from genai_gate.gates.audit.checkpoint import GENESIS
from genai_gate.gates.audit.draft import check_draft
from genai_gate.gates.audit.record import AuditRecord, record_schema_text
from genai_gate.gates.audit.record_check import SCHEMA_FILE, complete, problems_of

SHA = "3" * 40
MINIMAL: dict[str, Any] = {
    "seq": 0,
    "prev": GENESIS,
    "hash": GENESIS,
    "timestamp": "2026-11-02T10:00:00.000Z",
    "event": "deploy",
    "deployment_id": "run-1",
    "environment": "production",
    "version": "1.2.0",
    "git_sha": SHA,
    "deployer": "alice",
    "manifest": {"code_sha": SHA},
    "success": True,
}
FULL: dict[str, Any] = {
    **MINIMAL,
    "event": "canary-step",
    "commit_time": "2026-11-01T09:00:00+00:00",
    "approvers": [
        {"user": "carol", "environments": ["production"], "comment": "ok"},
        {"user": "dave", "state": "rejected", "source": "pull-request", "at": "2026-11-01"},
    ],
    "approval_ticket": "CHG-7",
    "changes": {
        "base_ref": "v1.1.0",
        "prompts": [{"prompt_id": "support", "old_version": "1.0", "new_version": "1.1"}],
        "models": [{"name": "gpt-4o-mini", "new_version": "2025-01-31"}],
        "tools_added": ["transfer_funds"],
        "tools_removed": [],
        "dependencies": [{"file": "requirements.txt", "name": "openai", "old": "==1.40"}],
    },
    "manifest": {
        "code_sha": SHA,
        "image_digest": "sha256:" + "a" * 64,
        "prompts": [{"prompt_id": "support", "version": "1.1", "content_hash": "sha256:x"}],
        "models": [{"name": "gpt-4o-mini", "version": "2025-01-31"}],
        "kb_snapshot_id": "kb-1",
        "data_sources": {"data/customers.csv": "sha256:" + "b" * 64},
        "config_digest": "sha256:" + "c" * 64,
    },
    "gates": [{"gate": "eval-gate", "status": "pass", "digest": "sha256:d", "incomplete": True}],
    "rollback_plan": {
        "previous_version": "1.1.0",
        "previous_manifest": {"code_sha": "4" * 40, "models": []},
        "command": "kubectl rollout undo",
    },
    "canary": {"traffic_percent": 25, "outcome": "hold", "score": 0.93},
    "traffic_percent": 25,
    "planned": False,
    "incident_id": "INC-3",
    "incident_opened_at": "2026-11-01T08:00:00Z",
    "run": {"repository": "acme/agent", "run_id": "77", "run_attempt": 2},
    "genai_gate_commit": "e" * 40,
    "notes": "ünïcode ok",
}
WRONG_VALUES: list[Any] = [None, "x", "", -1, 0, 1, 1.5, 101, True, [], ["x"], {}, {"k": "v"}]


def oracle() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(AuditRecord.model_json_schema())


def pydantic_record(draft: dict[str, Any]) -> dict[str, Any]:
    return AuditRecord.model_validate(draft).model_dump(mode="json", exclude_none=True)


def test_the_schema_file_is_the_model_s_schema() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == record_schema_text(), (
        "record.schema.json is stale: write record_schema_text() to it"
    )


@pytest.mark.parametrize("draft", [MINIMAL, FULL], ids=["minimal", "full"])
def test_valid_drafts_give_the_record_pydantic_gives(draft: dict[str, Any]) -> None:
    assert oracle().is_valid(draft) and problems_of(draft) == []
    plain, typed = complete(copy.deepcopy(draft)), pydantic_record(draft)
    assert json.dumps(plain) == json.dumps(typed)  # same members, order and number types
    assert self_hashed(plain, "hash") == self_hashed(typed, "hash")


def paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every member and list item of `value`, parents first."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            yield from paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*path, index)
            yield from paths(item, (*path, index))


def mutations(draft: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each value replaced by each wrong value, each member removed, an unknown member added
    to each object."""

    def at(path: tuple[Any, ...]) -> tuple[dict[str, Any], Any]:
        """A fresh copy of the draft and the container of `path` in it."""
        changed = copy.deepcopy(draft)
        holder: Any = changed
        for step in path[:-1]:
            holder = holder[step]
        return changed, holder

    for path in paths(draft):
        for wrong in WRONG_VALUES:
            changed, holder = at(path)
            holder[path[-1]] = copy.deepcopy(wrong)
            yield f"{path}={wrong!r}", changed
        changed, holder = at(path)
        if isinstance(holder[path[-1]], dict):
            holder[path[-1]]["surprise"] = 1
            yield f"{path}.surprise", changed
        changed, holder = at(path)
        if isinstance(holder, dict):
            del holder[path[-1]]
            yield f"{path} removed", changed
    yield "surprise", {**draft, "surprise": 1}


@pytest.mark.parametrize("draft", [MINIMAL, FULL], ids=["minimal", "full"])
def test_every_mutation_is_judged_as_jsonschema_judges_it(draft: dict[str, Any]) -> None:
    validator = oracle()
    judged = {"accepted": 0, "rejected": 0}
    for label, changed in mutations(draft):
        expected = validator.is_valid(changed)
        found = problems_of(changed)
        assert (found == []) == expected, (label, found, list(validator.iter_errors(changed)))
        judged["accepted" if expected else "rejected"] += 1
        if expected:  # both accept: the same record as pydantic's
            assert json.dumps(complete(changed)) == json.dumps(pydantic_record(changed)), label
    assert judged["accepted"] >= 15 and judged["rejected"] >= 150, judged


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"seq": -1}, "seq", "must be >= 0, not -1"),
        ({"prev": "x"}, "prev", 'must match ^[0-9a-f]{64}$, not "x"'),
        ({"event": "boom"}, "event", 'must be one of "deploy", "canary-step", "rollback"'),
        ({"success": "yes"}, "success", 'must be true or false, not "yes"'),
        ({"traffic_percent": 101}, "traffic_percent", "must be <= 100, not 101"),
        ({"manifest": {}}, "manifest.code_sha", "field required"),
        ({"approvers": [{"user": 7}]}, "approvers.0.user", "must be a string, not 7"),
        ({"canary": {"traffic_percent": 5, "outcome": "go"}}, "canary.outcome", "must be one of"),
        ({"run": {"run_attempt": "2"}}, "run.run_attempt", 'must be an integer, not "2"'),
        ({"notes": ["a"]}, "notes", 'must be a string, not ["a"]'),
        ({"extra": 1}, "extra", "unknown field"),
        ({"schema_version": 2}, "schema_version", "must be 1"),
    ],
)
def test_a_bad_draft_is_a_usage_error_naming_the_field(
    change: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        complete(MINIMAL | change, "record")
    assert caught.value.exit_code == ExitCode.USAGE
    assert str(caught.value).startswith(f"record: {field}: {message}"), str(caught.value)


def test_the_draft_check_of_record_names_the_field() -> None:
    draft = {k: v for k, v in MINIMAL.items() if k not in ("seq", "prev", "hash")}
    check_draft(draft)
    with pytest.raises(ConfigError, match=r"^record: manifest\.code_sha: field required$"):
        check_draft(draft | {"manifest": {}})


def test_every_problem_is_listed() -> None:
    draft = {k: v for k, v in MINIMAL.items() if k != "deployer"} | {"seq": "0", "x": 1}
    assert [field for field, _ in problems_of(draft)] == ["seq", "deployer", "x"]


def test_record_imports_no_pydantic_model_of_the_record(tmp_path: Path) -> None:
    """`record` in a fresh process: the record lands and the record's pydantic models are
    never imported (building them was most of its time)."""
    probe = (
        "import sys\n"
        "from genai_gate.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print(code, 'genai_gate.gates.audit.record' in sys.modules)\n"
    )
    args = ["audit-log", "record", "--event", "deploy", "--environment", "dev", "--version", "1"]
    args += ["--sha", SHA, "--approvals", "none", "--log-dir", str(tmp_path / "audit")]
    args += ["--results-dir", str(tmp_path / "results"), "--format", "json", "--no-progress"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GENAI_GATE_"))}
    env["GENAI_GATE_AUDIT_KEY"] = "1b32c28cb38c05480eccc1bd60ff97029b57a05c96718b96dad7e9d84894f549"
    done = subprocess.run(
        [sys.executable, "-c", probe, *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.splitlines()[-1] == "0 False", done.stderr
    line = json.loads((tmp_path / "audit" / "audit.jsonl").read_text().splitlines()[0])
    assert line["seq"] == 0 and line["manifest"] == {
        "code_sha": SHA,
        "prompts": [],
        "models": [],
        "data_sources": {},
    }

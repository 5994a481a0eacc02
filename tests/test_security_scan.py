"""`genai-gate security-scan`: the real bandit, semgrep and pip-audit on small fixture projects.

The fixtures are labelled: every dangerous line of `tests/data/security/vulnerable/agent.py`
says which shipped semgrep rule must fire there (`# expect: RULE`); `clean/agent.py` does the
same things safely. pip-audit queries a local server that answers in OSV's documented format
with a real advisory (requests 2.19.0, CVE-2018-18074).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from support.osv import REQUESTS_CVE_2018_18074, osv_server, record
from support.sarif_multitool import multitool_validate, official_schema

from genai_gate.cli import main
from genai_gate.gates.security import bandit as bandit_module
from genai_gate.gates.security.semgrep import RULES
from genai_gate.results import GateResult

DATA = Path(__file__).parent / "data" / "security"
EXPECT = re.compile(r"#\s*expect:\s*(?P<rules>[a-z, -]+)$")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixtures outside `tests/` (semgrep skips tests/ folders by default)."""
    root = tmp_path / "repo"
    shutil.copytree(DATA, root)
    monkeypatch.chdir(root)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("PIP_AUDIT_OSV_URL", raising=False)
    return root


def scan(*args: str) -> tuple[int, dict[str, Any]]:
    """Run the command in-process; its exit code and results file."""
    code = main(["security-scan", "--results-dir", "results", *args])
    return code, json.loads(Path("results/security-scan.json").read_text())


def expected_semgrep(folder: Path) -> set[tuple[str, int, str]]:
    """(file, line, rule) labels: `# expect: RULES` ends a line, or stands above the next one."""
    labels = set()
    for path in sorted(folder.glob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            match = EXPECT.search(line)
            if match:
                target = number + 1 if line.lstrip().startswith("#") else number
                for rule in match.group("rules").split(","):
                    labels.add((f"{folder.name}/{path.name}", target, rule.strip()))
    return labels


def by_tool(result: dict[str, Any], tool: str) -> list[dict[str, Any]]:
    return [f for f in result["findings"] if f["properties"]["tool"] == tool]


def test_shipped_semgrep_rules_find_every_labelled_line_and_nothing_in_the_clean_twin(
    project: Path,
) -> None:
    code, result = scan("--tools", "semgrep", "--path", ".")
    found = {
        (f["location"]["path"], f["location"]["line"], f["rule_id"])
        for f in by_tool(result, "semgrep")
    }
    assert found == expected_semgrep(project / "vulnerable")  # nothing in clean/, nothing missed
    assert len(found) == 19
    assert code == 1
    assert result["status"] == "fail"
    assert result["details"]["tools"][0]["not_scanned"] == []  # every rule ran without error
    leak = next(f for f in result["findings"] if f["rule_id"] == "llm-output-to-dangerous-sink")
    assert leak["properties"]["severity"] == "critical"
    assert "prompt injection" in leak["message"]


def test_clean_project_passes_bandit_and_semgrep(project: Path) -> None:
    code, result = scan("--tools", "bandit,semgrep", "--path", "clean")
    assert code == 0, result
    assert result["status"] == "pass"
    assert result["title"] == "no finding at or above high (bandit 9, semgrep 0)"
    # bandit's low and medium findings (import subprocess, eval of a literal) are still
    # reported, but do not block
    rules = {f["rule_id"] for f in result["findings"]}
    assert rules == {"B404", "B603", "B607", "B602", "B105", "B307"}
    assert not any(f["properties"]["blocking"] for f in result["findings"])


def test_threshold_decides_what_fails(project: Path) -> None:
    code, result = scan("--tools", "bandit", "--path", "clean", "--fail-on-severity", "low")
    assert code == 1
    assert result["title"] == "9 of 9 findings at or above low (bandit 9)"
    code, result = scan(
        "--tools", "bandit", "--path", "vulnerable", "--fail-on-severity", "critical"
    )
    assert code == 0  # bandit rates nothing critical
    assert result["summary"]["high"] >= 3 and result["summary"]["blocking"] == 0


def test_bandit_findings_fail_and_a_hard_coded_password_is_masked(project: Path) -> None:
    (project / "vulnerable" / "settings.py").write_text('password = "hunter2-is-my-password"\n')
    code, result = scan("--tools", "bandit", "--path", "vulnerable")
    assert code == 1
    rules = {f["rule_id"] for f in by_tool(result, "bandit") if f["properties"]["blocking"]}
    assert {"B602", "B501", "B605"} <= rules  # shell=True, verify=False, os.system
    b105 = next(f for f in result["findings"] if f["rule_id"] == "B105")
    assert "hunter2-is-my-password" not in json.dumps(result)
    assert b105["message"] == "Possible hardcoded password: 'hu…(masked)'"


def test_sarif_dir_holds_one_valid_file_per_tool_each_with_its_own_category(
    project: Path, tmp_path: Path
) -> None:
    (project / "requirements.txt").write_text("requests==2.19.0\n")
    with osv_server([REQUESTS_CVE_2018_18074]) as osv:
        code, result = scan(
            *("--path", "vulnerable", "--requirements", "requirements.txt"),
            *("--sarif-dir", "sarif", "--osv-url", osv.url),
        )
    assert code == 1
    files = sorted(Path("sarif").iterdir())
    assert [f.name for f in files] == ["bandit.sarif", "pip-audit.sarif", "semgrep.sarif"]
    schema = official_schema()
    import jsonschema

    ids = []
    for file in files:
        log = json.loads(file.read_text())
        jsonschema.validate(log, schema)
        (tmp_path / file.stem).mkdir()
        assert multitool_validate(file, tmp_path / file.stem) == []
        (run,) = log["runs"]
        tool = file.stem
        assert run["tool"]["driver"]["name"] == tool
        assert re.fullmatch(r"\d+\.\d+\.\d+", run["tool"]["driver"]["version"])
        ids.append(run["automationDetails"]["id"])
        assert run["results"], f"{tool} reported nothing"
        for rule in run["tool"]["driver"]["rules"]:
            assert float(rule["properties"]["security-severity"]) > 0
    assert ids == ["genai-gate/bandit/", "genai-gate/pip-audit/", "genai-gate/semgrep/"]
    assert result["details"]["sarif_files"] == [
        "sarif/bandit.sarif",
        "sarif/semgrep.sarif",
        "sarif/pip-audit.sarif",
    ]


def test_pip_audit_reports_a_known_vulnerable_pin_from_osv(project: Path) -> None:
    lock = project / "requirements.lock"
    lock.write_text("# locked\nidna==3.7\nrequests==2.19.0 ; python_version >= '3'\n")
    with osv_server([REQUESTS_CVE_2018_18074]) as osv:
        code, result = scan("--tools", "pip-audit", "--osv-url", osv.url)
        asked = {(q["package"]["name"], q["version"]) for q in osv.queries}
    assert asked == {("idna", "3.7"), ("requests", "2.19.0")}
    assert code == 1
    (finding,) = result["findings"]
    assert finding["rule_id"] == "PYSEC-2018-28"
    assert finding["location"] == {"path": "requirements.lock", "line": 3}
    assert finding["message"].startswith(
        "requests 2.19.0 has known vulnerability PYSEC-2018-28 (CVE-2018-18074, "
        "GHSA-x84v-xcm2-53pg): requests sends the Authorization header"
    )
    assert finding["message"].endswith("Fixed in 2.20.0.")
    # pip-audit reports no severity: it comes from the OSV record's CVSS v3.1 vector (7.5)
    assert finding["properties"]["severity"] == "high"
    assert finding["properties"]["severity_source"] == (
        "PYSEC-2018-28: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N = 7.5"
    )
    with osv_server([REQUESTS_CVE_2018_18074]) as osv:
        code, _ = scan(
            "--tools", "pip-audit", "--osv-url", osv.url, "--fail-on-severity", "critical"
        )
    assert code == 0


def test_dependency_severity_comes_from_osv_or_fails_closed(project: Path) -> None:
    """The GitHub advisory alias states MODERATE; a record stating nothing counts as critical."""
    (project / "requirements.txt").write_text("jinja2==2.10\nurllib3==1.24.1\n")
    records = [
        record("PYSEC-2019-217", "jinja2", ["2.10"], aliases=["GHSA-462w-v97r-4m45"]),
        record(
            "GHSA-462w-v97r-4m45", "jinja2", ["2.10"], database_specific={"severity": "MODERATE"}
        ),
        record("PYSEC-2019-133", "urllib3", ["1.24.1"], aliases=["CVE-2019-11324"]),
    ]
    with osv_server(records) as osv:
        code, result = scan("--tools", "pip-audit", "--osv-url", osv.url)
        reads = osv.reads
    severity = {f["properties"]["package"]: f["properties"] for f in result["findings"]}
    assert severity["jinja2"]["severity"] == "medium"
    assert severity["jinja2"]["severity_source"] == (
        "GHSA-462w-v97r-4m45: database_specific.severity MODERATE"
    )
    assert severity["urllib3"]["severity"] == "critical"
    assert severity["urllib3"]["severity_source"] == "no severity in OSV: counted as critical"
    assert "CVE-2019-11324" in reads  # every alias was asked before giving up
    assert code == 1 and result["summary"]["blocking"] == 1


def test_pip_audit_passes_pins_without_advisories(project: Path) -> None:
    (project / "requirements.txt").write_text("requests==2.32.3\n")
    with osv_server([REQUESTS_CVE_2018_18074]) as osv:
        code, result = scan("--tools", "pip-audit", "--osv-url", osv.url)
    assert code == 0
    assert result["title"] == "no finding at or above high (pip-audit 0)"
    assert result["details"]["tools"][0]["scanned"] == 1


def test_unreadable_requirements_file_is_exit_2_naming_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["security-scan", "--tools", "pip-audit", "--requirements", "missing.txt"])
    assert code == 2
    assert "missing.txt: cannot read requirements file: No such file or directory" in (
        capsys.readouterr().err
    )
    code = main(["security-scan", "--tools", "pip-audit", "--requirements", "vulnerable"])
    assert code == 2
    assert "vulnerable: cannot read requirements file: Is a directory" in capsys.readouterr().err
    (project / "binary.txt").write_bytes(b"\xff\xfe\x00requests")
    code = main(["security-scan", "--tools", "pip-audit", "--requirements", "binary.txt"])
    assert code == 2
    assert "binary.txt: cannot read requirements file: 'utf-8' codec can't decode" in (
        capsys.readouterr().err
    )
    results = json.loads(Path(".genai-gate/results/security-scan.json").read_text())
    assert results["status"] == "error" and results["error_kind"] == "usage"


def test_unpinned_requirement_is_exit_2_naming_the_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "requirements.txt").write_text("flask>=2\n")
    with osv_server([]) as osv:
        code, result = scan("--tools", "pip-audit", "--osv-url", osv.url)
    assert code == 2
    assert result["status"] == "error" and result["error_kind"] == "usage"
    assert (
        "requirements.txt: pip-audit: requirement flask is not pinned to an exact version"
        in (result["error"])
    )


def test_no_requirements_file_is_a_usage_error_not_a_silent_skip(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["security-scan", "--path", "clean", "--results-dir", "results"])
    assert code == 2
    assert "pip-audit: no requirements file: pass --requirements FILE" in capsys.readouterr().err
    assert json.loads(Path("results/security-scan.json").read_text())["status"] == "error"


def test_unreachable_osv_is_exit_3(project: Path) -> None:
    (project / "requirements.txt").write_text("requests==2.19.0\n")
    from support.servers import free_port

    url = f"http://127.0.0.1:{free_port()}/v1/query"
    code, result = scan("--tools", "pip-audit", "--osv-url", url)
    assert code == 3
    assert result["status"] == "error" and result["incomplete"] is True
    assert result["error"] == (f"pip-audit could not reach {url} while auditing requirements.txt")


def test_missing_tool_is_exit_3_and_the_other_findings_are_kept(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bandit_module.Bandit, "executable", "bandit-not-installed")
    code, result = scan("--tools", "bandit,semgrep", "--path", "vulnerable")
    assert code == 3
    assert result["status"] == "error"
    assert result["title"] == "bandit could not run (semgrep 19)"
    assert "bandit-not-installed is not installed (tool missing): pip install" in result["error"]
    assert by_tool(result, "semgrep")
    # no SARIF for bandit: an empty upload would close its open alerts as fixed
    scan("--tools", "bandit,semgrep", "--path", "vulnerable", "--sarif-dir", "sarif")
    assert sorted(p.name for p in Path("sarif").iterdir()) == ["semgrep.sarif"]


def test_crashing_tool_is_exit_3_with_its_message(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "bandit-crashing"
    fake.write_text(
        f"#!{sys.executable}\nimport sys\nsys.stderr.write('MemoryError\\n')\nsys.exit(2)\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(bandit_module.Bandit, "executable", "bandit-crashing")
    code, result = scan("--tools", "bandit", "--path", "clean")
    assert code == 3
    assert result["error"] == "bandit failed (exit 2): MemoryError"


def test_unparsable_source_makes_the_scan_incomplete_never_a_pass(project: Path) -> None:
    (project / "clean" / "broken.py").write_text("def broken(:\n")
    code, result = scan("--tools", "bandit", "--path", "clean")
    assert code == 3
    assert result["status"] == "pass" and result["incomplete"] is True
    assert result["details"]["not_scanned"] == [
        "bandit: clean/broken.py: syntax error while parsing AST from file"
    ]
    assert result["title"] == "no finding at or above high (bandit 9); not scanned: 1"


def test_unknown_tool_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["security-scan", "--tools", "bandit,trivy"]) == 2
    assert "unknown tool trivy: choose from bandit, semgrep, pip-audit" in capsys.readouterr().err


def test_semgrep_rule_file_is_shipped_in_the_package() -> None:
    assert RULES.is_file()
    assert "genai_gate" in RULES.parts


def test_markdown_shows_each_tool_and_the_blocking_findings_with_their_severity(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from genai_gate.report import markdown

    monkeypatch.setattr(bandit_module.Bandit, "executable", "bandit-not-installed")
    scan("--tools", "bandit,semgrep", "--path", "vulnerable")
    text = markdown.render(GateResult.read(Path("results/security-scan.json")))
    assert "| tool | status | findings | at or above high | coverage |" in text
    assert "| bandit | ⚠️ could not run | - | - | bandit-not-installed is not installed" in text
    assert re.search(r"\| semgrep 1\.\d+\.\d+ \| ❌ fail \| 19 \| 19 \| 2 scanned \|", text), text
    assert "**Blocking findings (19)**" in text
    assert (
        "| critical | semgrep | `llm-output-to-dangerous-sink` | vulnerable/agent.py:30 |" in text
    )


def test_the_parsers_severity_choices_are_the_scale() -> None:
    """`--help` does not import the scale: its copy of the names must stay the same."""
    from genai_gate.gates.security.command import LEVELS
    from genai_gate.gates.security.severity import Level

    assert tuple(level.value for level in Level) == LEVELS

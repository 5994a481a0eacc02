"""The scanners by their `--tools` names, and where pip-audit looks for requirements by default.

Read by the parser (`command`, kept light for `--help`) and by the run (`scan`).
"""

from __future__ import annotations

TOOLS = ("bandit", "semgrep", "pip-audit")
"""Every tool, by its `--tools` name, in run order."""
DISCOVERED_REQUIREMENTS = ("requirements.lock", "requirements.txt")
"""Requirements files looked for in --path when --requirements is not given."""

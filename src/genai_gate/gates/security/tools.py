"""The scanners' names and the files they look for: shared by the CLI options and the scan."""

TOOLS = ("bandit", "semgrep", "pip-audit")
"""Every tool, by its `--tools` name, in run order."""
DISCOVERED_REQUIREMENTS = ("requirements.lock", "requirements.txt")
"""Requirements files looked for in --path when --requirements is not given."""

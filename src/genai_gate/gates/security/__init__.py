"""security-scan: SAST (bandit, semgrep with the shipped rules) and dependency audit (pip-audit).

Each tool is one module implementing `genai_gate.gates.security.scanner.Scanner`; the command
runs the ones asked for, maps their JSON output onto findings with a four-step severity and
fails when any finding is at or above `--fail-on-severity`.
"""

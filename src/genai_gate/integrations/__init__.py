"""The external programs and services genai-gate talks to, each behind one module.

`git` runs every git command (one timeout, one error policy), `github` builds the one GitHub
API client and maps its errors onto exit codes, `http` is the one HTTP session of Prometheus
queries and smoke probes (hard time limits, one error map), `files` writes files atomically.
Gates and reporters call these and never `subprocess`, `requests` to GitHub or `os.replace`
directly.
"""

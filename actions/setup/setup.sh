#!/usr/bin/env bash
# Install genai-gate, at the ref of the action that calls this script, into a private venv.
#
#   setup.sh key      -> outputs `key` (cache key) and `path` (venv folder) for actions/cache
#   setup.sh install  -> creates the venv from requirements.lock (pip --require-hashes) unless
#                        the cache restored it, links this checkout's src/ into it, outputs
#                        `python` (the venv interpreter) and `bin`
#   setup.sh security-tools -> trivy, gitleaks, bandit, semgrep and pip-audit (PyPI wheels,
#                        security-tools.lock, hashes checked) in their own venv on $GITHUB_PATH
#   setup.sh trufflehog -> the pinned trufflehog release tarball, sha256 checked, on $GITHUB_PATH
#
# Environment: GENAI_GATE_REQUIREMENTS (caller requirements installed into the same venv,
# part of the cache key), GENAI_GATE_PYTHON (interpreter to build the venv with, default
# python3), GENAI_GATE_VENV_PATH / GENAI_GATE_KEY (from `key`), GENAI_GATE_VENV (a prepared
# environment whose python already imports genai_gate and the caller's requirements: used
# as-is, nothing installed; for offline test runs such as scripts/e2e), GENAI_GATE_ADD_PATH
# (true: put the venv's bin, with a `genai-gate` command, on $GITHUB_PATH).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
lock="$here/requirements.lock"
python=${GENAI_GATE_PYTHON:-python3}
requirements=${GENAI_GATE_REQUIREMENTS:-}
out=${GITHUB_OUTPUT:-/dev/stdout}
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

if [ -n "$requirements" ] && [ ! -f "$requirements" ]; then
  echo "::error title=genai-gate setup::requirements file not found: $requirements"
  exit 2
fi

case "${1:-}" in
key)
  version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  digest=$(cat "$lock" ${requirements:+"$requirements"} | sha256sum | cut -c1-32)
  key="genai-gate-venv-${RUNNER_OS:-$(uname -s)}-$(uname -m)-py${version}-${digest}"
  base=${RUNNER_TOOL_CACHE:-${HOME}/.cache}
  { echo "key=$key"; echo "path=$base/genai-gate/$key"; } >> "$out"
  ;;
install)
  if [ -n "${GENAI_GATE_VENV:-}" ]; then
    bin="$GENAI_GATE_VENV/bin"
    "$bin/python" -c 'import genai_gate' || {
      echo "::error title=genai-gate setup::GENAI_GATE_VENV=$GENAI_GATE_VENV cannot import genai_gate"
      exit 3
    }
    echo "genai-gate: using the prepared environment $GENAI_GATE_VENV"
  else
    venv=${GENAI_GATE_VENV_PATH:?run setup.sh key first}
    key=${GENAI_GATE_KEY:?run setup.sh key first}
    bin="$venv/bin"
    if [ "$(cat "$venv/.genai-gate-key" 2>/dev/null)" = "$key" ]; then
      echo "genai-gate: venv restored ($key)"
    else
      started=$SECONDS
      rm -rf "$venv"
      # No pip inside the venv when this interpreter's pip can install into it (pip >= 22.3,
      # `--python`): ensurepip costs seconds of every cold setup. Older pips get a venv with pip.
      "$python" -m venv --without-pip "$venv"
      pip=("$python" -m pip --python "$bin/python")
      if ! "${pip[@]}" --version >/dev/null 2>&1; then
        rm -rf "$venv"
        "$python" -m venv "$venv"
        pip=("$bin/python" -m pip)
      fi
      # --no-compile: Python writes the bytecode of the modules a gate imports on first use
      # (most of pygments and stdnum never are); compiling all of it ahead cost 18 MB
      "${pip[@]}" install -q --no-compile --require-hashes --only-binary :all: -r "$lock"
      if [ -n "$requirements" ]; then
        "${pip[@]}" install -q -r "$requirements"
      fi
      echo "$key" > "$venv/.genai-gate-key"
      echo "genai-gate: venv built in $((SECONDS - started)) s ($key)"
    fi
    # genai-gate itself comes from this checkout: the exact ref the caller pinned.
    site=$("$bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "$root/src" > "$site/genai_gate_checkout.pth"
    printf '#!/bin/sh\nexec "%s" -m genai_gate.cli "$@"\n' "$bin/python" > "$bin/genai-gate"
    chmod +x "$bin/genai-gate"
  fi
  "$bin/python" -m genai_gate.cli --version
  { echo "python=$bin/python"; echo "bin=$bin"; } >> "$out"
  if [ "${GENAI_GATE_ADD_PATH:-}" = true ]; then echo "$bin" >> "${GITHUB_PATH:-/dev/null}"; fi
  ;;
security-tools)
  if [ -n "${GENAI_GATE_VENV:-}" ] && [ -x "$GENAI_GATE_VENV/bin/trivy" ] \
    && [ -x "$GENAI_GATE_VENV/bin/gitleaks" ] && [ -x "$GENAI_GATE_VENV/bin/bandit" ] \
    && [ -x "$GENAI_GATE_VENV/bin/semgrep" ] && [ -x "$GENAI_GATE_VENV/bin/pip-audit" ]; then
    tools="$GENAI_GATE_VENV/bin"
  else
    venv="${RUNNER_TEMP:-/tmp}/genai-gate-security-tools"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --require-hashes --only-binary :all: \
      -r "$here/security-tools.lock"
    tools="$venv/bin"
  fi
  echo "$tools" >> "${GITHUB_PATH:-/dev/null}"
  "$tools/trivy" --version | head -1
  "$tools/gitleaks" version
  ;;
trufflehog)
  version=3.90.12
  case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) arch=amd64 checksum=318fd1e8af68b54f4465437208582003a5948293ea401c5c67bb55f17e4e2102 ;;
  *) echo "::error title=genai-gate setup::no pinned trufflehog for $(uname -sm)"; exit 3 ;;
  esac
  dir="${RUNNER_TEMP:-/tmp}/trufflehog-$version"
  mkdir -p "$dir"
  tarball="$dir/trufflehog.tar.gz"
  curl -fsSL --retry 3 -o "$tarball" \
    "https://github.com/trufflesecurity/trufflehog/releases/download/v$version/trufflehog_${version}_linux_$arch.tar.gz"
  echo "$checksum  $tarball" | sha256sum --check --strict -
  tar -xzf "$tarball" -C "$dir" trufflehog
  echo "$dir" >> "${GITHUB_PATH:-/dev/null}"
  "$dir/trufflehog" --version
  ;;
*)
  echo "usage: setup.sh key|install|security-tools|trufflehog" >&2
  exit 2
  ;;
esac

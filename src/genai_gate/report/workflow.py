"""GitHub Actions workflow commands and environment files, escaped the way the runner parses them.

- `escape_data` / `escape_property`: the escaping of actions/toolkit (`%`, CR, LF; plus `:` and
  `,` in properties), so a message can never end a command early or start a new one.
- `format_outputs` (written with `append_file`): `$GITHUB_OUTPUT` entries as `key<<DELIM`
  heredocs whose random delimiter is checked not to occur in the value.
- `stop_commands`: untrusted text between `::stop-commands::TOKEN` and `::TOKEN::`, so a line
  like `::add-mask::` or `::error::` inside model output is printed, not executed.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def escape_data(value: str) -> str:
    """Escape a command's message."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a command property value."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str = "", **properties: object) -> str:
    """One workflow command line (`::name k=v,k=v::message`), None properties left out."""
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def add_mask(values: Iterable[str]) -> list[str]:
    """`::add-mask::` lines for each secret and each of its lines (multi-line secrets)."""
    lines: list[str] = []
    for value in values:
        parts = [value, *value.splitlines()] if "\n" in value or "\r" in value else [value]
        for part in parts:
            part = part.strip()
            if part and command("add-mask", part) not in lines:
                lines.append(command("add-mask", part))
    return lines


def fresh_token(text: str, prefix: str = "") -> str:
    """A random token that does not occur in `text`."""
    while True:
        token = prefix + secrets.token_hex(16)
        if token not in text:
            return token


def stop_commands(text: str) -> str:
    """`text` wrapped so the runner processes no workflow command inside it."""
    token = fresh_token(text)
    body = text if text.endswith("\n") else text + "\n"
    return f"::stop-commands::{token}\n{body}::{token}::\n"


def output_key(key: str) -> str:
    """A summary key as an action output name (`_` -> `-`), validated."""
    name = key.replace("_", "-")
    if not _KEY.match(name):
        raise ValueError(f"{key!r} cannot be an output name (letters, digits, - and _ only)")
    return name


def format_outputs(outputs: Mapping[str, str]) -> str:
    """`$GITHUB_OUTPUT` text: one `key<<DELIM ... DELIM` heredoc per output."""
    chunks = []
    for key, value in outputs.items():
        if not _KEY.match(key):
            raise ValueError(f"invalid output name {key!r}")
        delimiter = f"ghadelimiter_{uuid.uuid4()}"
        while delimiter in value:
            delimiter = f"ghadelimiter_{uuid.uuid4()}"
        chunks.append(f"{key}<<{delimiter}\n{value}\n{delimiter}\n")
    return "".join(chunks)


def append_file(path: str | Path, text: str) -> None:
    """Append to an environment file the runner gave us (`$GITHUB_OUTPUT`, ...)."""
    with open(path, "a", encoding="utf-8", newline="\n") as handle:
        handle.write(text)

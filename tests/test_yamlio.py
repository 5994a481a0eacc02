"""The YAML loader's guards, unit by unit: duplicate keys versus merge keys and aliases."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from genai_gate.errors import ConfigError
from genai_gate.yamlio import MAX_FILE_BYTES, parse_yaml, read_text


def test_merge_keys_may_be_overridden_also_when_reached_again_through_an_alias() -> None:
    text = "base: &b {x: 1, y: 1}\nderived: &d {<<: *b, x: 2}\nagain: *d\n"
    data, lines = parse_yaml(text, "t.yaml")
    assert data["derived"] == data["again"] == {"x": 2, "y": 1}
    assert lines.line_of(("again", "x")) == 2


def test_a_key_repeated_inside_a_merged_mapping_is_still_an_error() -> None:
    with pytest.raises(ConfigError, match=r"t.yaml:1: base.x: duplicate key 'x' \(first written"):
        parse_yaml("base: &b {x: 1, x: 2}\nderived: {<<: *b}\n", "t.yaml")


def test_problem_keeps_line_column_and_field_as_data() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_yaml("a:\n  b: 1\n  b: 2\n", "t.yaml")
    [problem] = caught.value.problems
    assert problem.as_dict() == {  # type: ignore[attr-defined]
        "path": "t.yaml",
        "line": 3,
        "column": 3,
        "field": "a.b",
        "message": "duplicate key 'b' (first written at line 2); YAML keeps only one of them: "
        "remove or rename one",
    }


def test_equal_keys_written_differently_are_duplicates() -> None:
    with pytest.raises(ConfigError, match="duplicate key 1"):
        parse_yaml("1: a\n0x1: b\n", "t.yaml")


def test_read_text_reads_files_whole_and_pipes_up_to_the_limit(tmp_path: Path) -> None:
    """A file is read in one buffer of its size; a pipe has no size, so it is read up to the
    limit, and past the limit it is refused like a file."""
    text = "prompt_id: caf\u00e9\n" * 1000
    (tmp_path / "file.yaml").write_text(text, encoding="utf-8")
    assert read_text(tmp_path / "file.yaml") == text
    (tmp_path / "empty.yaml").write_bytes(b"")
    assert read_text(tmp_path / "empty.yaml") == ""
    for size, expected in ((len(text.encode()), text), (MAX_FILE_BYTES + 1, None)):
        pipe = tmp_path / f"pipe-{size}.yaml"
        os.mkfifo(pipe)
        data = (text.encode() * (size // len(text.encode()) + 1))[:size]
        writer = threading.Thread(target=_write_ignoring_close, args=(pipe, data))
        writer.start()
        try:
            if expected is None:
                with pytest.raises(ConfigError, match=r"pipe-\d+\.yaml: larger than 32 MiB"):
                    read_text(pipe)
            else:
                assert read_text(pipe) == expected
        finally:
            writer.join()


def _write_ignoring_close(path: Path, data: bytes) -> None:
    try:
        with path.open("wb") as handle:
            handle.write(data)
    except BrokenPipeError:  # the reader stopped at the limit
        pass

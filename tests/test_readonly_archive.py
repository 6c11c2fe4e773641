"""An archive on read-only media (a DVD, a shared drive) can be searched, shown, exported, summarised
and checked: SQLite opened read-only, no writer lock, no index maintenance."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bulletin.archive import facade

from .conftest import Cli

READS = [
    ("search", "潼南"),
    ("search", "--json", "石珊"),
    ("show", "--json", "40809cd1eb10"),
    ("export", "--format", "jsonl"),
    ("summarize", "--json"),
    ("stats",),
    ("similar", "40809cd1eb10"),
    ("check",),
]


def _snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under `folder`: its content hash and modification time."""
    return {
        str(path.relative_to(folder)): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _never_locks(*args: object, **kwargs: object) -> Iterator[None]:
    raise AssertionError("a read took the writer lock")


@pytest.fixture
def readonly(filled: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The examples archive as a process that cannot write its folder sees it (meaningful as root too:
    the folder stays writable, so anything written shows up in the snapshot)."""
    monkeypatch.setattr(facade, "folder_is_writable", lambda folder: False)
    monkeypatch.setattr(facade, "writer_lock", _never_locks)
    return filled


@pytest.mark.parametrize("args", READS, ids=lambda args: " ".join(args))
def test_reads_work_and_write_nothing(readonly: Cli, args: tuple[str, ...]) -> None:
    before = _snapshot(readonly.archive)
    result = readonly(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout or args == ("check",)
    assert "error" not in result.stderr
    assert _snapshot(readonly.archive) == before


def test_an_index_needing_a_rebuild_is_a_one_line_error(readonly: Cli) -> None:
    current = readonly.archive / "index" / "CURRENT"
    name, _version = current.read_text(encoding="utf-8").split()
    current.write_text(f"{name} 1\n", encoding="utf-8")  # an index of an older schema
    before = _snapshot(readonly.archive)
    result = readonly("search", "潼南")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "the archive is read-only and its search index needs rebuilding" in result.stderr
    assert "copy the archive somewhere writable and run `bulletin reindex` there" in result.stderr
    assert _snapshot(readonly.archive) == before
    # `show` still works: keywords fall back to jieba's table.
    shown = readonly("show", "--json", "40809cd1eb10")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["keywords"]
    assert _snapshot(readonly.archive) == before


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root writes through file permissions: chmod cannot make it read-only"
)
def test_a_folder_without_write_permission(filled: Cli) -> None:
    folder = filled.archive
    paths = [folder, *folder.rglob("*")]
    for path in paths:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        for args in READS:
            result = filled(*args)
            assert result.exit_code == 0, (args, result.stderr)
            assert (result.stdout or args == ("check",)) and "error" not in result.stderr
    finally:
        for path in paths:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)

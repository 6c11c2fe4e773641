"""stdout is data whatever stderr is: progress and reports on a terminal's stderr never take it over."""

from __future__ import annotations

import json

import pytest

from .conftest import Cli
from .shared_data import EXAMPLES


def test_import_jsonl_goes_to_stdout_when_only_stderr_is_a_terminal(cli: Cli) -> None:
    result = cli("import", "--jsonl", str(EXAMPLES), stderr_tty=True)
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) >= 5 and {r["status"] for r in records} == {"added"}
    assert '"status"' not in result.stderr
    assert "imported" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("search", "教育", "--jsonl"),
        ("search", "教育"),
        ("show", "--json", "ID"),
        ("stats", "--json"),
        ("duplicates", "--json"),
        ("export",),
        ("summarize", "--json"),
        ("reindex",),
        ("check",),
        ("extract", "--jsonl", str(EXAMPLES / "gbk-news.html")),
        ("similar", "--jsonl", "ID"),
    ],
)
def test_every_command_keeps_its_data_on_stdout_with_a_terminal_stderr(
    cli: Cli, args: tuple[str, ...]
) -> None:
    imported = cli("import", "--jsonl", str(EXAMPLES))
    first = json.loads(imported.stdout.splitlines()[0])["id"]
    args = tuple(first if a == "ID" else a for a in args)
    quiet = cli(*args)
    loud = cli(*args, stderr_tty=True)
    assert loud.exit_code == quiet.exit_code
    assert loud.stdout == quiet.stdout
    assert "\x1b[" not in loud.stdout

"""What a new user trips over (issue 20), through the command line: stdout, stderr, exit codes."""

from __future__ import annotations

import json

import pytest

from .conftest import Cli


def test_a_plain_search_finds_a_credited_name(filled: Cli) -> None:
    # The seed credits 撰稿:石 珊; the name is nowhere in its title or text.
    result = filled("search", "--jsonl", "石珊")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    origins = [json.loads(line)["origin"] for line in result.stdout.splitlines()]
    assert any(o.endswith("tongnan-education-2023.txt") for o in origins)
    precise = filled("search", "--ids", "author:石珊")
    assert precise.exit_code == 0 and len(precise.stdout.split()) == 1


@pytest.mark.parametrize(
    ("query", "fragment"),
    [("title:", "needs a word after it"), ("sourse:通知", "is not a field; did you mean source:?")],
)
def test_field_mistakes_are_one_line_usage_errors(filled: Cli, query: str, fragment: str) -> None:
    result = filled("search", query)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("bulletin: error: ") and fragment in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_field_applies_to_a_group_and_after_a_space(filled: Cli) -> None:
    grouped = filled("search", "--ids", "title:(防溺水 OR 不存在的标题)")
    spaced = filled("search", "--ids", "title: 防溺水")
    assert grouped.exit_code == spaced.exit_code == 0
    assert grouped.stdout == spaced.stdout and len(grouped.stdout.split()) == 1
    assert grouped.stderr == spaced.stderr == ""

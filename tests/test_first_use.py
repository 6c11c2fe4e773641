"""What a new user trips over (issue 20), through the command line: stdout, stderr, exit codes."""

from __future__ import annotations

import json

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

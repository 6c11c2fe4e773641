"""Paging through hits: the JSON page carries the total, terminal footers say which hits these are."""

from __future__ import annotations

import json

import pytest

from bulletin.cli.options import parse_size
from bulletin.render.terminal import hits_caption

from .conftest import Cli
from .shared_data import EXAMPLES


@pytest.fixture
def filled(cli: Cli) -> Cli:
    result = cli("import", "--quiet", str(EXAMPLES))
    assert result.exit_code == 0, result.stderr
    return cli


def test_search_json_is_a_page_with_the_total(filled: Cli) -> None:
    every = json.loads(filled("search", "--json", "-n", "0", "的").stdout)
    total = every["total"]
    assert total >= 3 and len(every["hits"]) == total and every["offset"] == 0
    result = filled("search", "--json", "--offset", "1", "-n", "1", "的")
    assert result.exit_code == 0 and result.stderr == ""
    page = json.loads(result.stdout)
    assert page["total"] == total and page["offset"] == 1
    assert [h["id"] for h in page["hits"]] == [every["hits"][1]["id"]]
    lines = filled("search", "--jsonl", "-n", "0", "的").stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [h["id"] for h in every["hits"]]


def test_terminal_footer_names_the_hits_shown_after_an_offset(filled: Cli) -> None:
    total = json.loads(filled("search", "--json", "-n", "0", "的").stdout)["total"]
    result = filled("search", "--offset", str(total - 2), "的", tty=True)
    assert result.exit_code == 0
    assert f"{total - 1}–{total} of {total} hits" in result.stdout
    assert hits_caption(10, 22) == "10 of 22 hits"
    assert hits_caption(2, 22, offset=20) == "21–22 of 22 hits"


@pytest.mark.parametrize(
    ("given", "expected"),
    [("40MB", 40 << 20), ("40M", 40 << 20), ("40MiB", 40 << 20), ("512k", 512 << 10), ("1G", 1 << 30)],
)
def test_sizes_take_k_m_g_suffixes(given: str, expected: int) -> None:
    assert parse_size(given) == expected


def test_max_size_with_a_suffix_imports_and_a_bad_size_is_a_usage_error(cli: Cli) -> None:
    seed = str(EXAMPLES / "tongnan-education-2023.txt")
    assert cli("import", "--max-size", "1K", seed).exit_code == 1
    result = cli("import", "--max-size", "40MB", seed)
    assert result.exit_code == 0, result.stderr
    bad = cli("import", "--max-size", "40XB", seed)
    assert bad.exit_code == 2 and bad.stdout == ""
    assert "'40XB' is not a size" in bad.stderr

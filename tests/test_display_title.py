"""Untitled inputs: the record's title stays null, every listing and view shows a derived one, marked."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from bulletin.titles import DERIVED_MARK, WIDTH, derived_title, display_title

from .conftest import Cli
from .shared_data import EXAMPLES

SEED = EXAMPLES / "tongnan-education-2023.txt"  # the seed, committed: it prints no headline line
SEED_TITLE = "2月2日,潼南区召开2023年开学暨“五心强校”党建工作推进会"


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_the_first_sentence_without_its_full_stop_is_the_derived_title() -> None:
    assert derived_title(SEED.read_text(encoding="utf-8")) == SEED_TITLE


def test_a_long_first_sentence_is_cut_at_a_clause_break_and_says_so() -> None:
    text = (
        "为深入贯彻落实党的二十大精神，进一步加强和改进新时代学校思想政治工作，"
        "全面提升育人质量，区教委决定开展专项行动。"
    )
    title = derived_title(text)
    assert title.endswith("…") and _width(title) <= WIDTH
    assert title == "为深入贯彻落实党的二十大精神，进一步加强和改进新时代学校思想政治工作…"


def test_a_date_or_a_label_alone_is_not_a_title() -> None:
    assert derived_title("2023-02-02\n\nThe district council met on Monday to plan the floods response.") == (
        "The district council met on Monday to plan the floods response"
    )
    assert derived_title("") == "" and derived_title("！！ …") == ""


def test_an_article_with_a_title_shows_it_unchanged() -> None:
    assert display_title("区政府常务会议", "会议研究了道路交通。") == "区政府常务会议"
    assert display_title("  ", "会议研究了道路交通和教育经费。") == "会议研究了道路交通和教育经费"


def _seed_archive(cli: Any) -> str:
    result = cli("import", str(SEED))
    assert result.exit_code == 0, result.stderr
    found = cli("search", "--ids", "潼南")
    return str(found.stdout.split()[0])


def test_search_json_keeps_title_null_and_adds_display_title(cli: Cli) -> None:
    _seed_archive(cli)
    hit = json.loads(cli("search", "--json", "潼南").stdout)["hits"][0]
    assert hit["title"] is None and hit["display_title"] == SEED_TITLE


def test_plain_and_terminal_listings_show_the_derived_title_marked(cli: Cli) -> None:
    _seed_archive(cli)
    line = cli("search", "潼南").stdout.splitlines()[0]
    assert line.split("\t")[3] == f"{DERIVED_MARK} {SEED_TITLE}"
    table = cli("search", "潼南", tty=True).stdout
    assert DERIVED_MARK in table and "五心强校" in table


def test_show_marks_the_derived_title_and_its_json_keeps_null(cli: Cli) -> None:
    article_id = _seed_archive(cli)
    plain = cli("show", article_id).stdout
    assert f"title: {DERIVED_MARK} {SEED_TITLE}" in plain.splitlines()
    record = json.loads(cli("show", "--json", article_id).stdout)
    assert record["title"] is None and record["display_title"] == SEED_TITLE
    assert f"{DERIVED_MARK} 2月2日" in cli("show", article_id, tty=True).stdout


def test_csv_and_markdown_exports_carry_the_display_title(cli: Cli, tmp_path: Any) -> None:
    _seed_archive(cli)
    rows = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv").stdout)))
    assert rows[0]["title"] == "" and rows[0]["display_title"] == SEED_TITLE
    markdown = cli("export", "--format", "markdown").stdout
    assert f"## {DERIVED_MARK} {SEED_TITLE}" in markdown.splitlines()

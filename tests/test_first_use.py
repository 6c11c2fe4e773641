"""What a new user trips over (issue 20), through the command line: stdout, stderr, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import Cli
from .shared_data import EXAMPLES


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


@pytest.fixture
def with_copy(cli: Cli, tmp_path: Path) -> Cli:
    """An archive of the seed, a republished copy of it (one near-duplicate group) and one other page."""
    pages = tmp_path / "pages"
    pages.mkdir()
    seed = (EXAMPLES / "tongnan-education-2023.txt").read_text(encoding="utf-8")
    (pages / "seed.txt").write_text(seed, encoding="utf-8")
    (pages / "copy.txt").write_text(seed + "\n转载自潼南教育网。\n", encoding="utf-8")
    shutil.copy(EXAMPLES / "english-news.html", pages)
    assert cli("import", "--quiet", str(pages)).exit_code == 0
    return cli


def test_summarize_counts_one_thing_and_says_what(with_copy: Cli) -> None:
    result = with_copy("summarize", "--json")
    assert result.exit_code == 0 and result.stderr == ""
    data = json.loads(result.stdout)
    # Every count is of articles matched, copies included: timeline and sources add up to it.
    assert data["count"] == 3
    assert sum(m["count"] for m in data["timeline"]) + data["undated"] == 3
    assert sum(s["count"] for s in data["sources"]) <= 3 and data["distinct"] == 2 and data["sampled"] == 2
    plain = with_copy("summarize", "--plain").stdout.splitlines()
    assert plain[:3] == ["count\t3", "distinct\t2", "sampled\t2"]
    shown = with_copy("summarize", tty=True)
    assert shown.exit_code == 0
    assert "3 articles matched (2 once near-duplicate copies are folded)" in shown.stdout
    assert "keywords and summary from the top 2" in shown.stdout


def test_a_huge_article_shows_a_snippet_around_a_deep_match(cli: Cli, tmp_path: Path) -> None:
    seed = (EXAMPLES / "tongnan-education-2023.txt").read_text(encoding="utf-8")
    filler = "这是一段与主题无关的重复填充文字，用于制造一篇很长的文章。\n" * 12_000  # ~360 KB
    big = tmp_path / "big.txt"
    big.write_text(seed + filler + "区教委发布防汛演练周安排，请家长关注。\n" + filler, encoding="utf-8")
    assert cli("import", "--quiet", str(big)).exit_code == 0
    result = cli("search", "--json", "防汛演练")
    assert result.exit_code == 0 and result.stderr == ""
    (hit,) = json.loads(result.stdout)["hits"]
    assert "防汛演练" in hit["snippet"] and hit["highlights"]
    shown = cli("show", "--json", hit["id"])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["summary"]


def _page(title: str, when: str, body: str) -> str:
    return (
        f'<html><head><meta charset="utf-8"><title>{title}</title><meta name="PubDate" content="{when}">'
        f"</head><body><h1>{title}</h1><p>{body}</p></body></html>"
    )


def test_sort_by_date_orders_one_day_by_time(cli: Cli, tmp_path: Path) -> None:
    pages = tmp_path / "day"
    pages.mkdir()
    for name, title, when, body in [
        (
            "a.html",
            "下午的安全通知",
            "2023-03-01 17:30",
            "区教委下午召开校园食品安全工作会议，部署春季学期食堂检查。",
        ),
        (
            "b.html",
            "上午的安全通知",
            "2023-03-01 09:15",
            "上午，全区中小学开展防溺水专题教育，家长签收告知书。",
        ),
        (
            "c.html",
            "次日的安全通知",
            "2023-03-02 08:00",
            "次日清晨，交警大队在学校门口开展交通安全执勤和宣传。",
        ),
    ]:
        (pages / name).write_text(_page(title, when, body), encoding="utf-8")
    assert cli("import", "--quiet", str(pages)).exit_code == 0
    oldest = cli("search", "--jsonl", "--sort", "date", "安全通知")
    assert oldest.exit_code == 0 and oldest.stderr == ""
    dates = [json.loads(line)["date"] for line in oldest.stdout.splitlines()]
    assert dates == ["2023-03-01T09:15", "2023-03-01T17:30", "2023-03-02T08:00"]
    newest = cli("search", "--jsonl", "--sort", "-date", "安全通知")
    assert [json.loads(line)["date"] for line in newest.stdout.splitlines()] == dates[::-1]

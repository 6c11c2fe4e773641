"""Terminal tables for stats, duplicates and check; CJK columns align; 80 columns leave titles the room."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
from rich.console import Console

from bulletin.render.tables import problems_table

from .conftest import Cli
from .shared_data import EXAMPLES

ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")
NOTICE = EXAMPLES / "tongnan-education-2023.txt"
LONG_TITLE = "中央军委主席习近平签署命令 发布《军队装备试验鉴定规定》"
# 96 columns: longer than a panel's border at 80.
LONGER_TITLE = "关于印发《潼南区2023年春季学期中小学校园安全隐患排查整治暨防溺水专项行动实施方案》的通知"


def width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def screen(result: object) -> list[str]:
    return [ANSI.sub("", line).rstrip() for line in result.stdout.splitlines()]  # type: ignore[attr-defined]


@pytest.fixture
def filled(cli: Cli, tmp_path: Path) -> Cli:
    # A near-duplicate of the seed notice (one sentence added), and a source that looks like markup.
    copy = tmp_path / "copy.txt"
    copy.write_text(NOTICE.read_text(encoding="utf-8") + "\n（转载自区教委网站）\n", encoding="utf-8")
    marked = tmp_path / "marked.jsonl"
    record = {
        "text": "各村：汛期值班人员名单如下，请严格落实二十四小时值班制度。" * 3,
        "title": "[bold red]防汛值班安排[/bold red]",
        "source": "某镇[bold]人民政府",
        "url": "https://www.example.gov.cn/a.html",
    }
    longer = {
        **record,
        "title": LONGER_TITLE,
        "source": "潼南区教委",
        "text": "各校：现将方案印发给你们，请认真贯彻落实。" * 3,
    }
    lines = [json.dumps(r, ensure_ascii=False) for r in (record, longer)]
    marked.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("import", "--quiet", str(EXAMPLES), str(copy), str(marked))
    assert result.exit_code == 0, result.stderr
    return cli


def test_stats_draws_aligned_tables_on_a_terminal(filled: Cli) -> None:
    result = filled("stats", tty=True, width=80)
    assert result.exit_code == 0 and result.stderr == ""
    lines = screen(result)
    assert any("articles by source" in line for line in lines)
    rows = [
        line for line in lines if re.search(r"\s\d+$", line) and ("央广网" in line or "ScienceAlert" in line)
    ]
    assert len(rows) == 2 and width(rows[0]) == width(rows[1])  # counts end in one column, CJK or not
    assert all(width(line) <= 80 for line in lines)


def test_duplicates_draws_a_table_of_groups_on_a_terminal(filled: Cli) -> None:
    piped = filled("duplicates")
    assert piped.exit_code == 0 and piped.stdout.startswith("group ")
    result = filled("duplicates", tty=True, width=80)
    assert result.exit_code == 0 and result.stderr == ""
    lines = screen(result)
    assert ["group", "id", "date", "source", "title"] in [line.split() for line in lines]
    ids = [line.split()[0] for line in piped.stdout.splitlines()[1:]]
    assert len(ids) == 2 and all(any(i in line for line in lines) for i in ids)
    assert "(untitled)" in result.stdout and "“五心强校”党建工作推进会" in "".join(
        line.strip() for line in lines
    )
    assert "1 groups" in result.stdout and all(width(line) <= 80 for line in lines)


def test_check_draws_its_problems_as_a_table_and_stays_quiet_when_healthy(filled: Cli) -> None:
    healthy = filled("check", tty=True)
    assert healthy.exit_code == 0 and healthy.stdout == "" and "healthy" in healthy.stderr
    out = io.StringIO()
    Console(file=out, width=80, markup=False).print(
        problems_table(["index: article abc123 is not indexed", "database: original of 42 does not match"])
    )
    text = out.getvalue()
    assert "where" in text and "index" in text and "article abc123 is not indexed" in text
    assert "2 problems" in text


def test_scraped_markup_is_shown_as_text_in_the_tables(filled: Cli) -> None:
    stats = "\n".join(screen(filled("stats", tty=True)))
    assert "某镇[bold]人民政府" in stats
    hits = "\n".join(screen(filled("search", "防汛", tty=True)))
    assert "[bold red]防汛值班安排" in hits and "某镇[bold]" in hits


def test_at_80_columns_the_title_gets_the_room(filled: Cli) -> None:
    result = filled("search", "军队装备", tty=True, width=80)
    assert result.exit_code == 0
    assert LONG_TITLE[:12] in result.stdout  # 24 columns of title unbroken on one line
    wide = filled("search", "军队装备", tty=True, width=140)
    assert "#" in screen(wide)[1] or "#" in "".join(screen(wide)[:3])


def test_the_show_panel_holds_the_whole_title_at_80_columns(filled: Cli) -> None:
    assert width(LONGER_TITLE) > 80
    article_id = filled("search", "--ids", "title:专项行动").stdout.split()[0]
    result = filled("show", article_id, tty=True, width=80)
    assert result.exit_code == 0
    body = "".join(line.strip("│╭╮ ") for line in screen(result)[:4])
    assert LONGER_TITLE in body

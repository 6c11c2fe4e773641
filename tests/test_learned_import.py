"""Import learns a site's own boilerplate: a line repeated in article after article leaves the text."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Cli
from .shared_data import SEED, needs_shared

SITE_LINE = "本网所有稿件均欢迎转载，转载请注明出处：示例区融媒体中心"


def site_pages(folder: Path, count: int) -> list[Path]:
    """Pages of one site: different real paragraphs (from the seed), the same closing line."""
    paragraphs = [
        line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if len(line.strip()) > 40
    ]
    pages = []
    for n in range(count):
        body = "".join(f"<p>{paragraphs[(2 * n + k) % len(paragraphs)]}</p>" for k in range(2))
        page = folder / f"page-{n}.html"
        page.write_text(
            f"""<html><head><meta charset="utf-8"><title>示例区工作简报{n}_示例区人民政府</title>
<link rel="canonical" href="http://www.shili.gov.cn/news/{n}.html"></head><body>
<h1>示例区工作简报第{"一二三四五六七八"[n]}期</h1>
<div class="info">发布时间：2023-03-0{n + 1} 来源：示例区政府办</div>
<div class="content">{body}<p>{SITE_LINE}</p></div></body></html>""",
            encoding="utf-8",
        )
        pages.append(page)
    return pages


@needs_shared
def test_a_line_the_site_repeats_is_learned_and_dropped_from_later_articles(cli: Cli, tmp_path: Path) -> None:
    pages = site_pages(tmp_path, 8)
    for page in pages:  # one at a time, as a site is scraped day after day
        assert cli("import", "--quiet", str(page)).exit_code == 0
    keeping = json.loads(cli("search", "欢迎转载", "--json", "--all-copies", "-n", "0").stdout)["hits"]
    # The line is learned once it is in 5 articles of the site (and 30% of them).
    assert sorted(hit["origin"] for hit in keeping) == sorted(map(str, pages[:4]))
    last = json.loads(cli("show", keeping[0]["id"], "--json", "--no-summary").stdout)
    assert SITE_LINE in last["text"]
    latest = json.loads(cli("export", "--since", "2023-03-08").stdout.splitlines()[0])
    assert SITE_LINE not in latest["text"] and len(latest["text"]) > 80  # the article itself stays


@needs_shared
def test_extract_of_one_file_relies_on_the_rules_only(cli: Cli, tmp_path: Path) -> None:
    pages = site_pages(tmp_path, 6)
    cli("import", "--quiet", *map(str, pages[:5]))
    record = json.loads(cli("extract", "--jsonl", str(pages[5])).stdout)
    assert SITE_LINE in record["text"]

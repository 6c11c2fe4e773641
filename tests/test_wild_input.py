"""Real scrapers' output (../shared/corpus/wild-dev) keeps its recorded metadata and loses its residue."""

from __future__ import annotations

import json
from pathlib import Path

from bulletin.extract import extract
from bulletin.readers import RawInput
from bulletin.readers.jsonl import read_jsonl, record_to_input
from tests.shared_data import WILD, needs_wild

PAGES = WILD / "pages"


def _truth() -> dict[str, dict[str, str | None]]:
    rows = (json.loads(line) for line in (WILD / "truth.jsonl").read_text(encoding="utf-8").splitlines())
    return {row["file"]: row for row in rows}


def _extract(path: Path):  # type: ignore[no-untyped-def]
    return extract(RawInput(data=path.read_bytes(), origin=str(path)))


@needs_wild
def test_wechat_markdown_dumps_take_front_matter_as_metadata() -> None:
    truth = _truth()
    for path in sorted((PAGES / "wechat-dumps-picker").glob("*.md")):
        article = _extract(path)
        expected = truth[f"pages/{path.parent.name}/{path.name}"]
        assert (article.title, article.date, article.source) == (
            expected["title"],
            expected["date"],
            expected["source"],
        ), path.name
        assert article.url == expected["url"], path.name
        for residue in ("fetch_date", "预览时标签不可点", "轻点两下取消", "微信扫一扫", "![", "](http"):
            assert residue not in article.text, (path.name, residue)
        assert not article.text.startswith(article.title), path.name


@needs_wild
def test_spider_exports_take_header_lines_and_the_dated_file_name() -> None:
    truth = _truth()
    for path in sorted((PAGES / "gov-mofa-presser-scio").glob("*.txt")):
        article = _extract(path)
        expected = truth[f"pages/{path.parent.name}/{path.name}"]
        assert (article.title, article.date, article.source) == (
            expected["title"],
            expected["date"],
            expected["source"],
        ), path.name
        assert not article.text.startswith(("title:", "url:", "author:", "content:")), path.name


@needs_wild
def test_sogou_records_give_title_text_and_url_without_tags() -> None:
    truth = _truth()
    for path in sorted((PAGES / "news-sogoucs-utf8").glob("*.txt")):
        article = _extract(path)
        expected = truth[f"pages/{path.parent.name}/{path.name}"]
        assert article.title == expected["title"] and article.url == expected["url"], path.name
        assert "<" not in article.text + (article.title or ""), path.name


@needs_wild
def test_feed_fragments_take_the_feeds_title_and_attachment_only_notices_are_kept() -> None:
    feed = PAGES / "gov-bjtcm-notices" / "output.jsonl"
    truth = _truth()
    with feed.open("rb") as stream:
        inputs = list(read_jsonl(stream, "output.jsonl", mapping={"html": "article", "url": "urlsource"}))
    assert all(isinstance(item, RawInput) for item in inputs)
    for number, raw in enumerate(inputs, start=1):
        assert isinstance(raw, RawInput)
        article = extract(raw)
        expected = truth[f"pages/gov-bjtcm-notices/output.jsonl:{number}"]
        assert (article.title, article.date) == (expected["title"], expected["date"]), number


def test_a_record_with_a_title_and_only_attachments_is_archived_with_their_names() -> None:
    record = {
        "title": "关于公示的通知",
        "date": "2020-11-24",
        "article": None,
        "attachment": [{"mark": "公示表"}],
    }
    raw = record_to_input(record, "feed.jsonl:1", mapping={"html": "article"})
    article = extract(raw)
    assert (article.title, article.text) == ("关于公示的通知", "公示表")

"""Real scrapers' output (../shared/corpus/wild-dev) keeps its recorded metadata and loses its residue."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bulletin.extract import extract
from bulletin.readers import RawInput, iter_inputs
from bulletin.readers.jsonl import read_jsonl, record_to_input
from tests.shared_data import CORPUS, WILD, needs_corpus, needs_wild

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


# What each platform prints around an article (issue #18's classes), never article text.
APP_RESIDUE = (
    "预览时标签不可点",
    "微信扫一扫",
    "继续滑动看下一个",
    "轻点两下取消",
    "展开全文",
    "阅读剩余全文",
    "打开App",
    "调查问题加载中",
)
_UI_START = re.compile(r"^(?:预览时标签不可点|微信扫一扫|继续滑动看下一个)")
_SENTENCE = re.compile(r"[\u4e00-\u9fff].{14,}[。！？”]$")
_MARKUP = re.compile(r"!\[|\]\(|^[#>*-]|\*\*|`")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _last_paragraph(raw: str) -> str | None:
    """The last sentence-like line of a WeChat dump before the platform's own UI starts (None: no prose)."""
    lines = [line.strip() for line in raw.splitlines()]
    end = next((i for i, line in enumerate(lines) if _UI_START.match(line)), len(lines))
    prose = [line for line in lines[:end] if _SENTENCE.search(line) and not _MARKUP.search(line)]
    # A Markdown list item's number is a mark, as "- " is: the text keeps the item.
    return re.sub(r"^\d+\.\s+", "", prose[-1]) if prose else None


@needs_wild
def test_front_matter_and_the_repeated_heading_never_reach_the_text() -> None:
    for path in sorted((PAGES / "wechat-dumps-picker").glob("*.md")):
        raw = path.read_text(encoding="utf-8")
        keys = re.findall(r"^(\w+):", raw.split("\n---", 1)[0], re.MULTILINE)
        article = _extract(path)
        lines = article.text.splitlines()
        assert keys and not any(line.startswith(f"{key}:") for line in lines for key in keys), path.name
        assert "---" not in lines, path.name
        assert _squash(article.title or "") not in {_squash(line.lstrip("# ")) for line in lines}, path.name


@needs_wild
def test_app_residue_goes_and_the_last_real_paragraph_stays() -> None:
    checked = 0
    for path in sorted((PAGES / "wechat-dumps-picker").glob("*.md")):
        article = _extract(path)
        last = _last_paragraph(path.read_text(encoding="utf-8"))
        if last is not None:  # posts of pictures and link lists have no prose paragraph
            assert _squash(last) in _squash(article.text), path.name
            checked += 1
        assert not [r for r in APP_RESIDUE if r in article.text], path.name
    assert checked >= 12
    for path in sorted((PAGES / "html-gne").glob("*.html")):
        article = _extract(path)
        assert not [r for r in APP_RESIDUE if r in article.text], path.name


@needs_wild
def test_header_line_exports_keep_their_body_whole() -> None:
    truth = _truth()
    for path in sorted((PAGES / "gov-mofa-presser-scio").glob("*.txt")):
        article = _extract(path)
        expected = truth[f"pages/{path.parent.name}/{path.name}"]["text"] or ""
        sentences = [line for line in expected.splitlines() if _SENTENCE.search(line.strip())]
        first, last = sentences[0], sentences[-1]
        assert _squash(first) in _squash(article.text) and _squash(last) in _squash(article.text), path.name
        assert not re.search(r"^(?:title|url|author|content):", article.text, re.MULTILINE), path.name


_DOCUMENT_NUMBER = re.compile(r"〔\d{4}〕\d+号$")
_SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def _feed_records() -> list[dict[str, object]]:
    feed = PAGES / "gov-bjtcm-notices" / "output.jsonl"
    return [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]


@needs_wild
def test_a_document_number_or_section_heading_is_never_a_title() -> None:
    opened = 0
    for number, record in enumerate(_feed_records(), start=1):
        if not record.get("article"):
            continue
        untitled = {key: value for key, value in record.items() if key != "title"}
        raw = record_to_input(
            untitled, f"output.jsonl:{number}", mapping={"html": "article", "url": "urlsource"}
        )
        article = extract(raw)
        first = article.text.splitlines()[0] if article.text else ""
        opened += bool(_DOCUMENT_NUMBER.search(first) or _SECTION_HEADING.match(first))
        title = article.title or ""
        assert not _DOCUMENT_NUMBER.search(title) and not _SECTION_HEADING.match(title), (number, title)
    assert opened >= 3  # the fragments that open with one keep it as their first line


@needs_wild
def test_the_feeds_attachment_only_notices_are_archived_with_their_titles() -> None:
    bare = [(n, r) for n, r in enumerate(_feed_records(), start=1) if not r.get("article")]
    assert len(bare) >= 3
    for number, record in bare:
        raw = record_to_input(
            record, f"output.jsonl:{number}", mapping={"html": "article", "url": "urlsource"}
        )
        article = extract(raw)
        assert (article.title, article.date) == (record["title"], record["date"]), number


# Page furniture that is neither a person nor an organisation (issue #18).
_FURNITURE = {"朋友圈", "注册登录", "关于我们", "微信", "正文", "明星组图", "登录", "注册", "首页", "分享"}
_NOT_A_NAME = re.compile(r"[=\"<>]|(?:19|20)\d{2}\s*[-/.年]")


@needs_wild
@needs_corpus
def test_authors_and_sources_are_never_page_furniture() -> None:
    for root in (CORPUS / "pages", PAGES):
        for raw in iter_inputs([str(root)]):
            if not isinstance(raw, RawInput):
                continue
            article = extract(raw)
            for value in (*article.authors, article.source or ""):
                assert value not in _FURNITURE and not _NOT_A_NAME.search(value), (raw.origin, value)

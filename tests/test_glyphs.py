"""Private-use characters (icon-font glyphs, SogouCS paragraph marks) are never title or text."""

from __future__ import annotations

import re

import pytest

from bulletin.extract import extract
from bulletin.readers import RawInput, iter_inputs

from .shared_data import CORPUS, WILD, needs_corpus, needs_wild

PRIVATE = re.compile("[\ue000-\uf8ff]")
PARAGRAPH = "区教委召开防汛工作部署会议，要求各校落实汛期值班制度，排查校舍安全隐患，确保师生安全。"

PAGE = f"""<html><head><title>防汛通知\ue600 - 示例区教委</title></head><body>
<h1>\ue62f 防汛通知\ue600</h1>
<div class="info">2023-06-01 <i>\ue60e</i>4 <span>\ue601 12万</span></div>
<div class="content"><p>{PARAGRAPH}</p><p><i>\ue601</i><i>\ue602</i></p>
<p>各校要做好应急预案，值班人员\ue600要保持通讯畅通。</p></div>
<div><span>\ue60e 999+</span></div></body></html>"""


def test_icon_glyphs_leave_the_title_and_icon_buttons_leave_the_text() -> None:
    article = extract(RawInput(PAGE.encode("utf-8"), "page.html"))
    assert article.title == "防汛通知"
    assert article.text.splitlines() == [PARAGRAPH, "各校要做好应急预案，值班人员 要保持通讯畅通。"]


@pytest.mark.parametrize("hinted", ["通知\ue600", "\ue600通知", "通\ue600知"])
def test_a_recorded_title_loses_its_glyphs_too(hinted: str) -> None:
    raw = RawInput(PARAGRAPH.encode("utf-8"), "feed.jsonl:1", kind="text", hints={"title": hinted})
    assert extract(raw).title in ("通知", "通 知")
    assert not PRIVATE.search(extract(raw).title or "")


def test_a_private_use_mark_in_plain_text_is_a_paragraph_break() -> None:
    body = f"停电通知\n{PARAGRAPH}\ue40c请各单位相互转告。\n\ue60e 12\n"
    article = extract(RawInput(body.encode("utf-8"), "note.txt", kind="text"))
    assert article.text.splitlines() == [PARAGRAPH, "请各单位相互转告。"]


@needs_wild
@needs_corpus
def test_no_real_input_keeps_a_private_use_character() -> None:
    for root in (CORPUS / "pages", WILD / "pages"):
        for raw in iter_inputs([str(root)]):
            if isinstance(raw, RawInput):
                article = extract(raw)
                assert not PRIVATE.search((article.title or "") + article.text), raw.origin


@needs_wild
def test_sogou_paragraph_marks_become_paragraphs() -> None:
    path = WILD / "pages" / "news-sogoucs-utf8" / "b279b4726fd2f0ea-34913306c0bb3300.txt"
    article = extract(RawInput(path.read_bytes(), str(path)))
    assert article.text.splitlines()[:2] == [
        "一、受助孤儿选择标准",
        "孤儿助养项目资助对象为初中小学在校学生，且需符合以下条件之一：",
    ]

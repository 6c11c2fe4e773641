"""Scrapers' text formats: the recorded fields come off the body, UI residue goes, the article stays."""

from __future__ import annotations

from pathlib import Path

from bulletin.dumps import iter_records, looks_like_records, markdown_to_text, peel, trim_interface
from tests.shared_data import WILD, needs_wild

WECHAT_TAIL = [
    "预览时标签不可点",
    "微信扫一扫",
    "关注该公众号",
    "继续滑动看下一个",
    "轻触阅读原文",
    "知道了",
    "，",
    "。",
    "视频",
    "小程序",
    "赞",
    "，轻点两下取消赞",
    "在看",
    "分享",
    "留言",
    "收藏",
]


def test_front_matter_is_metadata_not_body() -> None:
    text = "---\ntitle: 关于开展防溺水教育的通知\ndate: 2024-06-01\nsource: 教育局\nurl: https://e.gov.cn/a\n---\n\n正文第一段。"
    fields = peel(text)
    assert (fields.title, fields.date, fields.source, fields.url) == (
        "关于开展防溺水教育的通知",
        "2024-06-01",
        "教育局",
        "https://e.gov.cn/a",
    )
    assert fields.body.strip() == "正文第一段。"


def test_a_markdown_horizontal_rule_is_not_front_matter() -> None:
    text = "---\n这是一段正文，不是字段。\n---\n"
    assert peel(text).body == text


def test_header_lines_are_fields_and_content_starts_the_body() -> None:
    text = "标题：关于春季开学的通知\n来源：区教委\n发布时间：2023-02-01\n正文：各学校：\n现通知如下。"
    fields = peel(text)
    assert (fields.title, fields.source, fields.date) == ("关于春季开学的通知", "区教委", "2023-02-01")
    assert fields.body.splitlines() == ["各学校：", "现通知如下。"]


def test_one_label_line_in_a_body_is_not_a_header() -> None:
    text = "时间：上午九点\n请各位准时参加会议。"
    assert peel(text).body == text


def test_an_organisation_filed_as_author_is_the_source() -> None:
    fields = peel("title: 答问\nauthor: 国务院新闻办公室网站\ncontent:\n问：……")
    assert (fields.source, fields.author) == ("国务院新闻办公室网站", None)
    assert peel("title: 评论\nauthor: 张三\ncontent:\n正文。").author == "张三"


def test_markdown_keeps_link_text_and_drops_images_targets_and_marks() -> None:
    md = (
        "# 标题\n\n![封面](https://img/x.png)\n\n**背景**\n\n详见[通知原文](https://a.cn/b?c=1)与*附件*。\n\n"
        "> 引用一句\n\n- 第一项\n"
    )
    assert markdown_to_text(md).split() == ["标题", "背景", "详见通知原文与附件。", "引用一句", "第一项"]


def test_numbered_items_keep_their_numbers_and_bullets_go() -> None:
    md = "工作要求如下：\n\n1. 加强安全管理\n2) 落实值班制度\n\n- 附件一\n* 附件二\n"
    assert markdown_to_text(md).splitlines() == [
        "工作要求如下：",
        "",
        "1. 加强安全管理",
        "2) 落实值班制度",
        "",
        "附件一",
        "附件二",
    ]


def test_a_link_wrapped_over_lines_keeps_its_text_only() -> None:
    assert markdown_to_text("见[\n有关\n规定](https://a.cn/\nx)。").replace("\n", "") == "见有关 规定。"


def test_wechat_interface_tail_is_cut_and_the_article_stays() -> None:
    article = ["今年全区共开展防溺水专题教育三百余场。", "撰稿：石珊"]
    assert trim_interface(article + WECHAT_TAIL) == article


def test_short_closing_lines_without_interface_words_stay() -> None:
    lines = ["会议要求各单位认真落实。", "区教委办公室", "2023年5月1日"]
    assert trim_interface(lines) == lines


def test_pagination_and_share_bars_are_interface() -> None:
    lines = ["全文完。", "首页 | 上一页 1 下一页 | 尾页", "分享到：", "微博 微信 QQ空间"]
    assert trim_interface(lines) == ["全文完。"]


def test_sogou_records_are_one_article_each_with_no_tags_left() -> None:
    text = (
        "<doc>\n<url>http://a.cn/1</url>\n<docno>1</docno>\n<contenttitle>标题一</contenttitle>\n"
        "<content>正文一&amp;更多</content>\n</doc>\n<doc>\n<url>http://a.cn/2</url>\n"
        "<contenttitle>标题二</contenttitle>\n<content>正文二</content>\n</doc>\n"
    )
    assert looks_like_records(text)
    records = list(iter_records(text))
    assert [(r.fields["title"], r.fields["text"], r.fields["url"]) for r in records] == [
        ("标题一", "正文一&更多", "http://a.cn/1"),
        ("标题二", "正文二", "http://a.cn/2"),
    ]


@needs_wild
def test_real_wechat_dumps_lose_front_matter_and_interface() -> None:
    for path in sorted((WILD / "pages" / "wechat-dumps-picker").glob("*.md")):
        fields = peel(path.read_text(encoding="utf-8"))
        assert fields.title and fields.date and fields.url, path.name
        text = markdown_to_text(fields.body)
        body = "\n".join(trim_interface([ln.strip() for ln in text.splitlines() if ln.strip()]))
        for residue in ("预览时标签不可点", "微信扫一扫", "轻点两下取消", "继续滑动看下一个", "](http", "!["):
            assert residue not in body, (path.name, residue)


@needs_wild
def test_real_spider_exports_give_title_url_and_source() -> None:
    for path in sorted((WILD / "pages" / "gov-mofa-presser-scio").glob("*.txt")):
        fields = peel(path.read_bytes().decode("utf-8", "replace"))
        assert fields.title and fields.url and fields.source == "国务院新闻办公室网站", path.name
        assert not fields.body.lstrip().startswith(("title:", "url:", "author:", "content:")), path.name


def _first_record(path: Path) -> dict[str, str]:
    return next(iter_records(path.read_text(encoding="utf-8"))).fields


@needs_wild
def test_real_sogou_records_map_title_text_and_url() -> None:
    for path in sorted((WILD / "pages" / "news-sogoucs-utf8").glob("*.txt")):
        fields = _first_record(path)
        assert fields.get("url", "").startswith("http"), path.name
        assert "<" not in fields.get("title", "") + fields.get("text", ""), path.name

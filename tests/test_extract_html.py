"""HTML extraction on real dev pages (keep/drop by name) and on hostile input."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin.errors import InputError
from bulletin.extract import extract
from bulletin.readers import RawInput

from .shared_data import CORPUS, needs_corpus

NOW = datetime(2025, 1, 1)


def _page(page_id: str) -> object:
    path = CORPUS / "pages" / f"{page_id}.html"
    return extract(RawInput(path.read_bytes(), str(path)), now=NOW)


# (page, kept string, dropped string): each names what a reader would miss or be annoyed by.
KEEP_DROP = [
    # WeChat hides the article until a script reveals it; share prompts around it are furniture.
    ("zh-mh-7e99760d09", "在第95个“八一”建军节来临之际", "微信扫一扫"),
    # A blog post: the post stays, the comment thread under "评论" goes.
    ("zh-ceds-54e89e4e", "希望以后和各位多多交流。", "呵呵，又来了一位大哥啊"),
    # Portal article: breadcrumb, info bar and related links go.
    ("zh-ceds-9890f458", "推动云南工业高质量发展", "首页 > 要闻云南 > 正文"),
    ("zh-ceds-9890f458", "加速向智能制造、绿色制造、高端制造方向转型升级", "发布时间：2022-02-13"),
    ("zh-mh-45fcfa7d67", "“心成长”青少年心理健康服务项目在北京市青年宫正式启动", "责编"),
    ("zh-ceds-f70d9c97", "中央军委主席习近平日前签署命令", "来源：央广网"),
    ("en-traf-nature-com-telescope", "FAST", "Sign up for the Nature Briefing"),
    # The article's paragraphs sit loose in a layout cell beside link lists and ads; the site's
    # copyright notice below is prose too, but the paragraphs are the article.
    ("zh-ceds-2bac7fb2", "像许多日本女性一样，顺子一直等到30岁出头才结婚", "雅虎中国著作权声明"),
    ("zh-ceds-2bac7fb2", "夫妻关系变成室友", "第1页/共1页"),
    # A blog front page lists several posts: the first is the article, the next posts are not.
    ("zh-ceds-59562291", "湘菜粤菜兵分两路，新鲜的是", "我真的累了"),
    # A forum thread: the opening post stays, the replies under it go.
    ("zh-ceds-d519ec93", "我以往是一个最最最反感反日愤青的人", "楼主有病"),
    # The newspaper's anti-piracy notice after the article; the byline line leaves the body.
    ("zh-ceds-3e1af229", "土豆，听名字就“土”得掉渣", "反侵权公告"),
    ("zh-ceds-3e1af229", "在西海固，土豆是“丰年菜、荒年粮”", "光明日报记者"),
    # A results table inside the article stays, one row per line; the site's menu goes.
    ("en-aeb-11ea381ad9", "1 Kyle Busch 5040 5 1 17 27", "Siga @adautoracing"),
    # The platform's English disclaimer under a reposted article.
    ("zh-mh-fd0a94a0e3", "苹果", "Notice: The content above"),
    ("zh-mh-14b709df54", "李强", "字体"),
]


@needs_corpus
@pytest.mark.parametrize(("page_id", "kept", "dropped"), KEEP_DROP)
def test_keep_and_drop(page_id: str, kept: str, dropped: str) -> None:
    text = _page(page_id).text  # type: ignore[attr-defined]
    assert kept in text
    assert dropped not in text


def _truth_checks() -> list[tuple[str, str, bool]]:
    checks: list[tuple[str, str, bool]] = []
    if not (CORPUS / "truth").exists():
        return checks
    for path in sorted((CORPUS / "truth").glob("zh-traf-*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        checks += [(path.stem, s, True) for s in truth.get("text_must_contain") or []]
        checks += [(path.stem, s, False) for s in truth.get("text_must_not_contain") or []]
    return checks


@needs_corpus
@pytest.mark.parametrize(("page_id", "needle", "present"), _truth_checks())
def test_corpus_must_contain_checks(page_id: str, needle: str, present: bool) -> None:
    text = _page(page_id).text.replace(" ", "")  # type: ignore[attr-defined]
    assert (needle.replace(" ", "") in text) is present


@needs_corpus
def test_metadata_of_a_gb2312_news_page() -> None:
    article = _page("zh-ceds-f70d9c97")
    assert article.title == "中央军委主席习近平签署命令 发布《军队装备试验鉴定规定》"  # type: ignore[attr-defined]
    assert article.date == "2022-02-13T07:00"  # type: ignore[attr-defined]
    assert article.source == "央广网"  # type: ignore[attr-defined]
    assert "李楠" in [c.name for c in article.credits]  # type: ignore[attr-defined]
    assert article.extra["encoding"] == "gb18030"  # type: ignore[attr-defined]


# (page, field, expected): metadata a reader sees on the page, each from a different template.
METADATA = [
    # <title> is the editor's default "显示": the bold first line of the article is the headline.
    ("zh-ceds-fddcb19c", "title", "路是人走出来的(下)"),
    # Headlines may ask a question.
    ("zh-mh-83bd4dfc1e", "title", "徒手抓子弹真的存在吗？"),
    # A forum labels the headline "主题：" and its <title> is "CCTV.com- 央视论坛 :: null".
    ("zh-ceds-a6e8b739", "title", "你知道导游为什么那么热衷于让你去各种各样的商场购物吗？"),
    # The info bar sits under the headline, twenty lines of "related news" above the text.
    ("zh-ceds-ebe9df29", "date", "2004-10-21T14:18"),
    # The date line under the headline links the publisher's home page.
    ("zh-ceds-6820ebe7", "date", "2005-07-18T13:03"),
    # No date but the citation closing the essay: ——《北京之春》1996年3月号.
    ("zh-ceds-fddcb19c", "date", "1996-03"),
    # A forum post's info bar follows the post: 发布时间 2005/03/15 22:36:13 by duscha.
    ("zh-ceds-d519ec93", "date", "2005-03-15T22:36"),
]
# (page, name): authors printed without the usual role in front of them.
AUTHORS = [
    ("zh-ceds-0d931936", "尹娟"),  # 来源: 尹娟 — a person where the publisher usually goes
    ("zh-ceds-3e1af229", "张文攀"),  # 光明日报记者 王建宏 张文攀, a line of its own
    ("zh-ceds-59562291", "海姑娘"),  # blog: <title>海姑娘 | blog.wenxuecity.com
    ("zh-ceds-54e89e4e", "李建忠"),  # blog: Copyright © 李建忠
    ("zh-ceds-35687fb1", "太小心"),  # blog: sidebar headings [太小心]个人类别, [太小心]存档目录
    ("zh-ceds-6820ebe7", "杨志华"),  # 作者：宋怡 杨志华 under the article, after 编辑/来源
    ("zh-ceds-d519ec93", "duscha"),  # forum: … by duscha
    ("zh-ceds-064b591b", "zboygirl"),  # blog footer: 作者:zboygirl 阅读(1660) 评论(5) …
]


@needs_corpus
@pytest.mark.parametrize(("page_id", "field", "expected"), METADATA)
def test_metadata_on_dev_pages(page_id: str, field: str, expected: str) -> None:
    assert getattr(_page(page_id), field) == expected


@needs_corpus
@pytest.mark.parametrize(("page_id", "name"), AUTHORS)
def test_role_less_authors_on_dev_pages(page_id: str, name: str) -> None:
    article = _page(page_id)
    assert name in article.authors  # type: ignore[attr-defined]


@needs_corpus
def test_buttons_and_datelines_are_not_authors() -> None:
    article = _page("zh-mh-fd0a94a0e3")
    assert "举报" not in article.authors  # type: ignore[attr-defined]
    assert "记者惠禾" not in _page("zh-ceds-064b591b").authors  # type: ignore[attr-defined]


@needs_corpus
def test_every_dev_page_extracts_with_a_body_and_no_title_in_front() -> None:
    for path in sorted((CORPUS / "pages").glob("*.html")):
        article = extract(RawInput(path.read_bytes(), str(path)), now=NOW)
        assert article.text, path.name
        assert article.sha256 and article.id == article.sha256[:12]
        if article.title:
            assert article.text.splitlines()[0].replace(" ", "") != article.title.replace(" ", ""), path.name
        assert "\n\n" not in article.text


def test_synthetic_page_drops_furniture_and_keeps_article() -> None:
    para = "潼南区召开2023年开学暨“五心强校”党建工作推进会，会议总结了过去一年的工作。"
    page = f"""<html><head><title>推进会召开_潼南区教育委员会</title></head><body>
    <div class="nav"><a href="/">首页</a> <a href="/a">教育新闻</a> <a href="/b">通知公告</a></div>
    <div class="location">当前位置：<a href="/">首页</a> &gt; 教育新闻</div>
    <h1>推进会召开</h1>
    <div class="info">发布时间：2023-02-02 来源：潼南区教委 浏览次数：123 【字体：大 中 小】</div>
    <div class="content"><p>{para}</p><p>会议指出</p><p>{para}</p><ul><li>{para}</li></ul>
    <p>撰稿：石 珊　编辑：夏长春</p></div>
    <div class="share">分享到：<a>微信</a><a>微博</a></div>
    <div>上一篇：<a href="/x">某某会议召开</a></div>
    <div class="footer">版权所有：潼南区教育委员会 渝ICP备12345678号 技术支持：某公司</div>
    <script>var x = "不应出现的脚本文字";</script>
    </body></html>"""
    article = extract(
        RawInput(page.encode("utf-8"), "p.html", url="http://www.cqtn.gov.cn/a/1.html"), now=NOW
    )
    assert article.title == "推进会召开"
    assert article.date == "2023-02-02"
    assert article.source == "潼南区教委"
    assert article.site == "cqtn.gov.cn"
    assert article.authors == ("石珊",)
    lines = article.text.splitlines()
    assert lines[0] == para and "会议指出" in lines
    for junk in ("首页", "当前位置", "浏览次数", "分享到", "上一篇", "版权所有", "ICP", "脚本", "撰稿"):
        assert junk not in article.text


def test_hints_fill_what_the_page_lacks() -> None:
    raw = RawInput(
        b"<p>" + "正文内容很长。".encode() * 20 + b"</p>",
        "p.html",
        kind="html",
        hints={"title": "提示标题", "date": "2023-02-02", "source": "某报", "url": "https://ex.com/a"},
    )
    article = extract(raw, now=NOW)
    assert (article.title, article.date, article.source, article.url) == (
        "提示标题",
        "2023-02-02",
        "某报",
        "https://ex.com/a",
    )


def test_kind_sniffed_when_unknown() -> None:
    article = extract(RawInput("<html><body><p>正文内容。</p></body></html>".encode(), "<stdin>"), now=NOW)
    assert article.text == "正文内容。"


@pytest.mark.parametrize(
    "data",
    [
        b"<div>" * 100_000 + "深层文字。".encode() + b"</div>" * 100_000,
        b"<p>" + b"x" * 10_000_000 + b"</p>",
        b"<html><body>" + "正文。".encode() * 10 + b"\x00" * 3 + b"</body></html>",
        b"<html><body></body></html>",
        b"<<<>>><!--",
    ],
    ids=["deep-nesting", "10MB-line", "a-few-NULs", "empty-body", "junk"],
)
def test_hostile_inputs_give_article_or_input_error(data: bytes) -> None:
    try:
        article = extract(RawInput(data, "evil.html"), now=NOW)
    except InputError as exc:
        assert exc.origin == "evil.html"
    else:
        assert isinstance(article.text, str)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_fuzz_only_input_error(data: bytes) -> None:
    with contextlib.suppress(InputError):
        extract(RawInput(data, "fuzz"), now=NOW)

"""Credits and sources name people and organisations, never the page's furniture."""

from __future__ import annotations

from bulletin.extract import extract
from bulletin.extract.plausible import credit_name, source_name
from bulletin.readers import RawInput
from tests.shared_data import WILD, needs_wild


def test_furniture_placeholders_and_markup_are_not_names() -> None:
    for word in ("微信", "原创", "视频", "收藏本文", "网络整理", "未知", "name", 'size="20"', "活动现场"):
        assert credit_name(word) is None, word


def test_people_organisations_and_pen_names_stay() -> None:
    for name in ("石珊", "欧阳修", "新华社", "叨叨姐", "Emily Burack"):
        assert credit_name(name) == name


def test_a_contributor_credit_keeps_the_name_only() -> None:
    assert credit_name("王金茹对此文亦有贡献") == "王金茹"


def test_buttons_glued_to_a_source_are_dropped() -> None:
    assert source_name("证券市场红周刊 举报") == "证券市场红周刊"
    assert source_name("网络") is None


def test_a_share_bar_in_an_article_credits_nobody() -> None:
    page = (
        "<html><head><title>关于做好防汛工作的通知</title></head><body><h1>关于做好防汛工作的通知</h1>"
        "<p>作者：微信</p><p>各单位要切实做好今年的防汛工作，确保人民群众生命财产安全。"
        "</p><p>会议强调，要压实责任，加强值守。</p></body></html>"
    )
    article = extract(RawInput(page.encode(), "notice.html"))
    assert article.authors == ()


@needs_wild
def test_real_portal_pages_credit_no_furniture() -> None:
    furniture = {"易信", "网易", "微信", "原创", "视频", "收藏本文", "网络整理", "整合", "未知", "name"}
    for path in sorted((WILD / "pages" / "html-gne").glob("*.html")):
        article = extract(RawInput(path.read_bytes(), str(path)))
        assert not furniture & set(article.authors), (path.name, article.authors)
        assert not (article.source or "").endswith("举报"), path.name

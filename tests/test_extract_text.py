"""Plain-text dumps: the seed bulletin extracts cleanly and every rule-table pattern does its job."""

from __future__ import annotations

from datetime import datetime

import pytest

from bulletin.extract import extract
from bulletin.extract.lines import clean_lines
from bulletin.extract.rules import RULES, Action, match
from bulletin.models import Credit
from bulletin.readers import RawInput

from .shared_data import SEED

NOW = datetime(2025, 1, 1)


def _text(body: str) -> RawInput:
    return RawInput(data=body.encode("utf-8"), origin="test.txt", kind="text")


@pytest.fixture(scope="module")
def seed() -> object:
    if not SEED.exists():
        pytest.skip("../shared/seed is not beside the repo")
    return extract(RawInput(SEED.read_bytes(), str(SEED), kind="text"), now=NOW)


@pytest.mark.parametrize("boilerplate", ["展开全文", "评论列表", "关注教育新动态", "标签", "撰稿", "审核:"])
def test_seed_drops_boilerplate(seed: object, boilerplate: str) -> None:
    assert boilerplate not in seed.text  # type: ignore[attr-defined]


@pytest.mark.parametrize("heading", ["何礼兵要求", "会议指出", "会议强调"])
def test_seed_keeps_section_headings(seed: object, heading: str) -> None:
    assert heading in seed.text.splitlines()  # type: ignore[attr-defined]


def test_seed_credits_and_metadata(seed: object) -> None:
    article = seed  # type: ignore[assignment]
    assert set(article.credits) >= {Credit("撰稿", "石珊"), Credit("编辑", "夏长春"), Credit("审核", "李毅")}
    assert article.authors == ("石珊",)
    assert article.date == "2023-02-02"  # 2月2日 completed with the year the text names
    assert article.title is None  # the first line is a paragraph, never a title
    assert article.lang == "zh"
    assert article.text.startswith("2月2日,潼南区召开")
    assert article.text.endswith("公民办校园长参加会议。")
    assert "" not in article.text.split("\n")


def test_title_line_taken_only_when_it_looks_like_a_title() -> None:
    article = extract(_text("潼南区召开教育工作会\n2023年2月2日,会议召开。会议指出,要办好教育。\n"), now=NOW)
    assert article.title == "潼南区召开教育工作会"
    assert not article.text.startswith("潼南区召开教育工作会")


# One example line per rule: (line, rule name). Every rule in the table must appear here.
RULE_EXAMPLES = [
    ("展开全文", "expand"),
    ("点击查看原文", "click-more"),
    ("查看更多", "open-more"),
    ("评论列表", "comments"),
    ("相关文章", "related"),
    ("反侵权公告：", "notice"),
    ("雅虎中国著作权声明", "notice"),
    ("Leave a comment", "en-comments"),
    ("关注教育新动态", "follow"),
    ("微信扫一扫", "scan"),
    ("分享到：微信 微博 QQ空间", "share"),
    ("Share this: Facebook Twitter Email", "share-en"),
    ("Advertisement", "advert-en"),
    ("Sign up for our free newsletter", "newsletter-en"),
    ("Photo: Jane Doe/Getty Images", "photo-credit-en"),
    ("Updated 2 hours ago", "relative-time-en"),
    ("Read more: Council budget approved", "read-more-en"),
    ("标签: #重庆潼南区潼南旅游债权项目", "tags"),
    ("当前位置：首页 > 新闻中心", "breadcrumb"),
    ("首页 > 要闻 > 正文", "crumb-path"),
    ("【字体：大 中 小】", "font-size"),
    ("字体： 小 中 大", "font-size"),
    ("发布时间：2023-02-02 浏览次数：1024", "views"),
    ("【打印本页】【关闭窗口】", "print-close"),
    ("← 返回", "print-close"),
    ("上一篇：潼南区召开安全工作会", "prev-next"),
    ("第1页/共1页 << 上一页 | 下一页 >>", "pager"),
    ("返回搜狐，查看更多", "sohu-back"),
    ("举报/反馈", "report"),
    ("免责声明：本文仅代表作者本人观点", "disclaimer"),
    (
        "Notice: The content above (including the pictures and videos if any) is uploaded and posted by "
        "a user of NetEase Hao, which is a social media platform and only provides information storage "
        "services.",
        "en-disclaimer",
    ),
    ("版权所有：潼南区教育委员会", "copyright"),
    ("渝ICP备12345678号", "icp"),
    ("技术支持：某某网络公司", "tech-support"),
    ("来源：潼南区教委", "source"),
    ("责任编辑：夏长春", "editor"),
]


def test_every_rule_has_an_example() -> None:
    assert {name for _, name in RULE_EXAMPLES} == {rule.name for rule in RULES}


@pytest.mark.parametrize(("line", "name"), RULE_EXAMPLES)
def test_rule_matches_its_example(line: str, name: str) -> None:
    rule = match(line)
    assert rule is not None and rule.name == name


@pytest.mark.parametrize(
    "sentence",
    [
        "会议指出",
        "会议强调",
        "何礼兵要求",
        "关注青少年心理健康“心成长”服务项目启动，各校积极参与。",
        "美国唱片工会表示：“播客在使用其它音乐时，一定要获得版权所有者或制作人的许可。”",
        "该视频阅读量超过1亿次，评论列表里满是点赞。",
        "法院认为，被告未经许可转载原告作品，侵犯了原告的著作权。",
        "全书共12页，图文并茂。",
    ],
)
def test_rules_leave_article_sentences_alone(sentence: str) -> None:
    assert match(sentence) is None


def test_end_rule_cuts_the_rest_only_after_article_text() -> None:
    body = ["正文第一段，内容很长。" * 20, "评论列表", "网友甲：说得好。"]
    assert clean_lines(body).lines == [body[0]]
    # At the very top, the same heading belongs to a sidebar: drop the line, keep the article.
    top = ["相关文章", "正文第一段，内容很长。" * 20]
    assert clean_lines(top).lines == [top[1]]


def test_end_rules_are_few_and_documented() -> None:
    for rule in RULES:
        assert rule.why
    assert {r.name for r in RULES if r.action is Action.END} == {
        "comments",
        "related",
        "notice",
        "en-comments",
    }


def test_credit_lines_leave_the_body_with_roles() -> None:
    cleaned = clean_lines(["正文。", "撰稿：石 珊　编辑：夏长春", "（责编：萧潇、张妍）"])
    assert cleaned.lines == ["正文。"]
    assert cleaned.credits == [
        Credit("撰稿", "石珊"),
        Credit("编辑", "夏长春"),
        Credit("责编", "萧潇"),
        Credit("责编", "张妍"),
    ]


def test_source_line_moves_into_metadata() -> None:
    article = extract(_text("会议召开，内容充实。\n来源：潼南区教委\n"), now=NOW)
    assert article.source == "潼南区教委"
    assert "来源" not in article.text

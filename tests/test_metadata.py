"""Credits, names, titles, language and site from metadata.py."""

from __future__ import annotations

import pytest

from bulletin.extract import credits as metadata
from bulletin.models import Credit


@pytest.mark.parametrize(
    ("line", "credits"),
    [
        ("撰稿：石 珊　编辑：夏长春", [Credit("撰稿", "石珊"), Credit("编辑", "夏长春")]),
        ("撰稿:石 珊", [Credit("撰稿", "石珊")]),
        ("作者：宋怡 杨志华", [Credit("作者", "宋怡"), Credit("作者", "杨志华")]),
        (
            "记者：王建宏、张文攀 摄影：李 毅",
            [Credit("记者", "王建宏"), Credit("记者", "张文攀"), Credit("摄影", "李毅")],
        ),
        ("责任编辑：刘林源", [Credit("责任编辑", "刘林源")]),
        ("文/栗思", [Credit("文", "栗思")]),
        ("【编辑:刘欢】", [Credit("编辑", "刘欢")]),
        ("审校：张三/李四", [Credit("审校", "张三"), Credit("审校", "李四")]),
    ],
)
def test_credit_lines(line: str, credits: list[Credit]) -> None:
    parsed = metadata.parse_credit_line(line)
    assert parsed is not None
    assert parsed[0] == credits


@pytest.mark.parametrize("line", ["作者认为，教育是根本。", "编辑部的故事很长，我们一起读。", "会议指出"])
def test_sentences_are_not_credit_lines(line: str) -> None:
    parsed = metadata.parse_credit_line(line)
    assert parsed is None or parsed == ([], "")


def test_inline_bylines_leave_the_paragraph() -> None:
    credits, rest = metadata.inline_credits("推动云南工业高质量发展。（记者 胡晓蓉）")
    assert credits == [Credit("记者", "胡晓蓉")]
    assert rest == "推动云南工业高质量发展。"


def test_lead_byline() -> None:
    assert metadata.lead_byline("新京报记者 彭冲 山东冠县报道") == [Credit("记者", "彭冲")]
    # A line that is only a byline names every reporter on it.
    assert metadata.lead_byline("光明日报记者 王建宏 张文攀") == [
        Credit("记者", "王建宏"),
        Credit("记者", "张文攀"),
    ]


def test_glued_role_leaves_each_name() -> None:
    credits, _ = metadata.inline_credits("本报讯 （实习记者 樊亮 张明超 记者惠禾）13岁，正是花季的年龄。")
    assert [c.name for c in credits] == ["樊亮", "张明超", "惠禾"]


@pytest.mark.parametrize(
    ("value", "person"),
    [
        ("尹娟", True),
        ("欧阳修", True),
        ("新华网", False),
        ("江西日报", False),
        ("教育局", False),
        ("转载文章", False),
    ],
)
def test_looks_like_person(value: str, person: bool) -> None:
    assert metadata.looks_like_person(value) is person


def test_info_bar_value_stops_at_counters() -> None:
    credits, _ = metadata.info_pairs("作者:zboygirl 阅读(1660) 评论(5) 编辑 发表于:2005-07-31 12:30")
    assert credits == [Credit("作者", "zboygirl")]


def test_header_byline_handles_and_buttons() -> None:
    assert metadata.header_byline("〓 明星话题 发布时间 2005/03/15 22:36:13 by duscha 〓", has_date=True) == [
        "duscha"
    ]
    assert metadata.header_byline("赵延东、风笑天", has_date=False) == ["赵延东", "风笑天"]
    assert metadata.header_byline("北京 举报", has_date=False) == []  # a dateline and a button
    assert metadata.header_byline("无聊", has_date=False, strict=True) == []  # a reply's title


def test_authors_come_from_author_roles_only() -> None:
    credits = [
        Credit("撰稿", "石珊"),
        Credit("编辑", "夏长春"),
        Credit("记者", "胡晓蓉"),
        Credit("审核", "李毅"),
    ]
    assert metadata.authors_from(credits) == ("石珊", "胡晓蓉")


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("潼南区召开2023年开学工作会_潼南区教育委员会", "潼南区召开2023年开学工作会"),
        ("中法经贸合作广度深度不断拓展 - 新华网", "中法经贸合作广度深度不断拓展"),
        ("美联储维持利率不变|财经频道", "美联储维持利率不变"),
        ("2023-2024学年工作要点", "2023-2024学年工作要点"),
    ],
)
def test_site_suffix_removed(raw: str, title: str) -> None:
    assert metadata.strip_site_suffix(raw) == title


def test_looks_like_title() -> None:
    assert metadata.looks_like_title("潼南区召开教育工作会")
    assert not metadata.looks_like_title("2月2日,潼南区召开推进会。区委常委出席会议。")


def test_lang_and_site() -> None:
    assert metadata.detect_lang("潼南区召开教育工作会议") == "zh"
    assert metadata.detect_lang("The telescope opens to astronomers worldwide") == "en"
    assert metadata.site_of("http://www.cqtn.gov.cn/a/1.html") == "cqtn.gov.cn"
    assert metadata.site_of(None) is None


def test_source_value_trimmed() -> None:
    assert metadata.parse_source("新华网  2023-02-02 09:15") == "新华网"


def test_tags_split() -> None:
    assert metadata.parse_tags("#教育 #潼南、开学") == ["教育", "潼南", "开学"]

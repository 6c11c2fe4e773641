"""A text dump's info bar (the line of date, source and counters under the headline), read through extract."""

from __future__ import annotations

from datetime import datetime

import pytest

from bulletin.extract import extract
from bulletin.readers import RawInput

BODY = "区教委召开全区教育工作会议，部署2023年重点工作。会议要求各校认真落实安全责任。\n" * 3


def _article(info: str) -> tuple[str | None, str | None, str]:
    data = f"关于开展安全检查的通知\n{info}\n{BODY}".encode()
    article = extract(RawInput(origin="notice.txt", data=data, kind="text"), now=datetime(2024, 1, 1))
    return article.date, article.source, article.text


@pytest.mark.parametrize(
    "info",
    ["发布日期:2023-03-01 浏览次数:123", "发布日期：2023.03.01　　阅读次数：56", "时间:2023-03-01 点击数:9"],
)
def test_the_date_on_a_bar_with_counters_is_the_date_and_the_bar_leaves_the_body(info: str) -> None:
    date, _source, text = _article(info)
    assert date == "2023-03-01"
    assert "次数" not in text and "点击" not in text


def test_a_source_ends_at_the_bar_that_follows_it() -> None:
    _date, source, _text = _article("信息来源：区教委 | 发布日期：2023-03-01")
    assert source == "区教委"


@pytest.mark.parametrize(
    ("info", "source"),
    [
        ("稿源：潼南日报  编辑：王强", "潼南日报"),
        ("发布机构：潼南区教育委员会", "潼南区教育委员会"),
        ("【来源：潼南区教委】", "潼南区教委"),
    ],
)
def test_every_label_for_the_publisher_gives_the_source_and_leaves_the_body(info: str, source: str) -> None:
    _date, found, text = _article(info)
    assert found == source
    assert source not in text.splitlines()[0]


def test_the_labelled_publication_date_wins_over_an_update_date_on_the_same_bar() -> None:
    date, _source, _text = _article("更新时间：2023-03-02 发布时间：2023-03-01")
    assert date == "2023-03-01"

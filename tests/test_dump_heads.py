"""The head of a copied page saved as text: masthead and breadcrumbs above the headline are not it."""

from __future__ import annotations

from datetime import datetime

import pytest

from bulletin.extract import extract
from bulletin.readers import RawInput

BODY = "区教委召开全区教育工作会议，部署2023年重点工作。会议要求各校认真落实安全责任。\n" * 3
TITLE = "关于开展校园安全检查的通知"


def _article(head: str) -> tuple[str | None, str]:
    data = f"{head}\n{BODY}".encode()
    article = extract(RawInput(origin="page.txt", data=data, kind="text"), now=datetime(2024, 1, 1))
    return article.title, article.text


@pytest.mark.parametrize(
    "head",
    [
        f"潼南区人民政府\n{TITLE}\n发布时间：2023-03-01",
        f"首页 > 通知公告 > 正文\n{TITLE}\n2023-03-01",
        f"当前位置：首页 > 通知公告\n{TITLE}",
        f"潼南网\n当前位置：首页 > 通知公告\n{TITLE}",
    ],
)
def test_the_headline_under_a_masthead_or_breadcrumbs_is_the_title(head: str) -> None:
    title, text = _article(head)
    assert title == TITLE
    assert text.startswith("区教委召开")


def test_a_headline_that_reads_like_a_masthead_is_still_the_title() -> None:
    title, text = _article("全国建成光纤宽带网\n区教委召开全区教育工作会议，部署重点工作。")
    assert title == "全国建成光纤宽带网" and text.startswith("区教委召开")

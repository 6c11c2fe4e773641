"""Date finding: formats, precision, year-less completion and never after `now`."""

from __future__ import annotations

from datetime import datetime

import pytest

from bulletin.extract import dates, extract
from bulletin.readers import RawInput

NOW = datetime(2024, 6, 1, 12, 0)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("发布时间：2023年2月2日", "2023-02-02"),
        ("2023-2-2", "2023-02-02"),
        ("2023.02.02", "2023-02-02"),
        ("2023/02/02 09:15", "2023-02-02T09:15"),
        ("2023-02-02T09:15:00+08:00", "2023-02-02T09:15"),
        ("二〇二三年二月二日", "2023-02-02"),
        ("二〇二三年十二月二十一日", "2023-12-21"),
        ("2023年2月", "2023-02"),
        ("February 2, 2023", "2023-02-02"),
        ("9/17/2004 5:54:13 AM", "2004-09-17T05:54"),
        ("7/5/2005 9:23:57 PM", "2005-05-07T21:23"),
    ],
)
def test_formats(text: str, iso: str) -> None:
    found = dates.first_date(text, NOW)
    assert found is not None and found.iso() == iso


def test_year_only_is_not_padded() -> None:
    assert dates.PartialDate(2023).iso() == "2023"


def test_yearless_needs_a_year() -> None:
    assert dates.first_date("2月2日召开", NOW) is None
    found = dates.first_date("2月2日召开", NOW, default_year=2023)
    assert found is not None and found.iso() == "2023-02-02"


def test_never_after_now() -> None:
    assert dates.first_date("2030年1月1日", NOW) is None
    found = dates.first_date("2030年1月1日 2023年5月4日", NOW)
    assert found is not None and found.iso() == "2023-05-04"


def test_invalid_dates_rejected() -> None:
    assert dates.first_date("2023-02-30", NOW) is None
    assert dates.first_date("编号 1234-56-78", NOW) is None


def test_meta_published_time_used() -> None:
    page = (
        '<html><head><meta property="article:published_time" content="2023-02-02T09:15:00+08:00">'
        "<title>t</title></head><body><h1>标题</h1><p>" + "正文内容，很长。" * 30 + "</p></body></html>"
    )
    article = extract(RawInput(page.encode(), "p.html", kind="html"), now=NOW)
    assert article.date == "2023-02-02T09:15"


def test_info_line_preferred_over_body_dates() -> None:
    page = (
        "<html><body><h1>潼南区召开教育工作会</h1><div>发布时间：2023-02-03 来源：潼南区教委</div>"
        "<div><p>" + "会议回顾了2019年3月4日以来的工作，内容很长。" * 10 + "</p></div></body></html>"
    )
    article = extract(RawInput(page.encode(), "p.html", kind="html"), now=NOW)
    assert article.date == "2023-02-03"
    assert article.source == "潼南区教委"


@pytest.mark.parametrize(
    ("iso", "key"),
    [
        ("2023-02-02T09:15", 9 * 3600 + 15 * 60 + 1),
        ("2023-02-02T17:30:05", 17 * 3600 + 30 * 60 + 5 + 1),
        ("2023-02-02 00:00", 1),  # midnight is a time, not "no time"
        ("2023-02-02", 0),
        ("2023-02", 0),
        (None, 0),
        ("2023-02-02T25:00", 0),
    ],
)
def test_time_keys_order_one_day(iso: str | None, key: int) -> None:
    from bulletin.datekeys import time_key

    assert time_key(iso) == key

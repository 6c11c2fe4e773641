"""Find publication dates in Chinese and English text and render them as ISO 8601 at known precision."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

# Pages older than the web are scans or typos; such "dates" are usually numbers in the text.
MIN_YEAR = 1980

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_TIME = (
    r"(?:\s*(?:T|\s)?\s*(?P<hour>[01]?\d|2[0-3])\s*[:：时]\s*(?P<minute>[0-5]\d)(?:\s*[:：分]\s*[0-5]\d)?)?"
)
_PATTERNS = (
    # 2023年2月2日 09:15, 2023 年 02 月 02 日
    (
        "ymd",
        re.compile(
            r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]?"
            + _TIME
        ),
    ),
    # 2023-2-2, 2023.02.02, 2023/02/02 09:15, 2023-02-02T09:15:00+08:00
    (
        "ymd",
        re.compile(
            r"(?<![\d.])(?P<year>(?:19|20)\d{2})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\d])"
            + _TIME
        ),
    ),
    # 17/9/2004 or 9/17/2004 5:54:13 PM: day first unless the first number cannot be a day's month
    ("dmy", re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>(?:19|20)\d{2})(?![\d/])" + _TIME)),
    # 20230202 inside URLs and file names (t20230202_123.html)
    ("compact", re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})(?P<month>[01]\d)(?P<day>[0-3]\d)(?!\d)")),
    # 二〇二三年二月二日
    (
        "cn",
        re.compile(
            r"(?P<year>[〇零○Ｏ一二三四五六七八九]{4})\s*年\s*(?P<month>[一二三四五六七八九十]{1,2})\s*月"
            r"(?:\s*(?P<day>[一二三四五六七八九十]{1,3})\s*[日号])?"
        ),
    ),
    # 2023年2月 (month precision)
    ("ym", re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*年\s*(?P<month>\d{1,2})\s*月(?!\s*\d)")),
    # 2023-02 (month precision; only with a dash, "2023.5" is too often a number)
    ("ym", re.compile(r"(?<![\d./-])(?P<year>(?:19|20)\d{2})-(?P<month>[01]?\d)(?![\d./-])")),
    # 2月2日 (completed with a year from elsewhere on the page)
    ("md", re.compile(r"(?<![\d年])(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]")),
    # February 2, 2023 / Feb. 2 2023
    (
        "en-mdy",
        re.compile(
            r"\b(?P<mname>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})\b"
        ),
    ),
    # 2 February 2023
    (
        "en-dmy",
        re.compile(
            r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mname>[A-Za-z]{3,9})\.?,?\s+(?P<year>(?:19|20)\d{2})\b"
        ),
    ),
)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to some precision: year, optionally month, day, hour and minute."""

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None

    def iso(self) -> str:
        """ISO 8601 at the known precision: 2023, 2023-02, 2023-02-02 or 2023-02-02T09:15."""
        out = f"{self.year:04d}"
        if self.month is None:
            return out
        out += f"-{self.month:02d}"
        if self.day is None:
            return out
        out += f"-{self.day:02d}"
        if self.hour is not None and self.minute is not None:
            out += f"T{self.hour:02d}:{self.minute:02d}"
        return out

    def not_after(self, now: datetime) -> bool:
        """True when the earliest moment this date can mean is not in the future."""
        key = (self.year, self.month or 1, self.day or 1, self.hour or 0, self.minute or 0)
        return key <= (now.year, now.month, now.day, now.hour, now.minute)


@dataclass(frozen=True)
class Found:
    """A date found in text, with where it was and whether its year was inferred."""

    date: PartialDate
    start: int
    end: int
    yearless: bool = False


def _cn_number(text: str) -> int:
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    value = 0
    for char in text:
        value = value * 10 + _CN_DIGITS.get(char, 0)
    return value


def _valid(year: int, month: int | None, day: int | None) -> bool:
    if not MIN_YEAR <= year <= 2100:
        return False
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None:
        if month is None or not 1 <= day <= 31:
            return False
        try:
            datetime(year, month, day)
        except ValueError:
            return False
    return True


def _build(kind: str, m: re.Match[str], default_year: int | None) -> PartialDate | None:
    groups = m.groupdict()
    if kind == "cn":
        year = _cn_number(groups["year"])
        month: int | None = _cn_number(groups["month"])
        day = _cn_number(groups["day"]) if groups.get("day") else None
    elif kind == "dmy":
        first, second = int(groups["a"]), int(groups["b"])
        # Ambiguous 7/5/2005 is read day-first (most of the world); 9/17/2004 can only be US order.
        day, month = (second, first) if second > 12 else (first, second)
        year = int(groups["year"])
    elif kind.startswith("en"):
        month = _MONTHS.get(groups["mname"].lower())
        if month is None:
            return None
        year, day = int(groups["year"]), int(groups["day"])
    else:
        if kind == "md":
            if default_year is None:
                return None
            year = default_year
        else:
            year = int(groups["year"])
        month = int(groups["month"])
        day = int(groups["day"]) if groups.get("day") else None
    if not _valid(year, month, day):
        return None
    hour = int(groups["hour"]) if groups.get("hour") else None
    if (
        hour is not None
        and hour < 12
        and re.match(r"\s*(?::\d{2})?\s*(PM|下午)", m.string[m.end() : m.end() + 8], re.I)
    ):
        hour += 12
    minute = int(groups["minute"]) if groups.get("minute") else None
    return PartialDate(year, month, day, hour if day else None, minute if day else None)


def find_dates(text: str, *, default_year: int | None = None, compact: bool = False) -> Iterator[Found]:
    """Yield dates in `text` in order of position; year-less 2月2日 only when `default_year` is given."""
    taken: list[tuple[int, int]] = []
    found: list[Found] = []
    for kind, pattern in _PATTERNS:
        if kind == "compact" and not compact:
            continue
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            date = _build(kind, m, default_year)
            if date is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(Found(date, m.start(), m.end(), yearless=kind == "md"))
    found.sort(key=lambda f: f.start)
    yield from found


def parse_date(text: str, now: datetime | None = None) -> PartialDate | None:
    """The first full or partial date in a short string (a meta tag value, a URL), if any."""
    for found in find_dates(text, compact=True):
        if now is None or found.date.not_after(now):
            return found.date
    return None


def first_date(text: str, now: datetime, default_year: int | None = None) -> PartialDate | None:
    """The first date in running text that is not after `now` (year-less ones use `default_year`)."""
    for found in find_dates(text, default_year=default_year):
        if found.date.not_after(now):
            return found.date
    return None


def common_year(text: str, now: datetime) -> int | None:
    """The year a page talks about: the first explicit year not after `now`, for completing 2月2日."""
    for found in find_dates(text):
        if found.date.not_after(now):
            return found.date.year
    m = re.search(r"(?<!\d)((?:19|20)\d{2})\s*年", text)
    if m and MIN_YEAR <= int(m.group(1)) <= now.year:
        return int(m.group(1))
    return None

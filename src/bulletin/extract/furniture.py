"""Furniture around the article: the info bar and bylines under the headline, the lines after the text.

The title, date and credit stages read the same lines: `header_lines` (around the headline, down
to the first prose line), `footer_lines` (just under the article), and the info lines
`trim_furniture` takes off the top and bottom of the body.
"""

from __future__ import annotations

import re
from datetime import datetime

from bulletin.dumps.residue import trim_interface
from bulletin.extract import credits as metadata
from bulletin.extract import dates
from bulletin.extract.bylines import english_byline
from bulletin.extract.page import Page
from bulletin.extract.rules import match as match_rule
from bulletin.text.normalize import compact

_INFO_WORDS = re.compile(
    r"来源|作者|发布|时间|日期|编辑|浏览|点击|字号|记者|阅读|出处|供稿|published|posted|updated|by\s", re.I
)
# "2022-02-13 09:57 光明网": a line opening with a date and ending in a short name is an info bar.
_DATE_FIRST = re.compile(r"^\s*(?:19|20)\d{2}\s*[-/.年]")
# How far above the article's first prose line the headline may sit (info bars, share rows and
# "related" boxes come between them on portal templates).
TITLE_SPAN = 30


def has_date(text: str) -> bool:
    """True when `text` holds a complete date."""
    return dates.first_date(text, datetime.max) is not None


# Words that may stand beside a date on a line that is only a date: labels, weekdays, clock words.
_DATE_COMPANIONS = re.compile(
    r"published|posted|updated|last|modified|on|at|am|pm|[a-z]{2,4}t|utc|gmt|est|edt|pst|pdt|"
    r"mon(day)?|tue(s(day)?)?|wed(nesday)?|thu(rs(day)?)?|fri(day)?|sat(urday)?|sun(day)?|星期.|周.",
    re.I,
)


def is_date_line(line: str) -> bool:
    """A line that is a date and nothing else of note, in any language (`March 7, 2023`,
    `Posted on Tue 7 Mar 2023 10:00 AM`, `2023年3月1日 星期三`)."""
    if len(line) > 80:
        return False
    found = next(iter(dates.find_dates(line)), None)
    if found is None or found.yearless:
        return False
    rest = line[: found.start] + " " + line[found.end :]
    words = [w for w in re.findall(r"[^\W\d_]+", rest) if not _DATE_COMPANIONS.fullmatch(w)]
    return not words


def is_info_line(line: str) -> bool:
    """An info bar: a short line with a date and labels (来源 / 发布时间 …), or a labelled line."""
    if len(line) > 120 or re.search(r"[。！？]", line):
        return False
    if is_date_line(line):
        return True
    stripped = re.sub(r"[\s\d:：\-/.年月日时分秒]", "", line)
    short_tail = bool(_DATE_FIRST.match(line)) and len(stripped) <= 8
    return (has_date(line) and (not stripped or short_tail or bool(_INFO_WORDS.search(line)))) or bool(
        re.match(r"^(来源|作者|发布时间|发布日期|时间|日期)\s*[:：]", line)
    )


_BYLINE_TAIL = re.compile(r"\s+[|｜•·]\s+|\s+(?=(?:updated|published|posted|last\s+updated)\b)", re.I)


def is_byline_only(line: str) -> bool:
    """A short line that is nothing but a reporter byline (`记者 张三`, `By Jane Doe and John Roe`)."""
    if len(line) <= 40 and bool(metadata.lead_byline(line)) and not re.search(r"[。！？，]", line):
        return True
    # "Written by Peter van der Berg | Staff Writer", "By Emily Burack Updated 3 hours ago": the
    # byline is the line's first part, before a bar or a time stamp.
    first = _BYLINE_TAIL.split(line, maxsplit=1)[0]
    byline = english_byline(first) if len(line) <= 120 else None
    return byline is not None and byline.whole and bool(byline.authors())


def _is_top_furniture(line: str) -> bool:
    """Lines between the headline and the first paragraph: the info bar or a byline-only line."""
    return is_info_line(line) or is_byline_only(line)


def article_start(page: Page) -> int:
    """Where the article's prose starts (share buttons and labels at its top do not count)."""
    return next(
        (
            i
            for i, line in enumerate(page.lines)
            if line.in_article and len(line.text) >= 25 and not match_rule(line.text)
        ),
        next((i for i, line in enumerate(page.lines) if line.in_article), 0),
    )


def _drop_title_lines(lines: list[str], title: str | None) -> list[str]:
    """The body must not start with the title (or a date/info line that sat under it)."""
    if not title:
        return lines
    key = compact(title)
    # The title may sit under a breadcrumb or label at the top of the article block: drop it
    # and whatever short lines came before it.
    for i, line in enumerate(lines[:4]):
        if compact(line) == key and all(len(earlier) <= 40 for earlier in lines[:i]):
            start = i + 1
            while start < len(lines) and compact(lines[start]) == key:
                start += 1
            return lines[start:]
    return lines


def trim_furniture(lines: list[str], title: str | None) -> tuple[list[str], list[str]]:
    """The body without its title, interface residue and info lines; and the info lines taken off."""
    lines = _drop_title_lines(trim_interface(lines), title)
    info: list[str] = []
    while lines and len(info) < 6 and _is_top_furniture(lines[0]):
        info.append(lines.pop(0))
    # Blogs close a post with "发表于 2004年12月27日 12:40 - (阅读:3727;评论:63)".
    tail = 0
    while lines and tail < 3 and is_info_line(lines[-1]):
        info.append(lines.pop())
        tail += 1
    return lines, info


def header_lines(page: Page, title: str | None, start: int) -> list[str]:
    """Short lines around the title down to the first prose line (where the info bar sits).

    Lines between the title and the article come first, then the article's first lines, then
    the two lines above the title (some templates print the date over the headline).
    """
    lines = page.lines

    def usable(i: int, between: bool) -> str:
        line = lines[i]
        # Link text (menus, "推荐", related titles) is never the info bar or a byline, but a
        # dated line under the headline may link its publisher ("http://www.qianlong.com/ 2005-07-18")
        # and a byline its authors' pages ("By <a>Jane Doe</a> and <a>John Roe</a>").
        linked_info = len(line.text) <= 60 and (has_date(line.text) or is_byline_only(line.text))
        if line.link_share > 0.5 and not (between and linked_info):
            return ""
        return line.text

    title_at = None
    if title:
        key = compact(title)
        # Nearest to the article first: breadcrumbs repeat the headline further up.
        for i in range(min(len(lines), start + 3) - 1, max(0, start - TITLE_SPAN) - 1, -1):
            if key and key in compact(lines[i].text):
                title_at = i
                break
    if title_at is None:
        ordered = [usable(i, True) for i in range(max(0, start - 4), min(len(lines), start + 3))]
    else:
        end = max(start, title_at + 1)
        ordered = (
            [usable(i, True) for i in range(title_at + 1, min(len(lines), end))]
            + [usable(i, False) for i in range(end, min(len(lines), end + 3))]
            + [usable(i, False) for i in range(max(0, title_at - 2), title_at)]
        )
    return [text for text in ordered if text and len(text) <= 120 and not re.search(r"[。！？]", text)]


def footer_lines(page: Page) -> list[str]:
    """Short lines just after the article: blogs print "发表于 2005-07-31 12:30" there."""
    end = max((i for i, line in enumerate(page.lines) if line.in_article), default=-1)
    return [
        line.text
        for line in page.lines[end + 1 : end + 6]
        if len(line.text) <= 120 and line.link_share <= 0.5
    ]

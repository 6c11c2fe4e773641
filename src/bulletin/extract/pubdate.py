"""The date stage: when the article was published, from the most trusted evidence a page offers."""

from __future__ import annotations

import re
from datetime import datetime

from bulletin.extract import dates
from bulletin.extract.furniture import is_info_line
from bulletin.extract.page import Page

# Meta tags that say when the article was published, most specific first.
_DATE_META_PUBLISHED = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish_date",
    "publish-date",
    "publishtime",
    "publication_date",
    "dc.date.issued",
    "sailthru.date",
    "firstpublishedtime",
)
# Meta tags with a date that may be the creation or last change: used after dates on the page.
_DATE_META_WEAK = (
    "dc.date",
    "dcterms.date",
    "date",
    "created",
    "og:release_date",
    "article:modified_time",
    "lastmodifiedtime",
    "modified",
    "datemodified",
    "dateupdate",
)
_PUB_WORDS = re.compile(r"发布|发表|时间|日期|更新|出版|posted|published|updated|date", re.IGNORECASE)


# The label of the publication date itself: on a bar that also prints when the page was updated
# (更新时间：2023-03-02 发布时间：2023-03-01), the date after it is the one wanted.
_PUBLISHED_LABEL = re.compile(
    r"(?:发布|发表|发稿|成文)(?:时间|日期|于)?\s*[:：]?|published(?:\s+on)?\s*:?", re.IGNORECASE
)


def _published_date(text: str, now: datetime) -> dates.PartialDate | None:
    """The date labelled as the publication date on a line, else the line's first date."""
    label = _PUBLISHED_LABEL.search(text)
    found = dates.first_date(text[label.end() :], now) if label else None
    return found or dates.first_date(text, now)


def pick_date(candidates: list[str], body_text: str, page_text: str, now: datetime) -> str | None:
    """First date found in the candidate strings (in priority order), year-less ones completed."""
    year = dates.common_year(page_text, now)
    for text in candidates:
        found = _published_date(text, now)
        if found:
            return found.iso()
    for text in candidates:
        found = dates.first_date(text, now, default_year=year)
        if found:
            return found.iso()
    found = dates.first_date(body_text[:2000], now) or dates.first_date(
        body_text[:2000], now, default_year=year
    )
    return found.iso() if found else None


def _date_in(lines: list[str], now: datetime, *, pub_only: bool) -> str | None:
    for text in lines:
        if pub_only and not _PUB_WORDS.search(text):
            continue
        found = _published_date(text, now)
        if found:
            return found.iso()
    return None


def _meta_date(page: Page, keys: tuple[str, ...], now: datetime) -> str | None:
    for key in keys:
        parsed = dates.parse_date(page.meta[key], now) if key in page.meta else None
        if parsed:
            return parsed.iso()
    return None


def _closing_date(lines: list[str], now: datetime) -> str | None:
    """A dated citation closing the article: `——《北京之春》1996年3月号`, `（原载《XX报》2005年3月2日）`."""
    for line in lines[-2:]:
        if len(line) <= 60 and not re.search(r"[。！？]$", line):
            found = dates.first_date(line, now)
            if found:
                return found.iso()
    return None


def html_date(
    page: Page, candidates: list[str], footer: list[str], lines: list[str], now: datetime
) -> str | None:
    """The publication date, most trusted evidence first.

    Info-bar dates near the headline with a 发布/时间 label, then any date near the headline (the
    date the reader sees, in the site's time zone), meta tags that say published, weaker meta
    (dc.date, modified), <time> and JSON-LD,
    the dated line under the article, the URL, a dated citation closing the article, and last
    the first date in the body.
    """
    date = _date_in(candidates, now, pub_only=True) or _date_in(candidates, now, pub_only=False)
    date = date or _meta_date(page, _DATE_META_PUBLISHED, now) or _meta_date(page, _DATE_META_WEAK, now)
    if date is None:
        for value in page.time_values:
            parsed = dates.parse_date(value, now)
            if parsed:
                return parsed.iso()
    date = date or _date_in(footer, now, pub_only=True)
    date = date or _date_in([f for f in footer if is_info_line(f)], now, pub_only=False)
    if date is None:
        url = page.canonical or page.meta.get("og:url") or ""
        parsed = dates.parse_date(url, now) if url else None
        date = parsed.iso() if parsed else _closing_date(lines, now)
    if date is None:
        page_text = "\n".join(line.text for line in page.lines)
        date = pick_date(candidates, "\n".join(lines), page_text, now)
    return date

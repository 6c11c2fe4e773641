"""The extraction cascade: one RawInput (bytes) in, one clean Article out, stage by stage.

Each stage is a module of its own; `extract` below calls them in this order:

1. decode (decode.py): bytes to text, the charset sniffed, declared or hinted.
2. page (page.py, composed in html.py): an HTML input parsed, its head read (meta, canonical,
   <time>, JSON-LD) and the tags that never hold text stripped. A text dump instead has the
   fields its scraper wrote above the body read off (bulletin.dumps.reading).
3. blocks (blocks.py): the page's text blocks scored and the article subtree picked;
   pagelines.py walks the page into lines marked in or out of the article.
4. lines and rules (lines.py, rules.py): the body lines cleaned by the rule table, credit and
   tag lines moved out of the body (credits.py parses them).
5. title (title.py), furniture (furniture.py: the info bar, header and footer lines, trimmed off
   the body), credits and source (authorship.py), date (pubdate.py, dates.py parses dates).
6. record (record.py): names and sources checked (plausible.py), the scraper's hints applied
   where they are trusted, and the Article built with its id, site and language.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bulletin.dumps.reading import read_dump
from bulletin.errors import InputError
from bulletin.extract import credits as metadata
from bulletin.extract.authorship import gather_credits, meta_authors, meta_source
from bulletin.extract.decode import decode
from bulletin.extract.furniture import article_start, footer_lines, header_lines, trim_furniture
from bulletin.extract.html import clean_html
from bulletin.extract.lines import clean_lines, split_lines
from bulletin.extract.page import Page, page_url
from bulletin.extract.pubdate import html_date, pick_date
from bulletin.extract.record import apply_hints, hint_str, is_fragment, record_fields, to_article
from bulletin.extract.title import html_title, text_title
from bulletin.models import Article, Credit
from bulletin.readers import RawInput

_SNIFF = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|div|p|meta|title|table|span|br|a\s)[\s>/]", re.IGNORECASE
)
_SNIFF_BYTES = 4096


def extract(raw: RawInput, *, now: datetime | None = None) -> Article:
    """Decode, clean and describe one input; raises InputError naming raw.origin."""
    try:
        return _extract(raw, now or datetime.now())
    except InputError:
        raise
    except Exception as exc:  # a hostile page must fail as one bad input, not crash a batch
        raise InputError(
            raw.origin, f"extraction failed ({type(exc).__name__}); the file may be damaged, please report it"
        ) from exc


def _extract(raw: RawInput, now: datetime) -> Article:
    hints: dict[str, Any] = dict(raw.hints or {})
    decoded = decode(raw.data, raw.origin, hint_str(hints.get("charset")))
    page = clean_html(decoded.text) if _kind(raw) == "html" else None
    if page is not None:
        fields = _from_html(page, now)
    else:
        fields, hints = _from_dump(decoded.text, raw.origin, hints, now)
    # A page's own title and date beat a scraper's; a text dump's guesses (a short first line,
    # the first date in the body) do not: the scraper read them off the page it came from. Nor
    # does a body fragment from a feed: it has no headline of its own, only its first paragraph.
    apply_hints(fields, hints, now, trust=page is None or is_fragment(raw.data))
    return to_article(raw, fields, hints, decoded.encoding)


def _kind(raw: RawInput) -> str:
    if raw.kind in ("html", "text"):
        return raw.kind
    return "html" if _SNIFF.search(raw.data[:_SNIFF_BYTES]) else "text"


def _from_html(page: Page, now: datetime) -> dict[str, Any]:
    """The fields of a parsed page: title, body, credits, source, date and the page's own URL."""
    start = article_start(page)
    title = html_title(page, start)
    cleaned = clean_lines(page.body or [line.text for line in page.lines])
    header = header_lines(page, title, start)
    footer = footer_lines(page)
    lines, info = trim_furniture(cleaned.lines, title)
    lines, credits, source = gather_credits(cleaned, lines, info, header, footer, meta_authors(page, title))
    date = html_date(page, header + info, footer, lines, now)
    fields = record_fields(lines, title, date, source or meta_source(page), credits, cleaned.tags)
    fields["url"] = page_url(page)
    return fields


def _from_dump(
    text: str, origin: str, hints: dict[str, Any], now: datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields of a text dump, and the hints with what its scraper wrote above the body added."""
    # Fields the scraper wrote above the body (front matter, header lines, a record's tags).
    dump = read_dump(text, origin)
    hints = {**dump.hints, **hints}
    fields = _from_text(dump.body, now, recorded_title=hint_str(hints.get("title")))
    if dump.author and not fields["authors"]:
        fields["credits"] = (*fields["credits"], Credit("作者", dump.author))
        fields["authors"] = metadata.authors_from(fields["credits"])
    fields["tags"] = tuple(dict.fromkeys((*fields["tags"], *dump.tags)))
    return fields, hints


def _from_text(text: str, now: datetime, *, recorded_title: str | None = None) -> dict[str, Any]:
    """The fields of plain text: the first line may be the title, the rest is cleaned like a page body."""
    title, body_lines = text_title(split_lines(text), recorded_title)
    cleaned = clean_lines(body_lines)
    lines, info = trim_furniture(cleaned.lines, title)
    lines, credits, source = gather_credits(cleaned, lines, info, [], [], [])
    date = pick_date(info + cleaned.head + lines[:3], "\n".join(lines), text, now)
    return record_fields(lines, title, date, source, credits, cleaned.tags)

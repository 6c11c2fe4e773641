"""The record stage: the stages' fields checked, overruled by trusted scraper hints, made an Article."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

from bulletin.extract import credits as metadata
from bulletin.extract import dates, plausible
from bulletin.models import Article, Credit, article_id
from bulletin.readers import RawInput
from bulletin.text.normalize import has_glyphs, normalize_line

_PAGE_FRAME = re.compile(rb"<(?:html|head|body|title)[\s>]", re.IGNORECASE)
_FRAME_BYTES = 4096 * 4


def hint_str(value: object) -> str | None:
    """A hint's value as stripped text; None when missing or blank."""
    return str(value).strip() or None if value else None


def is_fragment(data: bytes) -> bool:
    """True for HTML with no page around it (a feed's body field): no html, head, body or title tag."""
    return _PAGE_FRAME.search(data[:_FRAME_BYTES]) is None


def record_fields(
    lines: list[str],
    title: str | None,
    date: str | None,
    source: str | None,
    credits: list[Credit],
    tags: list[str],
) -> dict[str, Any]:
    """The Article fields of one extraction: implausible names and sources dropped, credits deduplicated."""
    named = (Credit(credit.role, name) for credit in credits if (name := plausible.credit_name(credit.name)))
    unique = metadata.dedupe_credits(named)
    return {
        "text": "\n".join(lines),
        "title": title,
        "date": date,
        "source": plausible.source_name(source),
        "credits": unique,
        "authors": metadata.authors_from(unique),
        "tags": tuple(dict.fromkeys(tags)),
    }


def apply_hints(fields: dict[str, Any], hints: dict[str, Any], now: datetime, *, trust: bool) -> None:
    """Fill (or, when `trust`ed, overrule) the title, date and source with what the scraper recorded."""
    hinted_title = hint_str(hints.get("title"))
    if hinted_title and (trust or not fields.get("title")):
        fields["title"] = hinted_title
    hinted = dates.parse_date(str(hints["date"]), now) if hints.get("date") else None
    if hinted is not None and (trust or not fields.get("date")):
        fields["date"] = hinted.iso()
    # A crawler's capture day is never trusted over the page, fragment or not: it says when the
    # page was fetched, not when it was published.
    captured = dates.parse_date(str(hints["captured"]), now) if hints.get("captured") else None
    if captured is not None and not fields.get("date"):
        fields["date"] = captured.iso()
    hinted_source = metadata.parse_source(normalize_line(str(hints.get("source") or "")))
    # The account or feed that published a dump is its source; a "来源：" line in its body names
    # whom it reposted.
    if hinted_source and (trust or not fields.get("source")):
        fields["source"] = hinted_source


def to_article(raw: RawInput, fields: dict[str, Any], hints: dict[str, Any], encoding: str) -> Article:
    """The Article: `fields` plus the input's identity, address, site, language and encoding.

    The address is the one the reader saw, else the page's own, else the scraper's hint.
    """
    page_url = fields.pop("url", None)
    url = raw.url or page_url or hint_str(hints.get("url"))
    sha256 = hashlib.sha256(raw.data).hexdigest()
    text = fields.pop("text")
    title = fields.get("title")
    if title and has_glyphs(title):
        # An icon glyph from <title>, a feed or front matter: never part of the headline.
        fields["title"] = normalize_line(title) or None
    lang = metadata.detect_lang(text or (fields.get("title") or ""))
    return Article(
        id=article_id(sha256),
        sha256=sha256,
        origin=raw.origin,
        text=text,
        url=url,
        site=metadata.site_of(url),
        lang=lang,
        extra={"encoding": encoding},
        **fields,
    )

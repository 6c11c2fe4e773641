"""The extraction pipeline: one RawInput (bytes) in, one clean Article out."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

from bulletin import dates, metadata
from bulletin.clean.html import Page, clean_html
from bulletin.clean.text import Cleaned, clean_lines, split_lines
from bulletin.decode import decode
from bulletin.errors import InputError
from bulletin.models import Article, Credit, article_id
from bulletin.readers import RawInput

_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|div|p|meta|title|table|span|br|a\s)[\s>/]", re.IGNORECASE)
_SNIFF_BYTES = 4096
# Meta tags that carry the publication date, most specific first.
_DATE_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "pubdate", "publishdate", "publish_date", "publish-date", "publishtime", "publication_date",
    "dc.date.issued", "dc.date", "dcterms.date", "sailthru.date", "date", "created", "firstpublishedtime",
    "og:release_date", "article:modified_time", "lastmodifiedtime", "modified",
)
_AUTHOR_META = ("author", "article:author", "dc.creator", "byl", "sailthru.author", "og:article:author")
_SOURCE_META = ("source", "contentsource", "og:site_name", "sitename", "site")
# Lines between the title and the article that can carry the date, source and credits.
_HEADER_SPAN = 8
_INFO_WORDS = re.compile(r"来源|作者|发布|时间|日期|编辑|浏览|点击|字号|记者|阅读|出处|供稿|published|posted|updated|by\s", re.I)


def _kind(raw: RawInput) -> str:
    if raw.kind in ("html", "text"):
        return raw.kind
    return "html" if _SNIFF.search(raw.data[:_SNIFF_BYTES]) else "text"


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


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
    sha256 = hashlib.sha256(raw.data).hexdigest()
    decoded = decode(raw.data, raw.origin)
    hints: dict[str, Any] = dict(raw.hints or {})
    page = clean_html(decoded.text) if _kind(raw) == "html" else None
    fields = _from_html(page, now) if page is not None else _from_text(decoded.text, now)
    url = raw.url or fields.pop("url", None) or _str(hints.get("url"))
    fields.pop("url", None)
    if not fields.get("title"):
        fields["title"] = _str(hints.get("title"))
    if not fields.get("date") and hints.get("date"):
        hinted = dates.parse_date(str(hints["date"]), now)
        fields["date"] = hinted.iso() if hinted else None
    if not fields.get("source"):
        fields["source"] = _str(hints.get("source"))
    text = fields.pop("text")
    lang = metadata.detect_lang(text or (fields.get("title") or ""))
    return Article(
        id=article_id(sha256),
        sha256=sha256,
        origin=raw.origin,
        text=text,
        url=url,
        site=metadata.site_of(url),
        lang=lang,
        extra={"encoding": decoded.encoding},
        **fields,
    )


def _str(value: object) -> str | None:
    return str(value).strip() or None if value else None


def _drop_title_lines(lines: list[str], title: str | None) -> list[str]:
    """The body must not start with the title (or a date/info line that sat under it)."""
    if not title:
        return lines
    key = _compact(title)
    start = 0
    while start < min(len(lines), 3) and _compact(lines[start]) == key:
        start += 1
    return lines[start:]


def _is_info_line(line: str) -> bool:
    if len(line) > 120 or re.search(r"[。！？]", line):
        return False
    stripped = re.sub(r"[\s\d:：\-/.年月日时分秒]", "", line)
    has_date = dates.first_date(line, datetime.max) is not None
    return (has_date and (not stripped or bool(_INFO_WORDS.search(line)))) or bool(
        re.match(r"^(来源|作者|发布时间|发布日期|时间|日期)\s*[:：]", line)
    )


def _finish(
    cleaned: Cleaned, title: str | None, header: list[str], extra_credits: list[Credit], now: datetime
) -> tuple[list[str], list[Credit], str | None, list[str]]:
    """Strip the title and info lines from the body; gather credits and the source."""
    lines = _drop_title_lines(cleaned.lines, title)
    info: list[str] = []
    while lines and len(info) < 4 and _is_info_line(lines[0]):
        info.append(lines.pop(0))
    credits = list(cleaned.credits) + extra_credits
    sources = list(cleaned.sources)
    for line in header + info:
        found, source = metadata.info_pairs(line)
        credits.extend(found)
        if source:
            sources.append(source)
    # Reporter bylines at the start or end of the article: "新京报记者 彭冲 山东冠县报道".
    for line in lines[:2] + lines[-3:]:
        credits.extend(metadata.lead_byline(line))
    if lines and not any(c.role in metadata.AUTHOR_ROLES for c in credits):
        name = metadata.trailing_author(lines[-1])
        if name:
            credits.append(Credit("作者", name))
    source = next((s for s in (metadata.parse_source(s) for s in sources) if s), None)
    return lines, credits, source, info


def _pick_date(candidates: list[str], body_text: str, page_text: str, now: datetime) -> str | None:
    """First date found in the candidate strings (in priority order), year-less ones completed."""
    year = dates.common_year(page_text, now)
    for text in candidates:
        found = dates.first_date(text, now)
        if found:
            return found.iso()
    for text in candidates:
        found = dates.first_date(text, now, default_year=year)
        if found:
            return found.iso()
    found = dates.first_date(body_text[:2000], now) or dates.first_date(body_text[:2000], now, default_year=year)
    return found.iso() if found else None


def _from_text(text: str, now: datetime) -> dict[str, Any]:
    raw_lines = split_lines(text)
    title = raw_lines[0] if len(raw_lines) > 1 and metadata.looks_like_title(raw_lines[0]) else None
    body_lines = raw_lines[1:] if title else raw_lines
    cleaned = clean_lines(body_lines)
    lines, credits, source, info = _finish(cleaned, title, [], [], now)
    date = _pick_date(info + lines[:3], "\n".join(lines), text, now)
    return _fields(lines, title, date, source, credits, cleaned.tags)


def _fields(
    lines: list[str], title: str | None, date: str | None, source: str | None, credits: list[Credit], tags: list[str]
) -> dict[str, Any]:
    unique = metadata.dedupe_credits(credits)
    return {
        "text": "\n".join(lines),
        "title": title,
        "date": date,
        "source": source,
        "credits": unique,
        "authors": metadata.authors_from(unique),
        "tags": tuple(dict.fromkeys(tags)),
    }


def _html_title(page: Page) -> str | None:
    raw_titles = [t for t in (page.title_tag, page.meta.get("og:title"), page.meta.get("twitter:title")) if t]
    keys = [_compact(t) for t in raw_titles]
    confirmed: list[str] = []
    for _, text in page.headings + page.title_like:
        key = _compact(text)
        if len(key) >= 4 and any(key in k for k in keys):
            confirmed.append(text)
    if confirmed:
        return max(confirmed, key=len)
    if page.meta.get("og:title"):
        return metadata.strip_site_suffix(page.meta["og:title"])
    if page.title_tag:
        return metadata.strip_site_suffix(page.title_tag)
    for _, text in page.headings:
        if 4 <= len(text) <= 100:
            return text
    return None


def _header(page: Page, title: str | None) -> list[str]:
    """Lines from the title down to the start of the article (where the info bar sits)."""
    lines = [line.text for line in page.lines]
    start = next((i for i, line in enumerate(page.lines) if line.in_article), len(lines))
    title_at = None
    if title:
        key = _compact(title)
        for i, text in enumerate(lines[: start + 3]):
            if key and key in _compact(text):
                title_at = i
    if title_at is None:
        return lines[max(0, start - 3) : start + 3]
    return lines[title_at + 1 : max(start, title_at + 1) + 3][:_HEADER_SPAN + 3]


def _from_html(page: Page, now: datetime) -> dict[str, Any]:
    title = _html_title(page)
    body = page.body
    if not body:
        body = [line.text for line in page.lines]
    cleaned = clean_lines(body)
    header = _header(page, title)
    extra: list[Credit] = []
    for key in _AUTHOR_META:
        value = page.meta.get(key)
        if value and not value.startswith("http"):
            extra.extend(Credit("作者", n) for n in metadata.split_names(value))
            break
    extra.extend(Credit("作者", n) for n in page.json_ld_authors[:5] if len(n) <= 40)
    lines, credits, source, info = _finish(cleaned, title, header, extra, now)
    meta_dates = [page.meta[k] for k in _DATE_META if k in page.meta] + page.time_values
    candidates = header + info
    page_text = "\n".join(line.text for line in page.lines)
    date: str | None = None
    for text in candidates:
        found = dates.first_date(text, now)
        if found:
            date = found.iso()
            break
    if date is None:
        for value in meta_dates:
            parsed = dates.parse_date(value, now)
            if parsed:
                date = parsed.iso()
                break
    if date is None:
        url = page.canonical or page.meta.get("og:url") or ""
        parsed = dates.parse_date(url, now) if url else None
        date = parsed.iso() if parsed else _pick_date(candidates, "\n".join(lines), page_text, now)
    if not source:
        for key in _SOURCE_META:
            if page.meta.get(key):
                source = page.meta[key]
                break
    fields = _fields(lines, title, date, source, credits, cleaned.tags)
    fields["url"] = page.canonical if _absolute(page.canonical) else page.meta.get("og:url")
    return fields


def _absolute(url: str | None) -> bool:
    return bool(url and re.match(r"https?://", url))

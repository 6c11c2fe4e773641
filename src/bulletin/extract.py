"""The extraction pipeline: one RawInput (bytes) in, one clean Article out."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

from bulletin import dates, metadata
from bulletin.clean.html import Line, Page, clean_html
from bulletin.clean.rules import match as match_rule
from bulletin.clean.text import Cleaned, clean_lines, split_lines
from bulletin.decode import decode
from bulletin.errors import InputError
from bulletin.models import Article, Credit, article_id
from bulletin.readers import RawInput

_SNIFF = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|div|p|meta|title|table|span|br|a\s)[\s>/]", re.IGNORECASE
)
_SNIFF_BYTES = 4096
# Meta tags that carry the publication date, most specific first.
_DATE_META = (
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
    "dc.date",
    "dcterms.date",
    "sailthru.date",
    "date",
    "created",
    "firstpublishedtime",
    "og:release_date",
    "article:modified_time",
    "lastmodifiedtime",
    "modified",
)
_AUTHOR_META = ("author", "article:author", "dc.creator", "byl", "sailthru.author", "og:article:author")
_SOURCE_META = ("source", "contentsource", "og:site_name", "sitename", "site")
# Lines between the title and the article that can carry the date, source and credits.
_HEADER_SPAN = 8
_INFO_WORDS = re.compile(
    r"来源|作者|发布|时间|日期|编辑|浏览|点击|字号|记者|阅读|出处|供稿|published|posted|updated|by\s", re.I
)


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
    # The title may sit under a breadcrumb or label at the top of the article block: drop it
    # and whatever short lines came before it.
    for i, line in enumerate(lines[:4]):
        if _compact(line) == key and all(len(earlier) <= 40 for earlier in lines[:i]):
            start = i + 1
            while start < len(lines) and _compact(lines[start]) == key:
                start += 1
            return lines[start:]
    return lines


def _is_info_line(line: str) -> bool:
    if len(line) > 120 or re.search(r"[。！？]", line):
        return False
    stripped = re.sub(r"[\s\d:：\-/.年月日时分秒]", "", line)
    has_date = dates.first_date(line, datetime.max) is not None
    return (has_date and (not stripped or bool(_INFO_WORDS.search(line)))) or bool(
        re.match(r"^(来源|作者|发布时间|发布日期|时间|日期)\s*[:：]", line)
    )


def _finish(
    cleaned: Cleaned,
    title: str | None,
    header: list[str],
    extra_credits: list[Credit],
    now: datetime,
    footer: list[str] | None = None,
) -> tuple[list[str], list[Credit], str | None, list[str]]:
    """Strip the title and info lines from the body; gather credits and the source."""
    lines = _drop_title_lines(cleaned.lines, title)
    info: list[str] = []
    while lines and len(info) < 4 and _is_info_line(lines[0]):
        info.append(lines.pop(0))
    # Blogs close a post with "发表于 2004年12月27日 12:40 - (阅读:3727;评论:63)".
    while lines and len(info) < 6 and _is_info_line(lines[-1]):
        info.append(lines.pop())
    credits = list(cleaned.credits)
    footer = footer or []
    sources = list(cleaned.sources)
    for line in header + info:
        found, source = metadata.info_pairs(line)
        credits.extend(found)
        if source:
            sources.append(source)
    if not any(c.role in metadata.AUTHOR_ROLES for c in credits):
        for line in header + info + footer:
            if match_rule(line) is None:
                has_date = dates.first_date(line, datetime.max) is not None
                names = metadata.header_byline(line, has_date=has_date)
                if names:
                    credits.extend(Credit("作者", n) for n in names)
                    break
    # Reporter bylines at the start or end of the article: "新京报记者 彭冲 山东冠县报道".
    for line in lines[:2] + lines[-3:]:
        credits.extend(metadata.lead_byline(line))
    if lines and not any(c.role in metadata.AUTHOR_ROLES for c in credits):
        name = metadata.trailing_author(lines[-1])
        if name:
            credits.append(Credit("作者", name))
    # <meta name="author"> often names the site; trust it only when the page prints no author.
    if not any(c.role in metadata.AUTHOR_ROLES for c in credits):
        credits.extend(extra_credits)
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
    found = dates.first_date(body_text[:2000], now) or dates.first_date(
        body_text[:2000], now, default_year=year
    )
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
    lines: list[str],
    title: str | None,
    date: str | None,
    source: str | None,
    credits: list[Credit],
    tags: list[str],
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


def _title_score(line: Line, distance: int, keys: list[str], heads: list[str]) -> float:
    """How much a page line looks like the headline (see _html_title)."""
    text = line.text
    key = _compact(text)
    if not 2 <= len(key) <= 90 or re.search(r"[。！？]$|。.", text) or text[-1] in "，,：:":
        return 0.0
    if match_rule(text) is not None or _is_info_line(text):
        return 0.0
    score = 0.0
    if any(key == k for k in heads):
        score += 4.0
    elif any(key == k for k in keys):
        score += 1.0  # the whole <title>, site name included: a copy of it, not the headline
    elif len(key) >= 4 and heads and any(key in k for k in keys):
        score += 3.0 * min(1.0, len(key) / max(len(h) for h in heads))
    if "heading" in line.flags:
        score += 2.0
    if "title" in line.flags:
        score += 1.5
    if "emphasis" in line.flags:
        score += 0.5
    if line.link_share > 0.5:
        score -= 1.0
    # The headline sits just above the article (or is its first line).
    score += max(0.0, 2.0 - 0.25 * abs(distance)) if distance >= 0 else max(0.0, 1.0 + 0.5 * distance)
    return score


def _html_title(page: Page, start: int) -> str | None:
    """The headline: the page line near the article start that best matches headline evidence.

    Evidence: equal to (or contained in) <title>/og:title, h1-h3, a class/id saying title,
    bold text, and closeness to the article's first line. <title> minus the site name is the
    fallback when no line has enough evidence.
    """
    raw_titles = [t for t in (page.meta.get("og:title"), page.title_tag, page.meta.get("twitter:title")) if t]
    keys = [_compact(t) for t in raw_titles]
    heads = [_compact(metadata.strip_site_suffix(t)) for t in raw_titles]
    best: tuple[float, int] | None = None
    lines = page.lines
    for i in range(max(0, start - 15), min(len(lines), start + 3)):
        score = _title_score(lines[i], start - i, keys, heads)
        if score >= 2.0 and (best is None or score > best[0]):
            best = (score, i)
    if best is not None:
        i = best[1]
        # Long headlines wrap over two heading lines; <title> shows them joined.
        for a, b in ((i - 1, i), (i, i + 1)):
            if a >= 0 and b < len(lines):
                joined = lines[a].text + lines[b].text
                if len(_compact(joined)) >= 8 and any(_compact(joined) in k for k in keys):
                    return joined
        return lines[i].text
    for raw in raw_titles:
        stripped = metadata.strip_site_suffix(raw)
        if stripped:
            return stripped
    return None


_PUB_WORDS = re.compile(r"发布|发表|时间|日期|更新|出版|posted|published|updated|date", re.IGNORECASE)


def _header(page: Page, title: str | None, start: int) -> list[str]:
    """Short lines around the title down to the first prose line (where the info bar sits).

    Lines after the title come first; the two lines above it (some templates print the date
    over the headline) come last.
    """
    # Link text (menus, "推荐", related titles) is never the info bar or a byline.
    lines = [line.text if line.link_share <= 0.5 else "" for line in page.lines]
    title_at = None
    if title:
        key = _compact(title)
        for i in range(max(0, start - 15), min(len(lines), start + 3)):
            if key and key in _compact(lines[i]):
                title_at = i
                break
    if title_at is None:
        ordered = lines[max(0, start - 4) : start + 3]
    else:
        ordered = lines[title_at + 1 : max(start, title_at + 1) + 3] + lines[max(0, title_at - 2) : title_at]
    return [text for text in ordered if text and len(text) <= 120 and not re.search(r"[。！？]", text)]


def _footer(page: Page) -> list[str]:
    """Short lines just after the article: blogs print "发表于 2005-07-31 12:30" there."""
    end = max((i for i, line in enumerate(page.lines) if line.in_article), default=-1)
    return [
        line.text
        for line in page.lines[end + 1 : end + 6]
        if len(line.text) <= 120 and line.link_share <= 0.5
    ]


def _date_in(lines: list[str], now: datetime, *, pub_only: bool) -> str | None:
    for text in lines:
        if pub_only and not _PUB_WORDS.search(text):
            continue
        found = dates.first_date(text, now)
        if found:
            return found.iso()
    return None


def _from_html(page: Page, now: datetime) -> dict[str, Any]:
    # Where the article's prose starts (share buttons and labels at its top do not count).
    start = next(
        (
            i
            for i, line in enumerate(page.lines)
            if line.in_article and len(line.text) >= 25 and not match_rule(line.text)
        ),
        next((i for i, line in enumerate(page.lines) if line.in_article), 0),
    )
    title = _html_title(page, start)
    body = page.body
    if not body:
        body = [line.text for line in page.lines]
    cleaned = clean_lines(body)
    header = _header(page, title, start)
    extra: list[Credit] = []
    for key in _AUTHOR_META:
        value = page.meta.get(key)
        if value and not value.startswith("http"):
            extra.extend(Credit("作者", n) for n in metadata.split_names(value))
            break
    extra.extend(Credit("作者", n) for n in page.json_ld_authors[:5] if len(n) <= 40)
    footer = _footer(page)
    lines, credits, source, info = _finish(cleaned, title, header, extra, now, footer)
    meta_dates = [page.meta[k] for k in _DATE_META if k in page.meta] + page.time_values
    candidates = header + info
    page_text = "\n".join(line.text for line in page.lines)
    date = _date_in(candidates, now, pub_only=True) or _date_in(candidates, now, pub_only=False)
    if date is None:
        for value in meta_dates:
            parsed = dates.parse_date(value, now)
            if parsed:
                date = parsed.iso()
                break
    if date is None:
        date = _date_in(footer, now, pub_only=True)
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

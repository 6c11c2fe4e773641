"""The extraction pipeline: one RawInput (bytes) in, one clean Article out."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

from bulletin.dumps.reading import read_dump
from bulletin.dumps.residue import trim_interface
from bulletin.errors import InputError
from bulletin.extract import credits as metadata
from bulletin.extract import dates, plausible
from bulletin.extract.decode import decode
from bulletin.extract.html import clean_html
from bulletin.extract.lines import Cleaned, clean_lines, normalize_line, split_lines
from bulletin.extract.page import Line, Page
from bulletin.extract.rules import Action
from bulletin.extract.rules import match as match_rule
from bulletin.models import Article, Credit, article_id
from bulletin.readers import RawInput

_SNIFF = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|div|p|meta|title|table|span|br|a\s)[\s>/]", re.IGNORECASE
)
_SNIFF_BYTES = 4096
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
    hints: dict[str, Any] = dict(raw.hints or {})
    decoded = decode(raw.data, raw.origin, _str(hints.get("charset")))
    page = clean_html(decoded.text) if _kind(raw) == "html" else None
    if page is not None:
        fields = _from_html(page, now)
    else:
        # Fields the scraper wrote above the body (front matter, header lines, a record's tags).
        dump = read_dump(decoded.text, raw.origin)
        hints = {**dump.hints, **hints}
        fields = _from_text(dump.body, now, recorded_title=_str(hints.get("title")))
        if dump.author and not fields["authors"]:
            fields["credits"] = (*fields["credits"], Credit("作者", dump.author))
            fields["authors"] = metadata.authors_from(fields["credits"])
        fields["tags"] = tuple(dict.fromkeys((*fields["tags"], *dump.tags)))
    url = raw.url or fields.pop("url", None) or _str(hints.get("url"))
    fields.pop("url", None)
    # A page's own title and date beat a scraper's; a text dump's guesses (a short first line,
    # the first date in the body) do not: the scraper read them off the page it came from. Nor
    # does a body fragment from a feed: it has no headline of its own, only its first paragraph.
    trust_hints = page is None or _is_fragment(raw.data)
    hinted_title = _str(hints.get("title"))
    if hinted_title and (trust_hints or not fields.get("title")):
        fields["title"] = hinted_title
    hinted = dates.parse_date(str(hints["date"]), now) if hints.get("date") else None
    if hinted is not None and (trust_hints or not fields.get("date")):
        fields["date"] = hinted.iso()
    # A crawler's capture day is never trusted over the page, fragment or not: it says when the
    # page was fetched, not when it was published.
    captured = dates.parse_date(str(hints["captured"]), now) if hints.get("captured") else None
    if captured is not None and not fields.get("date"):
        fields["date"] = captured.iso()
    hinted_source = metadata.parse_source(normalize_line(str(hints.get("source") or "")))
    # The account or feed that published a dump is its source; a "来源：" line in its body names
    # whom it reposted.
    if hinted_source and (trust_hints or not fields.get("source")):
        fields["source"] = hinted_source
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


_PAGE_FRAME = re.compile(rb"<(?:html|head|body|title)[\s>]", re.IGNORECASE)


def _is_fragment(data: bytes) -> bool:
    """True for HTML with no page around it (a feed's body field): no html, head, body or title tag."""
    return _PAGE_FRAME.search(data[: _SNIFF_BYTES * 4]) is None


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


# "2022-02-13 09:57 光明网": a line opening with a date and ending in a short name is an info bar.
_DATE_FIRST = re.compile(r"^\s*(?:19|20)\d{2}\s*[-/.年]")


def _is_info_line(line: str) -> bool:
    if len(line) > 120 or re.search(r"[。！？]", line):
        return False
    stripped = re.sub(r"[\s\d:：\-/.年月日时分秒]", "", line)
    has_date = dates.first_date(line, datetime.max) is not None
    short_tail = bool(_DATE_FIRST.match(line)) and len(stripped) <= 8
    return (has_date and (not stripped or short_tail or bool(_INFO_WORDS.search(line)))) or bool(
        re.match(r"^(来源|作者|发布时间|发布日期|时间|日期)\s*[:：]", line)
    )


def _is_byline_only(line: str) -> bool:
    return len(line) <= 40 and bool(metadata.lead_byline(line)) and not re.search(r"[。！？，]", line)


def _is_top_furniture(line: str) -> bool:
    """Lines between the headline and the first paragraph: the info bar or a byline-only line."""
    return _is_info_line(line) or _is_byline_only(line)


def _footer_credits(footer: list[str]) -> tuple[list[Credit], list[str]]:
    """Credit and source lines printed just under the article (编辑：… 来源：… 作者：…).

    Reads down from the article's end while lines are credits, info bars or furniture the rule
    table knows; the first other line (a related-articles list) ends the footer.
    """
    credits: list[Credit] = []
    sources: list[str] = []
    for line in footer:
        parsed = metadata.parse_credit_line(line)
        if parsed is not None and (parsed[0] or parsed[1]):
            credits.extend(parsed[0])
            if parsed[1]:
                sources.append(parsed[1])
            continue
        if _is_info_line(line):
            found, source = metadata.info_pairs(line)
            credits.extend(found)
            if source:
                sources.append(source)
            continue
        rule = match_rule(line)
        if rule is None or rule.action is Action.END:
            break
    return credits, sources


def _has_author(credits: list[Credit]) -> bool:
    return any(c.role in metadata.AUTHOR_ROLES for c in credits)


def _finish(
    cleaned: Cleaned,
    title: str | None,
    header: list[str],
    extra_credits: list[Credit],
    now: datetime,
    footer: list[str] | None = None,
) -> tuple[list[str], list[Credit], str | None, list[str]]:
    """Strip the title and info lines from the body; gather credits and the source."""
    lines = _drop_title_lines(trim_interface(cleaned.lines), title)
    info: list[str] = []
    while lines and len(info) < 6 and _is_top_furniture(lines[0]):
        info.append(lines.pop(0))
    # Blogs close a post with "发表于 2004年12月27日 12:40 - (阅读:3727;评论:63)".
    tail = 0
    while lines and tail < 3 and _is_info_line(lines[-1]):
        info.append(lines.pop())
        tail += 1
    credits = list(cleaned.credits)
    footer = footer or []
    sources = list(cleaned.sources)
    for line in header + info:
        found, source = metadata.info_pairs(line)
        credits.extend(found)
        if source:
            sources.append(source)
    found, footer_sources = _footer_credits(footer)
    credits.extend(found)
    sources.extend(footer_sources)
    if not _has_author(credits):
        near = len(header) + len(info)
        for i, line in enumerate(header + info + footer):
            if match_rule(line) is None:
                names = metadata.header_byline(line, has_date=_has_date(line), strict=i >= near)
                if names:
                    credits.extend(Credit("作者", n) for n in names)
                    break
    # Reporter bylines at the start or end of the article: "新京报记者 彭冲 山东冠县报道".
    for line in info + lines[:5] + lines[-3:]:
        credits.extend(metadata.lead_byline(line))
    # A byline alone on a line below a share row or label: its credits are read, the line goes.
    lines = [line for i, line in enumerate(lines) if i >= 5 or not _is_byline_only(line)]
    if lines and not _has_author(credits):
        name = metadata.trailing_author(lines[-1])
        if name:
            credits.append(Credit("作者", name))
    # <meta name="author"> often names the site; trust it only when the page prints no author.
    if not _has_author(credits):
        credits.extend(extra_credits)
    parsed_sources = [p for p in (metadata.parse_source(s) for s in sources) if p]
    source = parsed_sources[0] if parsed_sources else None
    # "来源：尹娟": small sites put the writer's name where the publisher goes.
    if not _has_author(credits):
        credits.extend(Credit("作者", s) for s in parsed_sources[:1] if metadata.looks_like_person(s))
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


def _from_text(text: str, now: datetime, *, recorded_title: str | None = None) -> dict[str, Any]:
    raw_lines = split_lines(text)
    title = raw_lines[0] if len(raw_lines) > 1 and metadata.looks_like_title(raw_lines[0]) else None
    body_lines = raw_lines[1:] if title else raw_lines
    if recorded_title:
        # The scraper recorded the headline: the first line is the headline only if it says the same
        # (then it goes, with any repeat of it), otherwise it is the body's first line.
        title, body_lines = recorded_title, raw_lines
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


# "主题：…" / "标题：…": forum and CMS templates label the headline.
_TITLE_LABEL = re.compile(r"^(?:主题|标题|题目|文章标题|帖子主题)\s*[:：]\s*")
# <title> values that name no article: editor defaults and empty template variables.
_GENERIC_TITLE = re.compile(
    r"^(?:显示|无标题文档|无标题|新建网页\s*\d*|untitled(?: document)?|document|index|home|首页|null|none)$"
    r"|::\s*null$",
    re.IGNORECASE,
)
# How far above the article's first prose line the headline may sit (info bars, share rows and
# "related" boxes come between them on portal templates).
_TITLE_SPAN = 30


def _headline_text(text: str) -> str:
    """A page line as a headline candidate: without a 主题： label."""
    return _TITLE_LABEL.sub("", text).strip()


def _title_score(line: Line, distance: int, keys: list[str], heads: list[str], *, first: bool) -> float:
    """How much a page line looks like the headline (see _html_title)."""
    text = _headline_text(line.text)
    key = _compact(text)
    # Headlines may ask or exclaim (？！) but never end a sentence with 。 or run on after one.
    if not 2 <= len(key) <= 90 or re.search(r"。$|。.", text) or text[-1] in "，,：:":
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
    if first and metadata.looks_like_title(text):
        score += 0.5  # the article block opens with it
    if line.link_share > 0.5:
        score -= 1.0
    # The headline sits just above the article (or is its first line).
    score += max(0.0, 2.0 - 0.25 * abs(distance)) if distance >= 0 else max(0.0, 1.0 + 0.5 * distance)
    return score


def _html_title(page: Page, start: int) -> str | None:
    """The headline: the page line near the article start that best matches headline evidence.

    Evidence: equal to (or contained in) <title>/og:title, h1-h3, a class/id saying title,
    bold text, being the article block's first line, and closeness to the article's first prose
    line. <title> minus the site name is the fallback when no line has enough evidence, unless it
    is an editor default ("无标题文档") and a weaker line candidate exists.
    """
    raw_titles = [t for t in (page.meta.get("og:title"), page.title_tag, page.meta.get("twitter:title")) if t]
    keys = [_compact(t) for t in raw_titles]
    heads = [_compact(metadata.strip_site_suffix(t)) for t in raw_titles]
    best: tuple[float, int] | None = None
    lines = page.lines
    first_in_article = next((i for i, line in enumerate(lines) if line.in_article), -1)
    for i in range(max(0, start - _TITLE_SPAN), min(len(lines), start + 3)):
        score = _title_score(lines[i], start - i, keys, heads, first=i == first_in_article)
        if score > 0 and (best is None or score > best[0]):
            best = (score, i)
    if best is not None and best[0] >= 2.0:
        i = best[1]
        # Long headlines wrap over two heading lines; <title> shows them joined.
        for a, b in ((i - 1, i), (i, i + 1)):
            if a >= 0 and b < len(lines):
                joined = lines[a].text + lines[b].text
                if len(_compact(joined)) >= 8 and any(_compact(joined) in k for k in keys):
                    return joined
        return _headline_text(lines[i].text)
    for raw in raw_titles:
        stripped = metadata.strip_site_suffix(raw)
        if stripped and not _GENERIC_TITLE.search(stripped) and not _GENERIC_TITLE.search(raw):
            return stripped
    if best is not None and best[0] >= 1.5:
        return _headline_text(lines[best[1]].text)
    return None


_PUB_WORDS = re.compile(r"发布|发表|时间|日期|更新|出版|posted|published|updated|date", re.IGNORECASE)


def _header(page: Page, title: str | None, start: int) -> list[str]:
    """Short lines around the title down to the first prose line (where the info bar sits).

    Lines between the title and the article come first, then the article's first lines, then
    the two lines above the title (some templates print the date over the headline).
    """
    lines = page.lines

    def usable(i: int, between: bool) -> str:
        line = lines[i]
        # Link text (menus, "推荐", related titles) is never the info bar or a byline, but a
        # dated line under the headline may link its publisher: "http://www.qianlong.com/ 2005-07-18".
        if line.link_share > 0.5 and not (between and len(line.text) <= 60 and _has_date(line.text)):
            return ""
        return line.text

    title_at = None
    if title:
        key = _compact(title)
        # Nearest to the article first: breadcrumbs repeat the headline further up.
        for i in range(min(len(lines), start + 3) - 1, max(0, start - _TITLE_SPAN) - 1, -1):
            if key and key in _compact(lines[i].text):
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


def _has_date(text: str) -> bool:
    return dates.first_date(text, datetime.max) is not None


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


def _html_date(
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
    date = date or _date_in([f for f in footer if _is_info_line(f)], now, pub_only=False)
    if date is None:
        url = page.canonical or page.meta.get("og:url") or ""
        parsed = dates.parse_date(url, now) if url else None
        date = parsed.iso() if parsed else _closing_date(lines, now)
    if date is None:
        page_text = "\n".join(line.text for line in page.lines)
        date = _pick_date(candidates, "\n".join(lines), page_text, now)
    return date


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
    if not extra:
        extra.extend(Credit("作者", n) for n in _blog_owner(page, title))
    footer = _footer(page)
    lines, credits, source, info = _finish(cleaned, title, header, extra, now, footer)
    date = _html_date(page, header + info, footer, lines, now)
    if not source:
        for key in _SOURCE_META:
            if page.meta.get(key):
                source = page.meta[key]
                break
    fields = _fields(lines, title, date, source, credits, cleaned.tags)
    fields["url"] = page.canonical if _absolute(page.canonical) else page.meta.get("og:url")
    return fields


_BLOG = re.compile(r"博客|部落格|blog", re.IGNORECASE)
_COPYRIGHT_OWNER = re.compile(r"^\s*copyright\s*(?:©|\(c\)|&copy;)?\s*(?P<name>[^\d\s©]{2,20})\s*$", re.I)
_NOT_A_NAME = re.compile(r"inc\b|ltd|公司|版权|所有|网|\.com|\.cn|all rights", re.IGNORECASE)


def _owner_name(value: str, title: str | None) -> bool:
    value = value.strip()
    return (
        2 <= len(value) <= 20
        and not _NOT_A_NAME.search(value)
        and not _BLOG.search(value)
        and not re.search(r"[\s，。,.:：!！?？|｜]", value)
        and (not title or _compact(value) != _compact(title))
    )


def _blog_owner(page: Page, title: str | None) -> list[str]:
    """The blogger's name on a blog page, which prints no byline: the post's author.

    Evidence, in order: "Copyright © 李建忠" in the page footer; a <title> that pairs a short
    name with the blog host ("海姑娘 | blog.wenxuecity.com"); a short heading outside the
    post text whose words recur in the sidebar ("[太小心]个人类别", "[太小心]存档目录").
    """
    head = " ".join([page.title_tag or "", page.canonical or "", page.meta.get("og:url") or ""])
    head += " ".join(line.text for line in page.lines[:40])
    if not _BLOG.search(head):
        return []
    for line in page.lines:
        m = _COPYRIGHT_OWNER.match(line.text)
        if m and _owner_name(m.group("name"), title):
            return [m.group("name")]
    if page.title_tag:
        parts = [p.strip() for p in re.split(r"\s[-|｜»]\s|_|\|", page.title_tag) if p.strip()]
        if len(parts) >= 2 and any(_BLOG.search(p) for p in parts):
            names = [p for p in parts if not _BLOG.search(p) and _owner_name(p, title)]
            if len(names) == 1 and len(names[0]) <= 12:
                return names
    texts = [line.text for line in page.lines]
    for line in page.lines[:200]:
        if not line.flags & {"heading", "title"} or not _owner_name(line.text, title) or len(line.text) > 12:
            continue
        if match_rule(line.text) is None and sum(line.text in t for t in texts) >= 3:
            return [line.text]
    return []


def _absolute(url: str | None) -> bool:
    return bool(url and re.match(r"https?://", url))

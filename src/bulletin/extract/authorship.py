"""The credits stage: authors, production credits and the source, gathered from around the article.

Credit lines the line stage moved out of the body come first; then the info bar under the
headline, the footer under the text, role-less bylines near the headline, reporter bylines at the
body's start or end, a bracketed name closing it, and last what the page says outside its text
(author meta tags, JSON-LD, a blog's owner).
"""

from __future__ import annotations

import re

from bulletin.extract import credits as metadata
from bulletin.extract.furniture import has_date, is_byline_only, is_info_line
from bulletin.extract.lines import Cleaned
from bulletin.extract.page import Page
from bulletin.extract.rules import Action
from bulletin.extract.rules import match as match_rule
from bulletin.models import Credit
from bulletin.text.normalize import compact

_AUTHOR_META = ("author", "article:author", "dc.creator", "byl", "sailthru.author", "og:article:author")
_SOURCE_META = ("source", "contentsource", "og:site_name", "sitename", "site")


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
        if is_info_line(line):
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


def gather_credits(
    cleaned: Cleaned,
    lines: list[str],
    info: list[str],
    header: list[str],
    footer: list[str],
    extra_credits: list[Credit],
) -> tuple[list[str], list[Credit], str | None]:
    """Credits and the source from around the body; the body without its byline-only lines.

    `lines` is the trimmed body and `info` the info lines trim_furniture took off it; `header`
    and `footer` are the page lines around the article, `extra_credits` what the page says
    outside its text (see meta_authors), trusted only when nothing else names an author.
    """
    credits = list(cleaned.credits)
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
                names = metadata.header_byline(line, has_date=has_date(line), strict=i >= near)
                if names:
                    credits.extend(Credit("作者", n) for n in names)
                    break
    # Reporter bylines at the start or end of the article: "新京报记者 彭冲 山东冠县报道".
    for line in info + lines[:5] + lines[-3:]:
        credits.extend(metadata.lead_byline(line))
    # A byline alone on a line below a share row or label: its credits are read, the line goes.
    lines = [line for i, line in enumerate(lines) if i >= 5 or not is_byline_only(line)]
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
    return lines, credits, source


def meta_authors(page: Page, title: str | None) -> list[Credit]:
    """Authors the page names outside its text: an author meta tag, JSON-LD, else a blog's owner."""
    extra: list[Credit] = []
    for key in _AUTHOR_META:
        value = page.meta.get(key)
        if value and not value.startswith("http"):
            extra.extend(Credit("作者", n) for n in metadata.split_names(value))
            break
    extra.extend(Credit("作者", n) for n in page.json_ld_authors[:5] if len(n) <= 40)
    if not extra:
        extra.extend(Credit("作者", n) for n in _blog_owner(page, title))
    return extra


def meta_source(page: Page) -> str | None:
    """The source a meta tag names (source, og:site_name …): used when the page prints none."""
    for key in _SOURCE_META:
        if page.meta.get(key):
            return page.meta[key]
    return None


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
        and (not title or compact(value) != compact(title))
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

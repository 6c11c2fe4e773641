"""The page stage: HTML text parsed into a tree, and what its head says (meta, canonical, dates, JSON-LD).

`Page` and `Line` are what the HTML stages hand on: blocks.py picks the article subtree in the
tree, pagelines.py walks the tree into `Line`s marked in or out of it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from bulletin.text.normalize import normalize_line

# Never text of the article.
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "template",
    "select",
    "option",
    "textarea",
    "button",
    "input",
    "map",
    "audio",
    "video",
    "head",
    "link",
    "meta",
    "title",
)
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "td",
        "th",
        "li",
        "dd",
        "dt",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "table",
        "tr",
        "ul",
        "ol",
        "dl",
        "form",
        "body",
        "center",
        "figure",
        "figcaption",
        "address",
        "fieldset",
        "tbody",
        "thead",
        "tfoot",
        "details",
        "summary",
        "caption",
        "html",
        "hr",
    }
)


@dataclass
class Line:
    """One output line of the page, with whether it lies inside the chosen article."""

    text: str
    in_article: bool
    flags: frozenset[str] = frozenset()  # "heading" (h1-h3), "title" (class/id), "emphasis" (b/strong)
    link_share: float = 0.0


@dataclass
class Page:
    """What the HTML cleaner learned about one page."""

    lines: list[Line]
    title_tag: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # name/property/itemprop (lower) -> content
    canonical: str | None = None
    time_values: list[str] = field(default_factory=list)  # <time datetime>, JSON-LD dates
    json_ld_authors: list[str] = field(default_factory=list)

    @property
    def body(self) -> list[str]:
        """The article's lines."""
        return [line.text for line in self.lines if line.in_article]


def parse(text: str) -> etree._Element | None:
    """Parse HTML text into an lxml tree; None when nothing usable can be built."""
    parser = lxml_html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, huge_tree=True
    )
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError, TypeError):
        return None
    return root


def attr_text(el: etree._Element) -> str:
    """An element's class and id, the words that say what a block is for."""
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def read_head(root: etree._Element, page: Page) -> None:
    """Fill `page` with what the document says about itself: <title>, meta, canonical, dates, JSON-LD."""
    for el in root.iter("title"):
        text = normalize_line(el.text_content() or "")
        if text:
            page.title_tag = text
            break
    for el in root.iter("meta"):
        key = (
            el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or ""
        ).lower()
        content = el.get("content")
        if key and content and key not in page.meta:
            page.meta[key] = normalize_line(content)
    for el in root.iter("link"):
        if (el.get("rel") or "").lower() == "canonical" and el.get("href"):
            page.canonical = el.get("href")
            break
    for el in root.iter("time"):
        value = el.get("datetime") or el.get("pubdate")
        if value:
            page.time_values.append(value)
    for el in root.iter("script"):
        if (el.get("type") or "").lower() == "application/ld+json" and el.text:
            _read_json_ld(el.text, page)


def _read_json_ld(raw: str, page: Page) -> None:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return
    stack = [data]
    budget = 2000  # bounded walk: hostile JSON-LD cannot make this slow
    while stack and budget:
        budget -= 1
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key in ("datePublished", "dateCreated"):
                if isinstance(item.get(key), str):
                    page.time_values.append(item[key])
            author = item.get("author")
            authors = author if isinstance(author, list) else [author]
            for a in authors:
                name = a.get("name") if isinstance(a, dict) else a
                if isinstance(name, str) and name.strip():
                    page.json_ld_authors.append(name.strip())
            stack.extend(v for k, v in item.items() if k == "@graph")


def strip_noise(root: etree._Element) -> None:
    """Remove the elements that never hold article text (scripts, styles, forms, media, the head)."""
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)


def page_url(page: Page) -> str | None:
    """The page's own address: an absolute canonical link, else og:url."""
    return page.canonical if _absolute(page.canonical) else page.meta.get("og:url")


def _absolute(url: str | None) -> bool:
    return bool(url and re.match(r"https?://", url))

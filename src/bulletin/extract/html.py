"""The HTML stages in order: parse the page and read its head (page.py), pick the article (blocks.py),
walk the page into lines marked in or out of the article (pagelines.py)."""

from __future__ import annotations

from bulletin.extract.blocks import pick_article
from bulletin.extract.page import Page, parse, read_head, strip_noise
from bulletin.extract.pagelines import emit_lines
from bulletin.text.normalize import compact


def clean_html(text: str) -> Page | None:
    """Parse a page and mark its article lines; None when the text does not parse as HTML."""
    root = parse(text)
    if root is None:
        return None
    page = Page(lines=[])
    read_head(root, page)
    strip_noise(root)
    bodies = root.xpath("//body")
    body = bodies[0] if bodies else root
    page_total = len(compact(body.text_content() or ""))
    best, negative = pick_article(body, page_total)
    emit_lines(body, best, negative, page)
    return page

"""The page-lines stage: the parsed page walked into `Line`s, each marked article or not.

Inside the article, link lists and the blocks blocks.py found to be furniture are skipped; rows of
data tables stay one line each. Each line remembers whether it was a heading, had a title-like
class or id, or was emphasised, and how much of it was link text: the title and credit stages
read those marks.
"""

from __future__ import annotations

import re

from lxml import etree

from bulletin.extract.bylines import english_byline
from bulletin.extract.credits import parse_credit_line
from bulletin.extract.page import BLOCK_TAGS, Line, Page, attr_text
from bulletin.text.normalize import compact, is_icon_button, normalize_line

_HEADINGS = frozenset({"h1", "h2", "h3"})


def _is_link_list(el: etree._Element) -> bool:
    """A block of mostly links with little text of its own (inside the article: related links)."""
    total = len(compact(el.text_content() or ""))
    if total == 0:
        return False
    link = sum(len(compact(a.text_content() or "")) for a in el.iter("a"))
    return link * 10 > total * 6 and total - link < 40 and not _is_byline(el)


def _is_byline(el: etree._Element) -> bool:
    """A byline whose names link to the authors' pages (By <a>Jane Doe</a> and <a>John Roe</a>)."""
    text = normalize_line(el.text_content() or "")
    if len(text) > 80:
        return False
    byline = english_byline(text)
    return (byline is not None and byline.whole and bool(byline.authors())) or bool(
        (parsed := parse_credit_line(text)) and parsed[0]
    )


# A row of a data table (results, schedules): three or more short cells of inline text only.
_DATA_ROW_MIN_CELLS = 3
_DATA_CELL_MAX_CHARS = 40


def _short_cells(tr: etree._Element) -> int:
    """How many cells `tr` has when all hold short inline text, else 0."""
    cells = [c for c in tr if isinstance(c.tag, str)]
    if any(c.tag not in ("td", "th") for c in cells):
        return 0
    for cell in cells:
        if any(isinstance(d.tag, str) and d.tag in BLOCK_TAGS for d in cell.iterdescendants()):
            return 0
        if len(compact(cell.text_content() or "")) > _DATA_CELL_MAX_CHARS:
            return 0
    return len(cells)


def _is_data_row(tr: etree._Element, widths: dict[etree._Element, int]) -> bool:
    """A row of a data table (another row beside it has as many short cells): one line, cells spaced.

    A lone row of short cells is a layout row (headline | date | counter), kept cell by cell.
    `widths` caches _short_cells per row, so a long table is measured once.
    """

    def width_of(row: etree._Element) -> int:
        if row not in widths:
            widths[row] = _short_cells(row)
        return widths[row]

    width = width_of(tr)
    if width < _DATA_ROW_MIN_CELLS:
        return False
    # The neighbouring rows decide: constant work per row keeps a 10k-row table linear.
    near = (tr.getprevious(), tr.getnext())
    return any(r is not None and r.tag == "tr" and width_of(r) == width for r in near)


_TITLE_CLASS = re.compile(r"title|headline|biaoti|heading|tit\b|^bt$|^h1$", re.IGNORECASE)
_EMPHASIS = frozenset({"b", "strong", "font", "big"})


class _Emitter:
    """Turns the page into lines, remembering for each whether it is article, heading or link."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.buffer: list[str] = []
        self.inside = 0
        self.heading = 0
        self.title_class = 0
        self.emphasis = 0
        self.link = 0
        self.flags: set[str] = set()
        self.link_chars = 0

    def add(self, text: str | None) -> None:
        if not text:
            return
        self.buffer.append(text)
        if not text.strip():
            return
        if self.heading:
            self.flags.add("heading")
        if self.title_class:
            self.flags.add("title")
        if self.emphasis:
            self.flags.add("emphasis")
        if self.link:
            self.link_chars += len(text.strip())

    def flush(self) -> None:
        if self.buffer:
            raw = "".join(self.buffer)
            text = "" if is_icon_button(raw) else normalize_line(raw)
            if text:
                link_share = min(1.0, self.link_chars / max(1, len(text)))
                self.page.lines.append(Line(text, self.inside > 0, frozenset(self.flags), link_share))
        self.buffer.clear()
        self.flags = set()
        self.link_chars = 0


def emit_lines(
    body: etree._Element, best: list[etree._Element], negative: set[etree._Element], page: Page
) -> None:
    """Append `body`'s lines to `page.lines`, marking those under the `best` roots as the article."""
    out = _Emitter(page)
    roots = set(best)
    row: etree._Element | None = None  # the data-table row being emitted as one line
    widths: dict[etree._Element, int] = {}
    walker = etree.iterwalk(body, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if row is not None and tag in ("td", "th"):
            out.buffer.append(" ")  # a cell of a data row: the row stays one line
            if event == "start":
                out.add(el.text)
            else:
                out.add(el.tail)
            continue
        if event == "start":
            if tag == "tr" and out.inside and _is_data_row(el, widths):
                out.flush()
                row = el
            if (
                out.inside
                and el not in roots
                and (el in negative or (tag in ("ul", "ol", "div", "p", "table") and _is_link_list(el)))
            ):
                # Skipping means no "end" event: add the tail now.
                out.flush()
                walker.skip_subtree()
                out.add(el.tail)
                continue
            if el in roots:
                out.flush()
                out.inside += 1
            if tag in BLOCK_TAGS or tag == "br":
                out.flush()
            if tag in _HEADINGS:
                out.heading += 1
            if _TITLE_CLASS.search(attr_text(el)):
                out.title_class += 1
            if tag in _EMPHASIS:
                out.emphasis += 1
            if tag == "a":
                out.link += 1
            out.add(el.text)
            continue
        if el is row:
            row = None
        if tag in BLOCK_TAGS or tag in ("br", "img"):
            out.flush()
        if tag in _HEADINGS:
            out.flush()
            out.heading -= 1
        if _TITLE_CLASS.search(attr_text(el)):
            out.flush()
            out.title_class -= 1
        if tag in _EMPHASIS:
            out.emphasis -= 1
        if tag == "a":
            out.link -= 1
        if el in roots:
            out.flush()
            out.inside -= 1
        if el.tail:
            if tag in ("td", "th"):
                out.buffer.append(" ")
            out.add(el.tail)
    out.flush()

"""Main-content detection for HTML pages: score text blocks, pick the article subtree, emit lines.

Every text block (the text a block element owns directly) gets a value: positive for prose
(non-link text, sentence punctuation), negative for link lists, short labels and blocks inside
elements whose class/id says navigation, footer, comments, share bars and the like; short plain
cells of data tables are neutral. The article is the element whose subtree has the highest total
value: it gathers all the paragraphs and stops before the navigation around them costs more than
the text it would add. Where paragraphs sit loose in a layout cell next to link lists and ads, the
best run of consecutive sibling blocks can replace the cell (when it is clearly better). Where the
winner holds three or more repeated dated units (blog front page, forum thread), the first unit is
the article. All walks are iterative (lxml's iterwalk), so 100k-deep nesting cannot overflow
Python's stack.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from bulletin.extract.lines import normalize_line

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
# Containers that can hold a whole article.
_CONTAINERS = frozenset(
    {
        "div",
        "td",
        "article",
        "section",
        "main",
        "body",
        "table",
        "tbody",
        "center",
        "form",
        "blockquote",
        "ul",
        "ol",
        "dl",
        "dd",
        "font",
        "span",
    }
)
_HEADINGS = frozenset({"h1", "h2", "h3"})
# Cells of data tables and definition lists (infoboxes): short plain text there is data.
_CELLS = frozenset({"td", "th", "dt", "dd"})
# Page regions that are never the article body even next to it: they end a run of siblings.
_REGION_TAGS = frozenset({"header", "footer", "nav", "aside"})
_NEGATIVE = re.compile(
    r"(?:^|[\s_-])(?:nav|navi|navbar|menu|menus|footer|foot|sidebar|side|aside|breadcrumbs?|crumbs?|"
    r"comments?|commentlist|reply|replies|share|sharebar|social|related|relate|recommend|recommends|"
    r"ad|ads|advert|advertisement|banner|copyright|copy|tags?|toolbar|tools|login|search|subscribe|"
    r"popup|modal|pager|pagination|rank|ranking|friendlinks?|links|widget|sponsor|promo|qrcode|ewm|"
    r"bottom|hot|hotnews|more|location|position|weizhi|dqwz|fenxiang|xgxw|xgwz|pl|plun)(?:$|[\s_-])",
    re.IGNORECASE,
)
_POSITIVE = re.compile(
    r"article|content|post|entry|story|detail|zoom|news_?txt|text|body|main|cont|artic|TRS_Editor|"
    r"zw|zhengwen|neirong",
    re.IGNORECASE,
)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_PUNCT = re.compile(r"[。，、；：！？,.;!?“”]")
_WS = re.compile(r"\s+")
# A negative class/id only marks boilerplate when the element is a minor part of the page; a
# wrapper holding most of the page text with class "hasSidebar" is not a sidebar.
_NEGATIVE_MAX_SHARE = 0.4


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


def _attr_text(el: etree._Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _read_head(root: etree._Element, page: Page) -> None:
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


def _block_value(total: int, link: int, punct: int, *, cell: bool = False) -> float:
    """Value of the text one block owns: prose counts for, links and short labels against."""
    if total == 0:
        return 0.0
    plain = total - link
    if link * 2 > total:
        return -float(total)  # a list of links: navigation, related articles
    if punct == 0 and plain < 20:
        # A label: menu item, date, "首页". A table cell of plain text is data (a results table
        # inside the article), so it is neutral rather than evidence of page furniture.
        return -float(link) if cell else -0.3 * plain - link
    return plain + 3.0 * min(punct, plain / 4) - 2.0 * link


def _looks_negative(el: etree._Element) -> bool:
    # Hidden elements count as boilerplate only through the size guard: apps such as WeChat
    # hide the whole article until a script reveals it.
    return bool(_NEGATIVE.search(_attr_text(el)) or _HIDDEN.search(el.get("style") or ""))


def _strip_noise(root: etree._Element) -> None:
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)


@dataclass
class _Stats:
    value: float = 0.0
    total: int = 0
    link: int = 0
    own: float = 0.0  # value of the text the element owns directly (not inside block children)
    own_total: int = 0
    children: list[tuple[etree._Element, float]] = field(default_factory=list)
    inner_best: float = float("-inf")  # the best container value inside this element


def _count(text: str | None) -> tuple[int, int]:
    if not text:
        return 0, 0
    return len(_WS.sub("", text)), len(_PUNCT.findall(text))


# A run of sibling blocks replaces its whole container only when the siblings it leaves out cost
# real value: a sidebar of links or a block of ads, not one short credit line under the text.
_RUN_MIN_GAIN = 50.0
_RUN_MIN_SHARE = 0.25


def _best_run(children: list[tuple[etree._Element, float]]) -> tuple[float, int, int]:
    """The contiguous run of children with the highest total value (Kadane): (value, first, last)."""
    best = (float("-inf"), 0, -1)
    current, first = 0.0, 0
    for i, (_, value) in enumerate(children):
        if current <= 0:
            current, first = value, i
        else:
            current += value
        if current > best[0]:
            best = (current, first, i)
    return best


def _score(body: etree._Element, page_total: int) -> tuple[list[etree._Element], set[etree._Element]]:
    """The article's root elements (one container or a run of siblings) and the boilerplate elements.

    Each container is valued whole (the sum of its blocks) and, when it owns little text itself,
    also as its best run of consecutive children: templates that put the article's paragraphs
    straight into a layout cell beside link lists and ads get the paragraphs, not the cell.
    """
    own: dict[etree._Element, list[int]] = {}
    owners: list[etree._Element] = []
    acc: list[_Stats] = []
    links = 0
    negative: set[etree._Element] = set()
    best: list[etree._Element] = [body]
    best_value = float("-inf")
    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag == "a":
                links += 1
            if tag in BLOCK_TAGS or not owners:
                owners.append(el)
                own[el] = [0, 0, 0]
            acc.append(_Stats())
            chars, punct = _count(el.text)
            stats = own[owners[-1]]
            stats[0] += chars
            stats[2] += punct
            if links:
                stats[1] += chars
            continue
        node = acc.pop()
        if tag in BLOCK_TAGS or (owners and owners[-1] is el):
            total, link, punct = own.pop(el, [0, 0, 0])
            node.own = _block_value(total, link, punct, cell=tag in _CELLS)
            node.own_total = total
            node.value += node.own
            node.total += total
            node.link += link
            if owners and owners[-1] is el:
                owners.pop()
        if tag == "a":
            links -= 1
        if el is not body and node.total < _NEGATIVE_MAX_SHARE * page_total and _looks_negative(el):
            negative.add(el)
            node.value = min(node.value, -0.5 * node.total)
        if tag in _CONTAINERS:
            if node.value > best_value:
                best, best_value = [el], node.value
            if len(node.children) > 1 and node.own_total * 5 <= node.total:
                run_value, first, last = _best_run(node.children)
                # The run must beat both its container and the best block inside it clearly: a
                # deck or byline beside the article body does not turn the body into a run.
                margin = max(_RUN_MIN_GAIN, _RUN_MIN_SHARE * run_value)
                if run_value - max(node.value, node.inner_best) >= margin:
                    if run_value - margin > best_value:
                        best = [c for c, _ in node.children[first : last + 1] if c not in negative]
                        best_value = run_value - margin
                    # Ancestors see this container as its run: the costly blocks around the run
                    # are furniture, and an ancestor that adds a lead or summary may still win.
                    negative.update(
                        c for i, (c, v) in enumerate(node.children) if v < 0 and not first <= i <= last
                    )
                    node.value = max(node.value, run_value - margin)
            node.inner_best = max(node.inner_best, node.value)
        if acc:
            parent = acc[-1]
            parent.value += node.value
            parent.total += node.total
            parent.link += node.link
            parent.inner_best = max(parent.inner_best, node.inner_best)
            if node.total:
                parent.children.append((el, -abs(node.value) if tag in _REGION_TAGS else node.value))
        if owners:
            chars, punct = _count(el.tail)
            stats = own[owners[-1]]
            stats[0] += chars
            stats[2] += punct
            if links:
                stats[1] += chars
    if best_value <= 0 or not best:
        best = [body]
    if len(best) == 1:
        best = [_first_unit(best[0])]
    return best, negative


# Blog front pages and forum threads repeat one unit per post (title, dated info line, text).
# The article is the first unit: the newest post, or the thread's opening post.
_UNIT_MIN_CHARS = 60
_UNIT_DATE = re.compile(r"(?:19|20)\d{2}\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|年\s*\d{1,2}\s*月\s*\d{1,2})")


def _dated_unit(el: etree._Element) -> bool:
    """A post-sized block with a short dated line of its own (its info bar)."""
    if len(_WS.sub("", el.text_content() or "")) < _UNIT_MIN_CHARS:
        return False
    return any(len(piece.strip()) <= 80 and _UNIT_DATE.search(piece) for piece in el.itertext())


def _first_unit(best: etree._Element) -> etree._Element:
    """The first of three or more repeated dated units inside `best`, else `best` itself."""
    el = best
    for _ in range(3):  # the units may sit one or two wrappers down
        kids = [c for c in el if isinstance(c.tag, str)]
        if not kids:
            return best
        sizes = [len(_WS.sub("", c.text_content() or "")) for c in kids]
        total = sum(sizes) or 1
        groups: dict[tuple[str, str], list[etree._Element]] = {}
        for c, size in zip(kids, sizes, strict=True):
            if size:
                groups.setdefault((str(c.tag), c.get("class") or ""), []).append(c)
        for members in groups.values():
            if len(members) >= 3:
                dated = [m for m in members if _dated_unit(m)]
                if len(dated) >= 3 and len(dated) * 3 >= len(members) * 2:
                    return dated[0]
        biggest = max(range(len(kids)), key=sizes.__getitem__)
        if sizes[biggest] * 10 < total * 9:
            return best
        el = kids[biggest]
    return best


def _is_link_list(el: etree._Element) -> bool:
    """A block of mostly links with little text of its own (inside the article: related links)."""
    total = len(_WS.sub("", el.text_content() or ""))
    if total == 0:
        return False
    link = sum(len(_WS.sub("", a.text_content() or "")) for a in el.iter("a"))
    return link * 10 > total * 6 and total - link < 40


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
        if len(_WS.sub("", cell.text_content() or "")) > _DATA_CELL_MAX_CHARS:
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
            text = normalize_line("".join(self.buffer))
            if text:
                link_share = min(1.0, self.link_chars / max(1, len(text)))
                self.page.lines.append(Line(text, self.inside > 0, frozenset(self.flags), link_share))
        self.buffer.clear()
        self.flags = set()
        self.link_chars = 0


def _emit(
    body: etree._Element, best: list[etree._Element], negative: set[etree._Element], page: Page
) -> None:
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
            if _TITLE_CLASS.search(_attr_text(el)):
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
        if _TITLE_CLASS.search(_attr_text(el)):
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


def clean_html(text: str) -> Page | None:
    """Parse a page and mark its article lines; None when the text does not parse as HTML."""
    root = parse(text)
    if root is None:
        return None
    page = Page(lines=[])
    _read_head(root, page)
    _strip_noise(root)
    bodies = root.xpath("//body")
    body = bodies[0] if bodies else root
    page_total = len(_WS.sub("", body.text_content() or ""))
    best, negative = _score(body, page_total)
    _emit(body, best, negative, page)
    return page

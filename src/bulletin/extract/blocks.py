"""The blocks stage: score the page's text blocks and pick the article subtree.

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

import re
from dataclasses import dataclass, field

from lxml import etree

from bulletin.extract.page import BLOCK_TAGS, attr_text
from bulletin.text.normalize import compact

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
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_PUNCT = re.compile(r"[。，、；：！？,.;!?“”]")
# A negative class/id only marks boilerplate when the element is a minor part of the page; a
# wrapper holding most of the page text with class "hasSidebar" is not a sidebar.
_NEGATIVE_MAX_SHARE = 0.4


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
    return bool(_NEGATIVE.search(attr_text(el)) or _HIDDEN.search(el.get("style") or ""))


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
    return len(compact(text)), len(_PUNCT.findall(text))


def _add_text(stats: list[int], text: str | None, *, in_link: bool) -> None:
    """Count a text node into its block's [characters, link characters, punctuation]."""
    chars, punct = _count(text)
    stats[0] += chars
    stats[2] += punct
    if in_link:
        stats[1] += chars


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


def pick_article(body: etree._Element, page_total: int) -> tuple[list[etree._Element], set[etree._Element]]:
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
            _add_text(own[owners[-1]], el.text, in_link=bool(links))
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
            _add_text(own[owners[-1]], el.tail, in_link=bool(links))
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
    if len(compact(el.text_content() or "")) < _UNIT_MIN_CHARS:
        return False
    return any(len(piece.strip()) <= 80 and _UNIT_DATE.search(piece) for piece in el.itertext())


def _first_unit(best: etree._Element) -> etree._Element:
    """The first of three or more repeated dated units inside `best`, else `best` itself."""
    el = best
    for _ in range(3):  # the units may sit one or two wrappers down
        kids = [c for c in el if isinstance(c.tag, str)]
        if not kids:
            return best
        sizes = [len(compact(c.text_content() or "")) for c in kids]
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

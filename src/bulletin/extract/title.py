"""The title stage: the headline, from page lines and <title>/og:title evidence, or a dump's first line."""

from __future__ import annotations

import re

from bulletin.extract import credits as metadata
from bulletin.extract.furniture import TITLE_SPAN, is_info_line
from bulletin.extract.page import Line, Page
from bulletin.extract.rules import match as match_rule
from bulletin.text.normalize import compact

# "主题：…" / "标题：…": forum and CMS templates label the headline.
_TITLE_LABEL = re.compile(r"^(?:主题|标题|题目|文章标题|帖子主题)\s*[:：]\s*")
# <title> values that name no article: editor defaults and empty template variables.
_GENERIC_TITLE = re.compile(
    r"^(?:显示|无标题文档|无标题|新建网页\s*\d*|untitled(?: document)?|document|index|home|首页|null|none)$"
    r"|::\s*null$",
    re.IGNORECASE,
)

# Lines that open a document's body but never name it: its issuing number (京中医政字〔2004〕80号,
# 国办发[2020]1号) or an outline heading (一、总体情况, 第一章 总则, （一）, 1. 背景).
_NOT_HEADLINE = re.compile(
    r"^[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号$"
    r"|^(?:[一二三四五六七八九十百]+\s*[、.．]|第[一二三四五六七八九十百\d]+[章节条部分编]"
    r"|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|\d{1,2}\s*[、．]|\d{1,2}\.(?!\d))"
)


def is_outline_line(line: str) -> bool:
    """A document number or an outline heading: the start of a body, never its title."""
    return _NOT_HEADLINE.search(line.strip()) is not None


def text_title(lines: list[str], recorded: str | None) -> tuple[str | None, list[str]]:
    """A text dump's headline and the body lines under it.

    The first line is the headline when it looks like one. When the scraper recorded the headline,
    that is the title and every line stays body: the first line goes later only if it says the same.
    """
    if recorded:
        return recorded, lines
    # Copied pages start with the site's name or breadcrumbs above the headline: skip them.
    start = 0
    while start < min(_HEAD_LINES, len(lines) - 1) and _is_head_furniture(lines[start], lines[start + 1]):
        start += 1
    first = lines[start] if start < len(lines) - 1 else ""
    if first and metadata.looks_like_title(first) and not is_outline_line(first):
        return first, lines[start + 1 :]
    return None, lines


# How far down a text dump its headline may sit (site name, breadcrumbs, then the headline).
_HEAD_LINES = 3
# A site's or an office's name alone on a line (潼南区人民政府, 区教育委员会, 潼南网): a masthead.
_MASTHEAD = re.compile(
    r"^[\u4e00-\u9fff·]{2,14}(?:人民政府|政府|委员会|教委|局|厅|办公室|中心|学校|中学|小学|大学|学院|"
    r"日报|晚报|报社|新闻网|门户网站|网站|网)$"
)


def _is_head_furniture(line: str, below: str) -> bool:
    """A line above a dump's headline that is not it: what the rule table drops (breadcrumbs,
    menus), or a masthead with a headline under it (an article may be titled 全国建成光纤宽带网)."""
    line = line.strip()
    if len(line) <= 60 and match_rule(line) is not None:
        return True
    return bool(_MASTHEAD.match(line)) and metadata.looks_like_title(below) and not _MASTHEAD.match(below)


def _headline_text(text: str) -> str:
    """A page line as a headline candidate: without a 主题： label."""
    return _TITLE_LABEL.sub("", text).strip()


def _title_score(line: Line, distance: int, keys: list[str], heads: list[str], *, first: bool) -> float:
    """How much a page line looks like the headline (see html_title)."""
    text = _headline_text(line.text)
    key = compact(text)
    # Headlines may ask or exclaim (？！) but never end a sentence with 。 or run on after one.
    if not 2 <= len(key) <= 90 or re.search(r"。$|。.", text) or text[-1] in "，,：:":
        return 0.0
    if match_rule(text) is not None or is_info_line(text) or is_outline_line(text):
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


def html_title(page: Page, start: int) -> str | None:
    """The headline: the page line near the article start that best matches headline evidence.

    Evidence: equal to (or contained in) <title>/og:title, h1-h3, a class/id saying title,
    bold text, being the article block's first line, and closeness to the article's first prose
    line. <title> minus the site name is the fallback when no line has enough evidence, unless it
    is an editor default ("无标题文档") and a weaker line candidate exists.
    """
    raw_titles = [t for t in (page.meta.get("og:title"), page.title_tag, page.meta.get("twitter:title")) if t]
    keys = [compact(t) for t in raw_titles]
    heads = [compact(metadata.strip_site_suffix(t)) for t in raw_titles]
    best: tuple[float, int] | None = None
    lines = page.lines
    first_in_article = next((i for i, line in enumerate(lines) if line.in_article), -1)
    for i in range(max(0, start - TITLE_SPAN), min(len(lines), start + 3)):
        score = _title_score(lines[i], start - i, keys, heads, first=i == first_in_article)
        if score > 0 and (best is None or score > best[0]):
            best = (score, i)
    if best is not None and best[0] >= 2.0:
        i = best[1]
        # Long headlines wrap over two heading lines; <title> shows them joined.
        for a, b in ((i - 1, i), (i, i + 1)):
            if a >= 0 and b < len(lines):
                joined = lines[a].text + lines[b].text
                if len(compact(joined)) >= 8 and any(compact(joined) in k for k in keys):
                    return joined
        return _headline_text(lines[i].text)
    for raw in raw_titles:
        stripped = metadata.strip_site_suffix(raw)
        if stripped and not _GENERIC_TITLE.search(stripped) and not _GENERIC_TITLE.search(raw):
            return stripped
    if best is not None and best[0] >= 1.5:
        return _headline_text(lines[best[1]].text)
    return None

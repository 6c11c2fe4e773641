"""Markdown bodies (html→md dumps) to plain text: images dropped, links to their text, marks removed."""

from __future__ import annotations

import re

# html→md converters wrap a link's text and target across lines: both may hold a newline.
_IMAGE = re.compile(
    r"!\[[^\]]{0,300}\]\([^)]{0,4000}\)|!\[[^\]\n]*\]\[[^\]\n]*\]"
    # a dump cut off inside an image's target
    r"|!\[[^\]\n]*\]\(\S*$",
    re.MULTILINE,
)
_LINK = re.compile(r"\[([^\]]{0,300})\]\(\s*(?:[^()\s]|\n|\([^()\s]*\))*\s*(?:\"[^\"]*\")?\s*\)")
_LINK_TEXT = re.compile(r"\[([^\]]{0,300})\]\(")
# A line that is one link and nothing else: in a tail block, a "related articles" list.
_LINK_ONLY = re.compile(r"^\s*\[([^\]]{1,300})\]\([^)]*\)\s*$", re.DOTALL)
_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_REF_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^>\s]*>")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_BULLET = re.compile(r"^\s*[-*+]\s+(?=\S)")
# A numbered item keeps its number: "3. 加强安全管理" is the article's own numbering.
_NUMBERED = re.compile(r"^\s*(\d{1,3}[.)])\s+(?=\S)")
_RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![A-Za-z0-9*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![A-Za-z0-9*])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_CODE = re.compile(r"`([^`\n]+)`")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
# Signs that a text is Markdown rather than prose that happens to hold a "#" or "*".
_SIGNS = re.compile(r"!\[[^\]]*\]\(|\]\((?:https?:|/)|^#{1,6}\s|^\*\*[^*]+\*\*\s*$", re.MULTILINE)


def looks_like_markdown(text: str) -> bool:
    """True when the text carries Markdown images, links, headings or bold lines."""
    return len(_SIGNS.findall(text[:20000])) >= 2


def markdown_to_text(text: str) -> str:
    """Plain text of a Markdown body, one paragraph a line, link text kept, targets and marks removed."""
    text = _drop_link_lists(_IMAGE.sub("", text))
    text = _LINK.sub(lambda m: " ".join(m.group(1).split()), text)
    text = _REF_LINK.sub(lambda m: m.group(1), text)
    text = _AUTOLINK.sub("", text)
    text = _HTML_BREAK.sub("\n", text)
    out: list[str] = []
    for line in text.splitlines():
        if _FENCE.match(line) or _RULE.match(line) or _REF_DEFINITION.match(line):
            continue
        heading = _HEADING.match(line)
        if heading:
            line = heading.group(1)
        line = _NUMBERED.sub(r"\1 ", _BULLET.sub("", _QUOTE.sub("", line)))
        line = _STRONG.sub(lambda m: m.group(2), line)
        line = _STRIKE.sub(lambda m: m.group(1), line)
        line = _EMPHASIS.sub(lambda m: m.group(1), line)
        line = _CODE.sub(lambda m: m.group(1), line)
        line = _ESCAPE.sub(lambda m: m.group(1), line)
        out.append(_stray_marks(line))
    return "\n".join(out)


def _stray_marks(line: str) -> str:
    # Unbalanced marks left by html→md converters ("**" alone, "**：") carry no text.
    stripped = line.strip()
    if stripped and not stripped.strip("*_#>`~ "):
        return ""
    return re.sub(r"\*\*+", "", line) if "**" in line else line


def _drop_link_lists(text: str) -> str:
    # Paragraphs of one link each, in the block of short paragraphs that ends the text, are the
    # platform's "related articles" list, not the article's.
    text = _LINK_TEXT.sub(lambda m: "[" + " ".join(m.group(1).split()) + "](", text)
    paragraphs = re.split(r"\n\s*\n", text)
    end = len(paragraphs)
    while end > 0 and (_LINK_ONLY.match(paragraphs[end - 1]) or len(paragraphs[end - 1].strip()) <= 40):
        end -= 1
    tail = [p for p in paragraphs[end:] if not _LINK_ONLY.match(p)]
    return "\n\n".join(paragraphs[:end] + tail)

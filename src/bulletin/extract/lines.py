"""Line-level cleaning shared by plain-text dumps and HTML: whitespace, the rule table, credits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bulletin.extract import credits as metadata
from bulletin.extract.rules import Action, match
from bulletin.models import Credit
from bulletin.text.normalize import is_icon_button, normalize_line, split_glyphs

# An END rule (评论列表, 相关文章 …) ends the article only once some article text came before it;
# at the very top of a page the same heading belongs to a sidebar.
_END_MIN_CHARS = 120


@dataclass
class Cleaned:
    """Body lines plus what the rules moved out of the body."""

    lines: list[str]
    credits: list[Credit] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    # Lines dropped before the first kept one: the info bar of a text dump (发布日期：… 浏览次数：…),
    # furniture as text but still where its date is printed.
    head: list[str] = field(default_factory=list)


def split_lines(text: str) -> list[str]:
    """Non-empty normalised lines of a text dump; icon buttons dropped, private-use marks are breaks."""
    out = []
    for raw in text.splitlines():
        if is_icon_button(raw):
            continue
        for part in split_glyphs(raw):
            line = normalize_line(part)
            if line:
                out.append(line)
    return out


def clean_lines(lines: list[str]) -> Cleaned:
    """Apply credits parsing and the rule table to body lines, in order."""
    result = Cleaned(lines=[])
    total = sum(len(line) for line in lines)
    seen = 0
    for index, line in enumerate(lines):
        parsed = metadata.parse_credit_line(line)
        if parsed is not None and (parsed[0] or parsed[1]):
            result.credits.extend(parsed[0])
            if parsed[1]:
                result.sources.append(parsed[1])
            result.dropped.append(line)
            continue
        rule = match(line)
        if rule is not None:
            if rule.action is Action.END:
                if seen >= _END_MIN_CHARS or seen * 3 >= total:
                    result.dropped.extend(lines[index:])
                    break
            elif rule.action is Action.META:
                _to_meta(rule.name, line, result)
            result.dropped.append(line)
            continue
        credits, rest = metadata.inline_credits(line)
        result.credits.extend(credits)
        if not rest:
            result.dropped.append(line)
            continue
        if not result.lines:
            result.head = lines[:index]
        result.lines.append(rest)
        seen += len(rest)
    if not result.lines:
        result.head = list(lines)
    return result


def _to_meta(name: str, line: str, result: Cleaned) -> None:
    if name == "tags":
        value = re.split(r"[:：]", line, maxsplit=1)[-1]
        result.tags.extend(metadata.parse_tags(value))
    elif name == "source":
        value = re.split(r"[:：]", line, maxsplit=1)[-1]
        source = metadata.parse_source(value)
        if source:
            result.sources.append(source)
    else:
        parsed = metadata.parse_credit_line(line)
        if parsed is not None:
            result.credits.extend(parsed[0])

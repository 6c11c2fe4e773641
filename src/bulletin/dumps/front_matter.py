"""YAML-style front matter (`---` … `---`) at the top of Markdown dumps, read without a YAML engine."""

from __future__ import annotations

import re

# Front matter is short: a block that has not closed after this many lines is not front matter.
_MAX_LINES = 60
_PAIR = re.compile(r"^([A-Za-z_][\w\- ]{0,40}|[\u4e00-\u9fff]{1,8})\s*[:：]\s?(.*)$")
_LIST_ITEM = re.compile(r"^\s+-\s+(.*)$|^-\s+(.*)$")


def split(text: str) -> tuple[list[tuple[str, str]], str] | None:
    """(key, value) pairs of a leading front-matter block and the text after it; None when there is none."""
    stripped = text.lstrip("\ufeff\r\n ")
    if not stripped.startswith("---"):
        return None
    lines = stripped.splitlines()
    if lines[0].strip() != "---":
        return None
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(lines[1 : _MAX_LINES + 1], start=1):
        if line.strip() in ("---", "..."):
            return pairs, "\n".join(lines[number + 1 :])
        item = _LIST_ITEM.match(line)
        if item and pairs:
            key, value = pairs[-1]
            pairs[-1] = (key, ", ".join(filter(None, (value, _unquote(item.group(1) or item.group(2))))))
            continue
        pair = _PAIR.match(line)
        if pair:
            pairs.append((pair.group(1).strip(), _unquote(pair.group(2))))
        elif line.strip() and not line.startswith((" ", "\t", "#")):
            return None  # not YAML-shaped: a Markdown horizontal rule opened the text
    return None


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value

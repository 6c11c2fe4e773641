"""Record corpora with XML-like tags (SogouCS/SogouCA `<doc>…</doc>`): one article a record."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

_DOC = re.compile(r"<doc>(.*?)(?:</doc>|(?=<doc>)|\Z)", re.DOTALL | re.IGNORECASE)
_FIELD = re.compile(r"<(\w+)>(.*?)</\1>", re.DOTALL)
_HEAD = re.compile(r"^\s*(?:\ufeff)?\s*<doc>\s*<(?:url|docno|contenttitle)>", re.IGNORECASE)
# Where each record field goes: SogouCS/SogouCA names first, a few general ones after.
_FIELDS = {
    "url": "url",
    "docno": "id",
    "contenttitle": "title",
    "title": "title",
    "content": "text",
    "text": "text",
    "date": "date",
    "source": "source",
}
_TAG = re.compile(f"<({'|'.join(_FIELDS)})>", re.IGNORECASE)
_END = re.compile(f"</({'|'.join(_FIELDS)})>", re.IGNORECASE)


@dataclass(frozen=True)
class Record:
    """One `<doc>` record: its fields by bulletin name, and its position in the file (1-based)."""

    number: int
    fields: dict[str, str]


def looks_like_records(text: str) -> bool:
    """True when the text opens with a `<doc>` record."""
    return bool(_HEAD.match(text[:2000]))


def unclosed_field(record: str) -> str | None:
    """The first record field opened and never closed (`<content>` with no `</content>`), if any."""
    opened = [name.lower() for name in _TAG.findall(record)]
    closed = [name.lower() for name in _END.findall(record)]
    return next((name for name in dict.fromkeys(opened) if opened.count(name) > closed.count(name)), None)


def iter_records(text: str) -> Iterator[Record]:
    """The `<doc>` records of a corpus file, fields unescaped, tags never left in a value."""
    for number, match in enumerate(_DOC.finditer(text), start=1):
        fields: dict[str, str] = {}
        for name, value in _FIELD.findall(match.group(1)):
            key = _FIELDS.get(name.lower())
            if key and key not in fields:
                fields[key] = html.unescape(re.sub(r"</?\w+>", "", value)).strip()
        if fields:
            yield Record(number, fields)

"""One text dump read as a scraper wrote it: recorded fields as hints, the body as plain text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from bulletin.dumps.fields import peel
from bulletin.dumps.markdown import looks_like_markdown, markdown_to_text
from bulletin.dumps.records import iter_records, looks_like_records

# Spiders that export one file a day name it by the publication day: 2013-12-19.txt, 20131219.md.
_DATED_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


@dataclass
class Dump:
    """The body to clean and what the scraper recorded about it."""

    body: str
    hints: dict[str, str] = field(default_factory=dict)
    author: str | None = None
    tags: list[str] = field(default_factory=list)


def read_dump(text: str, origin: str = "") -> Dump:
    """Peel the recorded fields (front matter, header lines, a `<doc>` record) off a text; unmark Markdown."""
    if looks_like_records(text):
        record = next(iter_records(text), None)
        if record is not None:
            fields = record.fields
            hints = {k: v for k, v in fields.items() if k in ("title", "url", "date", "source") and v}
            return Dump(body=fields.get("text", ""), hints=hints)
    peeled = peel(text)
    body = peeled.body
    if looks_like_markdown(body) or (peeled.body is not text and "](" in body):
        body = markdown_to_text(body)
    hints = peeled.hints()
    if "date" not in hints and peeled.body is not text:
        dated = name_date(origin)
        if dated:
            hints["date"] = dated
    return Dump(body=body, hints=hints, author=peeled.author, tags=peeled.tags)


def name_date(origin: str) -> str | None:
    """The YYYY-MM-DD a file's own name carries, if any."""
    match = _DATED_NAME.search(PurePath(origin).stem) if origin else None
    return "-".join(match.groups()) if match else None

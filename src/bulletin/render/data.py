"""Data renderers: JSON, JSON lines and CSV with stable field names (an interface)."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from typing import Any, TextIO

from bulletin.console import safe
from bulletin.results import Hit

HIT_FIELDS = (
    "rank",
    "id",
    "score",
    "title",
    "date",
    "source",
    "url",
    "origin",
    "snippet",
    "highlights",
    "copies",
)
CSV_HIT_FIELDS = ("rank", "id", "score", "title", "date", "source", "url", "origin", "snippet", "copies")


def hit_record(hit: Hit) -> dict[str, Any]:
    """One hit as a JSON object; `highlights` are [start, end) offsets into `snippet`."""
    article = hit.article
    return {
        "rank": hit.rank,
        "id": article.id,
        "score": round(hit.score, 4),
        "title": article.title,
        "date": article.date,
        "source": article.source,
        "url": article.url,
        "origin": article.origin,
        "snippet": hit.snippet.text,
        "highlights": [list(span) for span in hit.snippet.spans],
        "copies": hit.copies,
    }


# json.dumps escapes C0 controls but leaves DEL, C1 controls (CSI 0x9b …) and bidi overrides
# raw; in JSON they can only sit inside strings, where \uXXXX is the same value.
_UNESCAPED = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]")


def _escape_controls(text: str) -> str:
    return _UNESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def dumps(value: Any) -> str:
    """JSON with real characters (ensure_ascii off); control characters stay escaped."""
    return _escape_controls(json.dumps(value, ensure_ascii=False))


def write_json(value: Any, out: TextIO) -> None:
    """Pretty JSON document followed by a newline."""
    out.write(_escape_controls(json.dumps(value, ensure_ascii=False, indent=2)))
    out.write("\n")


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> None:
    """One compact JSON object per line, flushed as it goes (for streaming pipelines)."""
    for record in records:
        out.write(dumps(record))
        out.write("\n")


def write_csv(records: Iterable[dict[str, Any]], fields: tuple[str, ...], out: TextIO) -> None:
    """CSV with a header row; lists are joined with '; ' and control characters removed."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for record in records:
        row = []
        for name in fields:
            value = record.get(name)
            if isinstance(value, list):
                value = "; ".join(str(v) for v in value)
            row.append("" if value is None else safe(str(value)))
        writer.writerow(row)

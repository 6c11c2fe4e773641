"""Data renderers: JSON, JSON lines and CSV with the stable field names of bulletin.render.fields."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TextIO

from bulletin.models import Article
from bulletin.render.fields import HIT_FIELDS, MEMBER_FIELDS, RECORD_FIELDS
from bulletin.results import Hit
from bulletin.text.sanitize import escape_json, safe
from bulletin.titles import display_title


def article_record(article: Article) -> dict[str, Any]:
    """An article as every output writes it: its record plus `display_title`, in RECORD_FIELDS order."""
    stored = article.to_dict()
    shown = display_title(article.title, article.text)
    return {name: shown if name == "display_title" else stored[name] for name in RECORD_FIELDS}


if TYPE_CHECKING:
    from bulletin.archive.facade import DuplicateGroup
    from bulletin.archive.stats import ArchiveStats


def hit_record(hit: Hit) -> dict[str, Any]:
    """One hit as a JSON object; `highlights` are [start, end) offsets into `snippet`."""
    article = hit.article
    values = (
        hit.rank,
        article.id,
        round(hit.score, 4),
        article.title,
        display_title(article.title, article.text),
        article.date,
        article.source,
        article.url,
        article.origin,
        hit.snippet.text,
        [list(span) for span in hit.snippet.spans],
        hit.copies,
    )
    return dict(zip(HIT_FIELDS, values, strict=True))


def stats_record(stats: ArchiveStats) -> dict[str, Any]:
    """`stats --json`: every figure, sources and months as lists of {name, count} objects."""
    data = asdict(stats)
    data["sources"] = [{"source": s, "count": n} for s, n in data.pop("top_sources")]
    data["months"] = [{"month": m, "count": n} for m, n in stats.months]
    return data


def duplicate_record(group: DuplicateGroup) -> dict[str, Any]:
    """One group of near-duplicates: its id, size and members' id, title, date, source and origin."""
    return {
        "group": group.group_id,
        "count": len(group.members),
        "members": [
            {name: record[name] for name in MEMBER_FIELDS}
            for record in (article_record(a) for a in group.members)
        ],
    }


def dumps(value: Any) -> str:
    """JSON with real characters (ensure_ascii off); control and bidi characters stay escaped."""
    return escape_json(json.dumps(value, ensure_ascii=False))


def write_json(value: Any, out: TextIO) -> None:
    """Pretty JSON document followed by a newline."""
    out.write(escape_json(json.dumps(value, ensure_ascii=False, indent=2)))
    out.write("\n")


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    """One compact JSON object per line (for streaming pipelines); returns how many were written."""
    count = 0
    for record in records:
        out.write(dumps(record))
        out.write("\n")
        count += 1
    return count


def _cell(value: Any) -> str:
    # Lists are joined with "; ", and their objects (credits) as "role:name".
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(":".join(map(str, v.values())) if isinstance(v, dict) else str(v) for v in value)
    return safe(str(value))


def write_csv(records: Iterable[dict[str, Any]], fields: tuple[str, ...], out: TextIO) -> int:
    """CSV with a header row, control characters removed; returns how many rows were written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    count = 0
    for record in records:
        writer.writerow([_cell(record.get(name)) for name in fields])
        count += 1
    return count

"""Export articles as JSON lines, CSV, Markdown or an OpenSearch/Elasticsearch bulk file.

Writers take any iterable of articles and write as they go, so exporting a whole archive
needs memory for one batch of records, not for the archive.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from bulletin.console import one_line, safe
from bulletin.models import RECORD_FIELDS, Article

FORMATS = ("jsonl", "csv", "markdown", "opensearch")
DEFAULT_INDEX_NAME = "bulletin"

# Dates carry the precision the page gave ("2023", "2023-02", "2023-02-02", "2023-02-02T09:15");
# the cluster parses each of them as the start of that period.
_DATE_FORMATS = "yyyy||yyyy-MM||yyyy-MM-dd||yyyy-MM-dd'T'HH:mm||strict_date_optional_time"


def write_jsonl(articles: Iterable[Article], out: TextIO) -> int:
    """One record per line, the same fields as `--json`; returns how many were written."""
    count = 0
    for article in articles:
        out.write(json.dumps(article.to_dict(), ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def csv_row(article: Article) -> list[str]:
    """One article as CSV cells: lists joined with '; ', credits as role:name, controls removed."""
    record = article.to_dict()
    cells: list[str] = []
    for name in RECORD_FIELDS:
        value = record[name]
        if name == "credits":
            value = "; ".join(f"{c['role']}:{c['name']}" for c in value)
        elif isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        cells.append("" if value is None else safe(str(value)))
    return cells


def write_csv(articles: Iterable[Article], out: TextIO) -> int:
    """CSV with a header row of the record field names; returns how many rows were written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RECORD_FIELDS)
    count = 0
    for article in articles:
        writer.writerow(csv_row(article))
        count += 1
    return count


def markdown_section(article: Article) -> str:
    """One article as a Markdown section: heading, a metadata list, then the text."""
    title = one_line(article.title) or "(untitled)"
    lines = [f"## {_escape_markdown(title)}", ""]
    for label, value in (
        ("id", article.id),
        ("date", article.date),
        ("source", article.source),
        ("url", article.url),
        ("authors", ", ".join(article.authors)),
        ("credits", ", ".join(f"{c.role} {c.name}" for c in article.credits)),
        ("tags", ", ".join(article.tags)),
    ):
        if value:
            lines.append(f"- {label}: {_escape_markdown(one_line(value))}")
    lines.append("")
    paragraphs = [p.strip() for p in safe(article.text).split("\n") if p.strip()]
    lines.extend(f"{_escape_markdown(p)}\n" for p in paragraphs)
    return "\n".join(lines)


def _escape_markdown(text: str) -> str:
    # Scraped text must not become markup in the reader's viewer: a paragraph starting with
    # "#", "-", ">" or "1." would turn into a heading, list or quote; inline HTML would render.
    text = text.replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "*_`[]|":
        text = text.replace(ch, "\\" + ch)
    if text[:1] in ("#", "-", "+", "=") or (text[:1].isdigit() and text.lstrip("0123456789")[:1] in ".)"):
        text = "\\" + text
    return text


def write_markdown(articles: Iterable[Article], out: TextIO, *, heading: str = "bulletin export") -> int:
    """A Markdown document with one section per article; returns how many were written."""
    out.write(f"# {_escape_markdown(heading)}\n\n")
    count = 0
    for article in articles:
        if count:
            out.write("\n---\n\n")
        out.write(markdown_section(article))
        count += 1
    return count


def bulk_lines(article: Article, index_name: str = DEFAULT_INDEX_NAME) -> tuple[str, str]:
    """The Bulk API action line and source line for one article (`_id` = the article id)."""
    action = {"index": {"_index": index_name, "_id": article.id}}
    return json.dumps(action, ensure_ascii=False), json.dumps(article.to_dict(), ensure_ascii=False)


def write_bulk(articles: Iterable[Article], out: TextIO, *, index_name: str = DEFAULT_INDEX_NAME) -> int:
    """Bulk API NDJSON (action line, source line, newline-terminated); returns article count."""
    count = 0
    for article in articles:
        action, source = bulk_lines(article, index_name)
        out.write(action + "\n" + source + "\n")
        count += 1
    return count


def opensearch_mapping() -> dict[str, Any]:
    """Index settings and mapping for the exported records (OpenSearch 1+/Elasticsearch 7+).

    Text fields use a CJK bigram analyzer built only from built-in parts (standard tokenizer,
    cjk_width, lowercase, cjk_bigram), like bulletin's own index, so no plugin is needed;
    swap in `ik_max_word` where the IK plugin is installed.
    """
    cjk_text = {"type": "text", "analyzer": "bulletin_cjk"}
    keyword = {"type": "keyword"}
    return {
        "settings": {
            "analysis": {
                "analyzer": {
                    "bulletin_cjk": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["cjk_width", "lowercase", "cjk_bigram"],
                    }
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "id": keyword,
                "title": {**cjk_text, "fields": {"raw": {"type": "keyword", "ignore_above": 512}}},
                "date": {"type": "date", "format": _DATE_FORMATS},
                "source": {**cjk_text, "fields": {"raw": {"type": "keyword", "ignore_above": 256}}},
                "site": keyword,
                "url": {"type": "keyword", "ignore_above": 2048},
                "origin": {"type": "keyword", "ignore_above": 2048},
                "authors": keyword,
                "credits": {"properties": {"role": keyword, "name": keyword}},
                "tags": keyword,
                "lang": keyword,
                "text": cjk_text,
                "sha256": keyword,
                "imported_at": {"type": "date", "format": "strict_date_optional_time"},
            },
        },
    }

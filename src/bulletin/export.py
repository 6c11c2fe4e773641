"""Export articles as JSON lines, CSV, Markdown or an OpenSearch/Elasticsearch bulk file.

Writers take any iterable of articles and write as they go, so exporting a whole archive
needs memory for one batch of records, not for the archive. Every format escapes or removes
control and bidi characters as `search` does (bulletin.text.sanitize).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from bulletin.models import Article
from bulletin.render import data
from bulletin.render.bulk import DEFAULT_INDEX_NAME, opensearch_mapping, write_bulk
from bulletin.render.fields import RECORD_FIELDS
from bulletin.render.markdown import write_markdown

__all__ = [
    "DEFAULT_INDEX_NAME",
    "FORMATS",
    "format_for",
    "opensearch_mapping",
    "write",
    "write_csv",
    "write_jsonl",
]

FORMATS = ("jsonl", "csv", "markdown", "opensearch")
ALIASES = {"md": "markdown", "ndjson": "jsonl"}
# An output file's suffix names its format when --format does not.
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".md": "markdown", ".markdown": "markdown"}


def format_for(given: str | None, output: str | None) -> str | None:
    """The export format: --format (aliases resolved), else the output file's suffix, else jsonl.

    None when --format names no known format.
    """
    if given is not None:
        name = ALIASES.get(given.lower(), given.lower())
        return name if name in FORMATS else None
    if output:
        for suffix, name in SUFFIXES.items():
            if output.lower().endswith(suffix):
                return name
    return "jsonl"


def write_jsonl(articles: Iterable[Article], out: TextIO) -> int:
    """One record per line, the same fields as `--json`; returns how many were written."""
    return data.write_jsonl((data.article_record(article) for article in articles), out)


def write_csv(articles: Iterable[Article], out: TextIO) -> int:
    """CSV with a header row of the record field names; returns how many rows were written."""
    return data.write_csv((data.article_record(article) for article in articles), RECORD_FIELDS, out)


def write(
    fmt: str,
    articles: Iterable[Article],
    out: TextIO,
    *,
    heading: str = "bulletin export",
    index_name: str = DEFAULT_INDEX_NAME,
) -> int:
    """Write the articles in one of FORMATS; returns how many were written."""
    if fmt == "jsonl":
        return write_jsonl(articles, out)
    if fmt == "csv":
        return write_csv(articles, out)
    if fmt == "markdown":
        return write_markdown(articles, out, heading=heading)
    if fmt == "opensearch":
        return write_bulk(articles, out, index_name=index_name)
    raise ValueError(f"unknown export format {fmt!r}")

"""Scrapers' own text formats: front matter, header lines, Markdown, record corpora, app residue."""

from bulletin.dumps.fields import DumpFields, peel
from bulletin.dumps.markdown import looks_like_markdown, markdown_to_text
from bulletin.dumps.records import iter_records, looks_like_records
from bulletin.dumps.residue import trim_interface

__all__ = [
    "DumpFields",
    "iter_records",
    "looks_like_markdown",
    "looks_like_records",
    "markdown_to_text",
    "peel",
    "trim_interface",
]

"""Options several commands share, each defined once: filters, input reading, summary size, hit formats."""

from __future__ import annotations

import re
from typing import Annotated

import click
import typer

# The library's names (bulletin.search.SORTS and FACETS, bulletin.readers FORMATS), spelt out
# here so `--help` needs no library import; tests/test_help.py keeps them equal.
SORTS = ("relevance", "date", "-date")
FACETS = ("source", "year", "month")
INPUT_FORMATS = ("auto", "html", "text", "jsonl", "warc", "records")


def choice(names: tuple[str, ...]) -> click.Choice[str]:
    """A click choice: `--help` lists the names ([a|b|c]) and anything else is a usage error."""
    return click.Choice(names)


SortOption = Annotated[
    str,
    typer.Option("--sort", click_type=choice(SORTS), help="Order: relevance, date (oldest first) or -date."),
]

# Filters: search, summarize and export.
SinceOption = Annotated[
    str | None, typer.Option("--since", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD.")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD.")
]
SourceOption = Annotated[
    str | None, typer.Option("--source", help="Only articles whose source contains this.")
]
AuthorOption = Annotated[str | None, typer.Option("--author", help="Only articles credited to this name.")]
TagOption = Annotated[str | None, typer.Option("--tag", help="Only articles with this tag.")]

# Reading inputs: import and extract.
DEFAULT_MAX_SIZE = 20 * 1024 * 1024
InputFormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        click_type=choice(INPUT_FORMATS),
        help="How to read inputs: auto (by file suffix and content; - is one page) or this format.",
    ),
]
MapOption = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        metavar="FIELD=KEY",
        help="JSONL: read FIELD (html, text, url, title, date, source) from KEY (a.b: nested); repeatable.",
    ),
]
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)(i?b?)\s*", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_size(value: object) -> int:
    """A byte count from `40MB`, `40M`, `40MiB`, `512k` or `1000` (K, M, G are powers of 1024)."""
    match = _SIZE.fullmatch(str(value))
    if match is None or (match.group(3) and match.group(3).lower() != "b" and not match.group(2)):
        raise typer.BadParameter(f"{value!r} is not a size; use bytes or a K, M or G suffix (40MB, 512K)")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


MaxSizeOption = Annotated[
    int,
    typer.Option(
        "--max-size",
        metavar="SIZE",
        parser=parse_size,
        show_default="20MB",
        help="Skip inputs larger than this (bytes, or K, M, G: 40MB, 512K).",
    ),
]

# Summary size: extract --summary and show.
LengthOption = Annotated[int, typer.Option("--length", help="Summary budget in characters (Chinese).")]

# Output formats: hits (search and similar), and --plain wherever a terminal view exists.
HitsJsonOption = Annotated[bool, typer.Option("--json", help="One JSON object: total, offset and the hits.")]
HitsJsonlOption = Annotated[bool, typer.Option("--jsonl", help="One JSON hit per line.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="CSV with a header row.")]
IdsOption = Annotated[bool, typer.Option("--ids", help="One article id per line.")]
PlainOption = Annotated[bool, typer.Option("--plain", help="Tab-separated lines even on a terminal.")]

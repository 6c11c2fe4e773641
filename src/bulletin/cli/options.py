"""Options several commands share, each defined once: filters, input reading, summary size, hit formats."""

from __future__ import annotations

from typing import Annotated

import typer

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
        metavar="FORMAT",
        help="How to read inputs: auto (by file suffix; - is one page), html, text, jsonl or warc.",
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
MaxSizeOption = Annotated[
    int, typer.Option("--max-size", metavar="BYTES", help="Skip inputs larger than this.")
]

# Summary size: extract --summary and show.
LengthOption = Annotated[int, typer.Option("--length", help="Summary budget in characters (Chinese).")]

# Output formats: hits (search and similar), and --plain wherever a terminal view exists.
HitsJsonOption = Annotated[bool, typer.Option("--json", help="A JSON array of hits.")]
HitsJsonlOption = Annotated[bool, typer.Option("--jsonl", help="One JSON hit per line.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="CSV with a header row.")]
IdsOption = Annotated[bool, typer.Option("--ids", help="One article id per line.")]
PlainOption = Annotated[bool, typer.Option("--plain", help="Tab-separated lines even on a terminal.")]

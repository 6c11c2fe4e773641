"""`bulletin export`: write the archive, or a query's matches, as JSONL, CSV, Markdown or OpenSearch bulk."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from bulletin.cli.app import open_archive, state_of
from bulletin.cli.errors import emit_notices, exit_found, fail, warn
from bulletin.cli.options import (
    AuthorOption,
    SinceOption,
    SortOption,
    SourceOption,
    TagOption,
    UntilOption,
)
from bulletin.errors import BulletinError


def export_command(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="A search query (empty: every article).")] = "",
    given_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="[jsonl|csv|markdown|md|opensearch]",
            help="Output format; opensearch is a Bulk API NDJSON file. Default: from the -o suffix "
            "(.csv, .md, .jsonl), else jsonl.",
        ),
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout.")
    ] = None,
    bom: Annotated[
        bool, typer.Option("--bom", help="CSV: start with a UTF-8 byte order mark (for Excel).")
    ] = False,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    author: AuthorOption = None,
    tag: TagOption = None,
    sort: SortOption = "relevance",
    index_name: Annotated[
        str, typer.Option("--index-name", help="Target index name in the opensearch bulk file.")
    ] = "bulletin",
    mapping: Annotated[
        str | None,
        typer.Option(
            "--mapping",
            metavar="FILE",
            help="Where to write the opensearch index mapping (default: next to -o as NAME.mapping.json).",
        ),
    ] = None,
) -> None:
    """Write the archive, or the articles a query matches, as JSONL, CSV, Markdown or OpenSearch bulk.

    Records have the same fields as `show --json`. Every match is written, near-duplicates
    included; the export streams, so memory stays flat however large the archive.
    """
    from bulletin import export
    from bulletin.search import SearchRequest

    state = state_of(ctx)
    fmt = export.format_for(given_format, output)
    if fmt is None:
        fail(f"--format {given_format!r} is not known; use one of {', '.join(export.FORMATS)} (md: markdown)")
    if bom and fmt != "csv":
        fail(f"--bom goes with CSV only (this export is {fmt})")
    if mapping and fmt != "opensearch":
        fail("--mapping goes with --format opensearch")
    request = SearchRequest(
        query=query, since=since, until=until, source=source, author=author, tag=tag, sort=sort
    )
    everything = request == SearchRequest(sort=sort)
    mapping_path = mapping or (_mapping_beside(output) if fmt == "opensearch" and output else None)
    try:
        with open_archive(state) as archive:
            articles = archive.iter_articles(None if everything else request)
            with _output_stream(output) as out:
                if bom:
                    out.write("\ufeff")  # Excel takes a CSV without one for the local ANSI code page
                count = export.write(
                    fmt, articles, out, heading=query or "bulletin export", index_name=index_name
                )
            emit_notices(archive)
    except BulletinError as exc:
        fail(str(exc))
    except BrokenPipeError:
        raise
    except OSError as exc:
        if output is None:  # stdout failed (not a closed pipe): say so without a traceback
            fail(f"cannot write to standard output ({exc.strerror or exc})")
        fail(f"{output}: cannot write ({exc.strerror or exc}); check the path and free space")
    if mapping_path:
        _write_mapping(mapping_path, export.opensearch_mapping())
    elif fmt == "opensearch":
        warn("no index mapping written; pass --mapping FILE (or -o FILE) to get one")
    if output:
        warn(f"exported {count} articles to {output}")
    exit_found(count)


def _write_mapping(path: str, mapping: Any) -> None:
    """Write the opensearch index mapping beside the bulk file (or where --mapping says)."""
    from bulletin.render.data import write_json

    try:
        with open(path, "w", encoding="utf-8") as handle:
            write_json(mapping, handle)
    except OSError as exc:
        fail(f"{path}: cannot write the mapping ({exc.strerror or exc}); choose another --mapping")
    warn(f"index mapping written to {path}")


def _mapping_beside(output: str) -> str:
    path = Path(output)
    stem = path.name.split(".")[0] or "bulletin"
    return str(path.with_name(stem + ".mapping.json"))


@contextlib.contextmanager
def _output_stream(output: str | None) -> Iterator[Any]:
    """stdout, or a file written beside its final name and renamed on success (no half files)."""
    if output is None or output == "-":
        yield sys.stdout
        return
    final = Path(output)
    partial = final.with_name(final.name + ".partial")
    with open(partial, "w", encoding="utf-8", newline="") as handle:
        try:
            yield handle
        except BaseException:
            handle.close()
            partial.unlink(missing_ok=True)
            raise
    os.replace(partial, final)

"""`bulletin extract`: clean inputs and print the records, without archiving them."""

from __future__ import annotations

import contextlib
import sys
from typing import Annotated, Any

import typer

from bulletin.cli.app import state_of
from bulletin.cli.errors import ExitStatus, warn
from bulletin.cli.inputs import open_named, report_passed_over
from bulletin.cli.options import DEFAULT_MAX_SIZE, InputFormatOption, LengthOption, MapOption, MaxSizeOption
from bulletin.cli.output import TERMINAL, choose_format
from bulletin.errors import InputError


def extract_command(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files or folders; - reads stdin.")],
    json_: Annotated[bool, typer.Option("--json", help="A JSON array of records.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON record per line.")] = False,
    max_size: MaxSizeOption = DEFAULT_MAX_SIZE,
    summary: Annotated[
        bool, typer.Option("--summary", help="Add a summary and keywords to each record.")
    ] = False,
    length: LengthOption = 120,
    keywords: Annotated[int, typer.Option("--keywords", help="How many keywords with --summary.")] = 8,
    input_format: InputFormatOption = "auto",
    maps: MapOption = None,
) -> None:
    """Clean pages (or feed and web-archive records) and print the records, without archiving them."""
    from bulletin.archive import gist_of
    from bulletin.extract import extract
    from bulletin.render import plain
    from bulletin.render.data import article_record, dumps, write_json

    state = state_of(ctx)
    fmt = choose_format(state.env, json=json_, jsonl=jsonl)
    failed = 0
    records: list[dict[str, Any]] = []
    console = None
    if fmt == TERMINAL:
        from bulletin.render.terminal import make_console

        console = make_console(state.env)
    # Panels page like git's log; a pipe or --json/--jsonl is never paged.
    with state.paged() if console is not None else contextlib.nullcontext():
        inputs = open_named(paths, max_size, input_format, maps)
        report_passed_over(inputs)
        for item in inputs.items:
            if isinstance(item, InputError):
                warn(f"skipped {item.origin}: {item.reason}")
                failed += 1
                continue
            try:
                article = extract(item)
            except InputError as exc:
                warn(f"skipped {exc.origin}: {exc.reason}")
                failed += 1
                continue
            record = article_record(article)
            gist = gist_of(article, length=length, keywords=keywords) if summary else None
            summary_text = gist.summary if gist is not None else None
            keyword_list = gist.keywords if gist is not None else None
            if gist is not None:
                record["summary"] = gist.summary
                record["keywords"] = gist.keywords
            if fmt == "json":
                records.append(record)
            elif fmt == "jsonl":
                print(dumps(record), flush=True)
            elif console is not None:
                from bulletin.render.terminal import article_panel

                console.print(article_panel(article, summary=summary_text, keywords=keyword_list))
            else:
                text = plain.article_text(article, summary=summary_text, keywords=keyword_list)
                sys.stdout.write(text + "\n")
    if fmt == "json":
        write_json(records, sys.stdout)
    raise typer.Exit(ExitStatus.NO_MATCH if failed else ExitStatus.OK)

"""`bulletin show`: one article (metadata, summary, keywords, clean text), or its original bytes."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from bulletin.cli.app import open_archive, served_answer, state_of
from bulletin.cli.errors import ExitStatus, emit_notices, library_errors
from bulletin.cli.options import LengthOption
from bulletin.cli.output import TERMINAL, choose_format
from bulletin.cli.process import mark_read_only


def show_command(
    ctx: typer.Context,
    article_id: Annotated[
        str, typer.Argument(metavar="ID", help="Article id (or a unique prefix of at least 4).")
    ],
    json_: Annotated[bool, typer.Option("--json", help="The record as JSON.")] = False,
    raw: Annotated[bool, typer.Option("--raw", help="The original bytes, as imported.")] = False,
    length: LengthOption = 120,
    keywords: Annotated[int, typer.Option("--keywords", help="How many keywords to show (0: none).")] = 8,
    no_summary: Annotated[bool, typer.Option("--no-summary", help="Skip the summary and keywords.")] = False,
) -> None:
    """Print one article: metadata, summary and keywords, then the clean text."""
    from bulletin.render import plain
    from bulletin.render.data import article_record, write_json
    from bulletin.results import ShownArticle

    mark_read_only("show")
    state = state_of(ctx)
    fmt = choose_format(state.env, json=json_, raw=raw)
    request = {"id": article_id, "gist": not no_summary, "length": length, "keywords": keywords}
    with library_errors():
        answer = None if fmt == "raw" else served_answer(state, "show", request)
        if answer is not None:
            shown = ShownArticle.from_dict(answer)
        else:  # no server (or the original bytes, which are not served): read the archive here
            with open_archive(state) as archive:
                if fmt == "raw":
                    data = archive.raw(article_id)
                    sys.stdout.flush()
                    sys.stdout.buffer.write(data)
                    sys.stdout.buffer.flush()
                    raise typer.Exit(ExitStatus.OK)
                shown = archive.shown(article_id, gist=not no_summary, length=length, keywords=keywords)
                emit_notices(archive)
    article, origins, summary, words = shown.article, shown.origins, shown.summary, shown.keywords
    if fmt == "json":
        record = article_record(article)
        record["origins"] = origins
        if summary is not None:
            record["summary"] = summary
            record["keywords"] = words
        write_json(record, sys.stdout)
    elif fmt == TERMINAL:
        from bulletin.render.terminal import article_panel, make_console

        panel = article_panel(article, origins=origins, summary=summary, keywords=words)
        with state.paged():
            make_console(state.env).print(panel)
    else:
        sys.stdout.write(plain.article_text(article, origins=origins, summary=summary, keywords=words))

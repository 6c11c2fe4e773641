"""The one choice of output format (a flag, else a terminal view on a TTY, else plain lines); hit lists."""

from __future__ import annotations

import sys
from typing import Any

import typer

from bulletin.cli.app import State
from bulletin.cli.errors import warn
from bulletin.console import Env, one_line

# Formats no flag names: what a command prints when no format flag is given.
TERMINAL, PLAIN = "terminal", "plain"


def choose_format(env: Env, *, terminal: bool = True, **flags: bool) -> str:
    """The format flag given (its name), else TERMINAL on a TTY or with --color always, else PLAIN.

    `flags` maps each format flag of the command to whether it was given; two at once is a
    usage error. `terminal=False`: the command has no terminal view and prints plain lines there too.
    """
    chosen = [name for name, on in flags.items() if on]
    if len(chosen) > 1:
        raise typer.BadParameter("choose one of " + ", ".join("--" + c for c in chosen))
    if chosen:
        return chosen[0]
    return TERMINAL if terminal and env.terminal_view else PLAIN


def print_counts(state: State, rows: list[tuple[str, int]], key: str, fmt: str) -> None:
    """Hit counts by `key` (a facet) in the chosen format."""
    from bulletin.render.data import write_csv, write_json, write_jsonl

    records = [{key: k, "count": v} for k, v in rows]
    if fmt == "json":
        write_json(records, sys.stdout)
    elif fmt == "jsonl":
        write_jsonl(records, sys.stdout)
    elif fmt == "csv":
        write_csv(records, (key, "count"), sys.stdout)
    elif fmt == TERMINAL:
        from bulletin.render.terminal import counts_table, make_console

        with state.paged():
            make_console(state.env).print(counts_table(f"hits by {key}", rows, key))
    else:
        for k, v in rows:
            print(f"{one_line(k)}\t{v}")


def print_hits(state: State, result: Any, fmt: str, offset: int = 0) -> None:
    """A page of hits (search, similar) in the chosen format; `offset`: how many hits came before it."""
    from bulletin.render import plain
    from bulletin.render.data import hit_record, write_csv, write_json, write_jsonl
    from bulletin.render.fields import CSV_HIT_FIELDS

    if fmt == "json":
        # An object, not a bare array: a script paging with --offset needs the total.
        page = {"total": result.total, "offset": offset, "hits": [hit_record(h) for h in result.hits]}
        write_json(page, sys.stdout)
    elif fmt == "jsonl":
        write_jsonl((hit_record(h) for h in result.hits), sys.stdout)
    elif fmt == "csv":
        write_csv((hit_record(h) for h in result.hits), CSV_HIT_FIELDS, sys.stdout)
    elif fmt == "ids":
        for hit in result.hits:
            print(hit.article.id)
    elif fmt == TERMINAL:
        from bulletin.render.terminal import hits_table, make_console

        if result.hits:
            with state.paged():
                console = make_console(state.env)
                console.print(hits_table(result, offset=offset, width=console.width))
        else:
            warn(f"no hits ({result.total} total)" if result.total else "no hits")
    else:
        for line in plain.hit_lines(result.hits):
            print(line)

"""Managing the archive: `stats`, `delete`, `duplicates`, `reindex` and `check`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from bulletin.cli.app import State, open_archive, state_of
from bulletin.cli.errors import ExitStatus, emit_notices, exit_found, fail, library_errors, warn
from bulletin.cli.options import PlainOption
from bulletin.cli.output import TERMINAL, choose_format
from bulletin.cli.process import mark_read_only
from bulletin.console import one_line
from bulletin.errors import BulletinError


def stats_command(
    ctx: typer.Context,
    json_: Annotated[bool, typer.Option("--json", help="The figures as JSON.")] = False,
    plain_: PlainOption = False,
) -> None:
    """Article count, dates, sources, months, duplicate groups and sizes on disk."""
    from bulletin.render.data import stats_record, write_json
    from bulletin.render.plain import stats_lines

    mark_read_only("stats")
    state = state_of(ctx)
    fmt = choose_format(state.env, json=json_, plain=plain_)
    with library_errors(), open_archive(state) as archive:
        stats = archive.stats()
        emit_notices(archive)
    if fmt == "json":
        write_json(stats_record(stats), sys.stdout)
    elif fmt == TERMINAL:
        from bulletin.render.tables import stats_view
        from bulletin.render.terminal import make_console

        with state.paged():
            make_console(state.env).print(stats_view(stats))
    else:
        print("\n".join(stats_lines(stats)))


def delete_command(
    ctx: typer.Context,
    ids: Annotated[
        list[str] | None, typer.Argument(metavar="[ID]...", help="Article ids (or unique prefixes).")
    ] = None,
    query: Annotated[
        str | None, typer.Option("--query", "-q", help="Delete every article this query matches.")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm deleting by --query.")] = False,
    wait: Annotated[
        float, typer.Option("--wait", metavar="SECONDS", help="How long to wait for another writer.")
    ] = 5.0,
) -> None:
    """Remove articles from the archive (database and index together); prints the ids removed.

    Deleting by --query needs --yes; without it the matches are counted and nothing is removed.
    """
    from bulletin.search import SearchRequest

    state = state_of(ctx)
    if not ids and query is None:
        fail("name article ids to delete, or --query Q --yes")
    failed = False
    with library_errors(), open_archive(state) as archive:
        chosen: list[str] = []
        for given in ids or []:
            try:
                chosen.append(archive.resolve(given))
            except BulletinError as exc:
                warn(str(exc))
                failed = True
        if query is not None:
            matched = archive.matching_ids(SearchRequest(query=query))
            if not yes:
                warn(f"{len(matched)} articles match {query!r}; add --yes to delete them")
                raise typer.Exit(ExitStatus.ERROR if matched else ExitStatus.NO_MATCH)
            chosen.extend(matched)
        removed = archive.delete(chosen, wait=wait)
        emit_notices(archive)
    for article_id in removed:
        print(article_id)
    warn(f"deleted {len(removed)} articles")
    if failed:
        raise typer.Exit(ExitStatus.ERROR)
    exit_found(removed)


def duplicates_command(
    ctx: typer.Context,
    json_: Annotated[bool, typer.Option("--json", help="Groups as a JSON array.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON group per line.")] = False,
    plain_: PlainOption = False,
) -> None:
    """List groups of near-duplicates: the same bulletin archived from several places."""
    from bulletin.render.data import duplicate_record, write_json, write_jsonl
    from bulletin.render.plain import duplicate_lines

    state = state_of(ctx)
    fmt = choose_format(state.env, json=json_, jsonl=jsonl, plain=plain_)
    with library_errors(), open_archive(state) as archive:
        groups = list(archive.duplicate_groups())
        emit_notices(archive)
    records = [duplicate_record(group) for group in groups]
    if fmt == "json":
        write_json(records, sys.stdout)
    elif fmt == "jsonl":
        write_jsonl(records, sys.stdout)
    elif fmt == TERMINAL:
        if records:
            from bulletin.render.tables import duplicates_table
            from bulletin.render.terminal import make_console

            with state.paged():
                console = make_console(state.env)
                console.print(duplicates_table(records, console.width))
        else:
            warn("no near-duplicates")
    else:
        for record in records:
            for line in duplicate_lines(record):
                print(line)
    exit_found(records)


def reindex_command(ctx: typer.Context) -> None:
    """Rebuild the search index from the archive database (the old index serves meanwhile)."""
    from bulletin.cli.progress import Bar

    state = state_of(ctx)
    # The total comes with the first report (the archive's article count).
    bar = Bar(state.env, "reindexing", None, counted=True) if state.env.stderr_tty else None
    with library_errors(), open_archive(state) as archive:
        try:
            count = archive.reindex(progress=bar.update if bar is not None else None)
        finally:
            if bar is not None:
                bar.stop()
        emit_notices(archive)  # articles whose record could not be read, each named
        stored = archive.store.count()
    warn(f"reindexed {count} articles")
    if count < stored:
        warn(f"{stored - count} archived articles could not be read; run `bulletin check` for details")
        raise typer.Exit(ExitStatus.NO_MATCH)


def check_command(
    ctx: typer.Context,
    repair: Annotated[
        bool, typer.Option("--repair", help="Fix index drift found (rebuilds what is needed).")
    ] = False,
    plain_: PlainOption = False,
) -> None:
    """Verify the archive: database integrity, index drift, original hashes. Exit 1 if problems."""
    state = state_of(ctx)
    fmt = choose_format(state.env, plain=plain_)
    with library_errors(), open_archive(state) as archive:
        problems = archive.check()
        _print_problems(state, problems, fmt)
        if problems and repair:
            if any(p.startswith("index:") for p in problems):
                archive.reindex()
                warn("index rebuilt from the archive database")
            remaining = archive.check()
            for problem in remaining:
                warn(f"still wrong: {problem}")
            raise typer.Exit(ExitStatus.NO_MATCH if remaining else ExitStatus.OK)
    if not problems:
        warn("archive is healthy")
    raise typer.Exit(ExitStatus.NO_MATCH if problems else ExitStatus.OK)


def _print_problems(state: State, problems: list[str], fmt: str) -> None:
    """`check`'s findings on stdout: a table on a terminal, one line each elsewhere."""
    if fmt == TERMINAL and problems:
        from bulletin.render.tables import problems_table
        from bulletin.render.terminal import make_console

        make_console(state.env).print(problems_table(problems))
        return
    for problem in problems:
        print(one_line(problem))

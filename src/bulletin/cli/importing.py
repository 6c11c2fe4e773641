"""`bulletin import`: read inputs into the archive, with a progress bar, a report and a graceful Ctrl-C."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from bulletin.cli.app import open_archive, state_of
from bulletin.cli.errors import ExitStatus, emit_notices, fail, warn
from bulletin.cli.inputs import input_names, open_named, report_passed_over
from bulletin.cli.options import DEFAULT_MAX_SIZE, InputFormatOption, MapOption, MaxSizeOption
from bulletin.cli.output import choose_format
from bulletin.cli.process import graceful_interrupt, interrupted
from bulletin.errors import BulletinError


def import_command(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files or folders (recursive); - reads stdin.")
    ] = None,
    files_from: Annotated[
        str | None,
        typer.Option(
            "--files-from", metavar="FILE", help="Read newline-separated paths from FILE (- for stdin)."
        ),
    ] = None,
    max_size: MaxSizeOption = DEFAULT_MAX_SIZE,
    wait: Annotated[
        float, typer.Option("--wait", metavar="SECONDS", help="How long to wait for another import.")
    ] = 5.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or report.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON line per input on stdout.")] = False,
    input_format: InputFormatOption = "auto",
    maps: MapOption = None,
) -> None:
    """Import scraped pages, text dumps, JSONL scraper feeds and WARC web archives."""
    from bulletin.archive import ImportReport
    from bulletin.cli.progress import progress_bar  # rich.progress: only when importing

    state = state_of(ctx)
    fmt = choose_format(state.env, terminal=False, jsonl=jsonl)
    if not paths and files_from is None:
        fail("nothing to import: give files or folders, - for stdin, or --files-from FILE")
    if files_from == "-" and "-" in (paths or []):
        fail("stdin cannot be both the path list (--files-from -) and an input (-)")
    # Streamed, never listed: a feed or web archive can hold millions of pages.
    inputs = open_named(input_names(paths or [], files_from), max_size, input_format, maps)
    total = inputs.total
    try:
        archive = open_archive(state, create=True)
    except BulletinError as exc:
        fail(str(exc))
    report = ImportReport()
    stop = graceful_interrupt()
    # Records on a terminal's stdout are progress enough; a bar beside them would garble both.
    progress = progress_bar(
        state.env, "importing", total, quiet=quiet or (fmt == "jsonl" and state.env.stdout_tty)
    )
    try:
        with archive:
            events = archive.import_inputs(
                inputs.items,
                wait=wait,
                on_wait=lambda: warn(f"waiting up to {wait:g}s for another import to finish…"),
                stop=lambda: bool(stop),
                progress=progress.advance if progress is not None else None,
            )
            _report_events(events, report, fmt)
            emit_notices(archive)
    except BulletinError as exc:
        if progress is not None:
            progress.stop()
        fail(str(exc))
    finally:
        stop.restore()
        if progress is not None:
            progress.stop()
    if not quiet:
        report_passed_over(inputs)
        skipped = inputs.counts.skipped
        if skipped:
            warn(f"passed over {skipped} web-archive records that are not pages (images, redirects…)")
        warn(f"imported {report.added} added, {report.unchanged} unchanged, {report.failed} failed")
    if stop:
        interrupted(
            "interrupted: what was reported as added is archived; run the same import again to finish"
        )
    raise typer.Exit(ExitStatus.NO_MATCH if report.failed else ExitStatus.OK)


def _report_events(events: Any, report: Any, fmt: str) -> None:
    """Count each import event, say which inputs failed, print its JSON line (--jsonl)."""
    from bulletin.render.data import dumps

    for event in events:
        report.record(event)
        if event.status == "failed":
            warn(f"skipped {event.origin}: {event.reason}")
        if fmt == "jsonl":
            record = {
                "origin": event.origin,
                "status": event.status,
                "id": event.article_id,
                "title": event.title,
                "reason": event.reason,
            }
            print(dumps(record), flush=True)

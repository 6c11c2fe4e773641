"""The `bulletin` command line: parse options, call the library, pick a renderer, exit like grep."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from bulletin import __version__
from bulletin.console import Env, one_line
from bulletin.errors import BulletinError, InputError
from bulletin.paths import resolve_archive

EXIT_OK, EXIT_NONE, EXIT_ERROR = 0, 1, 2


def _new_app() -> typer.Typer:
    return typer.Typer(
        name="bulletin",
        help="Turn scraped bulletins and news pages into a clean, searchable archive.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


app = _new_app()


@dataclass
class State:
    """Options shared by every command."""

    archive_option: str | None
    env: Env

    @property
    def archive_path(self) -> Path:
        """The chosen archive folder."""
        return resolve_archive(self.archive_option)


def fail(message: str) -> NoReturn:
    """Print one error line on stderr and exit 2."""
    print(f"bulletin: error: {one_line(message)}", file=sys.stderr)
    raise typer.Exit(EXIT_ERROR)


def warn(message: str) -> None:
    """Print one diagnostic line on stderr."""
    print(f"bulletin: {one_line(message)}", file=sys.stderr)


F = TypeVar("F", bound=Callable[..., Any])


def _state(ctx: typer.Context) -> State:
    state = ctx.find_root().obj
    assert isinstance(state, State)
    return state


def version_callback(value: bool) -> None:
    if value:
        print(f"bulletin {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    archive: Annotated[
        str | None,
        typer.Option(
            "--archive",
            metavar="PATH",
            help="Archive folder (default: $BULLETIN_ARCHIVE, else the user data folder).",
        ),
    ] = None,
    color: Annotated[
        str, typer.Option("--color", metavar="WHEN", help="Colour: auto, always or never.")
    ] = "auto",
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Turn scraped bulletins and news pages into a clean, searchable archive."""
    if color not in ("auto", "always", "never"):
        raise typer.BadParameter("use auto, always or never", param_hint="--color")
    existing = ctx.obj
    env = existing.env if isinstance(existing, State) else Env.detect(color)
    ctx.obj = State(archive_option=archive, env=env)


def _open(state: State, *, create: bool = False) -> Any:
    from bulletin.archive import open_archive

    return open_archive(state.archive_path, create=create)


def _emit_notices(archive: Any) -> None:
    for notice in archive.notices:
        warn(notice)
    archive.notices.clear()


# Filter options shared by search, summarize and export.
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


def _pick_format(**flags: bool) -> str | None:
    chosen = [name for name, on in flags.items() if on]
    if len(chosen) > 1:
        raise typer.BadParameter("choose one of " + ", ".join("--" + c for c in chosen))
    return chosen[0] if chosen else None


# ------------------------------------------------------------------------------------- import


# Input options shared by import and extract.
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


def _names(paths: list[str], files_from: str | None) -> list[str]:
    """The paths given plus those listed by --files-from, folders expanded later."""
    from bulletin.readers import read_path_list

    names = list(paths)
    if files_from is not None:
        if files_from == "-":
            names.extend(read_path_list(sys.stdin))
        else:
            try:
                with open(files_from, encoding="utf-8", errors="surrogateescape") as handle:
                    names.extend(read_path_list(handle))
            except OSError as exc:
                fail(f"{files_from}: cannot read the path list ({exc.strerror}); check --files-from")
    return names


def _inputs(names: list[str], max_size: int, fmt: str = "auto", maps: list[str] | None = None) -> Any:
    """Inputs read lazily, one page or feed/archive record at a time (usage errors exit 2)."""
    from bulletin.readers import FormatError, open_inputs
    from bulletin.readers.jsonl import MappingError

    try:
        return open_inputs(names, fmt=fmt, maps=maps or [], max_size=max_size, stdin=sys.stdin.buffer)
    except FormatError as exc:
        raise typer.BadParameter(str(exc), param_hint="--format") from None
    except MappingError as exc:
        raise typer.BadParameter(str(exc), param_hint="--map") from None


@app.command("import")
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
    max_size: Annotated[
        int, typer.Option("--max-size", metavar="BYTES", help="Skip inputs larger than this.")
    ] = 20 * 1024 * 1024,
    wait: Annotated[
        float, typer.Option("--wait", metavar="SECONDS", help="How long to wait for another import.")
    ] = 5.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or report.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON line per input on stdout.")] = False,
    fmt: InputFormatOption = "auto",
    maps: MapOption = None,
) -> None:
    """Import scraped pages, text dumps, JSONL scraper feeds and WARC web archives."""
    from bulletin.render.data import dumps

    state = _state(ctx)
    if not paths and files_from is None:
        fail("nothing to import: give files or folders, - for stdin, or --files-from FILE")
    if files_from == "-" and "-" in (paths or []):
        fail("stdin cannot be both the path list (--files-from -) and an input (-)")
    # Streamed, never listed: a feed or web archive can hold millions of pages.
    inputs = _inputs(_names(paths or [], files_from), max_size, fmt, maps)
    total = inputs.total
    try:
        archive = _open(state, create=True)
    except BulletinError as exc:
        fail(str(exc))
    from bulletin.archive import ImportReport

    report = ImportReport()
    stop = _graceful_interrupt()
    progress = None
    if state.env.stderr_tty and not quiet and (total is None or total > 1):
        from rich.progress import Progress

        from bulletin.render.terminal import make_console

        progress = Progress(console=make_console(state.env, stderr=True), transient=True)
        task = progress.add_task("importing", total=total)
        progress.start()
    try:
        with archive:
            events = archive.import_inputs(
                inputs.items,
                wait=wait,
                on_wait=lambda: warn(f"waiting up to {wait:g}s for another import to finish…"),
                stop=lambda: bool(stop),
            )
            for event in events:
                report.record(event)
                if event.status == "failed":
                    warn(f"skipped {event.origin}: {event.reason}")
                if jsonl:
                    print(
                        dumps(
                            {
                                "origin": event.origin,
                                "status": event.status,
                                "id": event.article_id,
                                "title": event.title,
                                "reason": event.reason,
                            }
                        ),
                        flush=True,
                    )
                if progress is not None:
                    progress.advance(task)
            _emit_notices(archive)
    except BulletinError as exc:
        if progress is not None:
            progress.stop()
        fail(str(exc))
    finally:
        stop.restore()
        if progress is not None:
            progress.stop()
    if not quiet:
        skipped = inputs.counts.skipped
        if skipped:
            warn(f"passed over {skipped} web-archive records that are not pages (images, redirects…)")
        warn(f"imported {report.added} added, {report.unchanged} unchanged, {report.failed} failed")
    if stop:
        _interrupted(
            "interrupted: what was reported as added is archived; run the same import again to finish"
        )
    raise typer.Exit(EXIT_NONE if report.failed else EXIT_OK)


_INTERRUPT_REPORTED: list[str] = []  # what a command said about a Ctrl-C, if anything
_READ_ONLY: list[str] = []  # set by a command that only read the archive and printed


def _interrupted(message: str = "interrupted") -> NoReturn:
    """Say that a Ctrl-C stopped the command, then exit 130."""
    _INTERRUPT_REPORTED.append(message)
    warn(message)
    raise typer.Exit(130)


class _Flag:
    """Set by the first Ctrl-C during an import."""

    def __init__(self) -> None:
        self.set = False
        self.previous: Any = None

    def restore(self) -> None:
        """Put back the Ctrl-C handler that was there before the import.

        Not after a Ctrl-C: the process is on its way out with 130, and a further Ctrl-C
        during shutdown should still end it at once rather than raise a traceback.
        """
        if self.previous is not None and not self.set:
            import signal

            signal.signal(signal.SIGINT, self.previous)
            self.previous = None

    def __bool__(self) -> bool:
        return self.set


def _graceful_interrupt() -> _Flag:
    """First Ctrl-C: stop at the import's next safe point; a second one stops at once."""
    import signal

    flag = _Flag()
    if threading_is_main():

        def handler(signum: int, frame: object) -> None:
            # os.write, not print: the handler may interrupt a print to stderr, and a
            # re-entrant write on the same buffer raises.
            if flag.set:
                # Second Ctrl-C: leave now, as a kill would. SQLite rolls back the open
                # transaction, the index is repaired on the next run, and every event already
                # printed stays true (each was flushed after its commit).
                _write_stderr("bulletin: stopped at once; run the same import again to finish\n")
                os._exit(130)
            flag.set = True
            _write_stderr("bulletin: stopping… (Ctrl-C again to stop at once)\n")

        flag.previous = signal.signal(signal.SIGINT, handler)
    return flag


def _write_stderr(text: str) -> None:
    """Write to fd 2 directly (safe inside a signal handler); a closed stderr is ignored."""
    from contextlib import suppress

    with suppress(OSError):
        os.write(2, text.encode())


def threading_is_main() -> bool:
    """Signal handlers can only be installed from the main thread."""
    import threading

    return threading.current_thread() is threading.main_thread()


# ------------------------------------------------------------------------------------ extract


@app.command("extract")
def extract_command(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files or folders; - reads stdin.")],
    json_: Annotated[bool, typer.Option("--json", help="A JSON array of records.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON record per line.")] = False,
    max_size: Annotated[
        int, typer.Option("--max-size", metavar="BYTES", help="Skip inputs larger than this.")
    ] = 20 * 1024 * 1024,
    summary: Annotated[
        bool, typer.Option("--summary", help="Add a summary and keywords to each record.")
    ] = False,
    length: Annotated[int, typer.Option("--length", help="Summary budget in characters (Chinese).")] = 120,
    keywords: Annotated[int, typer.Option("--keywords", help="How many keywords with --summary.")] = 8,
    input_format: InputFormatOption = "auto",
    maps: MapOption = None,
) -> None:
    """Clean pages (or feed and web-archive records) and print the records, without archiving them."""
    from bulletin.archive import gist_of
    from bulletin.extract import extract
    from bulletin.render import plain
    from bulletin.render.data import dumps, write_json

    state = _state(ctx)
    fmt = _pick_format(json=json_, jsonl=jsonl)
    failed = 0
    records: list[dict[str, Any]] = []
    console = None
    if fmt is None and state.env.stdout_tty:
        from bulletin.render.terminal import make_console

        console = make_console(state.env)
    for item in _inputs(paths, max_size, input_format, maps).items:
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
        record = article.to_dict()
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
    raise typer.Exit(EXIT_NONE if failed else EXIT_OK)


# ------------------------------------------------------------------------------------- search


@app.command("search")
def search_command(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help='Words (AND), "phrases", field:word, OR, NOT, -word, ( ).')
    ] = "",
    limit: Annotated[int, typer.Option("--limit", "-n", help="Hits to show; 0 for all.")] = 10,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many hits first.")] = 0,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    author: AuthorOption = None,
    tag: TagOption = None,
    sort: Annotated[
        str, typer.Option("--sort", help="relevance, date or -date (newest first).")
    ] = "relevance",
    count: Annotated[bool, typer.Option("--count", help="Print only the number of hits.")] = False,
    facet: Annotated[str | None, typer.Option("--facet", help="Count hits by source, year or month.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="A JSON array of hits.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON hit per line.")] = False,
    csv_: Annotated[bool, typer.Option("--csv", help="CSV with a header row.")] = False,
    ids: Annotated[bool, typer.Option("--ids", help="One article id per line.")] = False,
    plain_: Annotated[bool, typer.Option("--plain", help="Tab-separated lines even on a terminal.")] = False,
    all_copies: Annotated[
        bool, typer.Option("--all-copies", help="List every near-duplicate, not one hit per group.")
    ] = False,
) -> None:
    """Search the archive. Exit 0 when something is found, 1 when nothing, 2 on error.

    Near-duplicates (the same bulletin republished elsewhere) show once, marked "+N copies".
    """
    from bulletin.results import SearchRequest, SearchResult

    _READ_ONLY.append("search")
    state = _state(ctx)
    fmt = _pick_format(json=json_, jsonl=jsonl, csv=csv_, ids=ids, plain=plain_)
    request = SearchRequest(
        query=query,
        since=since,
        until=until,
        source=source,
        author=author,
        tag=tag,
        sort=sort,
        limit=None if limit == 0 else limit,
        offset=offset,
        all_copies=all_copies,
    )
    op = "count" if count else "facet" if facet else "search"
    articles = None  # the archive's size, when searched here rather than by a server
    try:
        answer = _served(state, op, {**request.to_dict(), "facet": facet})
        if answer is None:  # no `bulletin serve` for this archive: search here
            with _open(state) as archive:
                if count:
                    answer = archive.count(request)
                elif facet:
                    answer = archive.facet(request, facet)
                else:
                    answer = archive.search(request)
                _emit_notices(archive)
                articles = archive.index.doc_count()
    except BulletinError as exc:
        fail(str(exc))
    if count:
        print(answer)
        found = bool(answer)
    elif facet:
        rows = [(str(key), int(n)) for key, n in answer]
        _print_counts(state, rows, facet, fmt)
        found = bool(rows)
    else:
        result = answer if isinstance(answer, SearchResult) else SearchResult.from_dict(answer)
        _print_hits(state, result, fmt)
        found = bool(result.total)
    if articles is not None:
        sys.stdout.flush()  # the answer first; starting a server is for the searches after it
        _start_server_if_wanted(state, articles)
    raise typer.Exit(EXIT_OK if found else EXIT_NONE)


def _served(state: State, op: str, request: dict[str, Any]) -> Any:
    """The answer of the archive's `bulletin serve`, or None when none is running."""
    from bulletin.remote import ask

    served, answer = ask(state.archive_path, op, request)
    return answer if served else None


def _start_server_if_wanted(state: State, articles: int) -> None:
    """After searching a big archive alone: start a server in the background for the next search."""
    from bulletin.remote import AUTO_IDLE_TIMEOUT, start_server, wants_server

    started = wants_server(articles) and start_server(state.archive_path)
    if started and state.env.stderr_tty:  # a person, not a script, may wonder what the new process is
        warn(
            f"started a search server for the next searches (leaves after {AUTO_IDLE_TIMEOUT // 60} "
            "idle minutes; `bulletin serve --stop` ends it, BULLETIN_SERVER=off prevents it)"
        )


def _print_counts(state: State, rows: list[tuple[str, int]], key: str, fmt: str | None) -> None:
    from bulletin.render.data import write_csv, write_json, write_jsonl

    records = [{key: k, "count": v} for k, v in rows]
    if fmt == "json":
        write_json(records, sys.stdout)
    elif fmt == "jsonl":
        write_jsonl(records, sys.stdout)
    elif fmt == "csv":
        write_csv(records, (key, "count"), sys.stdout)
    elif fmt is None and state.env.stdout_tty:
        from bulletin.render.terminal import counts_table, make_console

        make_console(state.env).print(counts_table(f"hits by {key}", rows, key))
    else:
        for k, v in rows:
            print(f"{one_line(k)}\t{v}")


def _print_hits(state: State, result: Any, fmt: str | None) -> None:
    from bulletin.render import plain
    from bulletin.render.data import hit_record, write_csv, write_json, write_jsonl
    from bulletin.render.fields import CSV_HIT_FIELDS

    if fmt == "json":
        write_json([hit_record(h) for h in result.hits], sys.stdout)
    elif fmt == "jsonl":
        write_jsonl((hit_record(h) for h in result.hits), sys.stdout)
    elif fmt == "csv":
        write_csv((hit_record(h) for h in result.hits), CSV_HIT_FIELDS, sys.stdout)
    elif fmt == "ids":
        for hit in result.hits:
            print(hit.article.id)
    elif fmt is None and state.env.stdout_tty:
        from bulletin.render.terminal import hits_table, make_console

        console = make_console(state.env)
        if result.hits:
            console.print(hits_table(result))
        else:
            warn(f"no hits ({result.total} total)" if result.total else "no hits")
    else:
        for line in plain.hit_lines(result.hits):
            print(line)


@app.command("serve")
def serve_command(
    ctx: typer.Context,
    idle_timeout: Annotated[
        int,
        typer.Option(
            "--idle-timeout", metavar="SECONDS", help="Stop after this long without a search; 0: never."
        ),
    ] = 1800,
    status: Annotated[
        bool, typer.Option("--status", help="Tell whether a server runs for the archive (exit 1: none).")
    ] = False,
    stop: Annotated[
        bool, typer.Option("--stop", help="Stop the archive's server (exit 1: none ran).")
    ] = False,
) -> None:
    """Keep the archive open and answer `bulletin search` and `show` from here, skipping start-up.

    Runs until Ctrl-C, SIGTERM, `bulletin serve --stop` or the idle timeout. Search and show
    use it by themselves while it runs; a search of an archive of 10,000 articles or more
    starts one (BULLETIN_SERVER=off: never; on: for any archive). It only reads the archive.
    """
    import signal

    from bulletin.server import SearchServer

    state = _state(ctx)
    if idle_timeout < 0:
        fail("--idle-timeout must be 0 (never stop) or a number of seconds")
    folder = state.archive_path
    if status or stop:
        _control_server(state, "stop" if stop else "status")
    stopping: list[int] = []
    if threading_is_main():
        signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))
    server = SearchServer(folder)
    try:
        server.serve(
            idle_timeout=idle_timeout or None,
            on_ready=lambda path: warn(f"answering searches of {folder} at {path} (Ctrl-C to stop)"),
            stop=lambda: bool(stopping),
        )
    except BulletinError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        pass  # the server closed its socket on the way out
    warn(f"stopped after {server.served} searches")


def _control_server(state: State, op: str) -> NoReturn:
    """Report on (`status`) or stop the archive's server; exit 1 when none runs."""
    from bulletin.remote import ask

    # Whatever BULLETIN_SERVER says, and a server of any version answers these.
    served, answer = ask(state.archive_path, op, {}, even_when_off=True)
    if served and isinstance(answer, dict):
        if op == "stop":
            warn(f"stopped the server of {state.archive_path} (process {answer.get('pid')})")
        else:
            for key, value in answer.items():
                print(f"{key}\t{one_line(str(value))}")
        raise typer.Exit(EXIT_OK)
    warn(f"no server runs for {state.archive_path}")
    raise typer.Exit(EXIT_NONE)


# ---------------------------------------------------------------------------- summarize, similar


@app.command("summarize")
def summarize_command(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="A search query (empty: the whole archive).")] = "",
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    author: AuthorOption = None,
    tag: TagOption = None,
    sample: Annotated[int, typer.Option("--sample", help="Top hits read for keywords and summary.")] = 200,
    json_: Annotated[bool, typer.Option("--json", help="The digest as JSON.")] = False,
    plain_: Annotated[bool, typer.Option("--plain", help="Tab-separated lines even on a terminal.")] = False,
) -> None:
    """Digest of a result set: count, timeline, top sources, keywords and a short summary."""
    from bulletin.render.data import write_json
    from bulletin.search import SearchRequest

    state = _state(ctx)
    fmt = _pick_format(json=json_, plain=plain_)
    request = SearchRequest(query=query, since=since, until=until, source=source, author=author, tag=tag)
    try:
        with _open(state) as archive:
            data = archive.digest(request, sample=max(1, sample)).to_dict()
            _emit_notices(archive)
    except BulletinError as exc:
        fail(str(exc))
    if fmt == "json":
        write_json(data, sys.stdout)
    elif fmt is None and state.env.stdout_tty:
        from bulletin.render.terminal import digest_view, make_console

        make_console(state.env).print(digest_view(data))
    else:
        from bulletin.render.plain import digest_lines

        for line in digest_lines(data):
            print(line)
    raise typer.Exit(EXIT_OK if data["count"] else EXIT_NONE)


@app.command("similar")
def similar_command(
    ctx: typer.Context,
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (or a unique prefix).")],
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many to list.")] = 10,
    json_: Annotated[bool, typer.Option("--json", help="A JSON array of hits.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON hit per line.")] = False,
    csv_: Annotated[bool, typer.Option("--csv", help="CSV with a header row.")] = False,
    ids: Annotated[bool, typer.Option("--ids", help="One article id per line.")] = False,
    plain_: Annotated[bool, typer.Option("--plain", help="Tab-separated lines even on a terminal.")] = False,
) -> None:
    """Articles most like the given one (by their most distinctive character pairs)."""
    from bulletin.search import similar_result

    _READ_ONLY.append("similar")
    state = _state(ctx)
    fmt = _pick_format(json=json_, jsonl=jsonl, csv=csv_, ids=ids, plain=plain_)
    try:
        with _open(state) as archive:
            found = archive.similar(article_id, limit=max(1, limit))
            _emit_notices(archive)
    except BulletinError as exc:
        fail(str(exc))
    result = similar_result(found)
    _print_hits(state, result, fmt)
    raise typer.Exit(EXIT_OK if result.hits else EXIT_NONE)


# --------------------------------------------------------------------------------------- show


@app.command("show")
def show_command(
    ctx: typer.Context,
    article_id: Annotated[
        str, typer.Argument(metavar="ID", help="Article id (or a unique prefix of at least 4).")
    ],
    json_: Annotated[bool, typer.Option("--json", help="The record as JSON.")] = False,
    raw: Annotated[bool, typer.Option("--raw", help="The original bytes, as imported.")] = False,
    length: Annotated[int, typer.Option("--length", help="Summary budget in characters (Chinese).")] = 120,
    keywords: Annotated[int, typer.Option("--keywords", help="How many keywords to show (0: none).")] = 8,
    no_summary: Annotated[bool, typer.Option("--no-summary", help="Skip the summary and keywords.")] = False,
) -> None:
    """Print one article: metadata, summary and keywords, then the clean text."""
    from bulletin.render import plain
    from bulletin.render.data import write_json
    from bulletin.results import ShownArticle

    _READ_ONLY.append("show")
    state = _state(ctx)
    fmt = _pick_format(json=json_, raw=raw)
    request = {"id": article_id, "gist": not no_summary, "length": length, "keywords": keywords}
    try:
        answer = None if fmt == "raw" else _served(state, "show", request)
        if answer is not None:
            shown = ShownArticle.from_dict(answer)
        else:  # no server (or the original bytes, which are not served): read the archive here
            with _open(state) as archive:
                if fmt == "raw":
                    data = archive.raw(article_id)
                    sys.stdout.flush()
                    sys.stdout.buffer.write(data)
                    sys.stdout.buffer.flush()
                    raise typer.Exit(EXIT_OK)
                shown = archive.shown(article_id, gist=not no_summary, length=length, keywords=keywords)
                _emit_notices(archive)
    except BulletinError as exc:
        fail(str(exc))
    article, origins, summary, words = shown.article, shown.origins, shown.summary, shown.keywords
    if fmt == "json":
        record = article.to_dict()
        record["origins"] = origins
        if summary is not None:
            record["summary"] = summary
            record["keywords"] = words
        write_json(record, sys.stdout)
    elif state.env.stdout_tty:
        from bulletin.render.terminal import article_panel, make_console

        panel = article_panel(article, origins=origins, summary=summary, keywords=words)
        make_console(state.env).print(panel)
    else:
        sys.stdout.write(plain.article_text(article, origins=origins, summary=summary, keywords=words))


# -------------------------------------------------------------------------------------- stats


@app.command("stats")
def stats_command(
    ctx: typer.Context,
    json_: Annotated[bool, typer.Option("--json", help="The figures as JSON.")] = False,
) -> None:
    """Article count, dates, sources, months, duplicate groups and sizes on disk."""
    from bulletin.render.data import stats_record, write_json
    from bulletin.render.plain import stats_lines

    _READ_ONLY.append("stats")
    state = _state(ctx)
    try:
        with _open(state) as archive:
            stats = archive.stats()
            _emit_notices(archive)
    except BulletinError as exc:
        fail(str(exc))
    if json_:
        write_json(stats_record(stats), sys.stdout)
        return
    print("\n".join(stats_lines(stats)))


# ------------------------------------------------------------------- export, delete, duplicates


@app.command("export")
def export_command(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="A search query (empty: every article).")] = "",
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="jsonl, csv, markdown or opensearch (Bulk API NDJSON).")
    ] = "jsonl",
    output: Annotated[
        str | None, typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout.")
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    author: AuthorOption = None,
    tag: TagOption = None,
    sort: Annotated[
        str, typer.Option("--sort", help="relevance, date or -date (with a query or filter).")
    ] = "relevance",
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

    state = _state(ctx)
    if fmt not in export.FORMATS:
        fail(f"--format {fmt!r} is not known; use one of {', '.join(export.FORMATS)}")
    if mapping and fmt != "opensearch":
        fail("--mapping goes with --format opensearch")
    request = SearchRequest(
        query=query, since=since, until=until, source=source, author=author, tag=tag, sort=sort
    )
    everything = request == SearchRequest(sort=sort)
    mapping_path = mapping or (_mapping_beside(output) if fmt == "opensearch" and output else None)
    try:
        with _open(state) as archive:
            articles = archive.iter_articles(None if everything else request)
            with _output_stream(output) as out:
                count = export.write(
                    fmt, articles, out, heading=query or "bulletin export", index_name=index_name
                )
            _emit_notices(archive)
    except BulletinError as exc:
        fail(str(exc))
    except BrokenPipeError:
        raise
    except OSError as exc:
        if output is None:  # stdout failed (not a closed pipe): say so without a traceback
            fail(f"cannot write to standard output ({exc.strerror or exc})")
        fail(f"{output}: cannot write ({exc.strerror or exc}); check the path and free space")
    if mapping_path:
        from bulletin.render.data import write_json

        try:
            with open(mapping_path, "w", encoding="utf-8") as handle:
                write_json(export.opensearch_mapping(), handle)
        except OSError as exc:
            fail(
                f"{mapping_path}: cannot write the mapping ({exc.strerror or exc}); choose another --mapping"
            )
        warn(f"index mapping written to {mapping_path}")
    elif fmt == "opensearch":
        warn("no index mapping written; pass --mapping FILE (or -o FILE) to get one")
    if output:
        warn(f"exported {count} articles to {output}")
    raise typer.Exit(EXIT_OK if count else EXIT_NONE)


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


@app.command("delete")
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

    state = _state(ctx)
    if not ids and query is None:
        fail("name article ids to delete, or --query Q --yes")
    failed = False
    try:
        with _open(state) as archive:
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
                    raise typer.Exit(EXIT_ERROR if matched else EXIT_NONE)
                chosen.extend(matched)
            removed = archive.delete(chosen, wait=wait)
            _emit_notices(archive)
    except BulletinError as exc:
        fail(str(exc))
    for article_id in removed:
        print(article_id)
    warn(f"deleted {len(removed)} articles")
    raise typer.Exit(EXIT_ERROR if failed else (EXIT_OK if removed else EXIT_NONE))


@app.command("duplicates")
def duplicates_command(
    ctx: typer.Context,
    json_: Annotated[bool, typer.Option("--json", help="Groups as a JSON array.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON group per line.")] = False,
) -> None:
    """List groups of near-duplicates: the same bulletin archived from several places."""
    from bulletin.render.data import duplicate_record, write_json, write_jsonl
    from bulletin.render.plain import duplicate_lines

    state = _state(ctx)
    fmt = _pick_format(json=json_, jsonl=jsonl)
    try:
        with _open(state) as archive:
            groups = list(archive.duplicate_groups())
            _emit_notices(archive)
    except BulletinError as exc:
        fail(str(exc))
    records = [duplicate_record(group) for group in groups]
    if fmt == "json":
        write_json(records, sys.stdout)
    elif fmt == "jsonl":
        write_jsonl(records, sys.stdout)
    else:
        for record in records:
            for line in duplicate_lines(record):
                print(line)
    raise typer.Exit(EXIT_OK if records else EXIT_NONE)


# ----------------------------------------------------------------------------- check, reindex


@app.command("reindex")
def reindex_command(ctx: typer.Context) -> None:
    """Rebuild the search index from the archive database (the old index serves meanwhile)."""
    state = _state(ctx)
    try:
        with _open(state) as archive:
            count = archive.reindex()
    except BulletinError as exc:
        fail(str(exc))
    warn(f"reindexed {count} articles")


@app.command("check")
def check_command(
    ctx: typer.Context,
    repair: Annotated[
        bool, typer.Option("--repair", help="Fix index drift found (rebuilds what is needed).")
    ] = False,
) -> None:
    """Verify the archive: database integrity, index drift, original hashes. Exit 1 if problems."""
    state = _state(ctx)
    try:
        with _open(state) as archive:
            problems = archive.check()
            for problem in problems:
                print(one_line(problem))
            if problems and repair:
                if any(p.startswith("index:") for p in problems):
                    archive.reindex()
                    warn("index rebuilt from the archive database")
                remaining = archive.check()
                for problem in remaining:
                    warn(f"still wrong: {problem}")
                raise typer.Exit(EXIT_NONE if remaining else EXIT_OK)
    except BulletinError as exc:
        fail(str(exc))
    if not problems:
        warn("archive is healthy")
    raise typer.Exit(EXIT_NONE if problems else EXIT_OK)


# ---------------------------------------------------------------------------------------- main


_GLOBAL_OPTIONS_WITH_VALUE = ("--archive", "--color")


def _invoked_command(args: list[str]) -> str | None:
    """The subcommand named on a command line (global options and their values skipped)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _GLOBAL_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the invoked command registered (the whole app when none is named).

    Typer turns every registered command into click objects on each run, inspecting
    signatures and annotations: ~80 ms for all of them, a fifth of a search's wall time.
    """
    name = _invoked_command(args)
    chosen = [info for info in app.registered_commands if info.name == name]
    if len(chosen) != 1:
        return app
    slim = _new_app()
    slim.registered_callback = app.registered_callback
    slim.registered_commands = chosen
    return slim


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: exit codes like grep; a closed pipe ends quietly."""
    stdout_before = sys.stdout
    _INTERRUPT_REPORTED.clear()
    _READ_ONLY.clear()
    try:
        result = _app_for(sys.argv[1:] if argv is None else argv)(args=argv, standalone_mode=False)
        code = result if isinstance(result, int) else EXIT_OK
    except SystemExit as exc:
        # Typer answers EPIPE by wrapping stdout and exiting 1; a reader that stopped early
        # (`| head`) is not an error for us.
        code = (
            EXIT_OK
            if sys.stdout is not stdout_before
            else (exc.code if isinstance(exc.code, int) else EXIT_ERROR)
        )
    except typer.Exit as exc:
        code = exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        code = 130
    except BrokenPipeError:
        code = EXIT_OK
    except Exception as exc:
        # Usage errors (click's UsageError and friends, vendored by typer) know how to show
        # themselves; anything else is a bug: its traceback is kept for the report, and the
        # exit code is still 2 (error), not the 1 ("nothing found") Python would exit with.
        show = getattr(exc, "show", None)
        if show is None or not hasattr(exc, "exit_code"):
            import traceback

            traceback.print_exc()
            _write_stderr(
                f"bulletin: internal error ({type(exc).__name__}); "
                "please report it with the traceback above\n"
            )
        else:
            show()
        code = EXIT_ERROR
    if code == 130 and not _INTERRUPT_REPORTED:
        # Typer turns a Ctrl-C outside our handlers into a silent exit 130: say why.
        _write_stderr("bulletin: interrupted\n")
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        code = EXIT_OK if code in (EXIT_OK, None) else code
        # Point stdout at devnull so the interpreter's last flush stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    if _READ_ONLY and argv is None and threading_is_main():
        # The command only read and printed (search, show, similar, stats), and stdout is
        # flushed above: skip the interpreter's teardown (freeing the engine's arrays,
        # unmapping the index, unloading modules), which took 0.13 s of a 0.6 s search at 100k.
        # Only from the console script: a caller of main() keeps its process.
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()
        os._exit(code or 0)
    if threading_is_main():
        # A Ctrl-C during interpreter shutdown (atexit joins worker pools) would print an
        # "Exception ignored" traceback: end at once with the code already decided instead.
        import signal

        final = code or 0
        signal.signal(signal.SIGINT, lambda signum, frame: os._exit(final))
    sys.exit(code or 0)

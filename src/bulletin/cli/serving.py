"""`bulletin serve`: keep the archive open and answer searches; --status and --stop control a running one."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer

from bulletin.cli.app import State, state_of
from bulletin.cli.errors import ExitStatus, fail, warn
from bulletin.cli.process import threading_is_main
from bulletin.console import one_line
from bulletin.errors import BulletinError


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

    state = state_of(ctx)
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
        raise typer.Exit(ExitStatus.OK)
    warn(f"no server runs for {state.archive_path}")
    raise typer.Exit(ExitStatus.NO_MATCH)

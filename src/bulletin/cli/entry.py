"""The process around a command: pick the app to run, turn every ending into an exit code like grep's."""

from __future__ import annotations

import contextlib
import os
import sys

import typer

from bulletin.cli import process
from bulletin.cli.app import app, new_app
from bulletin.cli.errors import ExitStatus, write_stderr
from bulletin.cli.helptext import command_position


def _invoked_command(args: list[str]) -> str | None:
    """The subcommand named on a command line (global options and their values skipped)."""
    position = command_position(args)
    return None if position is None else args[position]


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the invoked command registered (the whole app when none is named).

    Typer turns every registered command into click objects on each run, inspecting
    signatures and annotations: ~80 ms for all of them, a fifth of a search's wall time.
    """
    name = _invoked_command(args)
    chosen = [info for info in app.registered_commands if info.name == name]
    if len(chosen) != 1:
        return app
    slim = new_app()
    slim.registered_callback = app.registered_callback
    slim.registered_commands = chosen
    return slim


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: exit codes like grep; a closed pipe ends quietly."""
    stdout_before = sys.stdout
    process.reset()
    try:
        result = _app_for(sys.argv[1:] if argv is None else argv)(
            args=argv, prog_name="bulletin", standalone_mode=False
        )
        code = result if isinstance(result, int) else ExitStatus.OK
    except SystemExit as exc:
        # Typer answers EPIPE by wrapping stdout and exiting 1; a reader that stopped early
        # (`| head`) is not an error for us.
        code = (
            ExitStatus.OK
            if sys.stdout is not stdout_before
            else (exc.code if isinstance(exc.code, int) else ExitStatus.ERROR)
        )
    except typer.Exit as exc:
        code = exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        code = ExitStatus.INTERRUPTED
    except BrokenPipeError:
        code = ExitStatus.OK
    except Exception as exc:
        # Usage errors (click's UsageError and friends, vendored by typer) know how to show
        # themselves; anything else is a bug: its traceback is kept for the report, and the
        # exit code is still 2 (error), not the 1 ("nothing found") Python would exit with.
        show = getattr(exc, "show", None)
        if show is None or not hasattr(exc, "exit_code"):
            import traceback

            traceback.print_exc()
            write_stderr(
                f"bulletin: internal error ({type(exc).__name__}); "
                "please report it with the traceback above\n"
            )
        else:
            show()
        code = ExitStatus.ERROR
    if code == ExitStatus.INTERRUPTED and not process.INTERRUPT_REPORTED:
        # Typer turns a Ctrl-C outside our handlers into a silent exit 130: say why.
        write_stderr("bulletin: interrupted\n")
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        code = ExitStatus.OK if code in (ExitStatus.OK, None) else code
        # Point stdout at devnull so the interpreter's last flush stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    if process.READ_ONLY and argv is None and process.threading_is_main():
        # The command only read and printed (search, show, similar, stats), and stdout is
        # flushed above: skip the interpreter's teardown (freeing the engine's arrays,
        # unmapping the index, unloading modules), which took 0.13 s of a 0.6 s search at 100k.
        # Only from the console script: a caller of main() keeps its process.
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()
        os._exit(code or 0)
    if process.threading_is_main():
        # A Ctrl-C during interpreter shutdown (atexit joins worker pools) would print an
        # "Exception ignored" traceback: end at once with the code already decided instead.
        import signal

        final = code or 0
        signal.signal(signal.SIGINT, lambda signum, frame: os._exit(final))
    sys.exit(code or 0)

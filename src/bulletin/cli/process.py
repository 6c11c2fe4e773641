"""Process-wide state of one run: Ctrl-C handling during an import, and what the command told main()."""

from __future__ import annotations

import os
import threading
from typing import Any, NoReturn

import typer

from bulletin.cli.errors import ExitStatus, warn, write_stderr

INTERRUPT_REPORTED: list[str] = []  # what a command said about a Ctrl-C, if anything
READ_ONLY: list[str] = []  # set by a command that only read the archive and printed


def mark_read_only(command: str) -> None:
    """Tell main() the command only reads and prints, so the process may end without teardown."""
    READ_ONLY.append(command)


def reset() -> None:
    """Forget what an earlier run in this process reported."""
    INTERRUPT_REPORTED.clear()
    READ_ONLY.clear()


def interrupted(message: str = "interrupted") -> NoReturn:
    """Say that a Ctrl-C stopped the command, then exit 130."""
    INTERRUPT_REPORTED.append(message)
    warn(message)
    raise typer.Exit(ExitStatus.INTERRUPTED)


def threading_is_main() -> bool:
    """Signal handlers can only be installed from the main thread."""
    return threading.current_thread() is threading.main_thread()


class Flag:
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


def graceful_interrupt() -> Flag:
    """First Ctrl-C: stop at the import's next safe point; a second one stops at once."""
    import signal

    flag = Flag()
    if threading_is_main():

        def handler(signum: int, frame: object) -> None:
            # os.write, not print: the handler may interrupt a print to stderr, and a
            # re-entrant write on the same buffer raises.
            if flag.set:
                # Second Ctrl-C: leave now, as a kill would. SQLite rolls back the open
                # transaction, the index is repaired on the next run, and every event already
                # printed stays true (each was flushed after its commit).
                write_stderr("bulletin: stopped at once; run the same import again to finish\n")
                os._exit(ExitStatus.INTERRUPTED)
            flag.set = True
            write_stderr("bulletin: stopping… (Ctrl-C again to stop at once)\n")

        flag.previous = signal.signal(signal.SIGINT, handler)
    return flag

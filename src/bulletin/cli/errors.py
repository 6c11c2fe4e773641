"""The one error-and-exit layer of the command line: exit statuses like grep's, one line per problem."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from enum import IntEnum
from typing import Any, NoReturn

import typer

from bulletin.console import one_line
from bulletin.errors import BulletinError


class ExitStatus(IntEnum):
    """What a `bulletin` process exits with."""

    OK = 0  # done; something was found or written
    NO_MATCH = 1  # nothing found (or: some inputs failed, problems found, no server runs)
    ERROR = 2  # a usage error, or the archive or an input could not be used
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it


def fail(message: str) -> NoReturn:
    """Print one error line on stderr and exit 2."""
    print(f"bulletin: error: {one_line(message)}", file=sys.stderr)
    raise typer.Exit(ExitStatus.ERROR)


def warn(message: str) -> None:
    """Print one diagnostic line on stderr."""
    print(f"bulletin: {one_line(message)}", file=sys.stderr)


def exit_found(found: object) -> NoReturn:
    """End the command: exit 0 when it found (or wrote) something, 1 when not."""
    raise typer.Exit(ExitStatus.OK if found else ExitStatus.NO_MATCH)


@contextlib.contextmanager
def library_errors() -> Iterator[None]:
    """A BulletinError raised inside becomes one error line and exit 2."""
    try:
        yield
    except BulletinError as exc:
        fail(str(exc))


def emit_notices(archive: Any) -> None:
    """Pass on what the archive noticed meanwhile (repairs, stale locks) as diagnostic lines."""
    for notice in archive.notices:
        warn(notice)
    archive.notices.clear()


def write_stderr(text: str) -> None:
    """Write to fd 2 directly (safe inside a signal handler); a closed stderr is ignored."""
    with contextlib.suppress(OSError):
        os.write(2, text.encode())

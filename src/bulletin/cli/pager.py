"""Long terminal views through a pager, as git does: $BULLETIN_PAGER, else $PAGER, else `less -R`."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping

from bulletin.console import Env

DEFAULT_PAGER = "less -R"
# less quits at once when the output fits one screen (F), passes colour through (R) and leaves
# the screen as it was (X): short output reads as if no pager ran. Only when LESS is unset.
LESS_DEFAULTS = "FRX"


def pager_command(env: Env, *, enabled: bool, environ: Mapping[str, str]) -> str | None:
    """The pager to run, or None: never off a terminal, with --no-pager, or an empty BULLETIN_PAGER/PAGER."""
    if not enabled or not env.stdout_tty:
        return None
    for name in ("BULLETIN_PAGER", "PAGER"):
        if name in environ:
            chosen = environ[name].strip()
            return chosen if chosen and chosen != "cat" else None
    return DEFAULT_PAGER


@contextlib.contextmanager
def paged(env: Env, *, enabled: bool) -> Iterator[None]:
    """Inside, sys.stdout feeds the pager (when one is chosen); on leaving, wait for the reader to quit."""
    command = pager_command(env, enabled=enabled, environ=os.environ)
    if command is None:
        yield
        return
    child_env = dict(os.environ)
    child_env.setdefault("LESS", LESS_DEFAULTS)
    try:
        # Through the shell, as git runs it: PAGER may carry options ("less -S", "most -s").
        pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=child_env)
    except OSError:
        yield  # a pager that cannot start is no reason to print nothing
        return
    assert pager.stdin is not None
    original = sys.stdout
    sys.stdout = io.TextIOWrapper(pager.stdin, encoding="utf-8", errors="replace")
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        pass  # the reader quit the pager before the end: not an error
    finally:
        with contextlib.suppress(BrokenPipeError, OSError, ValueError):
            sys.stdout.close()
        sys.stdout = original
        _wait(pager)


def _wait(pager: subprocess.Popen[bytes]) -> None:
    """Wait for the pager; Ctrl-C goes to it (less uses it to stop a search), not to us."""
    while True:
        try:
            pager.wait()
            return
        except KeyboardInterrupt:
            continue

"""The output environment: TTY, colour, width."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TextIO

# Re-exported for callers written before bulletin.text.sanitize held the policy.
from bulletin.text.sanitize import one_line, safe

__all__ = ["Env", "one_line", "safe"]


@dataclass(frozen=True)
class Env:
    """Where output goes and how it may look; injectable so tests can flip it."""

    stdout_tty: bool
    stderr_tty: bool
    color: bool
    width: int | None = None
    force_color: bool = False  # --color always: terminal views and colour even into a pipe (`| less -R`)

    @property
    def terminal_view(self) -> bool:
        """Whether stdout gets the rich terminal view: a TTY, or --color always."""
        return self.stdout_tty or self.force_color

    @classmethod
    def detect(cls, color: str = "auto", stdout: TextIO | None = None, stderr: TextIO | None = None) -> Env:
        """Read the real streams and NO_COLOR / --color."""
        out = stdout or sys.stdout
        err = stderr or sys.stderr
        out_tty = _isatty(out)
        if color == "always":
            use_color = True
        elif color == "never" or os.environ.get("NO_COLOR"):
            use_color = False
        else:
            use_color = out_tty and os.environ.get("TERM") != "dumb"
        return cls(
            stdout_tty=out_tty, stderr_tty=_isatty(err), color=use_color, force_color=color == "always"
        )


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

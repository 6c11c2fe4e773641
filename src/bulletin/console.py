"""The output environment (TTY, colour, width) and making untrusted text safe to print."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from typing import TextIO

# C0 controls except tab and newline, DEL, C1 controls (0x80-0x9f, e.g. CSI 0x9b), and the
# bidirectional overrides/isolates that can make text display in a different order than it is.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_LINE_BREAKS = re.compile(r"[\t\r\n\u2028\u2029\x0b\x0c\x85]+")


def safe(text: str | None) -> str:
    """Scraped text with every control and bidi-override character removed (newlines kept)."""
    if not text:
        return ""
    if text.isprintable():  # no control, format or separator character: nothing to remove
        return text
    return _UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str | None) -> str:
    """Safe text squeezed onto one line (tabs and line breaks become spaces)."""
    if not text:
        return ""
    if text.isprintable():  # every unsafe character and line break is unprintable: a C-speed check
        return text.strip()
    return safe(_LINE_BREAKS.sub(" ", text)).strip()


@dataclass(frozen=True)
class Env:
    """Where output goes and how it may look; injectable so tests can flip it."""

    stdout_tty: bool
    stderr_tty: bool
    color: bool
    width: int | None = None

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
        return cls(stdout_tty=out_tty, stderr_tty=_isatty(err), color=use_color)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

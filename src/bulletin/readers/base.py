"""What every reader shares: the RawInput it yields, its options, and the Reader protocol."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Protocol

from bulletin.errors import InputError

DEFAULT_MAX_SIZE = 20 * 1024 * 1024
STDIN_ORIGIN = "<stdin>"


@dataclass(frozen=True)
class RawInput:
    """The original bytes of one input and where they came from.

    `kind` is "html", "text" or None (sniff the bytes). `hints` carries metadata a
    scraper already knew (url, title, date, source) to be used when the page lacks it.
    """

    data: bytes
    origin: str
    kind: str | None = None
    url: str | None = None
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass
class ReadCounts:
    """Tallies kept while reading: archive records passed over because they are not pages."""

    skipped: int = 0


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are read: the size limit, JSONL key renames, what "-" means, and the tallies."""

    max_size: int = DEFAULT_MAX_SIZE
    mapping: Mapping[str, str] | None = None
    stdin: BinaryIO | None = None  # the library never reaches for sys.stdin itself
    counts: ReadCounts = field(default_factory=ReadCounts)


class Reader(Protocol):
    """One input format: turns one named input ("-": options.stdin) into RawInputs and errors."""

    def read(self, name: str, options: ReadOptions) -> Iterator[RawInput | InputError]:
        """Every input `name` holds, streamed; a problem is yielded as an InputError naming it."""
        ...


def open_error(origin: str, exc: OSError) -> InputError:
    """The InputError, with advice, for a file that cannot be opened or read."""
    if isinstance(exc, FileNotFoundError):
        return InputError(origin, "no such file or folder; check the path")
    if isinstance(exc, IsADirectoryError):
        return InputError(origin, "is a folder; pass it as a path to read it recursively")
    if isinstance(exc, PermissionError):
        return InputError(origin, "permission denied; check the file's permissions")
    return InputError(origin, f"cannot be read ({exc.strerror or exc}); check the disk or path")

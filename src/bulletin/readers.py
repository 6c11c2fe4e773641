"""Readers: turn paths, folders, stdin and path lists into RawInput items (bytes + origin)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from bulletin.errors import InputError

HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml", ".php", ".asp", ".aspx", ".jsp"})
TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
# Files inside folders are taken only with these suffixes (or none); a folder of scraped pages
# often holds images, scripts and stylesheets beside the pages.
FOLDER_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES | {""}
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


def kind_from_suffix(path: str) -> str | None:
    """Guess "html" or "text" from a file name; None when the suffix says nothing."""
    suffix = Path(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def read_file(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> RawInput:
    """Read one file, refusing what cannot be an article before reading it all."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > max_size:
            raise InputError(
                origin, f"file is {size:,} bytes, over --max-size {max_size:,}; raise --max-size to take it"
            )
        with path.open("rb") as handle:
            data = handle.read(max_size + 1)
    except FileNotFoundError:
        raise InputError(origin, "no such file or folder; check the path") from None
    except IsADirectoryError:
        raise InputError(origin, "is a folder; pass it as a path to read it recursively") from None
    except PermissionError:
        raise InputError(origin, "permission denied; check the file's permissions") from None
    except OSError as exc:
        raise InputError(origin, f"cannot be read ({exc.strerror or exc}); check the disk or path") from None
    return RawInput(data=data, origin=origin, kind=kind_from_suffix(origin))


def read_stream(stream: BinaryIO, origin: str = STDIN_ORIGIN, max_size: int = DEFAULT_MAX_SIZE) -> RawInput:
    """Read a whole binary stream (stdin) as one input."""
    data = stream.read(max_size + 1)
    if len(data) > max_size:
        raise InputError(origin, f"input is over --max-size {max_size:,} bytes; raise --max-size to take it")
    return RawInput(data=data, origin=origin, kind=None)


def walk_folder(folder: Path) -> Iterator[Path]:
    """Yield candidate files under a folder, recursively, in a stable (sorted) order."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            if Path(name).suffix.lower() in FOLDER_SUFFIXES:
                yield Path(root) / name


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Expand folders into the files beneath them; other paths (and "-") pass through."""
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            for child in walk_folder(path):
                yield str(child)
        else:
            yield raw


def read_path_list(stream: Iterable[str]) -> Iterator[str]:
    """Paths from a newline-separated list (as `find` prints), blank lines skipped."""
    for line in stream:
        line = line.rstrip("\r\n")
        if line.strip():
            yield line

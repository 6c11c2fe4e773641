"""Page readers: one file (or stdin) is one input, HTML or plain text by its suffix or by force."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from bulletin.errors import InputError
from bulletin.readers.base import DEFAULT_MAX_SIZE, STDIN_ORIGIN, RawInput, ReadOptions, open_error
from bulletin.readers.streams import peekable, stdin_stream

HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml", ".php", ".asp", ".aspx", ".jsp"})
TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
# Files inside folders are taken only with these suffixes (or none); a folder of scraped pages
# often holds images, scripts and stylesheets beside the pages.
FOLDER_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES | {""}


def kind_from_suffix(path: str) -> str | None:
    """Guess "html" or "text" from a file name; None when the suffix says nothing."""
    suffix = Path(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def is_page_name(name: str) -> bool:
    """Whether a file found in a folder may be a page (by its suffix, or having none)."""
    return Path(name).suffix.lower() in FOLDER_SUFFIXES


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
    except OSError as exc:
        raise open_error(origin, exc) from None
    return RawInput(data=data, origin=origin, kind=kind_from_suffix(origin))


def read_stream(stream: BinaryIO, origin: str = STDIN_ORIGIN, max_size: int = DEFAULT_MAX_SIZE) -> RawInput:
    """Read a whole binary stream (stdin) as one input."""
    data = stream.read(max_size + 1)
    if len(data) > max_size:
        raise InputError(origin, f"input is over --max-size {max_size:,} bytes; raise --max-size to take it")
    return RawInput(data=data, origin=origin, kind=None)


@dataclass(frozen=True)
class PageReader:
    """Reads one page per name; `kind` forces "html" or "text" (None: the suffix, else sniffed)."""

    kind: str | None = None

    def read(self, name: str, options: ReadOptions) -> Iterator[RawInput | InputError]:
        """The one page `name` holds ("-": options.stdin), or the error reading it.

        Unforced, a file (or stdin) whose first bytes open a `<doc>` record corpus is read as
        one input a record, whatever its name.
        """
        if self.kind is None:
            from bulletin.readers import records

            if name == "-" and options.stdin is not None:
                stream = peekable(options.stdin)
                options = replace(options, stdin=stream)
                if records.sniff(stream.peek(records.SNIFF_BYTES)):
                    yield from records.READER.read(name, options)
                    return
            elif name != "-" and kind_from_suffix(name) != "html" and records.is_record_file(name):
                yield from records.READER.read(name, options)
                return
        try:
            raw = (
                read_stream(stdin_stream(options.stdin), max_size=options.max_size)
                if name == "-"
                else read_file(Path(name), max_size=options.max_size)
            )
        except InputError as exc:
            yield exc
            return
        yield raw if self.kind is None else RawInput(data=raw.data, origin=raw.origin, kind=self.kind)


READER = PageReader()
HTML = PageReader("html")
TEXT = PageReader("text")

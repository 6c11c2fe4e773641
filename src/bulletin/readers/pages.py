"""Page readers: one file (or stdin) is one input, HTML or plain text by its suffix or by force."""

from __future__ import annotations

import codecs
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from bulletin.errors import InputError
from bulletin.readers.base import DEFAULT_MAX_SIZE, STDIN_ORIGIN, RawInput, ReadOptions, open_error
from bulletin.readers.streams import maybe_gunzip, open_binary, peekable, stdin_stream

HTML_SUFFIXES = frozenset(
    {".html", ".htm", ".shtml", ".shtm", ".xhtml", ".jhtml", ".dhtml", ".phtml", ".php", ".asp", ".aspx"}
    | {".jsp", ".jspx", ".cfm", ".cgi", ".do", ".action"}
)
TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
# Files inside folders are taken with these suffixes (or none); others are sniffed, except what
# a folder of scraped pages holds beside them and is never a page (images, scripts, styles …).
FOLDER_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES | {""}
ASSET_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".bmp", ".tif", ".tiff", ".avif"}
    | {".css", ".js", ".mjs", ".map", ".json", ".woff", ".woff2", ".ttf", ".otf", ".eot"}
    | {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".zip", ".rar", ".7z", ".tar"}
    | {".mp3", ".mp4", ".m4a", ".wav", ".avi", ".mov", ".flv", ".swf", ".exe", ".dll", ".so", ".pyc"}
)
SNIFF_BYTES = 4096
# An HTML document opens with one of these (after a BOM, blanks and comments): a page saved
# as .txt, or one whose name says nothing (show.php?id=123 as wget keeps it, page.jhtml).
_HTML_START = re.compile(rb"^(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head)[\s>]", re.I | re.S)


def page_suffix(path: str) -> str:
    """A file name's suffix as a page's: a query wget kept (?id=123) and a .gz dropped."""
    name = Path(path).name.split("?", 1)[0].split("#", 1)[0]
    return Path(name.lower().removesuffix(".gz")).suffix


def kind_from_suffix(path: str) -> str | None:
    """Guess "html" or "text" from a file name; None when the suffix says nothing."""
    suffix = page_suffix(path)
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def looks_like_html(head: bytes) -> bool:
    """Whether the first bytes of a file open an HTML document."""
    return bool(_HTML_START.match(head.removeprefix(codecs.BOM_UTF8)[:SNIFF_BYTES]))


def is_page_name(name: str) -> bool:
    """Whether a file found in a folder is a page by its name (a known suffix, or none)."""
    return page_suffix(name) in FOLDER_SUFFIXES


def may_be_page(path: str) -> bool:
    """Whether a file found in a folder is a page: by its name, else (an unknown suffix, not an
    image, script or document) by its first bytes."""
    if is_page_name(path):
        return True
    if page_suffix(path) in ASSET_SUFFIXES:
        return False
    return looks_like_html(_head(path))


def _head(path: str) -> bytes:
    try:
        with open_binary(Path(path)) as handle:
            stream = maybe_gunzip(handle) if path.lower().endswith(".gz") else handle
            return stream.read(SNIFF_BYTES)
    except (InputError, OSError, EOFError, zlib.error):
        return b""


def read_file(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> RawInput:
    """Read one file (a .gz one decompressed), refusing what cannot be an article before reading it all.

    Its origin is its absolute path, whatever folder the run started in; a page saved as .txt
    (it opens like an HTML document) is read as HTML.
    """
    origin = os.path.abspath(path)
    too_big = f"over --max-size {max_size:,}; raise --max-size to take it"
    try:
        size = path.stat().st_size
        if size > max_size:
            raise InputError(origin, f"file is {size:,} bytes, {too_big}")
        with path.open("rb") as handle:
            compressed = path.name.lower().endswith(".gz")
            data = (maybe_gunzip(handle) if compressed else handle).read(max_size + 1)
    except OSError as exc:
        raise open_error(origin, exc) from None
    except (EOFError, zlib.error):
        raise InputError(origin, "the gzip data is damaged; check the file or gunzip it first") from None
    if len(data) > max_size:
        raise InputError(origin, f"input is over {max_size:,} bytes once decompressed, {too_big}")
    kind = kind_from_suffix(origin)
    if kind == "text" and page_suffix(origin) == ".txt" and looks_like_html(data[:SNIFF_BYTES]):
        kind = "html"
    return RawInput(data=data, origin=origin, kind=kind)


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

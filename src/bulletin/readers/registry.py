"""The input formats bulletin reads, and the one call that assembles readers for a run.

A new format is one module defining `READER` (a bulletin.readers.base.Reader) plus one entry
in FORMAT_TABLE. Modules load on first use: most runs never touch warcio.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, cast

from bulletin.errors import BulletinError, InputError
from bulletin.readers.base import DEFAULT_MAX_SIZE, STDIN_ORIGIN, RawInput, ReadCounts, Reader, ReadOptions
from bulletin.readers.folders import walk_folder
from bulletin.readers.pages import is_page_name, may_be_page


@dataclass(frozen=True)
class Format:
    """A --format value, the module attribute that reads it, and the names that say it."""

    name: str
    module: str
    attr: str = "READER"
    # Containers of many pages are told by the end of their name (each maybe .gz); pages by none.
    suffixes: tuple[str, ...] = ()
    # False: a name never says it unforced (record corpora share .txt with pages: their bytes do).
    by_name: bool = True

    def claims(self, filename: str) -> bool:
        """Whether a file name says this (container) format."""
        return bool(self.suffixes) and filename.lower().removesuffix(".gz").endswith(self.suffixes)

    def claims_unforced(self, filename: str) -> bool:
        """Whether a file name says this format when no --format is given."""
        return self.by_name and self.claims(filename)

    def reader(self) -> Reader:
        """The reader, its module imported on first use."""
        return cast(Reader, getattr(importlib.import_module(self.module), self.attr))


FORMAT_TABLE = (
    Format("html", "bulletin.readers.pages", "HTML"),
    Format("text", "bulletin.readers.pages", "TEXT"),
    Format("jsonl", "bulletin.readers.jsonl", suffixes=(".jsonl", ".jl", ".ndjson")),
    Format("warc", "bulletin.readers.warc", suffixes=(".warc", ".arc")),
    Format("records", "bulletin.readers.records", suffixes=(".txt", ".dat", ".xml", ".text"), by_name=False),
)
REGISTRY = {entry.name: entry for entry in FORMAT_TABLE}
# "auto": containers by name, anything else (and stdin) one page whose kind its suffix or bytes tell.
AUTO = Format("auto", "bulletin.readers.pages")
FORMATS = (AUTO.name, *REGISTRY)


class FormatError(BulletinError, ValueError):
    """A --format value names no format."""


def format_of(path: str) -> str | None:
    """The container format a file name says: "jsonl", "warc" (each maybe .gz), else None."""
    return next((entry.name for entry in FORMAT_TABLE if entry.claims_unforced(path)), None)


def _wanted(fmt: str | None) -> Format | None:
    """The container format files are taken by inside folders (None: pages)."""
    entry = REGISTRY.get(fmt or "")
    return entry if entry is not None and entry.suffixes else None


def expand_paths(
    paths: Iterable[str], fmt: str | None = None, passed_over: list[str] | None = None
) -> Iterator[str]:
    """Expand folders into the files beneath them; other paths (and "-") pass through.

    In folders, pages are taken by default: by a page's suffix (or none), else by their first
    bytes (HTML under any name; record corpora); with a container `fmt` (`--format warc
    crawls/`), every file of that format beneath it. Files not taken go to `passed_over`.
    """
    container = _wanted(fmt)
    wanted = container.claims if container is not None else _page_or_corpus
    for raw in paths:
        path = Path(raw)
        if raw != "-" and path.is_dir():
            yield from (str(child) for child in walk_folder(path, wanted, passed_over))
        else:
            yield raw


def _page_or_corpus(path: str) -> bool:
    from bulletin.readers.records import is_record_file

    return is_page_name(path) or is_record_file(path) or may_be_page(path)


def _checked(fmt: str | None) -> str | None:
    fmt = None if fmt in (None, "auto") else fmt
    if fmt not in (None, *FORMATS):
        raise FormatError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return fmt


def _read(names: Iterable[str], fmt: str | None, options: ReadOptions) -> Iterator[RawInput | InputError]:
    for name in names:
        if name == "-" and options.stdin is None:
            # The library never reaches for sys.stdin itself: the caller says what "-" means.
            yield InputError(STDIN_ORIGIN, "no stream was given for -; pass the input as a file")
            continue
        entry = REGISTRY[fmt] if fmt is not None else None
        if entry is None and name != "-":
            entry = next((e for e in FORMAT_TABLE if e.claims_unforced(name)), None)
        yield from (entry or AUTO).reader().read(name, options)


def iter_inputs(
    paths: Iterable[str],
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    fmt: str | None = None,
    mapping: Mapping[str, str] | None = None,
    stdin: BinaryIO | None = None,
    counts: ReadCounts | None = None,
) -> Iterator[RawInput | InputError]:
    """Every input under `paths`, streamed: pages one each, feeds, web archives and corpora one per record.

    `fmt` ("auto"/None, "html", "text", "jsonl", "warc", "records") forces how every input is
    read; by default container files are told by suffix (.jsonl/.jl/.ndjson, .warc/.arc, each
    maybe .gz), record corpora (`<doc>…</doc>`) by their first bytes, and "-" (`stdin`) is one
    page unless its first bytes open a corpus. `mapping` renames JSONL keys ({"html": "body"}).
    """
    fmt = _checked(fmt)
    options = ReadOptions(max_size, mapping, stdin, counts if counts is not None else ReadCounts())
    yield from _read(expand_paths(paths, fmt), fmt, options)


@dataclass
class Inputs:
    """The inputs of one run: the files named (folders expanded), the inputs read lazily, the tallies."""

    names: list[str]
    items: Iterator[RawInput | InputError]
    counts: ReadCounts
    fmt: str | None
    passed_over: list[str] = field(default_factory=list)  # files in folders that are not pages

    @property
    def total(self) -> int | None:
        """How many inputs there will be; None when feeds, web archives or corpora hide the count."""
        from bulletin.readers.records import is_record_file

        if _wanted(self.fmt) is not None or any(format_of(name) for name in self.names):
            return None
        if self.fmt is None and any(name == "-" or is_record_file(name) for name in self.names):
            return None
        return len(self.names)


def open_inputs(
    paths: Iterable[str],
    *,
    fmt: str = "auto",
    maps: Iterable[str] = (),
    max_size: int = DEFAULT_MAX_SIZE,
    stdin: BinaryIO | None = None,
) -> Inputs:
    """Readers assembled for `paths` and the reading options: --format, --map FIELD=KEY, --max-size.

    Raises FormatError or MappingError (bulletin.readers.jsonl) for a malformed option before
    anything is read; the inputs themselves stream, one page or record at a time.
    """
    from bulletin.readers.jsonl import parse_mapping

    if fmt not in FORMATS:
        raise FormatError("use " + ", ".join(FORMATS))
    mapping = parse_mapping(maps)
    chosen = _checked(fmt)
    passed_over: list[str] = []
    names = list(expand_paths(paths, chosen, passed_over))
    counts = ReadCounts()
    items = _read(names, chosen, ReadOptions(max_size, mapping, stdin, counts))
    return Inputs(names, items, counts, chosen, passed_over)

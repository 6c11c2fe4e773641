"""Record corpora (SogouCS/SogouCA): one file of many `<doc>…</doc>` records, one input a record.

Records are cut from the bytes as they stream in (a SogouCA file is gigabytes): the tags are
ASCII, and no GBK, GB18030 or UTF-8 multi-byte sequence holds a `<`, `>` or `/` byte, so GBK
and UTF-8 corpora split alike. Each record keeps its own bytes, named `FILE:N` (1-based) like a
JSON-lines record, so a re-import finds the records it already holds. The file's charset is
decided once, from its first non-ASCII record, and handed to every record as a hint: a short
record alone says too little to be told GBK from something else.
"""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from bulletin.dumps.records import looks_like_records, unclosed_field
from bulletin.errors import InputError
from bulletin.readers.base import DEFAULT_MAX_SIZE, RawInput, ReadOptions
from bulletin.readers.streams import container, cut_short, maybe_gunzip, open_binary

# The suffixes a record corpus goes by (each maybe .gz); told by its first bytes, not its name.
RECORD_SUFFIXES = (".txt", ".dat", ".xml", ".text")
_TAG = re.compile(rb"<(/?)doc>", re.IGNORECASE)
SNIFF_BYTES = 2048
_CHUNK = 1024 * 1024
_KEEP = len(b"</doc>")  # bytes kept back at a chunk's end: a tag may be cut in two


def sniff(head: bytes) -> bool:
    """Whether the first bytes of a file (decompressed) open a `<doc>` record corpus."""
    head = head.removeprefix(codecs.BOM_UTF8)
    # latin-1 maps every byte to one character: the ASCII tags are read whatever the charset.
    return looks_like_records(head[:SNIFF_BYTES].decode("latin-1"))


def is_record_file(path: str) -> bool:
    """Whether the file at `path` is a record corpus (by its first bytes; False when unreadable)."""
    if Path(path.lower().removesuffix(".gz")).suffix not in (*RECORD_SUFFIXES, ""):
        return False
    try:
        with open_binary(Path(path)) as handle:
            return sniff(maybe_gunzip(handle).read(SNIFF_BYTES))
    except (InputError, OSError, EOFError, zlib.error):
        return False


class RecordReader:
    """Reads a record corpus ("-": options.stdin) as one input per `<doc>` record."""

    def read(self, name: str, options: ReadOptions) -> Iterator[RawInput | InputError]:
        """The records of the corpus `name`; a file that cannot be opened is the one error."""
        return container(read_records, name, options.stdin, max_size=options.max_size)


READER = RecordReader()


def read_records(
    stream: BinaryIO, name: str, *, max_size: int = DEFAULT_MAX_SIZE
) -> Iterator[RawInput | InputError]:
    """The records of a corpus stream, in bounded memory; a broken record is one error, the rest go on.

    A file holding a single record stays one input named by the file, with the file's bytes,
    as it was read before corpora were split.
    """
    stream = maybe_gunzip(stream)
    whole = _Whole(max_size)
    held: RawInput | InputError | None = None  # the first item, until a second shows it is a corpus
    charset: str | None = None
    count = 0
    for item in _cut(stream, name, max_size, whole):
        if isinstance(item, RawInput):
            charset = charset or _charset(item.data)
            item = RawInput(
                item.data, item.origin, kind="text", hints={"charset": charset} if charset else {}
            )
        count += 1
        if count == 1:
            held = item
            continue
        if held is not None:
            yield held
            held, whole.data = None, None
        yield item
    if held is None:
        return
    if count == 1 and isinstance(held, RawInput) and whole.data is not None:
        yield RawInput(bytes(whole.data), name, kind="text", hints=held.hints)
    else:
        yield held


class _Whole:
    """The bytes of a file read so far, kept only while they stay within `limit`."""

    def __init__(self, limit: int) -> None:
        self.data: bytearray | None = bytearray()
        self._limit = limit

    def add(self, chunk: bytes) -> None:
        if self.data is not None:
            self.data += chunk
            if len(self.data) > self._limit:
                self.data = None


def _cut(stream: BinaryIO, name: str, max_size: int, whole: _Whole) -> Iterator[RawInput | InputError]:
    """Records as bytes (origins `name:N`) and errors for broken ones, cut from the stream."""
    buf = b""
    start: int | None = None  # where the open record starts in buf
    scan = 0  # where buf holds bytes not yet searched for tags
    number = 0
    while True:
        try:
            chunk = stream.read(_CHUNK)
        except (EOFError, OSError, zlib.error) as exc:
            reason = f"the file is damaged ({exc}); records before it were read"
            yield InputError(f"{name}:{number + 1}", reason)
            return
        whole.add(chunk)
        buf += chunk
        pos = scan
        for tag in _TAG.finditer(buf, scan):
            pos = tag.end()
            if tag.group(1):  # </doc>; one with no <doc> open is ignored
                if start is not None:
                    yield _record(buf[start:pos], f"{name}:{number}", max_size)
                start = None
                continue
            if start is not None:
                yield InputError(f"{name}:{number}", "record has no </doc> before the next <doc>; fix it")
            number += 1
            start = tag.start()
        if start is not None and len(buf) - start > max_size:
            # Dropped: its </doc> then closes nothing, and the next <doc> starts afresh.
            yield InputError(f"{name}:{number}", _too_big(max_size))
            start = None
        if not chunk:
            break
        # Keep the open record, or else only what may be the first part of a cut tag.
        if start is not None:
            buf, scan, start = buf[start:], pos - start, 0
        else:
            buf, scan = buf[max(pos, len(buf) - _KEEP) :], 0
    if start is not None:
        reason = "ends before </doc>" + (" (truncated download?)" if cut_short(stream) else "")
        yield InputError(f"{name}:{number}", f"record {reason}; records before it were read")


def _too_big(max_size: int) -> str:
    return f"record is over --max-size {max_size:,} bytes; raise --max-size to take it"


def _record(data: bytes, origin: str, max_size: int) -> RawInput | InputError:
    """One record's bytes as an input, or the error naming what is wrong with it."""
    if len(data) > max_size:
        return InputError(origin, _too_big(max_size))
    field = unclosed_field(data.decode("latin-1"))
    if field is not None:
        return InputError(origin, f"record's <{field}> is not closed; fix the record")
    return RawInput(data, origin, kind="text")


def _charset(data: bytes) -> str | None:
    """The charset of a record with non-ASCII bytes (None while every byte is ASCII)."""
    if data.isascii():
        return None
    from bulletin.extract.decode import decode

    try:
        return decode(data, "").encoding
    except InputError:
        return None

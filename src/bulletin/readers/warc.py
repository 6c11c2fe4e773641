"""WARC and ARC web archives (wget --warc-file, Heritrix, browser archivers): HTML captures as RawInputs."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader
from warcio.exceptions import ArchiveLoadFailed

from bulletin.errors import InputError
from bulletin.readers.base import DEFAULT_MAX_SIZE, RawInput, ReadCounts, ReadOptions
from bulletin.readers.streams import container, cut_short, maybe_gunzip

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Records that can hold a captured page; request, metadata, warcinfo and revisit records never do.
_PAGE_RECORDS = frozenset({"response", "resource"})
_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DRAIN = 64 * 1024
_REST = "records before it were read, re-download the file for the rest"
_TRUNCATED = f"the file ends early (truncated download?); {_REST}"


class WarcReader:
    """Reads a WARC/ARC web archive ("-": options.stdin) as one input per HTML capture."""

    def read(self, name: str, options: ReadOptions) -> Iterator[RawInput | InputError]:
        """The captures of the archive `name`; a file that cannot be opened is the one error."""
        return container(read_warc, name, options.stdin, max_size=options.max_size, counts=options.counts)


READER = WarcReader()


def read_warc(
    stream: BinaryIO, name: str, *, max_size: int = DEFAULT_MAX_SIZE, counts: ReadCounts | None = None
) -> Iterator[RawInput | InputError]:
    """HTML captures of a WARC/ARC stream (plain or gzip); other records are counted in `counts`.

    A capture is one input with origin = its target URI, url = that URI and the capture day
    as a date hint. Damage ends the stream with one InputError naming `name#offset`.
    """
    counts = counts if counts is not None else ReadCounts()
    # gzip is undone here rather than by warcio: this takes both a gzip member per record and
    # one gzip stream for the whole file (`gzip crawl.warc`), and it tells a cut-off file, where
    # warcio ends quietly. Offsets are therefore positions in the uncompressed archive.
    stream = maybe_gunzip(stream)
    records = ArchiveIterator(stream, arc2warc=True)
    # warcio writes a warning to stderr when a record's length looks wrong; a library must not
    # print, and the record itself is still read, so the warning is dropped.
    sink = io.StringIO()
    seen = 0
    while True:
        try:
            with contextlib.redirect_stderr(sink):
                record = next(records)
        except StopIteration:
            break
        except EOFError:
            yield InputError(f"{name}#{records.offset}", _TRUNCATED)
            return
        except ArchiveLoadFailed:
            yield InputError(f"{name}#{records.offset}", _load_failed(records.offset))
            return
        except Exception as exc:  # warcio and gzip fail in assorted ways on damaged bytes
            yield InputError(f"{name}#{records.offset}", f"damaged record ({type(exc).__name__}); {_REST}")
            return
        sink.seek(0)
        sink.truncate()
        seen += 1
        where = f"{name}#{records.offset}"
        item = _capture(record, where, max_size, counts)
        # Every record is read to its end, pages or not, so a cut-off file is noticed wherever it stops.
        damage = _drain(record, where)
        if damage is not None:
            yield damage  # the record, and so the file, ends here
            return
        if item is not None:
            yield item
    consumed = _consumed(records)
    if seen == 0 and not consumed:
        yield InputError(name, "is empty; nothing to import")
    elif cut_short(stream) or (consumed is not None and records.offset < consumed):
        # warcio ends quietly when the file stops inside a record's header (or between records).
        yield InputError(f"{name}#{records.offset}", _TRUNCATED)


def _capture(record: Any, where: str, max_size: int, counts: ReadCounts) -> RawInput | InputError | None:
    """The page in one record, an InputError when it is damaged, None when it is not a page."""
    if not record.rec_type:
        # A header without WARC-Type: bytes were lost or inserted, and the length cannot be trusted.
        return InputError(where, "damaged record header (no WARC-Type); re-download the file")
    if record.rec_type not in _PAGE_RECORDS:
        return None
    headers = record.rec_headers
    uri = headers.get_header("WARC-Target-URI") or None
    http = record.http_headers
    if record.rec_type == "response" and http is None:
        counts.skipped += 1  # dns:, whois: and other non-HTTP captures
        return None
    status = http.get_statuscode() if http is not None else None
    if status and not str(status).startswith("2"):
        counts.skipped += 1  # redirects and error pages are not articles
        return None
    declared = http.get_header("Content-Type") if http is not None else headers.get_header("Content-Type")
    media = _media_type(declared) or _media_type(headers.get_header("WARC-Identified-Payload-Type"))
    if media is not None and media not in _HTML_TYPES:
        counts.skipped += 1
        return None
    try:
        # content_stream() undoes chunked transfer and gzip/deflate (and br, with brotli) encodings.
        data = record.content_stream().read(max_size + 1)
    except Exception as exc:  # a broken chunked or compressed body is one bad capture
        return InputError(
            _label(where, uri),
            f"the capture's body cannot be decoded ({type(exc).__name__}); the record is damaged",
        )
    encoding = (http.get_header("Content-Encoding") or "").strip().lower() if http is not None else ""
    undecodable = encoding not in ("", "identity", *BufferedReader.get_supported_decompressors())
    # warcio hands back what it cannot decompress as is; unless some archiver stored it decoded
    # already, those bytes would fail later as "binary" with no clue why.
    if undecodable and not _SNIFF.search(data[:2048]):
        hint = "install the brotli package to read it" if encoding == "br" else "it cannot be read"
        return InputError(_label(where, uri), f"the capture is {encoding!r}-compressed; {hint}")
    if not data.strip() or (media is None and not _SNIFF.search(data[:2048])):
        counts.skipped += 1
        return None
    if len(data) > max_size:
        return InputError(
            uri or where, f"page is over --max-size {max_size:,} bytes; raise --max-size to take it"
        )
    hints: dict[str, str] = {}
    captured = _DAY.match(headers.get_header("WARC-Date") or "")
    if captured:
        # The capture day, used only when the page shows no date: a capture time is not a
        # publication time, so only the day is passed.
        hints["captured"] = captured.group(0)
    charset = _CHARSET.search(declared or "")
    if charset:
        hints["charset"] = charset.group(1).lower()
    url = uri if uri and re.match(r"https?://", uri, re.IGNORECASE) else None
    return RawInput(data=data, origin=uri or where, kind="html", url=url, hints=hints)


def _drain(record: Any, where: str) -> InputError | None:
    """Read the rest of a record; an InputError when the file ends (or breaks) before it does."""
    label = _label(where, record.rec_headers.get_header("WARC-Target-URI"))
    try:
        while record.raw_stream.read(_DRAIN):
            pass
    except EOFError:
        return InputError(label, _TRUNCATED)
    except Exception as exc:  # zlib and friends on a damaged .gz
        return InputError(label, f"damaged record ({type(exc).__name__}); re-download the file")
    missing = getattr(record.raw_stream, "limit", 0)
    if missing > 0:
        return InputError(
            label,
            f"the record is cut short ({missing:,} bytes missing); the file looks truncated, re-download it",
        )
    return None


def _label(where: str, uri: str | None) -> str:
    return f"{where} ({uri})" if uri else where


def _media_type(value: str | None) -> str | None:
    media = (value or "").split(";", 1)[0].strip().lower()
    return media or None


def _consumed(records: Any) -> int | None:
    """Bytes of the file the iterator read, or None when that cannot be told."""
    try:
        return int(records.fh.tell())
    except (OSError, ValueError, AttributeError):
        return None


def _load_failed(offset: int) -> str:
    # warcio's message quotes the raw first line, binary junk included: name the problem instead.
    if offset == 0:
        return "not a WARC or ARC file (no WARC/ARC header at the start); check it, or drop --format warc"
    return f"damaged record (no WARC header where one should start); {_REST}"

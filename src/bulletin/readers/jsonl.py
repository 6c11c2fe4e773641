"""JSON-lines scraper feeds (Scrapy and the like): one record per line becomes one RawInput."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import BinaryIO

from bulletin.errors import BulletinError, InputError
from bulletin.readers.base import DEFAULT_MAX_SIZE, RawInput, ReadOptions
from bulletin.readers.streams import container, cut_short, maybe_gunzip

# Record fields bulletin understands, and the keys it looks for by default (first found wins).
DEFAULT_KEYS: dict[str, tuple[str, ...]] = {
    "html": ("html",),
    "text": ("text", "content"),
    "url": ("url",),
    "title": ("title",),
    "date": ("date",),
    "source": ("source",),
}
FIELDS = tuple(DEFAULT_KEYS)
# JSON escapes make a line longer than the page it carries: Scrapy writes non-ASCII as \uXXXX
# (6 bytes for a 3-byte UTF-8 character), so a line may be up to ~6x --max-size and still hold
# a page within the limit. Longer lines are skipped without being held in memory.
_LINE_FACTOR = 6
_LINE_SLACK = 64 * 1024
_SKIP_CHUNK = 1024 * 1024


class MappingError(BulletinError, ValueError):
    """A --map option is malformed or names an unknown field."""


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """Turn `field=key` strings (from --map) into {field: key}; MappingError when malformed."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, key = pair.partition("=")
        field, key = field.strip().lower(), key.strip()
        if not sep or not field or not key:
            raise MappingError(f"--map {pair!r}: write FIELD=KEY, e.g. --map html=body")
        if field not in DEFAULT_KEYS:
            raise MappingError(f"--map {pair!r}: unknown field {field!r}; use one of {', '.join(FIELDS)}")
        mapping[field] = key
    return mapping


class JsonlReader:
    """Reads a JSON-lines feed ("-": options.stdin) as one input per record."""

    def read(self, name: str, options: ReadOptions) -> Iterator[RawInput | InputError]:
        """The records of the feed `name`; a file that cannot be opened is the one error."""
        return container(read_jsonl, name, options.stdin, max_size=options.max_size, mapping=options.mapping)


READER = JsonlReader()


def read_jsonl(
    stream: BinaryIO, name: str, *, max_size: int = DEFAULT_MAX_SIZE, mapping: Mapping[str, str] | None = None
) -> Iterator[RawInput | InputError]:
    """Records of a JSON-lines stream, read line by line (constant memory); gzip is detected."""
    stream = maybe_gunzip(stream)
    limit = max_size * _LINE_FACTOR + _LINE_SLACK
    lineno = 0
    while True:
        lineno += 1
        origin = f"{name}:{lineno}"
        try:
            line = stream.readline(limit + 1)
            if len(line) > limit and not line.endswith(b"\n"):
                _skip_rest_of_line(stream)
                reason = f"line is over {limit:,} bytes (--max-size {max_size:,}); raise --max-size for it"
                yield InputError(origin, reason)
                continue
        except (EOFError, OSError, zlib.error) as exc:
            yield InputError(origin, f"the file is damaged ({_short(exc)}); lines before it were read")
            return
        if not line.endswith(b"\n") and cut_short(stream):
            # A cut-off download: what came before is kept; the cut line is not guessed at.
            yield InputError(
                origin, "the file ends early (truncated download?); lines before it were read, re-download it"
            )
            return
        if not line:
            return
        if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        try:
            yield record_to_input(_parse_line(line, origin), origin, max_size=max_size, mapping=mapping)
        except InputError as exc:
            yield exc


def record_to_input(
    record: object, origin: str, *, max_size: int = DEFAULT_MAX_SIZE, mapping: Mapping[str, str] | None = None
) -> RawInput:
    """One decoded JSON record as a RawInput (html preferred over text); InputError when unusable."""
    if not isinstance(record, dict):
        raise InputError(
            origin, f"is a JSON {_json_type(record)}, not an object; write one {{...}} record per line"
        )
    keys = _keys(mapping)
    kind, content = None, None
    for field in ("html", "text"):
        found = _lookup(record, keys[field])
        if found is not None:
            kind, content = field, _as_content(found, origin, field)
            break
    title = _as_meta(_lookup(record, keys["title"]))
    if (kind is None or content is None) and title:
        # A notice published as attachments only: archived with its title, the attachments' names as text.
        kind, content = "text", "\n".join(attachment_names(record)) or title
    if kind is None or content is None:
        names = keys["html"] + keys["text"]
        wanted = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
        seen = ", ".join(str(k)[:30] for k in list(record)[:8]) or "none"
        raise InputError(
            origin,
            f"has no {wanted} field (keys: {seen}); name the page's key with --map html=KEY or text=KEY",
        )
    data = content.encode("utf-8", errors="replace")  # lone surrogates from \ud800 escapes
    if len(data) > max_size:
        size = f"{kind} is {len(data):,} bytes, over --max-size {max_size:,}"
        raise InputError(origin, f"{size}; raise --max-size to take it")
    hints: dict[str, str] = {}
    for field in ("title", "date", "source"):
        value = _as_meta(_lookup(record, keys[field]))
        if value:
            hints[field] = value
    url = _as_meta(_lookup(record, keys["url"]))
    return RawInput(data=data, origin=origin, kind=kind, url=url, hints=hints)


# Fields feeds file attachments under, and the keys naming each attachment.
_ATTACHMENT_FIELDS = ("attachment", "attachments", "files", "附件")
_ATTACHMENT_NAMES = ("mark", "name", "title", "text", "filename")


def attachment_names(record: dict[str, object]) -> list[str]:
    """The names of a record's attachments (strings, or objects with a name-like key)."""
    names: list[str] = []
    for key in _ATTACHMENT_FIELDS:
        value = record.get(key)
        items = value if isinstance(value, list) else [value] if value else []
        for item in items:
            if isinstance(item, dict):
                item = next((item[k] for k in _ATTACHMENT_NAMES if isinstance(item.get(k), str)), None)
            if isinstance(item, str) and item.strip():
                names.append(item.strip())
    return names


def _keys(mapping: Mapping[str, str] | None) -> dict[str, tuple[str, ...]]:
    keys = dict(DEFAULT_KEYS)
    for field, key in (mapping or {}).items():
        keys[field] = (key,)
    return keys


def _lookup(record: dict[str, object], keys: tuple[str, ...]) -> object:
    """The first present, non-null value among `keys`; a dotted key also walks nested objects."""
    for key in keys:
        if key in record:
            value = record[key]
        elif "." in key:
            value = record
            for part in key.split("."):
                value = value.get(part) if isinstance(value, dict) else None
        else:
            value = None
        if value is not None and value != "" and value != []:
            return value
    return None


def _as_content(value: object, origin: str, field: str) -> str:
    if isinstance(value, str):
        return value
    # Scrapy items often hold selector results as lists of strings.
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    raise InputError(
        origin, f"field {field!r} is a JSON {_json_type(value)}, not a string; store the page as a string"
    )


def _as_meta(value: object) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | int | float) and str(v).strip()), None)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value).strip() or None


def _parse_line(line: bytes, origin: str) -> object:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            origin, f"is not UTF-8 (bad byte at column {exc.start + 1}); re-export the feed as UTF-8"
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if text.lstrip().startswith("["):
            reason = "looks like a JSON array, not JSON lines; export one object per line (-o items.jsonl)"
        else:
            reason = f"is not valid JSON ({exc.msg} at column {exc.colno}); fix or remove the line"
        raise InputError(origin, reason) from None
    except RecursionError:
        raise InputError(origin, "is nested too deeply to parse; fix or remove the line") from None


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while True:
        chunk = stream.readline(_SKIP_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def _short(exc: BaseException) -> str:
    return str(exc).split("\n", 1)[0][:120] or type(exc).__name__

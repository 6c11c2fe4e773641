"""Bytes to text: BOM, declared charset (checked against the bytes), UTF-8, then detection."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from bulletin.errors import InputError
from bulletin.text.sanitize import tidy_decoded as _tidy

# Only the head of a page can declare its charset; scanning further wastes time on 10 MB inputs.
_HEAD_BYTES = 8192
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# GB2312 and GBK are subsets of GB18030: pages labelled with them routinely use characters
# outside the label (names, rare place names), which only the superset decodes.
_ALIASES = {
    "gb2312": "gb18030",
    "gb_2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "chinese": "gb18030",
    "csgb2312": "gb18030",
    "euc-cn": "gb18030",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "unicode": "utf-8",
    "utf8": "utf-8",
    "iso-8859-1": "cp1252",  # browsers read latin-1 labels as windows-1252
    "latin1": "cp1252",
    "us-ascii": "cp1252",
}
# Share of replacement characters tolerated before a decoding counts as wrong.
_MAX_BAD_RATIO = 0.002


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the encoding that produced it."""

    text: str
    encoding: str


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in <meta> or an XML declaration, normalised; None if absent."""
    match = _DECLARED.search(data[:_HEAD_BYTES])
    if not match:
        return None
    return charset_name((match.group(1) or match.group(2)).decode("ascii", "replace"))


def charset_name(label: str) -> str | None:
    """A charset label (from a page or an HTTP header) as a Python codec name; None if unknown."""
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if sample.count(0) > max(8, len(sample) // 100):
        return True
    # Text has tabs/newlines/CR but almost no other C0 control bytes.
    controls = sum(sample.count(b) for b in range(32) if b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(sample) * 0.05)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _lenient(data: bytes, encoding: str) -> str | None:
    """Decode with replacement when only a handful of bytes are invalid."""
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        return None
    bad = text.count("\ufffd")
    return text if bad <= max(3, int(len(text) * _MAX_BAD_RATIO)) else None


# Valid multi-byte UTF-8 sequences rarely occur by chance in GB text (about one pair in seven), so
# two good wide characters per replacement mean UTF-8 with stray bytes, however short the file.
_UTF8_GOOD_PER_BAD = 2
# Measured in bytes: GB pages have 29-43% of their high bytes in valid UTF-8 sequences by chance;
# UTF-8 text with a few stray bytes keeps well over half. Wide characters cut by a stray byte
# count against the first measure three times over, against this one once per byte.
_UTF8_BYTE_SHARE = 0.6
# A GB page with some broken bytes: most of its characters are in GB2312's common set, and its
# replacements are few beside them (Cyrillic read as GB has one every few characters).
_GB2312_SHARE = 0.9
_GB_GOOD_PER_BAD = 10


def _nearly_clean(data: bytes) -> tuple[str, str] | None:
    """UTF-8 or GB18030 with a few broken bytes, before a detector guesses Cyrillic or Big5."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    wide = [ch for ch in text if ord(ch) > 127 and ch != "\ufffd"]
    if len(wide) >= _UTF8_GOOD_PER_BAD * bad:
        return text, "utf-8"
    high = sum(1 for byte in data if byte >= 0x80)
    utf8_share = sum(len(ch.encode("utf-8")) for ch in wide) / max(1, high)
    gb = data.decode("gb18030", errors="replace")
    gb_bad = gb.count("\ufffd")
    gb_wide = [ch for ch in gb if ord(ch) > 127 and ch != "\ufffd"]
    plausible_gb = bool(gb_wide) and gb_bad <= max(3, len(gb_wide) // _GB_GOOD_PER_BAD)
    if plausible_gb and sum(1 for ch in gb_wide if _in_gb2312(ch)) >= _GB2312_SHARE * len(gb_wide):
        return gb, "gb18030"
    return (text, "utf-8") if utf8_share >= _UTF8_BYTE_SHARE else None


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _detect(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:262144]).best()
    if best is None or not best.encoding:
        return None
    encoding = _ALIASES.get(best.encoding, best.encoding)
    text = _lenient(data, encoding)
    return (text, encoding) if text is not None else None


def decode(data: bytes, origin: str, transport: str | None = None) -> Decoded:
    """Decode raw bytes; raise InputError naming `origin` for empty, binary or undecodable input.

    `transport` is the charset the bytes arrived with (an HTTP Content-Type in a web archive),
    used when the page itself declares none.
    """
    if not data.strip():
        raise InputError(origin, "is empty; nothing to extract")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            return Decoded(_tidy(text), encoding)
    if _looks_binary(data):
        raise InputError(
            origin, "looks binary (NUL or control bytes), not HTML or text; pass a page or text file"
        )
    declared = declared_charset(data) or (charset_name(transport) if transport else None)
    # Strict UTF-8 first: non-ASCII bytes that decode as UTF-8 are UTF-8 in practice, and a page
    # that lies about its charset is most often UTF-8 labelled GB2312 (which GB18030 would also
    # "decode", into mojibake).
    candidates = ["utf-8"] + ([declared] if declared and declared != "utf-8" else [])
    for encoding in candidates:
        strict = _strict(data, encoding)
        if strict is not None:
            return Decoded(_tidy(strict), encoding)
    # A few broken bytes (truncated downloads, mixed fragments) must not lose the whole page.
    for encoding in [declared] if declared else []:
        lenient = _lenient(data, encoding)
        if lenient is not None:
            return Decoded(_tidy(lenient), encoding)
    lenient = _lenient(data, "utf-8")
    if lenient is not None:
        return Decoded(_tidy(lenient), "utf-8")
    nearly = _nearly_clean(data)
    if nearly is not None:
        return Decoded(_tidy(nearly[0]), nearly[1])
    detected = _detect(data)
    if detected is not None:
        return Decoded(_tidy(detected[0]), detected[1])
    # Chinese pages without a declaration are mostly GBK-family; accept them if nearly clean.
    lenient = _lenient(data, "gb18030")
    if lenient is not None:
        return Decoded(_tidy(lenient), "gb18030")
    raise InputError(
        origin,
        "cannot be decoded (not UTF-8, GB18030 or any detected charset); "
        "convert it to UTF-8 or declare its charset in a <meta charset> tag",
    )

"""Shared text normalisation: whitespace runs, and full-width and case folding."""

from __future__ import annotations

import re
import unicodedata

# Blank characters: Unicode whitespace (the ideographic space and nbsp included) plus the
# zero-width space and the byte-order mark, which pages scatter through their text.
BLANKS = r"\s\u3000\u00a0\u200b\ufeff"
# Zero-width (non-)joiners: blank in a page line, but not in learned_lines' keys, whose hashes
# are stored in archives and were computed without them.
JOINERS = "\u200c\u200d"

_LINE_BLANKS = re.compile(f"[{BLANKS}{JOINERS}]+")
_BLANKS = re.compile(f"[{BLANKS}]+")
_WHITESPACE = re.compile(r"\s+")


def normalize_line(line: str) -> str:
    """Collapse whitespace runs (ASCII, full-width, nbsp, zero-width) to one space; strip."""
    return _LINE_BLANKS.sub(" ", line).strip()


def drop_blanks(text: str) -> str:
    """`text` without blank characters (joiners kept): the key form of a learned line."""
    return _BLANKS.sub("", text)


def compact(text: str) -> str:
    """`text` without whitespace: the form two headlines are compared in, and text is measured in."""
    return _WHITESPACE.sub("", text)


def fold(text: str) -> str:
    """NFKC (full-width to half-width forms) and lower case: the form words are counted in."""
    return unicodedata.normalize("NFKC", text).lower()

"""Shared text normalisation: whitespace runs, and full-width and case folding."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Blank characters: Unicode whitespace (the ideographic space and nbsp included) plus the
# zero-width space and the byte-order mark, which pages scatter through their text.
BLANKS = r"\s\u3000\u00a0\u200b\ufeff"
# Zero-width (non-)joiners: blank in a page line, but not in learned_lines' keys, whose hashes
# are stored in archives and were computed without them.
JOINERS = "\u200c\u200d"

# Private-use code points carry no text: icon-font glyphs on pages (a share or comment icon),
# U+E40C for SogouCS's paragraph breaks.
PRIVATE_USE = "\ue000-\uf8ff"
_GLYPHS = re.compile(f"[{PRIVATE_USE}]+")
# What an icon button shows beside its glyph: a count (12, 3.4万, 999+), or nothing.
_COUNT = re.compile(r"[\d.,]*[万千kKwW]?\+?")

# Icon glyphs are blank in a page line too (no text is written in them).
_LINE_BLANKS = re.compile(f"[{BLANKS}{JOINERS}{PRIVATE_USE}]+")
_BLANKS = re.compile(f"[{BLANKS}]+")
_WHITESPACE = re.compile(r"\s+")


def normalize_line(line: str) -> str:
    """Collapse whitespace runs (ASCII, full-width, nbsp, zero-width, icon glyphs) to one space; strip."""
    return _LINE_BLANKS.sub(" ", line).strip()


def has_glyphs(text: str) -> bool:
    """Whether `text` holds private-use characters (icon glyphs, record paragraph marks)."""
    return _GLYPHS.search(text) is not None


def split_glyphs(text: str) -> list[str]:
    """`text` cut at each run of private-use characters (they mark breaks, never text)."""
    return _GLYPHS.split(text)


def is_icon_button(line: str) -> bool:
    """A line of icon glyphs alone or beside a count ("\ue60e 4"): a page's buttons, not text."""
    if not has_glyphs(line):
        return False
    return _COUNT.fullmatch(_BLANKS.sub("", _GLYPHS.sub("", line))) is not None


def drop_blanks(text: str) -> str:
    """`text` without blank characters (joiners kept): the key form of a learned line."""
    return _BLANKS.sub("", text)


def compact(text: str) -> str:
    """`text` without whitespace: the form two headlines are compared in, and text is measured in."""
    return _WHITESPACE.sub("", text)


# Texts at least this long are folded through a small cache: a worker folds an article's text
# for its index analysis and again for its near-duplicate sketch (0.3 ms each at 2,700
# characters); words and lines, folded by the thousand, skip the cache's bookkeeping.
_CACHED_FOLD = 512


def fold(text: str) -> str:
    """NFKC (full-width to half-width forms) and lower case: the form words are counted in."""
    if len(text) >= _CACHED_FOLD:
        return _fold_long(text)
    return unicodedata.normalize("NFKC", text).lower()


@lru_cache(maxsize=2)
def _fold_long(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()

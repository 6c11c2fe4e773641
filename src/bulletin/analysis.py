"""Text analysis for search: normalisation and CJK-bigram tokens (no Whoosh here).

Recall must not depend on word segmentation, so CJK runs become overlapping
character bigrams; the last character of every run is also emitted as a unigram
(at the position of the run's last bigram) so a single-character query can be
answered by a prefix lookup: every occurrence of a character is either the first
half of a bigram or the end of a run. Latin letters and digits form whole-word
tokens. Punctuation opens a position gap so phrases never match across it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any

from bulletin.text.cjk import HAN, INDEXED, INDEXED_CHAR
from bulletin.text.normalize import fold


@lru_cache(maxsize=1)
def _converter() -> Any:
    # OpenCC (BYVoid's reference implementation, maintained, with wheels) converts phrase by
    # phrase with the same dictionaries every Chinese input method uses; loading it is ~20 ms.
    import opencc

    return opencc.OpenCC("t2s")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters to simplified (a no-op on other text)."""
    if not text or text.isascii():
        return text
    try:
        return str(_converter().convert(text))
    except UnicodeEncodeError:  # lone surrogates (undecodable bytes of a command line)
        return str(_converter().convert(_LONE_SURROGATE.sub("\ufffd", text)))  # same length


def normalize(text: str) -> str:
    """NFKC (full-width to half-width), lower case, traditional to simplified.

    Whitespace between two CJK characters is dropped: Chinese puts no spaces between
    words, so a space or line break there is a hard wrap or layout, and a phrase that
    spans it must still match.
    """
    folded = to_simplified(fold(text))
    gaps = _cjk_gaps(folded)
    if not gaps:
        return folded
    return "".join(folded[start:end] for start, end in _kept_between(gaps, len(folded)))


@lru_cache(maxsize=65536)
def _fold(ch: str) -> str:
    """NFKC and lower case of one character (possibly several characters, or none)."""
    return fold(ch)


# Characters NFKC and lower case can change: not ASCII other than capitals, and not CJK
# unified ideographs (no decomposition, no case). Most of a Chinese text is neither, so the
# set of characters to fold stays small.
_MAY_FOLD = re.compile(rf"[^\x00-\x40\x5b-\x7f{HAN}]")


class OffsetMap(Sequence[int]):
    """The source offset of each character of a normalised text, kept as runs of consecutive
    offsets: a text normalised without resizing is a few runs (one per dropped gap), and a
    list of every offset would cost more to build than the rest of the normalisation."""

    def __init__(self, length: int, starts: list[int], sources: list[int]) -> None:
        self._length = length
        self._starts = starts  # where each run begins in the normalised text
        self._sources = sources  # the source offset of each run's first character

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if not -self._length <= index < self._length:
            raise IndexError(index)
        index %= self._length
        run = bisect_right(self._starts, index) - 1
        return self._sources[run] + index - self._starts[run]


def normalize_with_offsets(text: str) -> tuple[str, Sequence[int]]:
    """Normalise like `normalize` and map each output character to its source offset.

    Used to put highlight spans on the original text. Characters are folded one by one so
    the mapping is exact, but each distinct character is folded once; folds that keep the
    length (full-width punctuation, capitals) are replaced throughout at C speed, and only
    the occurrences of the few that do not ("…" to "...") are spliced. The
    traditional-to-simplified step keeps the length for practically all text, and falls
    back to per-character conversion when it doesn't.
    """
    folds = {ch: _fold(ch) for ch in set(_MAY_FOLD.findall(text))}
    joined = text
    resized: dict[str, str] = {}
    for ch, out in folds.items():
        if out == ch:
            continue
        if len(out) == 1:
            joined = joined.replace(ch, out)  # a few C passes beat translate()'s per-character lookups
        else:
            resized[ch] = out  # "…" becomes "...": the offsets shift
    sources: list[int] | None = None
    if resized:
        joined, sources = _expand(joined, resized)
    converted = to_simplified(joined)
    if len(converted) != len(joined):
        converted = "".join(c if len(s := to_simplified(c)) != 1 else s for c in joined)
    # Drop whitespace between CJK characters, as normalize() does, keeping the offset map.
    gaps = _cjk_gaps(converted)
    kept_spans = _kept_between(gaps, len(converted)) if gaps else [(0, len(converted))]
    pieces = [converted[start:end] for start, end in kept_spans]
    if sources is None:  # one run of offsets per kept span
        starts = list(accumulate((end - start for start, end in kept_spans[:-1]), initial=0))
        return "".join(pieces), OffsetMap(
            len(converted) - sum(e - s for s, e in gaps), starts, [s for s, _ in kept_spans]
        )
    return "".join(pieces), [source for start, end in kept_spans for source in sources[start:end]]


def _expand(text: str, resized: dict[str, str]) -> tuple[str, list[int]]:
    """`text` with each character of `resized` replaced, and each output character's source."""
    pieces: list[str] = []
    sources: list[int] = []
    last = 0
    for match in _char_class(frozenset(resized)).finditer(text):
        at = match.start()
        pieces.append(text[last:at])
        sources.extend(range(last, at))
        out = resized[match.group()]
        pieces.append(out)
        sources.extend([at] * len(out))
        last = at + 1
    pieces.append(text[last:])
    sources.extend(range(last, len(text)))
    return "".join(pieces), sources


@lru_cache(maxsize=256)
def _char_class(chars: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]")


def _cjk_gaps(text: str) -> list[tuple[int, int]]:
    """Spans of the whitespace runs that have a CJK character on both sides.

    str.split() finds the runs at C speed (the same whitespace as the regex \\s): a regex
    scan costs about 25 ns a character on Chinese text, three times the rest of this.
    """
    found = []
    end = 0
    for piece in text.split():
        # The piece starts where the whitespace after the previous one ends: that run is
        # whitespace only, so the piece cannot be found any earlier.
        start = text.find(piece, end)
        if start > end and end and INDEXED_CHAR.match(text, end - 1) and INDEXED_CHAR.match(text, start):
            found.append((end, start))
        end = start + len(piece)
    return found


def _kept_between(gaps: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The spans of a text of `length` characters left when `gaps` (sorted) are cut out."""
    kept = []
    last = 0
    for start, end in gaps:
        kept.append((last, start))
        last = end
    kept.append((last, length))
    return kept


@dataclass(frozen=True, slots=True)
class Token:
    """One index token: its text, position, and character span in the analysed string."""

    text: str
    pos: int
    start: int
    end: int


# One match per run: a CJK run, a digit run, a run of other letters, or one punctuation mark.
# Digit runs are bigrammed like CJK so "23" finds "2023" (grep would), while Latin words stay
# whole words, as people expect of English search.
_RUNS = re.compile(f"([{INDEXED}]+)|(\\d+)|([^\\W\\d{INDEXED}]+)|([^\\s\\w])")


def _grams(run: str) -> list[str]:
    """Overlapping bigrams of a run (a lone character stays a unigram)."""
    if len(run) == 1:
        return [run]
    return [run[k : k + 2] for k in range(len(run) - 1)]


def tokenize(text: str) -> Iterator[Token]:
    """Tokens of already-normalised text, as stored in the index."""
    pos = 0
    gap = False
    for match in _RUNS.finditer(text):
        if match.group(4) is not None:
            # Whitespace between tokens is not a gap (people search "五心强校 铸魂育人" as words);
            # punctuation is, so a phrase never spans a sentence break.
            gap = True
            continue
        if gap:
            pos += 1
            gap = False
        i, j = match.span()
        if match.group(3) is not None:
            yield Token(match.group(3), pos, i, j)
            pos += 1
        elif j - i == 1:
            yield Token(text[i], pos, i, j)
            pos += 1
        else:
            for k in range(i, j - 1):
                yield Token(text[k : k + 2], pos, k, k + 2)
                pos += 1
            yield Token(text[j - 1], pos - 1, j - 1, j)


@dataclass(frozen=True, slots=True)
class Unit:
    """One piece of a query word: a token to match exactly, or a lone CJK character.

    A lone CJK character (`prefix=True`) matches any token starting with it.
    """

    text: str
    prefix: bool = False


def query_segments(text: str, *, phrase: bool = False) -> list[list[Unit]]:
    """Split a query word into segments that must each match as a phrase.

    Segments break at punctuation (the index has a gap there) and, unless `phrase`
    is set (a quoted phrase), at whitespace. Within a segment the units are
    consecutive tokens; a segment holding a lone CJK character cannot be a phrase
    (the index has no unigram inside a run) and is split into single units instead.
    """
    norm = normalize(text)
    segments: list[list[Unit]] = []
    current: list[Unit] = []
    has_lone = False
    last_end = 0

    def close() -> None:
        nonlocal current, has_lone
        if current:
            if has_lone and len(current) > 1:
                segments.extend([unit] for unit in current)
            else:
                segments.append(current)
        current, has_lone = [], False

    for match in _RUNS.finditer(norm):
        start, end = match.span()
        if match.group(4) is not None:
            close()
            last_end = end
            continue
        if not phrase and start > last_end:
            close()  # whitespace separates query words
        last_end = end
        if match.group(3) is not None:
            current.append(Unit(match.group(3)))
        elif end - start == 1:
            current.append(Unit(norm[start], prefix=True))
            has_lone = True
        else:
            current.extend(Unit(gram) for gram in _grams(norm[start:end]))
    close()
    return segments


def find_spans(haystack_normalized: str, needles: list[str]) -> list[tuple[int, int]]:
    """All (start, end) spans where any normalised needle occurs, merged and sorted."""
    spans: list[tuple[int, int]] = []
    for needle in needles:
        if not needle:
            continue
        start = haystack_normalized.find(needle)
        while start != -1:
            spans.append((start, start + len(needle)))
            start = haystack_normalized.find(needle, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged

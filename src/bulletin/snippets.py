"""Highlight spans and best-fragment snippets; a long text is read in a bounded window around a match."""

from __future__ import annotations

import re

from bulletin.analysis import find_spans, normalize, normalize_with_offsets
from bulletin.query import Node, positive_words
from bulletin.results import Marked
from bulletin.text.sanitize import one_line
from bulletin.text.window import READ_WINDOW, first_match, head

_PIECES = re.compile(r"[^\s\W_]+|[_\w]+", re.UNICODE)
SNIPPET_CHARS = 110


def needles(node: Node) -> list[str]:
    """Normalised strings whose occurrences a hit should show highlighted."""
    found: list[str] = []
    for word in positive_words(node):
        for piece in _PIECES.findall(normalize(word.text)):
            if piece and piece not in found:
                found.append(piece)
    return found


def mark(text: str, wanted: list[str]) -> Marked:
    """Spans of every needle in `text` (made one safe line), mapped onto its characters."""
    return _mark_line(one_line(text), wanted)


def _mark_line(text: str, wanted: list[str]) -> Marked:
    """`mark` of a text already made one safe line."""
    if not text or not wanted:
        return Marked(text, ())
    norm, sources = normalize_with_offsets(text)
    spans = []
    for start, end in find_spans(norm, wanted):
        spans.append((sources[start], sources[end - 1] + 1))
    return Marked(text, tuple(spans))


def snippet(text: str, wanted: list[str], width: int = SNIPPET_CHARS) -> Marked:
    """The window of about `width` characters holding the most matches, on one line.

    A long text is read in a bounded window: its opening (bulletin.text.window), or, when no
    match is there, the stretch around the first match further on (found as typed).
    """
    opening = head(text)
    found = _snippet(opening, wanted, width, more=len(opening) < len(text))
    if found.spans or len(opening) == len(text):
        return found
    at = first_match(text, wanted, len(opening))
    if at == -1:
        return found
    begin = max(0, at - width)  # room before the match for the snippet's lead-in
    end = min(len(text), at + READ_WINDOW // 100)
    later = _snippet(text[begin:end], wanted, width, more=end < len(text))
    if not later.spans:
        return found
    return later if later.text.startswith("…") else Marked("…" + later.text, _shifted(later.spans, 1))


def _shifted(spans: tuple[tuple[int, int], ...], by: int) -> tuple[tuple[int, int], ...]:
    return tuple((start + by, end + by) for start, end in spans)


def _snippet(text: str, wanted: list[str], width: int, *, more: bool) -> Marked:
    """`snippet` of a whole text (`more`: the text goes on after it, so its end is a cut)."""
    # Control characters go before offsets are taken, so spans stay valid in every output.
    flat = one_line(" ".join(line.strip() for line in text.splitlines() if line.strip()))
    marked = _mark_line(flat, wanted)
    if not marked.spans:
        cut = flat[:width]
        return Marked(cut + ("…" if len(flat) > width or more else ""), ())
    best_start = _densest_window(marked.spans, width)
    # Begin a little before the first match, at a sentence or clause start when one is near.
    begin = max(0, best_start - width // 4)
    for sep in "。！？；，,.!? ":
        cut_at = flat.rfind(sep, begin, best_start)
        if cut_at != -1 and best_start - cut_at < width // 2:
            begin = cut_at + 1
            break
    end = min(len(flat), begin + width)
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(flat) or more else ""
    shift = len(prefix) - begin
    spans = tuple(
        (max(s, begin) + shift, min(e, end) + shift) for s, e in marked.spans if s < end and e > begin
    )
    return Marked(prefix + flat[begin:end] + suffix, spans)


def _densest_window(spans: tuple[tuple[int, int], ...], width: int) -> int:
    """Start of the first span whose `width`-character window holds the most whole spans.

    Spans are sorted and disjoint, so their ends rise too: one pass with a trailing pointer
    (a single common character can match thousands of times in a long article).
    """
    best_start, best_count = spans[0][0], 0
    last = 0  # one past the last span ending inside the current window
    for first, (start, _end) in enumerate(spans):
        last = max(last, first)
        while last < len(spans) and spans[last][1] <= start + width:
            last += 1
        if last - first > best_count:
            best_start, best_count = start, last - first
    return best_start

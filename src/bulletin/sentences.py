"""Sentence splitting for Chinese, English and mixed text, with paragraph index and offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bulletin.text.cjk import WIDE_CHAR  # a "." or ";" next to one is Chinese-style punctuation

# Marks that close a sentence and stay with it: ”’」』）… after 。 belong to the sentence they end.
_CLOSERS = "”’」』）》】〕)]\"'"
# Candidate sentence ends: a run of terminal marks and the closers that follow it.
_CANDIDATE = re.compile(f"(?:[。！？；…]|\\.{{3}}|[.!?;])+[{re.escape(_CLOSERS)}]*")
# After these a candidate end is not one: "“好！”他说" splits, but "“好！”，他说" goes on.
_CONTINUERS = "，,、：:"
# Abbreviations whose trailing period does not end an English sentence (compared lower case).
_ABBREVIATION_LIST = """
mr mrs ms dr prof sr jr st mt vs etc al fig no nos vol pp gen gov sen rep col lt sgt capt
inc ltd co corp dept univ est approx jan feb mar apr jun jul aug sep sept oct nov dec"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_LIST.split())
# A short attribution after a closing quote belongs to the quote: “……。”王昱说。 is one sentence.
_ATTRIBUTION = re.compile(
    r"[^。！？；!?;\n“”\"]{1,12}?(?:说|表示|称|道|问|答|指出|介绍|强调|回应|透露|坦言|笑称|写道)[。！？!?.]"
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n\s*")
_LATIN_END = re.compile(r"[A-Za-z0-9,;:\-]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9(\"']")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its text, paragraph index, and [start, end) character offsets in the source.

    `closed` is true when the sentence ends with sentence-final punctuation rather than
    being cut off by a line or paragraph end (a heading, a caption, or a truncated text).
    """

    text: str
    paragraph: int
    start: int
    end: int
    closed: bool


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences in document order (blank or whitespace-only pieces are dropped)."""
    sentences: list[Sentence] = []
    for paragraph, (para_start, para_end) in enumerate(_paragraphs(text)):
        for line_start, line_end in _hard_lines(text, para_start, para_end):
            sentences.extend(_split_line(text, line_start, line_end, paragraph))
    return sentences


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blocks between blank lines, or single lines when the text has no blank line."""
    if _PARAGRAPH_BREAK.search(text):
        spans, start = [], 0
        for match in _PARAGRAPH_BREAK.finditer(text):
            spans.append((start, match.start()))
            start = match.end()
        spans.append((start, len(text)))
    else:
        spans, start = [], 0
        for line in text.splitlines(keepends=True):
            spans.append((start, start + len(line)))
            start += len(line)
    # Whitespace-only paragraphs carry no sentence and must not use up a paragraph index.
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _hard_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Lines of a paragraph, with soft-wrapped English lines joined back together."""
    lines: list[tuple[int, int]] = []
    pos = start
    for line in text[start:end].splitlines(keepends=True):
        line_end = pos + len(line)
        body = line.rstrip()
        if lines and body.strip():
            previous = text[lines[-1][0] : lines[-1][1]].rstrip()
            # A line broken inside an English sentence (hard-wrapped text) continues it;
            # a Chinese line break is always a real break (headings, list items).
            if _LATIN_END.search(previous) and _LATIN_START.match(body.lstrip()):
                lines[-1] = (lines[-1][0], line_end)
                pos = line_end
                continue
        lines.append((pos, line_end))
        pos = line_end
    return lines


def _split_line(text: str, start: int, end: int, paragraph: int) -> list[Sentence]:
    """Sentences inside one hard line of text[start:end]."""
    found: list[Sentence] = []
    piece_start = start
    for match in _CANDIDATE.finditer(text, start, end):
        if _is_boundary(text, match.start(), match.end(), end):
            found.extend(_make(text, piece_start, match.end(), paragraph, closed=True))
            piece_start = match.end()
    found.extend(_make(text, piece_start, end, paragraph, closed=False))
    return found


def _make(text: str, start: int, end: int, paragraph: int, *, closed: bool) -> list[Sentence]:
    """A Sentence for text[start:end] trimmed of surrounding whitespace, or nothing if blank."""
    raw = text[start:end]
    stripped = raw.strip()
    if not stripped:
        return []
    lead = len(raw) - len(raw.lstrip())
    real_start = start + lead
    real_end = real_start + len(stripped)
    shown = " ".join(stripped.split()) if "\n" in stripped else stripped
    return [Sentence(shown, paragraph, real_start, real_end, closed)]


def _is_boundary(text: str, start: int, end: int, line_end: int) -> bool:
    """Whether the punctuation run text[start:end] ends a sentence."""
    after = text[end] if end < line_end else ""
    if after and after in _CONTINUERS:
        return False
    marks = text[start:end].rstrip(_CLOSERS)
    before = text[start - 1] if start > 0 else ""
    if len(marks) < end - start and _ATTRIBUTION.match(text, end, line_end):
        return False
    if any(ch in "。！？；…" for ch in marks):
        return True
    cjk_context = bool(WIDE_CHAR.match(before) or (after and WIDE_CHAR.match(after)))
    if marks == ";":
        # An ASCII semicolon ends a clause in Chinese text (like ；) but not in English.
        return cjk_context
    if marks in {"!", "?"} or "!" in marks or "?" in marks:
        return not after or after.isspace() or cjk_context or after in _CLOSERS
    return _period_ends(text, start, end, after, line_end, cjk_context)


def _period_ends(text: str, start: int, end: int, after: str, line_end: int, cjk_context: bool) -> bool:
    """Whether a period (or "...") at text[start:end] ends a sentence."""
    before = text[start - 1] if start > 0 else ""
    if before.isdigit() and after.isdigit():
        return False  # a decimal or version number: 3.5, 1.2.3
    if WIDE_CHAR.match(before):
        return True  # Chinese text typed with an ASCII full stop
    if not after:
        return True
    if not after.isspace() and not WIDE_CHAR.match(after):
        return False  # inside a token: U.S., e.g., example.com
    word = re.search(r"([A-Za-z.]+)$", text[max(0, start - 12) : start])
    if word:
        token = word.group(1).lower().strip(".")
        # Initials and dotted abbreviations (J. Smith, U.S., e.g.) and known titles never end here.
        if len(token) == 1 or "." in token or token in _ABBREVIATIONS:
            return False
    if cjk_context:
        return True
    following = text[end:line_end].lstrip()
    # English sentences start with a capital, a digit, a quote or a bracket.
    return not following or not following[0].islower()

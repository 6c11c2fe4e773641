"""Display titles: an article's own title, else its first sentence cut to fit a listing, marked derived.

Many bulletins print no headline line (the seed is one): the record keeps `title` null, since
nothing on the page said it, but a listing of such articles would be a column of blanks. Every
view shows the display title instead, and text views mark a derived one with DERIVED_MARK.
"""

from __future__ import annotations

import re
import unicodedata

from bulletin.sentences import split_sentences

# What text views put before a title bulletin made up from the text.
DERIVED_MARK = "(untitled)"
# A listing's title room, in terminal columns (a CJK character takes two): about 36 characters.
WIDTH = 72
# A cut at a clause break is kept when it leaves at least this share of the room.
_CLAUSE_SHARE = 0.5
_CLAUSE_BREAK = re.compile(r"[，,、；;：:]|\s")
_SENTENCE_END = "。！？!?.…；;，,、：: "
_WORDLIKE = re.compile(r"[^\W\d_]")  # letters and CJK characters (a date alone has none)
_MIN_WORDLIKE = 4  # a first "sentence" shorter than this (a date, a stray label) is passed over


def display_title(title: str | None, text: str) -> str:
    """The title to show: `title` when there is one, else the text's first sentence, cut."""
    if title and title.strip():
        return title
    return derived_title(text)


def is_derived(title: str | None) -> bool:
    """Whether a view of an article with this title shows a derived one."""
    return not (title and title.strip())


def derived_title(text: str) -> str:
    """The text's first real sentence, trimmed of end punctuation and cut to WIDTH columns ("" if none)."""
    for sentence in split_sentences(text[:2000]):  # the opening is enough; texts may be megabytes
        candidate = " ".join(sentence.text.split()).rstrip(_SENTENCE_END)
        if len(_WORDLIKE.findall(candidate)) >= _MIN_WORDLIKE:
            return _cut(candidate, WIDTH)
    return ""


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _cut(text: str, room: int) -> str:
    """`text` when it fits `room` columns; else cut at the last clause break that leaves at least
    half the room (else at the room), with an ellipsis."""
    if sum(map(_width, text)) <= room:
        return text
    used = 0
    for end, char in enumerate(text):
        used += _width(char)
        if used > room - 1:  # keep a column for the ellipsis
            head = text[:end]
            breaks = [m.start() for m in _CLAUSE_BREAK.finditer(head)]
            if breaks and sum(map(_width, head[: breaks[-1]])) >= room * _CLAUSE_SHARE:
                head = head[: breaks[-1]]
            return head.rstrip(_SENTENCE_END) + "…"
    return text


def shown_title(title: str | None, text: str) -> str:
    """The title as text views print it: a derived one after DERIVED_MARK."""
    if not is_derived(title):
        return title or ""
    return f"{DERIVED_MARK} {derived_title(text)}".rstrip()

"""How much of a long article summaries, keywords and snippets read: a bounded window, not all of it.

A 30 MB text (a scraped dump, a whole book) would otherwise cost `show`, `summarize` and every search
listing seconds of segmenting and normalising for a result that only ever comes from its opening
(a summary favours the lead, keywords settle long before) or from around one match (a snippet).
"""

from __future__ import annotations

import re

# About a hundred pages of Chinese: far beyond any bulletin, and fast to read.
READ_WINDOW = 200_000
# How far back from the cut a line break is looked for, so the window ends on a whole line.
_LINE_SLACK = 2_000


def head(text: str, limit: int = READ_WINDOW) -> str:
    """The first `limit` characters of `text`, ending at a line break when one is near the cut."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", limit - _LINE_SLACK, limit)
    return text[: cut + 1 if cut != -1 else limit]


def first_match(text: str, needles: list[str], start: int) -> int:
    """Where in `text`, from `start`, any of `needles` first occurs as typed (Latin letters in either
    case); -1 when none does. Cheap over megabytes: no normalisation, one regex pass."""
    wanted = [re.escape(needle) for needle in needles if needle]
    if not wanted:
        return -1
    found = re.compile("|".join(wanted), re.IGNORECASE).search(text, start)
    return found.start() if found else -1

"""English bylines: "By Emily Burack", "By JOHN SMITH and Jane Doe", "Story by …" read as whole names."""

from __future__ import annotations

import re
from dataclasses import dataclass

# "By …", "Story by …", "Written by …"; photo and video credits are not the article's authors.
_LEAD = re.compile(
    r"^\s*(?:(?P<kind>story|words|text|written|reporting|reported|report|article|interview|analysis"
    r"|compiled|edited|photos?|photographs?|photography|images?|video|illustrations?|graphics)\s+)?"
    r"by\s*[:：]?\s+",
    re.IGNORECASE,
)
_ROLE_OF_KIND = {"edited": "编辑", "video": "视频"}
_PICTURE_KINDS = ("photo", "image", "illustration", "graphic")
# What ends the names: a date, a time, "Updated …", a bar or a dash separating the info bar.
_END = re.compile(
    r"\s*(?:[|•·—–]|\s-\s|\b(?:updated|published|posted|last\s+updated|on)\b|\d"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d).*$",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)
_HONORIFIC = re.compile(r"^(?:dr|prof|mr|mrs|ms|sir|dame|rev)\.?\s+", re.IGNORECASE)
_WORD = re.compile(
    r"[A-Z][a-z]+(?:[-'’][A-Za-z][a-z]*)*\.?|[A-Z]\.|[A-Z][A-Z'’-]+\.?|(?:Mc|Mac|O')[A-Z][a-z]+"
)
_PARTICLES = frozenset(
    {"de", "da", "del", "della", "di", "du", "la", "le", "van", "von", "der", "den", "bin", "al"}
)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
# Words of a headline or a job title, never of a name: "By The Numbers", "Staff Writer".
_NOT_NAME = frozenset(
    {
        "the",
        "of",
        "and",
        "in",
        "on",
        "at",
        "for",
        "to",
        "a",
        "an",
        "with",
        "from",
        "our",
        "your",
        "this",
        "that",
        "staff",
        "writer",
        "writers",
        "reporter",
        "reporters",
        "editor",
        "editors",
        "correspondent",
        "correspondents",
        "contributor",
        "contributing",
        "columnist",
        "senior",
        "associate",
        "managing",
        "news",
        "special",
        "chief",
        "bureau",
        "freelance",
        "political",
        "science",
        "tech",
        "business",
        "sports",
        "photographer",
        "producer",
        "fellow",
        "intern",
        "analyst",
        "team",
        "desk",
        "wire",
        "wires",
        "agency",
        "agencies",
    }
)


# "Photos by Ann Lee; story by Tom Wu": one credit clause after another.
_CLAUSE = re.compile(r"\s*;\s*(?=(?:\w+\s+)?by\s)", re.IGNORECASE)


@dataclass(frozen=True)
class Byline:
    """What an English byline credits (role, name), and whether the line holds nothing else."""

    credits: list[tuple[str, str]]
    whole: bool

    def authors(self) -> list[str]:
        """The names credited as writers (not photographers or editors)."""
        return [name for role, name in self.credits if role == "作者"]


def english_byline(line: str) -> Byline | None:
    """The byline on a short line starting "By"/"Story by"…; None when what follows names nobody."""
    if len(line) > 160:
        return None
    credits: list[tuple[str, str]] = []
    whole = True
    for clause in _CLAUSE.split(line):
        found = _clause(clause)
        if found is None:
            return None
        credits.extend(found.credits)
        whole = whole and found.whole
    return Byline(credits, whole)


def _clause(line: str) -> Byline | None:
    lead = _LEAD.match(line)
    if lead is None:
        return None
    kind = (lead.group("kind") or "").lower()
    rest = line[lead.end() :]
    names_part = _END.sub("", rest)
    whole = names_part.strip() == rest.strip()
    names: list[str] = []
    for piece in _SPLIT.split(names_part):
        name = person_name(piece)
        if name is not None:
            names.append(name)
        elif names and len(piece.split()) <= 4:
            continue  # an affiliation or job title after the names: ", Staff Writer", ", Reuters"
        elif piece.strip():
            return None  # a sentence that starts with "By", not a byline
    if not names:
        return None
    role = "摄影" if kind.startswith(_PICTURE_KINDS) else _ROLE_OF_KIND.get(kind, "作者")
    return Byline([(role, name) for name in names], whole)


def person_name(piece: str) -> str | None:
    """A personal name as printed ("Mary-Kate O'Neil", "Jean-Luc de la Cruz"), capitals tidied; else None."""
    tokens = _HONORIFIC.sub("", piece.strip(" ,:;")).split()
    if not 2 <= len(tokens) <= 5:
        return None
    if tokens[-1].endswith(".") and tokens[-1].lower() not in _SUFFIXES:
        tokens[-1] = tokens[-1][:-1]  # the sentence's full stop, not an initial's or Jr.'s
    for i, token in enumerate(tokens):
        lower = token.lower()
        if lower in _NOT_NAME:
            return None
        if lower in _PARTICLES and 0 < i < len(tokens) - 1:
            continue
        if lower in _SUFFIXES and i == len(tokens) - 1:
            continue
        if not _WORD.fullmatch(token):
            return None
    name = " ".join(tokens)
    # A byline set in capitals (BY JOHN SMITH) names John Smith.
    return (
        " ".join(t if not t.isupper() or len(t) <= 2 else t.title() for t in tokens)
        if name.isupper()
        else name
    )


def latin_credit(value: str) -> str:
    """A Latin-script credit as a name: "Perry Bacon Jr." keeps its full stop, "Finian Cunningham.
    Sputnik International" (a name, then the publisher) is the name."""
    value = value.strip(" ,:;")
    head, dot, tail = value.partition(". ")
    if dot and tail and person_name(head) is not None:
        return person_name(head) or head
    name = person_name(value)
    return name if name is not None else value.rstrip(".")

"""The query language: a small parser from a query string to a backend-neutral tree.

Syntax: words (AND by default), "quoted phrases", `field:word`, `field:"phrase"`,
`field:(a OR b)` (every word of the group in that field; `field: word` reads the same),
AND / OR / NOT (upper case), `-word`, and parentheses. A `name:` that is not a known
field stays part of the text, because people paste headlines with colons; only a name
that looks meant as a field (`sourse:`, `date:`) is an error naming the fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bulletin.errors import QueryError

FIELDS = ("title", "text", "source", "author", "tag", "site")
_NAME_PREFIX = re.compile(r"^(-?)([A-Za-z]+):")
# Names people try as fields that are not (close misspellings are caught by edit distance).
_NOT_FIELDS = frozenset(
    ("date", "year", "month", "time", "url", "body", "content", "headline", "lang", "language",
     "keyword", "keywords", "category", "id", "titles", "tags", "sources", "authors", "sites")
)  # fmt: skip


@dataclass(frozen=True)
class Word:
    """Text to find: in `field`, or in title and text when field is None."""

    text: str
    field: str | None = None
    phrase: bool = False


@dataclass(frozen=True)
class And:
    """Every child must match."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """At least one child must match."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """The child must not match."""

    item: Node


@dataclass(frozen=True)
class Everything:
    """Matches every article (an empty query)."""


Node = Word | And | Or | Not | Everything

_QUOTE_HELP = 'add the closing " or remove the stray one (quote marks are not needed to match text)'


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, with a swap of neighbours counting one (titel ~ title)."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            row.append(min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb)))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _check_not_a_field(name: str, text: str) -> None:
    """A QueryError when `name:` looks meant as a field (a misspelling, a field bulletin lacks)."""
    lowered = name.lower()
    near = [
        f for f in FIELDS if len(lowered) >= 4 and _edit_distance(lowered, f) <= (1 if len(f) <= 4 else 2)
    ]
    if lowered not in _NOT_FIELDS and not near:
        return
    hint = f"did you mean {near[0]}:? " if near else ""
    if lowered in ("date", "year", "month", "time"):
        hint = "dates are chosen with --since and --until; "
    raise QueryError(
        f"{name}: in query {text!r} is not a field; {hint}the fields are {', '.join(FIELDS)} "
        f'(to search for the text itself, write it in quotes: "{name}:...")'
    )


def _lex(text: str) -> list[tuple[str, str]]:
    """Split the query into (kind, value) tokens: word, phrase, lparen, rparen, op."""
    tokens: list[tuple[str, str]] = []
    if text.count('"') % 2:
        raise QueryError(f"unbalanced quote in query {text!r}: {_QUOTE_HELP}")
    i, n = 0, len(text)
    depth = 0  # open groups so far
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch == '"':
            end = text.index('"', i + 1)
            tokens.append(("phrase", text[i + 1 : end]))
            i = end + 1
            continue
        if ch == "(":
            tokens.append(("lparen", "("))
            depth += 1
            i += 1
            continue
        if ch == ")":
            tokens.append(("rparen", ")"))
            depth -= 1
            i += 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != '"':
            j += 1
        raw = text[i:j]
        named = _NAME_PREFIX.match(raw)
        if named and named.group(2).lower() in FIELDS:
            # What follows the colon (a word, a "phrase", a group) is lexed on its own.
            if named.group(1):
                tokens.append(("op", "NOT"))
            tokens.append(("field", named.group(2).lower()))
            i += named.end()
            continue
        if named:
            _check_not_a_field(named.group(2), text)
        # A closing parenthesis glued to the end of a word closes an open group; one that
        # matches a "(" inside the word (通知(2023), a pasted headline ending in (图)) is text.
        trailing = len(raw) - len(raw.rstrip(")"))
        inner_opens = raw.count("(") - (raw.count(")") - trailing)
        trailing = max(0, trailing - max(inner_opens, 0))
        body = raw[: len(raw) - trailing] if trailing else raw
        depth -= trailing
        if body in ("AND", "OR", "NOT"):
            tokens.append(("op", body))
        elif body:
            tokens.append(("word", body))
        tokens.extend(("rparen", ")") for _ in range(trailing))
        i = j
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _lex(text)
        self.pos = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            return Everything()
        node = self.parse_or()
        if self.peek() is not None:
            # Only a stray ")" can stop the top level early.
            raise QueryError(
                f"unbalanced parenthesis in query {self.text!r}: a ')' has no '('; "
                'remove it or put the text in quotes ("...")'
            )
        return node

    def parse_or(self) -> Node:
        items = [self.parse_and()]
        while self.peek() == ("op", "OR"):
            self.take()
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self) -> Node:
        items = [self.parse_unary()]
        while True:
            token = self.peek()
            if token is None or token == ("op", "OR") or token[0] == "rparen":
                break
            if token == ("op", "AND"):
                self.take()
            items.append(self.parse_unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_unary(self) -> Node:
        token = self.peek()
        if token == ("op", "NOT"):
            self.take()
            return Not(self.parse_unary())
        if token is not None and token[0] == "field":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt[0] in ("op", "rparen"):
                raise QueryError(
                    f"{token[1]}: in query {self.text!r} needs a word after it, "
                    f"e.g. {token[1]}:通知 or {token[1]}:(通知 OR 公告)"
                )
            return _in_field(self.parse_unary(), token[1])
        if token is not None and token[0] == "word" and token[1].startswith("-") and len(token[1]) > 1:
            self.take()
            return Not(Word(token[1][1:]))
        return self.parse_atom()

    def parse_atom(self) -> Node:
        token = self.peek()
        if token is None:
            raise QueryError(f"query {self.text!r} ends with an operator; add a word after it or quote it")
        kind, value = self.take()
        if kind == "lparen":
            if self.peek() is not None and self.peek() == ("rparen", ")"):
                raise QueryError(f"empty parentheses in query {self.text!r}; put words inside or remove them")
            node = self.parse_or()
            if self.peek() != ("rparen", ")"):
                raise QueryError(
                    f"unbalanced parenthesis in query {self.text!r}: a '(' is never closed; "
                    "add a ')' or put the text in quotes (\"...\")"
                )
            self.take()
            return node
        if kind == "rparen":
            raise QueryError(
                f"unbalanced parenthesis in query {self.text!r}: a ')' has no '('; "
                'remove it or put the text in quotes ("...")'
            )
        if kind == "op":
            raise QueryError(
                f"operator {value} in query {self.text!r} needs words on both sides; "
                'to search for the word itself, write it in quotes ("' + value + '")'
            )
        if kind == "phrase":
            return Word(value, phrase=True)
        return Word(value)


def _in_field(node: Node, field: str) -> Node:
    """`node` with every word that names no field of its own looked for in `field`."""
    if isinstance(node, Word):
        return node if node.field else Word(node.text, field=field, phrase=node.phrase)
    if isinstance(node, Not):
        return Not(_in_field(node.item, field))
    if isinstance(node, And):
        return And(tuple(_in_field(item, field) for item in node.items))
    if isinstance(node, Or):
        return Or(tuple(_in_field(item, field) for item in node.items))
    return node


def parse_query(text: str) -> Node:
    """Parse a query string; raises QueryError with a fix-it message when malformed."""
    return _Parser(text).parse()


def positive_words(node: Node) -> list[Word]:
    """Words that a hit matches (not under NOT): what highlighting marks."""
    if isinstance(node, Word):
        return [node]
    if isinstance(node, And | Or):
        return [word for item in node.items for word in positive_words(item)]
    return []

"""From bulletin's neutral query tree and Filters to Whoosh queries."""

from __future__ import annotations

from typing import Any

from whoosh import query as wq

from bulletin.analysis import Unit, query_segments
from bulletin.index.protocol import Filters
from bulletin.index.whoosh.array_phrase import ArrayPhrase
from bulletin.query import And, Everything, Node, Not, Or, Word

# Where a word without a field is looked for. Credit names are searchable by default, but
# an article that only credits the name ranks below one that has it in its title or text:
# a query-time boost below 1 (author: stays for precision, unboosted).
DEFAULT_FIELDS = ("title", "text", "author")
DEFAULT_BOOSTS = {"author": 0.2}
CHARS_FIELD = "chars"  # the CJK characters of title and text, for one-character queries


def with_filters(node: Node, filters: Filters) -> Node:
    """`node` with the field filters ANDed in, each as a phrase in its field (both engines
    evaluate the same tree, so they match the same documents)."""
    extra: list[Node] = [Word(value, field=name, phrase=True) for name, value in filters.fields()]
    if not extra:
        return node
    if not isinstance(node, Everything):
        return And((node, *extra))
    return And(tuple(extra)) if len(extra) > 1 else extra[0]


class CharPrefix(wq.Prefix):  # type: ignore[misc]
    """A lone CJK character: every document with a token starting with it.

    Whoosh ORs one matcher per expanded term (hundreds of bigrams start with 区), decoding
    positions for each: seconds at 10k articles. Here the doc ids of each term's postings are
    unioned directly; a document's weight is how many distinct tokens start with the character.
    """

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        """A list matcher over the union of the expanded terms' documents (per segment)."""
        from whoosh import matching

        reader = searcher.reader()
        counts: dict[int, int] = {}
        for btext in self._btexts(reader):
            if not btext:
                continue
            for docnum in reader.postings(self.fieldname, btext).all_ids():
                counts[docnum] = counts.get(docnum, 0) + 1
        if not counts:
            return matching.NullMatcher()
        ids = sorted(counts)
        return matching.ListMatcher(ids, weights=[self.boost * counts[d] for d in ids])


def _units_query(field: str, units: list[Unit], boost: float = 1.0) -> wq.Query:
    if len(units) == 1:
        unit = units[0]
        if unit.prefix:
            return CharPrefix(field, unit.text, boost=boost)
        return wq.Term(field, unit.text, boost=boost)
    return ArrayPhrase(field, [unit.text for unit in units], boost=boost)


def _word_query(word: Word) -> wq.Query | None:
    segments = query_segments(word.text, phrase=word.phrase)
    if not segments:
        return None
    if not word.field and len(segments) == 1 and len(segments[0]) == 1 and segments[0][0].prefix:
        return wq.Term(CHARS_FIELD, segments[0][0].text)
    fields = (word.field,) if word.field else DEFAULT_FIELDS
    per_field = []
    for field in fields:
        boost = 1.0 if word.field else DEFAULT_BOOSTS.get(field, 1.0)
        parts = [_units_query(field, units, boost) for units in segments]
        per_field.append(parts[0] if len(parts) == 1 else wq.And(parts))
    return per_field[0] if len(per_field) == 1 else wq.Or(per_field)


def to_whoosh(node: Node) -> wq.Query | None:
    """Translate a parsed query into a Whoosh query (None when nothing is searchable)."""
    if isinstance(node, Everything):
        return wq.Every()
    if isinstance(node, Word):
        return _word_query(node)
    if isinstance(node, Not):
        inner = to_whoosh(node.item)
        return None if inner is None else wq.Not(inner)
    children = [q for q in (to_whoosh(item) for item in node.items) if q is not None]
    if not children:
        return None
    if isinstance(node, And):
        positives = [q for q in children if not isinstance(q, wq.Not)]
        if not positives:
            children.insert(0, wq.Every())
        return children[0] if len(children) == 1 else wq.And(children)
    if isinstance(node, Or):
        return children[0] if len(children) == 1 else wq.Or(children)
    raise TypeError(f"unknown query node {node!r}")


def date_bucket(value: int, field: str) -> str:
    """A date key's facet bucket: "yyyy" or "yyyy-mm" ("undated" for 0)."""
    if not value:
        return "undated"
    year, month = value // 10000, (value // 100) % 100
    if field == "year" or not month:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}"

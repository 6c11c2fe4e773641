"""Phrases for Whoosh's own matchers, with positions checked in the posting arrays.

Whoosh's blocks hold no positions (bulletin.index.analyzers.CountedTerms), so its Phrase
query cannot run on bulletin's fields. ArrayPhrase finds the documents where the words line
up as the numpy engine does (bulletin.index.whoosh.vector, over the posting arrays), then
lets Whoosh's term matchers walk and score exactly those documents: the intersection of
the words, scored as Whoosh's Phrase scores it (the sum of each word's score, times the
query's boost). numpy is imported only when a phrase is searched.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from whoosh import matching
from whoosh import query as wq
from whoosh.matching import binary
from whoosh.util import make_binary_tree

# The array view of each open top-level searcher (opening it reads every segment's arrays
# header, once for all the phrases of a searcher's life: a search server keeps one open),
# with the match masks of its latest phrases.
_VIEWS: WeakKeyDictionary[Any, tuple[Any, dict[tuple[str, tuple[str, ...]], Any]]] = WeakKeyDictionary()
_MASKS_KEPT = 64  # a boolean per document each: 6 MB at 100,000 articles


class ArrayPhrase(wq.Phrase):  # type: ignore[misc]
    """Consecutive words in one field, matched through the posting arrays."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        """The documents of this searcher's segment holding the phrase, scored by Whoosh."""
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return matching.NullMatcher()
        reader = searcher.reader()
        field = searcher.schema[fieldname]
        try:
            btexts = [field.to_bytes(word) for word in self.words]
        except ValueError:
            return matching.NullMatcher()
        if any((fieldname, btext) not in reader for btext in btexts):
            return matching.NullMatcher()  # a word the segment lacks: nothing to check
        hits = _phrase_documents(searcher, fieldname, [btext.decode("utf-8") for btext in btexts])
        if not hits:
            return matching.NullMatcher()
        words = [wq.Term(fieldname, btext).matcher(searcher, context) for btext in btexts]
        found = matching.FilterMatcher(make_binary_tree(binary.IntersectionMatcher, words), hits)
        return found if self.boost == 1.0 else matching.WrappingMatcher(found, boost=self.boost)


def _phrase_documents(searcher: Any, fieldname: str, texts: list[str]) -> set[int]:
    """Doc numbers, within `searcher`'s segment, of the documents holding the phrase."""
    from bulletin.index.whoosh.vector import VectorIndex

    top = searcher.get_parent() if searcher.has_parent() else searcher
    found = _VIEWS.get(top)
    if found is None:
        # No default fields: a phrase names its field.
        found = _VIEWS[top] = (VectorIndex(top.reader(), default_fields=(), chars_field=""), {})
    view, masks = found
    # Whoosh asks once a segment; the phrase is matched over the whole index once a search.
    key = (fieldname, tuple(texts))
    mask = masks.get(key)
    if mask is None:
        if len(masks) >= _MASKS_KEPT:
            masks.clear()
        mask = masks[key] = view.phrase_mask(fieldname, texts)
    offset = next((at for leaf, at in top.leaf_searchers() if leaf is searcher), 0)
    size = searcher.reader().doc_count_all()
    return set((mask[offset : offset + size].nonzero()[0]).tolist())

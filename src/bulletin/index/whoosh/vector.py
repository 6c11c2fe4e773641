"""Whole-index query evaluation with numpy over the index's posting lists.

Whoosh's matchers walk the matching documents one at a time in Python (3–5 µs per
document per matcher), so a query that matches a fifth of a 100k archive takes a
second. Here each posting list is read whole (its ids, weights and, for phrases,
positions): sliced from the segment's posting arrays (bulletin.index.whoosh.posting_arrays), or
for words decoded from Whoosh's blocks for a segment without them. Every query node becomes one
array operation over all documents: a boolean match vector and a BM25 score vector, the
same BM25F formula Whoosh uses. Phrases check positions only for documents holding every
bigram.

Every form of bulletin.query is evaluated here, with the same hits, totals and order as
Whoosh's matchers (tests/test_vector_engine.py). Loaded only for large indexes: importing
numpy costs about 0.1 s (see VECTOR_MIN_DOCS in bulletin.index.whoosh.backend).
"""

from __future__ import annotations

from math import log, log2

import numpy as np

from bulletin.analysis import Unit, query_segments
from bulletin.index.whoosh.posting_arrays import spans
from bulletin.index.whoosh.vector_arrays import ArrayView, Postings
from bulletin.index.whoosh.vector_pages import Matches, head_order, pairs_at
from bulletin.query import Everything, Node, Not, Or, Word

# Whoosh's BM25F defaults (whoosh.scoring.BM25F).
K1 = 1.2
B = 0.75


class VectorIndex(ArrayView):
    """Query evaluation over the array view: a match vector and a BM25F score vector a node."""

    def evaluate(self, node: Node, among: np.ndarray | None = None) -> Matches | None:
        """Match and score one query node (None when it has nothing searchable).

        `among` (a boolean per document) says which documents the caller still cares about:
        matches outside it may be left out. An AND passes its cheap children's matches to the
        costly ones, so a phrase checks positions only where the other words already are.
        """
        if isinstance(node, Everything):
            return Matches(self.live.copy(), np.zeros(self.size))
        if isinstance(node, Word):
            return self._word(node, among)
        if isinstance(node, Not):
            inner = self.evaluate(node.item, among)
            if inner is None:
                return None
            return Matches(self.live & ~inner.mask, np.zeros(self.size))
        if isinstance(node, Or):
            matched = [m for m in (self.evaluate(item, among) for item in node.items) if m is not None]
            return _union(matched) if matched else None
        # AND: cheapest child first, each narrowing what the next must look at; combined in
        # the query's order, so scores add up exactly as Whoosh adds them.
        children: list[Matches | None] = [None] * len(node.items)
        narrowed = among
        for at in sorted(range(len(node.items)), key=lambda at: _cost(node.items[at])):
            item = node.items[at]
            children[at] = found = self.evaluate(item, narrowed)
            if found is not None and not isinstance(item, Not):
                narrowed = found.mask if narrowed is None else narrowed & found.mask
        present = [(item, m) for item, m in zip(node.items, children, strict=True) if m is not None]
        if not present:
            return None
        positives = [m for item, m in present if not isinstance(item, Not)]
        negatives = [m for item, m in present if isinstance(item, Not)]
        if not positives:
            positives = [Matches(self.live.copy(), np.zeros(self.size))]
        result = _intersection(positives)
        for excluded in negatives:  # a Not evaluates to live minus its child
            result.mask &= excluded.mask
        result.score[~result.mask] = 0.0
        return result

    def _word(self, word: Word, among: np.ndarray | None = None) -> Matches | None:
        segments = query_segments(word.text, phrase=word.phrase)
        if not segments:
            return None
        if not word.field and len(segments) == 1 and len(segments[0]) == 1 and segments[0][0].prefix:
            return self._term(self.chars_field, segments[0][0].text)
        if word.field:
            return _intersection([self._units(word.field, units, among) for units in segments])
        per_field = []
        for field in self.default_fields:
            found = _intersection([self._units(field, units, among) for units in segments])
            boost = self.default_boosts.get(field, 1.0)
            per_field.append(found if boost == 1.0 else Matches(found.mask, found.score * boost))
        return per_field[0] if len(per_field) == 1 else _union(per_field)

    def _units(self, field: str, units: list[Unit], among: np.ndarray | None = None) -> Matches:
        if len(units) == 1:
            unit = units[0]
            return self._prefix(field, unit.text) if unit.prefix else self._term(field, unit.text)
        return self._phrase(field, [unit.text for unit in units], among)

    def _scores(self, field: str, postings: Postings, at: np.ndarray | None = None) -> np.ndarray:
        """Whoosh's BM25F score of each posting (of those at the indexes `at`)."""
        ids, tf = (postings.ids, postings.weights) if at is None else (postings.ids[at], postings.weights[at])
        idf = log(self.size / (postings.doc_frequency + 1)) + 1
        norm = (1 - B) + B * self.lengths(field)[ids] / self.avg_length(field)
        scores: np.ndarray = idf * ((tf * (K1 + 1)) / (tf + K1 * norm))
        return scores

    def _term(self, field: str, text: str) -> Matches:
        btext = text.encode("utf-8")
        postings = self.postings(field, btext, with_positions=False)
        result = self._empty()
        result.mask[postings.ids] = True
        result.score[postings.ids] = self._scores(field, postings)
        return result

    def _prefix(self, field: str, prefix: str) -> Matches:
        """A lone CJK character: documents with any token starting with it, weighted by how
        many distinct such tokens they hold (as bulletin.index.whoosh.translate.CharPrefix scores it)."""
        result = self._empty()
        for btext in self.terms_with_prefix(field, prefix):
            if not btext:
                continue
            ids = self.postings(field, btext, with_positions=False).ids
            result.mask[ids] = True
            result.score[ids] += 1.0
        return result

    def _phrase(self, field: str, texts: list[str], among: np.ndarray | None = None) -> Matches:
        """Consecutive tokens: documents with every token (and `among`, if given), then their
        positions checked."""
        btexts = [text.encode("utf-8") for text in texts]
        read: dict[bytes, Postings] = {}
        if self._block_segments():
            # Rarest first, so Whoosh's blocks without a candidate are never decoded.
            frequency = {btext: self.doc_frequency(field, btext) for btext in btexts}
        else:  # slices cost next to nothing: read them all, then narrow from the shortest
            read = {btext: self.postings(field, btext, with_positions=True) for btext in set(btexts)}
            frequency = {btext: postings.ids.size for btext, postings in read.items()}
        candidates: np.ndarray | None = None
        for btext in sorted(set(btexts), key=frequency.__getitem__):  # rarest first
            postings = read.get(btext) or self.postings(field, btext, with_positions=True, within=candidates)
            read[btext] = postings
            candidates = (
                postings.ids if candidates is None else candidates[self._doc_mask(postings.ids)[candidates]]
            )
            if not candidates.size:
                return self._empty()
        assert candidates is not None
        if among is not None:
            candidates = candidates[among[candidates]]
            if not candidates.size:
                return self._empty()
        # A phrase starts at p when token k is at p + k: key each position by (document, p),
        # offset by the phrase's length so p - k stays non-negative. Tokens with the fewest
        # positions go first, and each later one reads only the documents still in the running:
        # a common bigram's hundreds of thousands of positions mostly never need a key.
        alive = self._doc_mask(candidates)
        starts: np.ndarray | None = None
        for k in sorted(range(len(btexts)), key=lambda k: _position_count(read[btexts[k]])):
            postings = read[btexts[k]]
            keys = _position_keys(postings, alive[postings.ids]) + (len(btexts) - k)
            starts = keys if starts is None else starts[_in_sorted(starts, keys)]
            if not starts.size:
                return self._empty()
            alive = self._doc_mask(starts >> _POSITION_BITS)
        assert starts is not None
        documents = starts >> _POSITION_BITS
        hits = documents[np.concatenate(([True], documents[1:] != documents[:-1]))]  # sorted: unique
        result = self._empty()
        result.mask[hits] = True
        for btext in btexts:  # every hit holds every token
            postings = read[btext]
            result.score[hits] += self._scores(field, postings, postings.ids.searchsorted(hits))
        return result

    def phrase_mask(self, field: str, texts: list[str]) -> np.ndarray:
        """A boolean per document: True where the tokens `texts` occur consecutively in `field`."""
        return self._phrase(field, texts).mask

    def _doc_mask(self, ids: np.ndarray) -> np.ndarray:
        """A boolean per document, True at `ids`: membership by lookup, not by binary search."""
        mask = np.zeros(self.size, dtype=bool)
        mask[ids] = True
        return mask

    def more_like(
        self, field: str, terms: list[tuple[bytes, int]], *, exclude: int, top: int, numterms: int
    ) -> list[tuple[int, float]]:
        """(doc number, score) of the `top` documents most like a text made of these (term,
        count) pairs, best first, `exclude` (the text's own document) left out.

        What Whoosh's more_like does, as arrays: the text's `numterms` most distinctive terms
        by the Bo1 model (over the terms' weight in the collection) make a weighted OR, scored
        with BM25F.
        """
        ranked: list[tuple[float, bytes]] = []
        for btext, count in terms:
            frequency = self.collection_weight(field, btext)
            if frequency > 0:
                f = frequency / self.size
                ranked.append((count * log2((1.0 + f) / f) + log2(1.0 + f), btext))
        ranked.sort(key=lambda pair: (-pair[0], pair[1]))
        score = np.zeros(self.size)
        for weight, btext in ranked[:numterms]:
            postings = self.postings(field, btext, with_positions=False)
            # Boosts relative to the strongest term, as Whoosh's more_like sets them.
            score[postings.ids] += weight / ranked[0][0] * self._scores(field, postings)
        if 0 <= exclude < self.size:
            score[exclude] = 0.0
        docs = np.flatnonzero(score > 0)
        head = head_order(-score[docs], docs, top)
        return pairs_at(docs, score[docs], head)

    def _empty(self) -> Matches:
        return Matches(np.zeros(self.size, dtype=bool), np.zeros(self.size))


def _cost(node: Node) -> int:
    """A rough order of evaluation cost: plain words, then phrases, then the rest, NOTs last."""
    if isinstance(node, Word):
        segments = query_segments(node.text, phrase=node.phrase)
        return 0 if all(len(units) == 1 for units in segments) else 1
    return 3 if isinstance(node, Not) else 2


def _union(parts: list[Matches]) -> Matches:
    mask = parts[0].mask.copy()
    score = parts[0].score.copy()
    for part in parts[1:]:
        mask |= part.mask
        score += part.score
    return Matches(mask, score)


def _intersection(parts: list[Matches]) -> Matches:
    if len(parts) == 1:
        return parts[0]
    mask = parts[0].mask.copy()
    score = parts[0].score.copy()
    for part in parts[1:]:
        mask &= part.mask
        score += part.score
    score[~mask] = 0.0
    return Matches(mask, score)


def _in_sorted(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Which of `values` occur in the ascending `sorted_keys` (a binary search each: no sort,
    unlike np.isin and np.intersect1d)."""
    if not sorted_keys.size:
        return np.zeros(values.size, dtype=bool)
    at = np.minimum(sorted_keys.searchsorted(values), sorted_keys.size - 1)
    found: np.ndarray = sorted_keys[at] == values
    return found


# Position keys: document number above, position (offset by the phrase length) below.
_POSITION_BITS = 32


def _position_keys(postings: Postings, chosen: np.ndarray) -> np.ndarray:
    """document << 32 | position, for every position of the `chosen` postings (a boolean each)."""
    assert postings.counts is not None and postings.positions is not None
    ids, counts, positions = postings.ids, postings.counts, postings.positions
    rows = np.flatnonzero(chosen)
    if rows.size * 4 >= ids.size:  # most of them: select positions with a mask
        if rows.size < ids.size:
            positions = positions[np.repeat(chosen, counts)]
            ids, counts = ids[rows], counts[rows]
    else:  # a few: gather their positions, each posting's from its first on
        firsts = (np.cumsum(counts) - counts)[rows]
        counts = counts[rows]
        positions = positions[spans(firsts, counts)]
        ids = ids[rows]
    keys: np.ndarray = (np.repeat(ids, counts) << _POSITION_BITS) + positions.astype(np.int64)
    return keys


def _position_count(postings: Postings) -> int:
    """How many positions a term's postings hold."""
    return 0 if postings.positions is None else int(postings.positions.size)

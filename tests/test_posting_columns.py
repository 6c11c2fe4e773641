"""A segment's postings grouped by term: terms in byte order, each term's postings as filed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin.index.term_keys import LONG, WORD_KEYS, code_point_terms, keyed, row_terms, term_key
from bulletin.index.whoosh import posting_columns
from bulletin.index.whoosh.posting_columns import FieldColumns, grouped_postings

# CJK and astral ideographs, digits, Latin letters of one and two bytes, a newline and a NUL
# (terms Whoosh indexes itself may hold them): terms of one to four characters mix every
# kind of key.
CHARACTERS = "教育局〇2aZé\U00020000\n\0"
TERM = st.text(alphabet=st.sampled_from(CHARACTERS), min_size=1, max_size=4)
DOCUMENT = st.tuples(st.lists(TERM, min_size=1, max_size=12, unique=True), st.booleans())


def _file(columns: FieldColumns, docnum: int, terms: list[str], from_worker: bool) -> None:
    """File one document's terms as a worker sends them (keys made) or as Whoosh's pool adds them."""
    encoded = [term.encode() for term in terms]
    if from_worker and not any("\n" in term for term in terms):  # a worker's terms have none
        columns.add_keyed(*keyed(terms))
    else:
        columns.add_terms(encoded)
    columns.docs.extend([docnum] * len(terms))
    columns.weights.extend(float(docnum + n) for n in range(len(terms)))


@given(st.lists(DOCUMENT, min_size=1, max_size=30))
@settings(max_examples=200, deadline=None)
def test_grouped_postings_are_the_terms_in_byte_order_with_their_postings(
    documents: list[tuple[list[str], bool]],
) -> None:
    columns = FieldColumns()
    expected: dict[bytes, list[tuple[int, float]]] = {}
    for docnum, (terms, from_worker) in enumerate(documents):
        _file(columns, docnum, terms, from_worker)
        for n, term in enumerate(terms):
            expected.setdefault(term.encode(), []).append((docnum, float(docnum + n)))
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(posting_columns, "RUN_STEP", 3)  # runs of a key cross the steps
        grouped = grouped_postings(columns)
    assert grouped.terms == sorted(expected)
    starts = [0, *grouped.ends.tolist()]
    found = {
        term: list(zip(grouped.docs[a:b].tolist(), grouped.weights[a:b].tolist(), strict=True))
        for term, a, b in zip(grouped.terms, starts, starts[1:], strict=False)
    }
    assert found == expected


def test_terms_not_utf8_are_numbered_by_the_writer() -> None:
    columns = FieldColumns()
    columns.add_terms([b"\xff\x00", b"a", b"\xff\x00"])
    columns.docs.extend([0, 0, 1])
    columns.weights.extend([1.0, 1.0, 1.0])
    grouped = grouped_postings(columns)
    assert grouped.terms == [b"a", b"\xff\x00"]
    assert grouped.docs.tolist() == [0, 0, 1]


@given(st.lists(TERM, max_size=50, unique=True))
def test_code_point_keys_turn_back_into_their_terms_in_byte_order(terms: list[str]) -> None:
    short = [term for term in terms if term_key(term) != LONG]
    keys = np.frombuffer(keyed(short)[0], dtype="<i8")
    assert keys.max(initial=0) < WORD_KEYS
    order = np.argsort(keys, kind="stable")
    assert code_point_terms(keys[order]) == sorted(term.encode() for term in short)


def test_long_and_unsafe_terms_get_no_code_point_key() -> None:
    assert [term_key(term) for term in ("教育局", "", "a\n", "\0")] == [LONG] * 4
    assert [term_key("a"), term_key("ab")] == [97 << 21, 97 << 21 | 98]


@given(st.lists(TERM.filter(lambda term: "\n" not in term), max_size=30))
def test_terms_sent_as_keys_come_back_in_order(terms: list[str]) -> None:
    assert row_terms(*keyed(terms)) == [term.encode() for term in terms]

"""Pre-analysed posting rows are exactly what Whoosh's own indexing of the field makes."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bulletin.index.analyzers import char_postings, field_postings
from bulletin.index.schema import make_schema


def _rows(postings: tuple) -> dict[bytes, tuple[float, bytes]]:  # type: ignore[type-arg]
    ends = np.frombuffer(postings.value_ends, dtype="<u4").tolist()
    values = [postings.values[start:end] for start, end in zip([0, *ends], ends, strict=False)]
    terms = postings.terms.split(b"\n") if postings.terms else []
    return dict(zip(terms, zip(postings.weights.tolist(), values, strict=True), strict=True))


def _whoosh_rows(field: str, value: str) -> dict[bytes, tuple[float, bytes]]:
    return {btext: (weight, vbytes) for btext, _freq, weight, vbytes in make_schema()[field].index(value)}


rng = random.Random(7)
HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
TEXTS = {
    "short": "潼南区教育委员会通知：五心强校，铸魂育人。2023年3月 School board",
    "empty": "",
    "one character": "教",
    "repeats under a thousand": "教育" * 600 + "。防溺水安全教育",
    # A term with more than 1,000 positions: pickle batches its APPENDS.
    "repeats over a thousand": "教育" * 1200,
    # Positions past 65,535: pickle writes them as four-byte ints.
    "long text": "".join(rng.choice(HAN) for _ in range(70_000)) + "，教育教育。",
}


@pytest.mark.parametrize("name", list(TEXTS))
def test_positional_rows_match_whoosh(name: str) -> None:
    value = TEXTS[name]
    for field in ("text", "title"):  # title has a boost: weights are counts times it
        boost = make_schema()[field].format.field_boost
        assert _rows(field_postings(value, boost)) == _whoosh_rows(field, value)


@pytest.mark.parametrize("name", list(TEXTS))
def test_character_rows_match_whoosh(name: str) -> None:
    value = TEXTS[name]
    assert _rows(char_postings(value)) == _whoosh_rows("chars", value)

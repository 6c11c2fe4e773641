"""Pre-analysed posting rows are exactly what Whoosh's own indexing of the field makes."""

from __future__ import annotations

import random

import pytest
from whoosh.formats import Positions

from bulletin.index.analyzers import char_postings, field_postings
from bulletin.index.schema import make_schema

from .posting_rows import Rows, posting_rows


def _whoosh_rows(field: str, value: str, with_positions: bool) -> Rows:
    """The field's rows as Whoosh indexes them; positions as Whoosh's own Positions format
    finds them with the field's analyzer (bulletin's format keeps weights only)."""
    schema_field = make_schema()[field]
    rows: Rows = {}
    for btext, _freq, weight, vbytes in schema_field.index(value):
        assert vbytes == b""  # no format of the schema stores values
        rows[btext] = (weight, [])
    if with_positions:
        positional = Positions(field_boost=schema_field.format.field_boost)
        for text, _freq, weight, vbytes in positional.word_values(value, schema_field.analyzer):
            btext = text.encode("utf-8")
            assert rows[btext][0] == weight
            rows[btext] = (weight, positional.decode_positions(vbytes))
    return rows


rng = random.Random(7)
HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
TEXTS = {
    "short": "潼南区教育委员会通知：五心强校，铸魂育人。2023年3月 School board",
    "empty": "",
    "one character": "教",
    "repeats under a thousand": "教育" * 600 + "。防溺水安全教育",
    "repeats over a thousand": "教育" * 1200,
    # Positions past 65,535 (they no longer fit two bytes in the posting arrays).
    "long text": "".join(rng.choice(HAN) for _ in range(70_000)) + "，教育教育。",
}


@pytest.mark.parametrize("name", list(TEXTS))
def test_positional_rows_match_whoosh(name: str) -> None:
    value = TEXTS[name]
    for field in ("text", "title"):  # title has a boost: weights are counts times it
        boost = make_schema()[field].format.field_boost
        assert posting_rows(field_postings(value, boost)) == _whoosh_rows(field, value, with_positions=True)


@pytest.mark.parametrize("name", list(TEXTS))
def test_character_rows_match_whoosh(name: str) -> None:
    value = TEXTS[name]
    assert posting_rows(char_postings(value)) == _whoosh_rows("chars", value, with_positions=False)

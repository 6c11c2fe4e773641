"""Whoosh analyzer classes. Whoosh pickles these into the index: keep this module path stable.

Renaming or moving a class here makes existing indexes unopenable; the archive then
rebuilds its index from SQLite (see bulletin.index.SearchIndex.open), but bump
SCHEMA_VERSION in bulletin.index.schema whenever behaviour here changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer

from bulletin.analysis import normalize, tokenize


class CJKBigramTokenizer(Tokenizer):  # type: ignore[misc]
    """Normalises text and yields CJK bigrams, run-final unigrams and Latin words."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize_: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[WhooshToken]:
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for item in tokenize(normalize(value)):
            token.text = item.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = item.text
            if positions:
                token.pos = start_pos + item.pos
            if chars:
                token.startchar = start_char + item.start
                token.endchar = start_char + item.end
            yield token


def bigram_analyzer() -> CJKBigramTokenizer:
    """The analyzer for every searchable text field."""
    return CJKBigramTokenizer()

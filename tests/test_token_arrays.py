"""Long texts are tokenised with numpy: the posting rows must be exactly the regex path's."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin.analysis import normalize
from bulletin.extract import extract
from bulletin.index import analyzers
from bulletin.index.analyzers import normalized_char_postings, normalized_postings
from bulletin.index.term_keys import term_key
from bulletin.index.token_arrays import MIN_ARRAY_TEXT
from bulletin.readers.base import RawInput

from .posting_rows import Rows, posting_keys, posting_rows
from .shared_data import CORPUS, needs_corpus

# Every class _RUNS tells apart, and the characters at their edges: CJK, kana (・ is
# punctuation but indexed), hangul, 〇, ASCII and full-width digits, Arabic-Indic digits,
# Latin, accented and underscore letters, combining marks, marks, whitespace of every kind.
ALPHABET = "教育局通知〇・カあ한2０٣aZé_\u0301.,，。!（）-/ \n\t\u3000\u00a0"


Analysed = list[tuple[int, int, Rows, dict[bytes, int]]]


def _analysed(text: str) -> Analysed:
    """The field length, term count (a term twice would be lost in the mapping), rows and
    term keys of the text field (with a boost) and of the chars field."""
    fields = (normalized_postings(text, 2.0), normalized_char_postings(text))
    analysed = [(rows.length, len(rows.weights), posting_rows(rows), posting_keys(rows)) for rows in fields]
    for *_, keys in analysed:  # the writer takes a key for the term it names
        assert keys == {term: term_key(term.decode()) for term in keys}
    return analysed


def _both_paths(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Analysed, Analysed]:
    """The text's rows by the array path and by the regex path (terms may come in another
    order: the writer ranks a segment's terms by their bytes)."""
    arrays = _analysed(text)
    with monkeypatch.context() as patched:
        patched.setattr(analyzers, "MIN_ARRAY_TEXT", len(text) + 1)
        regex = _analysed(text)
    return arrays, regex


@given(st.text(alphabet=st.sampled_from(ALPHABET), min_size=MIN_ARRAY_TEXT, max_size=MIN_ARRAY_TEXT * 3))
@settings(max_examples=300, deadline=None)
def test_array_path_matches_the_regex_path(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        arrays, regex = _both_paths(normalize(text), monkeypatch)
    assert arrays == regex


@pytest.mark.parametrize(
    "text",
    [
        "。" * 300,  # marks alone: no tokens
        "，教育" * 100,  # a gap before the first token
        "2023年" * 80 + "word Word_1 wörd",  # digit runs bigrammed, words whole
        "a" * 250,  # one long word
        "of an 教育 a to the" * 20,  # short words: code-point keys, as bigrams have
        "教育𠀀局" * 60,  # an astral ideograph: the regex path takes it
        "教育\ud800局" * 60,  # a lone surrogate (undecodable bytes): the regex path too
    ],
)
def test_edge_texts_match_the_regex_path(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    arrays, regex = _both_paths(text, monkeypatch)
    assert arrays == regex
    assert arrays[0][0] == len(list(analyzers.tokenize(text)))


@needs_corpus
def test_corpus_texts_match_the_regex_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real pages' titles and article text (Chinese, English, mixed) through both paths."""
    pages = sorted((CORPUS / "pages").iterdir())
    assert pages
    for page in pages:
        article = extract(RawInput(page.read_bytes(), str(page)))
        text = normalize(article.title + "\n" + article.text)
        arrays, regex = _both_paths(text, monkeypatch)
        assert arrays == regex, page.name

"""Normalisation and CJK-bigram tokens: the ground that grep-level recall stands on."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin.analysis import Unit, normalize, normalize_with_offsets, query_segments, tokenize


def texts(s: str) -> list[str]:
    return [t.text for t in tokenize(normalize(s))]


def test_cjk_runs_become_bigrams_plus_final_unigram() -> None:
    assert texts("潼南区") == ["潼南", "南区", "区"]


def test_latin_words_are_whole_tokens_and_digits_bigrams() -> None:
    # Digits are bigrammed so "23" finds "2023" as grep would; Latin words stay words.
    assert texts("GDP增长2023年") == ["gdp", "增长", "长", "20", "02", "23", "3", "年"]


def test_full_width_case_and_traditional_are_normalised() -> None:
    assert normalize("ＧＤＰ學位分配") == "gdp学位分配"


def test_punctuation_opens_a_position_gap() -> None:
    tokens = list(tokenize(normalize("会议。区委")))
    positions = {t.text: t.pos for t in tokens}
    assert positions["区委"] - positions["会议"] == 2  # no phrase can span the full stop


def test_whitespace_is_not_a_gap() -> None:
    tokens = list(tokenize("五心强校 铸魂育人"))
    positions = {t.text: t.pos for t in tokens}
    assert positions["铸魂"] - positions["强校"] == 1


def test_query_segments_make_phrases_of_bigrams() -> None:
    assert query_segments("潼南区") == [[Unit("潼南"), Unit("南区")]]


def test_lone_character_is_a_prefix_unit() -> None:
    assert query_segments("区") == [[Unit("区", prefix=True)]]
    # A lone character next to a Latin word cannot be part of a phrase.
    assert query_segments("A股") == [[Unit("a")], [Unit("股", prefix=True)]]


def test_quoted_phrases_keep_spaces_inside_one_segment() -> None:
    assert len(query_segments("school board", phrase=True)) == 1
    assert len(query_segments("school board")) == 2


def test_offsets_map_back_to_original_characters() -> None:
    norm, sources = normalize_with_offsets("ＡＢ學位")
    assert norm == "ab学位"
    assert list(sources) == [0, 1, 2, 3]


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.one_of(CJK, st.sampled_from("，。 ab1")), min_size=2, max_size=40), st.data())
def test_every_cjk_substring_is_covered_by_document_tokens(text: str, data: st.DataObject) -> None:
    """Each query unit of any substring is a token of the text: the recall guarantee."""
    start = data.draw(st.integers(0, len(text) - 2))
    end = data.draw(st.integers(start + 2, len(text)))
    doc_tokens = set(texts(text))
    for segment in query_segments(text[start:end]):
        for unit in segment:
            if unit.prefix:
                assert any(t.startswith(unit.text) for t in doc_tokens)
            else:
                assert unit.text in doc_tokens


def test_hard_wrapped_chinese_still_matches_across_the_break() -> None:
    # Pages wrap Chinese lines mid-sentence; the phrase across the wrap must still be found.
    doc = set(texts("乐得清闲\n的我就打定主意"))
    for segment in query_segments("清闲的我"):
        assert all(unit.text in doc for unit in segment)
    norm, sources = normalize_with_offsets("清闲\n的我")
    assert norm == "清闲的我" and list(sources) == [0, 1, 3, 4]


def test_spaces_between_latin_words_are_kept() -> None:
    assert normalize("school  board") == "school  board"
    assert normalize("潼南 GDP") == "潼南 gdp"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(CJK, st.sampled_from("，：…㎡ＡａB學 \n①ﬁ")), max_size=60))
def test_offset_map_agrees_with_normalize_character_by_character(text: str) -> None:
    """Highlights land on the right characters even where folding changes the length (… → ...)."""
    norm, sources = normalize_with_offsets(text)
    assert len(sources) == len(norm)
    assert list(sources) == sorted(sources)
    assert [sources[i] for i in range(-len(norm), len(norm))] == [*sources, *sources]
    for out, source in zip(norm, sources, strict=True):
        assert out in normalize(text[source])


def test_undecodable_bytes_of_a_command_line_do_not_break_normalising() -> None:
    # Python turns an invalid UTF-8 byte in argv into a lone surrogate; OpenCC cannot take one.
    assert normalize("學校\udcff") == "学校\ufffd"
    norm, sources = normalize_with_offsets("學校\udcff好")
    assert norm == "学校\ufffd好" and list(sources) == [0, 1, 2, 3]

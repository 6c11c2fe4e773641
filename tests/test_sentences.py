"""Sentence splitting: Chinese, English, mixed text and the seed bulletin."""

from __future__ import annotations

from bulletin.sentences import split_sentences

from .shared_data import SEED, needs_shared


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_chinese_terminators_and_closing_quotes_stay_with_their_sentence() -> None:
    text = "他说：“我们会努力。”随后离开。真的吗？太好了！第一；第二……完"
    assert texts(text) == [
        "他说：“我们会努力。”",
        "随后离开。",
        "真的吗？",
        "太好了！",
        "第一；",
        "第二……",
        "完",
    ]


def test_quote_followed_by_comma_is_not_split() -> None:
    assert texts("“好！”，他说。") == ["“好！”，他说。"]


def test_short_attribution_after_a_quote_joins_the_quote() -> None:
    assert texts("“整部电影特别过瘾！”贾樟柯说。随后他离开。") == [
        "“整部电影特别过瘾！”贾樟柯说。",
        "随后他离开。",
    ]


def test_english_abbreviations_initials_and_decimals_do_not_split() -> None:
    text = "Mr. Smith met Dr. Li in the U.S. on Monday. Growth was 3.5 percent! Did J. R. Doe agree? Yes."
    assert texts(text) == [
        "Mr. Smith met Dr. Li in the U.S. on Monday.",
        "Growth was 3.5 percent!",
        "Did J. R. Doe agree?",
        "Yes.",
    ]


def test_ascii_punctuation_in_chinese_text_ends_sentences() -> None:
    assert texts("会议召开.全区教育系统参加!好的;很好") == ["会议召开.", "全区教育系统参加!", "好的;", "很好"]


def test_mixed_text_keeps_decimals_and_latin_words() -> None:
    assert texts("潼南区GDP增长3.5%。U.S.政府表示关注！") == ["潼南区GDP增长3.5%。", "U.S.政府表示关注！"]


def test_offsets_point_at_the_sentence_and_paragraphs_are_counted() -> None:
    text = "第一段第一句。第一段第二句。\n\n  第二段。\n"
    found = split_sentences(text)
    assert [(s.text, s.paragraph) for s in found] == [
        ("第一段第一句。", 0),
        ("第一段第二句。", 0),
        ("第二段。", 1),
    ]
    for sentence in found:
        assert text[sentence.start : sentence.end] == sentence.text


def test_soft_wrapped_english_lines_are_joined() -> None:
    text = "This sentence is wrapped\nacross two lines. Next one.\n\nNew paragraph."
    found = split_sentences(text)
    assert [(s.text, s.paragraph) for s in found] == [
        ("This sentence is wrapped across two lines.", 0),
        ("Next one.", 0),
        ("New paragraph.", 1),
    ]


def test_unterminated_lines_are_marked_open() -> None:
    found = split_sentences("会议指出\n过去的一年取得了成绩。")
    assert [(s.text, s.closed) for s in found] == [("会议指出", False), ("过去的一年取得了成绩。", True)]


def test_blank_text_has_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t\n") == []


@needs_shared
def test_seed_bulletin() -> None:
    text = SEED.read_text(encoding="utf-8")
    found = split_sentences(text)
    assert found[0].text == "2月2日,潼南区召开2023年开学暨“五心强校”党建工作推进会。"
    # Each line of the seed is a paragraph; headings and credits come out as open sentences.
    by_text = {s.text: s for s in found}
    for heading in ("何礼兵要求", "会议指出", "撰稿:石 珊", "评论列表"):
        assert by_text[heading].closed is False
    # The ASCII commas the seed uses never split a sentence.
    assert all(not s.text.startswith(",") for s in found)
    assert all(text[s.start : s.end] == s.text for s in found)

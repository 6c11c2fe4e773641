"""TF-IDF keywords: topical words, no stopwords, numbers or single characters; archive IDF used."""

from __future__ import annotations

from bulletin.keywords import IdfTable, candidate_words, keywords
from bulletin.words import STOPWORDS, segment

from .shared_data import SEED, needs_shared

TEXT = (
    "松下宣布在2021年之前撤出液晶面板制造业务。松下位于姫路市的液晶面板工厂将改为车载电池基地。"
    "由于液晶面板竞争激化，松下的该业务长期亏损，2016年已撤出电视面板业务。"
)


def test_segment_drops_punctuation_and_spaces() -> None:
    assert segment("松下 宣布，撤出！") == ["松下", "宣布", "撤出"]
    assert segment("") == []


def test_keywords_are_topical_and_filtered() -> None:
    found = keywords(TEXT, n=5)
    assert len(found) == 5
    assert "松下" in found and "液晶面板" in found
    for word in found:
        assert len(word) > 1
        assert word not in STOPWORDS
        assert not word.isdigit()


def test_candidate_words_filter_numbers_stopwords_and_single_characters() -> None:
    words = candidate_words("我们在2023年召开了3.5亿元的会议，一二三，Ｕ.S. Policy")
    assert "2023" not in words and "3.5" not in words and "一二三" not in words
    assert "我们" not in words and "的" not in words and "年" not in words
    assert "会议" in words
    assert "policy" in words  # Latin words are folded to lower case


def test_n_limits_and_zero_gives_nothing() -> None:
    assert len(keywords(TEXT, n=3)) == 3
    assert keywords(TEXT, n=0) == []
    assert keywords("") == []


def test_archive_idf_demotes_words_every_document_has() -> None:
    # In this archive every article is about 松下, so it tells nothing; 电池 is rare and telling.
    archive = [f"松下在第{i}次发布会上介绍了新产品和市场计划。" for i in range(20)] + [TEXT]
    idf = IdfTable.from_texts(archive)
    assert idf.documents == 21
    assert idf.frequencies["松下"] == 21
    text = "松下松下松下，车载电池。"
    assert keywords(text, n=1) == ["松下"]  # jieba's general table: 松下 is rare Chinese
    assert keywords(text, n=2, idf=idf) == ["车载", "电池"]  # this archive: 松下 is everywhere
    assert idf.idf("电池") > idf.idf("松下")


def test_unknown_word_is_rarest_in_archive_table() -> None:
    idf = IdfTable(documents=10, frequencies={"会议": 10})
    assert idf.idf("没见过的词") > idf.idf("会议") >= 1.0


@needs_shared
def test_seed_keywords() -> None:
    found = keywords(SEED.read_text(encoding="utf-8"), n=8)
    assert "教育" in found and "潼南" in found

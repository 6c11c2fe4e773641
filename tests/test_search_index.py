"""Search behaviour on a small real archive built straight from Article records."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bulletin.archive import to_index_doc
from bulletin.archive.store import Store
from bulletin.errors import QueryError
from bulletin.index.whoosh import WhooshIndex
from bulletin.models import Article, Credit, article_id
from bulletin.search import SearchRequest, count, facet, run

from .shared_data import SEED, needs_shared


def make_article(
    n: int, title: str, text: str, date: str | None, source: str | None = None, **kw: object
) -> Article:
    sha = hashlib.sha256(f"{n}:{title}:{text}".encode()).hexdigest()
    return Article(
        id=article_id(sha),
        sha256=sha,
        origin=f"test-{n}",
        text=text,
        title=title,
        date=date,
        source=source,
        imported_at="2026-01-01T00:00:00Z",
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module", params=["whoosh", "vector"])
def corpus(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Store, WhooshIndex, list[Article]]:
    """The archive, searched by each engine in turn (small archives use Whoosh's by default)."""
    if not SEED.exists():
        pytest.skip("../shared is missing")
    folder: Path = tmp_path_factory.mktemp("archive")
    store = Store(folder / "a.sqlite")
    index = WhooshIndex.create(folder / "index")
    seed_text = "\n".join(SEED.read_text(encoding="utf-8").splitlines()[:-6])
    articles = [
        make_article(
            0,
            "潼南区召开2023年开学暨“五心强校”党建工作推进会",
            seed_text,
            "2023-02-02",
            "潼南区教委",
            credits=(Credit("撰稿", "石珊"),),
            authors=("石珊",),
            tags=("教育",),
        ),
        make_article(
            1, "學位分配公告", "本区學位分配方案如下。GDP增长，A股市场平稳。", "2022-05", "某市教育局"
        ),
        make_article(
            2, "防溺水安全提醒", "暑假将至，请家长注意防溺水。区教委提醒。", "2023-07-01", "潼南区教委"
        ),
        make_article(
            3, "English notice", "The school board met on Monday to discuss the budget.", None, "Board"
        ),
        make_article(4, "无关文章", "今天天气很好，我们去公园散步。", "2021", "个人博客"),
    ]
    with store.transaction():
        for article in articles:
            store.add(article, article.text.encode())
    with index.writer() as writer:
        for article in articles:
            writer.add(to_index_doc(article))
    index.engine = request.param
    return store, index, articles


def ids(corpus: tuple[Store, WhooshIndex, list[Article]], query: str, **options: object) -> list[str]:
    store, index, _ = corpus
    result = run(store, index, SearchRequest(query=query, limit=None, **options))  # type: ignore[arg-type]
    return [hit.article.id for hit in result.hits]


def aid(corpus: tuple[Store, WhooshIndex, list[Article]], n: int) -> str:
    return corpus[2][n].id


@needs_shared
@pytest.mark.parametrize("query", ["南区", "五心强校", "防溺水", '"教育高质量发展"', "何礼兵", "潼南"])
def test_acceptance_queries_find_the_seed(corpus, query: str) -> None:  # type: ignore[no-untyped-def]
    assert aid(corpus, 0) in ids(corpus, query)


@needs_shared
def test_every_substring_of_the_seed_is_found(corpus) -> None:  # type: ignore[no-untyped-def]
    """Grep-level recall: sampled 2-6 character substrings of the text all find the seed."""
    text = corpus[2][0].text.replace("\n", "")
    for start in range(0, len(text) - 6, 97):
        for length in (2, 3, 4, 6):
            needle = text[start : start + length]
            if any(c in needle for c in '，。、；：“”,.;:"()（）') or needle.strip() != needle:
                continue
            assert aid(corpus, 0) in ids(corpus, needle), needle


@needs_shared
def test_traditional_query_finds_simplified_and_back(corpus) -> None:  # type: ignore[no-untyped-def]
    assert aid(corpus, 1) in ids(corpus, "学位分配")
    assert aid(corpus, 0) in ids(corpus, "學位")  # seed has 学位 (simplified)


@needs_shared
def test_single_character_queries(corpus) -> None:  # type: ignore[no-untyped-def]
    found = ids(corpus, "区")
    assert aid(corpus, 0) in found and aid(corpus, 1) in found and aid(corpus, 2) in found
    assert aid(corpus, 4) not in found


@needs_shared
def test_mixed_latin_and_cjk(corpus) -> None:  # type: ignore[no-untyped-def]
    assert ids(corpus, "A股") == [aid(corpus, 1)]
    assert ids(corpus, "ＧＤＰ") == [aid(corpus, 1)]
    assert ids(corpus, "budget") == [aid(corpus, 3)]


@needs_shared
def test_phrase_requires_adjacency(corpus) -> None:  # type: ignore[no-untyped-def]
    assert ids(corpus, '"school board"') == [aid(corpus, 3)]
    assert ids(corpus, '"board school"') == []


@needs_shared
def test_title_matches_rank_first(corpus) -> None:  # type: ignore[no-untyped-def]
    assert ids(corpus, "防溺水")[0] == aid(corpus, 2)


@needs_shared
def test_boolean_operators(corpus) -> None:  # type: ignore[no-untyped-def]
    assert set(ids(corpus, "公园 OR budget")) == {aid(corpus, 4), aid(corpus, 3)}
    assert aid(corpus, 0) not in ids(corpus, "区 -五心强校")
    assert ids(corpus, "NOT 区 NOT budget NOT 公园") == []


@needs_shared
def test_fields_and_filters(corpus) -> None:  # type: ignore[no-untyped-def]
    assert ids(corpus, "title:防溺水") == [aid(corpus, 2)]
    assert set(ids(corpus, "", source="潼南区教委")) == {aid(corpus, 0), aid(corpus, 2)}
    assert ids(corpus, "", author="石珊") == [aid(corpus, 0)]
    assert ids(corpus, "author:石珊") == [aid(corpus, 0)]
    assert ids(corpus, "", tag="教育") == [aid(corpus, 0)]


@needs_shared
def test_date_filters_and_sorting(corpus) -> None:  # type: ignore[no-untyped-def]
    assert set(ids(corpus, "", since="2023")) == {aid(corpus, 0), aid(corpus, 2)}
    assert ids(corpus, "", since="2023-03", until="2023-07") == [aid(corpus, 2)]
    assert ids(corpus, "", until="2021") == [aid(corpus, 4)]
    # A range holding no article finds nothing (an empty filter once let every hit through).
    assert ids(corpus, "", since="2090") == []
    assert ids(corpus, "教育", until="1990") == []
    newest = ids(corpus, "", sort="-date")
    assert newest[:3] == [aid(corpus, 2), aid(corpus, 0), aid(corpus, 1)]
    assert ids(corpus, "", sort="date")[-1] == aid(corpus, 2)


@needs_shared
def test_limit_offset_and_count(corpus) -> None:  # type: ignore[no-untyped-def]
    store, index, _ = corpus
    first = run(store, index, SearchRequest(query="区", limit=1))
    second = run(store, index, SearchRequest(query="区", limit=1, offset=1))
    assert first.total == second.total == 3
    assert len(first.hits) == len(second.hits) == 1
    assert first.hits[0].article.id != second.hits[0].article.id
    assert second.hits[0].rank == 2
    assert count(store, index, SearchRequest(query="区")) == 3


@needs_shared
def test_facets(corpus) -> None:  # type: ignore[no-untyped-def]
    _, index, _ = corpus
    assert facet(index, SearchRequest(query=""), "year") == [
        ("2021", 1),
        ("2022", 1),
        ("2023", 2),
        ("undated", 1),
    ]
    by_source = dict(facet(index, SearchRequest(query=""), "source"))
    assert by_source["潼南区教委"] == 2


@needs_shared
def test_highlights_point_at_the_match(corpus) -> None:  # type: ignore[no-untyped-def]
    store, index, _ = corpus
    hit = run(store, index, SearchRequest(query="學位分配")).hits[0]
    assert [hit.snippet.text[s:e] for s, e in hit.snippet.spans] == ["學位分配"]
    assert [hit.title.text[s:e] for s, e in hit.title.spans] == ["學位分配"]


@needs_shared
def test_snippet_reaches_deep_into_long_text(corpus) -> None:  # type: ignore[no-untyped-def]
    store, index, _ = corpus
    hit = run(store, index, SearchRequest(query="会议还传达学习")).hits[0]
    assert "会议还传达学习" in hit.snippet.text


@needs_shared
@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"since": "2023-13"}, "--since"),
        ({"until": "yesterday"}, "--until"),
        ({"since": "2024", "until": "2023"}, "swap"),
        ({"sort": "oldest"}, "unknown sort"),
    ],
)
def test_bad_options_raise_query_errors(corpus, options: dict[str, str], fragment: str) -> None:  # type: ignore[no-untyped-def]
    store, index, _ = corpus
    with pytest.raises(QueryError, match=fragment):
        run(store, index, SearchRequest(query="潼南", **options))  # type: ignore[arg-type]


@needs_shared
def test_query_of_only_punctuation_is_an_error(corpus) -> None:  # type: ignore[no-untyped-def]
    store, index, _ = corpus
    with pytest.raises(QueryError, match=r"nothing|no letters"):
        run(store, index, SearchRequest(query="——"))


@needs_shared
def test_single_characters_are_found_in_title_or_text(corpus) -> None:  # type: ignore[no-untyped-def]
    """A one-character query finds every article holding the character, wherever it sits in a run."""
    store, index, articles = corpus
    for char in ("区", "溺", "告", "學"):
        expected = {a.id for a in articles if char in a.title + a.text or (char == "學" and "学" in a.text)}
        found = {h.article.id for h in run(store, index, SearchRequest(query=char, limit=None)).hits}
        assert found == expected, char


def test_snippet_shows_the_densest_cluster_of_a_frequent_character() -> None:
    from bulletin.snippets import snippet

    # One early 区, then filler, then a dense run: the window must land on the run.
    text = "区" + "。" + "甲乙丙丁" * 300 + "区县区镇区村区" + "戊己庚辛" * 300
    shown = snippet(text, ["区"])
    assert "区县区镇区村区" in shown.text
    assert sum(1 for s, e in shown.spans if shown.text[s:e] == "区") >= 4

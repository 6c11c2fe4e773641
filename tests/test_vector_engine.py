"""The numpy engine finds, counts, orders and groups exactly what Whoosh's matchers do.

Built on an index of several segments (bulk and ordinary commits), with deleted articles,
near-duplicate groups, dates and every field, queried with substrings of the texts in all
the query forms and options the CLI offers.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from bulletin.errors import QueryError
from bulletin.index import Filters, IndexDoc
from bulletin.index.whoosh import WhooshIndex
from bulletin.query import parse_query

from .shared_data import EXAMPLES

# The seed bulletin as committed under examples/: the engine's parity needs no ../shared.
SEED = EXAMPLES / "tongnan-education-2023.txt"

SOURCES = ("潼南区教委", "某市教育局", "区政府办公室", "Board of Education")


def _sentences() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    return [s for s in re.split(r"(?<=[。！？])", text.replace("\n", "")) if len(s) > 4]


def _docs(count: int, rng: random.Random) -> list[IndexDoc]:
    sentences = _sentences()
    docs = []
    for n in range(count):
        body = "".join(rng.sample(sentences, rng.randint(2, 12)))
        if n % 7 == 0:
            body += " The school board met on Monday; GDP 增长 2023年。"
        title = rng.choice(sentences)[:18]
        date = 0 if n % 11 == 0 else 20180101 + rng.randint(0, 6) * 10000 + rng.randint(0, 11) * 100
        docs.append(
            IndexDoc(
                id=f"doc{n:04d}",
                title=title,
                text=body,
                source=SOURCES[n % len(SOURCES)],
                author="石珊" if n % 5 == 0 else "",
                tag="教育" if n % 3 == 0 else "",
                site="",
                date_key=date,
                # Groups are ids of other articles, as in an archive; the last segment's are
                # longer, so both ways of reading the column run.
                group=(f"doc{n % 9:04d}" if n < 300 else f"group-{n % 9}") if n % 4 == 0 else "",
                time_key=0 if n % 3 == 0 else n * 7919 % 86400 + 1,  # one day's articles by time
            )
        )
    return docs


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> WhooshIndex:
    rng = random.Random(7)
    docs = _docs(360, rng)
    built = WhooshIndex.create(Path(tmp_path_factory.mktemp("vector")) / "index")
    built.add_batch(list(docs[:150]))  # bulk segment
    built.add_batch(list(docs[150:300]))  # another bulk segment
    with built.writer() as writer:  # Whoosh's own writer: a third segment, with deletions
        for doc in docs[300:]:
            writer.add(doc)
        for doc in docs[:300:13]:  # committed earlier: deleted in place
            writer.delete(doc.id)
    return built


def _queries() -> list[str]:
    rng = random.Random(11)
    sentences = _sentences()
    found: list[str] = []
    for _ in range(40):
        sentence = rng.choice(sentences)
        start = rng.randrange(0, max(1, len(sentence) - 6))
        found.append(sentence[start : start + rng.choice((1, 2, 3, 4, 6))])
    a, b = rng.choice(sentences)[:2], rng.choice(sentences)[3:5]
    found += [
        f"{a} {b}",
        f"{a} OR {b}",
        f"{a} -{b}",
        f"NOT {a}",
        f"({a} OR {b}) 教育",
        f'"{a}{b}"',
        # AND evaluates plain words first and checks phrase positions only where they are:
        f'"{a}{b}" 教育',
        f'教育 "{a}{b}" -"{b}{a}"',
        f"({a}{b} OR 学校) {b}",
        f"{a}{b} NOT ({b}{a} OR 区)",
        f"title:{a}",
        f"title:({a} OR {b}) -text:({b} 教育)",
        "source:教委",
        'author:"石珊"',
        "tag:教育 潼南",
        "school board",
        "GDP 2023年",
        "区",
        "2023年",
        "不存在的词语",
        "",
    ]
    return [q for q in found if q.strip(" 。，、") or q == ""]


def _both(index: WhooshIndex, query: str, **options: object) -> tuple[Any, Any]:
    node = parse_query(query)
    results: list[Any] = []
    for engine in ("whoosh", "vector"):
        index.engine = engine
        try:
            results.append(index.search(node, **options))  # type: ignore[arg-type]
        except QueryError as exc:  # nothing searchable: both engines must say so
            results.append(str(exc))
        finally:
            index.engine = "auto"
    return results[0], results[1]


@pytest.mark.parametrize("query", _queries())
@pytest.mark.parametrize("collapse", [False, True])
def test_same_hits_and_totals(index: WhooshIndex, query: str, collapse: bool) -> None:
    whoosh, vector = _both(index, query, limit=None, collapse=collapse)
    if isinstance(whoosh, str) or isinstance(vector, str):
        assert whoosh == vector
        return
    assert vector.total == whoosh.total
    assert {i for i, _ in vector.hits} == {i for i, _ in whoosh.hits}
    assert vector.copies == whoosh.copies


@pytest.mark.parametrize("query", ["潼南", "教育 工作", '"五心强校"', "学校 OR 家长", "石珊", "石珊 学校"])
def test_same_ranking_scores(index: WhooshIndex, query: str) -> None:
    whoosh, vector = _both(index, query, limit=None)
    expected = dict(whoosh.hits)
    for article_id, score in vector.hits:
        assert score == pytest.approx(expected[article_id], rel=1e-4)
    scores = [score for _, score in vector.hits]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("article_id", ["doc0001", "doc0077", "doc0151", "doc0298", "doc0333"])
def test_same_similar_articles(index: WhooshIndex, article_id: str) -> None:
    """`similar` picks the same key terms and finds the same articles, scored the same."""
    text = {doc.id: doc.text for doc in _docs(360, random.Random(7))}[article_id]  # the index's docs
    found = []
    for engine in ("whoosh", "vector"):
        index.engine = engine
        try:
            found.append(index.similar(article_id, text, limit=10))
        finally:
            index.engine = "auto"
    whoosh, vector = found
    assert len(vector) == len(whoosh) == 10 and vector[0][0] == whoosh[0][0]
    expected = dict(whoosh)
    shared = [(i, score) for i, score in vector if i in expected]
    assert len(shared) >= 9  # the tenth may differ between equal scores
    for other, score in shared:
        assert score == pytest.approx(expected[other], rel=1e-6)
    deleted = {f"doc{n:04d}" for n in range(0, 300, 13)}
    assert article_id not in dict(vector) and not deleted & set(dict(vector))


@pytest.mark.parametrize("sort", ["date", "-date"])
@pytest.mark.parametrize("collapse", [False, True])
def test_same_order_by_date_with_filters(index: WhooshIndex, sort: str, collapse: bool) -> None:
    ranges = (
        Filters(),
        Filters(date_from=20190000, date_to=20211231),
        Filters(date_from=20220000),
        Filters(date_from=20990000),
    )
    for filters in ranges:
        whoosh, vector = _both(index, "教育", sort=sort, filters=filters, limit=None, collapse=collapse)
        assert [i for i, _ in vector.hits] == [i for i, _ in whoosh.hits]
        assert vector.total == whoosh.total


def test_pages_cut_the_same_ranking(index: WhooshIndex) -> None:
    whole, _ = _both(index, "教育", sort="-date", limit=None, collapse=True)
    ranked = [i for i, _ in whole.hits]
    for offset in (0, 5, 17):
        _, page = _both(index, "教育", sort="-date", limit=5, offset=offset, collapse=True)
        assert [i for i, _ in page.hits] == ranked[offset : offset + 5]
        assert page.total == whole.total


def test_deleted_articles_are_never_found(index: WhooshIndex) -> None:
    index.engine = "vector"
    try:
        found = {i for i, _ in index.search(parse_query(""), limit=None).hits}
    finally:
        index.engine = "auto"
    assert "doc0000" not in found and "doc0013" not in found
    assert "doc0001" in found
    assert len(found) == 360 - len(range(0, 300, 13))


@pytest.mark.parametrize("field", ["source", "year", "month"])
@pytest.mark.parametrize("query", ["教育", "", "school"])
def test_same_facets(index: WhooshIndex, field: str, query: str) -> None:
    counts = []
    for engine in ("whoosh", "vector"):
        index.engine = engine
        try:
            counts.append(index.facet(parse_query(query), field, filters=Filters(date_from=20190000)))
            counts.append(index.facet(parse_query(query), field))
        finally:
            index.engine = "auto"
    assert counts[0] and counts[1]
    assert counts[:2] == counts[2:]


def test_group_codes_survive_a_folding_collision() -> None:
    """Ids are folded to 64-bit numbers to group them fast; two ids that fold alike still differ."""
    import numpy as np

    from bulletin.index.whoosh.whoosh_files import value_codes as _codes

    fold = 0x9E3779B97F4A7C15
    first = b"\0" * 8 + (1).to_bytes(8, "little")  # folds to 0 ^ (1 * K)
    second = fold.to_bytes(8, "little")  # folds to K ^ 0
    values = np.array([first, second, first, b"doc0001", b"doc0001"], dtype="S16")
    codes = _codes(values).tolist()
    assert codes[0] == codes[2] and len({codes[0], codes[1], codes[3]}) == 3 and codes[3] == codes[4]


def test_and_checks_phrase_positions_only_where_the_other_words_are(index: WhooshIndex) -> None:
    """Hits, totals and scores stay Whoosh's when an AND narrows a phrase to its cheap words' hits."""
    found = 0
    for sentence in _sentences()[:40:4]:
        phrase = sentence[1:6]
        for query in (f"{phrase} 教育", f"学校 {phrase} -家长", f'"{phrase}" ({sentence[:2]} OR 潼南)'):
            whoosh, vector = _both(index, query, limit=None)
            assert vector.total == whoosh.total, query
            assert {i for i, _ in vector.hits} == {i for i, _ in whoosh.hits}, query
            if " -" not in query:  # Whoosh adds 1 to a hit's score for each NOT it passes
                expected = dict(whoosh.hits)
                for article_id, score in vector.hits:
                    assert score == pytest.approx(expected[article_id], rel=1e-4), query
            found += whoosh.total
    assert found >= 10  # the phrases do match: the narrowing was exercised

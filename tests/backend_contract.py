"""The contract every index backend (bulletin.index.protocol.IndexBackend) must satisfy.

A backend's test module subclasses `BackendContract` and provides `make_index` (a new, empty
index under a folder) and `reopen` (the live index under that folder, as a fresh handle);
pytest then runs every test here against it. The tests speak only the protocol: whatever a
second backend (OpenSearch, say) does inside, archive/ and cli/ see the behaviour below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.errors import QueryError
from bulletin.index import Filters, IndexBackend, IndexDoc, IndexHits, prepare
from bulletin.query import parse_query


def _doc(n: int, title: str, text: str, **fields: str | int) -> IndexDoc:
    values: dict[str, str | int] = {"source": "", "author": "", "tag": "", "site": "", "date_key": 0}
    values.update(fields)
    return IndexDoc(
        id=f"a{n:02d}",
        title=title,
        text=text,
        source=str(values["source"]),
        author=str(values["author"]),
        tag=str(values["tag"]),
        site=str(values["site"]),
        date_key=int(values["date_key"]),
        group=str(fields.get("group", "")),
    )


def _timed(article_id: str, date_key: int, time_key: int) -> IndexDoc:
    return IndexDoc(article_id, "通知", f"{article_id}的通知", "", "", "", "", date_key, time_key=time_key)


DOCS = [
    _doc(1, "潼南区教育工作会议召开", "全区教育系统干部参加会议，部署学校安全工作。", source="潼南区教委",
         author="张三", tag="教育", date_key=20230115),
    _doc(2, "区政府常务会议", "会议研究了道路交通和教育经费事项。", source="区政府办公室", date_key=20221201),
    _doc(3, "Flood warning for the river district", "The water office warns residents near the river.",
         source="Water Office", author="Emily Burack", date_key=20210704),
    _doc(4, "学校食堂安全检查", "市场监管局检查了学校食堂的食品安全。", source="潼南区教委", tag="安全",
         date_key=20230301, group="g1"),
    _doc(5, "学校食堂安全检查（转载）", "市场监管局检查了学校食堂的食品安全。", source="新闻网", tag="安全",
         date_key=20230302, group="g1"),
    _doc(6, "无日期的通知", "关于开展教育宣传月活动的通知。", source="潼南区教委"),
]  # fmt: skip


class BackendContract:
    """Behaviour an IndexBackend promises; subclass and implement `make_index` and `reopen`."""

    def make_index(self, root: Path) -> IndexBackend:
        """A new, empty index under `root`."""
        raise NotImplementedError

    def reopen(self, root: Path) -> IndexBackend:
        """A fresh handle on the live index under `root`."""
        raise NotImplementedError

    def rebuild(self, root: Path, docs: list[IndexDoc]) -> IndexBackend:
        """A new version of the index under `root` holding `docs`, made live when complete."""
        raise NotImplementedError

    @pytest.fixture
    def index(self, tmp_path: Path) -> IndexBackend:
        """An index holding DOCS (half added as analysed PreparedDocs, as imports do)."""
        built = self.make_index(tmp_path / "index")
        assert built.add_all([prepare(d) for d in DOCS[:3]]) == 3
        built.add_batch(list(DOCS[3:]))
        built.maintain(merge=False)
        return built

    def _ids(self, hits: IndexHits) -> list[str]:
        return [article_id for article_id, _ in hits.hits]

    def _find(self, index: IndexBackend, query: str, **options: object) -> list[str]:
        return self._ids(index.search(parse_query(query), limit=None, **options))  # type: ignore[arg-type]

    # -- writing and counting ------------------------------------------------------------

    def test_documents_are_counted_listed_and_sized(self, index: IndexBackend) -> None:
        assert index.doc_count() == len(DOCS)
        assert sorted(index.all_ids()) == sorted(d.id for d in DOCS)
        assert index.size_bytes() > 0

    def test_deleted_documents_are_gone_and_unknown_ids_ignored(self, index: IndexBackend) -> None:
        index.delete(["a01", "nope"])
        assert index.doc_count() == len(DOCS) - 1
        assert "a01" not in index.all_ids()
        assert "a01" not in self._find(index, "教育")

    def test_what_is_written_survives_reopening(self, index: IndexBackend, tmp_path: Path) -> None:
        index.maintain()
        index.close()
        again = self.reopen(tmp_path / "index")
        assert again.doc_count() == len(DOCS)
        assert "a01" in self._find(again, "教育工作")

    def test_a_closed_handle_can_be_used_again(self, index: IndexBackend) -> None:
        index.close()
        assert index.doc_count() == len(DOCS)

    # -- matching --------------------------------------------------------------------------

    def test_cjk_words_match_any_substring_of_title_or_text(self, index: IndexBackend) -> None:
        assert set(self._find(index, "食堂")) == {"a04", "a05"}
        assert self._find(index, "道路交通") == ["a02"]  # in the text only
        assert set(self._find(index, "教育")) == {"a01", "a02", "a06"}

    def test_a_single_cjk_character_matches(self, index: IndexBackend) -> None:
        assert set(self._find(index, "潼")) == {"a01"}

    def test_english_words_match_case_insensitively(self, index: IndexBackend) -> None:
        assert self._find(index, "RIVER") == ["a03"]

    def test_boolean_operators_and_field_words(self, index: IndexBackend) -> None:
        assert set(self._find(index, "会议 -交通")) == {"a01"}
        assert set(self._find(index, "交通 OR 食堂")) == {"a02", "a04", "a05"}
        assert self._find(index, "title:会议 学校") == ["a01"]
        assert set(self._find(index, "title:(食堂 OR 会议) -学校")) == {"a02"}
        assert self._find(index, '"安全工作"') == ["a01"]

    def test_credit_names_match_by_default_and_rank_below_title_and_text(self, tmp_path: Path) -> None:
        credits = self.make_index(tmp_path / "credits")
        credits.add_batch(
            [
                _doc(1, "区教委工作简报", "本期简报介绍学校安全工作。", author="石珊"),
                _doc(2, "学校简报", "本期由石珊老师介绍学校安全工作和食堂检查。"),
                _doc(3, "石珊获评优秀教师", "区教委表彰一批优秀教师。"),
                _doc(4, "无关的通知", "关于开展宣传月活动的通知。"),
            ]
        )
        assert self._find(credits, "石珊") == ["a03", "a02", "a01"]
        assert self._find(credits, "author:石珊") == ["a01"]

    def test_nothing_searchable_is_a_query_error(self, index: IndexBackend) -> None:
        with pytest.raises(QueryError):
            index.search(parse_query("！！"))

    def test_an_empty_query_matches_everything(self, index: IndexBackend) -> None:
        assert index.count(parse_query("")) == len(DOCS)

    # -- filters ---------------------------------------------------------------------------

    def test_field_filters_match_as_a_phrase_in_their_field(self, index: IndexBackend) -> None:
        assert set(self._find(index, "", filters=Filters(source="潼南区教委"))) == {"a01", "a04", "a06"}
        assert self._find(index, "", filters=Filters(author="Emily Burack")) == ["a03"]
        assert set(self._find(index, "学校", filters=Filters(tag="安全"))) == {"a04", "a05"}
        assert self._find(index, "", filters=Filters(source="教委", tag="教育")) == ["a01"]
        assert self._find(index, "", filters=Filters(author="李四")) == []

    def test_date_ranges_are_inclusive_and_exclude_undated(self, index: IndexBackend) -> None:
        found = self._find(index, "", filters=Filters(date_from=20221201, date_to=20230115))
        assert set(found) == {"a01", "a02"}
        assert set(self._find(index, "", filters=Filters(date_to=20221231))) == {"a02", "a03"}
        assert self._find(index, "", filters=Filters(date_from=20300101)) == []

    # -- ranking, paging, grouping --------------------------------------------------------

    def test_sorts_by_date_both_ways(self, index: IndexBackend) -> None:
        newest = self._find(index, "学校 OR 会议 OR river", sort="-date")
        assert newest[:3] == ["a05", "a04", "a01"]
        oldest = self._find(index, "学校 OR 会议 OR river", sort="date")
        assert oldest[0] == "a03"

    def test_articles_of_one_day_sort_by_time(self, tmp_path: Path) -> None:
        day = self.make_index(tmp_path / "day")
        day.add_batch(
            [
                IndexDoc(
                    "late", "通知", "下午的通知", "", "", "", "", 20230301, time_key=17 * 3600 + 30 * 60 + 1
                ),
                IndexDoc(
                    "early", "通知", "上午的通知", "", "", "", "", 20230301, time_key=9 * 3600 + 15 * 60 + 1
                ),
                IndexDoc("untimed", "通知", "当天的通知", "", "", "", "", 20230301),
                IndexDoc("next", "通知", "次日的通知", "", "", "", "", 20230302, time_key=1),
                IndexDoc("undated", "通知", "无日期的通知", "", "", "", "", 0),
            ]
        )
        assert self._find(day, "通知", sort="date") == ["undated", "untimed", "early", "late", "next"]
        assert self._find(day, "通知", sort="-date") == ["next", "late", "early", "untimed", "undated"]
        newest = day.search(parse_query("通知"), sort="-date", limit=2, offset=1)
        assert self._ids(newest) == ["late", "early"]

    def test_relevance_puts_the_title_match_first(self, index: IndexBackend) -> None:
        hits = index.search(parse_query("会议"), limit=None)
        assert self._ids(hits)[0] in {"a01", "a02"}
        scores = [score for _, score in hits.hits]
        assert scores == sorted(scores, reverse=True) and scores[0] > 0

    def test_pages_cut_one_ranking_and_total_counts_all(self, index: IndexBackend) -> None:
        whole = self._find(index, "", sort="-date")
        for offset in range(len(DOCS)):
            page = index.search(parse_query(""), sort="-date", limit=2, offset=offset)
            assert self._ids(page) == whole[offset : offset + 2]
            assert page.total == len(DOCS)

    def test_collapse_counts_a_group_once_and_reports_copies(self, index: IndexBackend) -> None:
        hits = index.search(parse_query("食堂"), collapse=True, limit=None)
        assert hits.total == 1 and len(hits.hits) == 1
        assert hits.copies == {hits.hits[0][0]: 1}
        assert index.count(parse_query("食堂"), collapse=True) == 1
        assert index.count(parse_query("食堂")) == 2

    # -- facets, similar, term statistics -----------------------------------------------

    def test_facets_by_source_year_and_month(self, index: IndexBackend) -> None:
        everything = parse_query("")
        assert index.facet(everything, "source")["潼南区教委"] == 3
        years = index.facet(everything, "year")
        assert years == {"2023": 3, "2022": 1, "2021": 1, "undated": 1}
        assert index.facet(parse_query("食堂"), "month") == {"2023-03": 2}
        assert index.facet(everything, "year", filters=Filters(date_from=20230101)) == {"2023": 3}

    def test_similar_finds_the_copy_and_never_the_article_itself(self, index: IndexBackend) -> None:
        found = index.similar("a04", DOCS[3].title + DOCS[3].text, limit=3)
        assert found and found[0][0] == "a05"
        assert "a04" not in dict(found)
        assert index.similar("missing", "教育", limit=3) == []

    def test_word_frequencies_count_documents_per_word(self, index: IndexBackend) -> None:
        frequencies = index.word_frequencies(["食堂", "教育", "！"])
        assert frequencies["食堂"] == 2
        assert frequencies["教育"] >= 3
        assert "！" not in frequencies

    # -- state ----------------------------------------------------------------------------

    def test_state_names_the_served_version_and_is_not_stale(self, index: IndexBackend) -> None:
        state = index.state()
        assert state.generation and state.live_generation == state.generation and not state.stale

    def test_a_rebuild_goes_live_and_old_handles_know_they_are_stale(
        self, index: IndexBackend, tmp_path: Path
    ) -> None:
        fresh = self.rebuild(tmp_path / "index", DOCS[:2])
        assert index.state().stale
        assert not fresh.state().stale and fresh.doc_count() == 2
        assert sorted(self.reopen(tmp_path / "index").all_ids()) == ["a01", "a02"]

    def test_capabilities_name_the_backend(self, index: IndexBackend) -> None:
        assert index.capabilities().name

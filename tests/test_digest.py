"""Digest of a result set: counts, timeline, sources, keywords and an attributed summary as JSON."""

from __future__ import annotations

import json

from bulletin.models import Article
from bulletin.summarize import Digest, digest


def article(n: int, text: str, date: str | None, source: str | None, title: str | None = None) -> Article:
    return Article(
        id=f"id{n:02d}",
        sha256=f"{n:064x}",
        origin=f"file{n}.txt",
        text=text,
        title=title,
        date=date,
        source=source,
    )


HITS = [
    article(
        1,
        "3月5日，潼南区召开教育工作会议，部署全区学校安全工作。会议要求各校落实安全责任。\n撰稿:石 珊",
        "2023-03-05",
        "潼南教育",
        "潼南区召开教育工作会议",
    ),
    article(
        2,
        "潼南区教育工作会议3月5日召开，会议部署全区学校安全工作。各学校负责人参加会议。",
        "2023-03-06T09:15",
        "潼南日报",
        "教育工作会议召开",
    ),
    article(3, "1月10日，全区教师培训班开班，三百名教师参加培训。培训为期三天。", "2023-01-10", "潼南教育"),
    article(4, "防溺水安全教育进校园活动启动，各校开展安全演练。", "2023", None, "防溺水"),
    article(5, "学校食堂食品安全检查结果公布，全部合格。", None, "潼南教育"),
]


def test_counts_and_timeline_with_empty_months_and_undated() -> None:
    result = digest(HITS).to_dict()
    assert result["count"] == 5
    assert result["timeline"] == [
        {"month": "2023-01", "count": 1},
        {"month": "2023-02", "count": 0},
        {"month": "2023-03", "count": 2},
    ]
    # No date, or a year only, cannot go on a monthly chart.
    assert result["undated"] == 2
    assert sum(m["count"] for m in result["timeline"]) + result["undated"] == result["count"]
    # A set given in memory is read whole: every article is distinct and sampled.
    assert result["distinct"] == result["sampled"] == 5


def test_sources_ranked_by_count_then_name() -> None:
    sources = digest(HITS).to_dict()["sources"]
    assert sources == [{"source": "潼南教育", "count": 3}, {"source": "潼南日报", "count": 1}]
    assert digest(HITS, top_sources=1).to_dict()["sources"] == [{"source": "潼南教育", "count": 3}]


def test_keywords_shape_and_order() -> None:
    words = digest(HITS, top_keywords=5).to_dict()["keywords"]
    assert len(words) == 5
    assert all(set(w) == {"word", "weight"} for w in words)
    weights = [w["weight"] for w in words]
    assert weights == sorted(weights, reverse=True)
    assert "安全" in [w["word"] for w in words]


def test_summary_attributed_lead_sentences_without_duplicates() -> None:
    summary = digest(HITS, summary_sentences=3).to_dict()["summary"]
    assert 1 <= len(summary) <= 3
    by_id = {a.id: a for a in HITS}
    for item in summary:
        assert set(item) == {"sentence", "article_id", "title"}
        source = by_id[item["article_id"]]
        assert item["sentence"] in source.text
        assert item["title"] == source.title
        assert "撰稿" not in item["sentence"]
    # Articles 1 and 2 report the same meeting: only one of them speaks for it.
    ids = [item["article_id"] for item in summary]
    assert len(set(ids)) == len(ids)
    assert not {"id01", "id02"} <= set(ids)


def test_json_field_names_are_stable_and_serialisable() -> None:
    result = digest(HITS).to_dict()
    assert list(result) == [
        "count",
        "distinct",
        "sampled",
        "timeline",
        "undated",
        "sources",
        "keywords",
        "summary",
    ]
    assert json.loads(json.dumps(result, ensure_ascii=False)) == result


def test_empty_result_set() -> None:
    result = digest([])
    assert isinstance(result, Digest)
    assert result.to_dict() == {
        "count": 0,
        "distinct": 0,
        "sampled": 0,
        "timeline": [],
        "undated": 0,
        "sources": [],
        "keywords": [],
        "summary": [],
    }


def test_timeline_crosses_a_year_boundary() -> None:
    hits = [article(1, "十二月的通知。", "2022-12-30", None), article(2, "二月的通知。", "2023-02", None)]
    months = [m["month"] for m in digest(hits).to_dict()["timeline"]]
    assert months == ["2022-12", "2023-01", "2023-02"]


def test_summary_sentences_stand_alone_out_of_their_article() -> None:
    hits = [
        article(
            1,
            "他是一位深受学生爱戴的老师。"
            "新华社重庆3月1日电（记者 李四）潼南区表彰优秀教师五十名，颁发荣誉证书。",
            "2023-03-01",
            "新华社",
        )
    ]
    summary = digest(hits).to_dict()["summary"]
    # "他是…" points at someone the digest never names, and the dateline names the outlet, not the news.
    assert [item["sentence"] for item in summary] == ["潼南区表彰优秀教师五十名，颁发荣誉证书。"]

"""Near-duplicates: one bulletin republished elsewhere is grouped; different bulletins never are."""

from __future__ import annotations

import html
import itertools
import json
import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin.archive.grouping import NEAR_DUPLICATE_JACCARD, anchors_of, is_near_duplicate, jaccard, shingles

from .conftest import Cli
from .shared_data import CORPUS, EXAMPLES, needs_corpus

ORIGINAL = "zh-ceds-47f387e6"  # a GBK page from the dev corpus


def truth(page_id: str) -> dict[str, str]:
    return json.loads((CORPUS / "truth" / f"{page_id}.json").read_text(encoding="utf-8"))


def republished(page_id: str) -> bytes:
    """The same bulletin as another site would carry it: other template, a credit line, small edits."""
    record = truth(page_id)
    paragraphs = [p for p in record["text"].split("\n") if p.strip()]
    paragraphs[1] = paragraphs[1].replace("很多人", "不少人")  # an editor's touch
    paragraphs.append("（本文转载自健康时报，如有侵权请联系删除）")
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{html.escape(record["title"])} - 某某健康网</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/news">健康资讯</a> <a href="/ask">问医生</a></div>
<div class="crumb">当前位置：首页 &gt; 健康资讯 &gt; 正文</div>
<h1>{html.escape(record["title"])}</h1><div class="info">2021-02-03 来源：健康时报</div>
<div class="article">{body}</div>
<div class="share">分享到：微信 微博 QQ空间</div>
<div class="footer">版权所有 某某健康网 京ICP备12345678号</div></body></html>"""
    return page.encode("utf-8")


def page_path(page_id: str) -> Path:
    return next((CORPUS / "pages").glob(page_id + ".*"))


def test_shingles_ignore_layout_punctuation_and_width() -> None:
    a = shingles("潼南区召开2023年开学工作推进会。\n会议强调：要抓好安全。")
    b = shingles("潼南区召开２０２３年开学工作推进会，会议强调 要抓好安全")
    assert a == b


def test_a_small_edit_keeps_a_pair_above_the_threshold() -> None:
    text = "".join(f"第{n}条：各学校要落实安全责任制度，做好开学前的隐患排查工作。" for n in range(20))
    edited = text.replace("第3条", "第三条") + "（来源：区教委）"
    assert jaccard(shingles(text), shingles(edited)) >= NEAR_DUPLICATE_JACCARD
    assert is_near_duplicate(shingles(text), shingles(edited))


def test_short_texts_are_never_grouped() -> None:
    # Two one-line notices can be identical by template and still be different news.
    assert not is_near_duplicate(shingles("停水通知"), shingles("停水通知"))
    assert anchors_of("停水通知") is None


@needs_corpus
def test_different_real_articles_stay_far_below_the_threshold() -> None:
    pages = sorted((CORPUS / "truth").glob("zh-*.json"))
    texts = {p.stem: shingles(truth(p.stem)["text"] or "") for p in pages}
    worst = max(jaccard(texts[a], texts[b]) for a, b in itertools.combinations(texts, 2))
    assert worst < NEAR_DUPLICATE_JACCARD / 2


@needs_corpus
def test_republished_copy_is_grouped_and_shown_once(cli: Cli, tmp_path: Path) -> None:
    copy = tmp_path / "copy.html"
    copy.write_bytes(republished(ORIGINAL))
    other = page_path("zh-ceds-6820ebe7")  # another page of the same site
    result = cli("import", "--quiet", str(page_path(ORIGINAL)), str(other), str(copy))
    assert result.exit_code == 0, result.stderr

    collapsed = json.loads(cli("search", "脂溢性脱发", "--json").stdout)["hits"]
    assert len(collapsed) == 1
    assert collapsed[0]["copies"] == 1

    every = json.loads(cli("search", "脂溢性脱发", "--json", "--all-copies").stdout)["hits"]
    assert len(every) == 2
    assert {hit["copies"] for hit in every} == {0}
    assert cli("search", "脂溢性脱发", "--count").stdout.strip() == "1"

    groups = json.loads(cli("duplicates", "--json").stdout)
    assert len(groups) == 1
    origins = {member["origin"] for member in groups[0]["members"]}
    assert origins == {str(page_path(ORIGINAL)), str(copy)}

    stats = json.loads(cli("stats", "--json").stdout)
    assert (stats["duplicate_groups"], stats["duplicate_articles"]) == (1, 2)


@needs_corpus
def test_terminal_hit_says_how_many_copies(cli: Cli, tmp_path: Path) -> None:
    copy = tmp_path / "copy.html"
    copy.write_bytes(republished(ORIGINAL))
    cli("import", "--quiet", str(page_path(ORIGINAL)), str(copy))
    assert "+1 copy" in cli("search", "脂溢性脱发", tty=True).stdout


@needs_corpus
def test_deleting_one_copy_leaves_the_other_findable(cli: Cli, tmp_path: Path) -> None:
    copy = tmp_path / "copy.html"
    copy.write_bytes(republished(ORIGINAL))
    cli("import", "--quiet", str(page_path(ORIGINAL)), str(copy))
    first = json.loads(cli("search", "脂溢性脱发", "--json").stdout)["hits"][0]["id"]
    assert cli("delete", first).exit_code == 0
    hits = json.loads(cli("search", "脂溢性脱发", "--json").stdout)["hits"]
    assert len(hits) == 1 and hits[0]["id"] != first and hits[0]["copies"] == 0
    assert cli("duplicates").exit_code == 1  # a group of one is no group


@needs_corpus
def test_archives_from_before_grouping_are_fingerprinted_on_next_import(
    cli: Cli, archive_dir: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.html"
    copy.write_bytes(republished(ORIGINAL))
    cli("import", "--quiet", str(page_path(ORIGINAL)), str(copy))
    with sqlite3.connect(archive_dir / "archive.sqlite") as db:  # as an older bulletin left it
        db.execute("DELETE FROM anchors")
        db.execute("DELETE FROM groups")
        db.execute("DELETE FROM meta WHERE key = 'anchors'")
    assert cli("duplicates").exit_code == 1
    assert cli("import", "--quiet", str(EXAMPLES / "gbk-news.html")).exit_code == 0
    assert len(json.loads(cli("duplicates", "--json").stdout)) == 1
    assert len(json.loads(cli("search", "脂溢性脱发", "--json").stdout)["hits"]) == 1


def test_exact_copies_from_two_origins_keep_both(cli: Cli, tmp_path: Path) -> None:
    twin = tmp_path / "mirror.html"
    twin.write_bytes((EXAMPLES / "gbk-news.html").read_bytes())
    cli("import", "--quiet", str(EXAMPLES / "gbk-news.html"), str(twin))
    record = json.loads(cli("search", "", "--jsonl").stdout.splitlines()[0])
    shown = json.loads(cli("show", record["id"], "--json", "--no-summary").stdout)
    assert shown["origins"] == [str(EXAMPLES / "gbk-news.html"), str(twin)]


def test_anchors_are_the_smallest_crc32_of_the_shingles() -> None:
    """Anchors are stored in archives: the sketch must stay exactly this, run after run."""
    import zlib

    text = "潼南区教育委员会召开2023年全区教育工作会议，研究部署今年重点工作。" * 3
    expected = sorted(zlib.crc32(s.encode("utf-8")) for s in shingles(text))[:16]
    assert anchors_of(text) == tuple(expected)
    assert anchors_of("停水通知") is None  # too short to compare: never grouped


def _reference_anchors(text: str) -> tuple[int, ...] | None:
    import zlib

    found = shingles(text)
    return tuple(sorted(zlib.crc32(s.encode("utf-8")) for s in found)[:16]) if len(found) >= 30 else None


@given(
    st.text(
        alphabet=st.sampled_from("ab1Z２３中文字符测试通知 ，。_-😀𠀀e\u0301ﬁⅫ"),  # ASCII, CJK, astral, folds
        max_size=120,
    )
)
@settings(max_examples=300, deadline=None)
def test_anchors_of_any_text_are_the_definition(text: str) -> None:
    """The sketch is computed from the text's bytes, not from shingle strings: it must still
    be the definition's for any mix of one-, two-, three- and four-byte characters, and
    repetitive texts short of 30 distinct shingles are never grouped."""
    assert anchors_of(text) == _reference_anchors(text)
    assert anchors_of(text * 8) == _reference_anchors(text * 8)


def test_widely_shared_anchors_do_not_hide_a_copy(tmp_path: Path) -> None:
    """A hash carried by hundreds of articles (a stock sentence) is read only so far; a bulletin
    with more copies than that limit still finds the earliest of them."""
    from bulletin.archive import store as store_module
    from bulletin.archive.store import Store
    from bulletin.models import Article

    def record(n: int, text: str) -> Article:
        return Article(
            id=f"a{n:04d}", sha256=f"{n:064x}", origin=f"o{n}", text=text, imported_at="2026-01-01T00:00:00Z"
        )

    store = Store(tmp_path / "a.sqlite")
    stock = 999
    syndicated = tuple(range(1000, 1016))
    with store.transaction():
        for n in range(store_module._ROWS_PER_ANCHOR * 3):  # many articles share one stock anchor
            store.add(record(n, f"other {n}"), b"x")
            store.add_anchors(f"a{n:04d}", (stock, *range(10_000 + n * 16, 10_000 + n * 16 + 15)))
        first = store_module._ROWS_PER_ANCHOR * 3
        for n in range(first, first + store_module._ROWS_PER_ANCHOR + 5):  # more copies than the limit
            store.add(record(n, "the syndicated bulletin"), b"y")
            store.add_anchors(f"a{n:04d}", syndicated)
    found = store.anchor_candidates((stock, *syndicated[:15]), exclude="new", min_shared=6)
    assert found and found[0] == (f"a{first:04d}", "the syndicated bulletin")
    assert all(text == "the syndicated bulletin" for _, text in found)
    assert not store.anchor_candidates((stock, 1, 2, 3, 4, 5), exclude="new", min_shared=6)

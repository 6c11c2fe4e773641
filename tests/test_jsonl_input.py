"""JSON-lines scraper feeds: records become articles, bad lines are named by line number, the rest goes on."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from bulletin.errors import InputError
from bulletin.readers import RawInput, iter_inputs
from bulletin.readers.jsonl import MappingError, parse_mapping, read_jsonl, record_to_input

from .conftest import Cli
from .shared_data import CORPUS, EXAMPLES, needs_corpus

# From ../shared/corpus/dev (see its MANIFEST.tsv): a GBK page declaring gbk, and a UTF-8 blog
# page without <title> or charset declaration.
GBK_PAGE = "zh-ceds-47f387e6"
GBK_TITLE = "脂溢性脱发：爱出油快秃顶？你知道什么该吃什么不该吃吗？"
UTF8_PAGE = "zh-ceds-064b591b"
UTF8_TITLE = "13岁女孩辍学后生下女婴(附图)"


def page_text(page_id: str, encoding: str) -> str:
    """A corpus page as a scraper holds it: already decoded to a string."""
    return (CORPUS / "pages" / f"{page_id}.html").read_bytes().decode(encoding)


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def records(result: object) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.stdout.splitlines()]  # type: ignore[attr-defined]


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    """A Scrapy-style feed: two real pages, a text record with metadata, and four bad lines."""
    text_record = {
        "text": "区教委召开防汛工作部署会议，要求各校落实汛期值班制度，排查校舍安全隐患，确保师生安全。",
        "title": "区教委部署汛期校园安全工作",
        "date": "2023-06-01",
        "source": "示例区教育委员会",
        "url": "https://jw.example.cn/2023/0601.html",
    }
    return write_lines(
        tmp_path / "items.jsonl",
        [
            json.dumps({"url": "https://health.example.cn/a/1.html", "html": page_text(GBK_PAGE, "gbk")}),
            "this is not json",
            json.dumps({"html": page_text(UTF8_PAGE, "utf-8"), "url": "https://blog.example.cn/p/2"}),
            "[1, 2]",
            json.dumps({"url": "https://x.example.cn/no-body"}),
            json.dumps(text_record, ensure_ascii=False),
            json.dumps("just a string"),
        ],
    )


@needs_corpus
def test_feed_records_become_articles_and_bad_lines_are_named(cli: Cli, feed: Path) -> None:
    result = cli("import", "--jsonl", str(feed))
    assert result.exit_code == 1  # some inputs were rejected, as README's exit codes say
    by_origin = {r["origin"]: r for r in records(result)}
    assert by_origin[f"{feed}:1"]["title"] == GBK_TITLE
    assert by_origin[f"{feed}:3"]["title"] == UTF8_TITLE
    assert by_origin[f"{feed}:6"]["status"] == "added"
    failed = sorted(origin for origin, r in by_origin.items() if r["status"] == "failed")
    assert failed == [f"{feed}:2", f"{feed}:4", f"{feed}:5", f"{feed}:7"]
    skipped = [line for line in result.stderr.splitlines() if line.startswith("bulletin: skipped")]
    assert len(skipped) == 4
    assert f"{feed}:2: is not valid JSON" in result.stderr
    assert f"{feed}:5: has no html, text or content field (keys: url)" in result.stderr
    assert "--map html=KEY" in result.stderr
    assert "3 added" in result.stderr and "4 failed" in result.stderr


@needs_corpus
def test_feed_metadata_reaches_the_record_and_search(cli: Cli, feed: Path) -> None:
    cli("import", "--quiet", str(feed))
    found = cli("search", "--jsonl", "脂溢性脱发")
    assert found.exit_code == 0, found.stderr
    hit = records(found)[0]
    assert hit["origin"] == f"{feed}:1"
    assert hit["url"] == "https://health.example.cn/a/1.html"
    assert hit["date"] == "2021-01-29T13:18"  # the page's own date
    blog = records(cli("search", "--jsonl", "辍学"))[0]
    assert blog["date"] == "2005-07-31T12:30"
    assert blog["url"] == "https://blog.example.cn/p/2"
    flood = records(cli("search", "--jsonl", "防汛"))[0]
    # The record says what the text cannot: its date, source and address.
    assert flood["date"] == "2023-06-01"
    assert flood["source"] == "示例区教育委员会"
    assert flood["url"] == "https://jw.example.cn/2023/0601.html"


@needs_corpus
def test_map_reads_other_key_names_including_nested_ones(cli: Cli, tmp_path: Path) -> None:
    item = {
        "body": page_text(GBK_PAGE, "gbk"),
        "link": "https://health.example.cn/a/9.html",
        "meta": {"source": "健康频道"},
    }
    feed = write_lines(tmp_path / "crawl.jl", [json.dumps(item)])
    unmapped = cli("import", "--quiet", "--jsonl", str(feed))
    assert unmapped.exit_code == 1
    assert "keys: body, link, meta" in unmapped.stderr
    result = cli(
        "import",
        "--jsonl",
        "--map",
        "html=body",
        "--map",
        "url=link",
        "--map",
        "source=meta.source",
        str(feed),
    )
    assert result.exit_code == 0, result.stderr
    [event] = records(result)
    shown = json.loads(cli("show", "--json", "--no-summary", str(event["id"])).stdout)
    assert shown["title"] == GBK_TITLE
    assert shown["url"] == "https://health.example.cn/a/9.html"


def test_bad_map_options_are_usage_errors(cli: Cli, tmp_path: Path) -> None:
    feed = write_lines(tmp_path / "a.jsonl", [json.dumps({"text": "正文"})])
    for bad in ("html", "body=html", "html="):
        result = cli("import", "--map", bad, str(feed))
        assert result.exit_code == 2, bad
        assert "--map" in result.stderr
    result = cli("import", "--format", "xml", str(feed))
    assert result.exit_code == 2
    assert "--format" in result.stderr


@needs_corpus
def test_gzip_feed_and_truncated_download(cli: Cli, feed: Path, tmp_path: Path) -> None:
    packed = tmp_path / "items.jsonl.gz"
    packed.write_bytes(gzip.compress(feed.read_bytes()))
    result = cli("import", "--jsonl", str(packed))
    assert [r["status"] for r in records(result)].count("added") == 3
    # A download cut short: every complete line is imported, then one error says where it stopped.
    lines = [
        json.dumps({"text": f"第{i}条通知：学校开展安全教育活动，内容编号{i:05d}。"}) for i in range(3000)
    ]
    whole = gzip.compress("\n".join(lines).encode("utf-8") + b"\n")
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    result = cli("import", "--jsonl", str(cut))
    events = records(result)
    assert result.exit_code == 1
    failed = [r for r in events if r["status"] == "failed"]
    assert len(failed) == 1
    assert "ends early" in str(failed[0]["reason"])
    stopped_at = int(str(failed[0]["origin"]).rsplit(":", 1)[1])
    assert sum(r["status"] == "added" for r in events) == stopped_at - 1 > 1000


def test_stdin_feed_needs_format(cli: Cli) -> None:
    feed = (
        json.dumps(
            {"text": "学校召开家长会，通报期中考试情况并布置假期安全工作。", "title": "家长会"},
            ensure_ascii=False,
        )
        + "\n{broken\n"
    )
    result = cli("import", "--jsonl", "--format", "jsonl", "-", input=feed.encode("utf-8"))
    events = records(result)
    assert sorted((r["origin"], r["status"]) for r in events) == [
        ("<stdin>:1", "added"),
        ("<stdin>:2", "failed"),
    ]
    # Without --format, stdin is one page: the whole feed becomes a single (text) article.
    single = cli("import", "--jsonl", "-", input=feed.encode("utf-8"))
    assert [r["origin"] for r in records(single)] == ["<stdin>"]


def test_extract_reads_feeds_too(cli: Cli, tmp_path: Path) -> None:
    feed = write_lines(
        tmp_path / "a.ndjson",
        [
            json.dumps(
                {
                    "content": "今年全区新建改扩建学校五所，新增学位三千个。",
                    "title": "新增学位三千个",
                    "date": "2023-09-01",
                },
                ensure_ascii=False,
            )
        ],
    )
    result = cli("extract", "--jsonl", str(feed))
    assert result.exit_code == 0, result.stderr
    [record] = records(result)
    assert record["origin"] == f"{feed}:1"
    assert record["date"] == "2023-09-01"


def test_max_size_applies_to_each_record(cli: Cli, tmp_path: Path) -> None:
    feed = write_lines(
        tmp_path / "a.jsonl",
        [json.dumps({"text": "短文一篇，内容简单。"}), json.dumps({"text": "长" * 400})],
    )
    result = cli("import", "--jsonl", "--max-size", "200", str(feed))
    assert result.exit_code == 1
    assert f"{feed}:2: text is 1,200 bytes, over --max-size 200" in result.stderr
    assert [r["status"] for r in records(result) if r["origin"] == f"{feed}:1"] == ["added"]


def test_committed_example_feed_imports_cleanly(cli: Cli) -> None:
    feed = EXAMPLES / "scraped.jsonl"
    result = cli("import", "--jsonl", str(feed))
    assert result.exit_code == 0, result.stderr
    assert [r["status"] for r in records(result)] == ["added"] * 3
    notice = records(cli("search", "--jsonl", "防溺水"))[0]
    assert notice["url"] == "https://jw.example.cn/tzgg/2023/0301/notice.html"
    assert notice["source"] == "示例区教育委员会"


# -- the reader on its own ----------------------------------------------------------------------


def read(data: bytes, **options: object) -> list[RawInput | InputError]:
    return list(read_jsonl(io.BytesIO(data), "feed", **options))  # type: ignore[arg-type]


def test_records_keep_their_kind_and_hints() -> None:
    html, text = read(
        b'\xef\xbb\xbf{"html": "<p>x</p>", "title": ["T1", "ignored"], "date": 20230101}\r\n'
        b"\n"
        b'{"content": ["line one", "line two"], "source": " S ", "url": ""}\n'
    )
    assert isinstance(html, RawInput) and isinstance(text, RawInput)
    assert (html.origin, html.kind, html.data) == ("feed:1", "html", b"<p>x</p>")
    assert html.hints == {"title": "T1", "date": "20230101"}
    assert (text.origin, text.kind, text.data) == ("feed:3", "text", b"line one\nline two")
    assert text.hints == {"source": "S"} and text.url is None


def test_html_wins_over_text_and_bad_values_are_explained() -> None:
    chosen = record_to_input({"html": "<p>h</p>", "text": "t"}, "o")
    assert chosen.kind == "html"
    with pytest.raises(InputError, match=r"field 'html' is a JSON object, not a string"):
        record_to_input({"html": {"a": 1}}, "o")
    [error] = read(b'{"html": "\xff"}\n')
    assert isinstance(error, InputError) and "not UTF-8" in error.reason


def test_overlong_lines_are_skipped_without_losing_the_next() -> None:
    data = json.dumps({"text": "x" * 5000}).encode() + b"\n" + json.dumps({"text": "ok"}).encode() + b"\n"
    error, good = read(data, max_size=100)
    assert isinstance(error, InputError) and error.origin == "feed:1" and "raise --max-size" in error.reason
    assert isinstance(good, RawInput) and good.origin == "feed:2"


def test_parse_mapping() -> None:
    assert parse_mapping(["html=body", " url = meta.link "]) == {"html": "body", "url": "meta.link"}
    with pytest.raises(MappingError, match="unknown field 'author'"):
        parse_mapping(["author=by"])


def test_dispatcher_picks_the_reader_by_suffix(tmp_path: Path) -> None:
    feed = write_lines(tmp_path / "a.JSONL", [json.dumps({"text": "a"}), json.dumps({"text": "b"})])
    page = tmp_path / "p.html"
    page.write_text("<p>p</p>", encoding="utf-8")
    items = list(iter_inputs([str(feed), str(page)]))
    assert [getattr(i, "origin", None) for i in items] == [f"{feed}:1", f"{feed}:2", str(page)]
    # A folder yields pages by default and only feeds when asked for them.
    assert [getattr(i, "origin", None) for i in iter_inputs([str(tmp_path)])] == [str(page)]
    assert len(list(iter_inputs([str(tmp_path)], fmt="jsonl"))) == 2
    # "-" without a stream is an input error, not a read of the process's stdin.
    [error] = list(iter_inputs(["-"], fmt="jsonl"))
    assert isinstance(error, InputError)


def test_a_text_record_keeps_the_scrapers_title_and_date(cli: Cli, tmp_path: Path) -> None:
    """For plain text the scraper read title and date off the page; guesses from the body lose."""
    record = {
        "title": "区教委召开春季开学工作会",
        "date": "2022-02-13",
        "text": "会议回顾\n2月10日，区教委对寒假期间的安全工作进行了检查。会议要求各校做好开学准备。",
    }
    feed = write_lines(tmp_path / "feed.jsonl", [json.dumps(record, ensure_ascii=False)])
    assert cli("import", "--quiet", str(feed)).exit_code == 0
    hit = json.loads(cli("search", "开学准备", "--json").stdout)["hits"][0]
    assert (hit["title"], hit["date"]) == ("区教委召开春季开学工作会", "2022-02-13")

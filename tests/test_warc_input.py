"""WARC web archives: HTML captures become articles with their URI and capture day; the rest is skipped."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.bufferedreaders import BufferedReader
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bulletin.errors import InputError
from bulletin.readers import RawInput, ReadCounts
from bulletin.readers.warc import read_warc

from .conftest import Cli
from .shared_data import CORPUS, EXAMPLES, needs_corpus

GBK_PAGE = "zh-ceds-47f387e6"  # declares gbk; dated 2021-1-29 13:18 on the page
GBK_TITLE = "脂溢性脱发：爱出油快秃顶？你知道什么该吃什么不该吃吗？"
UTF8_PAGE = "zh-ceds-064b591b"  # UTF-8 blog page, no charset declaration, dated 2005-07-31 12:30
UTF8_TITLE = "13岁女孩辍学后生下女婴(附图)"
CAPTURED = "2024-05-01T12:00:00Z"
# A page that prints no date of its own: the capture day is all there is.
UNDATED = (
    "<html><head><title>校园开放日活动安排</title></head><body><h1>校园开放日活动安排</h1>"
    "<p>本周六上午九点，学校举办校园开放日，欢迎家长和社区居民参观实验室、图书馆和体育馆，"
    "并与任课教师面对面交流。</p><p>请从东门进入，凭预约码登记。</p></body></html>"
).encode()
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def chunked(data: bytes, size: int = 700) -> bytes:
    parts = [
        b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size]) for i in range(0, len(data), size)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


def response(
    writer: WARCWriter, uri: str, body: bytes, headers: list[tuple[str, str]], status: str = "200 OK"
) -> None:
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        uri,
        "response",
        payload=io.BytesIO(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": CAPTURED},
    )
    writer.write_record(record)


def build_warc(path: Path, *, compress: bool) -> Path:
    """A small crawl as wget --warc-file writes it: pages, a request, an image, a redirect, an error."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "bulletin tests"}))
        request = StatusAndHeaders(
            "GET /a/1.html HTTP/1.1", [("Host", "health.example.cn")], is_http_request=True
        )
        writer.write_record(
            writer.create_warc_record(
                "https://health.example.cn/a/1.html", "request", payload=io.BytesIO(b""), http_headers=request
            )
        )
        if (CORPUS / "pages").exists():
            gbk = (CORPUS / "pages" / f"{GBK_PAGE}.html").read_bytes()
            response(
                writer,
                "https://health.example.cn/a/1.html",
                gbk,
                [("Content-Type", "text/html; charset=gbk")],
            )
            utf8 = (CORPUS / "pages" / f"{UTF8_PAGE}.html").read_bytes()
            # Served gzip-compressed in chunks: the reader must undo both.
            response(
                writer,
                "http://blog.example.cn/p/2",
                chunked(gzip.compress(utf8)),
                [
                    ("Content-Type", "text/html"),
                    ("Content-Encoding", "gzip"),
                    ("Transfer-Encoding", "chunked"),
                ],
            )
        response(
            writer,
            "https://school.example.cn/open-day",
            UNDATED,
            [("Content-Type", "text/html; charset=UTF-8")],
        )
        response(writer, "https://school.example.cn/logo.png", PNG, [("Content-Type", "image/png")])
        response(
            writer,
            "http://school.example.cn/open-day",
            b"<html><body>Moved</body></html>",
            [("Content-Type", "text/html"), ("Location", "https://school.example.cn/open-day")],
            status="301 Moved Permanently",
        )
        response(
            writer,
            "https://school.example.cn/gone",
            b"<html><body>Not found</body></html>",
            [("Content-Type", "text/html")],
            status="404 Not Found",
        )
    return path


@pytest.fixture(params=[True, False], ids=["warc.gz", "warc"])
def warc(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    compress = bool(request.param)
    return build_warc(tmp_path / ("crawl.warc.gz" if compress else "crawl.warc"), compress=compress)


def events(result: object) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.stdout.splitlines()]  # type: ignore[attr-defined]


@needs_corpus
def test_html_captures_become_articles(cli: Cli, warc: Path) -> None:
    result = cli("import", "--jsonl", str(warc))
    assert result.exit_code == 0, result.stderr
    added = {str(e["origin"]): e for e in events(result)}
    assert set(added) == {
        "https://health.example.cn/a/1.html",
        "http://blog.example.cn/p/2",
        "https://school.example.cn/open-day",
    }
    assert all(e["status"] == "added" for e in added.values())
    assert added["https://health.example.cn/a/1.html"]["title"] == GBK_TITLE
    assert added["http://blog.example.cn/p/2"]["title"] == UTF8_TITLE
    # The image, the redirect and the 404 are not pages: passed over, counted, not failures.
    assert "passed over 3 web-archive records" in result.stderr


@needs_corpus
def test_capture_metadata_and_search(cli: Cli, warc: Path) -> None:
    assert cli("import", "--quiet", str(warc)).exit_code == 0

    def shown(query: str) -> dict[str, object]:
        hits = events(cli("search", "--jsonl", query))
        assert len(hits) == 1, query
        return dict(json.loads(cli("show", "--json", "--no-summary", str(hits[0]["id"])).stdout))

    health = shown("脂溢性脱发")
    assert health["url"] == "https://health.example.cn/a/1.html"
    assert health["site"] == "health.example.cn"
    assert health["date"] == "2021-01-29T13:18"  # the page's own date beats the capture date
    blog = shown("辍学")
    assert blog["date"] == "2005-07-31T12:30"
    assert "长春" in str(blog["text"])  # gzip + chunked body decoded
    open_day = shown("校园开放日")
    assert open_day["date"] == "2024-05-01"  # no date on the page: the capture day
    assert open_day["origins"] == ["https://school.example.cn/open-day"]


def test_truncated_warc_gz_keeps_what_was_readable(cli: Cli, tmp_path: Path) -> None:
    whole = build_warc(tmp_path / "whole.warc.gz", compress=True).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[:-60])  # the download stopped inside the last record
    result = cli("import", "--jsonl", str(cut))
    assert result.exit_code == 1
    failed = [e for e in events(result) if e["status"] == "failed"]
    assert len(failed) == 1
    assert str(failed[0]["origin"]).startswith(f"{cut}#")
    assert "re-download" in str(failed[0]["reason"])
    assert any(e["status"] == "added" for e in events(result))


def test_whole_file_gzip_reads_like_per_record_gzip(tmp_path: Path) -> None:
    plain = build_warc(tmp_path / "a.warc", compress=False).read_bytes()
    # `gzip crawl.warc` makes one gzip stream, not one member per record as WARC tools write.
    items = list(read_warc(io.BytesIO(gzip.compress(plain)), "a.warc.gz"))
    assert [i.origin for i in items] == [i.origin for i in read_warc(io.BytesIO(plain), "a.warc")]
    assert all(isinstance(i, RawInput) for i in items)
    assert [i.origin for i in read_warc(io.BytesIO(gzip.compress(plain)[:-8]), "a.warc.gz")][-1].startswith(
        "a.warc.gz#"
    )


def test_not_a_warc_is_one_named_error(cli: Cli) -> None:
    page = EXAMPLES / "notice-lying-charset.html"
    result = cli("import", "--format", "warc", str(page))
    assert result.exit_code == 1
    assert f"skipped {page}#0: not a WARC or ARC file" in result.stderr


def test_folder_of_warcs_with_format(cli: Cli, tmp_path: Path) -> None:
    crawls = tmp_path / "crawls"
    crawls.mkdir()
    build_warc(crawls / "one.warc.gz", compress=True)
    (crawls / "page.html").write_bytes(UNDATED)
    # By default a folder yields its pages; --format warc takes the archives beneath it instead.
    default = events(cli("import", "--jsonl", str(crawls)))
    assert [e["origin"] for e in default] == [str(crawls / "page.html")]
    warcs = events(cli("import", "--jsonl", "--format", "warc", str(crawls)))
    assert "https://school.example.cn/open-day" in [e["origin"] for e in warcs]


def test_extract_and_stdin_read_warcs(cli: Cli, tmp_path: Path) -> None:
    data = build_warc(tmp_path / "a.warc.gz", compress=True).read_bytes()
    result = cli("extract", "--jsonl", "--format", "warc", "-", input=data)
    assert result.exit_code == 0, result.stderr
    assert "https://school.example.cn/open-day" in [r["origin"] for r in events(result)]


def test_committed_example_capture(cli: Cli) -> None:
    result = cli("import", "--jsonl", str(EXAMPLES / "capture.warc.gz"))
    assert result.exit_code == 0, result.stderr
    assert sorted(str(e["origin"]) for e in events(result)) == [
        "https://jw.example.cn/tzgg/2023/0301/notice.html",
        "https://news.example.cn/2022/02/13/order.shtml",
    ]
    assert "passed over 2 web-archive records" in result.stderr  # a redirect and an image


# -- the reader on its own ----------------------------------------------------------------------


def test_reader_hints_and_counts(tmp_path: Path) -> None:
    data = build_warc(tmp_path / "a.warc", compress=False).read_bytes()
    counts = ReadCounts()
    items = list(read_warc(io.BytesIO(data), "a.warc", counts=counts))
    pages = [i for i in items if isinstance(i, RawInput)]
    assert counts.skipped == 3
    open_day = next(p for p in pages if p.origin == "https://school.example.cn/open-day")
    assert open_day.url == open_day.origin and open_day.kind == "html"
    assert open_day.hints == {"captured": "2024-05-01", "charset": "utf-8"}
    assert open_day.data == UNDATED


def test_reader_reports_cut_records_and_empty_files(tmp_path: Path) -> None:
    data = build_warc(tmp_path / "a.warc", compress=False).read_bytes()
    cut = data[: data.index("校园开放日".encode()) + 10]
    items = list(read_warc(io.BytesIO(cut), "a.warc"))
    assert isinstance(items[-1], InputError)
    assert items[-1].origin.startswith("a.warc#") and "cut short" in items[-1].reason
    assert [i.reason for i in read_warc(io.BytesIO(b""), "e.warc") if isinstance(i, InputError)] == [
        "is empty; nothing to import"
    ]


@pytest.mark.skipif("br" in BufferedReader.get_supported_decompressors(), reason="brotli is installed")
def test_bodies_warcio_cannot_decompress_are_explained() -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    packed = bytes(range(256)) * 4  # stands in for a brotli stream
    response(
        writer, "https://x.example.cn/br", packed, [("Content-Type", "text/html"), ("Content-Encoding", "br")]
    )
    [item] = list(read_warc(io.BytesIO(buffer.getvalue()), "b.warc"))
    assert isinstance(item, InputError)
    assert item.origin == "b.warc#0 (https://x.example.cn/br)"
    assert "'br'-compressed; install the brotli package" in item.reason


def test_http_charset_decodes_a_page_that_declares_none(cli: Cli, tmp_path: Path) -> None:
    """A short GBK page with no <meta charset>: only the HTTP header knows (detection guesses EUC-KR)."""
    page = "<html><body><p>各街道：请落实值班制度。</p></body></html>".encode("gbk")
    path = tmp_path / "gbk.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        response(
            writer, "https://www.example.gov.cn/notice", page, [("Content-Type", "text/html; charset=GBK")]
        )
    result = cli("import", str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    hits = json.loads(cli("search", "值班制度", "--json").stdout)["hits"]
    assert len(hits) == 1 and "各街道：请落实值班制度" in hits[0]["snippet"]

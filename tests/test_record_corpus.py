"""Record corpora (SogouCS/SogouCA): many `<doc>` records in one file become one article each."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bulletin.errors import InputError
from bulletin.extract import extract
from bulletin.readers import RawInput, iter_inputs

from .conftest import Cli
from .shared_data import WILD, needs_wild

SOGOU = WILD / "pages" / "news-sogoucs-utf8"


def _record(n: int, title: str, text: str) -> str:
    return (
        f"<doc>\n<url>http://news.example.cn/{n}.shtml</url>\n<docno>d{n:04d}</docno>\n"
        f"<contenttitle>{title}</contenttitle>\n<content>{text}</content>\n</doc>\n"
    )


RECORDS = [
    (
        "区教委部署汛期校园安全工作",
        "区教委召开防汛工作部署会议，要求各校落实汛期值班制度，排查校舍安全隐患。",
    ),
    ("體育館週末開放", "市體育館本週末向市民免費開放，開放時間為上午九時至下午五時。"),
    ("图书馆延长开放时间", "市图书馆自下月起延长开放时间，工作日开放至晚上九点，方便读者借阅。"),
]
CORPUS_TEXT = "".join(_record(n, title, text) for n, (title, text) in enumerate(RECORDS, start=1))


def _read(path: Path, fmt: str | None = None) -> list[RawInput | InputError]:
    return list(iter_inputs([str(path)], fmt=fmt))


def _articles(path: Path) -> list[tuple[str, str | None, str]]:
    items = _read(path)
    assert all(isinstance(item, RawInput) for item in items), items
    return [
        (a.origin, a.title, a.text) for a in (extract(item) for item in items if isinstance(item, RawInput))
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize("name", ["corpus.txt", "news_tensite_xml.dat", "corpus.xml", "corpus"])
def test_each_record_is_one_article_in_either_charset(tmp_path: Path, name: str, encoding: str) -> None:
    path = tmp_path / name
    path.write_bytes(CORPUS_TEXT.encode(encoding))
    assert _articles(path) == [(f"{path}:{n}", t, x) for n, (t, x) in enumerate(RECORDS, start=1)]


def test_a_gzipped_corpus_and_one_found_in_a_folder(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    packed = tmp_path / "in" / "news.sohunews.010806.txt.gz"
    packed.write_bytes(gzip.compress(CORPUS_TEXT.encode("gb18030")))
    (tmp_path / "in" / "sitemap.xml").write_text('<?xml version="1.0"?><urlset></urlset>', encoding="utf-8")
    origins = [item.origin for item in iter_inputs([str(tmp_path / "in")])]
    assert origins == [f"{packed}:{n}" for n in (1, 2, 3)]


def test_a_broken_record_is_one_error_naming_it_and_the_rest_go_on(tmp_path: Path) -> None:
    records = [_record(n, title, text) for n, (title, text) in enumerate(RECORDS * 2, start=1)]
    records[1] = records[1].replace("</content>", "")
    records[3] = records[3].replace("</doc>", "")
    path = tmp_path / "corpus.txt"
    path.write_text("".join(records), encoding="utf-8")
    items = _read(path)
    errors = {item.origin: item.reason for item in items if isinstance(item, InputError)}
    assert set(errors) == {f"{path}:2", f"{path}:4"}
    assert "<content>" in errors[f"{path}:2"] and "</doc>" in errors[f"{path}:4"]
    assert all("\n" not in reason for reason in errors.values())
    assert [item.origin for item in items if isinstance(item, RawInput)] == [
        f"{path}:{n}" for n in (1, 3, 5, 6)
    ]


def test_a_corpus_cut_short_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    path = tmp_path / "corpus.txt"
    data = CORPUS_TEXT.encode("utf-8")
    path.write_bytes(data[: data.rindex(b"</content>")])
    items = _read(path)
    assert [type(item) for item in items] == [RawInput, RawInput, InputError]
    assert items[2].origin == f"{path}:3"


@pytest.mark.parametrize("chunk", [1, 5, 7, 64])
def test_records_cut_across_reads_and_an_oversized_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    from bulletin.readers import records

    monkeypatch.setattr(records, "_CHUNK", chunk)
    big = _record(9, "长文", "很长的正文。" * 100)
    path = tmp_path / "corpus.txt"
    path.write_text(CORPUS_TEXT + big + CORPUS_TEXT, encoding="utf-8")
    items = list(iter_inputs([str(path)], max_size=1000))
    assert [(item.origin, type(item)) for item in items] == [
        (f"{path}:{n}", InputError if n == 4 else RawInput) for n in range(1, 8)
    ]
    assert "--max-size" in str(items[3])
    assert [extract(item).title for item in items if isinstance(item, RawInput)] == [
        t for t, _x in RECORDS
    ] * 2


def test_a_file_of_one_record_stays_one_input_named_by_the_file(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_bytes(_record(1, *RECORDS[0]).encode("utf-8"))
    [item] = _read(path)
    assert isinstance(item, RawInput) and (item.origin, item.data) == (str(path), path.read_bytes())


def test_forced_text_keeps_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "corpus.txt"
    path.write_text(CORPUS_TEXT, encoding="utf-8")
    assert [item.origin for item in _read(path, fmt="text")] == [str(path)]
    assert [item.origin for item in _read(path, fmt="records")] == [f"{path}:{n}" for n in (1, 2, 3)]


def test_import_is_idempotent_and_show_names_the_record(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "corpus.dat"
    path.write_bytes(CORPUS_TEXT.encode("gb18030"))
    first = [json.loads(line) for line in cli("import", "--jsonl", str(path)).stdout.splitlines()]  # type: ignore[attr-defined]
    assert [(e["origin"], e["status"]) for e in first] == [(f"{path}:{n}", "added") for n in (1, 2, 3)]
    again = [json.loads(line) for line in cli("import", "--jsonl", str(path)).stdout.splitlines()]  # type: ignore[attr-defined]
    assert [e["status"] for e in again] == ["unchanged"] * 3
    shown = cli("show", str(first[1]["id"])).stdout  # type: ignore[attr-defined]
    assert f"{path}:2" in shown and RECORDS[1][0] in shown


@needs_wild
def test_the_real_sogou_records_joined_and_in_gbk_read_alike(tmp_path: Path) -> None:
    files = sorted(SOGOU.glob("*.txt"))
    joined = b"".join(path.read_bytes() for path in files)
    utf8, gbk = tmp_path / "sogou.txt", tmp_path / "sogou_gbk.dat"
    utf8.write_bytes(joined)
    gbk.write_bytes(joined.decode("utf-8").encode("gb18030"))
    singles = [
        (extract(RawInput(p.read_bytes(), str(p))).title, extract(RawInput(p.read_bytes(), str(p))).text)
        for p in files
    ]
    for corpus in (utf8, gbk):
        articles = _articles(corpus)
        assert [(title, text) for _origin, title, text in articles] == singles
        assert [origin for origin, _t, _x in articles] == [f"{corpus}:{n}" for n in range(1, len(files) + 1)]
        assert not any("<" in (title or "") + text for _o, title, text in articles)

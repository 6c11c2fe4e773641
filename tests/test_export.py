"""`bulletin export` and `bulletin delete`: what leaves the archive, and what is removed from it."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from bulletin.models import RECORD_FIELDS

from .conftest import Cli
from .shared_data import EXAMPLES

PAGES = [*sorted(EXAMPLES.glob("*.html")), EXAMPLES / "tongnan-education-2023.txt"]


@pytest.fixture
def filled(cli: Cli) -> Cli:
    result = cli("import", "--quiet", *map(str, PAGES))
    assert result.exit_code == 0, result.stderr
    return cli


def records_of(cli: Cli, *args: str) -> list[dict[str, Any]]:
    result = cli("export", *args)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_jsonl_export_holds_every_article_with_the_show_fields(filled: Cli) -> None:
    records = records_of(filled)
    assert len(records) == len(PAGES)
    assert all(tuple(r) == RECORD_FIELDS for r in records)
    shown = json.loads(filled("show", records[0]["id"], "--json", "--no-summary").stdout)
    assert {k: shown[k] for k in RECORD_FIELDS} == records[0]


def test_export_of_a_query_and_filters_holds_only_the_matches(filled: Cli) -> None:
    searched = [h["id"] for h in json.loads(filled("search", "潼南", "--json", "-n", "0").stdout)["hits"]]
    exported = [r["id"] for r in records_of(filled, "潼南")]
    assert exported == searched and exported
    recent = records_of(filled, "--since", "2023")
    assert recent and all(r["date"] >= "2023" for r in recent)
    assert filled("export", "没有这样的词语组合").exit_code == 1


def test_csv_export_round_trips_multiline_text(filled: Cli) -> None:
    out = filled("export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == len(PAGES)
    seed = next(r for r in rows if r["origin"].endswith("tongnan-education-2023.txt"))
    assert "\n" in seed["text"] and "何礼兵" in seed["text"]
    assert "撰稿:石珊" in seed["credits"]


def test_markdown_export_has_a_section_per_article_and_no_live_markup(filled: Cli, tmp_path: Path) -> None:
    page = tmp_path / "markup.html"
    page.write_text(
        "<html><head><title>标题</title></head><body><h1>标题</h1><div class='content'>"
        "<p># 这不是标题 <b>*</b> 正文第一段，内容足够长，用来测试导出的安全性。</p>"
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; 第二段也要足够长，才能被当作正文保留下来。</p>"
        "</div></body></html>",
        encoding="utf-8",
    )
    filled("import", "--quiet", str(page))
    out = filled("export", "--format", "markdown").stdout
    assert out.count("\n## ") == len(PAGES) + 1
    assert "<script>" not in out
    assert "\n# 这不是标题" not in out and "\\# 这不是标题" in out


def test_output_file_and_opensearch_bulk_with_mapping(filled: Cli, tmp_path: Path) -> None:
    target = tmp_path / "bulk.ndjson"
    result = filled("export", "--format", "opensearch", "-o", str(target), "--index-name", "news")
    assert result.exit_code == 0 and result.stdout == ""
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 * len(PAGES)
    mapping = json.loads((tmp_path / "bulk.mapping.json").read_text(encoding="utf-8"))
    properties = mapping["mappings"]["properties"]
    formats = mapping["mappings"]["properties"]["date"]["format"].split("||")
    for action_line, source_line in zip(lines[::2], lines[1::2], strict=True):
        action, source = json.loads(action_line), json.loads(source_line)
        assert action == {"index": {"_index": "news", "_id": source["id"]}}
        assert set(source) <= set(properties)  # "dynamic": "strict" would reject anything else
        if source["date"]:
            assert _date_format(source["date"]) in formats


def _date_format(value: str) -> str:
    for pattern, name in (
        (r"\d{4}", "yyyy"),
        (r"\d{4}-\d{2}", "yyyy-MM"),
        (r"\d{4}-\d{2}-\d{2}", "yyyy-MM-dd"),
        (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", "yyyy-MM-dd'T'HH:mm"),
    ):
        if re.fullmatch(pattern, value):
            return name
    return "strict_date_optional_time"


def test_bulk_file_is_what_the_official_client_sends(filled: Cli, tmp_path: Path) -> None:
    helpers = pytest.importorskip("opensearchpy.helpers")
    from opensearchpy import Connection, OpenSearch

    sent: list[str] = []

    class Recorder(Connection):  # type: ignore[misc]
        def perform_request(self, method, url, params=None, body=None, **kw):  # type: ignore[no-untyped-def]
            text = body.decode("utf-8") if isinstance(body, bytes) else body
            sent.append(text)
            count = text.count("\n") // 2
            items = [{"index": {"status": 201}}] * count
            return 200, {}, json.dumps({"took": 1, "errors": False, "items": items})

    target = tmp_path / "bulk.ndjson"
    filled("export", "--format", "opensearch", "-o", str(target))
    lines = target.read_text(encoding="utf-8").splitlines()
    actions = [
        {
            "_op_type": "index",
            "_index": json.loads(a)["index"]["_index"],
            "_id": json.loads(a)["index"]["_id"],
            "_source": json.loads(s),
        }
        for a, s in zip(lines[::2], lines[1::2], strict=True)
    ]
    client = OpenSearch(hosts=[{"host": "localhost", "port": 9200}], connection_class=Recorder)
    ok, errors = helpers.bulk(client, actions)
    assert (ok, errors) == (len(PAGES), [])
    resent = [json.loads(line) for line in "".join(sent).splitlines()]
    assert resent == [json.loads(line) for line in lines]


def test_a_failed_export_leaves_no_half_file(filled: Cli, tmp_path: Path) -> None:
    result = filled("export", "-o", str(tmp_path / "missing-folder" / "out.jsonl"))
    assert result.exit_code == 2
    assert "missing-folder" in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.rglob("*.partial"))


def test_unknown_format_is_a_clear_error(filled: Cli) -> None:
    result = filled("export", "--format", "xml")
    assert result.exit_code == 2 and "jsonl, csv, markdown, opensearch" in result.stderr


def test_delete_by_id_removes_from_database_and_index(filled: Cli) -> None:
    target = records_of(filled, "潼南")[0]["id"]
    result = filled("delete", target[:6])
    assert result.exit_code == 0 and result.stdout.strip() == target
    assert target not in [r["id"] for r in records_of(filled)]
    assert filled("show", target).exit_code == 2
    assert target not in filled("search", "潼南", "--ids", "-n", "0").stdout
    check = filled("check")
    assert check.exit_code == 0, check.stdout


def test_delete_by_query_needs_yes(filled: Cli) -> None:
    before = len(records_of(filled))
    refused = filled("delete", "--query", "潼南")
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    assert len(records_of(filled)) == before
    done = filled("delete", "--query", "潼南", "--yes")
    assert done.exit_code == 0
    assert len(records_of(filled)) == before - len(done.stdout.split())
    assert filled("search", "潼南").exit_code == 1


def test_delete_reports_unknown_ids_and_removes_the_rest(filled: Cli) -> None:
    target = records_of(filled)[0]["id"]
    result = filled("delete", "ffffffffffff", target)
    assert result.exit_code == 2
    assert "ffffffffffff" in result.stderr
    assert result.stdout.strip() == target


def test_export_escapes_bidi_overrides_as_search_does(cli: Cli, tmp_path: Path) -> None:
    page = tmp_path / "bidi.txt"
    page.write_text(
        "重庆\u202e潼南\u202c通报\n\n潼南区教育委员会通报\u202e反转\u202c文字，以及更多的正文内容。\n",
        encoding="utf-8",
    )
    assert cli("import", "--quiet", str(page)).exit_code == 0
    searched = cli("search", "潼南", "--jsonl").stdout
    assert "\\u202e" in searched and "\u202e" not in searched
    for fmt in ("jsonl", "opensearch"):
        exported = cli("export", "--format", fmt).stdout
        assert "\u202e" not in exported, fmt
        assert "\\u202e" in exported, fmt
        assert any("\u202e" in json.loads(line).get("text", "") for line in exported.splitlines())


def test_opensearch_mapping_names_every_record_field() -> None:
    from bulletin.export import opensearch_mapping

    assert set(opensearch_mapping()["mappings"]["properties"]) == set(RECORD_FIELDS)


@pytest.mark.parametrize(
    ("name", "args", "first"),
    [
        ("out.csv", (), "id,"),
        ("out.md", (), "# "),
        ("out.markdown", (), "# "),
        ("out.jsonl", (), "{"),
        ("out.csv", ("--format", "jsonl"), "{"),
        ("out.txt", ("--format", "md"), "# "),
        ("out.txt", (), "{"),
    ],
)
def test_export_format_comes_from_the_suffix_unless_format_says(
    filled: Cli, tmp_path: Path, name: str, args: tuple[str, ...], first: str
) -> None:
    target = tmp_path / name
    result = filled("export", "-o", str(target), *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith(first)


def test_format_md_is_markdown_on_stdout(filled: Cli) -> None:
    result = filled("export", "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == filled("export", "--format", "markdown").stdout
    assert result.stdout.startswith("# ")


def test_bom_makes_a_csv_excel_reads(filled: Cli, tmp_path: Path) -> None:
    target = tmp_path / "for-excel.csv"
    result = filled("export", "-o", str(target), "--bom")
    assert result.exit_code == 0, result.stderr
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == len(PAGES)
    assert filled("export", "--format", "csv", "--bom").stdout.startswith("\ufeffid,")


@pytest.mark.parametrize("args", [("--bom",), ("--format", "md", "--bom"), ("-o", "x.jsonl", "--bom")])
def test_bom_is_refused_for_other_formats(filled: Cli, tmp_path: Path, args: tuple[str, ...]) -> None:
    result = filled("export", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "--bom goes with CSV" in result.stderr

"""Folder import takes every page a scraper saved, whatever its name, and says what it passed over."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from .conftest import Cli

BODY = "<p>区教委召开全区教育工作会议，部署{n}年重点工作。会议要求各校认真落实安全责任，确保师生平安。</p>"


def _page(n: int) -> bytes:
    title = f"第{n}号通知：关于开展校园安全检查的通知"
    body = BODY.format(n=2000 + n) * 3
    head = f"<head><meta charset='utf-8'><title>{title}</title></head>"
    return f"<!DOCTYPE html><html>{head}<body><h1>{title}</h1>{body}</body></html>".encode()


@pytest.fixture
def scraped(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "a.jhtml").write_bytes(_page(1))
    (folder / "show.php?id=123").write_bytes(_page(2))
    (folder / "index.html?page=2").write_bytes(_page(3))
    (folder / "page.html.gz").write_bytes(gzip.compress(_page(4)))
    (folder / "saved.txt").write_bytes(_page(5))  # a browser's "save as text" kept the HTML
    notes = "会议纪要\n区教委召开全区教育工作会议，部署重点工作。\n"
    (folder / "notes.txt").write_text(notes, encoding="utf-8")
    (folder / "view.cfm2").write_bytes(_page(6))  # a suffix nobody lists: sniffed
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (folder / "site.css").write_text("body { color: red }", encoding="utf-8")
    (folder / "data.bin").write_bytes(bytes(range(256)))
    return folder


def test_every_page_is_taken_whatever_its_name(cli: Cli, scraped: Path) -> None:
    result = cli("import", str(scraped))
    assert result.exit_code == 0, result.stderr
    assert "imported 7 added" in result.stderr
    titles = {hit["title"] for hit in json.loads(cli("search", "--json", "--limit", "20", "").stdout)["hits"]}
    assert {f"第{n}号通知：关于开展校园安全检查的通知" for n in range(1, 7)} <= titles


def test_what_is_passed_over_is_counted_and_named_on_stderr(cli: Cli, scraped: Path) -> None:
    result = cli("import", str(scraped))
    line = next(line for line in result.stderr.splitlines() if "passed over" in line)
    assert "passed over 3 files that are not pages" in line and "logo.png" in line
    assert "passed over" not in result.stdout


def test_html_saved_as_txt_is_read_as_html(cli: Cli, scraped: Path) -> None:
    record = json.loads(cli("extract", "--json", str(scraped / "saved.txt")).stdout)[0]
    assert record["title"] == "第5号通知：关于开展校园安全检查的通知"
    assert "<" not in record["text"] and "DOCTYPE" not in record["text"]


def test_a_damaged_gzip_page_is_one_error_and_the_rest_go_on(cli: Cli, scraped: Path) -> None:
    (scraped / "broken.html.gz").write_bytes(gzip.compress(_page(9))[:40] + b"garbage" * 10)
    result = cli("import", str(scraped))
    assert "broken.html.gz" in result.stderr
    assert "imported 7 added" in result.stderr


def test_origins_are_absolute_whatever_folder_the_import_ran_from(
    cli: Cli, scraped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(scraped.parent)
    assert cli("import", "site/a.jhtml").exit_code == 0
    hit = json.loads(cli("search", "--json", "第1号通知").stdout)["hits"][0]
    assert hit["origin"] == os.path.join(str(scraped), "a.jhtml")


def test_feed_record_origins_are_absolute_too(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = tmp_path / "feed.jsonl"
    record = {"html": _page(7).decode(), "url": "https://example.gov.cn/a.html"}
    feed.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli("import", "feed.jsonl").exit_code == 0
    hit = json.loads(cli("search", "--json", "第7号通知").stdout)["hits"][0]
    assert hit["origin"] == f"{feed}:1"

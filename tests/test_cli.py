"""The command line as a user drives it: stdout, stderr and exit codes checked separately."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import Cli
from .shared_data import EXAMPLES, needs_shared

# The seed bulletin ships in examples/ too, so these tests run even without ../shared.
SEED = EXAMPLES / "tongnan-education-2023.txt"


def test_import_reports_on_stderr_and_keeps_stdout_clean(cli: Cli) -> None:
    result = cli("import", str(EXAMPLES))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "added" in result.stderr and "0 failed" in result.stderr


def test_reimport_is_unchanged(filled: Cli) -> None:
    result = filled("import", str(EXAMPLES))
    assert result.exit_code == 0
    assert " 0 added" in result.stderr or "imported 0 added" in result.stderr
    assert "unchanged" in result.stderr


def test_import_jsonl_lists_each_input(cli: Cli) -> None:
    result = cli("import", "--jsonl", str(EXAMPLES / "tongnan-education-2023.txt"))
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["status"] for r in records] == ["added"]
    assert len(records[0]["id"]) == 12


def test_bad_inputs_are_named_and_the_rest_goes_on(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    binary = tmp_path / "image.html"
    binary.write_bytes(bytes(range(256)) * 40)
    result = cli("import", str(empty), str(binary), str(tmp_path / "missing.txt"), str(SEED))
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert len(lines) == 3
    assert all(line.startswith("bulletin: skipped ") for line in lines)
    assert any("empty.html" in line for line in lines)
    assert any("missing.txt" in line for line in lines)
    assert "1 added" in result.stderr


def test_max_size_rejects_large_inputs(cli: Cli) -> None:
    result = cli("import", "--max-size", "100", str(SEED))
    assert result.exit_code == 1
    assert "--max-size" in result.stderr


def test_import_from_stdin_and_files_from(cli: Cli) -> None:
    text = SEED.read_text(encoding="utf-8")
    result = cli("import", "-", input=text.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    listing = "\n".join(str(p) for p in sorted(EXAMPLES.glob("*.html"))) + "\n"
    result = cli("import", "--files-from", "-", input=listing)
    assert result.exit_code == 0, result.stderr
    assert f"{len(list(EXAMPLES.glob('*.html')))} added" in result.stderr


def test_import_without_inputs_is_a_usage_error(cli: Cli) -> None:
    result = cli("import")
    assert result.exit_code == 2
    assert "nothing to import" in result.stderr


@needs_shared
@pytest.mark.parametrize("query", ["南区", "五心强校", "防溺水", '"教育高质量发展"'])
def test_search_finds_the_seed(filled: Cli, query: str) -> None:
    result = filled("search", "--jsonl", query)
    assert result.exit_code == 0, result.stderr
    origins = [json.loads(line)["origin"] for line in result.stdout.splitlines()]
    assert any(o.endswith("tongnan-education-2023.txt") for o in origins)


def test_search_exit_codes(filled: Cli) -> None:
    assert filled("search", "潼南").exit_code == 0
    none = filled("search", "这个词不存在于任何文章")
    assert none.exit_code == 1
    assert none.stdout == ""
    bad = filled("search", '"unclosed')
    assert bad.exit_code == 2
    assert bad.stdout == ""
    assert bad.stderr.startswith("bulletin: error: unbalanced quote")
    assert "Traceback" not in bad.stderr


def test_search_plain_lines_are_tab_separated(filled: Cli) -> None:
    result = filled("search", "潼南")
    fields = result.stdout.splitlines()[0].split("\t")
    assert len(fields) == 5
    assert len(fields[0]) == 12


def test_search_json_formats(filled: Cli) -> None:
    page = json.loads(filled("search", "--json", "潼南").stdout)
    assert page["total"] == len(page["hits"]) and page["offset"] == 0
    array = page["hits"]
    assert array and set(array[0]) == {
        "rank",
        "id",
        "score",
        "title",
        "display_title",
        "date",
        "source",
        "url",
        "origin",
        "snippet",
        "highlights",
        "copies",
    }
    for hit in array:
        for start, end in hit["highlights"]:
            assert hit["snippet"][start:end] == "潼南"
    csv_out = filled("search", "--csv", "潼南").stdout.splitlines()
    assert csv_out[0] == "rank,id,score,title,display_title,date,source,url,origin,snippet,copies"
    ids = filled("search", "--ids", "潼南").stdout.split()
    assert ids == [h["id"] for h in array]


def test_search_count_and_facet(filled: Cli) -> None:
    assert filled("search", "--count", "潼南").stdout.strip().isdigit()
    facet = json.loads(filled("search", "--facet", "year", "--json", "").stdout)
    assert sum(row["count"] for row in facet) == 7


def test_two_formats_at_once_is_a_usage_error(filled: Cli) -> None:
    result = filled("search", "--json", "--csv", "潼南")
    assert result.exit_code == 2


@pytest.mark.parametrize(
    "args",
    [
        ("search", "--json", "--csv", "潼南"),
        ("similar", "abcd", "--jsonl", "--ids"),
        ("summarize", "--json", "--plain"),
        ("show", "abcd", "--json", "--raw"),
        ("extract", "--json", "--jsonl", str(SEED)),
        ("duplicates", "--json", "--jsonl"),
    ],
)
def test_every_command_refuses_two_output_formats(filled: Cli, args: tuple[str, ...]) -> None:
    result = filled(*args)
    assert result.exit_code == 2
    assert "choose one of" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("command", ["stats", "duplicates", "check"])
def test_plain_gives_a_terminal_the_lines_a_pipe_gets(filled: Cli, command: str) -> None:
    piped, on_tty = filled(command), filled(command, "--plain", tty=True)
    assert on_tty.exit_code == piped.exit_code
    assert on_tty.stdout == piped.stdout


def test_terminal_table_when_stdout_is_a_tty(filled: Cli) -> None:
    result = filled("search", "防溺水", tty=True)
    assert result.exit_code == 0
    assert "防溺水" in result.stdout and "hits" in result.stdout


def test_show_plain_json_and_raw(filled: Cli) -> None:
    article_id = filled("search", "--ids", "五心强校").stdout.split()[0]
    plain = filled("show", article_id)
    assert plain.exit_code == 0
    assert "何礼兵" in plain.stdout and f"id: {article_id}" in plain.stdout
    record = json.loads(filled("show", "--json", article_id).stdout)
    assert record["id"] == article_id and "展开全文" not in record["text"]
    raw = filled("show", "--raw", article_id[:6])
    assert raw.stdout_bytes == SEED.read_bytes()


def test_similar_lists_other_articles_in_every_format(filled: Cli) -> None:
    article_id = filled("search", "--ids", "防溺水").stdout.split()[0]
    listed = filled("similar", "--ids", article_id)
    assert listed.exit_code == 0 and listed.stderr == ""
    ids = listed.stdout.split()
    assert ids and article_id not in ids and len(set(ids)) == len(ids)
    # The other 防溺水 notice (the same subject, other words) comes first.
    assert ids[0] == filled("search", "--ids", "防溺水").stdout.split()[1]
    records = json.loads(filled("similar", "--json", "--limit", "2", article_id).stdout)["hits"]
    assert [r["id"] for r in records] == ids[:2] and records[0]["score"] >= records[1]["score"]
    lines = filled("similar", "--jsonl", article_id[:6]).stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ids
    plain = filled("similar", "--plain", article_id).stdout.splitlines()
    assert [line.split("\t")[0] for line in plain] == ids
    unknown = filled("similar", "ffffffffffff")
    assert unknown.exit_code == 2 and "no article with id" in unknown.stderr and unknown.stdout == ""


def test_similar_finds_nothing_in_an_archive_of_one(cli: Cli) -> None:
    assert cli("import", "--quiet", str(SEED)).exit_code == 0
    article_id = cli("search", "--ids", "五心强校").stdout.strip()
    result = cli("similar", article_id)
    assert (result.exit_code, result.stdout) == (1, "")


def test_show_unknown_id(filled: Cli) -> None:
    result = filled("show", "ffffffffffff")
    assert result.exit_code == 2
    assert "no article with id" in result.stderr


def test_search_without_archive_says_how_to_start(cli: Cli) -> None:
    result = cli("search", "潼南")
    assert result.exit_code == 2
    assert "bulletin import" in result.stderr


def test_stats(filled: Cli) -> None:
    data = json.loads(filled("stats", "--json").stdout)
    assert data["articles"] == 7 and data["index_documents"] == 7
    assert data["first_date"] <= data["last_date"]


def test_extract_prints_records_without_an_archive(cli: Cli, archive_dir: Path) -> None:
    result = cli("extract", "--json", str(SEED))
    assert result.exit_code == 0
    [record] = json.loads(result.stdout)
    assert "展开全文" not in record["text"]
    assert not archive_dir.exists()


def test_markup_and_escapes_in_content_never_reach_the_terminal(cli: Cli, tmp_path: Path) -> None:
    page = tmp_path / "evil.txt"
    page.write_text(
        "恶意标题\n[bold red]假粗体[/bold red] 正文\x1b]8;;http://x\x07链接\x1b[31m红字\x9b2J\n第二段内容。\n",
        encoding="utf-8",
    )
    assert cli("import", "--quiet", str(page)).exit_code == 0
    for tty in (False, True):
        out = cli("search", "假粗体", tty=tty).stdout
        # Our own colours are SGR sequences; once they are removed no escape byte may remain.
        out = re.sub(r"\x1b\[[0-9;]*m", "", out)
        assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
        assert "假粗体[/bold red]" in out  # markup shows literally
    shown = cli("show", cli("search", "--ids", "正文").stdout.split()[0], tty=True).stdout
    assert "[bold red]假粗体[/bold red]" in shown
    assert "\x1b]8;;http" not in shown and "\x07" not in shown
    as_json = cli("search", "--jsonl", "正文").stdout
    assert "\x1b" not in as_json and "\x07" not in as_json


def test_reindex_and_check(filled: Cli) -> None:
    assert filled("check").exit_code == 0
    result = filled("reindex")
    assert result.exit_code == 0 and "reindexed 7" in result.stderr
    assert filled("search", "--count", "五心强校").stdout.strip() == "1"


def test_archive_from_a_newer_version_is_refused(filled: Cli, archive_dir: Path) -> None:
    import sqlite3

    with sqlite3.connect(archive_dir / "archive.sqlite") as db:
        db.execute("UPDATE meta SET value = '999' WHERE key = 'store_version'")
    result = filled("search", "潼南")
    assert result.exit_code == 2
    assert "newer bulletin" in result.stderr and "upgrade" in result.stderr


def test_unusable_index_is_rebuilt_from_the_database(filled: Cli, archive_dir: Path) -> None:
    (archive_dir / "index" / "CURRENT").write_text("gen-999999 1\n")
    check = filled("check")
    assert check.exit_code == 1 and "index:" in check.stdout
    result = filled("search", "--count", "五心强校")
    assert result.exit_code == 0 and result.stdout.strip() == "1"
    assert "rebuilding it from the archive database" in result.stderr
    assert filled("check").exit_code == 0


def test_ctrl_c_outside_a_handler_still_says_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """Typer turns a KeyboardInterrupt into a bare exit 130; the user must still be told why."""
    import bulletin.archive
    from bulletin.cli import main

    def interrupted(self: object) -> None:
        raise KeyboardInterrupt

    bulletin.archive.Archive(tmp_path / "a", create=True).close()
    monkeypatch.setattr(bulletin.archive.Archive, "stats", interrupted)
    with pytest.raises(SystemExit) as exit_info:
        main(["--archive", str(tmp_path / "a"), "stats"])
    assert exit_info.value.code == 130
    assert "interrupted" in capfd.readouterr().err


def test_a_bug_exits_2_with_its_traceback_and_a_line_to_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """Python would exit 1 ("nothing found" in grep's terms) on an uncaught exception."""
    import bulletin.archive
    from bulletin.cli import main

    def broken(self: object) -> None:
        raise AttributeError("'W3TermInfo' object has no attribute 'set_inline'")

    bulletin.archive.Archive(tmp_path / "a", create=True).close()
    monkeypatch.setattr(bulletin.archive.Archive, "stats", broken)
    with pytest.raises(SystemExit) as exit_info:
        main(["--archive", str(tmp_path / "a"), "stats"])
    assert exit_info.value.code == 2
    err = capfd.readouterr().err
    assert "Traceback" in err and "set_inline" in err
    assert err.rstrip().splitlines()[-1].startswith("bulletin: internal error (AttributeError)")

"""`--help` as a new user reads it: whole descriptions, listed choices, the query language taught."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin import search
from bulletin.cli import app
from bulletin.cli.commands import COMMANDS
from bulletin.cli.helptext import hoist_global_options
from bulletin.cli.options import FACETS, INPUT_FORMATS, SORTS
from bulletin.readers.registry import FORMATS

from .conftest import Cli
from .shared_data import EXAMPLES

NAMES = [name for name, _ in COMMANDS]


def help_of(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.stdout


def width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize("command", ["", *NAMES])
def test_help_has_no_stray_escapes_and_fits_80_columns(command: str) -> None:
    text = help_of(*([command] if command else []))
    assert "\\[" not in text
    assert "[default: " in text or command in ("delete", "reindex", "check", "stats", "duplicates", "")
    assert max(width(line) for line in text.splitlines()) <= 80


def test_command_list_is_not_cut_mid_phrase() -> None:
    text = help_of()
    listing = " ".join(text[text.index("Commands:") :].split())
    assert "..." not in listing
    assert "WARC web archives." in listing and "original hashes." in listing


def test_search_help_teaches_the_query_language() -> None:
    text = help_of("search")
    for example in (
        "OR",
        "NOT",
        " -招聘",
        '"',
        "(防溺水 OR 安全)",
        "title:",
        "source:",
        "author:",
        "tag:",
        "site:",
    ):
        assert example in text, example
    assert "--since 2023 --until 2023-06" in text
    assert "[QUERY]  Words" in text  # arguments carry their help


def test_choices_are_listed_instead_of_text() -> None:
    assert "--sort [relevance|date|-date]" in help_of("search")
    assert "--facet [source|year|month]" in help_of("search")
    assert "--sort [relevance|date|-date]" in help_of("export")
    assert "--format [jsonl|csv|markdown|md|opensearch]" in help_of("export")
    assert "--format [auto|html|text|jsonl|warc|records]" in help_of("import")
    assert "--color [auto|always|never]" in help_of()
    assert (SORTS, FACETS, INPUT_FORMATS) == (search.SORTS, search.FACETS, FORMATS)


def test_an_unknown_choice_is_a_usage_error(cli: Cli) -> None:
    result = cli("search", "--sort", "sideways", "教育")
    assert result.exit_code == 2 and result.stdout == ""
    assert "'sideways' is not one of 'relevance', 'date', '-date'" in result.stderr


def test_hoisting_global_options() -> None:
    assert hoist_global_options(["search", "教育", "--archive", "X", "-n", "3"]) == [
        "--archive",
        "X",
        "search",
        "教育",
        "-n",
        "3",
    ]
    assert hoist_global_options(["--color", "never", "show", "id", "--color=always", "--no-pager"]) == [
        "--color",
        "never",
        "--color=always",
        "--no-pager",
        "show",
        "id",
    ]
    assert hoist_global_options(["search", "--", "--archive"]) == ["search", "--", "--archive"]


def test_global_options_work_after_the_subcommand(tmp_path: Path) -> None:
    archive = str(tmp_path / "late-archive")
    runner = CliRunner()
    imported = runner.invoke(app, ["import", "--quiet", str(EXAMPLES), "--archive", archive])
    assert imported.exit_code == 0, imported.stderr
    found = runner.invoke(app, ["search", "教育", "--archive", archive, "--color", "never", "--ids"])
    assert found.exit_code == 0, found.stderr
    assert found.stdout.split() and found.stderr == ""
    assert (tmp_path / "late-archive").is_dir()

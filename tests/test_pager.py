"""Paging like git: only a terminal's long views, $BULLETIN_PAGER/$PAGER/less -R, --no-pager; colour flags."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.cli.pager import DEFAULT_PAGER, pager_command
from bulletin.console import Env

from .conftest import Cli
from .shared_data import EXAMPLES

TTY = Env(stdout_tty=True, stderr_tty=True, color=True)
PIPE = Env(stdout_tty=False, stderr_tty=True, color=False)


@pytest.mark.parametrize(
    ("env", "enabled", "environ", "expected"),
    [
        (TTY, True, {}, DEFAULT_PAGER),
        (TTY, True, {"PAGER": "most"}, "most"),
        (TTY, True, {"PAGER": "most", "BULLETIN_PAGER": "less -S"}, "less -S"),
        (TTY, True, {"PAGER": ""}, None),
        (TTY, True, {"PAGER": "less", "BULLETIN_PAGER": ""}, None),
        (TTY, True, {"PAGER": "cat"}, None),
        (TTY, False, {}, None),
        (PIPE, True, {}, None),
        (PIPE, True, {"BULLETIN_PAGER": "less"}, None),
        (Env(stdout_tty=False, stderr_tty=False, color=True, force_color=True), True, {}, None),
    ],
)
def test_pager_choice(env: Env, enabled: bool, environ: dict[str, str], expected: str | None) -> None:
    assert pager_command(env, enabled=enabled, environ=environ) == expected


@pytest.fixture
def filled(cli: Cli) -> tuple[Cli, str]:
    result = cli("import", "--jsonl", str(EXAMPLES))
    assert result.exit_code == 0, result.stderr
    return cli, json.loads(result.stdout.splitlines()[0])["id"]


@pytest.fixture
def pager_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "paged.txt"
    monkeypatch.setenv("BULLETIN_PAGER", f"cat > '{target}'")
    return target


@pytest.mark.parametrize(
    "args",
    [
        ("search", "教育"),
        ("show", "ID"),
        ("summarize", "教育"),
        ("stats",),
        ("extract", str(EXAMPLES / "gbk-news.html")),
    ],
)
def test_terminal_views_go_through_the_pager(
    filled: tuple[Cli, str], pager_file: Path, args: tuple[str, ...]
) -> None:
    cli, first = filled
    args = tuple(first if a == "ID" else a for a in args)
    result = cli(*args, tty=True)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert pager_file.read_text(encoding="utf-8").strip()


def test_a_pipe_is_never_paged(filled: tuple[Cli, str], pager_file: Path) -> None:
    cli, first = filled
    for args in (("search", "教育"), ("show", first), ("summarize", "教育")):
        result = cli(*args, tty=False)
        assert result.exit_code == 0 and result.stdout
    assert not pager_file.exists()


def test_no_pager_prints_straight_to_the_terminal(filled: tuple[Cli, str], pager_file: Path) -> None:
    cli, _ = filled
    result = cli("--no-pager", "search", "教育", tty=True)
    assert result.exit_code == 0 and "hits" in result.stdout
    assert not pager_file.exists()


def test_color_always_keeps_the_coloured_view_into_a_pipe(filled: tuple[Cli, str]) -> None:
    cli, _ = filled
    runner = CliRunner()
    coloured = runner.invoke(app, ["--archive", str(cli.archive), "--color", "always", "search", "教育"])
    assert coloured.exit_code == 0
    assert "\x1b[" in coloured.stdout and "hits" in coloured.stdout
    plain = runner.invoke(app, ["--archive", str(cli.archive), "search", "教育"])
    assert "\x1b[" not in plain.stdout and "\t" in plain.stdout


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_color_and_color_never_turn_colour_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Env.detect("auto", FakeTty(), FakeTty()).color
    assert not Env.detect("never", FakeTty(), FakeTty()).color
    monkeypatch.setenv("NO_COLOR", "1")
    assert not Env.detect("auto", FakeTty(), FakeTty()).color
    assert Env.detect("always", io.StringIO(), io.StringIO()).color  # the flag beats the variable

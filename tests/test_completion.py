"""Shell completion installs and completes commands, options and choices; -V is --version."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from bulletin import __version__
from bulletin.cli import app

from .shared_data import REPO


def bulletin(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONPATH": str(REPO / "src"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bulletin", *args], capture_output=True, text=True, env=full, timeout=120
    )


def completions(words: str) -> list[str]:
    cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    env = {"_BULLETIN_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
    result = bulletin(env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_completion_names_commands_options_and_choices() -> None:
    assert completions("bulletin sea") == ["search"]
    assert "--sort" in completions("bulletin search --so")
    assert completions("bulletin search --sort ") == ["relevance", "date", "-date"]


def test_install_completion_writes_the_script_for_the_shell(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    result = bulletin("--install-completion", "bash", env=env)
    assert result.returncode == 0, result.stderr
    script = tmp_path / ".bash_completions" / "bulletin.sh"
    assert "_BULLETIN_COMPLETE" in script.read_text()
    assert str(script) in (tmp_path / ".bashrc").read_text()
    shown = bulletin("--show-completion", "bash", env=env)
    assert shown.returncode == 0 and "complete_bash" in shown.stdout


def test_dash_v_prints_the_version() -> None:
    for flag in ("-V", "--version"):
        result = CliRunner().invoke(app, [flag])
        assert result.exit_code == 0
        assert result.stdout == f"bulletin {__version__}\n"

"""Packaging promises: imports cleanly under -W error, runs as a module and as a script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .shared_data import EXAMPLES


def test_cli_imports_with_syntax_warnings_as_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-W", "error::SyntaxWarning", "-c", "import bulletin.cli"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_python_dash_m_shows_help() -> None:
    result = subprocess.run([sys.executable, "-m", "bulletin", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("import", "search", "show", "extract", "stats", "reindex", "check"):
        assert command in result.stdout


def test_a_search_process_prints_everything_and_exits_like_grep(tmp_path: Path) -> None:
    """A read-only command ends without the interpreter's teardown: its output must still all
    arrive, through a pipe, with grep's exit codes."""
    archive = str(tmp_path / "archive")
    base = [sys.executable, "-m", "bulletin", "--archive", archive]
    env = {**os.environ, "BULLETIN_SERVER": "off"}
    imported = subprocess.run([*base, "import", "--quiet", str(EXAMPLES)], capture_output=True, env=env)
    assert imported.returncode == 0, imported.stderr
    found = subprocess.run([*base, "search", "--jsonl", "--limit", "0", "的"], capture_output=True, env=env)
    records = [json.loads(line) for line in found.stdout.decode("utf-8").splitlines()]
    assert found.returncode == 0 and len(records) >= 5 and records[-1]["rank"] == len(records)
    none = subprocess.run([*base, "search", "不存在的词语组合"], capture_output=True, env=env)
    assert (none.returncode, none.stdout) == (1, b"")
    bad = subprocess.run([*base, "search", '"教育'], capture_output=True, env=env)
    assert bad.returncode == 2 and b"unbalanced quote" in bad.stderr
    stats = subprocess.run([*base, "stats"], capture_output=True, env=env)
    assert stats.returncode == 0 and b"articles\t" in stats.stdout

"""Packaging promises: imports cleanly under -W error, runs as a module and as a script."""

from __future__ import annotations

import subprocess
import sys


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

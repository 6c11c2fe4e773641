"""Shared fixtures: paths to the real inputs, archives in temp folders, a CLI runner."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin.cli import State, app
from bulletin.console import Env

from .shared_data import CORPUS, EXAMPLES, SEED, SHARED  # noqa: F401  (re-exported for tests)


class Cli:
    """Runs `bulletin` in-process against one archive; stdout and stderr stay separate."""

    def __init__(self, archive: Path, tty: bool = False) -> None:
        self.archive = archive
        self.runner = CliRunner()
        self.tty = tty

    def __call__(
        self,
        *args: str,
        input: str | bytes | None = None,
        tty: bool | None = None,
        stderr_tty: bool = False,
        width: int = 120,
    ) -> object:
        use_tty = self.tty if tty is None else tty
        env = Env(stdout_tty=use_tty, stderr_tty=stderr_tty, color=use_tty, width=width)
        return self.runner.invoke(
            app,
            ["--archive", str(self.archive), *args],
            input=input,
            obj=State(archive_option=None, env=env),
            catch_exceptions=False,
        )


@pytest.fixture
def archive_dir(tmp_path: Path) -> Path:
    return tmp_path / "archive"


@pytest.fixture
def cli(archive_dir: Path) -> Cli:
    return Cli(archive_dir)


@pytest.fixture
def filled(cli: Cli) -> Cli:
    """The CLI on an archive holding examples/ (committed: no ../shared needed)."""
    result = cli("import", "--quiet", str(EXAMPLES))
    assert result.exit_code == 0, result.stderr
    return cli


@pytest.fixture(autouse=True)
def _no_user_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Never touch the real user data folder from a test.
    monkeypatch.setenv("BULLETIN_ARCHIVE", str(tmp_path / "env-archive"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("BULLETIN_PAGER", "")  # terminal views in tests never start a real pager
    monkeypatch.delenv("BULLETIN_SERVER", raising=False)  # a developer's own setting must not start servers
    yield
    os.environ.pop("BULLETIN_TEST", None)

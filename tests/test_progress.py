"""Progress counts articles: the library reports through a callback, the CLI draws n/N on stderr."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from bulletin.archive import open_archive
from bulletin.cli.progress import columns
from bulletin.readers import RawInput

from .conftest import Cli
from .shared_data import EXAMPLES


def notice(n: int) -> RawInput:
    day = n % 28 + 1
    text = f"第{n}号通知\n\n各学校：请于{day}日前报送第{n}期防溺水安全教育工作总结，逾期不候。"
    return RawInput(text.encode("utf-8"), f"notice-{n}.txt", kind="text")


def test_import_reports_progress_finer_than_a_chunk(tmp_path: Path) -> None:
    steps: list[int] = []
    with open_archive(tmp_path / "a", create=True) as archive:
        events = list(archive.import_inputs((notice(n) for n in range(1200)), jobs=2, progress=steps.append))
    assert len(events) == 1200
    assert sum(steps) == 1200
    assert max(steps) < 1000 and len(steps) > 4  # not one jump per 1,000-article chunk


def test_known_inputs_count_too_and_reindex_reports_each_article(tmp_path: Path) -> None:
    with open_archive(tmp_path / "a", create=True) as archive:
        list(archive.import_inputs([notice(n) for n in range(5)], jobs=1))
        steps: list[int] = []
        list(archive.import_inputs([notice(n) for n in range(7)], jobs=1, progress=steps.append))
        assert sum(steps) == 7
        reports: list[tuple[int, int]] = []
        assert archive.reindex(progress=lambda done, total: reports.append((done, total))) == 7
    assert reports == [(n, 7) for n in range(1, 8)]


def test_columns_show_n_of_total_rate_and_time_left_or_a_spinner() -> None:
    for counted, total, expected in ((True, 40, "12/40 articles"), (False, None, "12 articles")):
        out = io.StringIO()
        console = Console(file=out, width=100, force_terminal=False)
        with Progress(*columns(counted), console=console, auto_refresh=False) as progress:
            task = progress.add_task("importing", total=total)
            progress.advance(task, 12)
            progress.refresh()
        assert expected in out.getvalue()


def test_import_and_reindex_draw_progress_on_a_terminal_stderr_only(cli: Cli) -> None:
    total = len([p for p in EXAMPLES.iterdir() if p.suffix in (".html", ".txt", ".jsonl", ".gz")])
    imported = cli("import", str(EXAMPLES), stderr_tty=True)
    assert imported.exit_code == 0 and imported.stdout == ""
    assert "importing" in imported.stderr and "articles" in imported.stderr
    assert total > 1
    reindexed = cli("reindex", stderr_tty=True)
    assert reindexed.exit_code == 0 and reindexed.stdout == ""
    assert "reindexing" in reindexed.stderr and "reindexed" in reindexed.stderr
    quiet = cli("reindex")
    assert "reindexing" not in quiet.stderr

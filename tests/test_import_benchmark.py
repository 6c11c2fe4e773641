"""The import benchmark's pure helpers: rate windows, the rate hold, file kinds, verdicts."""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "import.py"


def _load() -> ModuleType:
    """benchmarks/import.py as a module (its name is a keyword, so no plain import)."""
    spec = importlib.util.spec_from_file_location("import_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


bench = _load()


def test_time_at_interpolates_between_the_samples_around_a_count() -> None:
    samples = [(5.0, 0), (10.0, 1000), (15.0, 2000)]
    assert bench.time_at(samples, 0) == 0.0
    assert bench.time_at(samples, 500) == pytest.approx(7.5)
    assert bench.time_at(samples, 1000) == pytest.approx(10.0)
    assert bench.time_at(samples, 1500) == pytest.approx(12.5)
    assert bench.time_at(samples, 2001) is None


def test_windows_are_tenths_of_the_count_at_least_a_commit_wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "COMMIT_CHUNK", 1000)  # these samples commit 1000 at a time
    steady = [(float(k), 1000 * k) for k in range(1, 21)]  # 1000 articles a second
    tenths = bench.windows(steady, 20_000)
    assert [(w.first, w.last) for w in tenths[:2]] == [(0, 2000), (2000, 4000)]
    assert len(tenths) == 10
    assert all(w.rate == pytest.approx(1000.0) for w in tenths)
    thirds = bench.windows(steady[:3], 3000)
    assert [(w.first, w.last) for w in thirds] == [(0, 1000), (1000, 2000), (2000, 3000)]
    assert len(bench.windows([(3.0, 600)], 600)) == 1


def test_the_hold_compares_the_last_window_with_the_one_around_10k() -> None:
    # 1000 articles a second up to 50k, then half as fast.
    samples = [(float(k), 1000 * k) for k in range(1, 51)]
    samples += [(50.0 + 2 * k, 50_000 + 1000 * k) for k in range(1, 51)]
    change, last, base = bench.hold(bench.windows(samples, 100_000))
    assert (base.first, base.last) == (10_000, 20_000)
    assert (last.first, last.last) == (90_000, 100_000)
    assert change == pytest.approx(-0.5)


def test_a_short_import_holds_against_its_first_window_after_start_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bench, "COMMIT_CHUNK", 1000)  # these samples commit 1000 at a time
    samples = [(4.0, 1000), (5.0, 2000), (6.0, 3000), (7.0, 4000)]
    change, _last, base = bench.hold(bench.windows(samples, 4000))
    assert (base.first, base.last) == (1000, 2000)
    assert change == pytest.approx(0.0)
    assert bench.hold(bench.windows(samples[:2], 2000)) is None  # start-up and last only


def test_archive_files_are_sorted_by_kind(tmp_path: Path) -> None:
    generation = tmp_path / "index" / "gen-000001"
    generation.mkdir(parents=True)
    for name, size in [
        ("MAIN_a.seg", 30), ("MAIN_a.bpa", 20), ("MAIN_b.bpr", 7), ("_MAIN_1.toc", 2), ("MAIN_WRITELOCK", 0),
    ]:  # fmt: skip
        (generation / name).write_bytes(b"x" * size)
    (tmp_path / "archive.sqlite").write_bytes(b"x" * 40)
    (tmp_path / "archive.sqlite-wal").write_bytes(b"x" * 4)
    (tmp_path / "index" / "CURRENT").write_bytes(b"x")
    expected = {"sqlite": 44, "segments": 30, "arrays": 20, "runs": 7, "other": 3}
    assert bench.sizes_by_kind(tmp_path) == expected


def test_committed_counts_articles_and_skips_an_unreadable_database(tmp_path: Path) -> None:
    database = tmp_path / "archive.sqlite"
    assert bench.committed(database) is None
    with closing(sqlite3.connect(database)) as db:
        db.execute("create table articles (id text)")
        db.executemany("insert into articles values (?)", [("a",), ("b",)])
        db.commit()
    assert bench.committed(database) == 2
    assert bench.committed(database) == 2  # read-only: nothing was created or changed


def test_verdicts_name_the_figure_and_the_outcome() -> None:
    assert bench.verdict("rate", "400/s (≥333)", True) == "rate 400/s (≥333): met"
    assert bench.verdict("rate", "200/s (≥333)", False) == "rate 200/s (≥333): missed"
    assert bench.verdict("speed-up", "", None) == "speed-up: not measured"

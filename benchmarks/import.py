"""Import throughput: `bulletin import` against a naive Whoosh+jieba pipeline, same input, same run.

    python benchmarks/import.py [--count 10000] [--naive-count N] [--workdir /tmp/bulletin-import]
                                [--skip-naive] [--reindex] [--search] [--sample-every 5]

The corpus is generated deterministically by benchmarks/corpus_gen.py (real sentences, half
HTML pages, half text dumps) and written once under --workdir. Each contender runs in a fresh
process on a fresh archive; peak RSS is the largest sum of resident memory over the whole
process tree (sampled every 50 ms from /proc), so worker processes count.

The naive pipeline is what a first attempt looks like: one process, BeautifulSoup get_text,
jieba's Whoosh ChineseAnalyzer, one writer committed at the end. `--naive-count` runs it on
the first N articles only (it slows as it grows, so its rate at N flatters it).

While `bulletin import` runs, the articles committed so far are read from the archive's
database (read-only) every --sample-every seconds; the rate per tenth of --count comes from
those samples, interpolated (the import commits 1000 articles at a time, so below 10,000
articles the windows are fewer, each a commit at least). The archive's size is reported
against the input's, by kind of file. `--reindex` then times `bulletin reindex`,
`--search` runs benchmarks/search.py on the archive, and a last line sets the figures
against the targets of issue #19.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_gen
from bulletin.archive.importer import CHUNK

HERE = Path(__file__).resolve().parent

NAIVE = r"""
import sys, pathlib
from bs4 import BeautifulSoup
from jieba.analyse import ChineseAnalyzer
from whoosh import index
from whoosh.fields import ID, TEXT, Schema

corpus, out, count = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
out.mkdir(parents=True)
analyzer = ChineseAnalyzer()
schema = Schema(id=ID(stored=True, unique=True), title=TEXT(analyzer=analyzer, stored=True),
                text=TEXT(analyzer=analyzer))
ix = index.create_in(str(out), schema)
writer = ix.writer(limitmb=256)
files = sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))[:count]
for path in files:
    data = path.read_bytes().decode("utf-8", "replace")
    if path.suffix == ".html":
        soup = BeautifulSoup(data, "html.parser")
        title = soup.title.get_text() if soup.title else ""
        text = soup.get_text("\n")
    else:
        title, _, text = data.partition("\n")
    writer.add_document(id=path.name, title=title, text=text)
writer.commit()
"""

MB = 2**20
COMMIT_CHUNK = CHUNK  # articles per import commit
# Issue #19's targets.
TARGET_RATE = 333.0  # articles/s, end to end
TARGET_HOLD = -0.15  # the last window's rate against the one around 10k articles
TARGET_SPEEDUP = 4.0  # over the naive pipeline
TARGET_RSS_MB = 1024.0  # peak RSS of the process tree
TARGET_RATIO = 4.0  # archive bytes per input byte
REFERENCE_AT = 10_000  # "the rate at 10k"
# What sits in an archive: ARCHIVE/archive.sqlite (and its -wal/-shm), and in
# ARCHIVE/index/<generation>/ Whoosh's segment files, each bulk-written segment's posting
# arrays and the runs that merge those of consecutive segments (bulletin.index.whoosh).
KINDS = ("sqlite", "segments", "arrays", "runs", "other")
SUFFIX_KINDS = {".seg": "segments", ".bpa": "arrays", ".bpr": "runs"}

Sample = tuple[float, int]  # seconds since the command started, articles committed by then


@dataclass(frozen=True)
class Run:
    """One contender's measurements."""

    name: str
    articles: int
    seconds: float
    peak_rss_mb: float
    size_mb: float
    samples: tuple[Sample, ...] = ()

    @property
    def rate(self) -> float:
        """Articles per second."""
        return self.articles / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Window:
    """The import's progress from article `first` to article `last`, in `seconds`."""

    first: int
    last: int
    seconds: float

    @property
    def rate(self) -> float:
        """Articles per second over the window."""
        return (self.last - self.first) / self.seconds if self.seconds > 0 else 0.0


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc (0 when gone)."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(c) for c in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def committed(database: Path) -> int | None:
    """Articles committed to an archive's database so far, read-only; None when it cannot be
    read yet (missing, locked, mid-creation): that sample is skipped."""
    try:
        uri = f"{database.resolve().as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=1.0)) as db:
            return int(db.execute("select count(*) from articles").fetchone()[0])
    except (sqlite3.Error, OSError):
        return None


def _every(seconds: float, done: threading.Event, work: Callable[[], None]) -> threading.Thread:
    """A started daemon thread doing `work` every `seconds` until `done` is set."""

    def loop() -> None:
        while not done.wait(seconds):
            work()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return thread


def measure(
    name: str,
    command: list[str],
    articles: int,
    out: Path,
    counter: Callable[[], int | None] | None = None,
    every: float = 5.0,
) -> Run:
    """Run a command to completion, sampling its process tree's RSS (and, given a `counter`,
    its progress every `every` seconds); fail loudly on error."""
    peak = 0
    samples: list[Sample] = []
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample_rss() -> None:
        nonlocal peak
        peak = max(peak, _tree_rss(proc.pid))

    def sample_count() -> None:
        found = counter() if counter is not None else None
        if found is not None:
            samples.append((time.perf_counter() - started, found))

    threads = [_every(0.05, done, sample_rss)]
    if counter is not None:
        threads.append(_every(every, done, sample_count))
    _, err = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    for thread in threads:
        thread.join()
    if proc.returncode not in (0, 1):  # bulletin exits 1 when some inputs were skipped
        raise SystemExit(f"{name} failed ({proc.returncode}):\n{err.decode(errors='replace')[-2000:]}")
    if not peak:  # no /proc: getrusage knows the largest single descendant, a floor
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return Run(name, articles, seconds, peak / MB, size / MB, tuple(samples))


def _archived(archive: Path) -> int:
    """Articles in the archive's database and in its search index (the smaller)."""
    from bulletin.index import open_index

    with closing(sqlite3.connect(archive / "archive.sqlite")) as db:
        stored = int(db.execute("select count(*) from articles").fetchone()[0])
    return min(stored, open_index(archive / "index").doc_count())


def time_at(samples: Sequence[Sample], articles: float) -> float | None:
    """When the committed count first reached `articles`, interpolated linearly between the
    last sample below it and the first at or above it (from 0 articles at 0 s); None if never."""
    if articles <= 0:
        return 0.0
    below: Sample = (0.0, 0)
    for seconds, count in samples:
        if count >= articles:
            start, before = below
            return start + (seconds - start) * (articles - before) / (count - before)
        below = (seconds, count)
    return None


def windows(samples: Sequence[Sample], total: int) -> list[Window]:
    """The import's progress over each tenth of its `total` articles (fewer, wider windows when
    a tenth would be under one commit: narrower ones would only be interpolated)."""
    parts = max(1, min(10, total // COMMIT_CHUNK))
    bounds = [round(total * k / parts) for k in range(parts + 1)]
    found = []
    for first, last in itertools.pairwise(bounds):
        start, end = time_at(samples, first), time_at(samples, last)
        if start is not None and end is not None and last > first:
            found.append(Window(first, last, end - start))
    return found


def reference(spans: Sequence[Window], near: int = REFERENCE_AT) -> Window | None:
    """The window to hold the last one against: the one around `near` articles, or the first
    after the start-up window when the import is shorter than 2 * `near`; None if too few."""
    later = spans[1:-1]  # not the start-up window, nor the last one itself
    if not later:
        return None
    if spans[-1].last < 2 * near:
        return later[0]
    return min(later, key=lambda span: abs((span.first + span.last) / 2 - near))


def hold(spans: Sequence[Window]) -> tuple[float, Window, Window] | None:
    """The last window's rate as a change from the reference window's, with both windows."""
    base = reference(spans)
    if base is None or not base.rate:
        return None
    return spans[-1].rate / base.rate - 1.0, spans[-1], base


def kind_of(path: Path) -> str:
    """Which of KINDS an archive file is."""
    if path.name.startswith("archive.sqlite"):
        return "sqlite"
    return SUFFIX_KINDS.get(path.suffix, "other")


def sizes_by_kind(folder: Path) -> dict[str, int]:
    """Bytes of an archive's files by kind, every kind present (in KINDS order)."""
    sizes = dict.fromkeys(KINDS, 0)
    for path in folder.rglob("*"):
        if path.is_file():
            sizes[kind_of(path)] += path.stat().st_size
    return sizes


def verdict(label: str, figure: str, met: bool | None) -> str:
    """One target's outcome: 'label figure: met|missed', or 'not measured'."""
    if met is None:
        return f"{label}: not measured"
    return f"{label} {figure}: {'met' if met else 'missed'}"


def _print_table(runs: Sequence[Run]) -> None:
    """The contenders side by side."""
    print()
    print("| pipeline | articles | seconds | articles/s | peak RSS (tree) | archive size |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for run in runs:
        print(
            f"| {run.name} | {run.articles:,} | {run.seconds:.1f} | {run.rate:.1f} | "
            f"{run.peak_rss_mb:.0f} MB | {run.size_mb:.0f} MB |"
        )


def _print_sizes(sizes: dict[str, int], input_bytes: int) -> float:
    """The archive's size against the input's, overall and by kind; returns the ratio."""
    total = sum(sizes.values())
    ratio = total / input_bytes if input_bytes else 0.0
    print(f"\ninput: {input_bytes:,} bytes ({input_bytes / MB:.1f} MB)")
    print(f"archive after the import: {total:,} bytes ({total / MB:.1f} MB), archive / input {ratio:.2f}x")
    parts = (
        f"{kind} {size / MB:.1f} MB ({size / input_bytes if input_bytes else 0.0:.2f}x)"
        for kind, size in sizes.items()
    )
    print("by kind: " + ", ".join(parts))
    return ratio


def _print_rate(run: Run, every: float) -> tuple[float, Window, Window] | None:
    """The import's rate per window of its articles, and the last window against the reference."""
    spans = windows(run.samples, run.articles)
    print(f"\nrate over the import (articles committed, sampled every {every:g} s; row 1 has start-up)")
    print("| articles | seconds | articles/s |")
    print("| --- | ---: | ---: |")
    for span in spans:
        print(f"| {span.first:,}–{span.last:,} | {span.seconds:.1f} | {span.rate:.1f} |")
    last_commit = time_at(run.samples, run.articles)
    if last_commit is not None:  # the last chunk's indexing, finishing the index, exiting
        after = run.seconds - last_commit
        print(f"last commit seen at {last_commit:.1f} s; the {after:.1f} s after it are in no row")
    held = hold(spans)
    where = "the window around 10k" if run.articles >= 2 * REFERENCE_AT else "the first full window"
    if held is None:
        needs = f"needs 3 windows: --count ≥ {3 * COMMIT_CHUNK}"
        print(f"rate in the last window vs {where}: not measured ({needs})")
        return None
    change, last, base = held
    print(
        f"rate in the last window vs {where} ({base.first:,}–{base.last:,}): {change:+.1%} "
        f"({last.rate:.1f} vs {base.rate:.1f} articles/s)"
    )
    return held


def _print_targets(
    run: Run, held: tuple[float, Window, Window] | None, speedup: float | None, ratio: float
) -> None:
    """One line: each target of issue #19, met or missed, with its figure."""
    change = held[0] if held is not None else None
    outcomes = [
        verdict("rate", f"{run.rate:.0f}/s (≥{TARGET_RATE:.0f})", run.rate >= TARGET_RATE),
        verdict(
            "rate hold",
            f"{change:+.1%} (≥{TARGET_HOLD:.0%})" if change is not None else "",
            change >= TARGET_HOLD if change is not None else None,
        ),
        verdict(
            "speed-up",
            f"{speedup:.2f}x (≥{TARGET_SPEEDUP:g}x)" if speedup is not None else "",
            speedup >= TARGET_SPEEDUP if speedup is not None else None,
        ),
        verdict("peak RSS", f"{run.peak_rss_mb:.0f} MB (≤1 GB)", run.peak_rss_mb <= TARGET_RSS_MB),
        verdict("archive/input", f"{ratio:.2f}x (≤{TARGET_RATIO:g}x)", ratio <= TARGET_RATIO),
    ]
    print("\ntargets: " + "; ".join(outcomes))


def _run_search(archive: Path, workdir: Path) -> None:
    """benchmarks/search.py on the archive, its output streamed into this report."""
    print("\n## search (benchmarks/search.py)", flush=True)
    command = [
        sys.executable, str(HERE / "search.py"), "--sizes", "", "--skip-dev", "--archive", str(archive),
        "--queries", "300", "--baseline-queries", "30", "--workdir", str(workdir / "search"),
    ]  # fmt: skip
    code = subprocess.run(command, check=False).returncode
    if code:
        print(f"(the search benchmark exited {code})")


def _bulletin(archive: Path, *args: str) -> list[str]:
    """The command line of `bulletin --archive ARCHIVE args...` in a fresh interpreter."""
    return [sys.executable, "-m", "bulletin", "--archive", str(archive), *args]


def _import(corpus: Path, archive: Path, count: int, every: float) -> Run:
    """`bulletin import` of the corpus into a fresh archive, its progress sampled."""
    shutil.rmtree(archive, ignore_errors=True)
    database = archive / "archive.sqlite"
    command = _bulletin(archive, "import", "--quiet", str(corpus))
    run = measure("bulletin import", command, count, archive, lambda: committed(database), every)
    archived = _archived(archive)
    if archived < count * 0.99:  # a crash exits 1 too, like "some inputs were skipped"
        raise SystemExit(f"bulletin import archived only {archived} of {count} articles")
    return replace(run, articles=archived, samples=(*run.samples, (run.seconds, archived)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--naive-count", type=int, default=None, help="naive run on the first N only")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bulletin-import"))
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--reindex", action="store_true", help="also time `bulletin reindex`")
    parser.add_argument("--search", action="store_true", help="also run benchmarks/search.py")
    parser.add_argument("--sample-every", type=float, default=5.0, help="seconds between progress samples")
    args = parser.parse_args()
    corpus = args.workdir / f"corpus-{args.count}"
    started = time.perf_counter()
    corpus_gen.write_corpus(corpus, args.count)
    input_bytes = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
    made = time.perf_counter() - started
    print(f"corpus: {args.count} articles, {input_bytes / MB:.0f} MB, made in {made:.0f} s")
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")

    archive = args.workdir / "archive"
    imported = _import(corpus, archive, args.count, args.sample_every)
    sizes = sizes_by_kind(archive)  # before a reindex rewrites the index
    runs = [imported]
    if not args.skip_naive:
        naive_count = min(args.naive_count or args.count, args.count)
        naive_out = args.workdir / "naive"
        shutil.rmtree(naive_out, ignore_errors=True)
        command = [sys.executable, "-c", NAIVE, str(corpus), str(naive_out), str(naive_count)]
        runs.append(measure(f"naive (bs4 + jieba, {naive_count})", command, naive_count, naive_out))
    if args.reindex:
        runs.append(measure("bulletin reindex", _bulletin(archive, "reindex"), imported.articles, archive))

    _print_table(runs)
    naive = next((run for run in runs if run.name.startswith("naive")), None)
    speedup = imported.rate / naive.rate if naive is not None and naive.rate else None
    if speedup is not None:
        print(f"\nspeed-up over naive: {speedup:.2f}x")
    ratio = _print_sizes(sizes, input_bytes)
    held = _print_rate(imported, args.sample_every)
    if args.search:
        _run_search(archive, args.workdir)
    _print_targets(imported, held, speedup, ratio)


if __name__ == "__main__":
    main()

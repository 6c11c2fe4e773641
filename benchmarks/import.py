"""Import throughput: `bulletin import` against a naive Whoosh+jieba pipeline, same input, same run.

    python benchmarks/import.py [--count 10000] [--naive-count N] [--workdir /tmp/bulletin-import]

The corpus is generated deterministically by benchmarks/corpus_gen.py (real sentences, half
HTML pages, half text dumps) and written once under --workdir. Each contender runs in a fresh
process on a fresh archive; peak RSS is the largest sum of resident memory over the whole
process tree (sampled every 50 ms from /proc), so worker processes count.

The naive pipeline is what a first attempt looks like: one process, BeautifulSoup get_text,
jieba's Whoosh ChineseAnalyzer, one writer committed at the end. `--naive-count` runs it on
the first N articles only (it slows as it grows, so its rate at N flatters it).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_gen

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


@dataclass(frozen=True)
class Run:
    """One contender's measurements."""

    name: str
    articles: int
    seconds: float
    peak_rss_mb: float
    size_mb: float

    @property
    def rate(self) -> float:
        """Articles per second."""
        return self.articles / self.seconds if self.seconds else 0.0


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


def measure(name: str, command: list[str], articles: int, out: Path) -> Run:
    """Run a command to completion, sampling its process tree's RSS; fail loudly on error."""
    peak = 0
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.05):
            peak = max(peak, _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1):  # bulletin exits 1 when some inputs were skipped
        raise SystemExit(f"{name} failed ({proc.returncode}):\n{err.decode(errors='replace')[-2000:]}")
    if not peak:  # no /proc: getrusage knows the largest single descendant, a floor
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return Run(name, articles, seconds, peak / 2**20, size / 2**20)


def _archived(archive: Path) -> int:
    """Articles in the archive's database and in its search index (the smaller)."""
    import sqlite3

    from bulletin.index import open_index

    with sqlite3.connect(archive / "archive.sqlite") as db:
        stored = int(db.execute("select count(*) from articles").fetchone()[0])
    return min(stored, open_index(archive / "index").doc_count())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--naive-count", type=int, default=None, help="naive run on the first N only")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bulletin-import"))
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    corpus = args.workdir / f"corpus-{args.count}"
    started = time.perf_counter()
    corpus_gen.write_corpus(corpus, args.count)
    raw_mb = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file()) / 2**20
    print(f"corpus: {args.count} articles, {raw_mb:.0f} MB, made in {time.perf_counter() - started:.0f} s")
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")

    runs: list[Run] = []
    archive = args.workdir / "archive"
    shutil.rmtree(archive, ignore_errors=True)
    command = [sys.executable, "-m", "bulletin", "--archive", str(archive), "import", "--quiet", str(corpus)]
    run = measure("bulletin import", command, args.count, archive)
    archived = _archived(archive)
    if archived < args.count * 0.99:  # a crash exits 1 too, like "some inputs were skipped"
        raise SystemExit(f"bulletin import archived only {archived} of {args.count} articles")
    runs.append(replace(run, articles=archived))
    if not args.skip_naive:
        naive_count = min(args.naive_count or args.count, args.count)
        naive_out = args.workdir / "naive"
        shutil.rmtree(naive_out, ignore_errors=True)
        command = [sys.executable, "-c", NAIVE, str(corpus), str(naive_out), str(naive_count)]
        runs.append(measure(f"naive (bs4 + jieba, {naive_count})", command, naive_count, naive_out))

    print()
    print("| pipeline | articles | seconds | articles/s | peak RSS (tree) | archive size |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for run in runs:
        print(
            f"| {run.name} | {run.articles:,} | {run.seconds:.1f} | {run.rate:.1f} | "
            f"{run.peak_rss_mb:.0f} MB | {run.size_mb:.0f} MB |"
        )
    if len(runs) == 2 and runs[1].rate:
        print(f"\nspeed-up over naive: {runs[0].rate / runs[1].rate:.2f}x")


if __name__ == "__main__":
    main()

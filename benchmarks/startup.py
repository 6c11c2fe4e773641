"""Command latency from process start to last line: `--help`, `search`, `show`, `stats`.

    python benchmarks/startup.py [--count 10000] [--runs 15] [--workdir /tmp/bulletin-startup]
    python benchmarks/startup.py --archive /tmp/bulletin-import/archive   # one benchmarks/import.py left

The archive is bulk-loaded once (Archive.add_articles from corpus_gen records, cached in
--workdir); every timing is a fresh `python -m bulletin` process, as a user runs it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_gen
from bulletin.archive import Archive


def build(folder: Path, count: int) -> float:
    """Bulk-load the archive unless cached; returns seconds taken (0 when cached)."""
    marker = folder / ".complete"
    if marker.exists():
        return 0.0
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    with Archive(folder, create=True) as archive:
        archive.add_articles(corpus_gen.archive_records(count))
    marker.write_text("ok\n")
    return time.perf_counter() - started


# As installed by pip: bytecode cached (an environment that forbids writing it adds ~50 ms of
# compiling to every run of an editable install).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timings(command: list[str], runs: int) -> list[float]:
    """Wall seconds of `runs` fresh processes (after one warm-up for the page cache)."""
    subprocess.run(command, capture_output=True, check=False, env=ENV)
    out: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, check=False, env=ENV)
        out.append(time.perf_counter() - started)
        if result.returncode not in (0, 1):
            raise SystemExit(f"{command} failed: {result.stderr.decode(errors='replace')[-500:]}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bulletin-startup"))
    parser.add_argument("--archive", type=Path, help="time commands on this existing archive instead")
    args = parser.parse_args()
    if args.archive:
        folder = args.archive
    else:
        folder = args.workdir / f"archive-{args.count}"
        seconds = build(folder, args.count)
        if seconds:
            print(f"built a {args.count}-article archive in {seconds:.0f} s")
    with Archive(folder) as archive:
        ids = archive.store.ids()
        args.count = len(ids)
        some_id = ids[len(ids) // 2]
    base = [sys.executable, "-m", "bulletin", "--archive", str(folder)]
    commands = {
        # The floor: the interpreter alone, and a grep over the stored texts (SQLite file).
        "(python -c pass)": [sys.executable, "-c", "pass"],
        "(grep -c 教育 archive.sqlite)": ["grep", "-c", "教育", str(folder / "archive.sqlite")],
        "--help": [sys.executable, "-m", "bulletin", "--help"],
        "search 教育": [*base, "search", "教育"],
        "search 潼南 教育 (2 words)": [*base, "search", "潼南 教育"],
        "show ID": [*base, "show", some_id],
        "stats": [*base, "stats"],
    }
    print(f"\narchive: {args.count:,} articles; {args.runs} runs each; process start to exit\n")
    print("| command | p50 | p95 |")
    print("| --- | ---: | ---: |")
    for name, command in commands.items():
        values = sorted(timings(command, args.runs))
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        label = name if name.startswith("(") else f"`bulletin {name}`"
        print(f"| {label} | {statistics.median(values):.3f} s | {p95:.3f} s |")


if __name__ == "__main__":
    main()

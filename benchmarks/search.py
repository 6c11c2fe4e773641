"""Search quality and speed: recall/precision against grep, known-item MRR, latency.

    python benchmarks/search.py [--sizes 10000] [--queries 600] [--workdir /tmp/bulletin-bench]
                                [--archive PATH ...] [--skip-dev] [--baseline-queries 150] [--repeat 1]

Archives: the dev corpus (../shared/corpus/dev, imported with the real extractor) plus,
for each size, a synthetic archive of that many articles made by recombining real
sentences (benchmarks/corpus_gen.py), bulk-loaded from their records, plus any existing
archive given with --archive (benchmarks/import.py leaves one). Archives are cached in
--workdir, so a second run only measures.

Quality is measured with the engine bulletin picks for the archive's size; warm latency
with both engines on the same queries: numpy (bulletin.index.whoosh.vector) and, as the
baseline, Whoosh's own matchers.

"grep" is a substring test over the normalised title and text (NFKC, lower case,
simplified characters, no whitespace between CJK characters — exactly what a reader
typing either form expects); ASCII words are matched as whole words (grep -w).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_gen
from bulletin.analysis import normalize
from bulletin.archive import Archive, open_archive
from bulletin.errors import QueryError
from bulletin.remote import AUTO_START_ARTICLES
from bulletin.search import SearchRequest

REPO = Path(__file__).resolve().parents[1]
DEV_PAGES = REPO.parent / "shared" / "corpus" / "dev" / "pages"
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Doc:
    """What grep sees of one article."""

    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Query:
    """A sampled query, its class, and the grep-style predicate that defines a true hit."""

    kind: str
    text: str
    test: Callable[[Doc], bool]


def build_dev(folder: Path) -> None:
    """Import the dev pages with the real pipeline."""
    if (folder / "archive.sqlite").exists():
        return
    command = [
        sys.executable,
        "-m",
        "bulletin",
        "--archive",
        str(folder),
        "import",
        "--quiet",
        str(DEV_PAGES),
    ]
    subprocess.run(command, check=False)


def build_synthetic(folder: Path, count: int) -> float:
    """Bulk-load `count` synthetic articles; returns seconds taken (0 when cached)."""
    marker = folder / ".complete"
    if marker.exists():
        return 0.0
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    with Archive(folder, create=True) as archive:
        archive.add_articles(corpus_gen.archive_records(count))
    marker.write_text("ok\n")
    return time.perf_counter() - started


def load_docs(archive: Archive) -> list[Doc]:
    """Normalised title and text of every article."""
    return [Doc(a.id, normalize(a.title or ""), normalize(a.text)) for a in archive.store.iter_articles()]


def _substring(needle: str) -> Callable[[Doc], bool]:
    return lambda doc: needle in doc.title or needle in doc.text


def _word(word: str) -> Callable[[Doc], bool]:
    # A whole English word: no other letter or digit beside it. A Chinese character is a border
    # (1000封email has the word email), as it is for the tokenizer and for a reader.
    pattern = re.compile(rf"(?<![^\W_\u4e00-\u9fff]){re.escape(word)}(?![^\W_\u4e00-\u9fff])")
    return lambda doc: bool(pattern.search(doc.title) or pattern.search(doc.text))


def sample_queries(docs: list[Doc], count: int, rng: random.Random) -> list[Query]:
    """Queries of every class, drawn from the texts themselves."""
    queries: list[Query] = []
    english = [d for d in docs if d.text and not CJK.search(d.text[:400])]
    per_class = max(1, count // 8)

    def cjk_piece(length: int) -> str | None:
        for _ in range(50):
            doc = rng.choice(docs)
            if len(doc.text) <= length:
                continue
            start = rng.randrange(len(doc.text) - length)
            piece = doc.text[start : start + length]
            if all(CJK.match(c) for c in piece):
                return piece
        return None

    for length in (2, 3, 4, 6):
        for _ in range(per_class):
            piece = cjk_piece(length)
            if piece:
                queries.append(Query(f"cjk{length}", piece, _substring(piece)))
    for _ in range(per_class):
        piece = cjk_piece(1)
        if piece:
            queries.append(Query("single", piece, _substring(piece)))
    for _ in range(per_class):
        first, second = cjk_piece(3), cjk_piece(2)
        if first and second:
            both = (_substring(first), _substring(second))
            queries.append(Query("and2", f"{first} {second}", lambda d, t=both: t[0](d) and t[1](d)))
    for _ in range(per_class):
        piece = cjk_piece(rng.randint(5, 8))
        if piece:
            queries.append(Query("phrase", f'"{piece}"', _substring(piece)))
    words = [w for d in english for w in re.findall(r"[a-z]{4,}", d.text)]
    for _ in range(per_class if words else 0):
        word = rng.choice(words)
        queries.append(Query("ascii", word, _word(word)))
    return queries


def recall_precision(
    archive: Archive, docs: list[Doc], queries: list[Query]
) -> dict[str, tuple[float, float, int]]:
    """Per class: micro recall and precision against grep, and the number of queries."""
    totals: dict[str, list[int]] = {}
    for query in queries:
        truth = {d.id for d in docs if query.test(d)}
        # Every match, near-duplicates included (grep counts each copy); no records or snippets.
        found = set(archive.matching_ids(SearchRequest(query=query.text, limit=None)))
        row = totals.setdefault(query.kind, [0, 0, 0, 0])
        row[0] += len(truth & found)
        row[1] += len(truth)
        row[2] += len(found)
        row[3] += 1
    return {
        kind: (hit / want if want else 1.0, hit / got if got else 1.0, n)
        for kind, (hit, want, got, n) in sorted(totals.items())
    }


def known_item_mrr(archive: Archive, limit: int, rng: random.Random) -> tuple[float, float, int, int]:
    """Mean reciprocal rank (top 10) of each article when its title is the query: as ranked,
    and counting only hits above it with another title (articles sharing the title exactly
    cannot be told apart by it: which of them comes first is a tie). Also how many sampled
    articles share their title with another article of the archive."""
    articles = [a for a in archive.store.iter_articles() if a.title and len(a.title) >= 4]
    titles = Counter(a.title for a in articles)
    if len(articles) > limit:
        articles = rng.sample(articles, limit)
    total = tie_aware = 0.0
    for article in articles:
        query = (article.title or "").replace('"', " ")
        try:
            hits = archive.search(SearchRequest(query=query, limit=10)).hits
        except QueryError:
            continue
        ids = [h.article.id for h in hits]
        if article.id in ids:
            rank = ids.index(article.id)
            total += 1.0 / (rank + 1)
            others = sum(1 for h in hits[:rank] if h.article.title != article.title)
            tie_aware += 1.0 / (others + 1)
    shared = sum(1 for a in articles if titles[a.title] > 1)
    n = len(articles)
    return (total / n if n else 0.0), (tie_aware / n if n else 0.0), n, shared


def latency(
    archive: Archive, queries: list[Query], engine: str, repeat: int = 1
) -> dict[str, tuple[float, float]]:
    """Warm p50/p95 in ms per class with one query engine, plus date-filtered and date-sorted
    variants. With `repeat` > 1 each query's time is the median of that many runs (one
    machine hiccup then no longer counts as a slow query)."""
    timings: dict[str, list[float]] = {}
    variants: list[tuple[str, dict[str, object]]] = [
        ("", {}),
        ("+since", {"since": "2020"}),
        ("+sort", {"sort": "-date"}),
    ]
    archive.index.engine = engine
    try:
        if queries:  # warm up: the first query loads numpy and the index's columns
            archive.search(SearchRequest(query=queries[0].text, limit=10))
        for query in queries:
            for suffix, options in variants:
                if suffix and query.kind not in ("cjk2", "cjk4", "and2"):
                    continue
                request = SearchRequest(query=query.text, limit=10, **options)  # type: ignore[arg-type]
                runs = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    archive.search(request)
                    runs.append((time.perf_counter() - started) * 1000)
                timings.setdefault(query.kind + suffix, []).append(statistics.median(runs))
    finally:
        archive.index.engine = "auto"
    return {kind: _p50_p95(values) for kind, values in sorted(timings.items())}


def _p50_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def end_to_end(
    folder: Path, docs: list[Doc], queries: list[Query], runs: int = 15
) -> dict[str, tuple[float, float]]:
    """`bulletin search` from process start, in seconds (p50, p95): alone (BULLETIN_SERVER=off);
    by default, where the first search of a big archive starts a server for the next ones (its
    own time is `first`); and grep over the same texts."""
    dump = folder / "texts.txt"
    if not dump.exists():
        dump.write_text(
            "\n".join(f"{d.title}\t{d.text.replace(chr(10), ' ')}" for d in docs), encoding="utf-8"
        )
    command = shutil.which("bulletin")
    base = [command] if command else [sys.executable, "-m", "bulletin"]
    picked = [q for q in queries if q.kind in ("cjk2", "cjk4", "and2")][:runs]
    # As installed by pip: bytecode cached (an environment that forbids writing it would add
    # ~50 ms of compiling to every run).
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "BULLETIN_SERVER")}

    def bulletin(*args: str, **extra_env: str) -> float:
        started = time.perf_counter()
        run_env = {**env, **extra_env}
        subprocess.run([*base, "--archive", str(folder), *args], capture_output=True, env=run_env)
        return time.perf_counter() - started

    bulletin("serve", "--stop")  # from a state with no server
    bulletin("search", "x", BULLETIN_SERVER="off")  # the OS's file cache warmed, as for everyone
    alone = [bulletin("search", "--limit", "10", q.text, BULLETIN_SERVER="off") for q in picked]
    default = [bulletin("search", "--limit", "10", q.text) for q in picked]
    bulletin("serve", "--stop")
    grep: list[float] = []
    for query in picked:
        started = time.perf_counter()
        subprocess.run(["grep", "-c", "-F", query.text.split()[0].strip('"'), str(dump)], capture_output=True)
        grep.append(time.perf_counter() - started)
    return {
        "alone": _p50_p95(alone),
        "default": _p50_p95(default),
        "first": (default[0], default[0]),
        "grep": _p50_p95(grep),
    }


def report(
    name: str, folder: Path, queries_wanted: int, seed: int, baseline_queries: int, repeat: int = 1
) -> dict[str, object]:
    """Measure one archive and print its tables."""
    rng = random.Random(seed)
    with open_archive(folder) as archive:
        docs = load_docs(archive)
        queries = sample_queries(docs, queries_wanted, rng)
        quality = recall_precision(archive, docs, queries)
        mrr, mrr_ties, mrr_n, shared_titles = known_item_mrr(archive, 500, rng)
        engine = archive.index.active_engine()
        # numpy on every query; Whoosh's matchers, the baseline, on every k-th (all classes):
        # they take seconds each at 100k.
        timed = (queries, queries[:: max(1, len(queries) // baseline_queries)])
        timing = {
            "vector": latency(archive, timed[0], "vector", repeat),
            "whoosh": latency(archive, timed[1], "whoosh"),
        }
    e2e = end_to_end(folder, docs, queries)
    print(f"\n== {name}: {len(docs)} articles, {len(queries)} queries (engine by default: {engine})")
    print(f"{'class':>10} {'queries':>8} {'recall':>8} {'precision':>10}")
    for kind, (recall, precision, n) in quality.items():
        print(f"{kind:>10} {n:>8} {recall:>8.3f} {precision:>10.3f}")
    all_recall = min(r for r, _, _ in quality.values())
    print(
        f"known-item MRR@10 (title as query, {mrr_n} articles): {mrr:.3f}; "
        f"{mrr_ties:.3f} with articles of the same title as ties ({shared_titles} share theirs)"
    )
    runs = f", median of {repeat} runs each" if repeat > 1 else ""
    print(f"warm latency, ms (numpy: {len(timed[0])} queries{runs}; Whoosh: {len(timed[1])})")
    print(f"{'class':>14} {'numpy p50':>10} {'numpy p95':>10} {'Whoosh p50':>11} {'Whoosh p95':>11}")
    for kind, (p50, p95) in timing["vector"].items():
        base50, base95 = timing["whoosh"].get(kind, (float("nan"), float("nan")))
        print(f"{kind:>14} {p50:>10.1f} {p95:>10.1f} {base50:>11.1f} {base95:>11.1f}")
    (alone, default, grep), first = (e2e[k] for k in ("alone", "default", "grep")), e2e["first"][0]
    starts = "; it starts a server" if len(docs) >= AUTO_START_ARTICLES else ""
    print(
        f"end to end `bulletin search`: by default p50 {default[0]:.3f} s, p95 {default[1]:.3f} s"
        f" (the first search {first:.3f} s{starts});"
        f" alone (BULLETIN_SERVER=off) p50 {alone[0]:.3f} s, p95 {alone[1]:.3f} s;"
        f" grep -F over a text dump: p50 {grep[0]:.3f} s"
    )
    return {
        "name": name,
        "articles": len(docs),
        "engine": engine,
        "min_recall": all_recall,
        "mrr": mrr,
        "mrr_ties": mrr_ties,
        "quality": quality,
        "latency_ms": timing,
        "e2e_s": e2e,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="10000", help="synthetic archive sizes, comma-separated ('' for none)"
    )
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bulletin-bench"))
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    parser.add_argument(
        "--archive", type=Path, action="append", default=[], help="also measure this existing archive"
    )
    parser.add_argument(
        "--baseline-queries", type=int, default=150, help="queries timed with Whoosh's own matchers"
    )
    parser.add_argument("--skip-dev", action="store_true", help="do not measure the dev corpus")
    parser.add_argument(
        "--repeat", type=int, default=1, help="time each numpy query this many times, keep the median"
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    if DEV_PAGES.exists() and not args.skip_dev:
        dev = args.workdir / "dev"
        build_dev(dev)
        results.append(report("dev corpus", dev, args.queries, args.seed, args.baseline_queries, args.repeat))
    for size in [int(s) for s in args.sizes.split(",") if s]:
        folder = args.workdir / f"synthetic-{size}"
        took = build_synthetic(folder, size)
        if took:
            print(f"\nbuilt synthetic-{size} in {took:.0f} s ({size / took:.0f} articles/s)")
        results.append(
            report(f"synthetic {size}", folder, args.queries, args.seed, args.baseline_queries, args.repeat)
        )
    for folder in args.archive:
        results.append(
            report(str(folder), folder, args.queries, args.seed, args.baseline_queries, args.repeat)
        )
    if args.json:
        print(json.dumps(results, ensure_ascii=False, default=list))


if __name__ == "__main__":
    main()

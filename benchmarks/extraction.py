"""Score bulletin's extraction against ground truth, whole-set and leave-one-source-out, beside the peers.

Usage: python benchmarks/extraction.py [--set dev|wild|all] [--json] [--per-page] [--per-source] [--only PEER]

Sets: `../shared/corpus/dev` (saved article pages; a source is the host of the truth url, else the host
bulletin finds on the page) and `../shared/corpus/wild-dev` (real scrapers' output; a source is a folder:
WeChat Markdown dumps, a Scrapy JSONL feed, a spider's text export, SogouCS records, portal and GB
pages). Inputs are read as `bulletin import` reads them (the feed with --map html=article --map
url=urlsource).

Leave-one-source-out (LOSO): what bulletin learns from data (the archive's per-site memory of lines
repeated across a site's articles) is learned from every OTHER source, then the held-out source is
scored; "whole" learns from the whole set. Titles, dates and credits have no learned part, so LOSO
equals whole for them by construction; so do the peers (readability-lxml, trafilatura, GNE), which
learn nothing from these inputs, and are printed once. bulletin's hand-written rules were written
while looking at such pages; no rerun can unlearn that, which is why wild-dev and unseen sets matter.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from extraction_run import NOW, Item, available_peers, learned_texts, read_items, run_peer
from extraction_score import DEV_METRICS, WILD_METRICS, MetricSpec, Result, Tally, residue_in
from extraction_truth import Case, Job, dev_cases, wild_cases

REPO = Path(__file__).resolve().parents[1]
CORPORA = {
    "dev": REPO.parent / "shared" / "corpus" / "dev",
    "wild": REPO.parent / "shared" / "corpus" / "wild-dev",
}
SETS: dict[str, tuple[Callable[[Path], tuple[list[Job], list[Case]]], tuple[MetricSpec, ...]]] = {
    "dev": (dev_cases, DEV_METRICS),
    "wild": (wild_cases, WILD_METRICS),
}
ALL = "(all)"
Figures = dict[str, dict[str, Tally]]  # scope (ALL or a source) -> metric -> tally


def score(
    results: dict[str, Result], sources: dict[str, str], cases: dict[str, Case], specs: tuple[MetricSpec, ...]
) -> Figures:
    """Tallies per source and over all, for every scored input (the keys of `results`)."""
    figures: Figures = {}
    for origin, result in results.items():
        case = cases.get(origin)
        for scope in (ALL, sources.get(origin, "?")):
            row = figures.setdefault(scope, {spec.name: Tally() for spec in specs})
            for spec in specs:
                row[spec.name].add(spec.score(case, result))
    return figures


def bulletin_runs(items: list[Item], cases: dict[str, Case]) -> tuple[dict[str, Result], dict[str, Result]]:
    """bulletin's results learned from the whole set, and each source's learned without it (LOSO).

    A case no input answers to (a record the reader dropped) is a failed result in both.
    """
    whole = learned_texts(items, lambda item: True)
    loso: dict[str, Result] = {}
    for source in dict.fromkeys(item.source for item in items):
        held_out = learned_texts(items, _not_from(source))
        loso.update({item.origin: held_out[item.origin] for item in items if item.source == source})
    return _failed_cases(whole, cases), _failed_cases(loso, cases)


def _not_from(source: str) -> Callable[[Item], bool]:
    return lambda item: item.source != source


def _failed_cases(results: dict[str, Result], cases: dict[str, Case]) -> dict[str, Result]:
    for origin in cases:
        results.setdefault(origin, Result(failed=True))
    return results


def _changed(items: list[Item], results: dict[str, Result]) -> Counter[str]:
    """Per source, how many texts the learned strip changed."""
    return Counter(item.source for item in items if results[item.origin].text != item.result.text)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_learned(items: list[Item], whole: dict[str, Result], loso: dict[str, Result]) -> None:
    """Say where the learned memory changed anything, and so where LOSO can differ from whole."""
    w, lo = _changed(items, whole), _changed(items, loso)
    if not w and not lo:
        print(
            "learned per-site line memory: removes nothing from any text of this set (no site repeats a\n"
            "line across enough of its articles), so bulletin's LOSO == whole-set for every figure here."
        )
        return
    print(f"learned per-site line memory changed {sum(w.values())} texts whole-set, {sum(lo.values())} LOSO:")
    for source in sorted(set(w) | set(lo)):
        print(f"  {source}: {w[source]} whole-set, {lo[source]} LOSO")


def print_summary(specs: tuple[MetricSpec, ...], runs: dict[str, tuple[Figures, Figures]]) -> None:
    """The metric x (whole, LOSO) table with the peers beside bulletin."""
    peers = [p for p in runs if p != "bulletin"]
    b_whole, b_loso = runs["bulletin"]
    head = f"{'metric':24} {'target':>6} {'whole':>7} {'LOSO':>7} {'n':>4}"
    print(head + "".join(f" {p:>16}" for p in peers))
    empty = [spec.name for spec in specs if not any(f[0][ALL][spec.name].cases for f in runs.values())]
    for spec in specs:
        w, lo = b_whole[ALL][spec.name], b_loso[ALL][spec.name]
        if spec.name in empty:
            continue
        target = "" if spec.target is None else f"{spec.target:.2f}"
        row = f"{spec.name:24} {target:>6} {_fmt(w.value):>7} {_fmt(lo.value):>7} {lo.cases:>4}"
        for peer in peers:
            t = runs[peer][0].get(ALL, {}).get(spec.name, Tally())
            row += f" {_fmt(t.value):>10} ({t.cases:>3})"
        print(row)
    print(
        "whole: the learned memory saw every input; LOSO: it saw every source but the scored one.\n"
        "n = cases with the field; peers (n): they read HTML inputs only, and learn nothing (LOSO == whole)."
    )
    if empty:
        print("no truth in this set for: " + ", ".join(empty))


def _pair(whole: Tally, loso: Tally) -> str:
    w, lo = _fmt(whole.value), _fmt(loso.value)
    return w if w == lo else f"{w}/{lo}"


def print_sources(specs: tuple[MetricSpec, ...], runs: dict[str, tuple[Figures, Figures]]) -> None:
    """Per source: bulletin's whole/LOSO (one number when equal) and each peer's figure."""
    names = [spec.name for spec in specs]
    print("\nper source (bulletin whole/LOSO, one number when equal): ")
    print("  " + ", ".join(f"[{i + 1}] {n}" for i, n in enumerate(names)))
    print(f"{'source':24} {'extractor':12}" + "".join(f" {f'[{i + 1}]':>11}" for i in range(len(names))))
    b_whole, b_loso = runs["bulletin"]
    for source in sorted(s for s in b_whole if s != ALL):
        cells = "".join(f" {_pair(b_whole[source][n], b_loso[source][n]):>11}" for n in names)
        print(f"{source[:24]:24} {'bulletin':12}" + cells)
        for peer, (figures, _) in runs.items():
            if peer != "bulletin" and source in figures:
                print(f"{'':24} {peer:12}" + "".join(f" {_fmt(figures[source][n].value):>11}" for n in names))


def print_residue(items: list[Item], runs: dict[str, dict[str, Result]]) -> None:
    """Which residue strings survive, per extractor and source (texts containing each)."""
    print("\nresidue left (string: texts), bulletin LOSO and the peers:")
    for name, results in runs.items():
        per: dict[str, Counter[str]] = {}
        for item in items:
            if item.origin in results:
                per.setdefault(item.source, Counter()).update(residue_in(results[item.origin].text))
        for source, hits in sorted(per.items()):
            if hits:
                print(f"  {name:12} {source}: " + ", ".join(f"{k} {v}" for k, v in hits.most_common()))


def print_pages(cases: dict[str, Case], results: dict[str, Result], specs: tuple[MetricSpec, ...]) -> None:
    """One line per case: bulletin's figures (LOSO)."""
    print("\nper page (bulletin, LOSO): " + " | ".join(s.name for s in specs))
    for origin, case in cases.items():
        cells = []
        for spec in specs:
            pair = spec.score(case, results[origin])
            cells.append("-" if pair is None or not pair[1] else f"{pair[0] / pair[1]:.2f}")
        print(f"  {Path(origin).name[:44]:44} " + " ".join(f"{c:>5}" for c in cells))


def _json(figures: Figures) -> dict[str, Any]:
    return {
        scope: {m: {"value": t.value, "num": t.num, "den": t.den, "cases": t.cases} for m, t in row.items()}
        for scope, row in figures.items()
    }


def run_set(
    name: str, corpus: Path, peers: list[tuple[str, Any]], args: argparse.Namespace
) -> dict[str, Any]:
    """Read, extract and score one set; print its tables unless --json; its figures as JSON data."""
    load, specs = SETS[name]
    jobs, case_list = load(corpus)
    cases = {c.origin: c for c in case_list}
    start = time.perf_counter()
    items = read_items(jobs, cases)
    timing = {"bulletin": time.perf_counter() - start}
    sources = {item.origin: item.source for item in items} | {
        c.origin: c.source or c.origin for c in case_list if c.origin not in {i.origin for i in items}
    }
    whole, loso = bulletin_runs(items, cases)
    runs = {"bulletin": (score(whole, sources, cases, specs), score(loso, sources, cases, specs))}
    texts = {"bulletin": loso}
    for peer, func in peers:
        start = time.perf_counter()
        texts[peer] = run_peer(peer, func, items)
        timing[peer] = time.perf_counter() - start
        figures = score(texts[peer], sources, cases, specs)
        runs[peer] = (figures, figures)
    if not args.json:
        counts = Counter(item.source for item in items)
        print(
            f"\n== {name}: {len(items)} inputs, {len(cases)} with truth, {len(counts)} sources, from {corpus}"
        )
        if len(counts) <= 12:
            print("sources: " + ", ".join(f"{s} {n}" for s, n in sorted(counts.items())))
        print_learned(items, whole, loso)
        print_summary(specs, runs)
        if name == "wild" or args.per_source:
            print_sources(specs, runs)
        if name == "wild":
            print_residue(items, texts)
        if args.per_page:
            print_pages(cases, loso, specs)
        print("inputs/s: " + ", ".join(f"{k} {len(items) / s:.1f}" for k, s in timing.items() if s))
    return {
        "corpus": str(corpus),
        "inputs": len(items),
        "cases": len(cases),
        "extractors": {k: {"whole": _json(w), "loso": _json(lo)} for k, (w, lo) in runs.items()},
    }


def main(argv: list[str] | None = None) -> int:
    """Print the tables (or, with --json, the figures as JSON on stdout)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--set", choices=["dev", "wild", "all"], default="all", help="which set(s) to score")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of tables")
    parser.add_argument("--per-page", action="store_true", help="also print bulletin's figures per page")
    parser.add_argument("--per-source", action="store_true", help="per-source table for dev too")
    parser.add_argument("--only", action="append", choices=["readability", "trafilatura", "gne"], help="peer")
    parser.add_argument("--no-peers", action="store_true", help="bulletin only")
    parser.add_argument("--dev", type=Path, default=CORPORA["dev"], help="the dev corpus folder")
    parser.add_argument("--wild", type=Path, default=CORPORA["wild"], help="the wild-dev corpus folder")
    args = parser.parse_args(argv)
    peers = [] if args.no_peers else available_peers(args.only)
    folders = {"dev": args.dev, "wild": args.wild}
    out: dict[str, Any] = {"now": NOW.isoformat(), "sets": {}}
    for name in ("dev", "wild") if args.set == "all" else (args.set,):
        if not folders[name].is_dir():
            print(f"{folders[name]}: no such corpus folder; skipped", file=sys.stderr)
            continue
        out["sets"][name] = run_set(name, folders[name], peers, args)
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
    return 0 if out["sets"] else 2


if __name__ == "__main__":
    sys.exit(main())

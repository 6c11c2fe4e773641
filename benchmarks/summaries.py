"""Character-level ROUGE of bulletin's summaries against editors' summaries, beside lead baselines.

Usage: python benchmarks/summaries.py [--budget 120] [--data PATH]

Reads ../shared/eval/summaries-dev.jsonl (one {"id", "text", "summary"} per line) and prints
ROUGE-1/2/L F1 (characters: letters, digits and CJK; punctuation and spaces ignored) for:
bulletin's `summarize`, LEAD-3 (the first three sentences), and budgeted lead (lead sentences
while they fit the same budget), then speed in articles per second.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from bulletin.sentences import split_sentences
from bulletin.summarize import summarize, units
from bulletin.words import backend

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "summaries-dev.jsonl"


def chars(text: str) -> list[str]:
    """The tokens ROUGE counts: letters, digits and CJK characters, lower-cased."""
    return [ch for ch in text.lower() if ch.isalnum()]


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _f1(matched: int, produced: int, wanted: int) -> float:
    if not matched or not produced or not wanted:
        return 0.0
    precision, recall = matched / produced, matched / wanted
    return 2 * precision * recall / (precision + recall)


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge(candidate: str, reference: str) -> tuple[float, float, float]:
    """ROUGE-1, ROUGE-2 and ROUGE-L F1 over characters."""
    a, b = chars(candidate), chars(reference)
    scores = []
    for n in (1, 2):
        mine, theirs = _ngrams(a, n), _ngrams(b, n)
        scores.append(_f1(sum((mine & theirs).values()), sum(mine.values()), sum(theirs.values())))
    scores.append(_f1(_lcs(a, b), len(a), len(b)))
    return scores[0], scores[1], scores[2]


def lead3(text: str, budget: int) -> str:
    """The first three sentences, whatever their length."""
    return "".join(s.text for s in split_sentences(text)[:3])


def budgeted_lead(text: str, budget: int) -> str:
    """Lead sentences while they fit the budget (always at least the first)."""
    out: list[str] = []
    used = 0
    for sentence in split_sentences(text):
        size = units(sentence.text)
        if out and used + size > budget:
            break
        out.append(sentence.text)
        used += size
    return "".join(out)


def evaluate(
    name: str, system: Callable[[str, int], str], rows: list[dict[str, str]], budget: int
) -> tuple[str, float, float, float, float]:
    """Mean ROUGE F1 (percent) and mean output length in budget units for one system."""
    totals = [0.0, 0.0, 0.0]
    length = 0
    for row in rows:
        produced = system(row["text"], budget)
        length += units(produced)
        for k, value in enumerate(rouge(produced, row["summary"])):
            totals[k] += value
    count = len(rows)
    return (name, *(100 * t / count for t in totals), length / count)  # type: ignore[return-value]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--budget", type=int, default=120)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"no evaluation data at {args.data}: put summaries-dev.jsonl there", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    systems: list[tuple[str, Callable[[str, int], str]]] = [
        ("bulletin", lambda text, budget: summarize(text, budget=budget)),
        ("budgeted lead", budgeted_lead),
        ("LEAD-3", lead3),
    ]
    started = time.perf_counter()
    name = backend()  # loads the segmenter, so speed below is per article, not the one-off load
    load = time.perf_counter() - started

    print(f"{len(rows)} articles, budget {args.budget} units, segmenter {name} (loaded in {load:.2f} s)")
    print(f"{'system':<15} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'length':>7}")
    for system_name, system in systems:
        label, r1, r2, rl, length = evaluate(system_name, system, rows, args.budget)
        print(f"{label:<15} {r1:6.1f} {r2:6.1f} {rl:6.1f} {length:7.1f}")

    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        for row in rows:
            summarize(row["text"], budget=args.budget)
    elapsed = time.perf_counter() - started
    total_chars = sum(len(row["text"]) for row in rows)
    per_article = elapsed / (rounds * len(rows))
    per_3k = elapsed / (rounds * total_chars) * 3000
    print(f"speed: {1 / per_article:.0f} articles/s, {per_article * 1000:.1f} ms each", end="")
    print(f" ({per_3k * 1000:.1f} ms per 3,000 characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

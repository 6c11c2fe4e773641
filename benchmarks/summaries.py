"""Character-level ROUGE of bulletin's summaries against editors' summaries, beside lead baselines.

Usage: python benchmarks/summaries.py [--budget 120] [--data PATH]

Reads ../shared/eval/summaries-dev.jsonl (one {"id", "text", "summary"} per line) and prints
ROUGE-1/2/L F1 (characters: letters, digits and CJK; punctuation and spaces ignored) for:
bulletin's `summarize`, LEAD-3 (the first three sentences), and budgeted lead (lead sentences
while they fit the same budget); then per-article scores of bulletin and budgeted lead, a
two-fold cross-validation of the one knob, and speed in articles per second.

How the summarizer's parameters were chosen: not on these articles. Its one knob, the exponent of
the position prior (sentence k weighs 1/(k+1)^a in the article profile), is fixed at a = 1 (Zipf,
the prior the ranker used before) and the title weighs as much as the lead sentence. The dev set
is 9 articles, so a fitted knob would only fit them. The cross-validation block shows what fitting
would buy: `a` is picked from a small grid on one half of the articles and scored on the other
half, and vice versa; the shipped a = 1 is scored on the same halves beside it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import bulletin.summarize as summarize_module
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


Scores = tuple[float, float, float]
# Position-prior exponents the cross-validation may pick from (1 is what ships).
GRID = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


def per_article(system: Callable[[str, int], str], rows: list[dict[str, str]], budget: int) -> list[Scores]:
    """ROUGE-1/2/L F1 in percent of one system on each article."""
    found = []
    for row in rows:
        r1, r2, rl = rouge(system(row["text"], budget), row["summary"])
        found.append((100 * r1, 100 * r2, 100 * rl))
    return found


def mean(scores: Sequence[Scores]) -> Scores:
    """Mean of per-article scores."""
    count = max(len(scores), 1)
    return (
        sum(s[0] for s in scores) / count,
        sum(s[1] for s in scores) / count,
        sum(s[2] for s in scores) / count,
    )


def evaluate(
    name: str, system: Callable[[str, int], str], rows: list[dict[str, str]], budget: int
) -> tuple[str, float, float, float, float]:
    """Mean ROUGE F1 (percent) and mean output length in budget units for one system."""
    r1, r2, rl = mean(per_article(system, rows, budget))
    length = sum(units(system(row["text"], budget)) for row in rows) / max(len(rows), 1)
    return name, r1, r2, rl, length


def with_exponent(exponent: float) -> Callable[[str, int], str]:
    """bulletin's summarizer with another position-prior exponent (for the cross-validation only)."""

    def run(text: str, budget: int) -> str:
        saved = summarize_module._POSITION_EXPONENT
        summarize_module._POSITION_EXPONENT = exponent
        try:
            return summarize(text, budget=budget)
        finally:
            summarize_module._POSITION_EXPONENT = saved

    return run


def cross_validate(rows: list[dict[str, str]], budget: int) -> None:
    """Two folds (even / odd lines): pick the exponent on one, score it and the shipped one on the other."""
    folds = [rows[0::2], rows[1::2]]
    lead = [mean(per_article(budgeted_lead, fold, budget)) for fold in folds]
    grid = {a: [mean(per_article(with_exponent(a), fold, budget)) for fold in folds] for a in GRID}
    print(f"two-fold cross-validation of the position exponent over {GRID}")
    print("(R-1 / R-2 / R-L on the held-out half; the pick maximises R-1+R-2+R-L on the other half)")
    for held in (0, 1):
        tuned_on = 1 - held
        picked = max(GRID, key=lambda a: (sum(grid[a][tuned_on]), -abs(a - 1.0)))
        print(
            f"  held-out half {held + 1} ({len(folds[held])} articles): "
            f"tuned a={picked}: {_fmt(grid[picked][held])}  shipped a=1: {_fmt(grid[1.0][held])}  "
            f"budgeted lead: {_fmt(lead[held])}"
        )


def _fmt(scores: Scores) -> str:
    return " / ".join(f"{value:.1f}" for value in scores)


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

    mine = per_article(systems[0][1], rows, args.budget)
    lead = per_article(budgeted_lead, rows, args.budget)
    print(f"\n{'article':<20} {'bulletin R-1/2/L':>20} {'budgeted lead R-1/2/L':>24}")
    wins = ties = losses = 0
    for row, ours, theirs in zip(rows, mine, lead, strict=True):
        delta = sum(ours) - sum(theirs)
        wins, ties, losses = wins + (delta > 0.05), ties + (abs(delta) <= 0.05), losses + (delta < -0.05)
        print(f"{row['id']:<20} {_fmt(ours):>20} {_fmt(theirs):>24}")
    print(f"against budgeted lead: {wins} better, {ties} the same, {losses} worse (sum of R-1/2/L)\n")
    cross_validate(rows, args.budget)

    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        for row in rows:
            summarize(row["text"], budget=args.budget)
    elapsed = time.perf_counter() - started
    total_chars = sum(len(row["text"]) for row in rows)
    each = elapsed / (rounds * len(rows))
    per_3k = elapsed / (rounds * total_chars) * 3000
    print(f"speed: {1 / each:.0f} articles/s, {each * 1000:.1f} ms each", end="")
    print(f" ({per_3k * 1000:.1f} ms per 3,000 characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Score bulletin's extractor (and trafilatura / GNE when installed) against a ground-truth corpus.

Usage: python benchmarks/extraction.py [CORPUS_DIR] [--per-page]
CORPUS_DIR holds pages/<id>.html and truth/<id>.json (default: ../shared/corpus/dev beside the repo).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "dev"
# Fixed "now" so results do not drift with the calendar; later than every dev page.
NOW = datetime(2025, 1, 1)


@dataclass
class Result:
    """What one extractor returned for one page."""

    text: str = ""
    title: str | None = None
    date: str | None = None
    authors: list[str] = field(default_factory=list)


Extractor = Callable[[bytes, str], Result]


def bulletin_extractor(data: bytes, origin: str) -> Result:
    """bulletin.extract on HTML bytes."""
    from bulletin.errors import InputError
    from bulletin.extract import extract
    from bulletin.readers import RawInput

    try:
        article = extract(RawInput(data=data, origin=origin, kind="html"), now=NOW)
    except InputError:
        return Result()
    names = list(article.authors) + [c.name for c in article.credits]
    return Result(article.text, article.title, article.date, names)


def _decode_for_peers(data: bytes) -> str:
    # Peers get the same decoded text bulletin sees, so the comparison is about extraction.
    from bulletin.extract.decode import decode

    return decode(data, "<bench>").text


def trafilatura_extractor(data: bytes, origin: str) -> Result:
    """trafilatura.bare_extraction with metadata."""
    import trafilatura

    doc = trafilatura.bare_extraction(_decode_for_peers(data), with_metadata=True)
    if doc is None:
        return Result()
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    author = get("author") or ""
    return Result(
        get("text") or "", get("title"), get("date"), re.split(r"[;,]\s*", author) if author else []
    )


def gne_extractor(data: bytes, origin: str) -> Result:
    """GNE's GeneralNewsExtractor."""
    from gne import GeneralNewsExtractor

    out = GeneralNewsExtractor().extract(_decode_for_peers(data))
    author = out.get("author") or ""
    return Result(
        out.get("content") or "", out.get("title"), out.get("publish_time"), [author] if author else []
    )


def _chars(text: str) -> Counter[str]:
    return Counter(re.sub(r"\s+", "", text))


def body_f1(predicted: str, truth: str) -> float:
    """Bag-of-characters F1, whitespace ignored."""
    p, t = _chars(predicted), _chars(truth)
    overlap = sum((p & t).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(t.values())
    return 2 * precision * recall / (precision + recall)


def _date_parts(value: str) -> list[int] | None:
    m = re.match(r"\s*(\d{4})(?:\s*[-/.年]\s*(\d{1,2}))?(?:\s*[-/.月]\s*(\d{1,2}))?", value)
    if not m:
        return None
    return [int(g) for g in m.groups() if g is not None]


def date_ok(predicted: str | None, truth: str) -> bool:
    """Equal at the precision the truth gives (year, month or day)."""
    want = _date_parts(truth)
    got = _date_parts(predicted or "")
    if not want or not got:
        return False
    return got[: len(want)] == want


def author_ok(predicted: list[str], truth: str) -> bool:
    """Every truth name appears among the extracted names (whitespace ignored)."""
    got = {re.sub(r"\s+", "", n) for n in predicted}
    names = [n for n in re.split(r"[\s、,，;；]+", truth) if n]
    return bool(names) and all(any(n in g or g == n for g in got) for n in names)


def title_ok(predicted: str | None, truth: str) -> bool:
    """Equal after removing whitespace."""
    return re.sub(r"\s+", "", predicted or "") == re.sub(r"\s+", "", truth)


@dataclass
class Score:
    """Per-page scores for one extractor (None: the truth lacks the field)."""

    page: str
    lang: str
    f1: float | None
    title: bool | None
    date: bool | None
    author: bool | None
    must: tuple[int, int]  # (passed, total) text_must_contain / text_must_not_contain checks


def score_page(result: Result, truth: dict[str, Any], page: str) -> Score:
    """Compare one result with its truth record."""
    text = result.text or ""
    compact = re.sub(r"\s+", "", text)
    passed = total = 0
    for needle in truth.get("text_must_contain") or []:
        total += 1
        passed += re.sub(r"\s+", "", needle) in compact
    for needle in truth.get("text_must_not_contain") or []:
        total += 1
        passed += re.sub(r"\s+", "", needle) not in compact
    return Score(
        page=page,
        lang=truth.get("lang") or ("zh" if page.startswith("zh") else "en"),
        f1=body_f1(text, truth["text"]) if truth.get("text") else None,
        title=title_ok(result.title, truth["title"]) if truth.get("title") else None,
        date=date_ok(result.date, str(truth["date"])) if truth.get("date") else None,
        author=author_ok(result.authors, truth["author"]) if truth.get("author") else None,
        must=(passed, total),
    )


def _mean(values: list[float]) -> str:
    return f"{sum(values) / len(values):.3f}" if values else "-"


def summarize(scores: list[Score], seconds: float) -> dict[str, str]:
    """The table row for one extractor."""

    def pick(lang: str, attr: str) -> list[float]:
        return [float(v) for s in scores if s.lang == lang and (v := getattr(s, attr)) is not None]

    passed = sum(s.must[0] for s in scores)
    total = sum(s.must[1] for s in scores)
    return {
        "zh body F1": _mean(pick("zh", "f1")),
        "zh title": _mean(pick("zh", "title")),
        "zh date": _mean(pick("zh", "date")),
        "zh author": _mean(pick("zh", "author")),
        "en body F1": _mean(pick("en", "f1")),
        "must-checks": f"{passed}/{total}",
        "pages/s": f"{len(scores) / seconds:.1f}" if seconds else "-",
    }


def run(
    name: str, extractor: Extractor, pages: list[tuple[str, bytes, dict[str, Any]]]
) -> tuple[list[Score], float]:
    """Run one extractor over all pages; failures score as empty results."""
    scores = []
    elapsed = 0.0
    for page_id, data, truth in pages:
        start = time.perf_counter()
        try:
            result = extractor(data, page_id)
        except Exception as exc:  # a peer crashing on a page is a result, not a benchmark failure
            print(f"{name}: {page_id}: {type(exc).__name__}: {exc}", file=sys.stderr)
            result = Result()
        elapsed += time.perf_counter() - start
        scores.append(score_page(result, truth, page_id))
    return scores, elapsed


def load(corpus: Path) -> list[tuple[str, bytes, dict[str, Any]]]:
    """(id, page bytes, truth) for every page that has a truth file."""
    pages = []
    for path in sorted((corpus / "pages").glob("*.htm*")):
        truth_path = corpus / "truth" / f"{path.stem}.json"
        if truth_path.exists():
            pages.append((path.stem, path.read_bytes(), json.loads(truth_path.read_text(encoding="utf-8"))))
    return pages


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "ok" if value else "MISS"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def main(argv: list[str] | None = None) -> int:
    """Print the comparison table (and per-page rows with --per-page)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--per-page", action="store_true", help="print one row per page and extractor")
    parser.add_argument(
        "--only",
        choices=["bulletin", "trafilatura", "gne"],
        action="append",
        help="run only these extractors (repeatable)",
    )
    args = parser.parse_args(argv)
    pages = load(args.corpus)
    if not pages:
        print(f"no pages with truth under {args.corpus}", file=sys.stderr)
        return 2
    extractors: list[tuple[str, Extractor]] = [("bulletin", bulletin_extractor)]
    for name, module, func in (
        ("trafilatura", "trafilatura", trafilatura_extractor),
        ("gne", "gne", gne_extractor),
    ):
        try:
            __import__(module)
        except Exception:
            print(f"{name} not importable; install the bench extra to compare", file=sys.stderr)
            continue
        extractors.append((name, func))
    if args.only:
        extractors = [(n, f) for n, f in extractors if n in args.only]
    rows = []
    for name, extractor in extractors:
        scores, seconds = run(name, extractor, pages)
        rows.append((name, summarize(scores, seconds)))
        if args.per_page:
            print(f"\n{name}: page  f1  title  date  author  must")
            for s in scores:
                print(
                    f"  {s.page:50} {_fmt(s.f1):6} {_fmt(s.title):5} {_fmt(s.date):5} {_fmt(s.author):5} "
                    f"{s.must[0]}/{s.must[1]}"
                )
    zh = sum(1 for _, _, t in pages if (t.get("lang") or "") == "zh")
    print(f"\n{len(pages)} pages ({zh} zh, {len(pages) - zh} en) from {args.corpus}")
    headers = ["extractor", *rows[0][1].keys()]
    print(" | ".join(f"{h:>12}" for h in headers))
    print(" | ".join("-" * 12 for _ in headers))
    for name, row in rows:
        print(" | ".join(f"{v:>12}" for v in [name, *row.values()]))
    targets = {"zh body F1": 0.95, "zh title": 0.95, "zh date": 0.95, "zh author": 0.90, "en body F1": 0.95}
    print("targets: " + ", ".join(f"{k} >= {v}" for k, v in targets.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

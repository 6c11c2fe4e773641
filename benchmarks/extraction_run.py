"""Run the extractors of the benchmark: bulletin as `bulletin import` reads and cleans, and the peers.

bulletin is called through its public entry points: the readers `bulletin import` uses (folders,
JSONL feeds with --map, text files), `bulletin.extract.extract` on each input, and the archive's
learned per-site line memory (`bulletin.extract.learned.LineMemory`, which the import applies through
bulletin.archive.learned). That memory is the one part of bulletin learned from data; `learned_texts`
applies it as an archive holding a chosen set of articles would.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from extraction_score import Result
from extraction_truth import Case, Job

# Fixed "now" so results do not drift with the calendar; later than every page of both sets.
NOW = datetime(2026, 1, 1)


@dataclass(frozen=True)
class Item:
    """One input as bulletin's readers gave it, with bulletin's article before learned cleaning."""

    origin: str
    source: str
    data: bytes
    html: bool  # whether the peers (HTML extractors) apply
    site: str | None
    result: Result


def _bulletin_result(raw: Any) -> tuple[Result, str | None]:
    from bulletin.errors import InputError
    from bulletin.extract import extract

    try:
        article = extract(raw, now=NOW)
    except InputError:
        return Result(failed=True), None
    names = list(article.authors) + [c.name for c in article.credits]
    return Result(article.text or "", article.title, article.date, names), article.site


def _looks_html(raw: Any) -> bool:
    if raw.kind is not None:
        return bool(raw.kind == "html")
    return bool(re.search(rb"<(html|body|div|p)[\s>]", raw.data[:4096], re.IGNORECASE))


def _source(job: Job, case: Case | None, site: str | None, origin: str) -> str:
    # The folder for wild-dev; for a dev page its truth url's host, else the host bulletin finds,
    # else the page alone (a source of one).
    return job.source or (case.source if case else None) or site or origin


def read_items(jobs: Iterable[Job], cases: dict[str, Case]) -> list[Item]:
    """Every input of every job, read and extracted as `bulletin import` would (failures kept)."""
    from bulletin.errors import InputError
    from bulletin.readers import iter_inputs

    items = []
    for job in jobs:
        for raw in iter_inputs(job.paths, fmt=job.fmt, mapping=dict(job.mapping)):
            if isinstance(raw, InputError):
                source = _source(job, cases.get(raw.origin), None, raw.origin)
                items.append(Item(raw.origin, source, b"", False, None, Result(failed=True)))
                continue
            result, site = _bulletin_result(raw)
            source = _source(job, cases.get(raw.origin), site, raw.origin)
            items.append(Item(raw.origin, source, raw.data, _looks_html(raw), site, result))
    return items


def learned_texts(items: list[Item], learn_from: Callable[[Item], bool]) -> dict[str, Result]:
    """Each item's result after the learned strip, the memory having seen only `learn_from` items.

    The import observes an article, then strips it, in archive order; here the memory first observes
    every chosen item, as an archive already holding them would, then strips every item by its site.
    """
    from bulletin.extract.learned import LineMemory

    memory = LineMemory()
    for item in items:
        if item.site and item.result.text and learn_from(item):
            memory.observe(item.site, item.result.text)
    out = {}
    for item in items:
        text = item.result.text
        if item.site and text:
            text = memory.strip(item.site, text)
        out[item.origin] = item.result if text == item.result.text else replace(item.result, text=text)
    return out


# ------------------------------------------------------------------------------------------ peers


def _decode_for_peers(data: bytes) -> str:
    # Peers get the same decoded text bulletin sees, so the comparison is about extraction.
    from bulletin.extract.decode import decode

    return decode(data, "<bench>").text


def _html_to_text(fragment: str) -> str:
    import lxml.html

    # Block boundaries become line breaks, so line-based residue checks see the lines a reader sees.
    marked = re.sub(
        r"(?i)<(/?(p|div|br|li|h[1-6]|tr|section|article|blockquote)\b[^>]*)>", r"\n<\1>", fragment
    )
    if not marked.strip():
        return ""
    text = lxml.html.fromstring(marked).text_content()
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def readability_extractor(data: bytes) -> Result:
    """readability-lxml's Document: the summary as text, short_title (it gives no date or author)."""
    from readability import Document

    doc = Document(_decode_for_peers(data))
    return Result(_html_to_text(doc.summary(html_partial=True)), doc.short_title())


def trafilatura_extractor(data: bytes) -> Result:
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


def gne_extractor(data: bytes) -> Result:
    """GNE's GeneralNewsExtractor."""
    from gne import GeneralNewsExtractor

    out = GeneralNewsExtractor().extract(_decode_for_peers(data))
    author = out.get("author") or ""
    return Result(
        out.get("content") or "", out.get("title"), out.get("publish_time"), [author] if author else []
    )


PEERS: tuple[tuple[str, str, Callable[[bytes], Result]], ...] = (
    ("readability", "readability", readability_extractor),
    ("trafilatura", "trafilatura", trafilatura_extractor),
    ("gne", "gne", gne_extractor),
)


def available_peers(only: list[str] | None) -> list[tuple[str, Callable[[bytes], Result]]]:
    """The peers that import (a note on stderr for each missing one), limited to `only` if given."""
    found = []
    for name, module, func in PEERS:
        if only and name not in only:
            continue
        try:
            importlib.import_module(module)
        except Exception:
            print(f"{name} not importable: skipped (pip install -e '.[bench]' to compare)", file=sys.stderr)
            continue
        found.append((name, func))
    return found


def run_peer(name: str, func: Callable[[bytes], Result], items: list[Item]) -> dict[str, Result]:
    """A peer's result for every HTML item; a crash on one page is a failed result, not an abort."""
    out = {}
    for item in items:
        if not item.html:
            continue
        try:
            out[item.origin] = func(item.data)
        except Exception as exc:
            print(f"{name}: {item.origin}: {type(exc).__name__}: {exc}", file=sys.stderr)
            out[item.origin] = Result(failed=True)
    return out

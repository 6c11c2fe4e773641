"""Ground truth for the extraction benchmark: the dev pages and the wild-dev scraper outputs, as cases.

A case is one article to score: the origin bulletin's readers give its input (a feed record is
`FILE.jsonl:LINE`), the source it belongs to (the unit leave-one-source-out holds out) and the truth
fields. Each wild-dev folder is read as its README's "as a user would import it" column says, so the
benchmark measures what `bulletin import` does with the same options.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# wild-dev folders read otherwise than `bulletin import pages/FOLDER`: (file under the folder,
# --format, {FIELD: KEY} as --map gives). The rest are imported as folders with the defaults.
WILD_IMPORTS: dict[str, tuple[str, str, dict[str, str]]] = {
    "gov-bjtcm-notices": ("output.jsonl", "auto", {"html": "article", "url": "urlsource"}),
}
# Separators of several credited names in one Chinese truth field ("王建宏 张文攀", "甲、乙").
_ZH_NAME_SPLIT = re.compile(r"[\s、,，;；/]+")
_EN_NAME_SPLIT = re.compile(r"\s*(?:[,;/&]|\band\b)\s*")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Job:
    """One `bulletin import` call: the paths and the reading options a user would give."""

    paths: tuple[str, ...]
    fmt: str = "auto"
    mapping: tuple[tuple[str, str], ...] = ()
    source: str | None = None  # the source of every input read (None: from the case or the site)


@dataclass(frozen=True)
class Case:
    """One article with truth: which input it is, its source, and what it should give."""

    origin: str
    source: str | None  # None: the host bulletin finds on the page (dev pages whose truth has no url)
    lang: str
    title: str | None = None
    date: str | None = None
    text: str | None = None
    names: tuple[str, ...] = ()
    must: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()


def lang_of(text: str) -> str:
    """ "zh" when at least a fifth of the letters are CJK, else "en"."""
    letters = [c for c in text if c.isalpha()]
    return "zh" if letters and len(_CJK.findall(text)) * 5 >= len(letters) else "en"


def split_names(value: str | None) -> tuple[str, ...]:
    """The names in a truth credit field ("王建宏 张文攀" → two); an English name is kept whole."""
    if not value:
        return ()
    splitter = _EN_NAME_SPLIT if lang_of(value) == "en" else _ZH_NAME_SPLIT
    return tuple(n.strip() for n in splitter.split(value) if n.strip())


def host_of(url: str | None) -> str | None:
    """The host of a URL without "www." (the unit bulletin's per-site memory is kept by)."""
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _opt(truth: dict[str, Any], key: str) -> str | None:
    value = truth.get(key)
    return str(value) if value not in (None, "") else None


def dev_cases(corpus: Path) -> tuple[list[Job], list[Case]]:
    """The dev set: the pages (one import), one case per page with a truth file; source = url host."""
    cases = []
    for path in sorted((corpus / "pages").glob("*.htm*")):
        truth_path = corpus / "truth" / f"{path.stem}.json"
        if not truth_path.exists():
            continue
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        cases.append(
            Case(
                origin=str(path),
                source=host_of(_opt(truth, "url")),
                lang=truth.get("lang") or ("zh" if path.stem.startswith("zh") else "en"),
                title=_opt(truth, "title"),
                date=_opt(truth, "date"),
                text=_opt(truth, "text"),
                names=split_names(_opt(truth, "author")),
                must=tuple(truth.get("text_must_contain") or ()),
                must_not=tuple(truth.get("text_must_not_contain") or ()),
            )
        )
    return [Job(tuple(c.origin for c in cases))], cases


def wild_jobs(corpus: Path) -> list[Job]:
    """One import per wild-dev folder, with the options its README row gives; source = the folder."""
    jobs = []
    for folder in sorted(p for p in (corpus / "pages").iterdir() if p.is_dir()):
        name, fmt, mapping = WILD_IMPORTS.get(folder.name, ("", "auto", {}))
        path = folder / name if name else folder
        jobs.append(Job((str(path),), fmt, tuple(sorted(mapping.items())), folder.name))
    return jobs


def wild_cases(corpus: Path) -> tuple[list[Job], list[Case]]:
    """The wild-dev set: its imports, and one case per truth.jsonl line."""
    cases = []
    for line in (corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        truth = json.loads(line)
        file = str(truth["file"])
        text = _opt(truth, "text")
        cases.append(
            Case(
                origin=str(corpus / file),  # "pages/x/output.jsonl:3" is the JSONL reader's origin too
                source=file.split("/")[1],
                lang=lang_of((truth.get("title") or "") + (text or "")),
                title=_opt(truth, "title"),
                date=_opt(truth, "date"),
                text=text,
                names=split_names(_opt(truth, "author")),
            )
        )
    return wild_jobs(corpus), cases

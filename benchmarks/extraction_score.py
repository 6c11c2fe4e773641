"""Scoring for the extraction benchmark: body F1, title, date, credited names and UI residue, per case.

Every metric gives a (numerator, denominator) pair, or None when the case lacks the field; a set's
figure is the sum of numerators over the sum of denominators, so "credited names found" is recall
over all truth names and a share of texts is a share of texts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from extraction_truth import Case

# A DETECTOR for the benchmark, not a rule bulletin uses: the UI strings apps and page templates
# print around an article (named in wild-dev's README and truth). A text "has residue" when a line
# contains one of RESIDUE_PHRASES or is one of RESIDUE_LINES (short words prose also uses, so only a
# whole line of them counts: "点击「阅读原文」查看" is the author's sentence, a bare 阅读原文 line is the
# button). Matching is on NFKC text without whitespace, case ignored.
RESIDUE_PHRASES = (
    "预览时标签不可点",
    "微信扫一扫",
    "使用完整服务",
    "继续滑动看下一个",
    "轻点两下取消赞",
    "轻点两下取消在看",
    "展开全文",
    "阅读剩余全文",
    "打开app",
    "调查问题加载中",
    "上一页",
    "下一页",
)
RESIDUE_LINES = (
    "阅读原文",
    "点击阅读原文",
    "在看",
    "留言",
    "写留言",
    "赞",
    "分享",
    "收藏",
    "举报",
    "分享收藏",
)
# Private-use code points are not text either: SogouCS truth keeps U+E40C, its paragraph mark,
# where an extractor writes a line break.
_SPACE = re.compile(r"[\s\ue000-\uf8ff]+")


def squash(text: str) -> str:
    """NFKC, lower case, no whitespace: full-width forms and spacing do not make two strings differ."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).lower()


def residue_in(text: str) -> list[str]:
    """The residue strings (see RESIDUE_PHRASES) found in `text`, each once, in list order."""
    lines = {squash(line) for line in text.splitlines()} - {""}
    hits = [p for p in RESIDUE_PHRASES if any(p in line for line in lines)]
    return hits + [w for w in RESIDUE_LINES if w in lines]


def _chars(text: str) -> Counter[str]:
    return Counter(_SPACE.sub("", text))


def body_f1(predicted: str, truth: str) -> float:
    """Bag-of-characters F1, whitespace (and private-use marks) ignored."""
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
    """Equal at the precision the truth gives (year, month or day; the time is not compared)."""
    want = _date_parts(unicodedata.normalize("NFKC", truth))
    got = _date_parts(unicodedata.normalize("NFKC", predicted or ""))
    if not want or not got:
        return False
    return got[: len(want)] == want


def title_ok(predicted: str | None, truth: str) -> bool:
    """Equal after NFKC and removing whitespace."""
    return squash(predicted or "") == squash(truth)


def names_found(predicted: list[str], truth: tuple[str, ...]) -> int:
    """How many truth names are among the extracted names (a name inside a longer credit counts)."""
    got = [squash(n) for n in predicted if n]
    return sum(1 for name in truth if any(squash(name) in g for g in got))


@dataclass
class Result:
    """What one extractor returned for one input (`failed`: it raised or refused the input)."""

    text: str = ""
    title: str | None = None
    date: str | None = None
    authors: list[str] = field(default_factory=list)
    failed: bool = False


Pair = tuple[float, float]
Metric = Callable[[Case | None, Result], Pair | None]


def _when(lang: str | None, need: str, score: Callable[[Case, Result], Pair]) -> Metric:
    """A metric on cases of `lang` (None: any) whose truth has the field `need`."""

    def metric(case: Case | None, result: Result) -> Pair | None:
        if case is None or (lang is not None and case.lang != lang) or not getattr(case, need):
            return None
        return score(case, result)

    return metric


def _title(c: Case, r: Result) -> Pair:
    return float(title_ok(r.title, c.title or "")), 1.0


def _date(c: Case, r: Result) -> Pair:
    return float(date_ok(r.date, c.date or "")), 1.0


def _body(c: Case, r: Result) -> Pair:
    return body_f1(r.text, c.text or ""), 1.0


def _names(c: Case, r: Result) -> Pair:
    return float(names_found(r.authors, c.names)), float(len(c.names))


def _must(case: Case | None, r: Result) -> Pair | None:
    if case is None or not (case.must or case.must_not):
        return None
    compact = squash(r.text)
    passed = sum(squash(n) in compact for n in case.must)
    passed += sum(squash(n) not in compact for n in case.must_not)
    return float(passed), float(len(case.must) + len(case.must_not))


def _clean(case: Case | None, r: Result) -> Pair | None:
    # Every text the import produced counts, with or without truth; an input that gave none does not.
    return None if r.failed or not r.text.strip() else (float(not residue_in(r.text)), 1.0)


@dataclass(frozen=True)
class MetricSpec:
    """A named figure, whether it reads the text (so the learned line strip can move it), its target."""

    name: str
    score: Metric
    reads_text: bool
    target: float | None = None


COMMON_METRICS = (
    MetricSpec("zh title", _when("zh", "title", _title), False, 0.95),
    MetricSpec("zh date", _when("zh", "date", _date), False, 0.95),
    MetricSpec("zh credited names found", _when("zh", "names", _names), False, 0.90),
    MetricSpec("zh body F1", _when("zh", "text", _body), True, 0.95),
    MetricSpec("en title", _when("en", "title", _title), False, 0.95),
    MetricSpec("en credited names found", _when("en", "names", _names), False, 0.90),
    MetricSpec("en body F1", _when("en", "text", _body), True, 0.95),
)
DEV_METRICS = (*COMMON_METRICS, MetricSpec("must-contain checks", _must, True))
WILD_METRICS = (*COMMON_METRICS, MetricSpec("texts free of residue", _clean, True, 0.98))


@dataclass
class Tally:
    """Sums of one metric's numerators and denominators over the cases that have it."""

    num: float = 0.0
    den: float = 0.0
    cases: int = 0

    def add(self, pair: Pair | None) -> None:
        """Count one case's pair (None: the case does not have this figure)."""
        if pair is not None:
            self.num += pair[0]
            self.den += pair[1]
            self.cases += 1

    @property
    def value(self) -> float | None:
        """The figure, or None when no case had it."""
        return self.num / self.den if self.den else None

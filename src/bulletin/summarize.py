"""Extractive article summaries and digests of a result set (pure: data in, data out)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bulletin.keywords import IdfTable, keyword_weights
from bulletin.models import Article
from bulletin.sentences import Sentence, split_sentences
from bulletin.words import STOPWORDS, segment

# Position-biased PageRank (as in PositionRank, Florescu & Caragea 2017): a random reader follows
# word overlap from sentence to sentence with probability DAMPING, and otherwise restarts at a
# sentence drawn from the prior (lead position plus title overlap). Far lower than TextRank's 0.85
# because news puts its gist first and editors' summaries lean on the lead: plain TextRank scores
# half of budgeted lead on the dev set. Centrality then reorders sentences the prior holds close.
DAMPING = 0.3
_ITERATIONS = 40
# Sentences shorter than this (in budget units) say too little to stand alone ("是的。").
_MIN_UNITS = 8

_LATIN_RUN = re.compile(r"[A-Za-z0-9]+")
# A credit line: a role label then a colon, slash or bar and a name (撰稿:石 珊, 责任编辑 / 张三,
# 《题目》作者：某某), or an English byline (By Jane Doe). The label may follow a title or a space.
_CREDIT_LABELS = (
    "撰稿|撰文|作者|记者|通讯员|编辑|责任编辑|责编|实习编辑|实习记者|审核|审校|审稿|初审|复审|终审|校对|核稿|"
    "编审|签发|监制|主编|供稿|来源|出处|摄影|摄像|图片|图文|图|文|文字|视频|制作|排版|美编"
)
_CREDIT = re.compile(
    rf"(?:^|[\s》」』”)）】\]])[(（【\[]?(?:{_CREDIT_LABELS})\s*[:：/|｜丨]"
    r"|^\s*(?:by|reporting by|additional reporting by|editing by|edited by|written by|photo|photograph|"
    r"image|source|credit|editor)\b\s*[:：]?\s*\S",
    re.IGNORECASE,
)
# Credits are short: a long sentence quoting "记者：" in an interview is still a sentence.
_CREDIT_MAX_UNITS = 40
# Page furniture that scrapers leave behind. Prompts (关注…, 标签:, 评论列表) are matched at the start of
# the sentence; markers like 展开全文 anywhere. Only short sentences are tested, so a real sentence that
# merely mentions 关注 or 评论 is never thrown away.
_BOILERPLATE = re.compile(
    r"^\W*(?:关注|扫码|扫描|长按|点击|标签|评论|点赞|在看|分享|转发|收藏|举报|版权|转载|免责|原标题|上一篇|下一篇|"
    r"返回|打印|关闭|相关(?:阅读|新闻|链接|推荐)|推荐阅读|热门|订阅|更多|"
    r"read more|click|share|subscribe|sign up|comments?\b|tags?\b|advertisement|related)"
    r"|展开全文|阅读全文|阅读原文|查看原文|二维码|版权所有|本文(?:来自|来源|首发|转载|转自)|经授权|"
    r"all rights reserved|copyright",
    re.IGNORECASE,
)
_BOILERPLATE_MAX_UNITS = 30
# Parenthesised credits inside a lead, e.g. 本报讯（记者 张三 通讯员 李四）: dropped from the shown sentence.
_INLINE_CREDIT = re.compile(r"[（(][^（）()]{0,30}(?:记者|通讯员|撰稿|编辑|摄)[^（）()]{0,30}[）)]")
# A sentence opening with one of these leans on the one before it; alone it reads as a fragment.
_LEANS_BACK = re.compile(
    r"^(?:但是?|而且?|然而|因此|所以|于是|不过|可是|并且|此外|另外|同时|其次|再次|最后|总之|"
    r"(?:But|And|So|However|Therefore|Also|Moreover|Furthermore|Meanwhile)\b)"
)
# A numbered step or list entry (1、 (2) ③ 做法：1、) is part of a list, not a statement that stands alone.
_LIST_ITEM = re.compile(r"^(?:[^，。,:：]{0,6}[:：])?\s*(?:\d{1,2}[、.．)）]|[（(]\d{1,2}[)）]|[①-⑳])")
_STARTS_MID = re.compile(r"^[，,、：:；;。.!！?？”’」』）)\]】]|^[a-z]")


def units(text: str) -> int:
    """Budget length of `text`: 1 per CJK character or mark, ceil(n/2) per Latin or digit run of n.

    A Latin word then counts 2–3 (the=2, policy=3) and a Chinese character 1, which matches how much
    each says; whitespace is free. So a 120-unit budget holds about 120 Chinese characters or 45
    English words.
    """
    total = 0
    last = 0
    for match in _LATIN_RUN.finditer(text):
        total += _plain_units(text[last : match.start()]) + (len(match.group()) + 1) // 2
        last = match.end()
    return total + _plain_units(text[last:])


def _plain_units(text: str) -> int:
    """Units of text without Latin runs: every non-space character counts 1."""
    return sum(1 for ch in text if not ch.isspace())


@dataclass(frozen=True)
class _Candidate:
    """A sentence as the ranker sees it."""

    index: int
    sentence: Sentence
    shown: str
    words: frozenset[str]
    size: int
    eligible: bool
    leans_back: bool


def _words(text: str) -> frozenset[str]:
    """Content words of a sentence, folded, for overlap."""
    found = set()
    for token in segment(text):
        word = unicodedata.normalize("NFKC", token).lower()
        if word not in STOPWORDS and len(word) > 1:
            found.add(word)
    return frozenset(found)


def _norm(text: str) -> str:
    """Text with spaces and punctuation removed, for comparing a sentence with the title."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def _candidates(text: str, title: str | None) -> list[_Candidate]:
    """Split, clean and judge every sentence of the text."""
    title_key = _norm(title or "")
    sentences = split_sentences(text)
    found: list[_Candidate] = []
    for index, sentence in enumerate(sentences):
        shown = _INLINE_CREDIT.sub("", sentence.text).strip()
        size = units(shown)
        eligible = (
            sentence.closed
            and size >= _MIN_UNITS
            and not (size <= _CREDIT_MAX_UNITS and _CREDIT.search(shown))
            and not (size <= _BOILERPLATE_MAX_UNITS and _BOILERPLATE.search(shown))
            and not _STARTS_MID.match(shown)
            and not _LIST_ITEM.match(shown)
            and _norm(shown) != title_key
        )
        found.append(
            _Candidate(index, sentence, shown, _words(shown), size, eligible, bool(_LEANS_BACK.match(shown)))
        )
    return found


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """TextRank's overlap: shared words over the log of the sentence lengths."""
    if len(a) < 2 or len(b) < 2:
        return 0.0
    shared = len(a & b)
    return shared / (math.log(len(a)) + math.log(len(b))) if shared else 0.0


def _rank(candidates: Sequence[_Candidate], title_words: frozenset[str]) -> list[float]:
    """Position-biased PageRank scores over the word-overlap graph of the candidates."""
    n = len(candidates)
    if n == 0:
        return []
    # Prior: 1/(rank+1) by position among the eligible sentences (Zipf-like: the lead, then fast decay),
    # raised by the share of the title's words a sentence repeats.
    prior = []
    for position, cand in enumerate(candidates):
        overlap = len(cand.words & title_words) / len(title_words) if title_words else 0.0
        prior.append(1.0 / (position + 1) + overlap)
    total = sum(prior)
    prior = [p / total for p in prior]
    edges: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            weight = _similarity(candidates[i].words, candidates[j].words)
            if weight > 0:
                edges[i].append((j, weight))
                edges[j].append((i, weight))
    out_weight = [sum(w for _, w in row) for row in edges]
    scores = prior[:]
    for _ in range(_ITERATIONS):
        dangling = sum(scores[i] for i in range(n) if out_weight[i] == 0)
        new = [(1 - DAMPING) * prior[i] + DAMPING * dangling * prior[i] for i in range(n)]
        for i in range(n):
            if out_weight[i]:
                share = DAMPING * scores[i] / out_weight[i]
                for j, weight in edges[i]:
                    new[j] += share * weight
        scores = new
    return scores


def summarize(text: str, title: str | None = None, budget: int = 120) -> str:
    """Whole sentences of `text` that best say what it is about, in document order, within `budget` units.

    Length is measured by `units`. Credit lines, page boilerplate, headings, fragments and the
    title repeated are never chosen. Returns "" when no eligible sentence fits the budget.
    """
    chosen = _choose(_candidates(text, title), title, budget)
    return _join([cand.shown for cand in chosen])


def _choose(candidates: list[_Candidate], title: str | None, budget: int) -> list[_Candidate]:
    """Best-scored sentences while they fit, returned in document order.

    Selection stops at the first sentence that no longer fits instead of padding the budget with
    lower-ranked short sentences: those are what a reader least needs (and lower agreement with
    editors' summaries on the dev set). Only while nothing is chosen yet is a too-long sentence
    passed over, so one long lead does not leave the summary empty.
    """
    eligible = [cand for cand in candidates if cand.eligible]
    scores = _rank(eligible, _words(title) if title else frozenset())
    order = sorted(range(len(eligible)), key=lambda k: -scores[k])
    picked: list[_Candidate] = []
    used = 0
    for k in order:
        cand = eligible[k]
        if used + cand.size > budget:
            if picked:
                break
            continue
        # A sentence opening with 但/因此/However needs the sentence it answers to be in the summary.
        if cand.leans_back and cand.index - 1 not in {p.index for p in picked}:
            continue
        picked.append(cand)
        used += cand.size
    return sorted(picked, key=lambda cand: cand.index)


def _join(sentences: Sequence[str]) -> str:
    """Join sentences: nothing between Chinese ones, a space where either side is Latin."""
    out = ""
    for sentence in sentences:
        if out and out[-1].isascii() and sentence[0].isascii():
            out += " "
        out += sentence
    return out


# ---- Digest of a result set -------------------------------------------------------------------

# How many top hits offer lead sentences to the digest's summary, and how many each offers.
_DIGEST_HITS = 20
_DIGEST_LEADS = 2
# Two lead sentences sharing this much of their words report the same news: keep the first.
_DUPLICATE_OVERLAP = 0.6
_MONTH = re.compile(r"^(\d{4})-(\d{2})")


@dataclass(frozen=True)
class MonthCount:
    """Number of hits dated in one month ("YYYY-MM")."""

    month: str
    count: int


@dataclass(frozen=True)
class SourceCount:
    """Number of hits from one source (来源, else the site)."""

    source: str
    count: int


@dataclass(frozen=True)
class KeywordWeight:
    """A keyword of the result set and its share of the summed TF-IDF weight."""

    word: str
    weight: float


@dataclass(frozen=True)
class DigestSentence:
    """A lead sentence of one hit, attributed to its article."""

    sentence: str
    article_id: str
    title: str | None


@dataclass(frozen=True)
class Digest:
    """What a result set says: size, timeline, sources, keywords and a short attributed summary."""

    count: int
    timeline: tuple[MonthCount, ...]
    undated: int
    sources: tuple[SourceCount, ...]
    keywords: tuple[KeywordWeight, ...]
    summary: tuple[DigestSentence, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data with stable field names, for `--json`."""
        return {
            "count": self.count,
            "timeline": [{"month": m.month, "count": m.count} for m in self.timeline],
            "undated": self.undated,
            "sources": [{"source": s.source, "count": s.count} for s in self.sources],
            "keywords": [{"word": k.word, "weight": k.weight} for k in self.keywords],
            "summary": [
                {"sentence": s.sentence, "article_id": s.article_id, "title": s.title} for s in self.summary
            ],
        }


def digest(
    articles: Sequence[Article],
    *,
    idf: IdfTable | None = None,
    top_sources: int = 10,
    top_keywords: int = 15,
    summary_sentences: int = 5,
) -> Digest:
    """Digest of a result set given in ranking order (best hit first)."""
    timeline, undated = _timeline(articles)
    return Digest(
        count=len(articles),
        timeline=timeline,
        undated=undated,
        sources=_sources(articles, top_sources),
        keywords=_set_keywords(articles, idf, top_keywords),
        summary=_set_summary(articles, summary_sentences),
    )


def _timeline(articles: Sequence[Article]) -> tuple[tuple[MonthCount, ...], int]:
    """Hits per month from the first dated month to the last, empty months included, and the undated."""
    counts: Counter[tuple[int, int]] = Counter()
    undated = 0
    for article in articles:
        match = _MONTH.match(article.date or "")
        if match and 1 <= int(match.group(2)) <= 12:
            counts[(int(match.group(1)), int(match.group(2)))] += 1
        else:
            undated += 1  # no date, or only a year: it has no place on a monthly chart
    if not counts:
        return (), undated
    (year, month), last = min(counts), max(counts)
    months = []
    # Empty months are listed too, so a bar chart's gaps show as gaps.
    while (year, month) <= last:
        months.append(MonthCount(f"{year:04d}-{month:02d}", counts[(year, month)]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months), undated


def _sources(articles: Sequence[Article], limit: int) -> tuple[SourceCount, ...]:
    """The most frequent sources, most hits first, then by name."""
    counts = Counter(name for article in articles if (name := article.source or article.site))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(SourceCount(name, count) for name, count in ranked[: max(limit, 0)])


def _set_keywords(articles: Sequence[Article], idf: IdfTable | None, limit: int) -> tuple[KeywordWeight, ...]:
    """Keywords of the whole set: each article's TF-IDF weights (summing to 1) added up, so long
    articles do not drown short ones; weights are shares of the total."""
    totals: Counter[str] = Counter()
    for article in articles:
        text = f"{article.title}\n{article.text}" if article.title else article.text
        totals.update(keyword_weights(text, idf))
    whole = sum(totals.values())
    if not whole:
        return ()
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return tuple(KeywordWeight(word, round(value / whole, 4)) for word, value in ranked[: max(limit, 0)])


def _set_summary(articles: Sequence[Article], limit: int) -> tuple[DigestSentence, ...]:
    """The most central lead sentences of the top hits, one per article, near-duplicates dropped."""
    leads: list[tuple[_Candidate, Article]] = []
    for article in articles[:_DIGEST_HITS]:
        chosen = [c for c in _candidates(article.text, article.title) if c.eligible][:_DIGEST_LEADS]
        leads.extend((cand, article) for cand in chosen)
    if not leads or limit <= 0:
        return ()
    # Centrality among the leads (plain degree over word overlap) says what most hits report;
    # hit rank breaks ties, so the best hits speak first.
    centrality = [
        sum(_similarity(cand.words, other.words) for other, _ in leads if other is not cand)
        for cand, _ in leads
    ]
    order = sorted(range(len(leads)), key=lambda k: (-centrality[k], k))
    picked: list[tuple[_Candidate, Article]] = []
    told: set[str] = set()  # articles already represented, or whose news another article told
    for k in order:
        cand, article = leads[k]
        if article.id in told:
            continue
        told.add(article.id)
        if any(_overlap(cand.words, other.words) >= _DUPLICATE_OVERLAP for other, _ in picked):
            continue
        picked.append((cand, article))
        if len(picked) == limit:
            break
    return tuple(DigestSentence(cand.shown, article.id, article.title) for cand, article in picked)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller word set found in the other."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))

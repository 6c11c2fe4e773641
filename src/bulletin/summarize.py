"""Extractive article summaries and digests of a result set (pure: data in, data out)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bulletin.keywords import IdfTable, keyword_weights
from bulletin.models import Article
from bulletin.sentences import Sentence, split_sentences
from bulletin.summary_defaults import SUMMARY_LENGTH
from bulletin.text import cjk
from bulletin.text.normalize import fold
from bulletin.text.window import head
from bulletin.words import STOPWORDS, segment

# Selection is KL-Sum-style (Haghighi & Vanderwende 2009) against a position-weighted profile of the
# article: the profile counts each sentence's character bigrams with weight 1/(k+1) for the k-th
# eligible sentence (a Zipf prior: news says its gist first) and the title's with weight 1, as if it
# were a lead sentence. Sentences are added greedily while they bring the summary's profile closer
# (cosine) to the article's, so a later sentence that restates what the lead region is about can beat
# a lead sentence of detail, repeats add nothing, and the summary stops when more text would only
# dilute it. The exponent 1 and the title weight 1 are fixed by that reasoning, not fitted: the
# benchmark's dev articles are too few to fit anything (see benchmarks/summaries.py).
_POSITION_EXPONENT = 1.0
_TITLE_WEIGHT = 1.0
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
# A news dateline opening the lead (本报讯, 新华社北京2月2日电（记者 李四）, 央视网消息：) names the
# outlet, not the news: it is dropped from the shown sentence, as editors drop it from summaries.
_DATELINE = re.compile(
    rf"^(?:本报|新华社|中新社|[{cjk.HAN}]{{2,8}}?(?:日报|晚报|网|台|社))"
    rf"(?:[{cjk.HAN}]{{0,6}}?\d{{1,2}}月\d{{1,2}}日)?(?:讯|电|消息)\s*"
    r"(?:[（(][^（）()]{0,40}[）)])?\s*[：:，,]?\s*"
)
# A sentence that opens a parenthesis is an aside or an editor's note (（作者系…, (本文…): not the news.
_ASIDE = re.compile(r"^[（(]")
# A sentence opening with one of these leans on the one before it; alone it reads as a fragment:
# connectives (但是, 因此, However) and pronouns or demonstratives whose referent came before
# (他强调…, 该片…, 其位于…, This…), which a summary without the antecedent leaves dangling.
_LEANS_BACK = re.compile(
    r"^(?:但是?|而且?|然而|因此|所以|于是|不过|可是|并且|此外|另外|同时|其次|再次|最后|总之|"
    r"他们|她们|它们|他|她|它|其|该|此|这|"
    r"(?:But|And|So|However|Therefore|Also|Moreover|Furthermore|Meanwhile|He|She|It|They|This|These|Those)\b)"
)
# A numbered step or list entry (1、 (2) ③ 做法：1、 二是… 第三，) is part of a list, not a statement
# that stands alone.
_LIST_ITEM = re.compile(
    r"^(?:[^，。,:：]{0,6}[:：])?\s*(?:\d{1,2}[、.．)）]|[（(]\d{1,2}[)）]|[①-⑳]|"
    r"[一二三四五六七八九十]{1,2}[、是]|其[一二三四五]|第[一二三四五六七八九十]{1,2}[，,、：:])"
)
# A speaker tag cut off from its quote (王高鸿说。 中国科学院研究员王某表示。) says nothing by itself.
_SPEAKER_TAG = re.compile(r"^[^，,。；;：:“”\"]{1,30}(?:说|表示|称|指出|介绍|强调)[。.]$")
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
    grams: Counter[str]
    size: int
    eligible: bool
    leans_back: bool


def _words(text: str) -> frozenset[str]:
    """Content words of a sentence, folded, for overlap."""
    found = set()
    for token in segment(text):
        word = fold(token)
        if word not in STOPWORDS and len(word) > 1:
            found.add(word)
    return frozenset(found)


_CJK_RUN = re.compile(f"[{cjk.IDEOGRAPHS}]+")
_WORD_RUN = re.compile(r"[^\W_]+")


def _grams(text: str) -> Counter[str]:
    """What a sentence says, as counts: character bigrams of Chinese runs, folded Latin/digit words.

    Bigrams need no segmenter (so `show` stays fast) and are the unit Chinese retrieval and ROUGE
    use; a bigram never spans punctuation. A one-character run counts as itself.
    """
    folded = fold(text)
    grams: Counter[str] = Counter()
    for run in _CJK_RUN.findall(folded):
        if len(run) == 1:
            grams[run] += 1
        else:
            grams.update(run[i : i + 2] for i in range(len(run) - 1))
    for word in _WORD_RUN.findall(_CJK_RUN.sub(" ", folded)):
        if word not in STOPWORDS:
            grams[word] += 1
    return grams


def _norm(text: str) -> str:
    """Text with spaces and punctuation removed, for comparing a sentence with the title."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


def _shown(text: str) -> str:
    """The sentence as a summary shows it: without a dateline or a parenthesised credit."""
    trimmed = _DATELINE.sub("", text, count=1) if _DATELINE.match(text) else text
    return _INLINE_CREDIT.sub("", trimmed).strip()


def _candidates(text: str, title: str | None) -> list[_Candidate]:
    """Split, clean and judge every sentence of the text's opening window (bulletin.text.window)."""
    title_key = _norm(title or "")
    sentences = split_sentences(head(text))
    found: list[_Candidate] = []
    for index, sentence in enumerate(sentences):
        shown = _shown(sentence.text)
        size = units(shown)
        eligible = (
            sentence.closed
            and size >= _MIN_UNITS
            and not (size <= _CREDIT_MAX_UNITS and _CREDIT.search(shown))
            and not (size <= _BOILERPLATE_MAX_UNITS and _BOILERPLATE.search(shown))
            and not _STARTS_MID.match(shown)
            and not _LIST_ITEM.match(shown)
            and not _ASIDE.match(shown)
            and not _SPEAKER_TAG.match(shown)
            and not (title_key and _norm(shown) == title_key)
        )
        found.append(
            _Candidate(index, sentence, shown, _grams(shown), size, eligible, bool(_LEANS_BACK.match(shown)))
        )
    return found


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """TextRank's overlap: shared words over the log of the sentence lengths."""
    if len(a) < 2 or len(b) < 2:
        return 0.0
    shared = len(a & b)
    return shared / (math.log(len(a)) + math.log(len(b))) if shared else 0.0


def _profile(eligible: Sequence[_Candidate], title: str | None) -> dict[str, float]:
    """The article's position-weighted bigram profile: k-th eligible sentence weighted 1/(k+1)."""
    profile: dict[str, float] = {}
    if title:
        for gram, count in _grams(title).items():
            profile[gram] = profile.get(gram, 0.0) + _TITLE_WEIGHT * count
    for rank, cand in enumerate(eligible):
        weight = 1.0 / (rank + 1) ** _POSITION_EXPONENT
        for gram, count in cand.grams.items():
            profile[gram] = profile.get(gram, 0.0) + weight * count
    return profile


def summarize(text: str, title: str | None = None, budget: int = SUMMARY_LENGTH) -> str:
    """Whole sentences of `text` that best say what it is about, in document order, within `budget` units.

    Length is measured by `units`. Credit lines, page boilerplate, headings, fragments, asides and
    the title repeated are never chosen; a leading dateline or a parenthesised credit is dropped
    from the sentence it opens. Returns "" when no eligible sentence fits the budget.
    """
    chosen = _choose(_candidates(text, title), title, budget)
    return _join([cand.shown for cand in chosen])


def _choose(candidates: list[_Candidate], title: str | None, budget: int) -> list[_Candidate]:
    """Sentences whose bigrams best match the article's profile, within the budget, in document order.

    Greedy KL-Sum with cosine: each step adds the fitting sentence that raises the cosine between
    the summary's bigram counts and the profile most, and stops when none raises it. Redundancy
    costs by itself (a repeat piles weight on bigrams already covered), and so does padding with
    off-topic short sentences, so the budget is a ceiling, not a target.
    """
    eligible = [cand for cand in candidates if cand.eligible]
    profile = _profile(eligible, title)
    # A sentence's dot product with the profile does not change as the summary grows: compute it once.
    gains = [sum(count * profile.get(gram, 0.0) for gram, count in cand.grams.items()) for cand in eligible]
    keys = [_norm(cand.shown) for cand in eligible]
    summary: Counter[str] = Counter()
    dot = 0.0  # summary · profile
    norm = 0.0  # |summary|²
    best = 0.0
    picked: list[_Candidate] = []
    taken: set[int] = set()
    picked_indices: set[int] = set()
    said: set[str] = set()  # pages often repeat a paragraph: the same sentence is never shown twice
    used = 0
    while True:
        choice: tuple[float, float, float, int] | None = None
        for k, cand in enumerate(eligible):
            if k in taken or used + cand.size > budget or keys[k] in said:
                continue
            # A sentence opening with 但/因此/他/However needs the sentence it leans on in the summary.
            if cand.leans_back and cand.index - 1 not in picked_indices:
                continue
            new_dot = dot + gains[k]
            new_norm = norm + sum(count * (2 * summary[gram] + count) for gram, count in cand.grams.items())
            score = new_dot / math.sqrt(new_norm) if new_norm else 0.0
            if choice is None or score > choice[0]:
                choice = (score, new_dot, new_norm, k)
        if choice is None or choice[0] <= best:
            break
        best, dot, norm, k = choice
        taken.add(k)
        picked.append(eligible[k])
        picked_indices.add(eligible[k].index)
        said.add(keys[k])
        summary.update(eligible[k].grams)
        used += eligible[k].size
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
    """What a result set says: size, timeline, sources, keywords and a short attributed summary.

    `count` is the articles matched, near-duplicate copies included: what timeline (with
    `undated`) and sources add up to. `distinct` counts a near-duplicate group once (as
    `search --count` does); keywords and summary come from the top `sampled` of those.
    """

    count: int
    timeline: tuple[MonthCount, ...]
    undated: int
    sources: tuple[SourceCount, ...]
    keywords: tuple[KeywordWeight, ...]
    summary: tuple[DigestSentence, ...]
    distinct: int = 0
    sampled: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain data with stable field names, for `--json`."""
        return {
            "count": self.count,
            "distinct": self.distinct,
            "sampled": self.sampled,
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
        distinct=len(articles),
        sampled=len(articles),
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
    leads: list[tuple[_Candidate, frozenset[str], Article]] = []
    for article in articles[:_DIGEST_HITS]:
        # Out of its article a sentence must stand alone: one opening with 但/他/该 points at text
        # the digest does not show.
        alone = [c for c in _candidates(article.text, article.title) if c.eligible and not c.leans_back]
        # Words are segmented once per lead: the centrality below compares every pair.
        leads.extend((cand, _words(cand.shown), article) for cand in alone[:_DIGEST_LEADS])
    if not leads or limit <= 0:
        return ()
    # Centrality among the leads (plain degree over word overlap) says what most hits report;
    # hit rank breaks ties, so the best hits speak first.
    centrality = [
        sum(_similarity(words, other) for j, (_, other, _) in enumerate(leads) if j != k)
        for k, (_, words, _) in enumerate(leads)
    ]
    order = sorted(range(len(leads)), key=lambda k: (-centrality[k], k))
    picked: list[tuple[_Candidate, frozenset[str], Article]] = []
    told: set[str] = set()  # articles already represented, or whose news another article told
    for k in order:
        cand, words, article = leads[k]
        if article.id in told:
            continue
        told.add(article.id)
        if any(_overlap(words, other) >= _DUPLICATE_OVERLAP for _, other, _ in picked):
            continue
        picked.append((cand, words, article))
        if len(picked) == limit:
            break
    return tuple(DigestSentence(cand.shown, article.id, article.title) for cand, _, article in picked)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller word set found in the other."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))

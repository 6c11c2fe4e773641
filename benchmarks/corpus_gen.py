"""Deterministic synthetic bulletins made by recombining real sentences (for benchmarks).

Sentences come from ../shared (dev-corpus truth texts, the seed, the summary eval set), so
the text has real Chinese vocabulary and punctuation; titles, dates and sources are drawn
with a seeded generator. Half the articles are HTML pages with typical boilerplate around
the article, half are text dumps.

    python benchmarks/corpus_gen.py OUT_DIR --count 10000 [--seed 7]
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]")
DISTRICTS = [
    "潼南",
    "合川",
    "铜梁",
    "大足",
    "永川",
    "江津",
    "綦江",
    "南川",
    "涪陵",
    "长寿",
    "璧山",
    "荣昌",
    "梁平",
    "垫江",
    "忠县",
    "丰都",
    "武隆",
    "石柱",
    "秀山",
    "酉阳",
]
BODIES = ["教育委员会", "人民政府", "卫生健康委员会", "融媒体中心", "文化和旅游委员会", "应急管理局"]
ROLES = ["撰稿", "编辑", "审核", "记者", "责任编辑"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


@dataclass(frozen=True)
class SyntheticArticle:
    """One generated article and the facts a benchmark can check it against."""

    name: str
    kind: str
    title: str
    date: str
    source: str
    text: str
    body: bytes


def real_sentences() -> list[str]:
    """Chinese sentences from the shared real texts (else the committed examples), deduplicated, in order."""
    texts: list[str] = []
    truth = SHARED / "corpus" / "dev" / "truth"
    for path in sorted(truth.glob("zh-*.json")):
        value = json.loads(path.read_text(encoding="utf-8")).get("text")
        if value:
            texts.append(value)
    seed = SHARED / "seed" / "tongnan-education-2023.txt"
    if seed.exists():
        texts.append(seed.read_text(encoding="utf-8"))
    else:  # a fresh clone: the committed examples (the seed's byte-identical copy among them)
        texts.extend(path.read_text(encoding="utf-8") for path in sorted((REPO / "examples").glob("*.txt")))
    evaluation = SHARED / "eval" / "summaries-dev.jsonl"
    if evaluation.exists():
        for line in evaluation.read_text(encoding="utf-8").splitlines():
            texts.append(json.loads(line)["text"])
    seen: dict[str, None] = {}
    for text in texts:
        for match in _SENTENCE.finditer(text):
            sentence = match.group(0).strip()
            if (
                12 <= len(sentence) <= 160
                and sum("\u4e00" <= c <= "\u9fff" for c in sentence) > len(sentence) // 2
            ):
                seen.setdefault(sentence, None)
    return list(seen)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _html_page(title: str, date: str, source: str, paragraphs: list[str], credits: str) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}_{html.escape(source)}</title></head><body>"
        '<div class="nav"><a href="/">首页</a> <a href="/xw">新闻动态</a> <a href="/tz">通知公告</a></div>'
        f'<div class="article"><h1>{html.escape(title)}</h1>'
        f'<div class="info">发布时间：{date}　来源：{html.escape(source)}　浏览次数：{len(title) * 37}</div>'
        f'<div class="content">{body}<p>{html.escape(credits)}</p></div>'
        '<div class="share">分享到：微信 微博</div></div>'
        f'<div class="footer">版权所有：{html.escape(source)}　技术支持：某网络公司</div></body></html>'
    )


def generate(count: int, seed: int = 7, chars: int = 2500) -> Iterator[SyntheticArticle]:
    """`count` articles of about `chars` characters of text each, the same for the same seed."""
    sentences = real_sentences()
    if not sentences:
        raise SystemExit("no sentences found: ../shared is missing")
    rng = random.Random(seed)
    for n in range(count):
        source = rng.choice(DISTRICTS) + "区" + rng.choice(BODIES)
        year = rng.randint(2015, 2026)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        title_base = rng.choice(sentences).rstrip("。！？!?")
        title = f"{source[:2]}{title_base[: rng.randint(10, 26)]}"
        paragraphs: list[str] = []
        size = 0
        while size < chars:
            paragraph = "".join(rng.choice(sentences) for _ in range(rng.randint(2, 5)))
            paragraphs.append(paragraph)
            size += len(paragraph)
        credits = f"撰稿：{_person(rng)}　编辑：{_person(rng)}　审核：{_person(rng)}"
        kind = "html" if n % 2 == 0 else "text"
        if kind == "html":
            body = _html_page(title, date, source, paragraphs, credits).encode("utf-8")
        else:
            text_dump = "\n".join(
                [title, f"{date} 来源：{source}", *paragraphs, credits, "展开全文", "评论列表"]
            )
            body = text_dump.encode("utf-8")
        yield SyntheticArticle(
            name=f"{n:07d}.{'html' if kind == 'html' else 'txt'}",
            kind=kind,
            title=title,
            date=date,
            source=source,
            text="\n".join(paragraphs),
            body=body,
        )


def write_corpus(folder: Path, count: int, seed: int = 7) -> list[SyntheticArticle]:
    """Write `count` files under folder (1,000 per subfolder) unless already there; return them."""
    articles = list(generate(count, seed))
    marker = folder / f".complete-{count}-{seed}"
    if not marker.exists():
        for index, article in enumerate(articles):
            sub = folder / f"{index // 1000:04d}"
            sub.mkdir(parents=True, exist_ok=True)
            (sub / article.name).write_bytes(article.body)
        marker.write_text("ok\n")
    return articles


def archive_records(count: int) -> Iterator[tuple[Any, bytes]]:
    """Generated articles as archive records with their original bytes, for bulk loads that
    skip extraction (extraction is measured by benchmarks/extraction.py)."""
    from bulletin.models import Article, article_id

    for item in generate(count):
        sha = hashlib.sha256(item.body).hexdigest()
        article = Article(
            id=article_id(sha),
            sha256=sha,
            origin=item.name,
            text=item.text,
            title=item.title,
            date=item.date,
            source=item.source,
            lang="zh",
            imported_at="2026-01-01T00:00:00Z",
        )
        yield article, item.body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_corpus(args.out, args.count, args.seed)
    print(f"{args.count} articles in {args.out}")


if __name__ == "__main__":
    main()

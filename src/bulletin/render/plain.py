"""Plain renderers for pipes: tab-separated lines that never wrap, no colour, no markup."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from bulletin.models import Article
from bulletin.render.data import hit_record
from bulletin.render.fields import PLAIN_HIT_FIELDS, PLAIN_METADATA_FIELDS
from bulletin.results import Hit
from bulletin.text.sanitize import one_line, safe


def hit_line(hit: Hit) -> str:
    """id, date, source, title, snippet separated by tabs."""
    record = hit_record(hit)
    return "\t".join(one_line(record[name] or "") for name in PLAIN_HIT_FIELDS)


def hit_lines(hits: Iterable[Hit]) -> Iterator[str]:
    """One line per hit."""
    return (hit_line(hit) for hit in hits)


def metadata_lines(article: Article, *, origins: list[str] | None = None) -> list[str]:
    """`name: value` lines for the fields that are set."""
    lines = [f"id: {article.id}"]
    for name in PLAIN_METADATA_FIELDS:
        value = getattr(article, name)
        if value:
            lines.append(f"{name}: {one_line(value)}")
    if article.authors:
        lines.append("authors: " + one_line(", ".join(article.authors)))
    for credit in article.credits:
        lines.append(f"credit: {one_line(credit.role)}: {one_line(credit.name)}")
    if article.tags:
        lines.append("tags: " + one_line(", ".join(article.tags)))
    for origin in origins or [article.origin]:
        lines.append(f"origin: {one_line(origin)}")
    return lines


def article_text(
    article: Article,
    *,
    origins: list[str] | None = None,
    summary: str | None = None,
    keywords: list[str] | None = None,
) -> str:
    """Metadata lines, a blank line, optional summary/keywords, then the clean text."""
    lines = metadata_lines(article, origins=origins)
    if keywords:
        lines.append("keywords: " + one_line(", ".join(keywords)))
    if summary:
        lines.append("summary: " + one_line(summary))
    return "\n".join(lines) + "\n\n" + safe(article.text) + "\n"


def digest_lines(data: dict[str, Any]) -> Iterator[str]:
    """The digest as `section<TAB>key<TAB>value` lines: easy to grep and cut."""
    yield f"count\t{data['count']}"
    for row in data.get("timeline") or []:
        yield f"month\t{row['month']}\t{row['count']}"
    if data.get("undated"):
        yield f"undated\t{data['undated']}"
    for row in data.get("sources") or []:
        yield f"source\t{one_line(row['source'])}\t{row['count']}"
    for row in data.get("keywords") or []:
        yield f"keyword\t{one_line(row['word'])}\t{row['weight']}"
    for row in data.get("summary") or []:
        yield f"summary\t{row['article_id']}\t{one_line(row['sentence'])}"

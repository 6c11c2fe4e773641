"""Plain renderers for pipes: tab-separated lines that never wrap, no colour, no markup."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from bulletin.models import Article
from bulletin.render.data import hit_record
from bulletin.render.fields import PLAIN_HIT_FIELDS, PLAIN_MEMBER_FIELDS, PLAIN_METADATA_FIELDS
from bulletin.results import Hit
from bulletin.text.sanitize import one_line, safe
from bulletin.titles import DERIVED_MARK, is_derived, shown_title

if TYPE_CHECKING:
    from bulletin.archive.stats import ArchiveStats


def hit_line(hit: Hit) -> str:
    """id, date, source, title, snippet separated by tabs (a derived title after its mark)."""
    record = hit_record(hit)
    record["title"] = shown_title(hit.article.title, hit.article.text)
    return "\t".join(one_line(record[name] or "") for name in PLAIN_HIT_FIELDS)


def hit_lines(hits: Iterable[Hit]) -> Iterator[str]:
    """One line per hit."""
    return (hit_line(hit) for hit in hits)


def metadata_lines(article: Article, *, origins: list[str] | None = None) -> list[str]:
    """`name: value` lines for the fields that are set."""
    lines = [f"id: {article.id}"]
    for name in PLAIN_METADATA_FIELDS:
        value = getattr(article, name)
        if name == "title" and is_derived(value):
            value = shown_title(value, article.text)
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
    yield f"count\t{data['count']}"  # articles matched, copies included (what the rows add up to)
    if "distinct" in data:
        yield f"distinct\t{data['distinct']}"
        yield f"sampled\t{data['sampled']}"
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


def stats_lines(stats: ArchiveStats) -> list[str]:
    """`stats` as `name<TAB>value` lines, then one line per source and per month."""
    lines = [
        f"archive\t{stats.path}",
        f"articles\t{stats.articles}",
        f"dates\t{stats.first_date or '-'} .. {stats.last_date or '-'} ({stats.undated} undated)",
        f"duplicates\t{stats.duplicate_groups} groups, {stats.duplicate_articles} articles",
        f"originals\t{size_text(stats.originals_bytes)}",
        f"database\t{size_text(stats.database_bytes)}",
        f"index\t{size_text(stats.index_bytes)} ({stats.index_documents} documents)",
        f"on disk\t{size_text(stats.disk_bytes)}",
    ]
    lines += [f"source\t{one_line(s)}\t{n}" for s, n in stats.top_sources]
    lines += [f"month\t{m}\t{n}" for m, n in stats.months]
    return lines


def size_text(n: int) -> str:
    """A byte count for people: 512 B, 3.4 KB, 1.2 MB, 5.0 GB."""
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"


def duplicate_lines(record: dict[str, Any]) -> Iterator[str]:
    """One group (a duplicate_record): a `group` line, then id, date, source, title of each member."""
    yield f"group {record['group']}\t{record['count']} articles"
    for member in record["members"]:
        shown = {**member, "title": member["title"] or f"{DERIVED_MARK} {member['display_title']}".rstrip()}
        yield "\t".join(one_line(str(shown[name] or "")) for name in PLAIN_MEMBER_FIELDS)

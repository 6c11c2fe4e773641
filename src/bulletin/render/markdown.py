"""Markdown: one section per article, with scraped text escaped so it never becomes markup."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from bulletin.models import Article
from bulletin.render.fields import MARKDOWN_METADATA_FIELDS
from bulletin.text.sanitize import one_line, safe
from bulletin.titles import shown_title


def _metadata(article: Article) -> dict[str, str | None]:
    return {
        "id": article.id,
        "date": article.date,
        "source": article.source,
        "url": article.url,
        "authors": ", ".join(article.authors),
        "credits": ", ".join(f"{c.role} {c.name}" for c in article.credits),
        "tags": ", ".join(article.tags),
    }


def markdown_section(article: Article) -> str:
    """One article as a Markdown section: heading, a metadata list, then the text."""
    title = one_line(shown_title(article.title, article.text))
    lines = [f"## {escape_markdown(title)}", ""]
    metadata = _metadata(article)
    for label in MARKDOWN_METADATA_FIELDS:
        value = metadata[label]
        if value:
            lines.append(f"- {label}: {escape_markdown(one_line(value))}")
    lines.append("")
    paragraphs = [p.strip() for p in safe(article.text).split("\n") if p.strip()]
    lines.extend(f"{escape_markdown(p)}\n" for p in paragraphs)
    return "\n".join(lines)


def escape_markdown(text: str) -> str:
    """Text that renders as itself: no heading, list, quote, emphasis or inline HTML."""
    # A paragraph starting with "#", "-", ">" or "1." would turn into a heading, list or quote.
    text = text.replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "*_`[]|":
        text = text.replace(ch, "\\" + ch)
    if text[:1] in ("#", "-", "+", "=") or (text[:1].isdigit() and text.lstrip("0123456789")[:1] in ".)"):
        text = "\\" + text
    return text


def write_markdown(articles: Iterable[Article], out: TextIO, *, heading: str = "bulletin export") -> int:
    """A Markdown document with one section per article; returns how many were written."""
    out.write(f"# {escape_markdown(heading)}\n\n")
    count = 0
    for article in articles:
        if count:
            out.write("\n---\n\n")
        out.write(markdown_section(article))
        count += 1
    return count

"""Rich terminal views. Scraped text goes in as Text objects: never parsed as markup."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bulletin.console import Env
from bulletin.models import Article
from bulletin.results import Marked, SearchResult
from bulletin.text.sanitize import one_line, safe
from bulletin.titles import DERIVED_MARK, is_derived, shown_title

MATCH_STYLE = "bold yellow"


def make_console(env: Env, *, stderr: bool = False) -> Console:
    """A console with markup, emoji and auto-highlighting off (content is untrusted)."""
    return Console(
        stderr=stderr,
        markup=False,
        emoji=False,
        highlight=False,
        no_color=not env.color,
        force_terminal=env.terminal_view if not stderr else env.stderr_tty,
        width=env.width,
    )


def marked_text(marked: Marked, *, single_line: bool = True) -> Text:
    """Text with highlight spans styled; control characters removed first."""
    raw = marked.text
    cleaned = one_line(raw) if single_line else safe(raw)
    text = Text(cleaned)
    if len(cleaned) == len(raw):  # spans are only valid when cleaning removed nothing
        for start, end in marked.spans:
            text.stylize(MATCH_STYLE, start, end)
    return text


def hits_caption(shown: int, total: int, offset: int = 0) -> str:
    """ "10 of 22 hits" for a first page, "21–22 of 22 hits" for a later one."""
    if offset <= 0:
        return f"{shown} of {total} hits"
    return f"{offset + 1}–{offset + shown} of {total} hits"


def hits_table(result: SearchResult, *, show_total: bool = True, offset: int = 0, width: int = 120) -> Table:
    """The search results table: rank, id, date, title and snippet, source.

    Below 100 columns the rank goes, dates show their day and sources are cut short: the
    title and snippet keep the room (at 80 columns, half the width).
    """
    narrow = width < 100
    caption = hits_caption(len(result.hits), result.total, offset) if show_total else None
    table = Table(box=box.SIMPLE_HEAD, caption=caption, show_lines=False, expand=True)
    if not narrow:
        table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("date", no_wrap=True)
    # fold, not rich's default ellipsis: Chinese has no spaces, so a title is one long "word".
    table.add_column("title / snippet", ratio=1, overflow="fold")
    table.add_column("source", max_width=10 if narrow else 18, no_wrap=narrow, overflow="ellipsis")
    for hit in result.hits:
        title = marked_text(hit.title)
        title.stylize("bold")
        if is_derived(hit.article.title):
            title = Text.assemble((DERIVED_MARK + " ", "dim"), title)
        if hit.copies:
            title.append(f"  +{hit.copies} {'copy' if hit.copies == 1 else 'copies'}", style="dim")
        cell = Text.assemble(title, "\n", marked_text(hit.snippet))
        date = one_line(hit.article.date or "")
        row: list[str | Text] = [
            hit.article.id,
            Text(date[:10] if narrow else date),
            cell,
            Text(one_line(hit.article.source or "")),
        ]
        table.add_row(*row if narrow else [str(hit.rank), *row])
    return table


def article_panel(
    article: Article,
    *,
    origins: list[str] | None = None,
    summary: str | None = None,
    keywords: list[str] | None = None,
) -> Panel:
    """One article: metadata grid, optional summary and keywords, then the text."""
    meta = Table.grid(padding=(0, 1))
    meta.add_column(style="dim", no_wrap=True)
    meta.add_column()
    rows: list[tuple[str, str]] = [("id", article.id)]
    for name, value in (("date", article.date), ("source", article.source), ("url", article.url)):
        if value:
            rows.append((name, value))
    for credit in article.credits:
        rows.append((credit.role, credit.name))
    if article.tags:
        rows.append(("tags", ", ".join(article.tags)))
    for origin in origins or [article.origin]:
        rows.append(("origin", origin))
    if keywords:
        rows.append(("keywords", ", ".join(keywords)))
    for name, value in rows:
        meta.add_row(Text(one_line(name)), Text(one_line(value)))
    # The whole title inside the panel, wrapped: a border title is cut to one line.
    heading = Text(one_line(shown_title(article.title, article.text)), style="bold")
    parts: list[Table | Text] = [heading, meta]
    if summary:
        parts.append(Text.assemble(("\nsummary  ", "bold"), Text(one_line(summary))))
    parts.append(Text("\n" + safe(article.text)))
    return Panel(Group(*parts), box=box.ROUNDED)


def counts_table(title: str, rows: Sequence[tuple[str, int]], key_name: str) -> Table:
    """A two-column table of counts (facets, top sources)."""
    table = Table(title=title, box=box.SIMPLE_HEAD)
    table.add_column(key_name)
    table.add_column("articles", justify="right")
    for key, value in rows:
        table.add_row(Text(one_line(key)), str(value))
    return table


def _timeline_rows(timeline: Sequence[dict[str, object]]) -> list[tuple[str, int]]:
    """Monthly rows, folded into years when there are too many months to read."""
    return year_rows([(str(t["month"]), int(str(t["count"]))) for t in timeline])


def year_rows(rows: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """(month, count) rows as they are, or folded into years when there are too many to read."""
    rows = list(rows)
    if len(rows) <= 36:
        return rows
    years: dict[str, int] = {}
    for month, count in rows:
        years[month[:4]] = years.get(month[:4], 0) + count
    return list(years.items())


def digest_heading(data: dict[str, object]) -> str:
    """What the digest's numbers count: articles matched, groups, and the sample read."""
    count, distinct, sampled = data["count"], data.get("distinct", data["count"]), data.get("sampled")
    heading = f"{count} articles matched"
    if distinct != count:
        heading += f" ({distinct} once near-duplicate copies are folded)"
    if sampled is not None:
        heading += f"; keywords and summary from the top {sampled}"
    return heading


def digest_view(data: dict[str, object], width: int = 40) -> Group:
    """A result set at a glance: count, timeline bars, sources, keywords and lead sentences."""
    timeline = _timeline_rows(data.get("timeline") or [])  # type: ignore[arg-type]
    parts: list[Text | Table] = [Text(digest_heading(data), style="bold")]
    if timeline:
        peak = max(count for _, count in timeline) or 1
        chart = Table.grid(padding=(0, 1))
        chart.add_column(style="dim", no_wrap=True)
        chart.add_column(no_wrap=True)
        chart.add_column(justify="right", no_wrap=True)
        for key, count in timeline:
            bar = "█" * max(1 if count else 0, round(count / peak * width))
            chart.add_row(key, Text(bar, style="cyan"), str(count))
        parts += [Text("\nwhen", style="bold"), chart]
    if data.get("undated"):
        parts.append(Text(f"({data['undated']} without a month)", style="dim"))
    sources = [(str(s["source"]), int(str(s["count"]))) for s in data.get("sources") or []]  # type: ignore[attr-defined]
    if sources:
        parts.append(counts_table("top sources", sources, "source"))
    words = [str(k["word"]) for k in data.get("keywords") or []]  # type: ignore[attr-defined]
    if words:
        parts += [Text("keywords", style="bold"), Text(one_line("  ".join(words)))]
    summary = data.get("summary") or []
    if summary:
        parts.append(Text("\nin short", style="bold"))
        for item in summary:  # type: ignore[attr-defined]
            parts.append(
                Text.assemble(
                    "• ", Text(one_line(str(item["sentence"]))), (f"  [{item['article_id']}]", "dim")
                )
            )
    return Group(*parts)

"""Terminal tables for `stats`, `duplicates` and `check`; scraped text goes in as Text, never markup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from bulletin.render.plain import size_text
from bulletin.render.terminal import counts_table, year_rows
from bulletin.text.sanitize import one_line
from bulletin.titles import DERIVED_MARK

if TYPE_CHECKING:
    from bulletin.archive.stats import ArchiveStats

# Below this width the views drop what a narrow terminal cannot afford, so titles keep the room.
NARROW = 100


def stats_view(stats: ArchiveStats) -> Group:
    """Figures in a two-column grid, then articles per source and per month (per year when many)."""
    figures = Table.grid(padding=(0, 2))
    figures.add_column(style="dim", no_wrap=True)
    figures.add_column()
    lines = (
        ("archive", stats.path),
        ("articles", f"{stats.articles:,}"),
        ("dates", f"{stats.first_date or '-'} .. {stats.last_date or '-'} ({stats.undated} undated)"),
        ("duplicates", f"{stats.duplicate_groups} groups, {stats.duplicate_articles} articles"),
        ("originals", size_text(stats.originals_bytes)),
        ("database", size_text(stats.database_bytes)),
        ("index", f"{size_text(stats.index_bytes)} ({stats.index_documents:,} documents)"),
        ("on disk", size_text(stats.disk_bytes)),
    )
    for name, value in lines:
        figures.add_row(name, Text(one_line(value)))
    parts: list[Table] = [figures]
    if stats.top_sources:
        parts.append(counts_table("articles by source", stats.top_sources, "source"))
    if stats.months:
        rows = year_rows(stats.months)
        unit = "year" if rows != stats.months else "month"
        parts.append(counts_table(f"articles by {unit}", rows, unit))
    return Group(*parts)


def duplicates_table(records: Sequence[dict[str, Any]], width: int) -> Table:
    """Every group's members (a duplicate_record each): group number, id, date, source and title."""
    narrow = width < NARROW
    table = Table(box=box.SIMPLE_HEAD, expand=True, caption=f"{len(records)} groups")
    table.add_column("group", justify="right", style="dim", no_wrap=True)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("source", max_width=10 if narrow else 18, no_wrap=narrow, overflow="ellipsis")
    # fold, not rich's default ellipsis: Chinese has no spaces, so a title is one long "word".
    table.add_column("title", ratio=1, overflow="fold")
    for group_number, record in enumerate(records, 1):
        for number, member in enumerate(record["members"]):
            title = member["title"] or f"{DERIVED_MARK} {member['display_title'] or ''}".rstrip()
            table.add_row(
                str(group_number) if number == 0 else "",
                member["id"],
                short_date(member["date"], narrow),
                Text(one_line(member["source"] or "")),
                Text(one_line(title)),
                end_section=number == len(record["members"]) - 1,
            )
    return table


def problems_table(problems: Sequence[str]) -> Table:
    """`check`'s findings: the part of the archive (database, index) and what is wrong with it."""
    table = Table(box=box.SIMPLE_HEAD, expand=True, caption=f"{len(problems)} problems")
    table.add_column("where", style="bold red", no_wrap=True)
    table.add_column("problem", ratio=1)
    for problem in problems:
        where, _, what = problem.partition(": ")
        table.add_row(Text(one_line(where)), Text(one_line(what or where)))
    return table


def short_date(date: str | None, narrow: bool) -> str:
    """The date as stored; on a narrow terminal only its day (the time takes a title's room)."""
    value = one_line(date or "")
    return value[:10] if narrow else value

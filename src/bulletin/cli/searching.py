"""`bulletin search`, `summarize` and `similar`: ask the archive (or its running server), print the answer."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from bulletin.cli.app import State, open_archive, served_answer, state_of
from bulletin.cli.errors import emit_notices, exit_found, library_errors, warn
from bulletin.cli.options import (
    FACETS,
    AuthorOption,
    CsvOption,
    HitsJsonlOption,
    HitsJsonOption,
    IdsOption,
    PlainOption,
    SinceOption,
    SortOption,
    SourceOption,
    TagOption,
    UntilOption,
    choice,
)
from bulletin.cli.output import TERMINAL, choose_format, print_counts, print_hits
from bulletin.cli.process import mark_read_only


def search_command(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help='Words (AND), "phrases", field:word, OR, NOT, -word, ( ).')
    ] = "",
    limit: Annotated[int, typer.Option("--limit", "-n", help="Hits to show; 0 for all.")] = 10,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many hits first.")] = 0,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    author: AuthorOption = None,
    tag: TagOption = None,
    sort: SortOption = "relevance",
    count: Annotated[bool, typer.Option("--count", help="Print only the number of hits.")] = False,
    facet: Annotated[
        str | None, typer.Option("--facet", click_type=choice(FACETS), help="Count hits by this instead.")
    ] = None,
    json_: HitsJsonOption = False,
    jsonl: HitsJsonlOption = False,
    csv_: CsvOption = False,
    ids: IdsOption = False,
    plain_: PlainOption = False,
    all_copies: Annotated[
        bool, typer.Option("--all-copies", help="List every near-duplicate, not one hit per group.")
    ] = False,
) -> None:
    """Search the archive. Exit 0 when something is found, 1 when nothing, 2 on error.

    \b
    Query language (any two or more characters match, Chinese or English):
      潼南 教育                   both words (AND is the default)
      "教育高质量发展"            the exact phrase
      防溺水 OR 游泳              either word
      潼南 -招聘   潼南 NOT 招聘  the first without the second
      (防溺水 OR 安全) 学生       grouping
      title:通知  title:"春季"    a word or phrase in one field:
      source:教委  author:石珊    title, source, author, tag
      tag:教育  site:gov.cn       or site (the URL's host)
      关于:通知                   not a field: plain text

    \b
    Options that narrow and order:
      --since 2023 --until 2023-06    dates: YYYY, YYYY-MM or
                                      YYYY-MM-DD (until: inclusive)
      --source 教委 --author 石珊     filters, as the fields
      --sort -date -n 20 --offset 20  newest first, second page

    Near-duplicates (the same bulletin republished elsewhere) show once, marked "+N copies".
    """
    from bulletin.results import SearchRequest, SearchResult

    mark_read_only("search")
    state = state_of(ctx)
    fmt = choose_format(state.env, json=json_, jsonl=jsonl, csv=csv_, ids=ids, plain=plain_)
    request = SearchRequest(
        query=query,
        since=since,
        until=until,
        source=source,
        author=author,
        tag=tag,
        sort=sort,
        limit=None if limit == 0 else limit,
        offset=offset,
        all_copies=all_copies,
    )
    op = "count" if count else "facet" if facet else "search"
    articles = None  # the archive's size, when searched here rather than by a server
    with library_errors():
        answer = served_answer(state, op, {**request.to_dict(), "facet": facet})
        if answer is None:  # no `bulletin serve` for this archive: search here
            with open_archive(state) as archive:
                if count:
                    answer = archive.count(request)
                elif facet:
                    answer = archive.facet(request, facet)
                else:
                    answer = archive.search(request)
                emit_notices(archive)
                articles = archive.index.doc_count()
    if count:
        print(answer)
        found = bool(answer)
    elif facet:
        rows = [(str(key), int(n)) for key, n in answer]
        print_counts(state, rows, facet, fmt)
        found = bool(rows)
    else:
        result = answer if isinstance(answer, SearchResult) else SearchResult.from_dict(answer)
        print_hits(state, result, fmt, offset=offset)
        found = bool(result.total)
    if articles is not None:
        sys.stdout.flush()  # the answer first; starting a server is for the searches after it
        _start_server_if_wanted(state, articles)
    exit_found(found)


def _start_server_if_wanted(state: State, articles: int) -> None:
    """After searching a big archive alone: start a server in the background for the next search."""
    from bulletin.remote import AUTO_IDLE_TIMEOUT, start_server, wants_server

    started = wants_server(articles) and start_server(state.archive_path)
    if started and state.env.stderr_tty:  # a person, not a script, may wonder what the new process is
        warn(
            f"started a search server for the next searches (leaves after {AUTO_IDLE_TIMEOUT // 60} "
            "idle minutes; `bulletin serve --stop` ends it, BULLETIN_SERVER=off prevents it)"
        )


def summarize_command(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="A search query (empty: the whole archive).")] = "",
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    author: AuthorOption = None,
    tag: TagOption = None,
    sample: Annotated[int, typer.Option("--sample", help="Top hits read for keywords and summary.")] = 200,
    json_: Annotated[bool, typer.Option("--json", help="The digest as JSON.")] = False,
    plain_: PlainOption = False,
) -> None:
    """Digest of a result set: count, timeline, top sources, keywords and a short summary."""
    from bulletin.render.data import write_json
    from bulletin.search import SearchRequest

    state = state_of(ctx)
    fmt = choose_format(state.env, json=json_, plain=plain_)
    request = SearchRequest(query=query, since=since, until=until, source=source, author=author, tag=tag)
    with library_errors(), open_archive(state) as archive:
        data = archive.digest(request, sample=max(1, sample)).to_dict()
        emit_notices(archive)
    if fmt == "json":
        write_json(data, sys.stdout)
    elif fmt == TERMINAL:
        from bulletin.render.terminal import digest_view, make_console

        with state.paged():
            make_console(state.env).print(digest_view(data))
    else:
        from bulletin.render.plain import digest_lines

        for line in digest_lines(data):
            print(line)
    exit_found(data["count"])


def similar_command(
    ctx: typer.Context,
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (or a unique prefix).")],
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many to list.")] = 10,
    json_: HitsJsonOption = False,
    jsonl: HitsJsonlOption = False,
    csv_: CsvOption = False,
    ids: IdsOption = False,
    plain_: PlainOption = False,
) -> None:
    """Articles most like the given one (by their most distinctive character pairs)."""
    from bulletin.search import similar_result

    mark_read_only("similar")
    state = state_of(ctx)
    fmt = choose_format(state.env, json=json_, jsonl=jsonl, csv=csv_, ids=ids, plain=plain_)
    with library_errors(), open_archive(state) as archive:
        found = archive.similar(article_id, limit=max(1, limit))
        emit_notices(archive)
    result = similar_result(found)
    print_hits(state, result, fmt)
    exit_found(result.hits)

"""A huge article (a scraped dump, a book) is read in bounded windows by summaries, keywords and snippets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bulletin import keywords as keywords_mod
from bulletin import snippets as snippets_mod
from bulletin import summarize as summarize_mod
from bulletin.archive.digest import gist_of
from bulletin.keywords import keywords
from bulletin.models import Article
from bulletin.snippets import snippet
from bulletin.summarize import digest, summarize
from bulletin.text.window import READ_WINDOW, head

from .shared_data import EXAMPLES

SEED = (EXAMPLES / "tongnan-education-2023.txt").read_text(encoding="utf-8")
# Well past the window: the seed, then a megabyte of one unrelated sentence.
FILLER = "这是一段与主题无关的重复填充文字，用于制造一篇很长的文章。\n"
HUGE = SEED + FILLER * (1_000_000 // len(FILLER))


def _recording(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """Patch `module.name` to note the length of the text each call is given."""
    sizes: list[int] = []
    original: Callable[..., Any] = getattr(module, name)

    def noting(text: str, *args: Any, **kwargs: Any) -> Any:
        sizes.append(len(text))
        return original(text, *args, **kwargs)

    monkeypatch.setattr(module, name, noting)
    return sizes


def test_the_window_is_the_opening_cut_at_a_line() -> None:
    opening = head(HUGE)
    assert HUGE.startswith(opening) and len(opening) <= READ_WINDOW and opening.endswith("\n")
    assert head(SEED) == SEED


def test_summary_and_keywords_read_only_the_opening(monkeypatch: pytest.MonkeyPatch) -> None:
    read = _recording(monkeypatch, summarize_mod, "split_sentences")
    segmented = _recording(monkeypatch, keywords_mod, "segment")
    article = Article(id="big", sha256="0" * 64, origin="big.txt", text=HUGE, title=None)
    gist = gist_of(article)
    digest([article])
    assert read and max(read) <= READ_WINDOW
    assert segmented and max(segmented) <= READ_WINDOW
    # The same as for the opening alone.
    assert gist.summary == summarize(head(HUGE)) and gist.summary
    assert gist.keywords == keywords(head(HUGE))


def test_a_snippet_reads_a_window_and_still_finds_a_match_deep_in_the_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    normalised = _recording(monkeypatch, snippets_mod, "normalize_with_offsets")
    deep = HUGE + "区教委发布防汛演练周安排，请家长关注。\n" + FILLER * 1000
    found = snippet(deep, ["防汛演练"])
    assert normalised and max(normalised) <= READ_WINDOW
    assert found.text.startswith("…") and found.text.endswith("…")
    assert [found.text[start:end] for start, end in found.spans] == ["防汛演练"]
    # A match in the opening is found there, as in a short text.
    near = snippet(deep, ["五心强校"])
    assert near.spans and near == snippet(head(deep), ["五心强校"])

"""English bylines keep the whole name: "By Emily Burack" credits Emily Burack, not Emily."""

from __future__ import annotations

import json

import pytest

from bulletin.extract import extract
from bulletin.readers import RawInput

from .shared_data import CORPUS, needs_corpus

PARAGRAPH = (
    "The city council voted on Tuesday to expand the bus network, adding six routes that will serve "
    "neighbourhoods long without transit. Officials said the plan would cost $40 million over five years."
)


def _page(byline: str) -> RawInput:
    html = (
        "<html><head><title>Council expands buses</title></head><body><article>"
        f"<h1>Council expands buses</h1><p class='byline'>{byline}</p><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p>"
        "</article></body></html>"
    )
    return RawInput(html.encode("utf-8"), "page.html")


def _dump(byline: str) -> RawInput:
    return RawInput(f"Council expands buses\n{byline}\n{PARAGRAPH}\n{PARAGRAPH}\n".encode(), "dump.txt")


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("By Emily Burack", ("Emily Burack",)),
        ("BY EMILY BURACK", ("Emily Burack",)),
        ("By JOHN SMITH and Jane Doe", ("John Smith", "Jane Doe")),
        ("Story by Mary-Kate O'Neil", ("Mary-Kate O'Neil",)),
        ("Written by Dr. Jean-Luc de la Cruz", ("Jean-Luc de la Cruz",)),
        ("By Emily Burack, Staff Writer", ("Emily Burack",)),
        ("By Emily Burack and Jane Doe, Reuters", ("Emily Burack", "Jane Doe")),
        ("By Perry Bacon Jr.", ("Perry Bacon Jr.",)),
        ("Photos by Ann Lee; story by Tom Wu", ("Tom Wu",)),
        ("By Emily Burack | Jan 3, 2024", ("Emily Burack",)),
    ],
)
def test_an_english_byline_credits_whole_names_and_leaves_the_text(
    byline: str, authors: tuple[str, ...]
) -> None:
    for raw in (_page(byline), _dump(byline)):
        article = extract(raw)
        assert article.authors == authors, raw.origin
        assert article.text.splitlines() == [PARAGRAPH, PARAGRAPH], raw.origin


@pytest.mark.parametrize(
    "line", ["By Tuesday, officials said the plan would be ready.", "By The Numbers", "By car and by train"]
)
def test_a_sentence_or_heading_starting_with_by_names_nobody(line: str) -> None:
    for raw in (_page(line), _dump(line)):
        article = extract(raw)
        assert article.authors == (), raw.origin
        assert line in article.text.splitlines(), raw.origin


@needs_corpus
def test_the_english_dev_pages_credit_whole_names() -> None:
    checked = 0
    for path in sorted((CORPUS / "truth").glob("en-*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        if not truth.get("author"):
            continue
        page = CORPUS / "pages" / f"{path.stem}.html"
        article = extract(RawInput(page.read_bytes(), str(page)))
        assert article.authors == (truth["author"],), path.stem
        checked += 1
    assert checked >= 5

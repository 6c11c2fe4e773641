"""English page furniture: date lines, bylines (linked or with a job title) and share rows leave the text."""

from __future__ import annotations

from datetime import datetime

import pytest

from bulletin.extract import extract
from bulletin.extract.furniture import is_date_line
from bulletin.readers import RawInput

SENTENCE = "The district council approved the new flood defence plan on Tuesday after months of debate."
BODY = f"<p>{SENTENCE}</p>" * 4
NAV = "<ul>" + "".join(f"<li><a href='/{n}'>{n}</a></li>" for n in ("Home", "News", "Sport")) + "</ul>"


def _page(head: str, top: str, bottom: str = "") -> tuple[list[str], str | None, str]:
    html = f"<html><head>{head}</head><body>{NAV}<article>{top}{BODY}{bottom}</article></body></html>"
    article = extract(RawInput(origin="page.html", data=html.encode(), kind="html"), now=datetime(2024, 1, 1))
    return list(article.authors), article.date, article.text


def test_a_byline_whose_names_link_to_author_pages_names_them() -> None:
    authors, _date, text = _page(
        "<title>Council approves flood plan</title>",
        "<h1>Council approves flood plan</h1>"
        "<div class='byline'>By <a href='/a/jd'>Jane Doe</a> and <a href='/a/jr'>John Roe</a></div>",
    )
    assert authors == ["Jane Doe", "John Roe"]
    assert "Jane Doe" not in text


def test_a_date_line_and_a_byline_with_a_job_title_leave_the_text() -> None:
    authors, date, text = _page(
        "<title>Council approves flood plan - Gazette</title>",
        "<h2>Council approves flood plan</h2><p>Written by Peter van der Berg | Staff Writer</p>"
        "<p>March 7, 2023</p>",
        "<p>Share this: Facebook Twitter Email</p>",
    )
    assert authors == ["Peter van der Berg"] and date == "2023-03-07"
    assert text.startswith("The district council") and text.endswith("months of debate.")


@pytest.mark.parametrize(
    ("line", "alone"),
    [
        ("March 7, 2023", True),
        ("Posted on Tue 7 Mar 2023 10:00 AM", True),
        ("2023年3月1日 星期三", True),
        ("Updated: 7 March 2023, 09:15 GMT", True),
        ("On March 7, 2023 the council approved the plan", False),
        ("7 March", False),  # no year: could be any day's heading
    ],
)
def test_a_date_line_is_a_date_and_nothing_else(line: str, alone: bool) -> None:
    assert is_date_line(line) is alone


def test_a_text_dump_s_byline_with_a_time_stamp_and_a_share_button_leave_the_text() -> None:
    body = f"{SENTENCE}\n" * 3
    head = "Council approves flood plan\nBy Emily Burack Updated 3 hours ago\n"
    data = f"{head}{body}Share this article\n".encode()
    article = extract(RawInput(origin="story.txt", data=data, kind="text"), now=datetime(2024, 1, 1))
    assert list(article.authors) == ["Emily Burack"]
    assert article.text.splitlines() == [SENTENCE] * 3


HEAD = "<title>Council approves flood plan</title>"
TOP = "<h1>Council approves flood plan</h1>"


@pytest.mark.parametrize(
    "furniture",
    [
        "<p>Advertisement</p>",
        "<p>Subscribe to our newsletter</p>",
        "<p>Sign up for our daily briefing and get the news delivered to your inbox.</p>",
        "<figure><img src='x.jpg'><figcaption>Photo: Jane Doe/Getty Images</figcaption></figure>",
        "<p>Updated 2 hours ago</p>",
        "<p>Read more: Council budget approved</p>",
    ],
)
def test_adverts_newsletter_prompts_photo_credits_and_links_leave_the_text(furniture: str) -> None:
    _authors, _date, text = _page(HEAD, TOP + furniture, furniture)
    assert text.splitlines() == [SENTENCE] * 4


@pytest.mark.parametrize(
    "sentence",
    [
        "Advertising revenue fell sharply in March.",
        "Sign up for the flood warning service was slow, officials said.",
        "Ad hoc committees met twice.",
    ],
)
def test_sentences_that_start_like_furniture_stay(sentence: str) -> None:
    _authors, _date, text = _page(HEAD, f"{TOP}<p>{sentence}</p>")
    assert sentence in text.splitlines()

"""Making scraped text safe to print: the fast path for printable text changes nothing."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin.text.sanitize import one_line, safe

# The rules written out once more, without the shortcut: what must be removed or joined.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
BREAKS = re.compile(r"[\t\r\n\u2028\u2029\x0b\x0c\x85]+")

TRICKY = "\x1b[31m\x07\x9b\u202e\u2066\u200f\u061c\t\r\n\u2028\x0b\x85\u3000\xa0 ab教育，。…"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(TRICKY), st.characters()), max_size=40))
def test_safe_and_one_line_match_the_rules(text: str) -> None:
    expected_safe = UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    assert safe(text) == expected_safe
    assert one_line(text) == UNSAFE.sub("", BREAKS.sub(" ", text)).strip()
    assert not UNSAFE.search(one_line(text)) and "\n" not in one_line(text)

"""Hostile and broken input: every page becomes an article or one clean error, never a crash or a hang.

About 10,000 generated inputs per run across the strategies below (random bytes, malformed and
truncated HTML, mixed and lying encodings, deep nesting, huge titles, thousands of paragraphs,
terminal escape sequences). Each one must either become an Article whose rendered forms are
terminal-safe, or raise InputError with a one-line message naming the input. The generic
"extraction failed (SomeError)" fallback counts as a failure: it means an unexpected exception
escaped the extractor. A hang fails through the per-input time limit.
"""

from __future__ import annotations

import re
import time
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin import pipeline
from bulletin.archive import to_index_doc
from bulletin.errors import InputError
from bulletin.extract import extract
from bulletin.index import prepare
from bulletin.models import Article
from bulletin.pipeline import ExtractTimeout, extract_outcome, time_limited
from bulletin.readers import RawInput
from bulletin.render.data import dumps
from bulletin.render.plain import article_text, metadata_lines
from bulletin.text.sanitize import one_line

NOW = datetime(2024, 5, 1, 12, 0)
ORIGIN = "fuzz/page.html"
HANG = 20.0  # seconds: far beyond any input here; only turns a hang into a failure
# What must never reach a terminal: C0 controls but tab and newline (ESC, BEL, backspace …),
# DEL, C1 controls (CSI 0x9b, OSC 0x9d …) and bidi overrides.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
# Inputs per strategy; their sum is the per-run figure quoted in the README.
EXAMPLES = {"bytes": 3200, "html": 3000, "encodings": 1800, "text": 1400, "structure": 600}

ESCAPES = [
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\",
    "\x1b]0;title\x07",
    "\x07\x07",
    "\x9b2J",
    "\x9d0;x\x9c",
    "abc\x08\x08\x08xyz",
    "\u202eevil\u202c",
    "\x00",
    "\r\n",
    "\x85",
    "[bold red]markup[/]",
    "&#27;[2J",
    "&#x9b;",
    "&#0;",
    "&#xD800;",
    "&#1114112;",
]
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
WORDS = st.sampled_from(
    [
        "来源：",
        "作者：",
        "记者 ",
        "编辑：",
        "发布时间：",
        "2023年2月2日",
        "2023-13-45",
        "潼南区",
        "通知",
        " ",
        "\n",
    ]
)
TEXT = st.one_of(
    st.text(CJK, max_size=40),
    st.text(max_size=30),  # any code point: controls, surrogate-free astral, combining marks
    WORDS,
    st.sampled_from(ESCAPES),
)
TAG = st.sampled_from(
    [
        "html",
        "head",
        "body",
        "title",
        "meta",
        "p",
        "div",
        "span",
        "br",
        "a",
        "img",
        "iframe",
        "link",
        "script",
        "style",
        "table",
        "tr",
        "td",
        "ul",
        "li",
        "h1",
        "h2",
        "article",
        "section",
        "font",
        "center",
        "pre",
        "textarea",
        "svg",
        "math",
        "template",
        "noscript",
        "frameset",
    ]
)
ATTR = st.sampled_from(
    [
        "",
        ' class="content"',
        ' id="article"',
        ' charset="gbk"',
        ' http-equiv="refresh" content="0;url=http://evil.example/"',
        ' name="author" content="王伟"',
        ' name="pubdate" content="2023-02-02"',
        ' property="og:title" content="标题"',
        ' src="http://evil.example/x.png"',
        ' href="javascript:alert(1)"',
        ' style="display:none"',
        ' x="unterminated',
        " =>",
    ]
)
FRAGMENT = st.one_of(
    TEXT,
    st.builds(lambda t, a: f"<{t}{a}>", TAG, ATTR),
    st.builds(lambda t: f"</{t}>", TAG),
    st.sampled_from(
        [
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "<!DOCTYPE html>",
            '<?xml version="1.0" encoding="utf-16"?>',
            '<meta charset="utf-7">',
            '<meta charset="hz-gb-2312">',
            '<meta charset="nonsense">',
            "<",
            ">",
            "&",
            "&nbsp;",
            "&amp;lt;",
            "</",
            "<p",
            "\x00",
        ]
    ),
)
ENCODING = st.sampled_from(["utf-8", "gb18030", "gbk", "big5", "utf-16", "utf-16-le", "shift_jis", "cp1252"])


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


def assert_safe(rendered: str) -> None:
    found = UNSAFE.search(rendered)
    assert found is None, f"unsafe character {found.group()!r} in rendered output"


def check(data: bytes, kind: str | None = None) -> Article | None:
    """The contract for one input; returns the article when there is one."""
    raw = RawInput(data, ORIGIN, kind=kind)
    try:
        article = time_limited(lambda: extract(raw, now=NOW), HANG)
    except ExtractTimeout:
        pytest.fail(f"extraction of a {len(data):,}-byte input took over {HANG:g} s")
    except InputError as exc:
        message = str(exc)
        assert message.startswith(f"{ORIGIN}: ")
        assert message == one_line(message), message  # one line, nothing unprintable
        assert "extraction failed" not in message, f"unexpected exception escaped the extractor: {message}"
        return None
    assert isinstance(article, Article)
    assert article.origin == ORIGIN
    prepare(to_index_doc(article))  # the import's next step (analysis for the index) copes too
    # Whatever the page held, no output mode can carry a control sequence to a terminal.
    assert_safe(article_text(article))
    assert_safe("\n".join(metadata_lines(article)))
    assert_safe(dumps(article.to_dict()))
    return article


@settings(FUZZ, max_examples=EXAMPLES["bytes"])
@given(st.binary(max_size=3000), st.sampled_from([None, "html", "text"]))
def test_random_bytes(data: bytes, kind: str | None) -> None:
    check(data, kind)


@settings(FUZZ, max_examples=EXAMPLES["html"])
@given(
    st.lists(FRAGMENT, max_size=80),
    ENCODING,
    st.one_of(st.none(), st.integers(min_value=0)),
)
def test_malformed_and_truncated_html(fragments: list[str], encoding: str, cut: int | None) -> None:
    data = encode("<html><head><title>" + "".join(fragments), encoding)
    if cut is not None and data:
        data = data[: cut % len(data)]  # truncated anywhere, mid-character included
    check(data)


@settings(FUZZ, max_examples=EXAMPLES["encodings"])
@given(
    st.lists(st.tuples(st.text(CJK, min_size=1, max_size=30), ENCODING), min_size=1, max_size=8),
    st.sampled_from(["", "utf-8", "gbk", "gb2312", "big5", "utf-16", "latin1", "bogus"]),
    st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]),
    st.binary(max_size=8),
)
def test_mixed_and_lying_encodings(
    segments: list[tuple[str, str]], declared: str, bom: bytes, junk: bytes
) -> None:
    # GBK bytes inside UTF-8 (and every other pairing), under a declaration that may lie.
    head = f'<html><head><meta charset="{declared}"><title>通知</title></head><body><p>'
    body = b"</p><p>".join(encode(text, encoding) for text, encoding in segments)
    check(bom + encode(head, segments[0][1]) + body + junk + b"</p></body></html>")


@settings(FUZZ, max_examples=EXAMPLES["text"])
@given(st.lists(TEXT, max_size=60), ENCODING)
def test_text_dumps(parts: list[str], encoding: str) -> None:
    check(encode("".join(parts), encoding), "text")


@st.composite
def structure(draw: st.DrawFn) -> bytes:
    """Shapes that stress the parser rather than the decoder."""
    shape = draw(st.sampled_from(["nested", "paragraphs", "title", "line", "table"]))
    word = draw(st.text(CJK, min_size=1, max_size=4)) + draw(st.sampled_from([*ESCAPES, ""]))
    if shape == "nested":
        depth = draw(st.integers(1, 3000))
        tag = draw(TAG)
        closed = draw(st.booleans())
        return (
            f"<html><body>{f'<{tag}>' * depth}{word * 20}" + (f"</{tag}>" * depth if closed else "")
        ).encode()
    if shape == "paragraphs":
        count = draw(st.integers(300, 3000))
        return ("<html><body>" + f"<p>{word}</p>" * count).encode()
    if shape == "title":
        size = draw(st.integers(1000, 20_000))
        return f"<html><head><title>{word * size}</title></head><body><p>{word}正文。</p>".encode()
    if shape == "line":
        size = draw(st.integers(1000, 20_000))
        return (word * size).encode("gb18030", errors="replace")
    rows = draw(st.integers(1, 300))
    return ("<table>" + f"<tr><td>{word}<td>" * rows).encode()


@settings(FUZZ, max_examples=EXAMPLES["structure"])
@given(structure())
def test_deep_wide_and_huge_structures(data: bytes) -> None:
    check(data)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("100k levels of nesting", b"<html><body>" + b"<div>" * 100_000 + "正文".encode() * 50),
        ("a 10 MB single line", ("这是一行很长的文字，" * 400_000).encode()[:10_000_000]),
        ("a 1 MB title", b"<html><head><title>" + "标题".encode() * 200_000 + b"</title></head><body><p>hi"),
        ("50k tiny paragraphs", b"<html><body>" + b"<p>a</p>" * 50_000),
    ],
)
def test_monster_inputs_end_as_an_article_or_one_error(name: str, data: bytes) -> None:
    article, reason = extract_outcome(RawInput(data, ORIGIN), NOW, HANG * 3)
    assert (article is None) != (reason is None)
    if reason is not None:
        assert reason == one_line(reason) and "took longer" not in reason, (name, reason)


def test_an_input_over_the_time_limit_fails_alone_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import bulletin.extract

    def slow(raw: RawInput, *, now: datetime | None = None) -> Article:
        if b"slow" in raw.data:
            while True:  # pure Python, like a runaway regex fallback or a pathological loop
                time.sleep(0.01)
        return real(raw, now=now)

    real = bulletin.extract.extract
    monkeypatch.setattr(bulletin.extract, "extract", slow)
    article, reason = extract_outcome(RawInput(b"slow page", "slow.txt", kind="text"), NOW, 0.3)
    assert article is None and reason is not None
    assert reason.startswith("took longer than 0.3 s to extract")
    assert reason == one_line(reason)
    # The limit is disarmed afterwards: the next input is unaffected, and no stray alarm fires.
    article, reason = extract_outcome(RawInput("通知\n正文内容。".encode(), "ok.txt", kind="text"), NOW, 0.3)
    assert article is not None and reason is None
    time.sleep(0.4)


def test_time_limit_in_worker_processes_keeps_the_pool_working(monkeypatch: pytest.MonkeyPatch) -> None:
    """A timed-out input in a worker fails alone; the pool goes on with the rest of the batch."""
    import bulletin.extract

    real = bulletin.extract.extract

    def slow(raw: RawInput, *, now: datetime | None = None) -> Article:
        while b"slow" in raw.data:
            time.sleep(0.01)
        return real(raw, now=now)

    monkeypatch.setattr(bulletin.extract, "extract", slow)  # workers are forked: they see it too
    batch = [
        RawInput(f"通知{i}\n正文内容第{i}段。".encode() if i % 10 else b"slow", f"in-{i}.txt", kind="text")
        for i in range(60)
    ]
    with pipeline.Extractor(jobs=2, now=NOW, prepare=True, time_limit=0.3) as extractor:
        outcomes = extractor.submit(batch, expect_more=True).get()
        again = extractor.submit(batch[1:10], expect_more=True).get()
    assert outcomes is not None and again is not None
    failed = [raw.origin for raw, (article, _r, _p) in zip(batch, outcomes, strict=True) if article is None]
    assert failed == [f"in-{i}.txt" for i in range(0, 60, 10)]
    assert all(reason is not None and "took longer" in reason for _a, reason, _p in outcomes if _a is None)
    assert all(article is not None for article, _r, _p in again)


def test_a_worker_killed_mid_task_fails_its_inputs_instead_of_hanging(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The OOM killer or a parser crash ends a worker: its inputs fail with a reason, the rest go on."""
    import os
    import signal

    import bulletin.extract

    real = bulletin.extract.extract

    def deadly(raw: RawInput, *, now: datetime | None = None) -> Article:
        if b"deadly" in raw.data:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(raw, now=now)

    def hang(*_: object) -> None:
        raise AssertionError("the import waited forever for a dead worker")

    monkeypatch.setattr(bulletin.extract, "extract", deadly)
    batch = [
        RawInput(b"deadly" if i == 17 else f"通知{i}\n正文内容第{i}段。".encode(), f"in-{i}.txt", kind="text")
        for i in range(40)
    ]
    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(60)
    try:
        with pipeline.Extractor(jobs=2, now=NOW, prepare=True) as extractor:
            outcomes = extractor.submit(batch, expect_more=True).get()
            again = extractor.submit(batch[:10], expect_more=True).get()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert outcomes is not None and again is not None
    failed = {
        raw.origin: reason for raw, (article, reason, _p) in zip(batch, outcomes, strict=True) if not article
    }
    assert "in-17.txt" in failed and len(failed) < len(batch) // 2
    assert all(reason == pipeline.WORKER_DIED for reason in failed.values())
    assert all(article is not None for article, _r, _p in again)  # the pool replaced the worker
    # The abandoned pool does not fork replacements for the workers it lost: none is left over.
    import multiprocessing
    import time

    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert multiprocessing.active_children() == []

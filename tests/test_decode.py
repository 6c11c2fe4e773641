"""Decoding: BOM, GB2312/GBK as GB18030, lying declarations, broken bytes, refusals."""

from __future__ import annotations

import re

import pytest

from bulletin.errors import InputError
from bulletin.extract.decode import declared_charset, decode

from .shared_data import CORPUS, WILD, needs_corpus, needs_wild

ZH = "潼南区召开2023年开学暨“五心强校”党建工作推进会。"


def _page(charset: str, body: str) -> str:
    return f'<html><head><meta charset="{charset}"><title>t</title></head><body><p>{body}</p></body></html>'


def test_utf8_bom_wins() -> None:
    result = decode(b"\xef\xbb\xbf" + ZH.encode("utf-8"), "x")
    assert result.text == ZH


def test_utf16_bom() -> None:
    result = decode("\ufeff".encode("utf-16-le") + ZH.encode("utf-16-le"), "x")
    assert result.text == ZH


def test_gb2312_declared_reads_as_gb18030() -> None:
    # 镕 and 堃 are outside GB2312; pages labelled gb2312 use them anyway.
    body = ZH + "朱镕基 王堃"
    result = decode(_page("gb2312", body).encode("gb18030"), "x")
    assert body in result.text
    assert result.encoding == "gb18030"


def test_http_equiv_gbk() -> None:
    html = f'<meta http-equiv="Content-Type" content="text/html; charset=GBK"><p>{ZH}</p>'
    assert ZH in decode(html.encode("gbk"), "x").text


def test_declared_gb2312_but_bytes_are_utf8() -> None:
    result = decode(_page("gb2312", ZH).encode("utf-8"), "x")
    assert ZH in result.text
    assert result.encoding == "utf-8"


def test_no_declaration_gbk_bytes() -> None:
    text = (ZH * 5).encode("gbk")
    assert decode(text, "x").text == ZH * 5


def test_a_few_invalid_bytes_are_replaced_not_fatal() -> None:
    data = _page("utf-8", ZH * 20).encode("utf-8")
    broken = data[:200] + b"\xff\xfe" + data[200:]
    result = decode(broken, "x")
    assert "\ufffd" in result.text
    assert "五心强校" in result.text


def test_declared_charset_parsing() -> None:
    assert declared_charset(b'<meta charset="GB2312">') == "gb18030"
    assert declared_charset(b'<?xml version="1.0" encoding="utf-8"?>') == "utf-8"
    assert declared_charset(b"<p>no declaration</p>") is None
    assert declared_charset(b'<meta charset="no-such-charset">') is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x00\x01\x02\x03" * 100, "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "binary"),
    ],
)
def test_refusals_name_the_input_and_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as info:
        decode(data, "page.html")
    assert info.value.origin == "page.html"
    assert reason in info.value.reason


def test_control_characters_removed() -> None:
    assert decode("正文\x1b[31m红\x07".encode(), "x").text == "正文[31m红"


@needs_corpus
def test_dev_pages_decode_without_mojibake() -> None:
    for path in sorted((CORPUS / "pages").glob("zh-*.html")):
        text = decode(path.read_bytes(), path.name).text
        # Mojibake of Chinese read as latin-1 or GBK-as-UTF-8 shows these; real pages never do.
        assert "锟斤拷" not in text and "Ã" not in text, path.name
        assert text.count("\ufffd") < 20, path.name


def test_a_gb_page_with_a_few_broken_bytes_is_gb18030_not_a_guess() -> None:
    text = "关于做好今年防汛工作的通知，各单位要切实加强值守。" * 8
    data = text.encode("gb18030")
    broken = data[:40] + b"\xff\xfe" + data[40:120] + b"\x81" + data[120:]
    decoded = decode(broken, "page.html")
    assert decoded.encoding == "gb18030"
    assert "防汛工作" in decoded.text and decoded.text.count("\ufffd") <= 3


def test_a_short_utf8_file_with_stray_bytes_stays_utf8() -> None:
    data = "通知：明天停电。".encode() + b"\xa0\xa1\xfe\xff" + "请相互转告。".encode()
    decoded = decode(data, "note.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith("通知：明天停电。") and decoded.text.endswith("请相互转告。")


def _real_pages(encoding: str) -> list[bytes]:
    """The Chinese pages of ../shared whose bytes are `encoding` ("utf-8" or "gb18030")."""
    roots = [CORPUS / "pages", WILD / "pages" / "html-gb2312-cx"]
    pages = []
    for path in sorted(p for root in roots for p in root.glob("*.html") if not p.name.startswith("en-")):
        data = path.read_bytes()
        try:
            data.decode("utf-8")
            is_utf8 = True
        except UnicodeDecodeError:
            is_utf8 = False
        if is_utf8 == (encoding == "utf-8"):
            pages.append(data)
    return pages


_DECLARATION = re.compile(rb"<meta[^>]+charset[^>]*>", re.IGNORECASE)


@needs_corpus
@needs_wild
def test_real_gb_pages_with_broken_bytes_and_no_declaration_are_gb18030() -> None:
    pages = _real_pages("gb18030")
    assert len(pages) >= 20
    for data in pages:
        data = _DECLARATION.sub(b"", data)
        clean = data.decode("gb18030")
        # Six bytes spread through the page turned into bytes no GB character has.
        broken = bytearray(data)
        for k in range(1, 7):
            broken[len(data) * k // 7] = 0xFF
        decoded = decode(bytes(broken), "page.html")
        assert decoded.encoding == "gb18030", clean[:80]
        assert decoded.text.count("\ufffd") <= 12
        kept = set(re.findall(r"[\u4e00-\u9fff]{6,}", decoded.text))
        assert len(kept & set(re.findall(r"[\u4e00-\u9fff]{6,}", clean))) >= 0.9 * len(kept)


@needs_corpus
def test_short_real_utf8_snippets_with_stray_bytes_stay_utf8() -> None:
    checked = 0
    for data in _real_pages("utf-8"):
        runs = re.findall(r"[\u4e00-\u9fff，。、]{16,}", data.decode("utf-8"))
        for run in runs[:3]:
            snippet = run[:10].encode("utf-8")
            # A stray byte between characters, one inside a character, one replacing a byte.
            broken = snippet[:6] + b"\xa0" + snippet[6:16] + b"\xff" + snippet[16:25] + b"\xc3" + snippet[26:]
            decoded = decode(broken, "note.txt")
            assert decoded.encoding == "utf-8", run[:10]
            assert decoded.text.startswith(run[:2]) and decoded.text.endswith(run[9]), run[:10]
            checked += 1
    assert checked >= 30

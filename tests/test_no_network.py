"""Parsing never touches the network or local files a page points at (no XXE, no fetching).

Two nets catch an attempt: Python's socket and urllib entry points raise and record, and the
pages point at a TCP listener on 127.0.0.1 that records any connection, which also catches a
fetch made inside C code (libxml2) that bypasses Python's socket module.
"""

from __future__ import annotations

import socket
import threading
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from bulletin.archive import to_index_doc
from bulletin.errors import InputError
from bulletin.extract import extract
from bulletin.index import prepare
from bulletin.readers import RawInput

SECRET = "bulletin-secret-7f3a"


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local TCP server that records every connection made to it."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    hits: list[str] = []
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                conn, addr = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            hits.append(f"{addr}")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", hits
    done.set()
    thread.join(2)
    server.close()


@pytest.fixture
def no_python_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every Python-level way to open a connection raise, and record the attempt."""
    attempts: list[str] = []

    def refuse(name: str) -> object:
        def blocked(*args: object, **kwargs: object) -> object:
            attempts.append(f"{name}{args!r}")
            raise OSError(f"network access attempted while parsing: {name}")

        return blocked

    monkeypatch.setattr(socket, "socket", refuse("socket.socket"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    monkeypatch.setattr(urllib.request, "urlopen", refuse("urllib.request.urlopen"))
    return attempts


def pages(url: str, secret_file: Path) -> dict[str, str]:
    body = "<p>潼南区教育委员会发布通知，全区中小学开展安全教育活动。</p>"
    return {
        "external DTD": (
            f'<?xml version="1.0"?><!DOCTYPE html SYSTEM "{url}/dtd"><html><body>{body}</body></html>'
        ),
        "XXE (file)": (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
            f'<!ENTITY sec SYSTEM "file://{secret_file}">]>'
            f"<html><head><title>&xxe;</title></head><body>{body}<p>&xxe;&sec;</p></body></html>"
        ),
        "XXE (http)": (
            f'<!DOCTYPE x [<!ENTITY net SYSTEM "{url}/entity">]><html><body>{body}<p>&net;</p></body></html>'
        ),
        "parameter entity": (
            f'<!DOCTYPE x [<!ENTITY % remote SYSTEM "{url}/param"> %remote;]><html><body>{body}</body></html>'
        ),
        "billion laughs": (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
            '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
            f"<html><body>{body}<p>&lol4;</p></body></html>"
        ),
        "xinclude and stylesheet": (
            f'<?xml version="1.0"?><?xml-stylesheet href="{url}/style.xsl"?>'
            '<html xmlns:xi="http://www.w3.org/2001/XInclude"><body>'
            f'<xi:include href="{url}/include"/><xi:include href="file://{secret_file}" parse="text"/>'
            f"{body}</body></html>"
        ),
        "linked resources": (
            f'<html><head><meta http-equiv="refresh" content="0;url={url}/refresh">'
            f'<link rel="stylesheet" href="{url}/css"><script src="{url}/js"></script>'
            f'<base href="{url}/"></head><body><img src="{url}/img.png">'
            f'<iframe src="{url}/frame"></iframe><object data="{url}/obj"></object>'
            f'<embed src="{url}/embed"><video src="{url}/video"></video>'
            f'<a href="{url}/next">下一页</a>{body}</body></html>'
        ),
        "svg with external image": (
            f'<html><body>{body}<svg xmlns:xlink="http://www.w3.org/1999/xlink">'
            f'<image xlink:href="{url}/svg"/></svg></body></html>'
        ),
    }


def test_parsing_hostile_pages_makes_no_network_or_file_access(
    listener: tuple[str, list[str]], no_python_network: list[str], tmp_path: Path
) -> None:
    url, hits = listener
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET)
    passwd = Path("/etc/passwd").read_text() if Path("/etc/passwd").exists() else ""
    passwd_lines = [line for line in passwd.splitlines() if line.count(":") >= 6]
    extracted = 0
    for name, page in pages(url, secret_file).items():
        for kind in ("html", None):
            try:
                article = extract(
                    RawInput(page.encode(), f"{name}.html", kind=kind), now=datetime(2024, 1, 1)
                )
            except InputError:
                continue  # refusing a page is fine; fetching for it is not
            extracted += 1
            prepare(to_index_doc(article))
            everything = " ".join(str(v) for v in article.to_dict().values())
            assert SECRET not in everything, name
            assert not any(line in everything for line in passwd_lines), name
            assert "lol" * 100 not in everything, name  # entities are not expanded
    assert extracted >= len(pages(url, secret_file))
    assert no_python_network == []
    assert hits == []

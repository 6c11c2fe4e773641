"""`bulletin serve`: searches answered by a resident process read exactly as searches run alone."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bulletin import __version__, remote
from bulletin.errors import ArchiveError
from bulletin.remote import PROTOCOL, ask, socket_path
from bulletin.server import SearchServer, _encoded

from .conftest import Cli
from .shared_data import EXAMPLES

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets here")


@pytest.fixture
def short_dir() -> Iterator[Path]:
    # A socket path must fit about 100 bytes: pytest's own temp paths can be longer.
    folder = Path(tempfile.mkdtemp(prefix="bs-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def archive(short_dir: Path) -> Cli:
    cli = Cli(short_dir / "archive")
    result = cli("import", "--quiet", str(EXAMPLES))
    assert result.exit_code == 0, result.stderr
    return cli


class Running:
    """A SearchServer serving in a thread until the test ends."""

    def __init__(self, folder: Path) -> None:
        self.server = SearchServer(folder)
        self.stop = threading.Event()
        ready = threading.Event()
        self.thread = threading.Thread(
            target=self.server.serve, kwargs={"on_ready": lambda path: ready.set(), "stop": self.stop.is_set}
        )
        self.thread.start()
        assert ready.wait(60), "the server did not start"

    def close(self) -> None:
        self.stop.set()
        self.thread.join(10)


@pytest.fixture
def served(archive: Cli) -> Iterator[Running]:
    running = Running(archive.archive)
    yield running
    running.close()


QUERIES = [
    ("search", "教育"),
    ("search", "--json", "教育"),
    ("search", "--jsonl", "--limit", "0", "学校 OR school"),
    ("search", "--csv", "--sort", "-date", "区"),
    ("search", "--ids", "--since", "2020", "教育"),
    ("search", "--count", "教育"),
    ("search", "--facet", "source", "教育"),
    ("search", "不存在的词语组合"),
    ("search", '"教育'),  # malformed: exit 2 and the same message
    ("search", "--sort", "sideways", "教育"),
]


@pytest.mark.parametrize("args", QUERIES, ids=[" ".join(q) for q in QUERIES])
def test_served_searches_print_what_searching_alone_prints(
    archive: Cli, served: Running, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    before = served.server.served
    answered = archive(*args)
    assert served.server.served == before + (1 if answered.exit_code != 2 else 0)
    monkeypatch.setenv("BULLETIN_SERVER", "off")
    alone = archive(*args)
    assert served.server.served == before + (1 if answered.exit_code != 2 else 0)  # not asked
    assert (answered.exit_code, answered.stdout, answered.stderr) == (
        alone.exit_code,
        alone.stdout,
        alone.stderr,
    )


def test_served_show_prints_what_showing_alone_prints(
    archive: Cli, served: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    article_id = archive("search", "--ids", "--limit", "1", "防溺水").stdout.strip()
    cases = [
        ("show", article_id),
        ("show", "--json", article_id),
        ("show", "--no-summary", article_id[:6]),
        ("show", "--length", "60", "--keywords", "3", article_id),
        ("show", "ffffffffffff"),  # unknown: exit 2, the same message
    ]
    before = served.server.served
    answered = [(archive(*args), archive(*args, tty=True)) for args in cases]
    assert served.server.served == before + 2 * (len(cases) - 1)
    monkeypatch.setenv("BULLETIN_SERVER", "off")
    for args, (plain, panel) in zip(cases, answered, strict=True):
        alone, alone_panel = archive(*args), archive(*args, tty=True)
        assert (plain.exit_code, plain.stdout, plain.stderr) == (alone.exit_code, alone.stdout, alone.stderr)
        assert panel.stdout == alone_panel.stdout
    assert "防溺水" in answered[0][0].stdout and answered[-1][0].exit_code == 2
    raw = archive("show", "--raw", article_id)  # original bytes: read here, never sent over the socket
    assert raw.exit_code == 0 and raw.stdout_bytes and served.server.served == before + 2 * (len(cases) - 1)


def test_the_server_sees_articles_imported_after_it_started(archive: Cli, served: Running) -> None:
    assert archive("search", "--count", "独一无二的测试短语").exit_code == 1
    page = Path(tempfile.mkdtemp(dir="/tmp")) / "late.txt"
    page.write_text("晚到的公告\n\n今天发布独一无二的测试短语，供检索。\n", encoding="utf-8")
    assert archive("import", "--quiet", str(page)).exit_code == 0
    result = archive("search", "--count", "独一无二的测试短语")
    assert (result.exit_code, result.stdout.strip()) == (0, "1")
    shutil.rmtree(page.parent)


def test_the_server_follows_a_reindex(archive: Cli, served: Running) -> None:
    before = archive("search", "--ids", "教育")
    assert archive("reindex").exit_code == 0  # a new index generation; the old one is deleted
    after = archive("search", "--ids", "教育")
    assert (after.exit_code, after.stdout) == (0, before.stdout)
    assert served.server.served >= 2


def test_a_stale_socket_or_no_server_means_searching_alone(archive: Cli) -> None:
    path = socket_path(archive.archive)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))  # bound, never listening: what a killed server leaves
    dead.close()
    result = archive("search", "--count", "教育")
    assert result.exit_code == 0 and int(result.stdout) >= 1
    assert ask(archive.archive, "count", {"query": "教育"}) == (False, None)
    # A new server replaces the stale socket.
    running = Running(archive.archive)
    try:
        assert ask(archive.archive, "count", {"query": "教育"}) == (True, int(result.stdout))
    finally:
        running.close()
    assert not path.exists()  # removed on the way out


def test_a_failing_request_leaves_the_server_running(archive: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from bulletin.archive import Archive

    def broken(self: Archive, request: object) -> None:
        raise RuntimeError("disk on fire")

    server = SearchServer(archive.archive)
    message = {"protocol": PROTOCOL, "version": __version__, "op": "search", "request": {"query": "教育"}}
    try:
        with monkeypatch.context() as patch:
            patch.setattr(Archive, "search", broken)
            failed = server.answer(message)
        # "internal": a client then searches by itself (only query and archive errors are its own)
        assert failed["ok"] is False and failed["kind"] == "internal" and "disk on fire" in failed["error"]
        again = server.answer(message)  # the archive is opened afresh and serves again
        assert again["ok"] is True and again["result"]["total"] >= 1
    finally:
        server.close()


def test_one_server_per_archive(archive: Cli, served: Running) -> None:
    with pytest.raises(ArchiveError, match="already answers"):
        SearchServer(archive.archive).serve(stop=lambda: True)


def test_other_versions_and_garbage_get_refusals_not_answers(archive: Cli, served: Running) -> None:
    server = SearchServer(archive.archive)
    try:
        refused = server.answer({"protocol": PROTOCOL, "version": "0.0.1", "op": "count", "request": {}})
        assert refused["ok"] is False and refused["kind"] == "version"
        assert server._stopping  # outdated: it makes room for a server of the asking version
        unknown = server.answer({"protocol": PROTOCOL, "version": __version__, "op": "drop", "request": {}})
        assert unknown["ok"] is False and unknown["kind"] == "query"
    finally:
        server.close()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(str(socket_path(archive.archive)))
        connection.sendall(b"not json\n")
        reply = json.loads(connection.makefile("rb").readline())
    assert reply["ok"] is False and reply["kind"] == "protocol"
    assert archive("search", "--count", "教育").exit_code == 0  # and it still serves


def test_serve_names_a_missing_archive(short_dir: Path) -> None:
    result = Cli(short_dir / "nowhere")("serve", "--idle-timeout", "1")
    assert result.exit_code == 2
    assert "nowhere" in result.stderr and result.stdout == ""


def test_served_hits_render_as_the_same_table(
    archive: Cli, served: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered = archive("search", "教育 学校", tty=True)
    monkeypatch.setenv("BULLETIN_SERVER", "off")
    alone = archive("search", "教育 学校", tty=True)
    assert answered.exit_code == 0 and "教育" in answered.stdout
    assert answered.stdout == alone.stdout


def test_text_utf8_cannot_carry_still_crosses_the_socket(archive: Cli, served: Running) -> None:
    """A lone surrogate (what an undecodable byte of a page or a command line becomes) breaks
    neither the request nor the server."""
    assert json.loads(_encoded({"ok": True, "result": "\udcff"})) == {"ok": True, "result": "\udcff"}
    result = archive("search", "教育\udcff")
    assert result.exit_code in (0, 1), result.stderr
    assert archive("search", "--count", "教育").exit_code == 0  # still serving


def test_the_server_leaves_when_its_socket_goes(archive: Cli) -> None:
    """An archive folder deleted under a server (a temporary archive, a test) ends it."""
    running = Running(archive.archive)
    socket_path(archive.archive).unlink()
    successor = Running(archive.archive)  # binds a socket of its own at the same path
    try:
        running.thread.join(10)
        assert not running.thread.is_alive()
        # The first server, on its way out, left the successor's socket alone.
        assert ask(archive.archive, "count", {"query": "教育"})[0] is True
        assert successor.server.served == 1
    finally:
        running.close()
        successor.close()


def test_a_moved_archive_is_searched_alone_and_its_old_server_leaves(archive: Cli) -> None:
    running = Running(archive.archive)
    try:
        moved = Cli(archive.archive.with_name("moved"))
        archive.archive.rename(moved.archive)  # the socket moves with the folder
        assert ask(moved.archive, "count", {"query": "教育"}) == (False, None)
        result = moved("search", "--count", "教育")
        assert result.exit_code == 0 and int(result.stdout) >= 1
        running.thread.join(10)
        assert not running.thread.is_alive() and running.server.served == 0
    finally:
        running.close()


@pytest.mark.parametrize(
    ("setting", "articles", "wanted"),
    [
        (None, remote.AUTO_START_ARTICLES, True),
        (None, remote.AUTO_START_ARTICLES - 1, False),
        ("auto", remote.AUTO_START_ARTICLES, True),
        ("sideways", remote.AUTO_START_ARTICLES, True),  # unknown values mean the default
        ("on", 3, True),
        ("off", 10 * remote.AUTO_START_ARTICLES, False),
        ("0", 10 * remote.AUTO_START_ARTICLES, False),
    ],
)
def test_which_searches_start_a_server(
    monkeypatch: pytest.MonkeyPatch, setting: str | None, articles: int, wanted: bool
) -> None:
    if setting is not None:
        monkeypatch.setenv("BULLETIN_SERVER", setting)
    assert remote.wants_server(articles) is wanted


@pytest.mark.parametrize(
    ("setting", "threshold", "started"),
    [
        (None, remote.AUTO_START_ARTICLES, False),
        (None, 1, True),
        ("on", remote.AUTO_START_ARTICLES, True),
        ("off", 1, False),
    ],
)
def test_a_search_alone_starts_a_server_only_when_wanted(
    archive: Cli, monkeypatch: pytest.MonkeyPatch, setting: str | None, threshold: int, started: bool
) -> None:
    calls: list[Path] = []
    monkeypatch.setattr(remote, "start_server", lambda folder, **kw: calls.append(folder) or True)
    monkeypatch.setattr(remote, "AUTO_START_ARTICLES", threshold)
    if setting is not None:
        monkeypatch.setenv("BULLETIN_SERVER", setting)
    result = archive("search", "--count", "教育")
    assert result.exit_code == 0 and int(result.stdout) >= 1
    assert calls == ([archive.archive] if started else [])
    assert archive("search", '"教育').exit_code == 2 and len(calls) == int(started)  # no answer, no server


def test_a_served_search_starts_no_other_server(
    archive: Cli, served: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    monkeypatch.setattr(remote, "start_server", lambda folder, **kw: calls.append(folder) or True)
    monkeypatch.setenv("BULLETIN_SERVER", "on")
    assert archive("search", "--count", "教育").exit_code == 0
    assert calls == [] and served.server.served == 1


def _bulletin(folder: Path, *args: str, setting: str = "auto") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BULLETIN_SERVER": setting}
    command = [sys.executable, "-m", "bulletin", "--archive", str(folder), *args]
    # A background server that inherited the pipe would keep this waiting until the timeout.
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def _wait_for(condition: Callable[[], bool], seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_started_server_answers_the_next_searches_and_stops_on_request(archive: Cli) -> None:
    folder = archive.archive
    first = _bulletin(folder, "search", "--ids", "教育", setting="on")
    assert first.returncode == 0 and first.stdout
    assert first.stderr == ""  # not a terminal: no note about the server
    assert _wait_for(lambda: _bulletin(folder, "serve", "--status").returncode == 0)
    status = dict(line.split("\t", 1) for line in _bulletin(folder, "serve", "--status").stdout.splitlines())
    assert status["archive"] == str(folder.resolve()) and status["idle_timeout"] == str(
        remote.AUTO_IDLE_TIMEOUT
    )
    second = _bulletin(folder, "search", "--ids", "教育")
    assert (second.returncode, second.stdout) == (0, first.stdout)
    after = dict(line.split("\t", 1) for line in _bulletin(folder, "serve", "--status").stdout.splitlines())
    assert int(after["searches"]) == int(status["searches"]) + 1  # answered by the server
    stopped = _bulletin(folder, "serve", "--stop", setting="off")  # off or not, it reaches the server
    assert stopped.returncode == 0 and status["pid"] in stopped.stderr
    assert _wait_for(lambda: not socket_path(folder).exists(), 30)
    assert _wait_for(lambda: not _alive(int(status["pid"])), 30)
    none = _bulletin(folder, "serve", "--status")
    assert (none.returncode, none.stdout) == (1, "") and "no server" in none.stderr


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # an exited process nobody has reaped yet (the init of a container may not) is gone too
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def test_no_server_is_started_where_none_could_listen(
    monkeypatch: pytest.MonkeyPatch, short_dir: Path
) -> None:
    launched: list[list[str]] = []
    monkeypatch.setattr(subprocess, "Popen", lambda command, **kw: launched.append(command))
    assert remote.start_server(short_dir / ("x" * remote.MAX_SOCKET_PATH)) is False  # socket path too long
    assert launched == []
    assert remote.start_server(short_dir) is True
    assert launched[0][-5:] == ["--archive", str(short_dir.resolve()), "serve", "--idle-timeout", "600"]

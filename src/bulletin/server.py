"""A resident search process: one archive kept open, answering searches over a Unix socket.

A `bulletin search` process spends most of its time starting: importing numpy, Whoosh and
the rest, opening the index, reading its columns. `bulletin serve` pays that once; a search
command that finds the server's socket in the archive folder sends its request there and
only renders the answer (bulletin.remote); `bulletin show` does the same. The server only
reads, as those commands would: imports, deletes and rebuilds by other processes show in its
next answer.

The protocol is one JSON object per line each way: {"protocol", "version", "op", "request"}
in, {"ok": true, "result"} or {"ok": false, "kind", "error"} out. Ops: search, count, facet,
show, and status and stop (`bulletin serve --status/--stop`). A client of another bulletin
version is told so and searches by itself, and the server leaves to make room for one of
the client's version.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from bulletin import __version__
from bulletin.errors import ArchiveError, BulletinError, QueryError
from bulletin.remote import MAX_SOCKET_PATH, PROTOCOL, read_message, socket_path
from bulletin.summary_defaults import KEYWORD_COUNT, SUMMARY_LENGTH

_MAX_REQUEST = 1 << 20
CONTROL_OPS = ("status", "stop")


def usable_socket_path(folder: Path) -> Path:
    """The socket path, or ArchiveError when this system or path cannot have one."""
    path = socket_path(folder.resolve())
    if not hasattr(socket, "AF_UNIX"):
        raise ArchiveError("this system has no Unix sockets: `bulletin serve` cannot run here")
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        raise ArchiveError(
            f"{path} is too long for a Unix socket ({MAX_SOCKET_PATH} bytes at most); "
            "move the archive to a shorter path to serve it"
        )
    return path


class SearchServer:
    """Answers search, count and facet requests for one archive."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.served = 0
        self._archive: Any = None
        self._warm = False  # the open archive still has to load its engine
        self._stopping = False  # a client asked to stop
        self.started = time.time()
        self.idle_timeout: float | None = None

    def answer(self, message: dict[str, Any]) -> dict[str, Any]:
        """The reply to one request (errors become replies, never exceptions)."""
        op = str(message.get("op"))
        if message.get("protocol") != PROTOCOL:
            return {"ok": False, "kind": "version", "error": f"this server runs bulletin {__version__}"}
        if op in CONTROL_OPS:  # from any version: `serve --stop` must reach one left by an upgrade
            if op == "stop":
                self._stopping = True
            return {"ok": True, "result": self.status()}
        if message.get("version") != __version__:
            # After an upgrade the clients are newer: leave, so that their next search starts a
            # server of their own version instead of asking this one in vain until it idles out.
            self._stopping = True
            return {"ok": False, "kind": "version", "error": f"this server runs bulletin {__version__}"}
        try:
            result = self._dispatch(op, message.get("request") or {})
        except QueryError as exc:
            return {"ok": False, "kind": "query", "error": str(exc)}
        except BulletinError as exc:
            return {"ok": False, "kind": "archive", "error": str(exc)}
        except Exception as exc:  # one bad request must not end the server
            # The client searches by itself instead; the archive is opened afresh next time, in
            # case its state is what failed (a file deleted under an open index, say).
            self.close()
            return {"ok": False, "kind": "internal", "error": f"{type(exc).__name__}: {exc}"}
        self.served += 1
        return {"ok": True, "result": result}

    def _dispatch(self, op: str, data: dict[str, Any]) -> Any:
        from bulletin.results import SearchRequest

        archive = self._current_archive()
        try:
            if op == "show":
                return archive.shown(
                    str(data.get("id")),
                    gist=bool(data.get("gist", True)),
                    length=int(data.get("length", SUMMARY_LENGTH)),
                    keywords=int(data.get("keywords", KEYWORD_COUNT)),
                ).to_dict()
            request = SearchRequest.from_dict(data)
            if op == "search":
                return archive.search(request).to_dict()
            if op == "count":
                return archive.count(request)
            if op == "facet":
                return archive.facet(request, str(data.get("facet")))
        finally:
            archive.notices.clear()
        raise QueryError(f"unknown request {op!r}")

    def _current_archive(self, *, warm: bool = True) -> Any:
        """The open archive, reopened when its index was rebuilt into a new generation."""
        from bulletin.archive import open_archive
        from bulletin.results import SearchRequest

        # A rebuild makes a new index generation live: this archive's index then serves the old one.
        if self._archive is None or self._archive.index.state().stale:
            if self._archive is not None:
                self._archive.close()
            self._archive = open_archive(self.folder)
            self._warm = warm
        if self._warm:
            self._warm = False
            with suppress(BulletinError):  # a first search loads the engine and the index's columns
                self._archive.search(SearchRequest(query="的", limit=1))
            self._archive.notices.clear()
        return self._archive

    def status(self) -> dict[str, Any]:
        """What `bulletin serve --status` reports: process, start time, searches, idle timeout."""
        return {
            "pid": os.getpid(),
            "archive": str(self.folder.resolve()),
            "version": __version__,
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started)),
            "searches": self.served,
            "idle_timeout": self.idle_timeout or 0,  # seconds; 0: never
        }

    def close(self) -> None:
        """Close the archive."""
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    def serve(
        self,
        *,
        idle_timeout: float | None = None,
        on_ready: Callable[[Path], None] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> None:
        """Listen until `stop()` says so or no request came for `idle_timeout` seconds.

        ArchiveError when another server already listens for this archive.
        """
        path = usable_socket_path(self.folder)
        self._current_archive(warm=False)  # first: a missing archive is named as such
        try:
            listener = _listen(path)
        except ArchiveError:
            self.close()
            raise
        self.idle_timeout = idle_timeout
        ours = _inode(path)
        try:
            # Listening before loading: searches that come meanwhile wait for this one load
            # instead of each loading the archive by itself (or starting yet another server).
            self._current_archive()
            if on_ready is not None:
                on_ready(path)
            last = time.monotonic()
            while not (self._stopping or (stop is not None and stop())):
                if idle_timeout and time.monotonic() - last > idle_timeout:
                    break
                try:
                    connection, _ = listener.accept()
                except TimeoutError:
                    if _inode(path) != ours:
                        break  # the archive folder was deleted or the socket removed: nobody can ask
                    continue
                with connection:
                    self._handle(connection, here=_inode(path) == ours)
                last = time.monotonic()
        finally:
            listener.close()
            if _inode(path) == ours:  # not another server's, bound after ours was removed
                with suppress(OSError):
                    path.unlink()
            self.close()

    def _handle(self, connection: socket.socket, *, here: bool = True) -> None:
        connection.settimeout(10.0)
        try:
            line = read_message(connection, limit=_MAX_REQUEST)
            try:
                message = json.loads(line)
            except ValueError:
                message = None
            if not here:
                # The archive folder was moved (the socket with it) or our socket replaced: the
                # caller's archive may not be the one open here. It searches alone; we leave.
                self._stopping = True
                reply = {"ok": False, "kind": "moved", "error": f"{self.folder} is no longer served here"}
            elif isinstance(message, dict):
                reply = self.answer(message)
            else:
                reply = {"ok": False, "kind": "protocol", "error": "a request is one JSON object per line"}
            connection.sendall(_encoded(reply))
        except OSError:
            pass  # the client went away: nothing to tell it


def _encoded(reply: dict[str, Any]) -> bytes:
    """A reply as one line of JSON: UTF-8, or escaped ASCII when the text holds lone surrogates
    (undecodable bytes of a scraped page) that UTF-8 cannot carry."""
    try:
        return json.dumps(reply, ensure_ascii=False).encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        return json.dumps(reply).encode("ascii") + b"\n"


def _listen(path: Path) -> socket.socket:
    """A listening socket at `path`, replacing a stale one (ArchiveError if one is live)."""
    if path.exists():
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(str(path))
        except OSError:
            path.unlink()  # left by a server that died: nobody listens
        else:
            raise ArchiveError(f"a `bulletin serve` already answers for {path.parent}")
        finally:
            probe.close()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(str(path))
        os.chmod(path, 0o600)  # only this user's processes may ask
        listener.listen(16)
        listener.settimeout(0.5)  # wake up to check stop() and the idle timeout
    except OSError as exc:
        listener.close()
        raise ArchiveError(f"{path}: cannot listen ({exc.strerror or exc})") from None
    return listener


def _inode(path: Path) -> tuple[int, int] | None:
    """The socket file's identity (device, inode), None when there is no socket there."""
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_dev, found.st_ino) if stat.S_ISSOCK(found.st_mode) else None

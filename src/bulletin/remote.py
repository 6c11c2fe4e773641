"""Asking a running `bulletin serve` (bulletin.server) instead of opening the archive here,
and starting one in the background for a big archive.

Imports nothing heavy: a search answered this way never loads numpy, Whoosh or SQLite.
Any trouble reaching the server (none running, a stale socket, another version, a
timeout) means "no server": the caller then searches by itself, as it always could.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

from bulletin import __version__
from bulletin.errors import ArchiveError, QueryError

SOCKET_NAME = "search.sock"  # in the archive folder
PROTOCOL = 1
SWITCH = "BULLETIN_SERVER"  # off: never ask a server; on: start one for any archive; auto
MAX_SOCKET_PATH = 100  # sun_path holds 104–108 bytes, depending on the system
# A resident process saves 0.15–0.3 s of start-up a search (0.34–0.49 → 0.2 s at 100k articles),
# but it is a process nobody asked for, holding memory (~100 MB at 100k) for ten minutes: worth
# it where archives are big enough to be searched all day, not for a folder of samples.
AUTO_START_ARTICLES = 10_000
AUTO_IDLE_TIMEOUT = 600  # seconds: a server started by a search leaves after 10 quiet minutes


def socket_path(folder: Path) -> Path:
    """Where the server of the archive in `folder` listens."""
    return folder / SOCKET_NAME


def server_mode() -> str:
    """The setting of $BULLETIN_SERVER: "off", "on", or "auto" (the default, also for unknown values)."""
    value = os.environ.get(SWITCH, "").strip().lower()
    if value in ("off", "0", "no", "never"):
        return "off"
    if value in ("on", "1", "yes", "always"):
        return "on"
    return "auto"


def wants_server(articles: int) -> bool:
    """Whether a search of an archive of `articles` articles should start a server for the next ones."""
    mode = server_mode()
    return mode == "on" or (mode == "auto" and articles >= AUTO_START_ARTICLES)


def start_server(folder: Path, *, idle_timeout: int = AUTO_IDLE_TIMEOUT) -> bool:
    """Start `bulletin serve` for the archive in `folder` as a detached background process
    (True when launched; it exits by itself if another server got there first)."""
    import subprocess
    import sys

    folder = folder.resolve()
    if not hasattr(socket, "AF_UNIX") or len(os.fsencode(socket_path(folder))) > MAX_SOCKET_PATH:
        return False
    if not os.access(folder, os.W_OK):  # no socket can go there: a server would only fail, every search
        return False
    command = [sys.executable, "-m", "bulletin", "--archive", str(folder), "serve"]
    command += ["--idle-timeout", str(idle_timeout)]
    try:
        # Its own session and no inherited descriptors: it outlives the terminal and never
        # holds a pipe open (`bulletin search … | head` must not wait for it).
        subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd="/",
            start_new_session=True,
        )
    except OSError:
        return False
    return True


def ask(
    folder: Path, op: str, request: dict[str, Any], *, timeout: float = 2.0, even_when_off: bool = False
) -> tuple[bool, Any]:
    """(True, result) from the archive's server, or (False, None) when there is none to ask
    (`timeout`: seconds to wait for it to take the call; `even_when_off`: ask although
    BULLETIN_SERVER=off, as `serve --status/--stop` do).

    A request the server rejects raises here as it would in process: QueryError for a
    malformed query, ArchiveError for an archive problem.
    """
    if (server_mode() == "off" and not even_when_off) or not hasattr(socket, "AF_UNIX"):
        return False, None
    path = socket_path(folder)
    if not path.exists():
        return False, None
    message = {"protocol": PROTOCOL, "version": __version__, "op": op, "request": request}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(timeout)  # a server that does not take the call is not there
            connection.connect(str(path))
            connection.sendall(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
            # The answer takes as long as the search does (`--limit 0` of a common word: many
            # seconds of snippets), as it would here; a server that dies closes the socket.
            connection.settimeout(None)
            reply = json.loads(read_message(connection))
    except (OSError, ValueError):
        return False, None
    if not isinstance(reply, dict):
        return False, None
    if reply.get("ok"):
        return True, reply.get("result")
    kind, error = reply.get("kind"), str(reply.get("error") or "the search server failed")
    if kind == "query":
        raise QueryError(error)
    if kind == "archive":
        raise ArchiveError(error)
    return False, None  # another version, or a protocol problem: search here instead


def read_message(connection: socket.socket, *, limit: int | None = None) -> bytes:
    """One newline-terminated message (or what came before the peer closed, or `limit` bytes)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = connection.recv(1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if chunk.endswith(b"\n") or (limit is not None and size > limit):
            break
    return b"".join(chunks)

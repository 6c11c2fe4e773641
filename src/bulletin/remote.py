"""Asking a running `bulletin serve` (bulletin.server) instead of opening the archive here.

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
OFF_SWITCH = "BULLETIN_SERVER"  # set to "off" to never ask a server


def socket_path(folder: Path) -> Path:
    """Where the server of the archive in `folder` listens."""
    return folder / SOCKET_NAME


def ask(folder: Path, op: str, request: dict[str, Any], *, timeout: float = 2.0) -> tuple[bool, Any]:
    """(True, result) from the archive's server, or (False, None) when there is none to ask
    (`timeout`: seconds to wait for it to take the call).

    A request the server rejects raises here as it would in process: QueryError for a
    malformed query, ArchiveError for an archive problem.
    """
    if os.environ.get(OFF_SWITCH, "").lower() in ("off", "0", "no") or not hasattr(socket, "AF_UNIX"):
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

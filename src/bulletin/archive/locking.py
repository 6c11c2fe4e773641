"""The archive's writer lock: one importing process at a time, others wait then give up.

Readers take no lock: an archive on read-only media (folder_is_writable is False) is only read.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bulletin.errors import ArchiveError, ArchiveLockedError


def folder_is_writable(folder: Path) -> bool:
    """Whether this process may create files in `folder` (False on read-only media too)."""
    return os.access(folder, os.W_OK)


@contextmanager
def writer_lock(path: Path, *, wait: float, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive advisory lock on `path`, waiting up to `wait` seconds.

    The kernel releases a flock when its process dies, so a killed import never
    leaves a stale lock behind.
    """
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ArchiveError(
            f"{path.parent}: cannot write to the archive folder ({exc.strerror or exc}); it is on a "
            "read-only or full disk, or not yours: fix that or choose another --archive"
        ) from None
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ArchiveLockedError(
                        f"{path.parent}: another bulletin process is writing to this archive; "
                        f"waited {wait:g}s — try again when it finishes, or pass a longer --wait"
                    ) from None
                if not told and on_wait is not None:
                    on_wait()
                    told = True
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)

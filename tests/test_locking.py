"""Two writers at once: the second waits, says so, then gives up with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bulletin.archive import LOCK_NAME
from bulletin.archive.locking import writer_lock

from .shared_data import EXAMPLES


def bulletin(archive: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BULLETIN_ARCHIVE": str(archive)}
    return subprocess.run(
        [sys.executable, "-m", "bulletin", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_second_import_waits_then_fails_cleanly_while_searches_go_on(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    assert bulletin(archive, "import", "--quiet", str(EXAMPLES / "gbk-news.html")).returncode == 0
    with writer_lock(archive / LOCK_NAME, wait=0):
        blocked = bulletin(archive, "import", "--wait", "1", str(EXAMPLES / "tongnan-education-2023.txt"))
        assert blocked.returncode == 2
        assert "waiting up to 1s" in blocked.stderr
        assert "another bulletin process is writing" in blocked.stderr
        assert "Traceback" not in blocked.stderr
        # Readers never need the writer lock.
        assert bulletin(archive, "search", "--count", "").stdout.strip() == "1"
    # Once the lock is free the same import goes through, and nothing was lost.
    done = bulletin(archive, "import", str(EXAMPLES / "tongnan-education-2023.txt"))
    assert done.returncode == 0, done.stderr
    assert bulletin(archive, "search", "--count", "").stdout.strip() == "2"
    assert bulletin(archive, "check").returncode == 0

"""An archive on a full or read-only disk: one clear error line, exit 2, and the archive unchanged.

Tests run as root, where permissions do not stop writes. A full disk is simulated with
RLIMIT_FSIZE in the importing subprocess (SIGXFSZ ignored, so a write past the limit fails with
EFBIG as on a full disk). A read-only disk is a read-only bind mount in a private mount
namespace (`unshare -m`), skipped where that is not allowed; an in-process variant makes the
archive folder refuse writes at the OS level.
"""

from __future__ import annotations

import errno
import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin.archive import DB_NAME, open_archive
from bulletin.search import SearchRequest

from .conftest import Cli
from .shared_data import EXAMPLES

TIMEOUT = 120


def bulletin(archive: Path, *args: str, fsize: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        assert fsize is not None
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [sys.executable, "-m", "bulletin", *args],
        env={**os.environ, "BULLETIN_ARCHIVE": str(archive)},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=None if fsize is None else limit,
    )


def ids(archive: Path) -> set[str]:
    with open_archive(archive) as opened:
        return {hit.article.id for hit in opened.search(SearchRequest(limit=None, all_copies=True)).hits}


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def assert_one_error_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("bulletin: error: ")]
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in errors[0], errors[0]


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """Forty distinct pages (example pages with a numbered comment appended)."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    sources = sorted(EXAMPLES.glob("*.html"))
    for n in range(40):
        source = sources[n % len(sources)]
        (folder / f"{n:02d}-{source.name}").write_bytes(
            source.read_bytes() + f"\n<!-- copy {n} -->\n".encode()
        )
    return folder


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    first = bulletin(
        folder, "import", "--quiet", str(EXAMPLES / "gbk-news.html"), str(EXAMPLES / "utf8-obituary.html")
    )
    assert first.returncode == 0, first.stderr
    return folder


@pytest.mark.parametrize("room", [0, 8 * 1024, 64 * 1024, 256 * 1024])
def test_import_onto_a_full_disk_fails_cleanly_and_keeps_the_archive(
    archive: Path, inputs: Path, room: int
) -> None:
    before = ids(archive)
    # Files may grow only `room` bytes past the largest one there now.
    largest = max(path.stat().st_size for path in archive.rglob("*") if path.is_file())
    full = bulletin(archive, "import", "--quiet", "--jsonl", str(inputs), fsize=largest + room)
    assert_one_error_line(full, str(archive), "cannot write", "free disk space")
    reported = {line.split('"id": "')[1][:12] for line in full.stdout.splitlines() if '"added"' in line}
    # Nothing that was there is lost, nothing unreported appears in search, and the archive is
    # healthy (the index may lag the database by the chunk that failed: --repair fixes that).
    assert ids(archive) == before | reported
    check = bulletin(archive, "check")
    if check.returncode != 0:
        assert bulletin(archive, "check", "--repair").returncode == 0, check.stdout + check.stderr
        assert bulletin(archive, "check").returncode == 0
    # With room again, the same import completes.
    done = bulletin(archive, "import", "--quiet", str(inputs))
    assert done.returncode == 0, done.stderr
    assert len(ids(archive)) == len(before) + 40


def test_a_new_archive_on_a_full_disk_fails_with_one_line(tmp_path: Path, inputs: Path) -> None:
    result = bulletin(tmp_path / "archive", "import", "--quiet", str(inputs), fsize=4096)
    assert_one_error_line(result, str(tmp_path / "archive"))


def _read_only_mount_works(folder: Path) -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    probe = subprocess.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}"',
        ],
        capture_output=True,
        timeout=30,
    )
    return probe.returncode == 0


def test_import_into_a_read_only_archive_fails_cleanly_and_changes_nothing(
    archive: Path, inputs: Path
) -> None:
    if not _read_only_mount_works(archive):
        pytest.skip("no private mount namespace here (unshare -m); the in-process test covers this")
    before = snapshot(archive)
    script = (
        f'mount --bind "{archive}" "{archive}" && mount -o remount,bind,ro "{archive}" && '
        f'exec "{sys.executable}" -m bulletin "$@"'
    )
    env = {**os.environ, "BULLETIN_ARCHIVE": str(archive)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["unshare", "-m", "sh", "-c", script, "sh", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )

    assert_one_error_line(run("import", "--quiet", str(inputs)), str(archive), "read-only")
    assert_one_error_line(run("reindex"), str(archive), "read-only")
    # Reading either works or says clearly why not (SQLite's WAL needs a writable folder).
    count = run("search", "--count", "")
    if count.returncode != 0:
        assert_one_error_line(count, str(archive), "read-only")
    else:
        assert count.stdout.strip() == "2"
    assert snapshot(archive) == before


def test_archive_folder_refusing_writes_gives_one_line(
    archive: Path, inputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same promise in-process, where a read-only mount is not available."""
    import bulletin.archive.locking

    before = snapshot(archive)
    real_open = os.open

    def read_only_open(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: object) -> int:
        if str(path).startswith(str(archive)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(bulletin.archive.locking.os, "open", read_only_open)
    result = Cli(archive)("import", "--quiet", str(inputs))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    stderr = result.stderr  # type: ignore[attr-defined]
    assert stderr.startswith("bulletin: error: ") and stderr.count("\n") == 1, stderr
    assert "Read-only file system" in stderr and str(archive) in stderr
    monkeypatch.undo()
    assert snapshot(archive) == before
    assert DB_NAME in before

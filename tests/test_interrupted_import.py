"""Killing or interrupting an import at random moments never loses what it reported; a re-run completes.

Each trial starts a real `bulletin import --jsonl` subprocess and sends SIGKILL or SIGINT (one
Ctrl-C, or two in quick succession) at a random moment, then checks the promises: the archive
opens and searches, every article the import printed as "added" is findable, and no traceback
or hang (every subprocess has a timeout, so a hang fails instead of blocking CI). A round ends
when an import finishes on its own or after a few trials; then a plain re-run must complete
the archive and `bulletin check` must pass (after `--repair` if the index lagged).

The inputs are small (a few dozen short synthetic bulletins made from corpus sentences, the
examples/ pages and one binary file) and the chunk size is lowered, so one run holds several
commits and a kill can land in extraction, in the SQLite transaction, in the index commit or
between them.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bulletin.archive import DB_NAME, open_archive
from bulletin.search import SearchRequest

from .shared_data import EXAMPLES, needs_shared

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

SIGKILL_TRIALS = 30
SIGINT_TRIALS = 24  # every third one is a double Ctrl-C ("stop at once")
PAGES = 36
CHUNK = 6
TIMEOUT = 60  # seconds for one subprocess; a healthy one takes a few
ROUND_TRIALS = 6
# `python -m bulletin` with a smaller chunk; the start-up guard is the one in bulletin/__main__.py.
RUNNER = f"""
import sys
try:
    import bulletin.archive.importer
    from bulletin.cli import main
except KeyboardInterrupt:
    print("bulletin: interrupted", file=sys.stderr)
    sys.exit(130)
bulletin.archive.importer.CHUNK = {CHUNK}
main()
"""


@dataclass
class Corpus:
    """The input folder, and a phrase from each synthetic page by file name."""

    folder: Path
    phrases: dict[str, str]
    articles: int  # how many inputs become articles (all but the binary file)
    seconds: float = 0.0  # how long an uninterrupted import took here
    delivered: dict[str, int] = field(default_factory=dict)


def bulletin(archive: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BULLETIN_ARCHIVE": str(archive)}
    return subprocess.run(
        [sys.executable, "-m", "bulletin", *args], env=env, capture_output=True, text=True, timeout=TIMEOUT
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    import corpus_gen

    folder = tmp_path_factory.mktemp("pages")
    phrases = {}
    for article in corpus_gen.generate(PAGES, seed=11, chars=300):
        (folder / article.name).write_bytes(article.body)
        run = re.search("[\u4e00-\u9fff]{6,}", article.text)
        assert run is not None
        phrases[article.name] = run.group()[:6]
    for example in EXAMPLES.glob("*.html"):
        shutil.copy(example, folder / example.name)
    (folder / "broken.html").write_bytes(bytes(range(256)) * 8)  # binary: always "failed"
    articles = len(list(folder.iterdir())) - 1
    corpus = Corpus(folder, phrases, articles)
    # One uninterrupted import sets the span kill moments are drawn from.
    archive = tmp_path_factory.mktemp("calibrate") / "archive"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, "import", "--quiet", "--jsonl", str(folder)],
        env={**os.environ, "BULLETIN_ARCHIVE": str(archive)},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    corpus.seconds = time.monotonic() - started
    assert done.returncode == 1, done.stderr  # 1: the binary file is rejected, the rest imported
    statuses = [json.loads(line)["status"] for line in done.stdout.splitlines()]
    assert sorted(statuses) == ["added"] * articles + ["failed"]
    return corpus


def findable(archive: Path) -> set[str]:
    """Ids an (unfiltered) search lists, every near-duplicate included."""
    if not (archive / DB_NAME).exists():  # killed before it created the archive
        return set()
    with open_archive(archive) as opened:
        result = opened.search(SearchRequest(limit=None, all_copies=True))
        return {hit.article.id for hit in result.hits}


def interrupted_run(
    archive: Path, corpus: Corpus, sig: signal.Signals, rng: random.Random, twice: bool
) -> tuple[bool, dict[str, str]]:
    """One import hit by `sig` at a random moment: whether it finished anyway, and what it reported."""
    process = subprocess.Popen(
        [sys.executable, "-c", RUNNER, "import", "--jsonl", "--quiet", str(corpus.folder)],
        env={**os.environ, "BULLETIN_ARCHIVE": str(archive)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(rng.uniform(0.05, corpus.seconds * 1.1))
    finished = process.poll() is not None
    if not finished:
        process.send_signal(sig)
        corpus.delivered[sig.name] = corpus.delivered.get(sig.name, 0) + 1
        if twice:
            time.sleep(rng.uniform(0.0, 0.3))
            if process.poll() is None:
                process.send_signal(sig)
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"import hung after {sig.name}; stderr: {err[-2000:]}")
    # A signal that lands while CPython is still importing the package (before any of our code
    # runs) makes CPython print a traceback of its own frozen frames: not ours to fix (the
    # start-up test below exempts it the same way).
    if not _only_interpreter_frames(err):
        assert "Traceback" not in err and "Exception ignored" not in err, err
    # -2 (death by SIGINT, which a shell shows as 130 too): a Ctrl-C that lands before the
    # interpreter installs its handlers or after it resets them on the way out.
    expected = {signal.SIGKILL: (-9,), signal.SIGINT: (130, -2)}[sig]
    assert process.returncode in (*expected, 0, 1), (process.returncode, err)
    reported: dict[str, str] = {}
    for line in out.splitlines(keepends=True):
        if not line.endswith("\n"):  # a kill may cut the last line short; it promised nothing
            continue
        event = json.loads(line)
        if event["status"] == "added":
            reported[event["id"]] = event["origin"]
    if sig == signal.SIGINT and process.returncode == 130:
        assert "interrupted" in err or "stopped at once" in err, err
    # The archive opens and searches, and everything this run reported is there.
    missing = set(reported) - findable(archive)
    assert not missing, f"reported as added but not findable after {sig.name}: {sorted(missing)}"
    return finished or process.returncode in (0, 1), reported


def finish_round(archive: Path, corpus: Corpus, reported: dict[str, str]) -> None:
    """A plain re-run completes the archive; check passes (after --repair if the index lags)."""
    final = bulletin(archive, "import", "--quiet", str(corpus.folder))
    assert final.returncode == 1, final.stderr  # only the binary file fails
    assert "Traceback" not in final.stderr
    check = bulletin(archive, "check")
    if check.returncode != 0:
        repaired = bulletin(archive, "check", "--repair")
        assert repaired.returncode == 0, repaired.stderr
        assert bulletin(archive, "check").returncode == 0
    assert len(findable(archive)) == corpus.articles
    # Articles reported by the interrupted runs are found by their own words, too.
    with open_archive(archive) as opened:
        for article_id, origin in reported.items():
            phrase = corpus.phrases.get(Path(origin).name)
            if phrase is None:  # an examples/ page
                continue
            hits = opened.search(SearchRequest(query=f'"{phrase}"', limit=None, all_copies=True)).hits
            assert article_id in {hit.article.id for hit in hits}, (origin, phrase)


def run_trials(tmp_path: Path, corpus: Corpus, sig: signal.Signals, trials: int) -> None:
    rng = random.Random(f"{sig.name}-{os.environ.get('BULLETIN_CRASH_SEED', '0')}")
    rounds = 0
    archive: Path | None = None
    in_round = 0
    reported: dict[str, str] = {}
    corpus.delivered[sig.name] = 0
    while corpus.delivered[sig.name] < trials:
        if archive is None:
            rounds += 1
            archive = tmp_path / f"archive-{rounds}"
            in_round = 0
            reported = {}
        twice = sig == signal.SIGINT and corpus.delivered[sig.name] % 3 == 2
        done, added = interrupted_run(archive, corpus, sig, rng, twice)
        reported.update(added)
        in_round += 1
        if done or in_round >= ROUND_TRIALS:
            finish_round(archive, corpus, reported)
            archive = None
    if archive is not None:
        finish_round(archive, corpus, reported)
    assert corpus.delivered[sig.name] >= trials


@needs_shared
def test_killed_imports_keep_what_they_reported(tmp_path: Path, corpus: Corpus) -> None:
    run_trials(tmp_path, corpus, signal.SIGKILL, SIGKILL_TRIALS)


@needs_shared
def test_interrupted_imports_stop_and_keep_what_they_reported(tmp_path: Path, corpus: Corpus) -> None:
    run_trials(tmp_path, corpus, signal.SIGINT, SIGINT_TRIALS)


def _only_interpreter_frames(err: str) -> bool:
    """A traceback whose frames are all CPython's own (runpy finding the package to run)."""
    frames = [line for line in err.splitlines() if line.startswith('  File "')]
    return bool(frames) and all(line.startswith('  File "<frozen ') for line in frames)


def test_ctrl_c_while_starting_up_exits_130_without_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "BULLETIN_ARCHIVE": str(tmp_path / "archive")}
    for delay in (0.05, 0.1, 0.2, 0.35):
        process = subprocess.Popen(
            [sys.executable, "-m", "bulletin", "import", "--quiet", str(EXAMPLES)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=TIMEOUT)
        if "Could not import runpy module" in err or _only_interpreter_frames(err):
            continue  # CPython itself was still starting (before any of our code): not ours to fix
        assert "Traceback" not in err, err
        # -2: the signal came before the interpreter installed its handler (nothing ran yet).
        assert process.returncode in (130, 0, -2), (delay, process.returncode, err)

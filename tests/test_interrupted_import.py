"""Killing an import at random moments never loses what it reported, and a re-run completes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .shared_data import needs_shared

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

KILLS = 10


def bulletin(archive: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BULLETIN_ARCHIVE": str(archive)}
    return subprocess.run(
        [sys.executable, "-m", "bulletin", *args], env=env, capture_output=True, text=True, timeout=300
    )


@needs_shared
@pytest.mark.parametrize("sig", [signal.SIGKILL])
def test_killed_imports_keep_what_they_reported(tmp_path: Path, sig: signal.Signals) -> None:
    import corpus_gen

    pages = tmp_path / "pages"
    articles = corpus_gen.write_corpus(pages, 1500, seed=3)
    archive = tmp_path / "archive"
    rng = random.Random(int(sig))
    reported: dict[str, str] = {}
    env = {**os.environ, "BULLETIN_ARCHIVE": str(archive)}
    for _ in range(KILLS):
        process = subprocess.Popen(
            [sys.executable, "-m", "bulletin", "import", "--jsonl", "--quiet", str(pages)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(rng.uniform(0.5, 5.0))
        process.send_signal(sig)
        out, err = process.communicate(timeout=240)
        assert "Traceback" not in err, err
        for line in out.splitlines():
            event = json.loads(line)
            if event["status"] == "added":
                reported[event["id"]] = event["origin"]
        # After every kill the archive opens, and every article reported as added is findable.
        listed = bulletin(archive, "search", "--ids", "--limit", "0", "")
        assert listed.returncode in (0, 1), listed.stderr
        assert set(reported) <= set(listed.stdout.split())
    by_name = {a.name: a for a in articles}
    for article_id, origin in list(reported.items())[:: max(1, len(reported) // 15)]:
        phrase = by_name[Path(origin).name].text.split("\n")[0][5:13]
        ids = bulletin(archive, "search", "--ids", "--limit", "0", f'"{phrase}"').stdout.split()
        assert article_id in ids, (origin, phrase)
    # A re-run completes the rest; the archive is then healthy and complete.
    final = bulletin(archive, "import", "--quiet", str(pages))
    assert final.returncode == 0, final.stderr
    check = bulletin(archive, "check")
    if check.returncode != 0:
        assert bulletin(archive, "check", "--repair").returncode == 0
    assert bulletin(archive, "search", "--count", "").stdout.strip() == str(len(articles))

"""The real `bulletin` executable in subprocesses, on examples/ and the real corpus."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .shared_data import CORPUS, EXAMPLES, SEED, needs_corpus, needs_shared

BULLETIN = shutil.which("bulletin") or ""
MOJIBAKE = ("锟斤拷", "�", "Ã", "â€", "æ", "ç»", "è")


def run(
    *args: str, archive: Path, stdin: bytes | None = None, shell: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "BULLETIN_ARCHIVE": str(archive)}
    if shell is not None:
        return subprocess.run(
            ["bash", "-o", "pipefail", "-c", shell], env=env, capture_output=True, timeout=300
        )
    command = [BULLETIN, *args] if BULLETIN else [sys.executable, "-m", "bulletin", *args]
    return subprocess.run(command, env=env, input=stdin, capture_output=True, timeout=300)


@needs_shared
def test_examples_and_seed_end_to_end(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    imported = run("import", str(EXAMPLES), str(SEED), archive=archive)
    assert imported.returncode == 0, imported.stderr.decode()
    assert imported.stdout == b""
    hits = run("search", "--jsonl", "五心强校", archive=archive)
    assert hits.returncode == 0
    first = json.loads(hits.stdout.decode().splitlines()[0])
    shown = json.loads(run("show", "--json", first["id"], archive=archive).stdout)
    for boilerplate in ("展开全文", "评论列表", "关注教育新动态", "标签:"):
        assert boilerplate not in shown["text"]
    assert "会议强调" in shown["text"]


@needs_shared
def test_broken_pipe_ends_quietly_with_zero(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    assert run("import", str(EXAMPLES), archive=archive).returncode == 0
    command = "bulletin" if BULLETIN else f"{sys.executable} -m bulletin"
    # Enough hits to overflow the pipe buffer after head has gone.
    piped = run(
        archive=archive,
        shell=f"for i in 1 2 3; do {command} search --limit 0 '' ; done | head -1 >/dev/null; "
        f"{command} search --limit 0 '' | head -1",
    )
    assert piped.returncode == 0, piped.stderr.decode()
    assert b"Traceback" not in piped.stderr and b"Broken pipe" not in piped.stderr


@needs_corpus
def test_every_dev_page_imports_without_mojibake(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    pages = sorted((CORPUS / "pages").glob("*.html"))
    result = run("import", "--jsonl", str(CORPUS / "pages"), archive=archive)
    assert result.returncode == 0, result.stderr.decode()
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(records) == len(pages)
    assert all(r["status"] == "added" for r in records)
    for record in records:
        title = record["title"] or ""
        assert not any(bad in title for bad in MOJIBAKE), (record["origin"], title)


def _cjk_phrase(text: str, length: int = 8) -> str | None:
    """A run of `length` CJK characters from the middle third of `text`, if there is one."""
    flat = text.replace("\n", "")
    for i in range(len(flat) // 3, len(flat) - length):
        if all("\u4e00" <= c <= "\u9fff" for c in flat[i : i + length]):
            return flat[i : i + length]
    return None


@needs_corpus
def test_strings_copied_from_dev_pages_find_them(tmp_path: Path) -> None:
    from bulletin.archive import open_archive
    from bulletin.search import SearchRequest

    folder = tmp_path / "archive"
    assert run("import", "--quiet", str(CORPUS / "pages"), archive=folder).returncode == 0
    with open_archive(folder) as archive:

        def found(phrase: str) -> list[str]:
            return [h.article.origin for h in archive.search(SearchRequest(query=phrase, limit=None)).hits]

        # Every phrase from an archived article's clean text finds that article (search recall).
        checked = 0
        for article in archive.store.iter_articles():
            phrase = _cjk_phrase(article.text)
            if phrase:
                assert article.origin in found(phrase), (article.origin, phrase)
                checked += 1
        assert checked >= 50
        # Phrases from the ground-truth article text: extraction keeps nearly all of them.
        truths = sorted((CORPUS / "truth").glob("zh-*.json"))
        phrases = [
            (t.stem, _cjk_phrase(json.loads(t.read_text(encoding="utf-8")).get("text") or "")) for t in truths
        ]
        missed = [(stem, p) for stem, p in phrases if p and not any(stem in o for o in found(p))]
        assert len(missed) <= len(phrases) // 10, missed

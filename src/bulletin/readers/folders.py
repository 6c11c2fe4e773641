"""Folders and path lists: the file names beneath a folder, and paths listed one a line."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path


def walk_folder(
    folder: Path, wanted: Callable[[str], bool], passed_over: list[str] | None = None
) -> Iterator[Path]:
    """Yield the files under a folder whose paths are `wanted`, recursively, in a stable (sorted) order;
    the others (hidden ones aside) go to `passed_over`."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root) / name
            if wanted(str(path)):
                yield path
            elif passed_over is not None:
                passed_over.append(str(path))


def read_path_list(stream: Iterable[str]) -> Iterator[str]:
    """Paths from a newline-separated list (as `find` prints), blank lines skipped."""
    for line in stream:
        line = line.rstrip("\r\n")
        if line.strip():
            yield line

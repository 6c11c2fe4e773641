"""Generation folders under the index root, and the CURRENT file naming the live one.

A rebuild writes a new generation (`gen-000002/`) while the old one keeps serving, then
switches with one atomic rename of CURRENT, which also records the schema version.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bulletin.index.schema import SCHEMA_VERSION

CURRENT_FILE = "CURRENT"


def read_current(root: Path) -> tuple[str, int] | None:
    """The live generation's folder name and schema version; None when unreadable."""
    try:
        name, version = (root / CURRENT_FILE).read_text(encoding="utf-8").split()
        return name, int(version)
    except (OSError, ValueError):
        return None


def write_current(root: Path, name: str) -> None:
    """Make generation `name` live (durably, in one rename)."""
    tmp = root / (CURRENT_FILE + ".tmp")
    tmp.write_text(f"{name} {SCHEMA_VERSION}\n", encoding="utf-8")
    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, root / CURRENT_FILE)


def exists(root: Path) -> bool:
    """Whether an index was ever made live under `root` (usable or not)."""
    return (root / CURRENT_FILE).exists()


def new_generation(root: Path) -> str:
    """Create the folder of the next generation; returns its name."""
    root.mkdir(parents=True, exist_ok=True)
    numbers = [int(p.name[4:]) for p in root.glob("gen-*") if p.name[4:].isdigit()]
    name = f"gen-{max(numbers, default=0) + 1:06d}"
    (root / name).mkdir()
    return name


def remove_others(root: Path, keep: str) -> None:
    """Delete generation folders other than `keep` (left by a switch or by crashed rebuilds)."""
    for path in root.glob("gen-*"):
        if path.name != keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)

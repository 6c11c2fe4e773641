"""Opening the inputs named on the command line (import, extract): path lists, formats, usage errors."""

from __future__ import annotations

import sys
from typing import Any

import typer

from bulletin.cli.errors import fail, warn


def input_names(paths: list[str], files_from: str | None) -> list[str]:
    """The paths given plus those listed by --files-from, folders expanded later."""
    from bulletin.readers import read_path_list

    names = list(paths)
    if files_from is not None:
        if files_from == "-":
            names.extend(read_path_list(sys.stdin))
        else:
            try:
                with open(files_from, encoding="utf-8", errors="surrogateescape") as handle:
                    names.extend(read_path_list(handle))
            except OSError as exc:
                fail(f"{files_from}: cannot read the path list ({exc.strerror}); check --files-from")
    return names


def report_passed_over(inputs: Any) -> None:
    """Say on stderr how many files in the folders named were not read, and a few of their names."""
    passed = inputs.passed_over
    if passed:
        shown = ", ".join(passed[:3]) + (" …" if len(passed) > 3 else "")
        warn(
            f"passed over {len(passed)} files that are not pages ({shown}); "
            "name a file to read it anyway, or use --format"
        )


def open_named(names: list[str], max_size: int, fmt: str = "auto", maps: list[str] | None = None) -> Any:
    """Inputs read lazily, one page or feed/archive record at a time (usage errors exit 2)."""
    from bulletin.readers import FormatError, open_inputs
    from bulletin.readers.jsonl import MappingError

    try:
        return open_inputs(names, fmt=fmt, maps=maps or [], max_size=max_size, stdin=sys.stdin.buffer)
    except FormatError as exc:
        raise typer.BadParameter(str(exc), param_hint="--format") from None
    except MappingError as exc:
        raise typer.BadParameter(str(exc), param_hint="--map") from None

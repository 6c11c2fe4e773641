"""Progress on a terminal's stderr: n/N articles, rate and ETA when the total is known, else a spinner."""

from __future__ import annotations

from typing import Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from bulletin.console import Env
from bulletin.render.terminal import make_console


class RateColumn(ProgressColumn):
    """Articles a second, once there is a rate to show."""

    def render(self, task: Task) -> Text:
        """`123/s`, or blank before the first measurement."""
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "", style="dim")


def columns(known_total: bool) -> tuple[ProgressColumn, ...]:
    """A bar with n/N, rate and time left for a known total; a spinner with n and rate otherwise."""
    if known_total:
        return (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("articles"),
            RateColumn(),
            TimeRemainingColumn(),
        )
    return (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,.0f} articles"),
        RateColumn(),
        TimeElapsedColumn(),
    )


class Bar:
    """One task's progress; `advance` and `update` are what the library's callbacks call."""

    def __init__(self, env: Env, description: str, total: int | None, *, counted: bool | None = None) -> None:
        """`counted`: whether a total will be known (default: whether `total` is given)."""
        # redirect_stdout off: rich would otherwise send what is printed on stdout (records,
        # --jsonl lines) through its stderr console, and `import --jsonl > out.jsonl` got nothing.
        self._progress = Progress(
            *columns(total is not None if counted is None else counted),
            console=make_console(env, stderr=True),
            transient=True,
            redirect_stdout=False,
        )
        self._task = self._progress.add_task(description, total=total)
        self._progress.start()

    def advance(self, n: int) -> None:
        """n more articles done."""
        self._progress.advance(self._task, n)

    def update(self, done: int, total: int) -> None:
        """`done` of `total` articles done."""
        self._progress.update(self._task, completed=done, total=total)

    def stop(self) -> None:
        """Take the bar off the screen (idempotent)."""
        self._progress.stop()


def progress_bar(env: Env, description: str, total: int | None, *, quiet: bool = False) -> Any:
    """A started Bar on a terminal's stderr, or None (quiet, stderr not a terminal, one input)."""
    if quiet or not env.stderr_tty or (total is not None and total <= 1):
        return None
    return Bar(env, description, total)

"""The Typer app, its global options (--archive, --color, --version) and the State every command reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import click
import typer

from bulletin import __version__
from bulletin.cli.helptext import BulletinGroup
from bulletin.console import Env
from bulletin.paths import resolve_archive


def new_app() -> typer.Typer:
    """An empty `bulletin` app: the full one below, or one with only the invoked command."""
    return typer.Typer(
        name="bulletin",
        cls=BulletinGroup,
        help="Turn scraped bulletins and news pages into a clean, searchable archive.",
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


app = new_app()


@dataclass
class State:
    """Options shared by every command."""

    archive_option: str | None
    env: Env
    pager: bool = True  # --no-pager turns it off

    def paged(self) -> Any:
        """A context in which long terminal output goes through the pager (see cli/pager.py)."""
        from bulletin.cli.pager import paged

        return paged(self.env, enabled=self.pager)

    @property
    def archive_path(self) -> Path:
        """The chosen archive folder."""
        return resolve_archive(self.archive_option)


def state_of(ctx: typer.Context) -> State:
    """The global options of the running command."""
    state = ctx.find_root().obj
    assert isinstance(state, State)
    return state


def open_archive(state: State, *, create: bool = False) -> Any:
    """The chosen archive, opened (the library loads only now: `--help` stays fast)."""
    from bulletin.archive import open_archive as open_folder

    return open_folder(state.archive_path, create=create)


def served_answer(state: State, op: str, request: dict[str, Any]) -> Any:
    """The answer of the archive's `bulletin serve`, or None when none is running."""
    from bulletin.remote import ask

    served, answer = ask(state.archive_path, op, request)
    return answer if served else None


def version_callback(value: bool) -> None:
    """--version: print it and stop."""
    if value:
        print(f"bulletin {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    archive: Annotated[
        str | None,
        typer.Option(
            "--archive",
            metavar="PATH",
            help="Archive folder (default: $BULLETIN_ARCHIVE, else the user data folder).",
        ),
    ] = None,
    color: Annotated[
        str,
        typer.Option(
            "--color",
            click_type=click.Choice(["auto", "always", "never"]),
            help="Colour: auto (on a terminal, unless NO_COLOR is set), always (into pipes too) or never.",
        ),
    ] = "auto",
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help='Never page long terminal output (also: BULLETIN_PAGER="").')
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=version_callback, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Turn scraped bulletins and news pages into a clean, searchable archive."""
    existing = ctx.obj
    env = existing.env if isinstance(existing, State) else Env.detect(color)
    ctx.obj = State(archive_option=archive, env=env, pager=not no_pager)

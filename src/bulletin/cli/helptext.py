"""How `--help` reads, and global options anywhere on the line: the click classes behind the app."""

from __future__ import annotations

import inspect
from typing import Any

import click
from typer.core import TyperCommand, TyperGroup

# Global options (defined on the app's callback) and whether each takes a value.
GLOBAL_OPTIONS = {"--archive": True, "--color": True, "--no-pager": False}


def _unescaped(formatter: click.HelpFormatter) -> None:
    # Typer escapes "[" for rich's HTML export even when rich formatting is off, so plain
    # help showed "\[default: 10]".
    formatter.buffer[:] = [part.replace("\\[", "[") for part in formatter.buffer]


def hoist_global_options(args: list[str]) -> list[str]:
    """The arguments with global options given after the subcommand moved in front of it.

    `bulletin search 教育 --archive X` then means `bulletin --archive X search 教育`. After `--`
    nothing moves: `bulletin search -- --archive` searches for the word.
    """
    start = command_position(args)
    if start is None:
        return list(args)
    moved: list[str] = []
    kept: list[str] = []
    rest = args[start + 1 :]
    i = 0
    while i < len(rest):
        arg = rest[i]
        name = arg.split("=", 1)[0]
        if arg == "--":
            kept.extend(rest[i:])
            break
        if name in GLOBAL_OPTIONS:
            takes_value = GLOBAL_OPTIONS[name] and "=" not in arg
            moved.extend(rest[i : i + 2] if takes_value else [arg])
            i += 2 if takes_value else 1
            continue
        kept.append(arg)
        i += 1
    return [*args[:start], *moved, args[start], *kept]


def command_position(args: list[str]) -> int | None:
    """Where the subcommand's name stands (global options before it and their values skipped)."""
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
        elif arg in GLOBAL_OPTIONS:
            skip = GLOBAL_OPTIONS[arg]
        elif not arg.startswith("-"):
            return i
    return None


def _restore_argument_help(command: click.Command) -> None:
    # Click 8.2 gave Argument its own `help`, set (to None) after Typer stored the text: read
    # it back from the command function's annotations, or arguments are listed bare.
    import typing

    function = inspect.unwrap(command.callback) if command.callback else None
    if function is None:
        return
    hints = typing.get_type_hints(function, include_extras=True)
    for param in command.params:
        if isinstance(param, click.Argument) and not getattr(param, "help", None):
            for meta in getattr(hints.get(param.name or ""), "__metadata__", ()):
                if getattr(meta, "help", None):
                    param.help = meta.help


class BulletinCommand(TyperCommand):
    """A command whose plain help lists its arguments' help and shows `[default: …]` as written."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Typer's plain help, with argument help, unescaped."""
        _restore_argument_help(self)
        super().format_help(ctx, formatter)
        _unescaped(formatter)

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Nothing: Typer lists the arguments with the options (click 8.2+ would list them twice)."""


class BulletinGroup(TyperGroup):
    """The app: global options accepted after the subcommand too; plain help unescaped."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Move global options written after the subcommand before it, then parse as usual."""
        return super().parse_args(ctx, hoist_global_options(args))

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Typer's plain help, unescaped."""
        super().format_help(ctx, formatter)
        _unescaped(formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """One line per command, its whole one-line summary (click cuts them at the width's guess)."""
        rows: list[tuple[str, Any]] = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=200)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

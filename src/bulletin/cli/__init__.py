"""The `bulletin` command line: parse options, call the library, pick a renderer, exit like grep."""

from __future__ import annotations

from bulletin.cli import commands  # noqa: F401  (registers every command on the app, in --help order)
from bulletin.cli.app import State, app
from bulletin.cli.entry import main
from bulletin.cli.errors import ExitStatus, fail, warn

__all__ = ["ExitStatus", "State", "app", "fail", "main", "warn"]

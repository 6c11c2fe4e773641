"""Every `bulletin` command, registered on the app in the order `bulletin --help` lists them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bulletin.cli.app import app
from bulletin.cli.exporting import export_command
from bulletin.cli.extracting import extract_command
from bulletin.cli.helptext import BulletinCommand
from bulletin.cli.importing import import_command
from bulletin.cli.maintenance import (
    check_command,
    delete_command,
    duplicates_command,
    reindex_command,
    stats_command,
)
from bulletin.cli.searching import search_command, similar_command, summarize_command
from bulletin.cli.serving import serve_command
from bulletin.cli.showing import show_command

COMMANDS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("import", import_command),
    ("extract", extract_command),
    ("search", search_command),
    ("serve", serve_command),
    ("summarize", summarize_command),
    ("similar", similar_command),
    ("show", show_command),
    ("stats", stats_command),
    ("export", export_command),
    ("delete", delete_command),
    ("duplicates", duplicates_command),
    ("reindex", reindex_command),
    ("check", check_command),
)

for _name, _command in COMMANDS:
    app.command(_name, cls=BulletinCommand)(_command)

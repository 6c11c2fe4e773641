"""Where the archive lives: --archive, else $BULLETIN_ARCHIVE, else the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "BULLETIN_ARCHIVE"


def default_archive() -> Path:
    """The platform's user data folder for bulletin (e.g. ~/.local/share/bulletin)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("bulletin", appauthor=False))


def resolve_archive(option: str | None) -> Path:
    """The archive folder chosen by option, environment or platform default."""
    if option:
        return Path(option).expanduser()
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return default_archive()

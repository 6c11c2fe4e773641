"""Readers: turn paths, folders, stdin, path lists, JSONL feeds and WARCs into RawInput items.

Each format is a Reader (base.py) in a module of its own, listed in registry.py.
"""

from bulletin.readers.base import DEFAULT_MAX_SIZE, STDIN_ORIGIN, RawInput, ReadCounts, Reader, ReadOptions
from bulletin.readers.folders import read_path_list
from bulletin.readers.registry import (
    FORMATS,
    FormatError,
    Inputs,
    expand_paths,
    format_of,
    iter_inputs,
    open_inputs,
)
from bulletin.readers.streams import cut_short, maybe_gunzip, open_binary

__all__ = [
    "DEFAULT_MAX_SIZE",
    "FORMATS",
    "STDIN_ORIGIN",
    "FormatError",
    "Inputs",
    "RawInput",
    "ReadCounts",
    "ReadOptions",
    "Reader",
    "cut_short",
    "expand_paths",
    "format_of",
    "iter_inputs",
    "maybe_gunzip",
    "open_binary",
    "open_inputs",
    "read_path_list",
]

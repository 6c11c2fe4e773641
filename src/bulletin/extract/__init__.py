"""Extraction: one RawInput (bytes) in, one clean Article out; cascade.py lists the stages in order.

`extract` is loaded on first use: importing one stage (learned lines, dates) must not pull in
lxml and the whole cascade.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bulletin.extract.cascade import extract

__all__ = ["extract"]


def __getattr__(name: str) -> object:
    if name == "extract":
        from bulletin.extract.cascade import extract

        return extract
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Import Whoosh without the modules it loads at import time but bulletin never uses.

Whoosh's import pulls in urllib.request (for a download helper, with http, email and ssl
behind it), asyncio (through the cached_property package, for coroutine properties) and an
English morphology table (for the Variations query): about 80 ms of a ~300 ms `bulletin
search`. While Whoosh imports, those names are served by small stand-ins that load the real
module on first use, then the real modules are left to load normally for anyone else.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types
from typing import Any


def _deferred(module_name: str, attribute: str) -> Any:
    """A function that imports `module_name` on first call and forwards to its `attribute`."""

    def forward(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module_name), attribute)(*args, **kwargs)

    forward.__name__ = attribute
    return forward


def _stand_in(name: str, **attributes: Any) -> types.ModuleType:
    module = types.ModuleType(name, f"stand-in for {name} while Whoosh imports (bulletin.lean_whoosh)")
    module.__dict__.update(attributes)
    return module


def import_whoosh() -> None:
    """Import the Whoosh modules bulletin uses, with heavy unused imports deferred."""
    if "whoosh.index" in sys.modules:
        return
    stand_ins = {
        "urllib.request": _stand_in("urllib.request", urlretrieve=_deferred("urllib.request", "urlretrieve")),
        # cached_property only asks asyncio whether a function is a coroutine function.
        "asyncio": _stand_in(
            "asyncio",
            iscoroutinefunction=inspect.iscoroutinefunction,
            ensure_future=_deferred("asyncio", "ensure_future"),
        ),
        "whoosh.lang.morph_en": _stand_in(
            "whoosh.lang.morph_en", variations=_deferred("whoosh.lang.morph_en", "variations")
        ),
    }
    installed = {name: module for name, module in stand_ins.items() if name not in sys.modules}
    sys.modules.update(installed)
    try:
        importlib.import_module("whoosh.index")
        importlib.import_module("whoosh.query")
        importlib.import_module("whoosh.searching")
    finally:
        for name, module in installed.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


import_whoosh()  # on import: bulletin.index imports this module before any Whoosh module

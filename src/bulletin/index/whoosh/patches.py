"""Every change bulletin makes to Whoosh, applied once and only to the version written for.

Whoosh (whoosh-reloaded) is pinned: each patch below replaces or wraps one of its internals,
so `apply()` refuses any other version rather than patch code it has not been checked on.

- lean import: Whoosh's import pulls in urllib.request (for a download helper, with http,
  email and ssl behind it), asyncio (through the cached_property package, for coroutine
  properties) and an English morphology table (for the Variations query): about 80 ms of a
  ~300 ms `bulletin search`. While Whoosh imports, those names are served by small stand-ins
  that load the real module on first use; the real modules then load normally for anyone else.
- zero copy: segment sub-files are read over the memory map (see zero_copy.ViewFile).
- lazy terms: a segment's term dictionary opens on first use (see lazy_terms.LazyTermsReader).
- set_inline: Whoosh's postings writer calls W3TermInfo.set_inline() when it inlines, a name
  W3TermInfo never defined (its default limit never inlines, so nobody noticed).
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types
from typing import Any

WHOOSH_VERSION = (2, 7, 5)  # the whoosh-reloaded release these patches were written for
_applied = False


def _deferred(module_name: str, attribute: str) -> Any:
    """A function that imports `module_name` on first call and forwards to its `attribute`."""

    def forward(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module_name), attribute)(*args, **kwargs)

    forward.__name__ = attribute
    return forward


def _stand_in(name: str, **attributes: Any) -> types.ModuleType:
    module = types.ModuleType(
        name, f"stand-in for {name} while Whoosh imports (bulletin.index.whoosh.patches)"
    )
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


def _check_version() -> None:
    import whoosh

    found = tuple(whoosh.__version__)
    if found != WHOOSH_VERSION:
        raise ImportError(
            f"bulletin's Whoosh patches were written for whoosh-reloaded "
            f"{'.'.join(map(str, WHOOSH_VERSION))}, found {'.'.join(map(str, found))}; "
            "install the version bulletin pins"
        )


def _patch_buffer_file() -> None:
    """Make Whoosh's BufferFile read its memoryview in place."""
    from whoosh.filedb import structfile

    from bulletin.index.whoosh.zero_copy import ViewFile

    def __init__(self: Any, buf: Any, name: str | None = None, onclose: Any = None) -> None:
        self._buf = buf
        self._name = name
        self.file = ViewFile(memoryview(buf))
        # Whoosh reads hash-file directories 8 bytes a call (256 calls a segment): call the
        # view's read directly instead of through StructFile.read's forwarding frame.
        self.read = self.file.read
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    structfile.BufferFile.__init__ = __init__


def _patch_codec() -> None:
    """Lazy term dictionaries and the set_inline name."""
    from whoosh.codec import whoosh3

    from bulletin.index.whoosh.lazy_terms import LazyTermsReader

    eager = whoosh3.W3Codec.terms_reader

    def terms_reader(self: Any, storage: Any, segment: Any) -> LazyTermsReader:
        return LazyTermsReader(lambda: eager(self, storage, segment))

    whoosh3.W3Codec.terms_reader = terms_reader
    if not hasattr(whoosh3.W3TermInfo, "set_inline"):
        whoosh3.W3TermInfo.set_inline = whoosh3.W3TermInfo.set_inlined


def apply() -> None:
    """Import Whoosh leanly and apply every patch (once; ImportError for another Whoosh version)."""
    global _applied
    if _applied:
        return
    import_whoosh()
    _check_version()
    _patch_buffer_file()
    _patch_codec()
    _applied = True

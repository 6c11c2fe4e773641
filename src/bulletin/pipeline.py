"""Run extraction over many inputs: inline for a few, in worker processes for many."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import zlib
from collections.abc import Iterator
from datetime import datetime
from multiprocessing.pool import Pool
from typing import TYPE_CHECKING, Any

from bulletin.errors import InputError
from bulletin.models import Article
from bulletin.readers import RawInput

if TYPE_CHECKING:
    from bulletin.index import PreparedDoc

# Below this many new inputs in a run, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 48
Outcome = tuple[Article | None, str | None]
# An outcome with, for an article, its analysed index document and zlib-compressed original.
Prepared = tuple[Article | None, str | None, "tuple[PreparedDoc, bytes] | None"]


def extract_outcome(raw: RawInput, now: datetime | None) -> Outcome:
    """Extract one input; an InputError becomes its reason instead of an exception."""
    from bulletin.extract import extract

    try:
        return extract(raw, now=now), None
    except InputError as exc:
        return None, exc.reason
    except RecursionError:
        return None, "the page is nested too deeply to parse; it looks malformed"
    except MemoryError:
        return None, "the page is too large to parse in memory; split it or raise --max-size carefully"


def _extract_batch(batch: list[RawInput], now: datetime | None) -> list[Outcome]:
    return [extract_outcome(raw, now) for raw in batch]


def prepare_outcome(raw: RawInput, now: datetime | None) -> Prepared:
    """Extract one input and do the rest of the per-article work a worker can take on:
    the index analysis and the compressed original, so the writing process only files them.
    """
    from bulletin.api import to_index_doc
    from bulletin.index import prepare

    article, reason = extract_outcome(raw, now)
    if article is None:
        return None, reason, None
    return article, None, (prepare(to_index_doc(article)), zlib.compress(raw.data, 6))


def _prepare_batch(batch: list[RawInput], now: datetime | None) -> list[Prepared]:
    return [prepare_outcome(raw, now) for raw in batch]


def _quiet_worker() -> None:
    """Workers leave Ctrl-C to the parent, which stops them; a closed pipe just ends them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # If the importing process is killed (SIGKILL, OOM), its workers must not live on holding
    # the terminal's pipes: ask Linux to send them SIGTERM when the parent dies.
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent already died before prctl took effect
            os._exit(1)


def default_jobs() -> int:
    """Worker processes to use: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class _Done:
    """A finished batch that did not need a worker."""

    def __init__(self, value: list[Any]) -> None:
        self._value = value

    def get(self) -> list[Any]:
        return self._value


class Extractor:
    """Extracts batches of inputs, overlapping work in processes with the caller's commits."""

    def __init__(
        self, jobs: int | None = None, now: datetime | None = None, *, prepare: bool = False
    ) -> None:
        self.jobs = default_jobs() if jobs is None else max(1, jobs)
        self.now = now
        # With `prepare`, outcomes are Prepared triples: workers also analyse and compress.
        self._work = _prepare_batch if prepare else _extract_batch
        self._pool: Pool | None = None

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        self.close(abort=exc_type is not None)

    def close(self, *, abort: bool = False) -> None:
        """Stop the workers: at once when an error or interrupt is unwinding (`abort`)."""
        if self._pool is not None:
            if abort or sys.exc_info()[0] is not None:
                self._pool.terminate()
            else:
                self._pool.close()
            self._pool.join()
            self._pool = None

    def _ensure_pool(self) -> Pool:
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            # fork starts in milliseconds with every module already imported; elsewhere spawn.
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._pool = context.Pool(self.jobs, initializer=_quiet_worker)
        return self._pool

    def submit(self, batch: list[RawInput], *, expect_more: bool) -> _Done | _Chunked:
        """Start extracting a batch; `.get()` returns one outcome per input, in order."""
        if self.jobs <= 1 or (self._pool is None and not expect_more and len(batch) < PARALLEL_THRESHOLD):
            return _Done(self._work(batch, self.now))
        pool = self._ensure_pool()
        size = max(1, len(batch) // (self.jobs * 4))
        chunks = [batch[i : i + size] for i in range(0, len(batch), size)]
        return _Chunked([pool.apply_async(self._work, (chunk, self.now)) for chunk in chunks])


class _Chunked:
    """Several async chunk results presented as one."""

    def __init__(self, parts: list[Any]) -> None:
        self._parts = parts

    def get(self) -> list[Any]:
        out: list[Any] = []
        for part in self._parts:
            out.extend(part.get())
        return out


def batched(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of up to `size` items."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch

"""Run extraction over many inputs: inline for a few, in worker processes for many."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.pool import Pool
from typing import TYPE_CHECKING, Any, TypeVar

from bulletin.errors import InputError
from bulletin.models import Article
from bulletin.readers import RawInput

if TYPE_CHECKING:
    from bulletin.index import IndexDoc, PreparedDoc

# Chunks computed in workers ahead of the one the caller is consuming: with two, the workers
# always have the next chunk to start on while the caller (the one index writer) is busy, so
# both cores stay in use; with one they sat idle whenever they finished first.
AHEAD = 2

# Below this many new inputs in a run, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 48
Outcome = tuple[Article | None, str | None]
# An outcome with, for an article, what a worker computed for the writing process.
Prepared = tuple[Article | None, str | None, "WorkerProducts | None"]


@dataclass(frozen=True)
class WorkerProducts:
    """The per-article work done in a worker so the single writing process only files it."""

    doc: PreparedDoc  # the analysed index document
    packed: bytes  # the zlib-compressed original
    anchors: tuple[int, ...] | None  # near-duplicate sketch (None: text too short to compare)


T = TypeVar("T")


# Seconds one input may take to extract (and analyse) before it is given up as hostile. A
# 20 MB page of real text takes a few seconds; pathological markup could take hours.
TIME_LIMIT = 60.0


class ExtractTimeout(BaseException):
    """Raised by the alarm inside a time-limited extraction.

    A BaseException, so the `except Exception` nets in the extractors and in bs4/lxml
    cannot swallow it and carry on with the slow work.
    """


def time_limited(work: Callable[[], T], limit: float | None) -> T:
    """Run `work`, raising ExtractTimeout if it takes longer than `limit` seconds.

    SIGALRM can only be handled in the main thread (where pool workers and the CLI run
    their extraction); elsewhere, or without setitimer, `work` runs unlimited. The alarm
    raises only while armed, so a late one cannot escape into the caller (or a pool).
    """
    if (
        not limit
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        return work()
    armed = True

    def on_alarm(signum: int, frame: object) -> None:
        nonlocal armed
        if armed:
            armed = False
            raise ExtractTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            return work()
        finally:
            armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)


def _too_slow(limit: float) -> str:
    return (
        f"took longer than {limit:g} s to extract; the page looks pathological (huge or deeply "
        "nested markup): trim it, or report it if it is an ordinary page"
    )


def _extract(raw: RawInput, now: datetime | None) -> Outcome:
    from bulletin.extract import extract

    try:
        return extract(raw, now=now), None
    except InputError as exc:
        return None, exc.reason
    except RecursionError:
        return None, "the page is nested too deeply to parse; it looks malformed"
    except MemoryError:
        return None, "the page is too large to parse in memory; split it or raise --max-size carefully"


def extract_outcome(raw: RawInput, now: datetime | None, limit: float | None = TIME_LIMIT) -> Outcome:
    """Extract one input within `limit` seconds; an InputError becomes its reason instead."""
    try:
        return time_limited(lambda: _extract(raw, now), limit)
    except ExtractTimeout:
        return None, _too_slow(limit or 0)


def _extract_batch(batch: list[RawInput], now: datetime | None, limit: float | None) -> list[Outcome]:
    return [extract_outcome(raw, now, limit) for raw in batch]


def worker_products(article: Article, data: bytes) -> WorkerProducts:
    """Analyse, compress and sketch one extracted article (the work a worker takes on)."""
    from bulletin.archive.grouping import anchors_of
    from bulletin.archive.indexdoc import to_index_doc
    from bulletin.index import prepare

    return WorkerProducts(prepare(to_index_doc(article)), zlib.compress(data, 6), anchors_of(article.text))


def _prepare(raw: RawInput, now: datetime | None) -> Prepared:
    article, reason = _extract(raw, now)
    if article is None:
        return None, reason, None
    return article, None, worker_products(article, raw.data)


def prepare_outcome(raw: RawInput, now: datetime | None, limit: float | None = TIME_LIMIT) -> Prepared:
    """Extract one input and do the rest of the per-article work a worker can take on:
    the index analysis, the compressed original and the near-duplicate sketch.
    All of it counts against the time limit (analysis of a huge page is slow too).
    """
    try:
        return time_limited(lambda: _prepare(raw, now), limit)
    except ExtractTimeout:
        return None, _too_slow(limit or 0), None


def _prepare_batch(batch: list[RawInput], now: datetime | None, limit: float | None) -> list[Prepared]:
    return [prepare_outcome(raw, now, limit) for raw in batch]


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

    def get(
        self, stop: Callable[[], bool] | None = None, on_ready: Callable[[int], None] | None = None
    ) -> list[Any] | None:
        """The outcomes (already there, so `stop` is not consulted; `on_ready` hears them all at once)."""
        if on_ready is not None:
            on_ready(len(self._value))
        return self._value


class Extractor:
    """Extracts batches of inputs, overlapping work in processes with the caller's commits."""

    def __init__(
        self,
        jobs: int | None = None,
        now: datetime | None = None,
        *,
        prepare: bool = False,
        time_limit: float | None = TIME_LIMIT,
        work: Callable[[list[Any], datetime | None, float | None], list[Any]] | None = None,
    ) -> None:
        self.jobs = default_jobs() if jobs is None else max(1, jobs)
        self.now = now
        self.time_limit = time_limit
        # With `prepare`, outcomes are Prepared triples: workers also analyse and compress.
        self._work: Callable[[list[Any], datetime | None, float | None], list[Any]] = (
            _prepare_batch if prepare else _extract_batch
        )
        self._failed: Callable[[str], Any] = _failed_prepared if prepare else _failed_outcome
        if work is not None:  # any other per-chunk work; an item lost with a dead worker is None
            self._work, self._failed = work, _lost
        self._pool: Pool | None = None
        self.worker_died = False  # set when a batch lost a task with a dead worker

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        self.close(abort=exc_type is not None)

    def close(self, *, abort: bool = False) -> None:
        """Stop the workers (`abort` is kept for callers that say they are unwinding)."""
        if self._pool is not None:
            # Every result we wait for has arrived by now (or is abandoned), so terminating
            # loses nothing; close() + join() would wait forever for a task lost with a dead
            # worker, which stays in the pool's cache.
            pool, self._pool = self._pool, None
            if self.worker_died:
                _abandon(pool)
                return
            pool.terminate()
            pool.join()

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
            return _Done(self._work(batch, self.now, self.time_limit))
        if self.worker_died and self._pool is not None:
            # A pool that lost a worker mid-task may be wedged: start afresh.
            _abandon(self._pool)
            self._pool, self.worker_died = None, False
        pool = self._ensure_pool()
        size = max(1, len(batch) // (self.jobs * 4))
        chunks = [batch[i : i + size] for i in range(0, len(batch), size)]
        return _Chunked(
            [pool.apply_async(self._work, (chunk, self.now, self.time_limit)) for chunk in chunks],
            [len(chunk) for chunk in chunks],
            pool,
            self._failed,
            self,
        )


def _analyse_batch(batch: list[IndexDoc], now: datetime | None, limit: float | None) -> list[PreparedDoc]:
    from bulletin.index import prepare

    return [prepare(doc) for doc in batch]


def _products_batch(
    batch: list[tuple[Article, bytes]], now: datetime | None, limit: float | None
) -> list[WorkerProducts]:
    return [worker_products(article, data) for article, data in batch]


def _in_workers(
    items: Iterable[T],
    work: Callable[[list[T], datetime | None, float | None], list[Any]],
    inline: Callable[[T], Any],
    jobs: int | None,
    chunk: int,
) -> Iterator[tuple[T, Any]]:
    """Each item with `inline(item)`, computed by `work` over chunks in worker processes, in
    order; the next AHEAD chunks are computed while the caller consumes this one. An item lost
    with a dead worker is computed here instead."""
    with Extractor(jobs=jobs, time_limit=None, work=work) as extractor:
        in_flight: deque[tuple[list[T], Any]] = deque()
        for batch in batched(iter(items), chunk):
            in_flight.append((batch, extractor.submit(batch, expect_more=len(batch) == chunk)))
            if len(in_flight) > AHEAD:
                yield from _results_or_inline(*in_flight.popleft(), inline)
        while in_flight:
            yield from _results_or_inline(*in_flight.popleft(), inline)


def _results_or_inline(batch: list[T], pending: Any, inline: Callable[[T], Any]) -> Iterator[tuple[T, Any]]:
    for item, done in zip(batch, pending.get(), strict=True):
        yield item, (done if done is not None else inline(item))


def analysed(
    docs: Iterable[IndexDoc], *, jobs: int | None = None, chunk: int = 1000
) -> Iterator[PreparedDoc]:
    """Index documents analysed in worker processes, in order (rebuilding an index uses every core)."""
    from bulletin.index import prepare

    return (made for _doc, made in _in_workers(docs, _analyse_batch, prepare, jobs, chunk))


def with_products(
    items: Iterable[tuple[Article, bytes]], *, jobs: int | None = None, chunk: int = 1000
) -> Iterator[tuple[Article, bytes, WorkerProducts]]:
    """Extracted articles and their originals, with worker products made in worker processes (bulk loads)."""
    pairs = _in_workers(items, _products_batch, lambda pair: worker_products(*pair), jobs, chunk)
    return ((article, data, made) for (article, data), made in pairs)


def _abandon(pool: Pool) -> None:
    """Kill a pool's workers without Pool.terminate(), which can block for ever once a worker
    was killed mid-task (it waits on the task queue's lock); its threads are daemons."""
    # First stop the pool's worker-handler thread: it replaces every worker that exits, so
    # killed workers came back, forked from a background thread at any moment (a fork racing
    # another thread's can leave the child holding a lock nobody will release) and then waited
    # for tasks until this process ended. (Private attributes, stable since Python 3.8.)
    handler = getattr(pool, "_worker_handler", None)
    if handler is not None:
        handler._state = multiprocessing.pool.TERMINATE
        with contextlib.suppress(Exception):
            pool._change_notifier.put(None)  # type: ignore[attr-defined]  # wake it to see that
        # It may be forking a replacement right now: wait for it to leave (it only queues a
        # sentinel on the way out, which never blocks), so the list below is the final one.
        with contextlib.suppress(RuntimeError):
            handler.join(timeout=5.0)
    for process in list(getattr(pool, "_pool", [])):
        with contextlib.suppress(OSError, AttributeError):
            process.kill()
    finalizer = getattr(pool, "_terminate", None)
    if finalizer is not None and hasattr(finalizer, "cancel"):
        finalizer.cancel()  # or the interpreter would run the same terminate at exit


STALL_GRACE = 10.0  # seconds without progress after a worker died before giving up on a batch
WORKER_DIED = (
    "a worker process died while extracting this input (out of memory, or a crash in a parser); "
    "re-run the import to retry it, or import it alone to see which input it is"
)


def _failed_outcome(reason: str) -> Outcome:
    return None, reason


def _lost(reason: str) -> None:
    return None


def _failed_prepared(reason: str) -> Prepared:
    return None, reason, None


class _Chunked:
    """Several async chunk results presented as one."""

    def __init__(
        self,
        parts: list[Any],
        sizes: list[int],
        pool: Pool,
        failed: Callable[[str], Any],
        owner: Extractor,
    ) -> None:
        self._owner = owner
        self._parts = parts
        self._sizes = sizes
        self._pool = pool
        self._failed = failed
        self._workers: dict[int, Any] = {}
        self._watch_workers()
        # Workers already dead (and not yet replaced) lost tasks of an earlier batch, not ours.
        self._dead_before = {pid for pid, p in self._workers.items() if p.exitcode is not None}

    def _watch_workers(self) -> int:
        """Track the pool's worker processes; returns how many have died since submission.

        A worker killed mid-task (the OOM killer, a crash in C code) takes its task with it
        and multiprocessing never reports it: the result would be waited for forever. Each
        dead worker held exactly one task, so once all but that many parts are ready, the
        rest are the lost ones. (`Pool._pool` is private, but stable since Python 3.2.)
        """
        for process in list(getattr(self._pool, "_pool", [])):
            self._workers.setdefault(process.pid, process)
        return sum(
            1
            for pid, process in self._workers.items()
            if process.exitcode is not None and pid not in getattr(self, "_dead_before", ())
        )

    def get(
        self, stop: Callable[[], bool] | None = None, on_ready: Callable[[int], None] | None = None
    ) -> list[Any] | None:
        """The outcomes in order; None as soon as `stop()` turns true while waiting.

        Polling keeps a Ctrl-C prompt: the signal handler only sets a flag, and a plain
        get() would sit out the whole chunk's extraction first. `on_ready(n)` hears of each
        finished part (n inputs) as the polling sees it: progress finer than a chunk.
        """
        stalled_since: float | None = None
        last_waiting = len(self._parts) + 1
        reported: set[int] = set()
        while True:
            if on_ready is not None:
                for number, part in enumerate(self._parts):
                    if number not in reported and part.ready():
                        reported.add(number)
                        on_ready(self._sizes[number])
            waiting = [part for part in self._parts if not part.ready()]
            if not waiting:
                break
            if stop is not None and stop():
                return None
            dead = self._watch_workers()
            if dead:
                # After a death the pool may be wedged (a lost task, a queue lock held by the
                # dead): give live parts a grace period to finish, then fail whatever is left.
                if len(waiting) < last_waiting:
                    stalled_since, last_waiting = time.monotonic(), len(waiting)
                assert stalled_since is not None
                if len(waiting) <= dead or time.monotonic() - stalled_since > STALL_GRACE:
                    self._owner.worker_died = True
                    break
            waiting[0].wait(0.05)
        out: list[Any] = []
        if on_ready is not None:  # parts failed with a dead worker are settled too
            on_ready(sum(size for number, size in enumerate(self._sizes) if number not in reported))
        for part, size in zip(self._parts, self._sizes, strict=True):
            if part.ready():
                out.extend(part.get())
            else:
                out.extend(self._failed(WORKER_DIED) for _ in range(size))
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

"""The local engine: ``casus ingest --engine local --workers N`` codes in N worker processes.

Division of labour. The parent does everything ``casus.store.ingest`` does except parsing and coding:
it reads the inputs in order, skips stored documents, cleans (``prepare``), folds near-duplicates
into their story (MinHash, in input order) and commits one transaction per batch. Each batch's
canonical documents are split into one chunk per worker process; each worker holds the spaCy
model, lexicon and knowledge base (loaded once, at start-up) and returns the events as plain dicts.
Batches are committed in input order, so:

* the store equals a one-process ingest's (same batches and dedup decisions, and a document's parse
  does not depend on the documents batched with it; only timestamps differ), whatever N is and
  whichever worker finishes first;
* kill-safety is the writer's: a batch is committed whole or not at all; batches being coded when
  the run is killed are simply coded again by the next run.

At most ``INFLIGHT_PER_WORKER * N`` batches are queued or being coded, so memory stays bounded
however large the input. Workers are started with ``spawn`` (no fork of a parent that may hold
DuckDB handles or threads) and ignore Ctrl-C: the parent stops them.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from collections import Counter, deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from threading import BrokenBarrierError
from typing import Any, Callable, Iterable

from ..config import Options
from ..errors import OptionError
from ..model import Document
from ..store.schema import WRITE_TIMEOUT, WriterLock
from ..store.writer import DEFAULT_BATCH, IngestSummary, Ingestor, Progress
from . import EngineError
from .common import CodedEvents, code_prepared, event_rows, worker_resources

START_METHOD = "spawn"  # fresh interpreters: nothing inherited from the parent (DuckDB handles, threads, locks)
INFLIGHT_PER_WORKER = 2  # batches per worker queued or in progress: one being coded, the next ready to go
MIN_CHUNK = 8  # documents per worker task at least: smaller chunks cost more in messages than they balance
WARM_TIMEOUT = 600.0  # seconds to wait for every worker to load its resources (a cold disk can take a minute)

# -- in the worker process
_STATE: dict[str, Any] = {}


def _init_worker(options: Options, barrier) -> None:
    """Runs once in each worker process: load the resources now, so the first batch does not wait."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _STATE["options"] = options
    _STATE["barrier"] = barrier
    try:
        worker_resources(options)
    except Exception as exc:  # noqa: BLE001 - kept and raised by the first task, where the parent sees it
        _STATE["error"] = exc


def _check() -> Options:
    if "error" in _STATE:
        raise _STATE["error"]
    return _STATE["options"]


def _warm() -> int:
    """Wait until every worker has loaded its resources (one call per worker, held at a barrier)."""
    _check()
    try:
        _STATE["barrier"].wait(WARM_TIMEOUT)
    except BrokenBarrierError:
        pass  # a worker started later (after a crash) has no partners to wait for
    return os.getpid()


def _code_batch(docs: list[Document], options: Options) -> list[CodedEvents]:
    _check()
    return code_prepared(docs, options)


# -- in the parent
class LocalEngine:
    """A pool of ``workers`` coding processes; use as a context manager, pass to :func:`ingest_local`.

    Starting it costs one model load per worker (in parallel); :meth:`warm_up` waits for it, which
    benchmarks do so that start-up is not counted as coding time.
    """

    def __init__(self, workers: int, options: Options | None = None, start_method: str = START_METHOD) -> None:
        if workers < 1:
            raise OptionError(f"--workers {workers}: at least one worker process is needed")
        self.workers = workers
        self.options = options or Options()
        self.start_method = start_method
        self._pool: ProcessPoolExecutor | None = None
        self._barrier = None

    def __enter__(self) -> "LocalEngine":
        ctx = mp.get_context(self.start_method)
        self._barrier = ctx.Barrier(self.workers)
        self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init_worker,
                                         initargs=(self.options, self._barrier))
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def warm_up(self) -> float:
        """Block until every worker has loaded its resources; returns the seconds it took."""
        t0 = time.monotonic()
        pids = {f.result() for f in [self._submit(_warm) for _ in range(self.workers)]}
        if len(pids) != self.workers:  # cannot happen with the barrier; would make benchmarks lie
            raise EngineError(f"warm-up reached {len(pids)} of {self.workers} worker processes")
        return time.monotonic() - t0

    def code(self, docs: list[Document], options: Options | None = None) -> Future:
        """Code prepared documents in a worker; the future's result is one event list per document.
        ``options`` default to the engine's; other actor or lexicon files are loaded once per worker."""
        return self._submit(_code_batch, docs, options or self.options)

    def _submit(self, fn, *args) -> Future:
        if self._pool is None:
            raise EngineError("the local engine is not started (use it in a with statement)")
        try:
            return self._pool.submit(fn, *args)
        except BrokenProcessPool as exc:
            raise _broken(exc) from None


def _broken(exc: BaseException) -> EngineError:
    return EngineError(f"a worker process died ({exc}); committed batches are kept, run the same command "
                       "again to resume (with fewer --workers if memory ran out)")


class _PoolIngestor(Ingestor):
    """``casus.store.writer.Ingestor`` with coding handed to a :class:`LocalEngine`.

    The reading loop (``Ingestor.run``) is the writer's own; ``_flush`` queues the batch instead of
    coding it, and batches are committed in order as their results arrive.
    """

    def __init__(self, db_path, options: Options, batch_size: int, engine: LocalEngine,
                 progress: Callable[[Progress], None] | None, timeout: float) -> None:
        super().__init__(db_path, options, batch_size, None, progress, timeout)
        self.engine = engine
        self.limit = INFLIGHT_PER_WORKER * engine.workers
        self.pending: deque[tuple[Any, list[Future]]] = deque()

    def _flush(self, batch) -> None:
        docs = [doc for doc, _ in batch.to_code]
        # one chunk per worker: a batch is coded by all workers at once, so none idles at the end of a run
        size = max(MIN_CHUNK, -(-len(docs) // self.engine.workers))
        futures = [self.engine.code(docs[i:i + size], self.options) for i in range(0, len(docs), size)]
        self.pending.append((batch, futures))
        while self.pending and (len(self.pending) > self.limit or all(f.done() for f in self.pending[0][1])):
            self._commit_next()

    def _finish(self) -> None:
        while self.pending:
            self._commit_next()
        self.summary.seconds = time.monotonic() - self._started  # Ingestor.run took it before the drain
        super()._finish()

    def _commit_next(self) -> None:
        batch, futures = self.pending.popleft()
        try:
            coded = [evs for f in futures for evs in f.result()]
        except BrokenProcessPool as exc:
            raise _broken(exc) from None
        self._commit(batch, coded)

    def _commit(self, batch, coded: list[CodedEvents]) -> None:
        """What ``Ingestor._flush`` does once a batch is coded: the same rows, committed by ``Ingestor._write``."""
        events: list[dict[str, Any]] = []
        plover: Counter = Counter()
        for (doc, row), evs in zip(batch.to_code, coded, strict=True):
            row["num_events"] = len(evs)
            events.extend(event_rows(evs, row["content_hash"], row["story_id"]))
            plover.update(d.get("plover") for d, _ in evs)
        self._write(batch, events, plover)


def ingest_local(inputs: Iterable[str], db_path: str | Path = "casus.duckdb", *, workers: int = 2,
                 options: Options | None = None, batch_size: int = DEFAULT_BATCH,
                 progress: Callable[[Progress], None] | None = None, engine: LocalEngine | None = None,
                 timeout: float = WRITE_TIMEOUT) -> IngestSummary:
    """``casus.store.ingest`` with coding in ``workers`` processes; the resulting store is the same.

    ``workers=1`` without an ``engine`` runs in this process (no pool: nothing to gain from one).
    Pass a started :class:`LocalEngine` to reuse its warm workers across calls.
    """
    inputs = list(inputs)
    options = options or Options()
    if batch_size < 1:
        raise OptionError(f"batch size {batch_size} must be at least 1")
    if engine is None and workers <= 1:
        if workers < 1:
            raise OptionError(f"--workers {workers}: at least one worker process is needed")
        from ..store.writer import ingest

        return ingest(inputs, db_path, options=options, batch_size=batch_size, progress=progress, timeout=timeout)
    with WriterLock(Path(db_path)):  # before starting workers: a second writer fails at once
        if engine is not None:
            return _PoolIngestor(db_path, options, batch_size, engine, progress, timeout).run(inputs)
        with LocalEngine(workers, options) as own:
            return _PoolIngestor(db_path, options, batch_size, own, progress, timeout).run(inputs)


__all__ = ["LocalEngine", "ingest_local", "START_METHOD", "INFLIGHT_PER_WORKER"]

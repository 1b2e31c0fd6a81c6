"""The Dask engine: ``casus ingest --engine dask [--scheduler ADDRESS] --out PARQUET_DIR``.

The same pipeline as ``casus.store.ingest``, with the coding spread over a Dask cluster (a
``LocalCluster`` of one-thread worker processes when no scheduler address is given):

1. The client reads the inputs in order (workers need not see the input files), skips documents
   already stored (``--db``) or already read in this run (same raw text), cleans and checks them
   (``prepare``) and folds near-duplicates into their story, in input order, against the stories
   of the store and of the run (MinHash). This is the sequential part: about 10 ms a document on
   one core, against about 130 ms of parsing and coding, so one client feeds a dozen workers.
2. Each partition's canonical documents are coded on a worker: resources (spaCy model, lexicon,
   knowledge base) are loaded once per worker process and kept (``engines.common``), and only the
   events come back, as plain dicts.
3. The client writes one ``documents`` and one ``events`` Parquet part per partition as results
   arrive, then the stories, the rejections and the manifest (``casus.store.parquet``), and with
   ``--db`` imports the directory into the store.

Dedup decisions are taken in input order and a document's events do not depend on the documents
coded with it, so the events equal the local engine's on the same inputs. (Preparing on the workers
was tried first: a partition's preparation then waits behind coding tasks on the worker holding its
data while dedup waits for it in input order; on the client, workers do nothing but code.)

Memory stays bounded: at most ``WINDOW_PER_THREAD`` partitions per worker thread are in flight.
A killed run leaves an incomplete directory (no ``complete`` in its manifest) that the import
refuses; run again into a new ``--out``. Run workers with one thread each (``--nthreads 1``) and
as many processes as cores: spaCy parsing holds the GIL.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable, Iterable

from ..config import Options
from ..errors import DocumentRejected, OptionError
from ..ingest.readers import Rejected
from ..model import Document
from ..store.writer import MAX_EXAMPLES, IngestSummary, Progress, SeenFilter, count_inputs
from . import EngineError
from .common import CodedEvents, code_prepared, document_row, event_rows, rejection_row

PARTITION_SIZE = 32  # canonical documents per partition: ~4 s of one core's coding, so work spreads evenly
WINDOW_PER_THREAD = 2  # partitions in flight per worker thread: one being coded, the next queued
CONNECT_TIMEOUT = 30.0  # seconds to reach a scheduler before giving up with E601


# -- on the workers (a module-level function: Dask ships it by reference, workers import casus)
def code_partition(docs: list[Document], options: Options) -> tuple[str, list[CodedEvents]]:
    """Code prepared canonical documents; returns this worker's coder version and their events."""
    from ..pipeline import coder_version

    return coder_version(), code_prepared(docs, options)


# -- on the client
class _Partition:
    """Documents rows of one partition; the canonical ones wait for their events from a worker."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.rows: list[dict[str, Any]] = []  # every document of the partition (canonical and duplicates)
        self.canonical: list[tuple[Document, dict[str, Any]]] = []
        self.future = None

    def __len__(self) -> int:
        return len(self.canonical)


class DaskIngest:
    """One run; use :func:`ingest_dask`."""

    def __init__(self, client, out: Path, options: Options, partition_size: int,
                 progress: Callable[[Progress], None] | None, seen, index) -> None:
        from ..pipeline import coder_version

        self.client = client
        self.out = out
        self.options = options
        self.partition_size = partition_size
        self.progress = progress
        self.version = coder_version()
        self.seen = seen  # a SeenFilter: stored documents are looked up in --db a chunk at a time
        self.index = index  # a DedupIndex holding the store's stories within its window
        self.summary = IngestSummary(db=str(out))
        self.story_rows: dict[str, dict[str, Any]] = {}
        self.outlets: dict[str, list[str]] = {}  # story -> source keys of its articles in this run
        self.rejections: list[dict[str, Any]] = []
        self.now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        threads = sum(client.nthreads().values()) or 1
        self.window = WINDOW_PER_THREAD * threads
        self.coding: list[_Partition] = []
        self.parts = 0
        self.written = 0
        self.total: int | None = None
        self._started = time.monotonic()

    def run(self, inputs: list[str]) -> IngestSummary:
        from ..ingest.readers import read_inputs

        self.total = count_inputs(inputs)
        part = _Partition(0)
        items = read_inputs(inputs, self.options.date, max_bytes=self.options.max_input_bytes)
        for item, h, seen in self.seen.screen(items):
            self.summary.read += 1
            if isinstance(item, Document):
                self._place(item, h, seen, part)
            else:
                self._reject(item, None)
            if len(part) >= self.partition_size:
                self._submit(part)
                part = _Partition(self.parts)
            self._collect(block=False)
            self._report()
        if part.rows:
            self._submit(part)
        while self.coding:
            self._collect(block=True)
        self._finish(inputs)
        return self.summary

    def _place(self, doc: Document, h: str, seen: bool, part: _Partition) -> None:
        """What the writer does for one document: skip it, reject it, or fold it into a story."""
        from ..ingest.dedup import signature, source_key
        from ..pipeline import prepare
        from ..store.schema import to_date

        if seen:
            self.summary.already_stored += 1
            return
        self.seen.add(h)  # kept for the whole run: its documents reach the store only with the import
        try:
            doc = prepare(doc, self.options)
        except DocumentRejected as exc:
            self._reject(Rejected(doc.id, doc.provenance or doc.id, exc.reason, exc.message), h)
            return
        sig = signature(doc.text)
        day = to_date(doc.date)
        row = document_row(doc, h, self.version, self.now)
        match = self.index.match(sig, day)
        if match is not None:
            row.update(story_id=match[0], status="duplicate")
            self.summary.duplicates += 1
        else:
            story_id = h[:16]
            self.index.add(story_id, sig, day)
            row.update(story_id=story_id, status="coded")
            self.story_rows[story_id] = {
                "story_id": story_id, "canonical_hash": h, "canonical_doc_id": doc.id, "title": doc.title,
                "first_published": day, "num_articles": 0, "num_sources": 0,
                "num_shingles": sig.size, "minhash": sig.to_bytes()}
            part.canonical.append((doc, row))
            self.summary.coded += 1
            self.summary.new_stories += 1
        self.outlets.setdefault(row["story_id"], []).append(source_key(doc.source, doc.url))
        part.rows.append(row)

    def _reject(self, rej: Rejected, content_hash: str | None) -> None:
        self.rejections.append(rejection_row(rej, content_hash, self.version, self.now))
        s = self.summary
        s.rejected += 1
        s.rejected_reasons[rej.reason] += 1
        examples = s.rejected_examples.setdefault(rej.reason, [])
        if len(examples) < MAX_EXAMPLES:
            examples.append(rej.message)

    def _submit(self, part: _Partition) -> None:
        # without the raw input (a whole HTML page, say): coding reads only the cleaned text
        docs = [dataclasses.replace(doc, raw_text=None) for doc, _ in part.canonical]
        if docs:
            part.future = self.client.submit(code_partition, docs, self.options, pure=False)
        self.coding.append(part)
        self.parts += 1
        while len(self.coding) > self.window:
            self._collect(block=True)

    def _collect(self, block: bool) -> None:
        """Write every partition whose events are back; with ``block``, wait for one first."""
        from distributed import wait

        done = [p for p in self.coding if p.future is None or p.future.done()]
        if block and not done:
            wait([p.future for p in self.coding], return_when="FIRST_COMPLETED")
            done = [p for p in self.coding if p.future.done()]
        for part in done:
            self._write(part)

    def _write(self, part: _Partition) -> None:
        from ..store.parquet import write_part

        events: list[dict[str, Any]] = []
        if part.future is not None:
            version, coded = part.future.result()
            if version != self.version:
                raise EngineError(f"a Dask worker runs {version} but this client {self.version}: install the "
                                  "same casus (and data files) on every worker")
            for (_, row), evs in zip(part.canonical, coded, strict=True):
                row["num_events"] = len(evs)
                events.extend(event_rows(evs, row["content_hash"], row["story_id"]))
        write_part(self.out, "documents", part.number, part.rows)
        write_part(self.out, "events", part.number, events)
        self.summary.events += len(events)
        self.summary.events_by_plover.update(e.get("plover") for e in events)
        self.summary.batches += 1
        self.written += len(part.rows)
        self.coding.remove(part)
        part.future = None
        self._report()

    def _finish(self, inputs: list[str]) -> None:
        from ..store.parquet import write_manifest, write_part

        for story_id, row in self.story_rows.items():
            outlets = self.outlets.get(story_id, [])
            row.update(num_articles=len(outlets), num_sources=len(set(outlets)))
        write_part(self.out, "stories", 0, list(self.story_rows.values()))
        write_part(self.out, "rejections", 0, self.rejections)
        self.summary.seconds = time.monotonic() - self._started
        write_manifest(self.out, {"complete": True, "coder_version": self.version, "inputs": inputs,
                                  "partitions": self.parts, "partition_size": self.partition_size,
                                  "summary": self.summary.to_dict()})

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(Progress(self.summary.read, self.total,
                                   self.written + self.summary.already_stored + self.summary.rejected,
                                   time.monotonic() - self._started, self.summary))


def _client(stack: ExitStack, scheduler: str | None, n_workers: int | None):
    from distributed import Client

    if scheduler:
        try:
            return stack.enter_context(Client(scheduler, timeout=CONNECT_TIMEOUT))
        except (OSError, TimeoutError) as exc:
            raise EngineError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with "
                              "`dask scheduler` and workers with `dask worker ADDRESS --nthreads 1`") from None
    cluster = stack.enter_context(local_cluster(n_workers or os.cpu_count() or 1))
    return stack.enter_context(Client(cluster))


def local_cluster(n_workers: int, **kwargs):
    """A LocalCluster as casus runs one: one-thread worker processes (parsing holds the GIL), no dashboard, quiet."""
    from distributed import LocalCluster

    options = dict(threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR)
    return LocalCluster(n_workers=n_workers, **{**options, **kwargs})


def ingest_dask(inputs: Iterable[str], out_dir: str | Path, *, db: str | Path | None = None,
                scheduler: str | None = None, client=None, n_workers: int | None = None,
                options: Options | None = None, partition_size: int = PARTITION_SIZE,
                progress: Callable[[Progress], None] | None = None) -> IngestSummary:
    """Code ``inputs`` on a Dask cluster into the Parquet directory ``out_dir``; returns the run's summary.

    ``client``: a connected ``distributed.Client`` to use; else ``scheduler`` (``tcp://host:8786``);
    else a LocalCluster of ``n_workers`` (default: the cores) one-thread processes. With ``db``, documents
    stored there are skipped, duplicates fold into its stories, and the output is imported into it at
    the end (the database is locked against other writers meanwhile).
    """
    from ..ingest.dedup import DedupIndex
    from ..store.parquet import dedup_state, import_locked, prepare_out_dir
    from ..store.schema import WriterLock

    inputs = list(inputs)
    options = options or Options()
    if partition_size < 1:
        raise OptionError(f"partition size {partition_size} must be at least 1")
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise OptionError("the Dask engine needs the [dask] extra: pip install 'casus[dask]'") from None
    with ExitStack() as stack:
        if db is not None:
            stack.enter_context(WriterLock(Path(db)))
        index = DedupIndex.for_options(options)
        dedup_state(db, index)
        out = prepare_out_dir(out_dir)
        client = client or _client(stack, scheduler, n_workers)
        seen = SeenFilter(db if db is not None and Path(db).exists() else None)
        run = DaskIngest(client, out, options, partition_size, progress, seen, index)
        summary = run.run(inputs)
        if db is not None:
            import_locked(out, db)
            summary.db = str(db)
        summary.seconds = time.monotonic() - run._started
        return summary


__all__ = ["ingest_dask", "DaskIngest", "code_partition", "local_cluster", "PARTITION_SIZE"]

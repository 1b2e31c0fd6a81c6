"""The Dask engine: ``casus ingest --engine dask [--scheduler ADDRESS] --out PARQUET_DIR``.

The same pipeline as ``casus.store.ingest``, with the work spread over a Dask cluster (a
``LocalCluster`` of one-thread worker processes when no scheduler address is given):

1. The client reads the inputs in order (workers need not see the input files), skips documents
   already stored (``--db``) or already read in this run (same raw text), and sends partitions of
   ``partition_size`` documents to the cluster.
2. Workers *prepare* each partition: cleaning, language check, MinHash signature. Only the
   signatures and a few fields come back; the cleaned documents stay on the worker.
3. The client folds near-duplicates in input order, against the stories of the store and those of
   earlier partitions (this reduction is sequential by nature and cheap: ~1 ms a document), and
   tells each partition which documents are canonical.
4. Workers *code* the canonical documents (resources loaded once per worker process and kept) and
   return ``documents`` and ``events`` rows, which the client writes as one Parquet part each.

Then the client writes the stories and rejections and the manifest (``casus.store.parquet``), and,
with ``--db``, imports the directory into the store. Because dedup decisions are taken in input
order and coding is per document, the events equal the local engine's on the same inputs.

Memory stays bounded: at most ``WINDOW_PER_THREAD`` partitions per worker thread are in flight.
A killed run leaves an incomplete directory (no ``complete`` in its manifest) that the import
refuses; run again into a new ``--out``. Run workers with one thread each (``--nthreads 1``) and
as many processes as cores: spaCy parsing holds the GIL.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections import Counter, deque
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..config import Options
from ..errors import OptionError
from ..ingest.readers import Rejected
from ..model import Document
from ..store.writer import MAX_EXAMPLES, IngestSummary, Progress, count_inputs, raw_hash
from . import EngineError
from .common import code_prepared, document_row, event_rows, rejection_row

PARTITION_SIZE = 64  # documents per partition, as the local engine's batches: ~10-20 s of one core's coding
WINDOW_PER_THREAD = 2  # partitions in flight per worker thread: one coding, one prepared and waiting
CONNECT_TIMEOUT = 30.0  # seconds to reach a scheduler before giving up with E601


# -- on the workers (module-level functions: Dask ships them by reference, workers import casus)
@dataclass
class Prepared:
    """A partition after preparation; stays on the worker that made it."""

    version: str
    items: list[tuple]  # ("doc", Document, hash, signature) or ("rej", Rejected, hash)


def prepare_partition(raw: list[tuple[Document | Rejected, str | None]], options: Options) -> Prepared:
    """Clean and check each document and sign it (MinHash); rejections keep their reason."""
    from ..errors import DocumentRejected
    from ..ingest.dedup import signature
    from ..pipeline import coder_version, prepare

    items: list[tuple] = []
    for doc, h in raw:
        if isinstance(doc, Rejected):
            items.append(("rej", doc, h))
            continue
        try:
            doc = prepare(doc, options)
        except DocumentRejected as exc:
            items.append(("rej", Rejected(doc.id, doc.provenance or doc.id, exc.reason, exc.message), h))
        else:
            items.append(("doc", doc, h, signature(doc.text)))
    return Prepared(coder_version(), items)


def partition_meta(prep: Prepared) -> tuple[str, list[tuple]]:
    """What the client needs for deduplication: no texts, only signatures and story fields."""
    meta = []
    for item in prep.items:
        if item[0] == "doc":
            _, doc, h, sig = item
            meta.append(("doc", h, sig, doc.id, doc.title, doc.date, doc.source, doc.url))
        else:
            meta.append(item)  # a Rejected is small
    return prep.version, meta


def code_partition(prep: Prepared, decisions: dict[str, tuple[str, str]], options: Options,
                   ingested_at: dt.datetime) -> tuple[list[dict], list[dict]]:
    """Code the canonical documents; ``documents`` and ``events`` rows for every document of the
    partition the client kept (``decisions``: content hash -> (story_id, status))."""
    docs, canonical = [], []
    for item in prep.items:
        if item[0] == "doc" and item[2] in decisions:
            story_id, status = decisions[item[2]]
            row = document_row(item[1], item[2], prep.version, ingested_at)
            row.update(story_id=story_id, status=status)
            docs.append(row)
            if status == "coded":
                canonical.append((item[1], row))
    events: list[dict] = []
    coded = code_prepared([doc for doc, _ in canonical], options) if canonical else []
    for (_, row), evs in zip(canonical, coded, strict=True):
        row["num_events"] = len(evs)
        events.extend(event_rows(evs, row["content_hash"], row["story_id"]))
    return docs, events


# -- on the client
@dataclass
class _Partition:
    number: int
    prep: Any  # future of Prepared
    meta: Any  # future of partition_meta
    code: Any = None  # future of code_partition
    size: int = 0


@dataclass
class _Stories:
    """Stories of this run: their rows, and the outlets of their articles (for num_sources)."""

    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    outlets: dict[str, list[str]] = field(default_factory=dict)


class DaskIngest:
    """One run; use :func:`ingest_dask`."""

    def __init__(self, client, out: Path, options: Options, partition_size: int,
                 progress: Callable[[Progress], None] | None, known: set[str], stories: list[tuple]) -> None:
        from ..ingest.dedup import DedupIndex, Signature
        from ..pipeline import coder_version

        self.client = client
        self.out = out
        self.options = options
        self.partition_size = partition_size
        self.progress = progress
        self.version = coder_version()
        self.known = known
        self.index = DedupIndex(options.dedup_threshold)
        for story_id, size, blob in stories:
            self.index.add(story_id, Signature.from_bytes(blob, size))
        self.summary = IngestSummary(db=str(out))
        self.stories = _Stories()
        self.rejections: list[dict[str, Any]] = []
        self.now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        threads = sum(client.nthreads().values()) or 1
        self.window = WINDOW_PER_THREAD * threads
        self.waiting: deque[_Partition] = deque()  # prepared (or being prepared), in input order
        self.coding: list[_Partition] = []
        self.parts = 0
        self.written = 0
        self.total: int | None = None
        self._started = time.monotonic()

    def run(self, inputs: list[str]) -> IngestSummary:
        from ..ingest.readers import read_inputs

        self.total = count_inputs(inputs)
        raw: list[tuple[Document | Rejected, str | None]] = []
        for item in read_inputs(inputs, self.options.date, max_bytes=self.options.max_input_bytes):
            self.summary.read += 1
            if isinstance(item, Document):
                h = raw_hash(item)
                if h in self.known:
                    self.summary.already_stored += 1
                    self._report()
                    continue
                self.known.add(h)
                raw.append((item, h))
            else:
                raw.append((item, None))
            if len(raw) >= self.partition_size:
                self._submit(raw)
                raw = []
            self._pump(block=False)
            while len(self.waiting) + len(self.coding) > self.window:
                self._pump(block=True)
        if raw:
            self._submit(raw)
        while self.waiting or self.coding:
            self._pump(block=True)
        self._finish(inputs)
        return self.summary

    def _submit(self, raw: list) -> None:
        [data] = self.client.scatter([raw], hash=False)  # one object: large texts do not bloat the graph
        prep = self.client.submit(prepare_partition, data, self.options, pure=False)
        meta = self.client.submit(partition_meta, prep, pure=False)
        self.waiting.append(_Partition(self.parts, prep, meta, size=len(raw)))
        self.parts += 1

    def _pump(self, block: bool) -> None:
        """Advance what is ready: dedup decisions in input order, then any partition coded."""
        from distributed import wait

        moved = False
        while self.waiting and self.waiting[0].meta.done():
            self._decide(self.waiting.popleft())
            moved = True
        for part in [p for p in self.coding if p.code.done()]:
            self._write(part)
            moved = True
        if block and not moved:
            watch = [p.code for p in self.coding] + ([self.waiting[0].meta] if self.waiting else [])
            if watch:
                wait(watch, return_when="FIRST_COMPLETED")

    def _decide(self, part: _Partition) -> None:
        """Dedup one partition's documents in order; send its canonical ones to be coded."""
        from ..ingest.dedup import source_key
        from ..store.schema import to_date

        version, meta = part.meta.result()
        if version != self.version:
            raise EngineError(f"a Dask worker runs {version} but this client {self.version}: install the same "
                              "casus (and data files) on every worker")
        decisions: dict[str, tuple[str, str]] = {}
        for item in meta:
            if item[0] == "rej":
                self.rejections.append(rejection_row(item[1], item[2], self.version, self.now))
                self._count_rejection(item[1])
                continue
            _, h, sig, doc_id, title, date, source, url = item
            match = self.index.match(sig)
            if match is not None:
                story_id, status = match[0], "duplicate"
                self.summary.duplicates += 1
            else:
                story_id, status = h[:16], "coded"
                self.index.add(story_id, sig)
                self.stories.rows[story_id] = {
                    "story_id": story_id, "canonical_hash": h, "canonical_doc_id": doc_id, "title": title,
                    "first_published": to_date(date), "num_articles": 0, "num_sources": 0,
                    "num_shingles": sig.size, "minhash": sig.to_bytes()}
                self.summary.coded += 1
                self.summary.new_stories += 1
            self.stories.outlets.setdefault(story_id, []).append(source_key(source, url))
            decisions[h] = (story_id, status)
        part.code = self.client.submit(code_partition, part.prep, decisions, self.options, self.now, pure=False)
        part.prep = part.meta = None  # the coding task holds the prepared partition now
        self.coding.append(part)
        self._report()

    def _write(self, part: _Partition) -> None:
        from ..store.parquet import write_part

        docs, events = part.code.result()
        write_part(self.out, "documents", part.number, docs)
        write_part(self.out, "events", part.number, events)
        self.summary.events += len(events)
        self.summary.events_by_plover.update(e.get("plover") for e in events)
        self.summary.batches += 1
        self.written += part.size
        self.coding.remove(part)
        part.code = None
        self._report()

    def _count_rejection(self, rej: Rejected) -> None:
        s = self.summary
        s.rejected += 1
        s.rejected_reasons[rej.reason] += 1
        examples = s.rejected_examples.setdefault(rej.reason, [])
        if len(examples) < MAX_EXAMPLES:
            examples.append(rej.message)

    def _finish(self, inputs: list[str]) -> None:
        from ..store.parquet import write_manifest, write_part

        for story_id, row in self.stories.rows.items():
            outlets = self.stories.outlets.get(story_id, [])
            row.update(num_articles=len(outlets), num_sources=len(set(outlets)))
        write_part(self.out, "stories", 0, list(self.stories.rows.values()))
        write_part(self.out, "rejections", 0, self.rejections)
        self.summary.seconds = time.monotonic() - self._started
        write_manifest(self.out, {"complete": True, "coder_version": self.version, "inputs": inputs,
                                  "partitions": self.parts, "partition_size": self.partition_size,
                                  "summary": self.summary.to_dict()})

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(Progress(self.summary.read, self.total, self.written + self.summary.already_stored,
                                   time.monotonic() - self._started, self.summary))


def _client(stack: ExitStack, scheduler: str | None, n_workers: int | None):
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return stack.enter_context(Client(scheduler, timeout=CONNECT_TIMEOUT))
        except (OSError, TimeoutError) as exc:
            raise EngineError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with "
                              "`dask scheduler` and workers with `dask worker ADDRESS --nthreads 1`") from None
    cluster = stack.enter_context(LocalCluster(n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1,
                                               processes=True, dashboard_address=None, silence_logs=logging.ERROR))
    return stack.enter_context(Client(cluster))


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
        known, stories = dedup_state(db)
        out = prepare_out_dir(out_dir)
        client = client or _client(stack, scheduler, n_workers)
        run = DaskIngest(client, out, options, partition_size, progress, known, stories)
        summary = run.run(inputs)
        if db is not None:
            import_locked(out, db)
            summary.db = str(db)
        summary.seconds = time.monotonic() - run._started
        return summary


__all__ = ["ingest_dask", "DaskIngest", "prepare_partition", "partition_meta", "code_partition", "PARTITION_SIZE"]

"""Incremental ingest: inputs → documents, duplicate stories and events in the DuckDB store.

``ingest(inputs, db_path)`` reads every input form the readers support, skips documents whose raw text
is already stored (content hash), cleans the rest, folds near-duplicates into their story
(:mod:`casus.ingest.dedup`), codes the canonical articles and commits every ``batch_size`` documents.

Kill-safety: one batch is one transaction holding its documents, their events, new stories (with
their MinHash signatures), updated story counts and rejections. A document row exists only together
with its events, so a run killed at any moment (kill -9 included) leaves whole batches; a new run
skips the stored documents (looked up a chunk at a time: :class:`SeenFilter`), rebuilds the dedup
index from the stored signatures (those within its window: :mod:`casus.store.dedup_state`) and goes
on. Input order is deterministic, so the result equals an uninterrupted run's (timestamps aside).

Concurrency: the database file is opened read-write only for the few hundred milliseconds of a commit
and closed again, so ``casus events``, exports and the dashboard (read-only connections that retry
while the file is locked) keep working during a long ingest. One writer at a time: ``<db>.lock``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..config import Options
from ..errors import DocumentRejected
from ..ingest.dedup import PARAMS, DedupIndex, signature, source_key
from ..ingest.readers import Rejected, read_inputs
from ..model import Document
from ..ontology import UNTYPED_LABEL
from .dedup_state import load_index
from .schema import (WRITE_TIMEOUT, WriterLock, _transaction, connect_read, connect_write, event_to_row, insert_rows,
                     to_date)

DEFAULT_BATCH = 64  # documents per commit: a few seconds of coding, so a kill loses little and commits stay rare
LOOKUP_DOCS = 512  # documents read ahead and looked up in the store at once: one short read-only query each
LOOKUP_CHARS = 16_000_000  # ... or fewer, so that read-ahead never holds more than ~16 MB of raw text
MAX_EXAMPLES = 3  # rejection messages kept per reason for the summary
_REJECTION_COLS = ("rejection_id", "doc_id", "provenance", "reason", "message", "content_hash", "coder_version",
                   "ingested_at")


@dataclass
class IngestSummary:
    """What one run did. ``read == coded + duplicates + rejected + already_stored`` always holds."""

    db: str
    read: int = 0
    coded: int = 0
    duplicates: int = 0
    rejected: int = 0
    already_stored: int = 0
    events: int = 0
    new_stories: int = 0
    batches: int = 0
    seconds: float = 0.0
    rejected_reasons: Counter = field(default_factory=Counter)
    rejected_examples: dict[str, list[str]] = field(default_factory=dict)
    events_by_plover: Counter = field(default_factory=Counter)

    @property
    def reconciles(self) -> bool:
        return self.read == self.coded + self.duplicates + self.rejected + self.already_stored

    @property
    def mostly_rejected(self) -> bool:
        """More than half the documents read were rejected (the CLI's exit code follows trafilatura)."""
        return self.read > 0 and 2 * self.rejected > self.read

    def to_dict(self) -> dict[str, Any]:
        return {"db": self.db, "read": self.read, "coded": self.coded, "duplicates": self.duplicates,
                "rejected": self.rejected, "already_stored": self.already_stored, "events": self.events,
                "new_stories": self.new_stories, "batches": self.batches, "seconds": round(self.seconds, 3),
                "rejected_reasons": dict(self.rejected_reasons), "rejected_examples": self.rejected_examples,
                "events_by_plover": {(k or UNTYPED_LABEL): v for k, v in self.events_by_plover.items()}}


@dataclass
class Progress:
    """Reported after every document handled and every commit."""

    done: int  # documents handled (read and decided) so far in this run
    total: int | None  # estimated documents in the inputs, None when unknown (feeds by URL, WARC, stdin)
    committed: int  # documents whose batch is committed
    elapsed: float
    summary: IngestSummary


def raw_hash(doc: Document) -> str:
    """The key of a document: sha1 of its text as read (before cleaning)."""
    raw = doc.raw_text if doc.raw_text is not None else doc.text
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def count_inputs(inputs: Iterable[str]) -> int | None:
    """A cheap estimate of how many documents the inputs hold (None when it cannot be known cheaply)."""
    from ..ingest.readers import FEED_SUFFIXES, JSONL_SUFFIXES, _iter_dir

    total = 0
    for item in inputs:
        if item == "-" or item.startswith(("http://", "https://")):
            return None
        path = Path(item)
        files = list(_iter_dir(path)) if path.is_dir() else [path]
        for p in files:
            suffix = p.suffix.lower()
            name = p.name.lower()
            try:
                if suffix in JSONL_SUFFIXES:
                    with p.open("rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                elif suffix in FEED_SUFFIXES:
                    data = p.read_bytes()
                    total += max(1, data.count(b"<item") + data.count(b"<entry"))
                elif name.endswith((".warc", ".warc.gz", ".arc.gz")):
                    return None
                else:
                    total += 1
            except OSError:
                total += 1  # the reader will reject it: still one document read
    return total


def stored_hashes(db_path: str | Path, hashes: set[str], timeout: float = WRITE_TIMEOUT) -> set[str]:
    """Which of ``hashes`` (raw-text content hashes) the store at ``db_path`` holds as documents."""
    if not hashes or not Path(db_path).exists():
        return set()
    with connect_read(db_path, timeout) as con:
        return {r[0] for r in con.execute("SELECT content_hash FROM documents WHERE content_hash IN "
                                          "(SELECT unnest(?))", [sorted(hashes)]).fetchall()}


class SeenFilter:
    """Which input documents were stored by an earlier run or already read in this one, without holding every
    stored hash in memory (a store of 300,000 documents a day would hold 40 MB more each day).

    The store is asked about each chunk of read-ahead documents (:func:`stored_hashes`); this run's own
    hashes are kept until their batch is committed (``committed``), and then until the next lookup,
    which sees them in the store. Documents rejected in this run are never committed: their hashes stay.
    """

    def __init__(self, db_path: str | Path | None, timeout: float = WRITE_TIMEOUT) -> None:
        self.db = db_path
        self.timeout = timeout
        self.unsaved: set[str] = set()
        self._committed: list[str] = []

    def add(self, content_hash: str) -> None:
        self.unsaved.add(content_hash)

    def committed(self, hashes: Iterable[str]) -> None:
        self._committed.extend(hashes)

    def screen(self, items: Iterable[Document | Rejected]) -> Iterator[tuple[Any, str | None, bool]]:
        """``(item, content hash or None for a Rejected, seen before?)`` for each item, in order."""
        it = iter(items)
        while True:
            chunk, chars = [], 0
            for item in it:
                chunk.append(item)
                if not isinstance(item, Rejected):
                    chars += len(item.raw_text if item.raw_text is not None else item.text)
                if len(chunk) >= LOOKUP_DOCS or chars >= LOOKUP_CHARS:
                    break
            if not chunk:
                return
            hashes = [None if isinstance(item, Rejected) else raw_hash(item) for item in chunk]
            done, self._committed = self._committed, []  # committed before this lookup: it will see them
            stored = stored_hashes(self.db, {h for h in hashes if h}, self.timeout) if self.db else set()
            self.unsaved.difference_update(done)
            for item, h in zip(chunk, hashes):  # evaluated lazily: a repeat within the chunk is caught too
                yield item, h, h is not None and (h in stored or h in self.unsaved)


class _Batch:
    def __init__(self) -> None:
        self.docs: list[dict[str, Any]] = []  # document rows, coded ones completed after coding
        self.to_code: list[tuple[Document, dict[str, Any]]] = []
        self.rejections: list[dict[str, Any]] = []
        self.stories: list[dict[str, Any]] = []
        self.touched: set[str] = set()

    def __len__(self) -> int:
        return len(self.docs) + len(self.rejections)


class Ingestor:
    """One ingest run into one database; use :func:`ingest`."""

    def __init__(self, db_path: str | Path, options: Options, batch_size: int, resources=None,
                 progress: Callable[[Progress], None] | None = None, timeout: float = WRITE_TIMEOUT) -> None:
        if batch_size < 1:
            from ..errors import OptionError

            raise OptionError(f"batch size {batch_size} must be at least 1")
        self.db = Path(db_path)
        self.options = options
        self.batch_size = batch_size
        self.timeout = timeout
        self._resources = resources
        self.progress = progress
        self.summary = IngestSummary(db=str(self.db))
        self.index = DedupIndex.for_options(options)
        self.seen = SeenFilter(self.db, timeout)
        self.version = ""
        self.run_id = 0
        self.committed = 0
        self.total: int | None = None
        self._started = time.monotonic()

    # -- set-up: schema, known documents, dedup index, run record
    def open(self, inputs: list[str]) -> None:
        from ..pipeline import coder_version

        self.version = coder_version()
        with connect_write(self.db, self.timeout) as con:
            with _transaction(con, "starting the run"):
                stored_params = con.execute("SELECT value FROM meta WHERE key = 'minhash'").fetchone()
                if not stored_params or stored_params[0] != PARAMS:
                    self._resign(con)
                load_index(con, self.index)  # the stories still within the window, read in chunks
                self.run_id = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()[0]
                con.execute("INSERT INTO runs (run_id, started_at, coder_version, inputs) VALUES (?, ?, ?, ?)",
                            [self.run_id, _now(), self.version, json.dumps(inputs, ensure_ascii=False)])

    def _resign(self, con) -> None:
        """Signatures made with other MinHash parameters are not comparable: recompute them from the text."""
        rows = con.execute("SELECT s.story_id, d.text FROM stories s JOIN documents d "
                           "ON d.content_hash = s.canonical_hash").fetchall()
        for story_id, text in rows:
            sig = signature(text)
            con.execute("UPDATE stories SET num_shingles = ?, minhash = ? WHERE story_id = ?",
                        [sig.size, sig.to_bytes(), story_id])
        con.execute("INSERT INTO meta VALUES ('minhash', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [PARAMS])

    @property
    def resources(self):
        if self._resources is None:
            from ..pipeline import load_resources

            self._resources = load_resources(self.options)
        return self._resources

    # -- the loop
    def run(self, inputs: list[str]) -> IngestSummary:
        from ..pipeline import prepare

        self.total = count_inputs(inputs)
        self.open(inputs)
        batch = _Batch()
        now = _now()
        items = read_inputs(inputs, self.options.date, max_bytes=self.options.max_input_bytes)
        for item, h, seen in self.seen.screen(items):
            self.summary.read += 1
            if isinstance(item, Rejected):
                batch.rejections.append(self._rejection(item, None, now))
            else:
                if seen:
                    self.summary.already_stored += 1
                else:
                    self.seen.add(h)
                    try:
                        doc = prepare(item, self.options)
                    except DocumentRejected as exc:
                        rej = Rejected(item.id, item.provenance or item.id, exc.reason, exc.message)
                        batch.rejections.append(self._rejection(rej, h, now))
                    else:
                        self._place(doc, h, batch, now)
            self._report()
            if len(batch) >= self.batch_size:
                self._flush(batch)
                batch = _Batch()
                now = _now()
        if len(batch):
            self._flush(batch)
        self.summary.seconds = time.monotonic() - self._started
        self._finish()
        return self.summary

    def _place(self, doc: Document, h: str, batch: _Batch, now: dt.datetime) -> None:
        """Decide canonical or duplicate, and queue the document row."""
        sig = signature(doc.text)
        day = to_date(doc.date)
        match = self.index.match(sig, day)
        row = {"content_hash": h, "doc_id": doc.id, "title": doc.title, "url": doc.url, "source": doc.source,
               "source_key": source_key(doc.source, doc.url), "published": to_date(doc.date),
               "language": doc.language, "provenance": doc.provenance, "text": doc.text,
               "removed": json.dumps(doc.removed, ensure_ascii=False), "num_events": 0,
               "coder_version": self.version, "ingested_at": now}
        if match is not None:
            row.update(story_id=match[0], status="duplicate")
        else:
            story_id = h[:16]
            self.index.add(story_id, sig, day)
            row.update(story_id=story_id, status="coded")
            batch.stories.append({"story_id": story_id, "canonical_hash": h, "canonical_doc_id": doc.id,
                                  "title": doc.title, "first_published": day, "num_articles": 0,
                                  "num_sources": 0, "num_shingles": sig.size, "minhash": sig.to_bytes()})
            batch.to_code.append((doc, row))
        batch.touched.add(row["story_id"])
        batch.docs.append(row)

    def _rejection(self, rej: Rejected, h: str | None, now: dt.datetime) -> dict[str, Any]:
        key = hashlib.sha1("\x1f".join([rej.provenance, h or "", rej.reason]).encode("utf-8")).hexdigest()
        return {"rejection_id": key, "doc_id": rej.id, "provenance": rej.provenance, "reason": rej.reason,
                "message": rej.message, "content_hash": h, "coder_version": self.version, "ingested_at": now}

    def _flush(self, batch: _Batch) -> None:
        """Code the batch's canonical documents, then commit everything in one transaction."""
        from ..pipeline import code_documents

        events: list[dict[str, Any]] = []
        plover: Counter = Counter()
        if batch.to_code:
            rows = {id(doc): row for doc, row in batch.to_code}
            # already cleaned by prepare(): code without cleaning again
            opts = self.options.replace(clean=False)
            docs = [doc for doc, _ in batch.to_code]
            for doc, evs in code_documents(docs, opts, self.resources):
                if isinstance(doc, Rejected):  # cannot happen after prepare(); kept as a rejection if it does
                    raise RuntimeError(f"{doc.provenance}: rejected after preparation ({doc.reason})")
                row = rows[id(doc)]
                row["num_events"] = len(evs)
                for ev in evs:
                    d = ev.to_dict()
                    erow = event_to_row(d, row["content_hash"], row["story_id"])
                    erow["sentence_start"] = ev.sentence_start
                    events.append(erow)
                    plover[d.get("plover")] += 1
                self._report()
        self._write(batch, events, plover)

    def _write(self, batch: _Batch, events: list[dict[str, Any]], plover: Counter) -> None:
        """Commit a coded batch in one transaction, then count it in the summary."""
        with connect_write(self.db, self.timeout) as con:
            with _transaction(con, f"committing a batch of {len(batch)} documents"):
                insert_rows(con, "documents", batch.docs)
                insert_rows(con, "stories", batch.stories)
                insert_rows(con, "events", events)
                for rej in batch.rejections:  # the same rejection seen again (a re-run) is not repeated
                    con.execute(f"INSERT INTO rejections ({', '.join(_REJECTION_COLS)}) VALUES "
                                f"({', '.join('?' * len(_REJECTION_COLS))}) ON CONFLICT DO NOTHING",
                                [rej[k] for k in _REJECTION_COLS])
                if batch.touched:
                    _recount(con, sorted(batch.touched))
        self.seen.committed(r["content_hash"] for r in batch.docs)
        # counted only once committed: the summary describes what is in the database
        s = self.summary
        s.batches += 1
        s.coded += sum(1 for r in batch.docs if r["status"] == "coded")
        s.duplicates += sum(1 for r in batch.docs if r["status"] == "duplicate")
        s.new_stories += len(batch.stories)
        s.events += len(events)
        s.events_by_plover.update(plover)
        for rej in batch.rejections:
            s.rejected += 1
            s.rejected_reasons[rej["reason"]] += 1
            examples = s.rejected_examples.setdefault(rej["reason"], [])
            if len(examples) < MAX_EXAMPLES:
                examples.append(rej["message"])
        self.committed += len(batch)
        self._report()

    def _finish(self) -> None:
        with connect_write(self.db, self.timeout) as con:
            con.execute("UPDATE runs SET finished_at = ?, summary = ? WHERE run_id = ?",
                        [_now(), json.dumps(self.summary.to_dict(), ensure_ascii=False), self.run_id])

    def _report(self) -> None:
        if self.progress is not None:
            done = self.summary.read
            self.progress(Progress(done, self.total, self.committed + self.summary.already_stored,
                                   time.monotonic() - self._started, self.summary))


def _recount(con, story_ids: list[str]) -> None:
    """Articles and distinct sources of the stories a batch touched, recounted from the documents."""
    con.execute("""
        UPDATE stories SET num_articles = c.n, num_sources = c.ns
        FROM (SELECT story_id, count(*) AS n, count(DISTINCT source_key) AS ns FROM documents
              WHERE story_id IN (SELECT unnest(?)) GROUP BY story_id) AS c
        WHERE stories.story_id = c.story_id""", [story_ids])


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def ingest(inputs: Iterable[str], db_path: str | Path = "casus.duckdb", *, options: Options | None = None,
           batch_size: int = DEFAULT_BATCH, progress: Callable[[Progress], None] | None = None,
           resources=None, timeout: float = WRITE_TIMEOUT) -> IngestSummary:
    """Read, deduplicate, code and store ``inputs`` (paths, directories, feed URLs, ``-``) into ``db_path``.

    Documents already stored (same raw text) are skipped, so re-running adds nothing and a killed run
    resumes where its last commit ended. Raises StoreError (E405) when another ingest holds the database.
    """
    inputs = list(inputs)
    options = options or Options()
    ing = Ingestor(db_path, options, batch_size, resources, progress, timeout)
    with WriterLock(Path(db_path)):
        return ing.run(inputs)


__all__ = ["ingest", "IngestSummary", "Progress", "SeenFilter", "count_inputs", "raw_hash", "stored_hashes",
           "DEFAULT_BATCH"]

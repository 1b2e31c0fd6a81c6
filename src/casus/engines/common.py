"""What every engine's worker does: load the coding resources once per process, code prepared documents.

A worker (a local process or a Dask worker) keeps one :class:`~casus.pipeline.Resources` per set of
extra actor/lexicon files, loaded on first use under a lock (a Dask worker may run several threads).
Coding returns plain data (contract dicts and sentence offsets), never spaCy objects, so results
cross process boundaries cheaply.
"""
from __future__ import annotations

import json
import threading
from typing import Any

from ..config import Options
from ..model import Document

_LOCK = threading.Lock()
_RESOURCES: dict[tuple, Any] = {}

CodedEvents = list[tuple[dict[str, Any], int]]  # one document's events: (contract dict, sentence_start)


def worker_resources(options: Options):
    """The coding resources for ``options`` in this process, loaded once (spaCy model, lexicon, KB)."""
    key = (tuple(options.actors), tuple(options.lexicon))
    res = _RESOURCES.get(key)
    if res is None:
        with _LOCK:
            res = _RESOURCES.get(key)
            if res is None:
                from ..pipeline import load_resources

                res = _RESOURCES[key] = load_resources(options)
    return res


def code_prepared(docs: list[Document], options: Options) -> list[CodedEvents]:
    """Code documents already passed through :func:`casus.pipeline.prepare`; one list per document, in order.

    This is what ``casus.store.ingest`` does for a batch's canonical documents (same options, same
    ``nlp.pipe`` batching), so an engine's events equal the in-process ingest's.
    """
    from ..ingest.readers import Rejected
    from ..pipeline import code_documents

    opts = options.replace(clean=False)  # already cleaned by prepare()
    out: list[CodedEvents] = []
    for doc, events in code_documents(docs, opts, worker_resources(options)):
        if isinstance(doc, Rejected):  # prepare() ran already: cannot happen, and must not pass silently
            raise RuntimeError(f"{doc.provenance}: rejected after preparation ({doc.reason})")
        out.append([(ev.to_dict(), ev.sentence_start) for ev in events])
    return out


def document_row(doc: Document, content_hash: str, version: str, ingested_at) -> dict[str, Any]:
    """A prepared document as a ``documents`` row (``story_id``, ``status``, ``num_events`` filled by the caller).

    Mirrors the row ``casus.store.writer.Ingestor._place`` builds; tests/engines compare whole stores,
    so a column added there and not here shows up as a failing test.
    """
    from ..ingest.dedup import source_key
    from ..store.schema import to_date

    return {"content_hash": content_hash, "doc_id": doc.id, "title": doc.title, "url": doc.url,
            "source": doc.source, "source_key": source_key(doc.source, doc.url), "published": to_date(doc.date),
            "language": doc.language, "provenance": doc.provenance, "text": doc.text,
            "removed": json.dumps(doc.removed, ensure_ascii=False), "num_events": 0, "coder_version": version,
            "ingested_at": ingested_at}


def rejection_row(rej, content_hash: str | None, version: str, ingested_at) -> dict[str, Any]:
    """A ``Rejected`` as a ``rejections`` row, keyed as ``casus.store.writer.Ingestor._rejection`` keys it."""
    import hashlib

    key = hashlib.sha1("\x1f".join([rej.provenance, content_hash or "", rej.reason]).encode("utf-8")).hexdigest()
    return {"rejection_id": key, "doc_id": rej.id, "provenance": rej.provenance, "reason": rej.reason,
            "message": rej.message, "content_hash": content_hash, "coder_version": version,
            "ingested_at": ingested_at}


def event_rows(coded: CodedEvents, content_hash: str, story_id: str) -> list[dict[str, Any]]:
    """One document's coded events as ``events`` rows."""
    from ..store.schema import event_to_row

    rows = []
    for d, start in coded:
        row = event_to_row(d, content_hash, story_id)
        row["sentence_start"] = start
        rows.append(row)
    return rows


__all__ = ["worker_resources", "code_prepared", "document_row", "rejection_row", "event_rows", "CodedEvents"]

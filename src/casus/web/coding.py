"""Coding one posted article (text or a saved page's HTML) for ``POST /api/code`` and the "code an article" page.

The coding resources (spaCy model, lexicon, actors) load once per process on first use; coding runs under
a lock because one spaCy pipeline is not meant to be driven by several threads at once.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from ..config import Options, check_date
from ..errors import DocumentRejected, OptionError
from ..ingest.readers import Rejected
from ..model import Document, Event

_LOCK = threading.Lock()
_RESOURCES: dict[str, Any] = {}


@dataclass
class CodedArticle:
    """A posted article after cleaning, with its events (``Event`` objects: ``to_dict()`` is the contract)."""

    document: Document
    events: list[Event]

    def document_dict(self) -> dict[str, Any]:
        d = self.document
        return {"doc_id": d.id, "title": d.title, "url": d.url, "source": d.source, "date": d.date,
                "language": d.language, "text": d.text, "removed": list(d.removed)}

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document_dict(), "events": [e.to_dict() for e in self.events]}


def _resources(options: Options):
    from ..pipeline import load_resources

    if "res" not in _RESOURCES:
        _RESOURCES["res"] = load_resources(options)
    return _RESOURCES["res"]


def code_article(*, text: str | None = None, html: str | None = None, title: str | None = None,
                 date: str | None = None, url: str | None = None) -> CodedArticle:
    """Code one article given as plain ``text`` or as a page's ``html`` (exactly one of them).

    ``date`` (YYYY-MM-DD) is the publication date that relative dates ("on Monday") resolve against; a
    page's own date wins for HTML. Raises OptionError for bad input and DocumentRejected (with the
    reason) when the article cannot be coded (no article text in the page, not English, empty...).
    """
    from ..ingest.html import html_to_document
    from ..pipeline import code_documents

    if (text is None) == (html is None):
        raise OptionError("give the article as either 'text' or 'html' (exactly one of them)")
    date = check_date(date) if date else None
    raw = text if text is not None else html or ""
    if not raw.strip():
        raise DocumentRejected("empty", "the posted article is empty")
    doc_id = "posted-" + hashlib.sha1(raw.encode("utf-8", "replace")).hexdigest()[:12]
    if html is not None:
        doc = html_to_document(html, doc_id, "posted HTML", date=date, url=url)
        if isinstance(doc, Rejected):
            raise DocumentRejected(doc.reason, doc.message)
        doc.title = title or doc.title
    else:
        doc = Document(id=doc_id, text=raw, title=title, url=url, date=date, provenance="posted text",
                       raw_text=raw)
    options = Options()
    with _LOCK:
        res = _resources(options)
        for coded, events in code_documents([doc], options, res):
            if isinstance(coded, Rejected):
                raise DocumentRejected(coded.reason, coded.message)
            return CodedArticle(coded, list(events))
    raise DocumentRejected("empty", "the posted article produced no document")  # pragma: no cover


__all__ = ["CodedArticle", "code_article"]

"""Filling the context fields of events (dates, places, quantities, attribution)."""
from __future__ import annotations

from ..model import Document, Event


def annotate(events: list[Event], spacy_doc, doc: Document, actors) -> None:
    """Give every event a date: for now the publication date (date_source 'publication')."""
    for ev in events:
        if ev.date is None and doc.date:
            ev.date = doc.date
            ev.date_precision = "day"
            ev.date_source = "publication"

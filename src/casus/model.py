"""The records casus produces: documents, actors, events (``Event.to_dict`` is the JSON contract)."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

MODALITIES = ("asserted", "negated", "hypothetical", "future")
ACTOR_KINDS = ("state", "igo", "ngo", "person", "group")


@dataclass(slots=True)
class Document:
    """One input article after reading and cleaning."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    date: str | None = None  # publication date, YYYY-MM-DD
    language: str | None = None
    provenance: str | None = None  # where it was read from (path, path#record, feed url ...)
    removed: list[dict[str, Any]] = field(default_factory=list)  # what cleaning removed: {text, reason}
    raw_text: str | None = None

    @property
    def content_hash(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Actor:
    """A resolved actor: ``code`` is CAMEO-style (``RUSGOV``, ``IGONAT``), ``country`` ISO3 or None."""

    text: str
    code: str | None
    country: str | None
    sector: str | None
    kind: str | None
    name: str | None = None
    role: str | None = None
    resolved_by: str | None = None  # kb, adjective+agent, coref, ner ...

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "code": self.code,
            "country": self.country,
            "sector": self.sector,
            "kind": self.kind,
            "name": self.name,
        }

    @property
    def key(self) -> tuple:
        return (self.code, self.country, self.name)


@dataclass(slots=True)
class Event:
    """One coded event; ``to_dict`` gives the stable JSON contract (see README)."""

    doc_id: str
    sentence: str
    sentence_index: int
    trigger: str
    rule: str
    lexicon_entry: str
    cameo: str
    cameo_name: str
    cameo_root: str
    plover: str | None
    quad_class: int
    goldstein: float
    mode: str | None
    context: str | None
    source: Actor | None
    target: Actor | None
    modality: str
    confidence: float
    coder_version: str
    trigger_start: int = 0  # character offsets of the trigger within the sentence
    trigger_end: int = 0
    sentence_start: int = 0  # character offset of the sentence within the document text
    date: str | None = None
    date_precision: str | None = None
    date_source: str | None = None
    location: dict[str, Any] | None = None
    quantities: list[dict[str, Any]] = field(default_factory=list)
    attribution: dict[str, Any] | None = None
    modality_cue: str | None = None
    date_cue: str | None = None  # the time expression the date came from
    head_index: int = -1  # token index of the trigger head in the parsed article (not part of the contract)
    event_id: str = ""

    def compute_id(self) -> str:
        """A stable id from what the event is and where its evidence sits."""
        parts = [
            self.doc_id,
            str(self.sentence_index),
            str(self.trigger_start),
            self.cameo,
            self.source.code if self.source and self.source.code else "-",
            self.source.text if self.source else "-",
            self.target.code if self.target and self.target.code else "-",
            self.target.text if self.target else "-",
        ]
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "event_id": self.event_id,
            "sentence": self.sentence,
            "sentence_index": self.sentence_index,
            "trigger": self.trigger,
            "trigger_span": [self.trigger_start, self.trigger_end],
            "rule": self.rule,
            "lexicon_entry": self.lexicon_entry,
            "plover": self.plover,
            "cameo": self.cameo,
            "cameo_name": self.cameo_name,
            "cameo_root": self.cameo_root,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "mode": self.mode,
            "context": self.context,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "modality": self.modality,
            "modality_cue": self.modality_cue,
            "date": self.date,
            "date_precision": self.date_precision,
            "date_source": self.date_source,
            "date_cue": self.date_cue,
            "location": self.location,
            "quantities": list(self.quantities),
            "attribution": self.attribution,
            "confidence": round(self.confidence, 3),
            "coder_version": self.coder_version,
        }


CONTRACT_FIELDS = (
    "doc_id", "event_id", "sentence", "sentence_index", "trigger", "rule", "plover", "cameo",
    "cameo_root", "quad_class", "goldstein", "mode", "context", "source", "target", "modality",
    "date", "date_precision", "location", "quantities", "attribution", "confidence", "coder_version",
)

__all__ = ["Document", "Actor", "Event", "MODALITIES", "ACTOR_KINDS", "CONTRACT_FIELDS", "asdict"]

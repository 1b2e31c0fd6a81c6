"""Reading the event store: events by filter, documents with their events, stories, rejections, figures.

Every function opens a read-only connection for the duration of one query and closes it, retrying
while an ingest commits (see ``connect_read``), so callers (CLI, dashboard) never hold the file.
SQL is assembled from fixed fragments; every user value is a bound parameter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Iterator

from ..config import check_date
from ..errors import OptionError
from ..model import MODALITIES
from ..ontology import PLOVER_TYPES, UNTYPED_LABEL
from .schema import connect_read, row_to_event

EVENT_SELECT = ("SELECT e.*, s.num_articles, s.num_sources FROM events e "
                "JOIN stories s ON s.story_id = e.story_id")
ORDER_KEYS = {"date": "e.date", "confidence": "e.confidence", "goldstein": "e.goldstein",
              "num_articles": "s.num_articles"}
_TIEBREAK = "e.doc_id, e.sentence_index, e.event_id"  # a total order: pages never overlap or skip
_CODE = re.compile(r"^[A-Za-z0-9]{2,12}$")
_MAX_TEXT = 500  # longer filter strings are not searches but accidents (or attacks)


@dataclass(frozen=True)
class EventFilter:
    """Filters for events; every field is optional and they combine with AND.

    ``actor``: substring (any case) of either side's code, country, name or text.
    ``country``: ISO3 of either side. ``dyad``: ``"A:B"``, source matches A and target B, where a side
    matches a code when its country equals it or its actor code starts with it (``unordered``: either way).
    ``plover``: PLOVER type. ``cameo``: CAMEO code prefix. ``modality``: asserted/negated/hypothetical/future.
    ``since``/``until``: event dates, inclusive (YYYY-MM-DD). ``min_confidence``: 0-1.
    ``text``: substring (any case) of the evidence sentence. ``doc_id``, ``story_id``: exact.
    """

    actor: str | None = None
    country: str | None = None
    dyad: str | None = None
    unordered: bool = False
    plover: str | None = None
    cameo: str | None = None
    modality: str | None = None
    since: str | None = None
    until: str | None = None
    min_confidence: float | None = None
    text: str | None = None
    doc_id: str | None = None
    story_id: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, False, "") for f in fields(self))

    def validated(self) -> "EventFilter":
        """A normalised copy (upper-case codes, ISO dates); OptionError naming the bad value otherwise."""
        changes: dict[str, Any] = {}
        for name in ("actor", "text", "doc_id", "story_id"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip() or len(value) > _MAX_TEXT):
                raise OptionError(f"{name} filter must be a non-empty string of at most {_MAX_TEXT} characters")
        if self.country is not None:
            if not re.fullmatch(r"[A-Za-z]{3}", self.country or ""):
                raise OptionError(f"country {self.country!r} is not an ISO 3166 alpha-3 code (e.g. ARM)")
            changes["country"] = self.country.upper()
        if self.dyad is not None:
            parts = self.dyad.split(":")
            if len(parts) != 2 or not all(_CODE.match(p.strip()) for p in parts):
                raise OptionError(f"dyad {self.dyad!r} is not A:B with two actor or country codes (e.g. RUS:UKR)")
            changes["dyad"] = ":".join(p.strip().upper() for p in parts)
        if self.plover is not None:
            if self.plover.upper() not in PLOVER_TYPES:
                raise OptionError(f"plover {self.plover!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})")
            changes["plover"] = self.plover.upper()
        if self.cameo is not None and not re.fullmatch(r"\d{1,4}", self.cameo):
            raise OptionError(f"cameo {self.cameo!r} is not a CAMEO code prefix (1-4 digits, e.g. 19 or 0231)")
        if self.modality is not None:
            if self.modality.lower() not in MODALITIES:
                raise OptionError(f"modality {self.modality!r} is not one of {', '.join(MODALITIES)}")
            changes["modality"] = self.modality.lower()
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                try:
                    changes[name] = check_date(str(value))
                except OptionError:
                    raise OptionError(f"{name} date {value!r} is not a date (YYYY-MM-DD)") from None
        since, until = changes.get("since", self.since), changes.get("until", self.until)
        if since and until and since > until:
            raise OptionError(f"since {since} is after until {until}")
        if self.min_confidence is not None:
            try:
                conf = float(self.min_confidence)
            except (TypeError, ValueError):
                raise OptionError(f"min_confidence {self.min_confidence!r} is not a number") from None
            if not 0.0 <= conf <= 1.0:
                raise OptionError(f"min_confidence {conf} is not between 0 and 1")
            changes["min_confidence"] = conf
        return replace(self, **changes)


def _side(prefix: str) -> str:
    return f"(e.{prefix}_country = ? OR starts_with(e.{prefix}_code, ?))"


def where_clause(f: EventFilter) -> tuple[str, list[Any]]:
    """The WHERE clause (fixed SQL with ``?`` placeholders) and its parameters for a validated filter."""
    parts: list[str] = []
    params: list[Any] = []
    if f.actor:
        needle = f.actor.strip().lower()
        cols = [f"{side}_{c}" for side in ("source", "target") for c in ("code", "country", "name", "text")]
        parts.append("(" + " OR ".join(f"contains(lower(coalesce(e.{c}, '')), ?)" for c in cols) + ")")
        params += [needle] * len(cols)
    if f.country:
        parts.append("(e.source_country = ? OR e.target_country = ?)")
        params += [f.country, f.country]
    if f.dyad:
        a, b = f.dyad.split(":")
        ordered = f"({_side('source')} AND {_side('target')})"
        if f.unordered:
            parts.append(f"({ordered} OR ({_side('source')} AND {_side('target')}))")
            params += [a, a, b, b, b, b, a, a]
        else:
            parts.append(ordered)
            params += [a, a, b, b]
    if f.plover:
        parts.append("e.plover = ?")
        params.append(f.plover)
    if f.cameo:
        parts.append("starts_with(e.cameo, ?)")
        params.append(f.cameo)
    if f.modality:
        parts.append("e.modality = ?")
        params.append(f.modality)
    if f.since:
        parts.append("e.date >= CAST(? AS DATE)")
        params.append(f.since)
    if f.until:
        parts.append("e.date <= CAST(? AS DATE)")
        params.append(f.until)
    if f.min_confidence is not None:
        parts.append("e.confidence >= ?")
        params.append(f.min_confidence)
    if f.text:
        parts.append("contains(lower(e.sentence), ?)")
        params.append(f.text.lower())
    if f.doc_id:
        parts.append("e.doc_id = ?")
        params.append(f.doc_id)
    if f.story_id:
        parts.append("e.story_id = ?")
        params.append(f.story_id)
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def order_clause(order: str) -> str:
    """``date``, ``-date`` (newest first), ``confidence``, ``goldstein``, ``num_articles``, each with ``-``."""
    key = order[1:] if order.startswith("-") else order
    if key not in ORDER_KEYS:
        raise OptionError(f"order {order!r} is not one of {', '.join(ORDER_KEYS)} (prefix - for descending)")
    direction = "DESC" if order.startswith("-") else "ASC"
    return f" ORDER BY {ORDER_KEYS[key]} {direction} NULLS LAST, {_TIEBREAK}"


def events_sql(filters: EventFilter | None, order: str = "date", limit: int | None = None,
               offset: int = 0, select: str = EVENT_SELECT) -> tuple[str, list[Any]]:
    """The full SELECT over events (+ story counts) for a filter, validated; used by queries and exports."""
    f = (filters or EventFilter()).validated()
    where, params = where_clause(f)
    sql = select + where + order_clause(order)
    if limit is not None:
        if int(limit) < 0 or int(offset) < 0:
            raise OptionError("limit and offset must not be negative")
        sql += " LIMIT ? OFFSET ?"
        params += [int(limit), int(offset)]
    elif offset:
        sql += " OFFSET ?"
        params.append(int(offset))
    return sql, params


def _dicts(cursor) -> Iterator[dict[str, Any]]:
    cols = [d[0] for d in cursor.description]
    for row in cursor.fetchall():
        yield dict(zip(cols, row))


def event_dict(row: dict[str, Any]) -> dict[str, Any]:
    """A joined events row as the contract dict plus story_id, num_articles, num_sources."""
    ev = row_to_event(row)
    ev["story_id"] = row["story_id"]
    ev["num_articles"] = row["num_articles"]
    ev["num_sources"] = row["num_sources"]
    return ev


def query_events(db_path: str | Path, filters: EventFilter | None = None, limit: int | None = 100,
                 offset: int = 0, order: str = "date") -> list[dict[str, Any]]:
    """Events matching ``filters``, as contract-shaped dicts (``Event.to_dict()`` + story_id,
    num_articles, num_sources). ``limit=None`` returns all. OptionError for invalid filters."""
    sql, params = events_sql(filters, order, limit, offset)
    with connect_read(db_path) as con:
        return [event_dict(r) for r in _dicts(con.execute(sql, params))]


def count_events(db_path: str | Path, filters: EventFilter | None = None) -> int:
    """How many events match ``filters``."""
    f = (filters or EventFilter()).validated()
    where, params = where_clause(f)
    with connect_read(db_path) as con:
        return con.execute("SELECT count(*) FROM events e JOIN stories s ON s.story_id = e.story_id" + where,
                           params).fetchone()[0]


DOC_COLUMNS = ("content_hash", "doc_id", "story_id", "status", "title", "url", "source", "published", "language",
               "provenance", "text", "removed", "num_events", "coder_version", "ingested_at")


def get_document(db_path: str | Path, key: str) -> dict[str, Any] | None:
    """A document by content hash or doc_id, with its story, the story's other articles, and the events
    to show on it (for a duplicate: its canonical article's events, with ``canonical`` telling which).
    Each event carries ``sentence_start``, the offset of its sentence in the canonical text."""
    import json

    with connect_read(db_path) as con:
        cur = con.execute(f"SELECT {', '.join(DOC_COLUMNS)} FROM documents WHERE content_hash = ? OR doc_id = ? "
                          "ORDER BY ingested_at, content_hash LIMIT 1", [key, key])
        docs = list(_dicts(cur))
        if not docs:
            return None
        doc = docs[0]
        doc["removed"] = json.loads(doc["removed"]) if doc["removed"] else []
        doc["published"] = doc["published"].isoformat() if doc["published"] else None
        doc["ingested_at"] = doc["ingested_at"].isoformat() if doc["ingested_at"] else None
        story = list(_dicts(con.execute("SELECT story_id, canonical_hash, canonical_doc_id, title, first_published, "
                                        "num_articles, num_sources FROM stories WHERE story_id = ?",
                                        [doc["story_id"]])))
        doc["story"] = story[0] if story else None
        if doc["story"] and doc["story"]["first_published"]:
            doc["story"]["first_published"] = doc["story"]["first_published"].isoformat()
        doc["articles"] = list(_dicts(con.execute(
            "SELECT content_hash, doc_id, title, source, url, published, status FROM documents "
            "WHERE story_id = ? ORDER BY status, ingested_at, content_hash", [doc["story_id"]])))
        for a in doc["articles"]:
            a["published"] = a["published"].isoformat() if a["published"] else None
        canonical = doc["story"]["canonical_hash"] if doc["story"] else doc["content_hash"]
        doc["canonical"] = canonical
        rows = _dicts(con.execute(EVENT_SELECT + " WHERE e.doc_hash = ?" + order_clause("date"), [canonical]))
        doc["events"] = []
        for r in rows:
            ev = event_dict(r)
            ev["sentence_start"] = r.get("sentence_start")
            doc["events"].append(ev)
    return doc


def list_stories(db_path: str | Path, limit: int = 50, offset: int = 0,
                 min_articles: int = 1) -> list[dict[str, Any]]:
    """Stories, most reported first: id, canonical document, title, first date, articles, sources, events."""
    with connect_read(db_path) as con:
        rows = list(_dicts(con.execute(
            "SELECT s.story_id, s.canonical_hash, s.canonical_doc_id, s.title, s.first_published, s.num_articles, "
            "s.num_sources, (SELECT count(*) FROM events e WHERE e.story_id = s.story_id) AS num_events "
            "FROM stories s WHERE s.num_articles >= ? "
            "ORDER BY s.num_articles DESC, s.first_published NULLS LAST, s.story_id LIMIT ? OFFSET ?",
            [int(min_articles), int(limit), int(offset)])))
    for r in rows:
        r["first_published"] = r["first_published"].isoformat() if r["first_published"] else None
    return rows


def list_rejections(db_path: str | Path, reason: str | None = None, limit: int = 100,
                    offset: int = 0) -> list[dict[str, Any]]:
    """Rejected documents with provenance, reason and message (optionally of one reason)."""
    sql = "SELECT rejection_id, doc_id, provenance, reason, message, content_hash, ingested_at FROM rejections"
    params: list[Any] = []
    if reason:
        sql += " WHERE reason = ?"
        params.append(reason)
    sql += " ORDER BY ingested_at, provenance, rejection_id LIMIT ? OFFSET ?"
    params += [int(limit), int(offset)]
    with connect_read(db_path) as con:
        return list(_dicts(con.execute(sql, params)))


def store_stats(db_path: str | Path) -> dict[str, Any]:
    """Figures for a dashboard's front page: documents by status, stories, events by PLOVER type,
    rejections by reason, the event date range, schema version and coder versions."""
    with connect_read(db_path) as con:
        one = lambda sql: con.execute(sql).fetchone()  # noqa: E731
        by_status = dict(con.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall())
        first, last = one("SELECT min(date), max(date) FROM events")
        return {
            "documents": sum(by_status.values()),
            "coded": by_status.get("coded", 0),
            "duplicates": by_status.get("duplicate", 0),
            "stories": one("SELECT count(*) FROM stories")[0],
            "multi_article_stories": one("SELECT count(*) FROM stories WHERE num_articles > 1")[0],
            "events": one("SELECT count(*) FROM events")[0],
            "events_by_plover": {k or UNTYPED_LABEL: v for k, v in con.execute(
                "SELECT plover, count(*) FROM events GROUP BY plover ORDER BY count(*) DESC, plover").fetchall()},
            "rejections": dict(con.execute(
                "SELECT reason, count(*) FROM rejections GROUP BY reason ORDER BY reason").fetchall()),
            "first_date": first.isoformat() if first else None,
            "last_date": last.isoformat() if last else None,
            "schema_version": int(one("SELECT value FROM meta WHERE key = 'schema_version'")[0]),
            "coder_versions": [r[0] for r in con.execute(
                "SELECT DISTINCT coder_version FROM documents ORDER BY 1").fetchall()],
        }


__all__ = ["EventFilter", "query_events", "count_events", "get_document", "list_stories", "list_rejections",
           "store_stats", "events_sql", "where_clause", "event_dict"]

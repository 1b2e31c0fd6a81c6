"""What the dashboard shows, computed from the store's library functions (no SQL here: DuckDB lives in store/).

:class:`StoreView` wraps one database path. Filtered lists and counts go straight to
:func:`casus.store.query_events` / :func:`casus.store.count_events` (each opens its own read-only
connection, so the dashboard works while ``casus ingest`` writes). Views that need every event (alerts,
dyad and actor aggregates, an event by id) share one in-memory snapshot of the events, reloaded when
the store changes: the key is the database file's and its WAL's size and modification time plus the
event count, so a request after an ingest commit always sees the new events.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..analytics.escalation import AlertOptions, find_alerts
from ..analytics.series import actor_identity, build_series, dyad_label, dyad_of
from ..errors import OptionError
from ..store import EventFilter, count_events, get_document, query_events
from ..store.queries import store_stats

CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
MAX_CODE = 12  # CAMEO-style actor codes are 3-12 characters (ARM, ARMGOV, IGOEUNCOE)


def check_code(value: str, what: str = "actor") -> str:
    """An actor or country code, upper-cased; OptionError when it is not 2-12 letters/digits."""
    code = (value or "").strip().upper()
    if not 2 <= len(code) <= MAX_CODE or not set(code) <= CODE_CHARS:
        raise OptionError(f"{what} {value!r} is not an actor or country code (2-12 letters or digits, e.g. ARM "
                          "or ARMGOV)")
    return code


def side_matches(actor: dict[str, Any] | None, code: str) -> bool:
    """The store's dyad rule: a side matches ``code`` when its country equals it or its code starts with it."""
    if not actor:
        return False
    return actor.get("country") == code or (actor.get("code") or "").startswith(code)


@dataclass
class Snapshot:
    key: tuple
    events: list[dict[str, Any]]
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)


class StoreView:
    """Read-only views over one casus database for the API and the pages."""

    def __init__(self, db_path: str | Path) -> None:
        self.db = Path(db_path)
        self._lock = threading.Lock()
        self._snap: Snapshot | None = None

    # ------------------------------------------------------------ the snapshot of all events

    def _key(self) -> tuple:
        parts: list[Any] = []
        for p in (self.db, Path(str(self.db) + ".wal")):
            try:
                st = p.stat()
                parts += [st.st_mtime_ns, st.st_size]
            except OSError:
                parts += [None, None]
        parts.append(count_events(self.db))  # raises E407 when there is no database yet
        return tuple(parts)

    def snapshot(self) -> Snapshot:
        key = self._key()
        with self._lock:
            if self._snap is not None and self._snap.key == key:
                return self._snap
        events = query_events(self.db, None, limit=None, order="date")
        snap = Snapshot(key, events, {e["event_id"]: e for e in events})
        with self._lock:
            self._snap = snap
        return snap

    # ------------------------------------------------------------ simple pass-throughs

    def events(self, filters: EventFilter, limit: int, offset: int, order: str) -> tuple[int, list[dict]]:
        """(total, page) for a filter; OptionError for a bad filter."""
        items = query_events(self.db, filters, limit=limit, offset=offset, order=order)
        return count_events(self.db, filters), items

    def document(self, key: str) -> dict[str, Any] | None:
        return get_document(self.db, key)

    def stats(self) -> dict[str, Any]:
        return store_stats(self.db)

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event by id (an event id belongs to exactly one stored event)."""
        return self.snapshot().by_id.get(event_id)

    # ------------------------------------------------------------ analytics views

    def alerts(self, since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
        """Escalation alerts over every stored event (see casus.analytics.escalation), newest week first."""
        opts = AlertOptions(since=since, until=until).validated()
        alerts = [a.to_dict() for a in find_alerts(self.snapshot().events, opts)]
        return sorted(alerts, key=lambda a: (a["week_start"], a["z"]), reverse=True)

    def top_dyads(self, n: int = 10) -> list[dict[str, Any]]:
        """The most active unordered dyads (asserted events): events, conflict/cooperation split, mean Goldstein."""
        agg: dict[str, dict[str, Any]] = {}
        for ev in self.snapshot().events:
            if ev.get("modality") != "asserted":
                continue
            d = dyad_of(ev)
            if d is None:
                continue
            row = agg.setdefault(dyad_label(d), {"dyad": dyad_label(d), "a": d[0], "b": d[1], "events": 0,
                                                 "cooperation": 0, "conflict": 0, "goldstein_sum": 0.0})
            row["events"] += 1
            row["conflict" if (ev.get("quad_class") or 0) >= 3 else "cooperation"] += 1
            row["goldstein_sum"] += float(ev.get("goldstein") or 0.0)
        rows = sorted(agg.values(), key=lambda r: (-r["events"], r["dyad"]))[:n]
        for r in rows:
            r["goldstein_mean"] = round(r.pop("goldstein_sum") / r["events"], 2)
        return rows

    def volume(self, freq: str = "week", max_periods: int = 60) -> list[dict[str, Any]]:
        """Counts of all asserted events per period (last ``max_periods`` with data)."""
        rows = [r.to_dict() for r in build_series(self.snapshot().events, by="all", freq=freq, fill=True)]
        return rows[-max_periods:]

    def dyad_events(self, a: str, b: str, since: str | None = None, until: str | None = None) -> list[dict]:
        """Every event between ``a`` and ``b`` (either direction), oldest first."""
        f = EventFilter(dyad=f"{a}:{b}", unordered=True, since=since, until=until)
        return query_events(self.db, f, limit=None, order="date")

    def actor_events(self, code: str, since: str | None = None, until: str | None = None) -> list[dict]:
        """Every event where either side is ``code`` (country, or code prefix: ARM matches ARMGOV)."""
        f = EventFilter(actor=code, since=since, until=until)  # a superset (substring match), narrowed below
        return [e for e in query_events(self.db, f, limit=None, order="date")
                if side_matches(e.get("source"), code) or side_matches(e.get("target"), code)]

    # ------------------------------------------------------------ actors

    def partners(self, code: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The actor's partners: identity, events, conflict/cooperation split and mean Goldstein, busiest first."""
        agg: dict[str, dict[str, Any]] = {}
        for ev in events:
            s, t = ev.get("source"), ev.get("target")
            mine_s, mine_t = side_matches(s, code), side_matches(t, code)
            if mine_s == mine_t:  # internal (both sides are the actor) or neither
                continue
            other = actor_identity(t if mine_s else s)
            if not other or other == code:
                continue
            row = agg.setdefault(other, {"partner": other, "events": 0, "as_source": 0, "as_target": 0,
                                         "cooperation": 0, "conflict": 0, "goldstein_sum": 0.0})
            row["events"] += 1
            row["as_source" if mine_s else "as_target"] += 1
            row["conflict" if (ev.get("quad_class") or 0) >= 3 else "cooperation"] += 1
            row["goldstein_sum"] += float(ev.get("goldstein") or 0.0)
        rows = sorted(agg.values(), key=lambda r: (-r["events"], r["partner"]))
        for r in rows:
            r["goldstein_mean"] = round(r.pop("goldstein_sum") / r["events"], 2)
        return rows

    def store_actors(self, q: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """Actors seen in the store (as source or target), busiest first; ``q`` filters by code, country or
        name (any case)."""
        needle = (q or "").strip().lower()
        agg: dict[tuple, dict[str, Any]] = {}
        for ev in self.snapshot().events:
            for side in ("source", "target"):
                a = ev.get(side)
                if not a or not (a.get("code") or a.get("country")):
                    continue
                hay = " ".join(str(a.get(k) or "") for k in ("code", "country", "name")).lower()
                if needle and needle not in hay:
                    continue
                key = (a.get("code"), a.get("country"), a.get("name"))
                row = agg.setdefault(key, {"code": a.get("code"), "country": a.get("country"), "name": a.get("name"),
                                           "kind": a.get("kind"), "sector": a.get("sector"), "events": 0})
                row["events"] += 1
        return sorted(agg.values(), key=lambda r: (-r["events"], r["code"] or "", r["name"] or ""))[:limit]


def search_kb(q: str, limit: int = 20) -> list[dict[str, Any]]:
    """Entities of the actor knowledge base whose name, alias or code contains ``q`` (any case); names that
    start with ``q`` first."""
    from ..actors.kb import default_kb

    needle = q.strip().lower()
    if not needle:
        return []
    found: dict[tuple, dict[str, Any]] = {}
    for alias in default_kb().aliases:
        e = alias.entity
        form = alias.form.lower()
        if needle not in form and needle not in (e.code or "").lower() and needle not in e.name.lower():
            continue
        key = (e.code, e.country, e.name, e.role)
        rank = 0 if e.name.lower().startswith(needle) or (e.code or "").lower() == needle else 1
        row = found.get(key)
        if row is None or rank < row["_rank"]:
            found[key] = {"code": e.code, "country": e.country, "name": e.name, "kind": e.kind, "sector": e.sector,
                          "role": e.role, "matched": alias.form, "_rank": rank}
    rows = sorted(found.values(), key=lambda r: (r["_rank"], r["kind"] != "state", r["name"]))[:limit]
    for r in rows:
        del r["_rank"]
    return rows


@lru_cache(maxsize=1)
def _kb_index() -> tuple[frozenset, frozenset]:
    """Every code and every name the knowledge base knows."""
    from ..actors.kb import default_kb

    entities = {a.entity for a in default_kb().aliases}
    return frozenset(e.code for e in entities if e.code), frozenset(e.name for e in entities)


def search_actors(view: StoreView, q: str | None, limit: int = 20) -> list[dict[str, Any]]:
    """Actors seen in the store matching ``q`` (busiest first), then knowledge-base entities matching it that
    the store has not seen. Each row says ``events`` (in the store), ``in_store`` and ``in_kb``. Without
    ``q``: the busiest actors of the store."""
    codes, names = _kb_index()
    rows: list[dict[str, Any]] = [{**r, "in_store": True, "in_kb": r["code"] in codes or r["name"] in names}
                                  for r in view.store_actors(q, limit=limit)]
    seen = {(r["code"], r["name"]) for r in rows}
    for k in search_kb(q or "", limit=limit):
        if (k["code"], k["name"]) not in seen:
            rows.append({**k, "events": 0, "in_kb": True, "in_store": False})
    return rows[:limit]


__all__ = ["StoreView", "Snapshot", "check_code", "side_matches", "search_kb", "search_actors"]

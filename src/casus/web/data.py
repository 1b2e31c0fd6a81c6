"""What the dashboard shows, computed from the store's library functions (no SQL here: DuckDB lives in store/).

:class:`StoreView` wraps one database path. Every view asks the store for what it shows and nothing more:
filtered pages and counts (:func:`casus.store.query_events`, :func:`casus.store.count_events`), one event
by id, and aggregates computed in DuckDB (:mod:`casus.store.aggregates`: counts per period, dyad, partner
and actor, the key and latest events, the escalation inputs). No view reads every event, so memory stays
flat however large the store. Each call opens its own read-only connection, so the dashboard works while
``casus ingest`` writes.

Aggregates of the whole store (the overview's dyads, weekly volume and date span, and the escalation alerts
that the overview and every dyad page show) are kept between requests, keyed by the database file's and its
WAL's size and modification time plus the number of events and documents, so a request after an ingest
commit always sees the new events. They are small (tens of rows, and the alerts).
"""
from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from ..analytics.escalation import AlertOptions
from ..analytics.load import store_alerts, store_series
from ..analytics.series import goldstein_mean
from ..errors import OptionError
from ..store import EventFilter, count_events, get_document, query_events
from ..store import aggregates
from ..store.queries import store_stats

CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
MAX_CODE = 12  # CAMEO-style actor codes are 3-12 characters (ARM, ARMGOV, IGOEUNCOE)
MAX_PERIODS = 60  # periods drawn in a timeline: a bit over a year of weeks stays legible in a 1160-px chart


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


def _with_mean(row: dict[str, Any]) -> dict[str, Any]:
    """A dyad or partner row with ``cooperation`` (events minus conflict) and ``goldstein_mean`` (2 digits)."""
    units = row.pop("goldstein_units")
    row["cooperation"] = row["events"] - row["conflict"]
    row["goldstein_mean"] = goldstein_mean(units, row["events"], 2)
    return row


class StoreView:
    """Read-only views over one casus database for the API and the pages."""

    def __init__(self, db_path: str | Path) -> None:
        self.db = Path(db_path)
        self._lock = threading.Lock()
        self._cache: dict[Any, tuple[tuple, Any]] = {}

    # ------------------------------------------------------------ the cache of whole-store aggregates

    def _key(self) -> tuple:
        """Changes whenever the store does: file and WAL size and mtime, and the events and documents stored."""
        parts: list[Any] = []
        for p in (self.db, Path(str(self.db) + ".wal")):
            try:
                st = p.stat()
                parts += [st.st_mtime_ns, st.st_size]
            except OSError:
                parts += [None, None]
        parts += aggregates.data_version(self.db)  # raises E407 when there is no database yet
        return tuple(parts)

    def _cached(self, name: Any, compute: Callable[[], Any], key: tuple | None = None) -> Any:
        """``compute()``, or its value from an earlier call when the store has not changed since."""
        key = key if key is not None else self._key()
        with self._lock:
            hit = self._cache.get(name)
            if hit is not None and hit[0] == key:
                return hit[1]
        value = compute()
        with self._lock:
            self._cache[name] = (key, value)
        return value

    # ------------------------------------------------------------ events and documents

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
        return aggregates.get_event(self.db, event_id)

    # ------------------------------------------------------------ analytics views

    def overview(self) -> dict[str, Any]:
        """What the overview shows: ``stats``, ``dyads`` (the 10 busiest), weekly ``volume``, ``span`` (first
        and last day-precise date) and ``alerts``; all but the figures kept until the store changes."""
        stats = self.stats()
        key = self._key()
        return {"stats": stats, "dyads": self.top_dyads(10, key=key), "volume": self.volume(key=key),
                "span": self._cached("span", lambda: aggregates.day_span(self.db), key),
                "alerts": self.alerts(key=key)}

    def alerts(self, since: str | None = None, until: str | None = None, *,
               key: tuple | None = None) -> list[dict[str, Any]]:
        """Escalation alerts over every stored event (see casus.analytics.escalation), newest week first."""
        opts = AlertOptions(since=since, until=until).validated()

        def compute() -> list[dict[str, Any]]:
            alerts = (a.to_dict() for a in store_alerts(self.db, opts))
            return sorted(alerts, key=lambda a: (a["week_start"], a["z"]), reverse=True)

        if opts.since is None and opts.until is None:  # the overview's and the dyad pages' question: kept
            return self._cached("alerts", compute, key)
        return compute()

    def top_dyads(self, n: int = 10, *, key: tuple | None = None) -> list[dict[str, Any]]:
        """The most active unordered dyads (asserted events): events, conflict/cooperation split, mean Goldstein."""
        def compute() -> list[dict[str, Any]]:
            rows = []
            for r in aggregates.top_dyads(self.db, n):
                r = _with_mean(r)
                rows.append({"dyad": f"{r['a']}:{r['b']}", "a": r["a"], "b": r["b"], "events": r["events"],
                             "cooperation": r["cooperation"], "conflict": r["conflict"],
                             "goldstein_mean": r["goldstein_mean"]})
            return rows

        return self._cached(("top_dyads", int(n)), compute, key)

    def series(self, filters: EventFilter | None = None, *, party: str | None = None, key: str = "*",
               period: str = "week", modality: str | None = "asserted", fill: bool = True,
               source: aggregates.Source | None = None) -> list[dict[str, Any]]:
        """Counts per period (series rows as dicts, see casus.analytics.series) of the events matching
        ``filters`` and, with ``party``, having a side that matches that code."""
        rows = store_series(source or self.db, filters, party=party, key=key, freq=period, modality=modality,
                            fill=fill)
        return [r.to_dict() for r in rows]

    def volume(self, freq: str = "week", max_periods: int = MAX_PERIODS, *,
               key: tuple | None = None) -> list[dict[str, Any]]:
        """Counts of all asserted events per period (last ``max_periods`` with data)."""
        return self._cached(("volume", freq, max_periods), lambda: self.series(period=freq)[-max_periods:], key)

    def dyad(self, a: str, b: str, *, key_events: int = 8) -> dict[str, Any]:
        """What the dyad page shows about ``a`` and ``b`` (either direction): ``total``, ``a_to_b``,
        ``b_to_a``, ``by_plover`` (``[(type, events)]``, busiest first), ``weekly`` (last weeks of asserted
        events) and ``key_events``."""
        f = EventFilter(dyad=f"{a}:{b}", unordered=True)
        with aggregates.reader(self.db) as r:
            out = aggregates.dyad_summary(r, a, b)
            out["weekly"] = self.series(f, source=r)[-MAX_PERIODS:]
            out["key_events"] = aggregates.key_events(r, f, limit=key_events)
        return out

    def actor(self, code: str, *, latest: int = 25) -> dict[str, Any]:
        """What the actor page shows about ``code`` (events where either side is ``code``: its country, or a
        code prefix, ARM matching ARMGOV): ``total``, ``partners``, ``latest`` events (newest first) and
        ``weekly``."""
        with aggregates.reader(self.db) as r:
            return {"total": aggregates.count_party(r, code),
                    "partners": [_with_mean(p) for p in aggregates.partners(r, code)],
                    "latest": aggregates.latest_events(r, party=code, limit=latest),
                    "weekly": self.series(party=code, source=r)[-MAX_PERIODS:]}

    def store_actors(self, q: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """Actors seen in the store (as source or target), busiest first; ``q`` filters by code, country or
        name (any case)."""
        return aggregates.store_actors(self.db, q, limit)


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


__all__ = ["StoreView", "check_code", "side_matches", "search_kb", "search_actors", "MAX_PERIODS"]

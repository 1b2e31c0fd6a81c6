"""Aggregates over the event store, computed in DuckDB: what the dashboard and the analytics need without
reading every event into Python.

Each function takes a database path, and opens one read-only connection (``connect_read``) for its
queries, or a connection from :func:`reader`, so that a page asking several questions opens the file once;
it returns plain rows: counts per period, dyad, partner or actor, a bounded page of events, one event by id,
and the inputs of the escalation alerts. SQL is assembled from fixed fragments; every user value is a bound
parameter.

Definitions shared with :mod:`casus.analytics.series` (which states them in full and applies them to event
dicts; tests check that both give the same results):

* an actor's **identity** (``_identity``): its country, else its code, unless the code is a bare sector
  (no country, no name, code = sector: ``MIL`` for "soldiers" of unknown side);
* an actor **matches a code** (``_matches``) when its country equals it or its actor code starts with it,
  the rule of ``EventFilter.dyad`` (``ARM`` matches ``ARMGOV``);
* an event enters a **period** (day, ISO week, month) only when its date is at least that precise.
"""
from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Union

import duckdb

from ..errors import OptionError
from ..model import MODALITIES
from .queries import EVENT_SELECT, EventFilter, _dicts, event_dict, where_clause
from .schema import connect_read

Source = Union[str, Path, duckdb.DuckDBPyConnection]  # a database path, or a connection from reader()
FREQS = ("day", "week", "month")
_PERIOD = {"day": "e.date", "week": "CAST(date_trunc('week', e.date) AS DATE)",
           "month": "CAST(date_trunc('month', e.date) AS DATE)"}
# date precisions too coarse for a period: a month-precise date lands in no week (see analytics.series)
_TOO_COARSE = {"day": "('week', 'month', 'year')", "week": "('month', 'year')", "month": "('year')"}
_FROM = " FROM events e JOIN stories s ON s.story_id = e.story_id"
_NO_DATE = 10**9  # an undated event's day number: after every date (query_events' order puts them last)
_DATE_ORDER = "e.date ASC NULLS LAST, e.doc_id, e.sentence_index, e.event_id"  # query_events' order="date"
_ARTICLES = "coalesce(nullif(s.num_articles, 0), 1)"  # a story has at least one article
_SOURCES = "coalesce(nullif(s.num_sources, 0), 1)"
# Goldstein scores in whole millionths, summed exactly: analytics.series.goldstein_units, the same formula
_UNITS = "CAST(floor(coalesce(e.goldstein, 0.0) * 1000000 + 0.5) AS BIGINT)"


def reader(db_path: str | Path):
    """One read-only connection for several questions (``with reader(db) as r: top_dyads(r); ...``)."""
    return connect_read(db_path)


@contextmanager
def _reader(db: Source) -> Iterator[duckdb.DuckDBPyConnection]:
    if isinstance(db, duckdb.DuckDBPyConnection):
        yield db
    else:
        with connect_read(db) as con:
            yield con


def data_version(db: Source) -> tuple[int, int]:
    """(events, documents) stored: with the file's size and time, tells a cache that the store changed."""
    with _reader(db) as con:
        return con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM documents)").fetchone()


def _identity(side: str) -> str:
    """SQL for one side's identity (``analytics.series.actor_identity``): country, else a named code."""
    country, code, name, sector = (f"e.{side}_{f}" for f in ("country", "code", "name", "sector"))
    return (f"(CASE WHEN coalesce({country}, '') <> '' THEN {country} WHEN coalesce({code}, '') = '' THEN NULL "
            f"WHEN coalesce({name}, '') = '' AND {code} = {sector} THEN NULL ELSE {code} END)")


def _matches(side: str) -> str:
    """SQL (two ``?``: the code twice) that is true when one side matches a code, false otherwise (never NULL)."""
    return f"(coalesce(e.{side}_country = ?, false) OR coalesce(starts_with(e.{side}_code, ?), false))"


def _period_ok(freq: str) -> str:
    return f"e.date IS NOT NULL AND coalesce(e.date_precision, 'day') NOT IN {_TOO_COARSE[freq]}"


def _where(filters: EventFilter | None, party: str | None = None,
           extra: Iterable[str] = ()) -> tuple[str, list[Any]]:
    """The WHERE clause of a validated filter, narrowed to events where either side matches ``party`` and
    by the fixed SQL conditions in ``extra``."""
    where, params = where_clause((filters or EventFilter()).validated())
    parts = [where[len(" WHERE "):]] if where else []
    if party:
        parts.append(f"({_matches('source')} OR {_matches('target')})")
        params += [party] * 4
    parts += list(extra)
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def _check_freq(freq: str) -> None:
    if freq not in FREQS:
        raise OptionError(f"period {freq!r} is not one of {', '.join(FREQS)}")


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


# ---------------------------------------------------------------- single events, bounded pages

def get_event(db: Source, event_id: str) -> dict[str, Any] | None:
    """One event by id (as ``query_events`` returns it), or None."""
    with _reader(db) as con:
        rows = list(_dicts(con.execute(EVENT_SELECT + " WHERE e.event_id = ? ORDER BY " + _DATE_ORDER + " LIMIT 1",
                                       [event_id])))
    return event_dict(rows[0]) if rows else None


def _page(db: Source, where: str, params: list[Any], order: str, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` events in ``order``: sorted on the order's columns alone, then only those rows
    read whole (sorting whole rows to keep a few costs several times more on a large store)."""
    sql = (f"WITH p AS (SELECT e.rowid AS _rid{_FROM}{where} ORDER BY {order} LIMIT ?) "
           f"{EVENT_SELECT} JOIN p ON p._rid = e.rowid ORDER BY {order}")
    with _reader(db) as con:
        return [event_dict(r) for r in _dicts(con.execute(sql, params + [int(limit)]))]


def latest_events(db: Source, filters: EventFilter | None = None, *, party: str | None = None,
                  limit: int = 25) -> list[dict[str, Any]]:
    """The last ``limit`` events in ``query_events``' date order, last first (undated events count as the
    latest, as they sort last in that order)."""
    where, params = _where(filters, party)
    return _page(db, where, params, "e.date DESC NULLS FIRST, e.doc_id DESC, e.sentence_index DESC, e.event_id DESC",
                 limit)


def key_events(db: Source, filters: EventFilter | None = None, *, party: str | None = None,
               limit: int = 8) -> list[dict[str, Any]]:
    """The asserted events to read first: gravest or most cooperative (|Goldstein| x confidence), then best
    attested (articles), then oldest (undated first); ties in ``query_events``' date order."""
    where, params = _where(filters, party, ["e.modality = 'asserted'"])
    order = (f"-abs(coalesce(e.goldstein, 0.0)) * coalesce(e.confidence, 0.0), -{_ARTICLES}, "
             "e.date ASC NULLS FIRST, e.doc_id, e.sentence_index, e.event_id")
    return _page(db, where, params, order, limit)


# ---------------------------------------------------------------- series

def series_counts(db: Source, filters: EventFilter | None = None, *, party: str | None = None,
                  freq: str = "week", modalities: Iterable[str] = ("asserted",)) -> list[dict[str, Any]]:
    """Counts per (period, modality) of the events matching ``filters`` (and ``party``, either side), one
    dict per bin with data, sorted by modality and period: ``period`` (first day), ``modality``, ``events``,
    ``by_plover`` (PLOVER type, None for statements → count, in order of first event), ``by_quad``
    (1-4 → count), ``goldstein_units`` (the sum of the scores in millionths), and ``stories``,
    ``articles``, ``sources`` over distinct stories."""
    _check_freq(freq)
    wanted = sorted(set(modalities))
    if not wanted or not set(wanted) <= set(MODALITIES):
        raise OptionError(f"modality {', '.join(wanted) or '(none)'} is not one of {', '.join(MODALITIES)}")
    mods = f"coalesce(nullif(e.modality, ''), 'asserted') IN ({', '.join('?' * len(wanted))})"
    where, params = _where(filters, party, [_period_ok(freq), mods])
    params += wanted
    binned = (f"SELECT {_PERIOD[freq]} AS period, coalesce(nullif(e.modality, ''), 'asserted') AS modality, "
              f"nullif(e.plover, '') AS plover, e.quad_class AS quad, {_UNITS} AS units, "
              f"e.story_id, {_ARTICLES} AS articles, {_SOURCES} AS sources, "
              f"(e.date, e.doc_id, e.sentence_index, e.event_id) AS first{_FROM}{where}")
    quads = ", ".join(f"count(*) FILTER (WHERE quad = {q}) AS q{q}" for q in (1, 2, 3, 4))
    per_story = (f"SELECT period, modality, story_id, count(*) AS n, {quads}, sum(units) AS g, "
                 f"any_value(articles) AS articles, any_value(sources) AS sources FROM binned GROUP BY ALL")
    totals = (f"WITH binned AS ({binned}), per_story AS ({per_story}) "
              "SELECT period, modality, sum(n), sum(q1), sum(q2), sum(q3), sum(q4), sum(g), count(*), "
              "sum(articles), sum(sources) FROM per_story GROUP BY ALL ORDER BY modality, period")
    plovers = (f"WITH binned AS ({binned}) SELECT period, modality, plover, count(*), min(first) "
               "FROM binned GROUP BY ALL")
    with _reader(db) as con:
        rows = con.execute(totals, params).fetchall()
        types = con.execute(plovers, params).fetchall()
    firsts: dict[tuple, list[tuple]] = {}
    for period, mod, plover, n, first in types:
        firsts.setdefault((period, mod), []).append((first, plover, n))
    out = []
    for period, mod, n, q1, q2, q3, q4, g, stories, articles, sources in rows:
        by_plover = {p: c for _, p, c in sorted(firsts.get((period, mod), []), key=lambda t: t[0])}
        out.append({"period": period, "modality": mod, "events": int(n), "by_plover": by_plover,
                    "by_quad": {1: int(q1), 2: int(q2), 3: int(q3), 4: int(q4)}, "goldstein_units": int(g),
                    "stories": int(stories), "articles": int(articles), "sources": int(sources)})
    return out


# ---------------------------------------------------------------- dyads, actors, partners

def top_dyads(db: Source, limit: int = 10) -> list[dict[str, Any]]:
    """The unordered dyads (two distinct identities) with the most asserted events, busiest first (ties by
    ``A:B``): ``a``, ``b``, ``events``, ``conflict`` (QuadClass 3-4), ``goldstein_units`` (millionths)."""
    sql = (f"WITH d AS (SELECT {_identity('source')} AS i, {_identity('target')} AS j, e.quad_class, "
           f"{_UNITS} AS units FROM events e WHERE e.modality = 'asserted'), "
           "p AS (SELECT least(i, j) AS a, greatest(i, j) AS b, quad_class, units FROM d "
           "WHERE i IS NOT NULL AND j IS NOT NULL AND i <> j) "
           "SELECT a, b, count(*) AS events, count(*) FILTER (WHERE coalesce(quad_class, 0) >= 3) AS conflict, "
           "sum(units) AS goldstein_units FROM p GROUP BY a, b ORDER BY events DESC, a || ':' || b LIMIT ?")
    with _reader(db) as con:
        return list(_dicts(con.execute(sql, [int(limit)])))


def dyad_summary(db: Source, a: str, b: str, *, since: str | None = None,
                 until: str | None = None) -> dict[str, Any]:
    """Events between ``a`` and ``b`` (either direction, sides matched as in ``EventFilter.dyad``):
    ``total``, ``a_to_b`` and ``b_to_a`` (events whose source matches ``a``, resp. ``b``), and ``by_plover``:
    ``[(PLOVER type or None, events)]``, busiest first, ties in order of first event."""
    where, params = _where(EventFilter(dyad=f"{a}:{b}", unordered=True, since=since, until=until))
    sql = (f"SELECT count(*), count(*) FILTER (WHERE {_matches('source')}), "
           f"count(*) FILTER (WHERE {_matches('source')}) FROM events e{where}")
    types = (f"SELECT nullif(e.plover, '') AS plover, count(*) AS n, min((e.date IS NULL, "
             f"coalesce(e.date, DATE '0001-01-01'), e.doc_id, e.sentence_index, e.event_id)) AS first "
             f"FROM events e{where} GROUP BY ALL ORDER BY n DESC, first")
    with _reader(db) as con:
        total, a_to_b, b_to_a = con.execute(sql, [a, a, b, b] + params).fetchone()
        by_plover = [(p, n) for p, n, _ in con.execute(types, params).fetchall()]
    return {"total": total, "a_to_b": a_to_b, "b_to_a": b_to_a, "by_plover": by_plover}


def count_party(db: Source, code: str, filters: EventFilter | None = None) -> int:
    """How many events have a side matching ``code`` (and match ``filters``)."""
    where, params = _where(filters, code)
    with _reader(db) as con:
        return con.execute("SELECT count(*) FROM events e" + where, params).fetchone()[0]


def partners(db: Source, code: str, filters: EventFilter | None = None) -> list[dict[str, Any]]:
    """The partners of ``code``: for events where exactly one side matches it, the other side's identity
    (not ``code`` itself) with ``events``, ``as_source`` (``code`` acts), ``as_target``, ``conflict``
    (QuadClass 3-4) and ``goldstein_units`` (millionths); busiest first, ties by partner."""
    where, params = _where(filters, code)
    sql = (f"WITH m AS (SELECT {_matches('source')} AS ms, {_matches('target')} AS mt, "
           f"{_identity('source')} AS i, {_identity('target')} AS j, e.quad_class, {_UNITS} AS units "
           f"FROM events e{where}), p AS (SELECT CASE WHEN ms THEN j ELSE i END AS partner, * FROM m WHERE ms <> mt) "
           "SELECT partner, count(*) AS events, count(*) FILTER (WHERE ms) AS as_source, "
           "count(*) FILTER (WHERE mt) AS as_target, count(*) FILTER (WHERE coalesce(quad_class, 0) >= 3) AS conflict, "
           "sum(units) AS goldstein_units FROM p WHERE partner IS NOT NULL AND partner <> ? "
           "GROUP BY partner ORDER BY events DESC, partner")
    with _reader(db) as con:
        return list(_dicts(con.execute(sql, [code] * 4 + params + [code])))


def store_actors(db: Source, q: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Actors seen as source or target (with a code or a country), one row per (code, country, name) with
    the kind and sector of its first mention and its number of mentions (``events``), busiest first (ties by
    code, name, first mention); ``q``: substring (any case) of code, country or name."""
    needle = (q or "").strip().lower()
    having = ("HAVING contains(lower(concat_ws(' ', coalesce(code, ''), coalesce(country, ''), coalesce(name, ''))), ?)"
              if needle else "")
    # 1. count mentions per actor and keep the busiest (with every actor tied at the cut)
    counts = " UNION ALL ".join(
        f"SELECT e.{s}_code AS code, e.{s}_country AS country, e.{s}_name AS name FROM events e "
        f"WHERE coalesce(e.{s}_code, '') <> '' OR coalesce(e.{s}_country, '') <> ''" for s in ("source", "target"))
    top = (f"SELECT code, country, name, count(*) AS events FROM ({counts}) GROUP BY code, country, name {having} "
           "QUALIFY rank() OVER (ORDER BY count(*) DESC, coalesce(code, ''), coalesce(name, '')) <= ?")
    # 2. only for those: the kind and sector of the first mention (query_events' date order, source first);
    # the earliest date first (cheap integers), then the full order among that date's mentions only
    mentions = " UNION ALL ".join(
        f"SELECT t.code, t.country, t.name, t.events, e.{s}_kind AS kind, e.{s}_sector AS sector, "
        f"coalesce(CAST(e.date - DATE '0001-01-01' AS BIGINT), {_NO_DATE}) AS d, "
        f"(e.doc_id, e.sentence_index, e.event_id, {rank}) AS k FROM events e JOIN top t "
        f"ON e.{s}_code IS NOT DISTINCT FROM t.code AND e.{s}_country IS NOT DISTINCT FROM t.country "
        f"AND e.{s}_name IS NOT DISTINCT FROM t.name" for rank, s in enumerate(("source", "target")))
    same = " AND ".join(f"m.{c} IS NOT DISTINCT FROM f.{c}" for c in ("code", "country", "name"))
    sql = (f"WITH top AS ({top}), m AS ({mentions}), "
           "f AS (SELECT code, country, name, min(d) AS d FROM m GROUP BY ALL) "
           "SELECT m.code, m.country, m.name, arg_min(m.kind, m.k) AS kind, arg_min(m.sector, m.k) AS sector, "
           f"any_value(m.events) AS events FROM m JOIN f ON {same} AND m.d = f.d GROUP BY m.code, m.country, m.name "
           "ORDER BY events DESC, coalesce(m.code, ''), coalesce(m.name, ''), any_value(f.d), min(m.k) LIMIT ?")
    with _reader(db) as con:
        return list(_dicts(con.execute(sql, ([needle] if needle else []) + [int(limit), int(limit)])))


def day_span(db: Source) -> tuple[str, str] | None:
    """The first and last dates of events dated to the day, or None."""
    with _reader(db) as con:
        first, last = con.execute("SELECT min(date), max(date) FROM events WHERE date_precision = 'day'").fetchone()
    return (first.isoformat(), last.isoformat()) if first else None


# ---------------------------------------------------------------- escalation inputs

_CONFLICT = ("coalesce(nullif(e.modality, ''), 'asserted') = 'asserted' AND e.quad_class IN (3, 4) "
             "AND e.goldstein < 0")  # intensity max(0, -goldstein) > 0, asserted events only


def _date_range(since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    parts, params = [], []
    if since:
        parts.append("e.date >= CAST(? AS DATE)")
        params.append(since)
    if until:
        parts.append("e.date <= CAST(? AS DATE)")
        params.append(until)
    return parts, params


def conflict_weeks(db: Source, since: str | None = None,
                   until: str | None = None) -> tuple[list[dt.date], list[tuple]]:
    """The inputs of the escalation alerts for events dated ``since``-``until`` (inclusive, optional):

    * the observed weeks (Mondays of weeks holding any event with a day- or week-precise date);
    * per unordered dyad (two distinct identities) and week: ``(a, b, week, units, stories)``: the
      number of stories with asserted conflict (QuadClass 3-4) events of the dyad that week, and the sum
      of the intensities (``-goldstein``) of their gravest events, in whole millionths (exact; the weekly
      score is ``units / 1e6``, see ``analytics.escalation.week_score``).
    """
    dates, params = _date_range(since, until)
    week_ok = [_period_ok("week")] + dates
    observed = f"SELECT DISTINCT {_PERIOD['week']} FROM events e WHERE {' AND '.join(week_ok)} ORDER BY 1"
    scores = (f"WITH c AS (SELECT {_identity('source')} AS i, {_identity('target')} AS j, {_PERIOD['week']} AS week, "
              f"e.story_id, -e.goldstein AS w FROM events e WHERE {' AND '.join(week_ok + [_CONFLICT])}), "
              "t AS (SELECT least(i, j) AS a, greatest(i, j) AS b, week, story_id, max(w) AS w FROM c "
              "WHERE i IS NOT NULL AND j IS NOT NULL AND i <> j GROUP BY ALL) "
              "SELECT a, b, week, sum(CAST(floor(w * 1000000 + 0.5) AS BIGINT)), count(*) FROM t GROUP BY ALL")
    with _reader(db) as con:
        weeks = [r[0] for r in con.execute(observed, params).fetchall()]
        rows = con.execute(scores, params).fetchall()
    return weeks, rows


def conflict_drivers(db: Source, keys: Iterable[tuple[str, str, dt.date]],
                     top: int = 5) -> dict[tuple[str, str, dt.date], list[dict[str, Any]]]:
    """For each ``(a, b, week)`` (an unordered dyad and a Monday): the gravest event of each story with
    asserted conflict between them that week, gravest first (then more articles, earlier date, event id),
    at most ``top``; each with the fields an alert shows (``event_id``, ``date``, ``doc_id``, ``story_id``,
    ``num_articles``, ``source`` and ``target`` as ``{code, country}`` or None, ``plover``, ``cameo``,
    ``cameo_name``, ``quad_class``, ``goldstein``, ``trigger``, ``trigger_span``, ``sentence``)."""
    keys = list(keys)
    if not keys:
        return {}
    sql = (f"WITH k AS (SELECT unnest(?::VARCHAR[]) AS a, unnest(?::VARCHAR[]) AS b, unnest(?::DATE[]) AS week), "
           f"c AS (SELECT {', '.join('e.' + c for c in _DRIVER_COLUMNS)}, s.num_articles, "
           f"{_identity('source')} AS _i, {_identity('target')} AS _j, "
           f"{_PERIOD['week']} AS _week, -e.goldstein AS _w, {_ARTICLES} AS _n{_FROM} "
           f"WHERE {_period_ok('week')} AND {_CONFLICT}), "
           "d AS (SELECT c.*, least(_i, _j) AS _a, greatest(_i, _j) AS _b FROM c WHERE _i <> _j), "
           "r AS (SELECT d.*, row_number() OVER (PARTITION BY _a, _b, _week, story_id "
           "ORDER BY _w DESC, _n DESC, date, event_id) AS _story_rank FROM d JOIN k ON k.a = d._a AND k.b = d._b "
           "AND k.week = d._week), "
           "t AS (SELECT r.*, row_number() OVER (PARTITION BY _a, _b, _week ORDER BY _w DESC, _n DESC, date, event_id) "
           "AS _rank FROM r WHERE _story_rank = 1) "
           "SELECT * FROM t WHERE _rank <= ? ORDER BY _a, _b, _week, _rank")
    params = [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys], int(top)]
    out: dict[tuple[str, str, dt.date], list[dict[str, Any]]] = {k: [] for k in keys}
    with _reader(db) as con:
        for row in _dicts(con.execute(sql, params)):
            out.setdefault((row["_a"], row["_b"], row["_week"]), []).append(_driver_event(row))
    return out


_DRIVER_COLUMNS = ("event_id", "date", "doc_id", "story_id", "plover", "cameo", "cameo_name", "quad_class",
                   "goldstein", "trigger", "trigger_start", "trigger_end", "sentence", "source_code",
                   "source_country", "target_code", "target_country", "date_precision", "modality", "extra")


def _driver_event(row: dict[str, Any]) -> dict[str, Any]:
    """The fields of an event that an alert shows, shaped as in ``query_events``' dicts."""
    ev = {k: row[k] for k in ("event_id", "doc_id", "story_id", "num_articles", "plover", "cameo", "cameo_name",
                              "quad_class", "goldstein", "trigger", "sentence")}
    ev["date"] = _iso(row["date"])
    if row["extra"] and '"date"' in row["extra"]:  # a date kept verbatim (not a plain ISO day): as row_to_event
        ev["date"] = json.loads(row["extra"]).get("date", ev["date"])
    ev["trigger_span"] = [row["trigger_start"], row["trigger_end"]]
    for side in ("source", "target"):
        actor = {"code": row[f"{side}_code"], "country": row[f"{side}_country"]}
        ev[side] = actor if any(v is not None for v in actor.values()) else None
    return ev


__all__ = ["reader", "data_version", "Source", "get_event", "latest_events", "key_events", "series_counts",
           "top_dyads", "dyad_summary", "count_party", "partners", "store_actors", "day_span", "conflict_weeks",
           "conflict_drivers", "FREQS"]

"""Reading the store for analytics: the store does the SQL (filters and aggregates in DuckDB), analytics
turns its rows into series and alerts.

:func:`load_events` reads whole events (for the situation report, which draws on every field);
:func:`store_series` and :func:`store_alerts` read only aggregates, so they scale with the number of
periods, dyads and stories rather than the number of events.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..errors import OptionError
from .escalation import SCORE_UNITS, Alert, AlertOptions, WeekScore, alerts_from_scores, driver, intensity
from .series import ALL_KEY, SeriesRow, modality_set, series_from_counts


def _start(since: str | None, lookback_weeks: int) -> str | None:
    if since is None:
        return None
    try:
        return (dt.date.fromisoformat(since) - dt.timedelta(weeks=lookback_weeks)).isoformat()
    except ValueError:
        raise OptionError(f"since date {since!r} is not a date (YYYY-MM-DD)") from None


def load_events(db_path: str | Path, *, since: str | None = None, until: str | None = None,
                dyad: str | None = None, lookback_weeks: int = 0) -> list[dict[str, Any]]:
    """All events of the store (as contract dicts with story_id, num_articles, num_sources), optionally of
    one unordered dyad ``A:B``, dated from ``since`` minus ``lookback_weeks`` weeks (so that baselines
    reach back before the period asked for) to ``until``."""
    from ..store import EventFilter, query_events

    filters = EventFilter(since=_start(since, lookback_weeks), until=until, dyad=dyad, unordered=bool(dyad))
    return query_events(db_path, filters, limit=None, order="date")


def store_series(db_path: str | Path, filters: Any = None, *, party: str | None = None, key: str = ALL_KEY,
                 freq: str = "week", modality: str | None = "asserted", fill: bool = False) -> list[SeriesRow]:
    """``build_series(events, by="all", ...)`` over the events matching ``filters`` (a
    ``casus.store.EventFilter``) and, with ``party``, having a side that matches that code (its country, or
    a code prefix); counted in DuckDB. Rows carry ``key``."""
    from ..store.aggregates import series_counts

    counts = series_counts(db_path, filters, party=party, freq=freq, modalities=modality_set(modality))
    return series_from_counts(counts, key=key, freq=freq, fill=fill)


def store_alerts(db_path: str | Path, options: AlertOptions | None = None) -> list[Alert]:
    """Escalation alerts over the store's events (see :mod:`casus.analytics.escalation`): the weekly
    per-story intensities are computed in DuckDB, the driving events read only for the alerting weeks."""
    from ..store.aggregates import conflict_drivers, conflict_weeks

    opts = (options or AlertOptions()).validated()
    until = opts.until
    if until is not None:  # the week holding ``until`` is tested whole
        day = dt.date.fromisoformat(until)
        until = (day + dt.timedelta(days=6 - day.weekday())).isoformat()
    weeks, rows = conflict_weeks(db_path, since=_start(opts.since, opts.baseline_weeks + 1), until=until)
    scores: dict[tuple[str, str], dict[dt.date, WeekScore]] = {}
    for a, b, week, units, stories in rows:
        scores.setdefault((a, b), {})[week] = WeekScore((a, b), week, int(units) / SCORE_UNITS, int(stories))

    def drivers(keys: list[tuple[tuple[str, str], dt.date]]) -> dict:
        found = conflict_drivers(db_path, [(d[0], d[1], w) for d, w in keys], top=opts.top_events)
        return {((a, b), w): [driver(ev, intensity(ev)) for ev in evs] for (a, b, w), evs in found.items()}

    return alerts_from_scores(scores, set(weeks), opts, drivers)


__all__ = ["load_events", "store_series", "store_alerts"]

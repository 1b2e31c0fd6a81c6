"""Reading events out of the store for analytics (the store does the SQL; analytics works on dicts)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..errors import OptionError
from .escalation import Alert, AlertOptions, find_alerts


def load_events(db_path: str | Path, *, since: str | None = None, until: str | None = None,
                dyad: str | None = None, lookback_weeks: int = 0) -> list[dict[str, Any]]:
    """All events of the store (as contract dicts with story_id, num_articles, num_sources), optionally of
    one unordered dyad ``A:B``, dated from ``since`` minus ``lookback_weeks`` weeks (so that baselines
    reach back before the period asked for) to ``until``."""
    from ..store import EventFilter, query_events

    start = None
    if since is not None:
        try:
            start = (dt.date.fromisoformat(since) - dt.timedelta(weeks=lookback_weeks)).isoformat()
        except ValueError:
            raise OptionError(f"since date {since!r} is not a date (YYYY-MM-DD)") from None
    filters = EventFilter(since=start, until=until, dyad=dyad, unordered=bool(dyad))
    return query_events(db_path, filters, limit=None, order="date")


def store_alerts(db_path: str | Path, options: AlertOptions | None = None) -> list[Alert]:
    """Escalation alerts over the store's events (see :mod:`casus.analytics.escalation`)."""
    opts = (options or AlertOptions()).validated()
    until = opts.until
    if until is not None:  # the week holding ``until`` is tested whole
        day = dt.date.fromisoformat(until)
        until = (day + dt.timedelta(days=6 - day.weekday())).isoformat()
    events = load_events(db_path, since=opts.since, until=until, lookback_weeks=opts.baseline_weeks + 1)
    return find_alerts(events, opts)


__all__ = ["load_events", "store_alerts"]

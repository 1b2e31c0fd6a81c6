"""Event counts over time: per dyad (ordered or not), per actor, per country, or all events together.

Every function takes plain event dicts (``Event.to_dict()``, optionally with the store's ``story_id``,
``num_articles`` and ``num_sources``), so the same code serves the DuckDB store, a JSON Lines file, or a
list built by hand in a test.

Definitions
-----------
* **Identity** of an actor in a dyad or a country series: its ``country`` when it has one, else its
  ``code`` (IGOs, NGOs and groups such as ``IGOEUN`` or ``NGOICR``). In an actor series, the ``code``
  (``ARMGOV``, ``ARMMIL``), else the country. Actors with neither are left out, and so are bare sector
  codes without a country or name (``MIL`` for "soldiers", ``CVL`` for "civilians": whose, is unknown).
* **Dyads** need both sides with distinct identities (``ARM`` acting on ``ARM`` is internal, not a dyad).
  An ordered dyad is ``source:target``; an unordered dyad sorts its two identities (``ARM:AZE``).
* **Periods**: ``day``; ``week`` (ISO weeks, Monday to Sunday); ``month``. An event enters a period
  only when its date is at least as precise as the period: a ``year``-precision background date ("in
  2010") lands in no weekly or monthly bin and a ``month``-precision date in no weekly bin. Events
  without a date are left out.
* **Modality** is a dimension: asserted events are counted apart from negated, hypothetical and
  future ones. The default counts asserted events only; ``modality="all"`` returns one row per
  modality present.
* **Stories**: one story told by many outlets is stored once (its canonical article's events), with
  ``num_articles`` and ``num_sources``. ``stories`` counts distinct ``story_id`` (``doc_id`` when an
  event carries no story); ``articles`` and ``sources`` add up ``num_articles`` and ``num_sources``
  over those distinct stories, each story once however many of its events fall in the bin. An outlet
  that carried two different stories counts twice in ``sources`` (event rows do not name outlets).
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from ..errors import OptionError
from ..model import MODALITIES
from ..ontology import UNTYPED_LABEL

FREQS = ("day", "week", "month")
GROUPINGS = ("dyad", "ordered_dyad", "actor", "country", "all")
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
STATEMENT = UNTYPED_LABEL  # the PLOVER key of CAMEO 01 statements and 02 appeals, which have no PLOVER type
ALL_KEY = "*"
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_FREQ_RANK = {"day": 0, "week": 1, "month": 2}


# ---------------------------------------------------------------- identities and periods

def _named_code(actor: dict[str, Any]) -> str | None:
    """The actor's code, unless it is a bare sector (``MIL`` for "soldiers" of unknown side, ``CVL``)."""
    code = actor.get("code")
    if not code or (not actor.get("country") and not actor.get("name") and code == actor.get("sector")):
        return None
    return code


def actor_identity(actor: dict[str, Any] | None) -> str | None:
    """The identity of an actor in dyads and country series: ``country``, else its code (IGOs, NGOs, groups),
    else None (unresolved, or a bare sector code such as ``MIL`` whose side is unknown)."""
    if not actor:
        return None
    return actor.get("country") or _named_code(actor)


def dyad_of(event: dict[str, Any], ordered: bool = False) -> tuple[str, str] | None:
    """``(source, target)`` identities, sorted unless ``ordered``; None without two distinct sides."""
    a, b = actor_identity(event.get("source")), actor_identity(event.get("target"))
    if not a or not b or a == b:
        return None
    return (a, b) if ordered or a < b else (b, a)


def dyad_label(dyad: tuple[str, str] | str, sep: str = ":") -> str:
    """``("ARM", "AZE")`` → ``"ARM:AZE"`` (the form ``--dyad`` takes)."""
    return dyad if isinstance(dyad, str) else f"{dyad[0]}{sep}{dyad[1]}"


def period_start(day: dt.date, freq: str) -> dt.date:
    """The first day of the period holding ``day``."""
    if freq == "day":
        return day
    if freq == "week":
        return day - dt.timedelta(days=day.weekday())
    if freq == "month":
        return day.replace(day=1)
    raise OptionError(f"period {freq!r} is not one of {', '.join(FREQS)}")


def period_end(start: dt.date, freq: str) -> dt.date:
    """The last day of the period starting on ``start``."""
    if freq == "day":
        return start
    if freq == "week":
        return start + dt.timedelta(days=6)
    nxt = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def next_period(start: dt.date, freq: str) -> dt.date:
    return period_end(start, freq) + dt.timedelta(days=1)


def event_period(event: dict[str, Any], freq: str) -> dt.date | None:
    """The start of the period the event falls in, or None (no date, or a date coarser than ``freq``)."""
    raw = event.get("date")
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(str(raw)[:10])
    except ValueError:
        return None
    precision = event.get("date_precision") or "day"
    if _PRECISION_RANK.get(precision, 0) > _FREQ_RANK[freq]:
        return None
    return period_start(day, freq)


def modality_set(modality: str | Iterable[str] | None) -> frozenset[str]:
    """``"asserted"`` (default), ``"all"``, or modalities separated by commas, as a validated set."""
    if modality is None:
        return frozenset({"asserted"})
    if isinstance(modality, str):
        if modality == "all":
            return frozenset(MODALITIES)
        modality = [m.strip() for m in modality.split(",") if m.strip()]
    wanted = frozenset(m.lower() for m in modality)
    bad = wanted - set(MODALITIES)
    if bad or not wanted:
        raise OptionError(f"modality {', '.join(sorted(bad)) or '(none)'} is not one of {', '.join(MODALITIES)} "
                          "or 'all'")
    return wanted


def story_of(event: dict[str, Any]) -> str:
    """The story an event belongs to (its ``story_id``, else its document)."""
    return str(event.get("story_id") or event.get("doc_id") or event.get("event_id"))


def keys_of(event: dict[str, Any], by: str) -> list[str]:
    """The series keys an event counts under for grouping ``by`` (an event counts once per key)."""
    if by == "all":
        return [ALL_KEY]
    if by in ("dyad", "ordered_dyad"):
        d = dyad_of(event, ordered=(by == "ordered_dyad"))
        return [dyad_label(d)] if d else []
    keys: list[str] = []
    for side in ("source", "target"):
        actor = event.get(side) or {}
        k = (_named_code(actor) or actor.get("country")) if by == "actor" else actor_identity(actor)
        if k and k not in keys:
            keys.append(k)
    return keys


# ---------------------------------------------------------------- the series

GOLDSTEIN_UNITS = 1_000_000  # Goldstein scores are summed as whole millionths (the scale has one decimal)


def goldstein_units(value: Any) -> int:
    """A Goldstein score (None counts as 0) in whole millionths. Sums of these are exact, so a sum does not
    depend on the order of its terms: the store's SQL (``casus.store.aggregates``, same formula) and a loop
    over event dicts give the same sums and means."""
    return math.floor(float(value or 0.0) * GOLDSTEIN_UNITS + 0.5)


def goldstein_mean(units: int, events: int, digits: int) -> float | None:
    """The mean score of ``events`` events whose scores add up to ``units`` millionths, rounded."""
    return round(units / GOLDSTEIN_UNITS / events, digits) if events else None


@dataclass
class SeriesRow:
    """Counts for one key, one modality and one period."""

    key: str  # "ARM:AZE" (dyads), "ARMGOV" (actor), "ARM" (country), "*" (all events)
    period: dt.date  # first day of the period
    period_end: dt.date
    modality: str
    events: int = 0
    by_plover: dict[str, int] = field(default_factory=dict)
    by_quad: dict[int, int] = field(default_factory=lambda: {1: 0, 2: 0, 3: 0, 4: 0})
    goldstein_sum: float = 0.0
    stories: int = 0
    articles: int = 0
    sources: int = 0

    @property
    def goldstein_mean(self) -> float | None:
        return self.goldstein_sum / self.events if self.events else None

    def to_dict(self) -> dict[str, Any]:
        mean = self.goldstein_mean
        return {"key": self.key, "period": self.period.isoformat(), "period_end": self.period_end.isoformat(),
                "modality": self.modality, "events": self.events, "by_plover": dict(self.by_plover),
                "by_quad": {str(k): v for k, v in self.by_quad.items()},
                "goldstein_sum": round(self.goldstein_sum, 3),
                "goldstein_mean": None if mean is None else round(mean, 3),
                "stories": self.stories, "articles": self.articles, "sources": self.sources}


def _check(by: str, freq: str) -> None:
    if by not in GROUPINGS:
        raise OptionError(f"series grouping {by!r} is not one of {', '.join(GROUPINGS)}")
    if freq not in FREQS:
        raise OptionError(f"period {freq!r} is not one of {', '.join(FREQS)}")


def _parse_day(value: str | dt.date | None, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise OptionError(f"{name} date {value!r} is not a date (YYYY-MM-DD)") from None


def build_series(events: Iterable[dict[str, Any]], *, by: str = "dyad", freq: str = "week",
                 modality: str | Iterable[str] | None = "asserted", since: str | dt.date | None = None,
                 until: str | dt.date | None = None, fill: bool = False) -> list[SeriesRow]:
    """Counts per key, modality and period, sorted by key, modality, period.

    ``by``: dyad (unordered), ordered_dyad, actor, country or all. ``freq``: day, week or month.
    ``since``/``until`` bound the event dates (inclusive). ``fill``: add zero rows for the empty
    periods between a key's first and last period, so a plot shows quiet periods as zeros.
    """
    _check(by, freq)
    wanted = modality_set(modality)
    lo, hi = _parse_day(since, "since"), _parse_day(until, "until")
    rows: dict[tuple[str, str, dt.date], SeriesRow] = {}
    seen: dict[tuple[str, str, dt.date], set[str]] = defaultdict(set)
    units: dict[tuple[str, str, dt.date], int] = defaultdict(int)
    for ev in events:
        mod = ev.get("modality") or "asserted"
        if mod not in wanted:
            continue
        start = event_period(ev, freq)
        if start is None:
            continue
        day = dt.date.fromisoformat(str(ev["date"])[:10])
        if (lo and day < lo) or (hi and day > hi):
            continue
        plover = ev.get("plover") or STATEMENT
        quad = ev.get("quad_class")
        gold = goldstein_units(ev.get("goldstein"))
        story = story_of(ev)
        for key in keys_of(ev, by):
            k = (key, mod, start)
            row = rows.get(k)
            if row is None:
                row = rows[k] = SeriesRow(key, start, period_end(start, freq), mod)
            row.events += 1
            row.by_plover[plover] = row.by_plover.get(plover, 0) + 1
            if quad in row.by_quad:
                row.by_quad[quad] += 1
            units[k] += gold
            if story not in seen[k]:
                seen[k].add(story)
                row.stories += 1
                row.articles += int(ev.get("num_articles") or 1)
                row.sources += int(ev.get("num_sources") or 1)
    for k, row in rows.items():
        row.goldstein_sum = units[k] / GOLDSTEIN_UNITS
    if fill:
        _fill(rows, freq)
    return [rows[k] for k in sorted(rows)]


def series_from_counts(counts: Iterable[dict[str, Any]], *, key: str = ALL_KEY, freq: str = "week",
                       fill: bool = False) -> list[SeriesRow]:
    """The rows :func:`build_series` gives for one key, from counts already aggregated per modality and period
    (``casus.store.aggregates.series_counts``: ``period``, ``modality``, ``events``, ``by_plover`` with None
    for statements, ``by_quad``, ``goldstein_units``, ``stories``, ``articles``, ``sources``)."""
    _check("all", freq)
    rows: dict[tuple[str, str, dt.date], SeriesRow] = {}
    for c in counts:
        start = c["period"] if isinstance(c["period"], dt.date) else dt.date.fromisoformat(str(c["period"]))
        rows[(key, c["modality"], start)] = SeriesRow(
            key, start, period_end(start, freq), c["modality"], events=int(c["events"]),
            by_plover={(p or STATEMENT): n for p, n in c["by_plover"].items()},
            by_quad={q: int(c["by_quad"].get(q, 0)) for q in (1, 2, 3, 4)},
            goldstein_sum=int(c["goldstein_units"]) / GOLDSTEIN_UNITS,
            stories=int(c["stories"]), articles=int(c["articles"]), sources=int(c["sources"]))
    if fill:
        _fill(rows, freq)
    return [rows[k] for k in sorted(rows)]


def _fill(rows: dict[tuple[str, str, dt.date], SeriesRow], freq: str) -> None:
    spans: dict[tuple[str, str], list[dt.date]] = {}
    for key, mod, start in rows:
        span = spans.setdefault((key, mod), [start, start])
        span[0], span[1] = min(span[0], start), max(span[1], start)
    for (key, mod), (first, last) in spans.items():
        p = first
        while p < last:
            p = next_period(p, freq)
            rows.setdefault((key, mod, p), SeriesRow(key, p, period_end(p, freq), mod))


def periods(first: dt.date, last: dt.date, freq: str) -> Iterator[dt.date]:
    """Period starts from the one holding ``first`` to the one holding ``last``."""
    p = period_start(first, freq)
    while p <= last:
        yield p
        p = next_period(p, freq)


def top_keys(rows: Iterable[SeriesRow], n: int = 10) -> list[tuple[str, int]]:
    """The ``n`` keys with the most events over all periods: ``[(key, events)]``, ties by key."""
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        totals[r.key] += r.events
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


__all__ = ["build_series", "series_from_counts", "goldstein_units", "goldstein_mean", "GOLDSTEIN_UNITS", "SeriesRow",
           "actor_identity", "dyad_of", "dyad_label", "event_period", "period_start", "period_end", "next_period",
           "periods", "modality_set", "story_of", "keys_of", "top_keys", "FREQS", "GROUPINGS", "QUAD_NAMES",
           "STATEMENT", "ALL_KEY"]

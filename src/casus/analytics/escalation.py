"""An escalation index per dyad, and alerts when a week's conflict rises far above the dyad's own baseline.

The method
----------
1. **Which events.** Asserted events (never negated, hypothetical or future ones) of conflict
   (QuadClass 3, verbal conflict, or 4, material conflict) between two distinct actors, each
   identified by its country, else its code (``IGOEUN``); dyads are unordered (``ARM:AZE``). The event
   date must be precise to the day or the week (background dates such as "in 2010" are left out).
2. **Weekly conflict score.** An event's intensity is ``max(0, -goldstein)`` (0 to 10: a shelling is 10,
   an accusation 2). Each distinct story counts once a week, with the intensity of the gravest event it
   reports for the dyad that week; duplicate articles are already folded into their story by the
   store, so fifty outlets repeating one shelling add 10, not 500, and ten sentences of one article
   about one clash add 10, not 100. ``score(week) = sum over stories of that story's intensity``
   (added exactly, in millionths, so the store's SQL and a loop over events agree to the last digit);
   ``stories(week)`` is the number of stories with a non-zero intensity. Over a store,
   :func:`casus.analytics.load.store_alerts` gets these sums from SQL and reads events only for the
   alerting weeks (their drivers).
3. **Baseline.** The ``baseline_weeks`` (8) weeks before the week tested. Only *observed* weeks count:
   weeks in which the data holds at least one event of any dyad (a week the corpus does not cover is
   unknown, not calm); an observed week without events of the dyad scores 0. With fewer than
   ``min_baseline_weeks`` (4) observed weeks, the week is not tested. The baseline level is the
   **median** of those weekly scores and its spread is ``1.4826 × MAD`` (median absolute deviation,
   scaled to a standard deviation for normal data), floored at ``spread_floor`` (5: half the score of
   one gravest story). Median and MAD rather than mean and standard deviation, so that the first week
   of an escalation does not raise the baseline enough to hide the second, and a single past spike
   does not mask a new one. The mean of the baseline is reported too.
4. **Index.** ``z = (score - median) / spread``; ``ratio = score / max(mean, 1)``.
5. **Alert** when all hold: ``z >= z`` (3), ``score >= min_score`` (15: two of the gravest stories, or
   several lesser ones), and ``stories >= min_stories`` (2: one article, however alarming, cannot raise
   an alarm on its own). A dyad in steady hostility has a high median and a wide spread, so its usual
   weeks stay below the threshold; a quiet dyad rarely reaches ``min_score``.

Each alert names the dyad, the week (Monday to Sunday), the score, the baseline median, mean and
spread, z, the number of stories, and the events that drove it: the gravest event of each
contributing story, gravest first, with event id, date, type and evidence sentence.

Weak points, stated plainly: the score inherits the coder's errors (a mis-coded "urged them to stop
fighting" counts as fighting unless the coder marks it); dyads that the coder resolves only on one
side (a target left unresolved) are invisible; a corpus whose coverage changes (more outlets from one
week on) looks like an escalation; weeks are calendar weeks, so an escalation starting on a Sunday is
split across two.
"""
from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field, fields, replace
from typing import Any, Callable, Iterable

from ..errors import OptionError
from .series import dyad_label, dyad_of, event_period, story_of

CONFLICT_QUADS = (3, 4)
SCORE_UNITS = 1_000_000  # scores are summed as whole millionths of intensity (Goldstein has one decimal)
MAD_TO_SD = 1.4826  # scales the median absolute deviation to a standard deviation for normal data
_DIGITS = 3


@dataclass(frozen=True)
class AlertOptions:
    """Thresholds of the escalation alerts (see the module docstring for the method)."""

    baseline_weeks: int = 8  # two months of history: long enough to be stable, short enough to follow change
    min_baseline_weeks: int = 4  # with less observed history a "baseline" is a guess: no test
    z: float = 3.0  # robust z-score at or above which a week is an escalation
    spread_floor: float = 5.0  # half of one gravest story: a quiet dyad's zero spread must not make any event z=inf
    min_score: float = 15.0  # at least two grave stories (or several lesser ones) in the week
    min_stories: int = 2  # one article cannot raise an alarm
    top_events: int = 5  # driving events listed per alert
    since: str | None = None  # report alerts for weeks ending on or after this date (the baseline may reach back)
    until: str | None = None  # ... and starting on or before this date

    def validated(self) -> "AlertOptions":
        """A checked copy; OptionError naming the bad value otherwise."""
        for name in ("baseline_weeks", "min_baseline_weeks", "min_stories", "top_events"):
            if int(getattr(self, name)) < (0 if name == "top_events" else 1):
                raise OptionError(f"alert option {name} must be a positive whole number, not {getattr(self, name)!r}")
        if self.min_baseline_weeks > self.baseline_weeks:
            raise OptionError(f"min_baseline_weeks ({self.min_baseline_weeks}) exceeds baseline_weeks "
                              f"({self.baseline_weeks})")
        for name in ("z", "spread_floor", "min_score"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or value < 0:
                raise OptionError(f"alert option {name} must be a number >= 0, not {value!r}")
        if self.spread_floor <= 0:
            raise OptionError("alert option spread_floor must be above 0 (it divides the score)")
        changes: dict[str, Any] = {}
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                try:
                    changes[name] = dt.date.fromisoformat(str(value)).isoformat()
                except ValueError:
                    raise OptionError(f"{name} date {value!r} is not a date (YYYY-MM-DD)") from None
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class WeekScore:
    """One dyad's conflict in one week: the sum of its stories' intensities and the number of stories.
    ``story_top`` (story -> its gravest event, as :func:`driver` gives it) is filled when the scores come
    from event dicts; scores read from the store carry only the figures (drivers are fetched for alerts)."""

    dyad: tuple[str, str]
    week: dt.date
    score: float = 0.0
    stories: int = 0
    story_top: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Alert:
    """An escalation: a week whose conflict score stands far above the dyad's baseline."""

    dyad: tuple[str, str]
    week_start: dt.date
    week_end: dt.date
    score: float
    baseline_median: float
    baseline_mean: float
    spread: float
    z: float
    ratio: float
    stories: int
    baseline_weeks: int
    events: list[dict[str, Any]]  # the driving events, gravest first (see ``driver``)

    @property
    def label(self) -> str:
        return f"{self.dyad[0]}–{self.dyad[1]}"

    def to_dict(self) -> dict[str, Any]:
        return {"dyad": dyad_label(self.dyad), "label": self.label, "actors": list(self.dyad),
                "week_start": self.week_start.isoformat(), "week_end": self.week_end.isoformat(),
                "score": round(self.score, _DIGITS), "baseline_median": round(self.baseline_median, _DIGITS),
                "baseline_mean": round(self.baseline_mean, _DIGITS), "spread": round(self.spread, _DIGITS),
                "z": round(self.z, _DIGITS), "ratio": round(self.ratio, _DIGITS), "stories": self.stories,
                "baseline_weeks": self.baseline_weeks, "events": self.events}


@dataclass
class IndexRow:
    """The index of one dyad in one week (tested or not), for tables and charts."""

    dyad: tuple[str, str]
    week: dt.date
    score: float
    stories: int
    baseline_median: float | None  # None: too little observed history to test
    baseline_mean: float | None
    spread: float | None
    z: float | None
    threshold: float | None  # the lowest score that would alert this week (given enough stories)
    alert: bool


def intensity(event: dict[str, Any]) -> float:
    """Conflict intensity of one event: ``max(0, -goldstein)`` for QuadClass 3/4 events, else 0."""
    if event.get("quad_class") not in CONFLICT_QUADS:
        return 0.0
    return max(0.0, -float(event.get("goldstein") or 0.0))


def driver(event: dict[str, Any], weight: float) -> dict[str, Any]:
    """The short form of a driving event shown with an alert."""
    side = lambda a: (a or {}).get("code") or (a or {}).get("country")  # noqa: E731
    return {"event_id": event.get("event_id"), "date": event.get("date"), "doc_id": event.get("doc_id"),
            "story_id": event.get("story_id"), "num_articles": event.get("num_articles") or 1,
            "source": side(event.get("source")), "target": side(event.get("target")),
            "plover": event.get("plover"), "cameo": event.get("cameo"), "cameo_name": event.get("cameo_name"),
            "goldstein": event.get("goldstein"), "intensity": weight, "trigger": event.get("trigger"),
            "trigger_span": event.get("trigger_span"), "sentence": event.get("sentence")}


def observed_weeks(events: Iterable[dict[str, Any]]) -> set[dt.date]:
    """Weeks (Mondays) in which at least one event of any kind has a day- or week-precise date."""
    return {w for w in (event_period(ev, "week") for ev in events) if w is not None}


def weekly_scores(events: Iterable[dict[str, Any]]) -> tuple[dict[tuple[str, str], dict[dt.date, WeekScore]],
                                                             set[dt.date]]:
    """Conflict scores per unordered dyad and week (only non-zero weeks), and the observed weeks."""
    scores: dict[tuple[str, str], dict[dt.date, WeekScore]] = defaultdict(dict)
    observed: set[dt.date] = set()
    for ev in events:
        week = event_period(ev, "week")
        if week is None:
            continue
        observed.add(week)
        if (ev.get("modality") or "asserted") != "asserted":
            continue
        weight = intensity(ev)
        dyad = dyad_of(ev)
        if weight <= 0 or dyad is None:
            continue
        ws = scores[dyad].setdefault(week, WeekScore(dyad, week))
        story = story_of(ev)
        best = ws.story_top.get(story)
        if best is None or _grave_key(ev, weight) < _grave_key(best, best["intensity"]):
            ws.story_top[story] = driver(ev, weight)
    for series in scores.values():
        for ws in series.values():
            ws.score, ws.stories = week_score(d["intensity"] for d in ws.story_top.values()), len(ws.story_top)
    return scores, observed


def week_score(intensities: Iterable[float]) -> float:
    """A week's score from its stories' intensities: their sum, made exact by adding whole millionths
    (:data:`SCORE_UNITS`), so that it does not depend on the order the stories come in (from event dicts, or
    summed by the store's SQL with the same formula: ``casus.store.aggregates.conflict_weeks``)."""
    return sum(math.floor(float(w) * SCORE_UNITS + 0.5) for w in intensities) / SCORE_UNITS


def _grave_key(ev: dict[str, Any], weight: float) -> tuple:
    # gravest first; ties: more articles, earlier date, then event id (deterministic)
    return (-weight, -(ev.get("num_articles") or 1), ev.get("date") or "", ev.get("event_id") or "")


def _baseline(series: dict[dt.date, WeekScore], week: dt.date, observed: set[dt.date],
              opts: AlertOptions) -> list[float]:
    values = []
    for i in range(1, opts.baseline_weeks + 1):
        w = week - dt.timedelta(weeks=i)
        if w in observed:
            values.append(series[w].score if w in series else 0.0)
    return values


def _index(dyad, week, ws: WeekScore | None, series, observed, opts: AlertOptions) -> IndexRow:
    score = ws.score if ws else 0.0
    stories = ws.stories if ws else 0
    base = _baseline(series, week, observed, opts)
    if len(base) < opts.min_baseline_weeks:
        return IndexRow(dyad, week, score, stories, None, None, None, None, None, False)
    median = statistics.median(base)
    mad = statistics.median(abs(v - median) for v in base)
    spread = max(MAD_TO_SD * mad, opts.spread_floor)
    z = (score - median) / spread
    threshold = max(median + opts.z * spread, opts.min_score)
    alert = z >= opts.z and score >= opts.min_score and stories >= opts.min_stories
    return IndexRow(dyad, week, score, stories, median, statistics.fmean(base), spread, z, threshold, alert)


def _in_range(week: dt.date, opts: AlertOptions) -> bool:
    end = week + dt.timedelta(days=6)
    if opts.since and end < dt.date.fromisoformat(opts.since):
        return False
    return not (opts.until and week > dt.date.fromisoformat(opts.until))


def escalation_index(events: Iterable[dict[str, Any]], options: AlertOptions | None = None,
                     dyads: Iterable[tuple[str, str]] | None = None) -> list[IndexRow]:
    """The index for every observed week of every dyad with conflict (or of ``dyads``), sorted by dyad, week."""
    opts = (options or AlertOptions()).validated()
    scores, observed = weekly_scores(events)
    wanted = sorted(set(dyads) if dyads is not None else set(scores))
    rows = []
    for dyad in wanted:
        series = scores.get(dyad, {})
        for week in sorted(observed):
            if _in_range(week, opts):
                rows.append(_index(dyad, week, series.get(week), series, observed, opts))
    return rows


def find_alerts(events: Iterable[dict[str, Any]], options: AlertOptions | None = None) -> list[Alert]:
    """Escalation alerts, sorted by week, then z (highest first), then dyad. See the module docstring."""
    opts = (options or AlertOptions()).validated()
    scores, observed = weekly_scores(events)
    return alerts_from_scores(scores, observed, opts)


Drivers = Callable[[list[tuple[tuple[str, str], dt.date]]], dict[tuple[tuple[str, str], dt.date], list[dict]]]


def alerts_from_scores(scores: dict[tuple[str, str], dict[dt.date, WeekScore]], observed: set[dt.date],
                       options: AlertOptions | None = None, drivers: Drivers | None = None) -> list[Alert]:
    """The alerts of :func:`find_alerts` from weekly scores and observed weeks (see :func:`weekly_scores`).
    ``drivers``: given the alerting ``(dyad, week)`` pairs, their driving events (short form, gravest first);
    without it they come from each week's ``story_top``."""
    opts = (options or AlertOptions()).validated()
    found: list[tuple[tuple[str, str], dt.date, WeekScore, IndexRow]] = []
    for dyad, series in scores.items():
        for week, ws in series.items():
            if ws.stories < opts.min_stories or ws.score < opts.min_score or not _in_range(week, opts):
                continue  # cheap necessary conditions first
            row = _index(dyad, week, ws, series, observed, opts)
            if row.alert:
                found.append((dyad, week, ws, row))
    tops = drivers([(dyad, week) for dyad, week, _, _ in found]) if drivers and found else {}
    alerts: list[Alert] = []
    for dyad, week, ws, row in found:
        if drivers:
            top = tops.get((dyad, week), [])[:opts.top_events]
        else:
            top = sorted(ws.story_top.values(), key=lambda d: _grave_key(d, d["intensity"]))[:opts.top_events]
        alerts.append(Alert(dyad, week, week + dt.timedelta(days=6), ws.score, row.baseline_median,
                            row.baseline_mean, row.spread, row.z, ws.score / max(row.baseline_mean, 1.0),
                            ws.stories, len(_baseline(scores[dyad], week, observed, opts)), top))
    alerts.sort(key=lambda a: (a.week_start, -a.z, a.dyad))
    return alerts


__all__ = ["AlertOptions", "Alert", "IndexRow", "WeekScore", "find_alerts", "alerts_from_scores", "escalation_index",
           "weekly_scores", "week_score", "observed_weeks", "intensity", "driver", "CONFLICT_QUADS"]

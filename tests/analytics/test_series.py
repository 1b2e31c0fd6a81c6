"""Series against hand-counted event lists."""
from __future__ import annotations

import datetime as dt

import pytest
from analytics_helpers import make_event as E

from casus.analytics.series import build_series, dyad_of, event_period, period_end, period_start
from casus.errors import OptionError

D = dt.date.fromisoformat


@pytest.fixture
def events():
    return [
        # week of Monday 2025-10-06: story s1 (3 articles from 2 outlets) reports two events, s2 one
        E("2025-10-06", "ARMMIL", "AZE", plover="ACCUSE", quad=3, goldstein=-2.0, story="s1", articles=3, sources=2),
        E("2025-10-08", "AZEMIL", "ARM", plover="ASSAULT", quad=4, goldstein=-10.0, story="s1", articles=3, sources=2),
        E("2025-10-12", "ARM", "AZE", plover="THREATEN", quad=3, goldstein=-7.0, story="s2"),  # a Sunday
        # the next week
        E("2025-10-13", "AZE", "ARM", plover="ASSAULT", quad=4, goldstein=-10.0, story="s3"),
        # kept apart: not asserted
        E("2025-10-07", "ARM", "AZE", plover="ASSAULT", quad=4, goldstein=-10.0, modality="hypothetical", story="s4"),
        E("2025-10-09", "AZE", "ARM", plover="ASSAULT", quad=4, goldstein=-10.0, modality="negated", story="s1",
          articles=3, sources=2),
        # an organisation, and an internal event (no dyad)
        E("2025-10-10", "IGOEUN", "ARM", plover=None, quad=1, goldstein=3.0, story="s5", cameo="020"),
        E("2025-10-10", "ARMGOV", "ARMMIL", plover="MOBILIZE", quad=4, goldstein=-2.0, story="s6"),
        # a background date "in 2010" (year precision) and a month-precise one
        E("2010-01-01", "AZE", "ARM", precision="year", story="s7"),
        E("2025-10-01", "ARM", "AZE", plover="CONSULT", quad=1, goldstein=1.0, precision="month", story="s8"),
    ]


def rows_by(rows):
    return {(r.key, r.modality, r.period.isoformat()): r for r in rows}


def test_periods_and_dyads():
    assert period_start(D("2025-10-12"), "week") == D("2025-10-06")  # Sunday belongs to the Monday before
    assert period_end(D("2025-10-06"), "week") == D("2025-10-12")
    assert period_end(D("2024-02-01"), "month") == D("2024-02-29")
    assert period_end(D("2025-12-01"), "month") == D("2025-12-31")
    assert dyad_of(E("2025-10-06", "AZEMIL", "ARM")) == ("ARM", "AZE")
    assert dyad_of(E("2025-10-06", "AZEMIL", "ARM"), ordered=True) == ("AZE", "ARM")
    assert dyad_of(E("2025-10-06", "ARMGOV", "ARMMIL")) is None
    assert dyad_of(E("2025-10-06", "ARM", None)) is None
    assert event_period(E("2010-01-01", "A", "B", precision="year"), "week") is None
    assert event_period(E("2025-10-01", "A", "B", precision="month"), "month") == D("2025-10-01")
    assert event_period(E("2025-10-01", "A", "B", precision="month"), "week") is None


def test_weekly_unordered_dyads(events):
    rows = rows_by(build_series(events, by="dyad", freq="week"))
    assert set(rows) == {("ARM:AZE", "asserted", "2025-10-06"), ("ARM:AZE", "asserted", "2025-10-13"),
                         ("ARM:IGOEUN", "asserted", "2025-10-06")}
    w1 = rows[("ARM:AZE", "asserted", "2025-10-06")]
    assert w1.period_end == D("2025-10-12")
    assert w1.events == 3
    assert w1.by_plover == {"ACCUSE": 1, "ASSAULT": 1, "THREATEN": 1}
    assert w1.by_quad == {1: 0, 2: 0, 3: 2, 4: 1}
    assert w1.goldstein_sum == pytest.approx(-19.0)
    assert w1.goldstein_mean == pytest.approx(-19.0 / 3)
    # stories counted once: s1 (3 articles, 2 outlets) has two events this week, s2 one
    assert (w1.stories, w1.articles, w1.sources) == (2, 4, 3)
    w2 = rows[("ARM:AZE", "asserted", "2025-10-13")]
    assert (w2.events, w2.stories, w2.goldstein_mean) == (1, 1, -10.0)


def test_weekly_ordered_dyads(events):
    rows = rows_by(build_series(events, by="ordered_dyad", freq="week"))
    assert rows[("ARM:AZE", "asserted", "2025-10-06")].events == 2
    assert rows[("AZE:ARM", "asserted", "2025-10-06")].events == 1
    assert rows[("AZE:ARM", "asserted", "2025-10-13")].events == 1
    assert rows[("IGOEUN:ARM", "asserted", "2025-10-06")].events == 1
    assert ("ARM:IGOEUN", "asserted", "2025-10-06") not in rows


def test_monthly_takes_month_precise_dates(events):
    rows = rows_by(build_series(events, by="dyad", freq="month"))
    oct_ = rows[("ARM:AZE", "asserted", "2025-10-01")]
    assert oct_.period_end == D("2025-10-31")
    assert oct_.events == 5  # 4 day-precise + the month-precise CONSULT; the 2010 event lands nowhere
    assert oct_.by_quad == {1: 1, 2: 0, 3: 2, 4: 2}
    assert oct_.stories == 4  # s1, s2, s3, s8
    assert not any(k[2].startswith("2010") for k in rows)


def test_modality_kept_apart(events):
    asserted = rows_by(build_series(events, by="dyad"))
    every = rows_by(build_series(events, by="dyad", modality="all"))
    key = ("ARM:AZE", "asserted", "2025-10-06")
    assert every[key].events == asserted[key].events == 3
    assert every[("ARM:AZE", "hypothetical", "2025-10-06")].events == 1
    negated = every[("ARM:AZE", "negated", "2025-10-06")]
    assert (negated.events, negated.stories, negated.articles) == (1, 1, 3)
    only = rows_by(build_series(events, by="dyad", modality=["hypothetical", "future"]))
    assert list(only) == [("ARM:AZE", "hypothetical", "2025-10-06")]


def test_actor_and_country_series(events):
    actors = rows_by(build_series(events, by="actor"))
    assert actors[("ARMMIL", "asserted", "2025-10-06")].events == 2  # ACCUSE as source, MOBILIZE as target
    assert actors[("ARMGOV", "asserted", "2025-10-06")].events == 1
    assert actors[("IGOEUN", "asserted", "2025-10-06")].events == 1
    countries = rows_by(build_series(events, by="country"))
    arm = countries[("ARM", "asserted", "2025-10-06")]
    assert arm.events == 5  # ACCUSE, ASSAULT, THREATEN, IGOEUN request, and ARMGOV->ARMMIL once (not twice)
    assert arm.stories == 4  # s1, s2, s5, s6
    assert countries[("AZE", "asserted", "2025-10-06")].events == 3
    total = rows_by(build_series(events, by="all", freq="day"))
    assert total[("*", "asserted", "2025-10-10")].events == 2


def test_since_until_and_fill(events):
    rows = build_series(events, by="dyad", since="2025-10-08", until="2025-10-12")
    assert [(r.key, r.period.isoformat(), r.events) for r in rows] == [("ARM:AZE", "2025-10-06", 2),
                                                                      ("ARM:IGOEUN", "2025-10-06", 1)]
    sparse = [E("2025-09-01", "ARM", "AZE"), E("2025-09-22", "ARM", "AZE")]
    filled = build_series(sparse, by="dyad", fill=True)
    assert [(r.period.isoformat(), r.events) for r in filled] == [
        ("2025-09-01", 1), ("2025-09-08", 0), ("2025-09-15", 0), ("2025-09-22", 1)]
    assert filled[1].goldstein_mean is None
    assert filled[0].to_dict()["by_quad"] == {"1": 0, "2": 0, "3": 0, "4": 1}


def test_bad_options_are_option_errors(events):
    with pytest.raises(OptionError, match="E501.*fortnight"):
        build_series(events, freq="fortnight")
    with pytest.raises(OptionError, match="rumoured"):
        build_series(events, modality="rumoured")
    with pytest.raises(OptionError, match="grouping"):
        build_series(events, by="region")
    with pytest.raises(OptionError, match="since"):
        build_series(events, since="last week")


def test_bare_sector_codes_are_no_dyad_side():
    soldiers = {"text": "soldiers", "code": "MIL", "country": None, "sector": "MIL", "kind": "state", "name": None}
    ev = {**E("2025-10-08", "AZEMIL", "ARM"), "target": soldiers}
    assert dyad_of(ev) is None
    assert build_series([ev], by="actor")[0].key == "AZEMIL"  # the known side still counts
    assert [r.key for r in build_series([ev], by="country")] == ["AZE"]

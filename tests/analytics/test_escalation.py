"""The escalation method on constructed weeks: escalations alert; one article, a quiet dyad and a steadily
hostile dyad do not."""
from __future__ import annotations

import datetime as dt

import pytest
from analytics_helpers import background, make_event as E, monday

from casus.analytics.escalation import AlertOptions, escalation_index, find_alerts, intensity, weekly_scores
from casus.errors import OptionError

WEEKS = range(10)  # 2025-09-01 ... 2025-11-03, all observed through the background stories


def day(week: int, offset: int = 1) -> str:
    return (monday(week) + dt.timedelta(days=offset)).isoformat()


def calm_arm_aze() -> list[dict]:
    """Weeks 0-5: talks (cooperation) and one mild accusation in week 3."""
    evs = [E(day(w), "ARM", "AZE", plover="CONSULT", quad=1, goldstein=1.0, story=f"talks-{w}") for w in range(6)]
    evs.append(E(day(3), "AZEGOV", "ARM", plover="ACCUSE", quad=3, goldstein=-2.0, story="accuse-3"))
    return evs


def clashes(week: int, n: int, prefix: str = "clash") -> list[dict]:
    """``n`` distinct stories of shelling in ``week``, each with a second, lesser event (which must not add)."""
    evs = []
    for i in range(n):
        story = f"{prefix}-{week}-{i}"
        evs.append(E(day(week, i % 7), "AZEMIL", "ARM", goldstein=-10.0, story=story,
                     sentence=f"Azerbaijani forces shelled Armenian positions (story {i}, week {week})."))
        evs.append(E(day(week, i % 7), "ARM", "AZE", plover="ACCUSE", quad=3, goldstein=-2.0, story=story))
    return evs


def test_intensity_and_story_scores():
    assert intensity(E("2025-10-06", "A", "B", quad=4, goldstein=-10)) == 10
    assert intensity(E("2025-10-06", "A", "B", quad=3, goldstein=-4.4)) == pytest.approx(4.4)
    appeal = E("2025-10-06", "A", "B", plover=None, quad=1, goldstein=-0.3, cameo="024")
    assert intensity(appeal) == 0  # an appeal is not conflict, whatever its Goldstein sign
    scores, observed = weekly_scores(clashes(6, 3) + background(WEEKS))
    ws = scores[("ARM", "AZE")][monday(6)]
    assert ws.score == 30  # three stories x their gravest event (10); the accusations inside them add nothing
    assert ws.stories == 3
    assert observed == {monday(w) for w in WEEKS}


def test_escalation_is_flagged_with_its_evidence():
    events = background(WEEKS) + calm_arm_aze() + clashes(6, 4)
    alerts = find_alerts(events)
    assert len(alerts) == 1
    a = alerts[0]
    assert a.dyad == ("ARM", "AZE") and a.label == "ARM–AZE"
    assert (a.week_start, a.week_end) == (monday(6), monday(6) + dt.timedelta(days=6))
    assert a.score == 40 and a.stories == 4
    # baseline: weeks 0-5 observed (6 < 8 weeks of history), scores 0,0,0,2,0,0: median 0, mean 1/3, floor 5
    assert a.baseline_weeks == 6
    assert a.baseline_median == 0 and a.baseline_mean == pytest.approx(2 / 6)
    assert a.spread == 5.0 and a.z == pytest.approx(8.0)
    assert len(a.events) == 4 and all(e["plover"] == "ASSAULT" and e["intensity"] == 10 for e in a.events)
    assert all("shelled Armenian positions" in e["sentence"] and e["event_id"] for e in a.events)
    d = a.to_dict()
    assert d["dyad"] == "ARM:AZE" and d["week_start"] == "2025-10-13" and d["week_end"] == "2025-10-19"


def test_sustained_escalation_alerts_in_its_second_week_too():
    events = background(WEEKS) + calm_arm_aze() + clashes(6, 4) + clashes(7, 3)
    weeks = [(a.week_start, a.score) for a in find_alerts(events)]
    assert weeks == [(monday(6), 40), (monday(7), 30)]  # the median baseline is not raised by week 6


def test_a_single_noisy_article_is_not_an_alarm():
    one_article = [E(day(6), "AZEMIL", "ARM", goldstein=-10.0, story="one", articles=50, sources=40,
                     sentence=f"Shelling, sentence {i}.") for i in range(12)]
    events = background(WEEKS) + calm_arm_aze() + one_article
    scores, _ = weekly_scores(events)
    assert scores[("ARM", "AZE")][monday(6)].score == 10  # one story, however many sentences and outlets
    assert find_alerts(events) == []
    # the thresholds are options: one-story alerts at a lower level and a lower z let it through (z = 10 / 5)
    loose = find_alerts(events, AlertOptions(min_stories=1, min_score=10, z=2))
    assert [(a.week_start, a.stories) for a in loose] == [(monday(6), 1)]


def test_two_modest_stories_in_a_quiet_dyad_stay_below_the_minimum_level():
    events = background(WEEKS) + calm_arm_aze() + [
        E(day(6), "ARM", "AZE", plover="ACCUSE", quad=3, goldstein=-2.0, story="a"),
        E(day(6, 3), "AZE", "ARM", plover="THREATEN", quad=3, goldstein=-4.4, story="b")]
    rows = [r for r in escalation_index(events) if r.dyad == ("ARM", "AZE") and r.week == monday(6)]
    assert rows[0].z == pytest.approx(6.4 / 5) and not rows[0].alert
    assert find_alerts(events) == []


def test_a_quiet_cooperative_dyad_is_not_flagged():
    events = background(WEEKS) + [E(day(w), "DEU", "POL", plover="AGREE", quad=1, goldstein=5.0, story=f"deu-{w}")
                                  for w in WEEKS for _ in range(3)]
    assert find_alerts(events) == []
    assert not any(r.dyad == ("DEU", "POL") for r in escalation_index(events))  # never any conflict


def test_steady_high_conflict_is_not_flagged():
    # every week three stories (missile launch -10, threat -7, rejection -5 or -4): scores 21-22
    events = background(WEEKS)
    for w in WEEKS:
        events += [E(day(w), "PRKMIL", "KOR", goldstein=-10.0, story=f"launch-{w}"),
                   E(day(w, 2), "PRK", "KOR", plover="THREATEN", quad=3, goldstein=-7.0, story=f"threat-{w}"),
                   E(day(w, 4), "PRK", "KOR", plover="REJECT", quad=3, goldstein=-5.0 if w % 2 else -4.0,
                     story=f"reject-{w}")]
    # and one busier week (a fourth story) is within its usual range
    events.append(E(day(8, 5), "PRK", "KOR", plover="THREATEN", quad=3, goldstein=-7.0, story="extra"))
    index = [r for r in escalation_index(events) if r.z is not None]
    assert index and all(r.baseline_median >= 21 for r in index)
    assert max(r.z for r in index) < 3
    assert find_alerts(events) == []


def test_hypothetical_and_negated_conflict_do_not_count():
    hypo = [E(day(6, i), "AZE", "ARM", modality=m, story=f"h{i}") for i, m in
            enumerate(["hypothetical", "future", "negated", "hypothetical"])]
    events = background(WEEKS) + calm_arm_aze() + hypo
    assert find_alerts(events) == []
    assert monday(6) not in weekly_scores(events)[0].get(("ARM", "AZE"), {})


def test_too_little_observed_history_is_not_tested():
    # the corpus starts in week 6: no baseline, so even a burst of four stories is not called an escalation
    events = background(range(6, 10)) + clashes(6, 4)
    assert find_alerts(events) == []
    rows = [r for r in escalation_index(events) if r.week == monday(6)]
    assert rows[0].baseline_median is None and rows[0].z is None
    # unobserved weeks are unknown, not calm: a 2020 event does not make 2025 weeks observed
    old = [E("2020-03-04", "JPN", "KOR", plover="CONSULT", quad=1, goldstein=1.0, story=f"old-{i}") for i in range(4)]
    assert find_alerts(old + events) == []


def test_since_and_until_select_alert_weeks_but_baselines_reach_back():
    events = background(WEEKS) + calm_arm_aze() + clashes(6, 4) + clashes(7, 3)
    only_second = find_alerts(events, AlertOptions(since=monday(7).isoformat()))
    assert [a.week_start for a in only_second] == [monday(7)]
    assert only_second[0].baseline_weeks == 7
    assert [a.week_start for a in find_alerts(events, AlertOptions(until=day(6)))] == [monday(6)]


def test_alert_options_are_validated():
    with pytest.raises(OptionError, match="spread_floor"):
        AlertOptions(spread_floor=0).validated()
    with pytest.raises(OptionError, match="z must be"):
        AlertOptions(z=-1).validated()
    with pytest.raises(OptionError, match="min_baseline_weeks"):
        AlertOptions(baseline_weeks=3, min_baseline_weeks=4).validated()
    with pytest.raises(OptionError, match="since date"):
        AlertOptions(since="yesterday").validated()

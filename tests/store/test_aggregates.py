"""Aggregates computed in DuckDB (casus.store.aggregates) equal the same figures computed in Python from the
events themselves, on the sample corpus and on a small store built here with every awkward case: missing
sides, bare sector codes, IGOs without a country, empty strings, coarse and missing dates, other
modalities, stories told by several articles, ties."""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from casus.analytics.series import actor_identity, build_series, dyad_of, goldstein_units
from casus.store import EventFilter, query_events
from casus.store import aggregates as agg

# ---------------------------------------------------------------- a small store with the awkward cases

COUNTRIES = ["ARM", "AZE", "RUS", "UKR", "KOR"]
TYPES = [("010", None, 1, 0.0), ("036", "CONSULT", 1, 4.0), ("057", "AGREE", 1, 8.0), ("112", "ACCUSE", 3, -2.0),
         ("138", "THREATEN", 3, -7.0), ("190", "ASSAULT", 4, -10.0), ("173", "COERCE", 4, -5.0),
         ("020", "", 1, 3.4), ("141", "PROTEST", 3, None), ("999", "ASSAULT", None, -4.4)]


def _actor(rng: random.Random) -> dict | None:
    """A side: a country, its GOV/MIL, an IGO, a bare sector, a side with only text, or none."""
    r = rng.random()
    c = rng.choice(COUNTRIES)
    if r < 0.08:
        return None
    if r < 0.14:
        return {"text": "soldiers", "code": "MIL", "country": None, "sector": "MIL", "kind": None, "name": None}
    if r < 0.18:
        return {"text": "someone", "code": None, "country": None, "sector": None, "kind": None, "name": None}
    if r < 0.20:
        return {"text": "them", "code": "", "country": "", "sector": None, "kind": None, "name": ""}
    if r < 0.30:
        return {"text": "the UN", "code": "IGOUNO", "country": None, "sector": None, "kind": "igo",
                "name": "United Nations"}
    if r < 0.45:
        return {"text": f"{c} army", "code": c + "MIL", "country": c, "sector": "MIL", "kind": "state",
                "name": None}
    if r < 0.60:
        return {"text": f"{c} government", "code": c + "GOV", "country": c, "sector": "GOV",
                "kind": rng.choice(["state", "person"]), "name": f"Government of {c}"}
    return {"text": c, "code": c, "country": c, "sector": None, "kind": "state", "name": f"Country {c}"}


def make_events(n: int = 600, seed: int = 5) -> list[dict]:
    """``n`` events over twelve weeks from 2025-09-01 (a Monday), in stories of 1-4 events; an escalation of
    ARM against AZE in week 10."""
    rng = random.Random(seed)
    events, i, story = [], 0, 0
    while i < n:
        story += 1
        sid = f"story{story:04d}"
        for k in range(rng.randint(1, 4)):
            cameo, plover, quad, gold = rng.choice(TYPES)
            src, tgt = _actor(rng), _actor(rng)
            day = dt.date(2025, 9, 1) + dt.timedelta(days=rng.randrange(84))
            precision = rng.choice(["day"] * 8 + ["week", "month", "year", None])
            date: str | None = day.isoformat()
            if rng.random() < 0.04:
                date = None
            if 2 <= story % 50 <= 9 and i > n // 2:  # the escalation: shelling stories in week 10
                cameo, plover, quad, gold, precision = "194", "ASSAULT", 4, -10.0, "day"
                src = {"text": "Azerbaijan", "code": "AZEMIL", "country": "AZE", "sector": "MIL", "kind": "state",
                       "name": None}
                tgt = {"text": "Armenia", "code": "ARM", "country": "ARM", "sector": None, "kind": "state",
                       "name": "Armenia"}
                date = (dt.date(2025, 11, 10) + dt.timedelta(days=k)).isoformat()
            events.append({
                "doc_id": f"doc/{sid}.txt", "event_id": f"ev{i:05d}", "sentence": f"Sentence {i} of {sid}.",
                "sentence_index": k, "trigger": "did", "trigger_span": [0, 3], "rule": "verb",
                "lexicon_entry": "t.tsv:1", "plover": plover, "cameo": cameo, "cameo_name": f"code {cameo}",
                "cameo_root": cameo[:2], "quad_class": quad, "goldstein": gold, "mode": None, "context": None,
                "source": src, "target": tgt,
                "modality": rng.choice(["asserted"] * 6 + ["negated", "hypothetical", "future"]),
                "modality_cue": None, "date": date, "date_precision": precision if date else None,
                "date_source": "text", "location": None, "quantities": [], "attribution": None,
                "confidence": rng.choice([0.5, 0.7, 0.9, 1.0]), "coder_version": "test"})
            i += 1
    return events


def write_store(path: Path, events: list[dict]) -> Path:
    """A casus database holding ``events``: one coded document per story, stories of 1-3 articles."""
    from casus.store.schema import connect_write, event_to_row, insert_rows

    rng = random.Random(7)
    stories: dict[str, dict] = {}
    rows = []
    for ev in events:
        doc = ev["doc_id"]
        sid = doc.split("/")[1][:-4]
        if sid not in stories:
            n = rng.choice([1, 1, 1, 2, 3])
            stories[sid] = {"story_id": sid, "canonical_hash": "h" + sid, "canonical_doc_id": doc, "title": None,
                            "first_published": None, "num_articles": n, "num_sources": max(1, n - 1),
                            "num_shingles": 0, "minhash": b""}
        row = event_to_row(ev, "h" + sid, sid)
        row["sentence_start"] = 0
        rows.append(row)
    docs = [{"content_hash": s["canonical_hash"], "doc_id": s["canonical_doc_id"], "story_id": s["story_id"],
             "status": "coded", "source_key": "wire", "text": "text", "removed": "[]", "num_events": 1,
             "coder_version": "test", "ingested_at": dt.datetime(2025, 12, 1)} for s in stories.values()]
    with connect_write(path) as con:
        insert_rows(con, "stories", list(stories.values()))
        insert_rows(con, "documents", docs)
        insert_rows(con, "events", rows)
    return path


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    return write_store(tmp_path_factory.mktemp("agg") / "small.duckdb", make_events())


@pytest.fixture(params=["small", "corpus"])
def db(request) -> Path:
    """Each test runs on both stores (the corpus one is ingested once per session, and only when asked for)."""
    if request.param == "small":
        return request.getfixturevalue("small_db")
    return request.getfixturevalue("corpus_db")[0]


def _everything(db: Path, filters: EventFilter | None = None) -> list[dict]:
    return query_events(db, filters, limit=None, order="date")


# ---------------------------------------------------------------- the same figures in Python

def matches(actor: dict | None, code: str) -> bool:
    return bool(actor) and (actor.get("country") == code or (actor.get("code") or "").startswith(code))


def py_top_dyads(events: list[dict], n: int) -> list[dict]:
    agg_: dict[tuple, dict] = {}
    for ev in events:
        d = dyad_of(ev) if ev["modality"] == "asserted" else None
        if d is None:
            continue
        row = agg_.setdefault(d, {"a": d[0], "b": d[1], "events": 0, "conflict": 0, "goldstein_units": 0})
        row["events"] += 1
        row["conflict"] += (ev["quad_class"] or 0) >= 3
        row["goldstein_units"] += goldstein_units(ev["goldstein"])
    return sorted(agg_.values(), key=lambda r: (-r["events"], f"{r['a']}:{r['b']}"))[:n]


def py_partners(events: list[dict], code: str) -> list[dict]:
    agg_: dict[str, dict] = {}
    for ev in events:
        s, t = matches(ev["source"], code), matches(ev["target"], code)
        other = actor_identity(ev["target"] if s else ev["source"])
        if s == t or not other or other == code:
            continue
        row = agg_.setdefault(other, {"partner": other, "events": 0, "as_source": 0, "as_target": 0, "conflict": 0,
                                      "goldstein_units": 0})
        row["events"] += 1
        row["as_source" if s else "as_target"] += 1
        row["conflict"] += (ev["quad_class"] or 0) >= 3
        row["goldstein_units"] += goldstein_units(ev["goldstein"])
    return sorted(agg_.values(), key=lambda r: (-r["events"], r["partner"]))


def py_store_actors(events: list[dict], q: str | None, limit: int) -> list[dict]:
    needle = (q or "").strip().lower()
    agg_: dict[tuple, dict] = {}
    for ev in events:
        for side in ("source", "target"):
            a = ev[side]
            if not a or not (a.get("code") or a.get("country")):
                continue
            if needle not in " ".join(str(a.get(k) or "") for k in ("code", "country", "name")).lower():
                continue
            row = agg_.setdefault((a["code"], a["country"], a["name"]), {
                "code": a["code"], "country": a["country"], "name": a["name"], "kind": a["kind"],
                "sector": a["sector"], "events": 0})
            row["events"] += 1
    return sorted(agg_.values(), key=lambda r: (-r["events"], r["code"] or "", r["name"] or ""))[:limit]


def py_key_events(events: list[dict], n: int) -> list[dict]:
    asserted = [e for e in events if e["modality"] == "asserted"]
    return sorted(asserted, key=lambda e: (-abs(e["goldstein"] or 0) * (e["confidence"] or 0),
                                           -(e["num_articles"] or 1), e["date"] or ""))[:n]


def _ids(events: list[dict]) -> list[str]:
    return [e["event_id"] for e in events]


# ---------------------------------------------------------------- the tests

def test_get_event_is_the_stored_event(db):
    events = _everything(db)
    for ev in events[:: max(1, len(events) // 25)]:
        assert agg.get_event(db, ev["event_id"]) == ev
    assert agg.get_event(db, "no-such-event") is None
    assert agg.get_event(db, "' OR 1=1 --") is None  # a bound parameter, not SQL


@pytest.mark.parametrize("freq", ["day", "week", "month"])
@pytest.mark.parametrize("modalities", [("asserted",), ("negated", "future"), ("asserted", "negated", "hypothetical",
                                                                                "future")])
def test_series_counts_equal_build_series(db, freq, modalities):
    from casus.analytics.series import series_from_counts

    for f, party in [(None, None), (EventFilter(dyad="ARM:AZE", unordered=True), None),
                     (EventFilter(since="2025-10-01", until="2025-11-20"), "ARM"), (None, "IGOUNO")]:
        events = [e for e in _everything(db, f) if party is None or matches(e["source"], party)
                  or matches(e["target"], party)]
        expected = [r.to_dict() for r in build_series(events, by="all", freq=freq, modality=modalities, fill=True)]
        got = [r.to_dict() for r in series_from_counts(agg.series_counts(db, f, party=party, freq=freq,
                                                                         modalities=modalities), freq=freq, fill=True)]
        assert got == expected
        assert [list(r["by_plover"]) for r in got] == [list(r["by_plover"]) for r in expected]  # same order too
        assert sum(r["events"] for r in got) > 0 or modalities != ("asserted",)


def test_top_dyads(db):
    events = _everything(db)
    for n in (1, 3, 10, 100):
        assert agg.top_dyads(db, n) == py_top_dyads(events, n)


@pytest.mark.parametrize("code", ["ARM", "AZE", "ARMGOV", "IGOUNO", "KOR", "XYZ"])
def test_partners_counts_and_latest_events(db, code):
    events = [e for e in _everything(db) if matches(e["source"], code) or matches(e["target"], code)]
    assert agg.partners(db, code) == py_partners(events, code)
    assert agg.count_party(db, code) == len(events)
    assert _ids(agg.latest_events(db, party=code, limit=25)) == _ids(list(reversed(events))[:25])


@pytest.mark.parametrize("a, b", [("ARM", "AZE"), ("AZE", "ARM"), ("ARMGOV", "AZE"), ("PRK", "KOR"), ("RUS", "XYZ")])
def test_dyad_summary_and_key_events(db, a, b):
    f = EventFilter(dyad=f"{a}:{b}", unordered=True)
    events = _everything(db, f)
    by_type: dict = {}
    for e in events:
        by_type[e["plover"] or None] = by_type.get(e["plover"] or None, 0) + 1
    assert agg.dyad_summary(db, a, b) == {
        "total": len(events), "a_to_b": sum(matches(e["source"], a) for e in events),
        "b_to_a": sum(matches(e["source"], b) for e in events),
        "by_plover": sorted(by_type.items(), key=lambda kv: -kv[1])}
    for n in (1, 8, 50):
        assert _ids(agg.key_events(db, f, limit=n)) == _ids(py_key_events(events, n))


@pytest.mark.parametrize("q", [None, "arm", "UNITED", "mil", "zzz", "o"])
def test_store_actors(db, q):
    events = _everything(db)
    for limit in (5, 40, 1000):
        assert agg.store_actors(db, q, limit) == py_store_actors(events, q, limit)


def test_day_span(db):
    days = [e["date"] for e in _everything(db) if e["date"] and e["date_precision"] == "day"]
    assert agg.day_span(db) == (min(days), max(days))


def test_alerts_from_sql_equal_alerts_from_events(db):
    from casus.analytics.escalation import AlertOptions, find_alerts
    from casus.analytics.load import load_events, store_alerts

    events = load_events(db)
    found = 0
    for opts in (AlertOptions(), AlertOptions(since="2025-11-01"), AlertOptions(until="2025-10-20"),
                 AlertOptions(min_stories=1, min_score=5, z=1.0, top_events=2), AlertOptions(baseline_weeks=4)):
        expected = [a.to_dict() for a in find_alerts(events, opts)]
        assert [a.to_dict() for a in store_alerts(db, opts)] == expected
        found += len(expected)
    assert found >= 3  # the comparison is about alerts that exist


def test_conflict_weeks_are_the_weekly_scores(small_db):
    from casus.analytics.escalation import observed_weeks, weekly_scores

    events = _everything(small_db)
    weeks, rows = agg.conflict_weeks(small_db)
    scores, observed = weekly_scores(events)
    assert set(weeks) == observed == observed_weeks(events)
    assert {(a, b, w): (units / 1e6, n) for a, b, w, units, n in rows} == {
        (*d, w): (score.score, score.stories) for d, series in scores.items() for w, score in series.items()}
    assert any(n >= 5 for *_, n in rows)  # the escalation week: many stories


def test_bad_input_is_an_option_error(small_db):
    from casus.errors import OptionError

    with pytest.raises(OptionError, match="period 'year'"):
        agg.series_counts(small_db, freq="year")
    with pytest.raises(OptionError, match="modality"):
        agg.series_counts(small_db, modalities=["sure"])
    with pytest.raises(OptionError, match="since date"):
        agg.series_counts(small_db, EventFilter(since="2025-02-30"))

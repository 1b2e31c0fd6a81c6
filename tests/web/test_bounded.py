"""No page or endpoint reads the whole store into Python: each builds at most a page of event dicts, whatever
the number of events, and the aggregates it shows are the store's (checked against the events in Python)."""
from __future__ import annotations

import pytest

URLS = ["/", "/dyad", "/dyad?a=ARM&b=AZE", "/actor/ARM", "/actors", "/actors?q=arm", "/api/actors?q=a&limit=100",
        "/api/series/dyad?a=ARM&b=AZE&period=day&modality=all", "/api/series/actor?actor=KOR&period=month",
        "/api/alerts", "/api/alerts?since=2025-10-01", "/api/stats", "/events?plover=ASSAULT&limit=20"]


@pytest.fixture
def counted(monkeypatch):
    """Counts the event dicts built from stored rows, and forbids loading every event."""
    import casus.analytics.load
    import casus.store.aggregates
    import casus.store.queries

    built = {"n": 0}
    real = casus.store.queries.event_dict

    def event_dict(row):
        built["n"] += 1
        return real(row)

    def no_load(*args, **kwargs):
        raise AssertionError("load_events reads every event")

    monkeypatch.setattr(casus.store.queries, "event_dict", event_dict)
    monkeypatch.setattr(casus.store.aggregates, "event_dict", event_dict)
    monkeypatch.setattr(casus.analytics.load, "load_events", no_load)
    return built


def test_pages_and_endpoints_build_a_bounded_number_of_events(web_db, counted):
    from fastapi.testclient import TestClient

    from casus.store import count_events
    from casus.web import create_app

    total = count_events(web_db)
    client = TestClient(create_app(web_db), headers={"accept": "text/html"})
    for url in URLS:
        counted["n"] = 0
        r = client.get(url)
        assert r.status_code == 200, (url, r.text[:300])
        assert counted["n"] <= 50 < total, (url, counted["n"])  # a page of events at most (the events browser's)


def test_event_lookup_by_id(client):
    items = client.get("/api/events", params={"limit": 500, "order": "-goldstein"}).json()["items"]
    for ev in items[::40]:
        got = client.get(f"/api/events/{ev['event_id']}").json()
        assert got["event"] == ev and got["document"]["doc_id"] == ev["doc_id"]
        r = client.get(f"/events/{ev['event_id']}", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].endswith(f"#ev-{ev['event_id']}")
    assert client.get("/api/events/' OR '1'='1").status_code == 404


def test_dyad_page_figures_are_the_events(html_client):
    """The dyad page's count, directions and types agree with the events the API lists for the dyad."""
    import re

    events = html_client.get("/api/events", params={"dyad": "ARM:AZE", "unordered": "true", "limit": 500}).json()
    page = html_client.get("/dyad", params={"a": "ARM", "b": "AZE"}).text
    arm = sum(1 for e in events["items"]
              if e["source"]["country"] == "ARM" or (e["source"]["code"] or "").startswith("ARM"))
    assert f'<p class="lead">{events["total"]} events between' in page
    assert f"ARM → AZE: {arm}, AZE → ARM: {events['total'] - arm}" in page
    assault = sum(1 for e in events["items"] if e["plover"] == "ASSAULT")
    assert re.search(rf"ASSAULT: {assault}\b", page)


def test_actor_page_partners_are_the_events(client, html_client):
    """The actor page's partner table agrees with the events either side of which is the actor."""
    import re

    items = client.get("/api/events", params={"actor": "arm", "limit": 500}).json()["items"]

    def mine(a):
        return bool(a) and (a["country"] == "ARM" or (a["code"] or "").startswith("ARM"))

    aze = [e for e in items if mine(e["source"]) != mine(e["target"])
           and "AZE" in ((e["source"] or {}).get("country"), (e["target"] or {}).get("country"))]
    page = html_client.get("/actor/ARM").text
    row = page[page.index('<a href="/dyad?a=ARM&amp;b=AZE">AZE</a>'):].split("</tr>")[0]
    events, acts = (int(c) for c in re.findall(r'<td class="num">([^<]*)</td>', row)[:2])
    assert events == len(aze) > 5
    assert acts == sum(mine(e["source"]) for e in aze)

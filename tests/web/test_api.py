"""The JSON API: every endpoint's status codes and response shape, filters, errors, coding, limits, token."""
from __future__ import annotations

import pytest

from casus.model import CONTRACT_FIELDS, MODALITIES

from casus_web_helpers import XSS_ID


def _assert_error(r, status: int, code: str | None = None, says: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "status"}
    assert body["error"]["status"] == status
    if code:
        assert body["error"]["code"] == code
    if says:
        assert says in body["error"]["message"], body["error"]["message"]
    return body["error"]


def test_error_shape_is_locked(client):
    """The one error shape: {"error": {"code", "message", "status"}} (clients match on it; change = version bump)."""
    r = client.get("/api/events", params={"since": "2024-13-01"})
    assert r.json() == {"error": {"code": "E501", "message": "since date '2024-13-01' is not a date (YYYY-MM-DD)",
                                  "status": 422}}
    assert client.get("/api/events/0000000000000000").json() == {
        "error": {"code": "E701", "message": "no event '0000000000000000' in this store", "status": 404}}
    assert client.get("/api/nothing-here").json() == {
        "error": {"code": "E701", "message": "no page or resource at '/api/nothing-here'", "status": 404}}
    r = client.delete("/api/events")
    assert r.json() == {"error": {"code": "E704", "message": "method DELETE is not allowed here", "status": 405}}


def test_events_page_shape_and_paging(client):
    r = client.get("/api/events", params={"limit": 5})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"total", "limit", "offset", "items"}
    assert body["limit"] == 5 and body["offset"] == 0 and len(body["items"]) == 5 and body["total"] > 100
    for ev in body["items"]:
        assert set(CONTRACT_FIELDS) <= set(ev)
        assert {"story_id", "num_articles", "num_sources", "trigger_span"} <= set(ev)
    dates = [e["date"] for e in body["items"] if e["date"]]
    assert dates == sorted(dates, reverse=True)  # default order: newest first
    second = client.get("/api/events", params={"limit": 5, "offset": 5}).json()
    assert not {e["event_id"] for e in body["items"]} & {e["event_id"] for e in second["items"]}
    assert second["total"] == body["total"]
    last = client.get("/api/events", params={"limit": 500, "offset": body["total"]}).json()
    assert last["items"] == [] and last["total"] == body["total"]


@pytest.mark.parametrize("params, check", [
    ({"plover": "ASSAULT"}, lambda e: e["plover"] == "ASSAULT"),
    ({"plover": "assault"}, lambda e: e["plover"] == "ASSAULT"),
    ({"dyad": "ARM:AZE"}, lambda e: e["source"]["country"] == "ARM" and e["target"]["country"] == "AZE"),
    ({"dyad": "ARM:AZE", "unordered": "true"},
     lambda e: {e["source"]["country"], e["target"]["country"]} == {"ARM", "AZE"}),
    ({"country": "kor"}, lambda e: "KOR" in ((e["source"] or {}).get("country"), (e["target"] or {}).get("country"))),
    ({"cameo": "19"}, lambda e: e["cameo"].startswith("19")),
    ({"modality": "future"}, lambda e: e["modality"] == "future"),
    ({"since": "2025-10-01", "until": "2025-10-10"}, lambda e: "2025-10-01" <= e["date"] <= "2025-10-10"),
    ({"min_confidence": 0.9}, lambda e: e["confidence"] >= 0.9),
    ({"text": "SHELLING"}, lambda e: "shelling" in e["sentence"].lower()),
    ({"actor": "azerbaijan"}, lambda e: "azerbaijan" in str(e["source"]).lower() + str(e["target"]).lower()),
])
def test_event_filters(client, params, check):
    body = client.get("/api/events", params={**params, "limit": 500}).json()
    assert body["total"] == len(body["items"]) > 0, params
    assert all(check(e) for e in body["items"]), params


@pytest.mark.parametrize("order, key, reverse", [("date", "date", False), ("-confidence", "confidence", True),
                                                 ("goldstein", "goldstein", False)])
def test_event_order(client, order, key, reverse):
    items = client.get("/api/events", params={"order": order, "limit": 500}).json()["items"]
    values = [e[key] for e in items if e[key] is not None]
    assert values == sorted(values, reverse=reverse)


@pytest.mark.parametrize("params, says", [
    ({"since": "2024-02-30"}, "since date '2024-02-30' is not a date"),
    ({"until": "yesterday"}, "until date 'yesterday' is not a date"),
    ({"since": "2025-10-10", "until": "2025-10-01"}, "is after until"),
    ({"dyad": "RUS"}, "dyad 'RUS' is not A:B"),
    ({"dyad": "RUS:UKR:BLR"}, "is not A:B"),
    ({"plover": "INVADE"}, "plover 'INVADE' is not a PLOVER type"),
    ({"modality": "maybe"}, "modality 'maybe' is not one of"),
    ({"country": "Armenia"}, "not an ISO 3166 alpha-3 code"),
    ({"cameo": "19a"}, "is not a CAMEO code prefix"),
    ({"limit": -1}, "query parameter 'limit'"),
    ({"limit": 501}, "less than or equal to 500"),
    ({"offset": -3}, "query parameter 'offset'"),
    ({"min_confidence": 1.5}, "query parameter 'min_confidence'"),
    ({"min_confidence": "high"}, "query parameter 'min_confidence'"),
    ({"order": "random"}, "query parameter 'order'"),
    ({"actor": "x" * 501}, "query parameter 'actor'"),
])
def test_bad_filters_are_422_with_a_clear_message(client, params, says):
    _assert_error(client.get("/api/events", params=params), 422, "E501", says)


def test_event_detail_with_its_document(client):
    first = client.get("/api/events", params={"dyad": "ARM:AZE", "plover": "ASSAULT", "limit": 1}).json()["items"][0]
    r = client.get(f"/api/events/{first['event_id']}")
    assert r.status_code == 200
    body = r.json()
    assert body["event"] == first
    doc = body["document"]
    assert doc["doc_id"] == first["doc_id"] and "events" not in doc
    assert first["sentence"] in doc["text"]
    a, b = first["trigger_span"]
    assert first["sentence"][a:b] in first["trigger"] or first["trigger"].startswith(first["sentence"][a:b])


def test_document_endpoint(client):
    r = client.get(f"/api/documents/{XSS_ID}")
    assert r.status_code == 200
    doc = r.json()
    assert doc["text"].startswith("Armenia accused Azerbaijan") and "<script>" in doc["text"]  # stored verbatim
    assert {e["plover"] for e in doc["events"]} >= {"ACCUSE"}
    path_id = client.get("/api/events", params={"limit": 1, "text": "detainees"}).json()["items"][0]["doc_id"]
    assert "/" in path_id  # doc ids of files carry their folder
    assert client.get(f"/api/documents/{path_id}").json()["doc_id"] == path_id
    _assert_error(client.get("/api/documents/no-such-document"), 404, "E701")


def test_dyad_series(client):
    r = client.get("/api/series/dyad", params={"a": "arm", "b": "AZE", "period": "week"})
    assert r.status_code == 200
    body = r.json()
    assert body["key"] == "ARM:AZE" and body["period"] == "week" and body["modality"] == "asserted"
    rows = body["rows"]
    assert len(rows) >= 4 and all(r["key"] == "ARM:AZE" for r in rows)
    periods = [r["period"] for r in rows]
    assert periods == sorted(periods) and len(set(periods)) == len(periods)
    assert sum(r["events"] for r in rows) > 10
    assert all(sum(r["by_quad"].values()) == r["events"] for r in rows)
    month = client.get("/api/series/dyad", params={"a": "ARM", "b": "AZE", "period": "month", "modality": "all"})
    assert month.status_code == 200 and {r["modality"] for r in month.json()["rows"]} >= {"asserted"}
    _assert_error(client.get("/api/series/dyad", params={"a": "ARM", "b": "A Z"}), 422, "E501", "actor b")
    _assert_error(client.get("/api/series/dyad", params={"a": "ARM"}), 422, "E501", "query parameter 'b'")
    _assert_error(client.get("/api/series/dyad", params={"a": "ARM", "b": "AZE", "period": "year"}), 422, "E501")
    _assert_error(client.get("/api/series/dyad", params={"a": "ARM", "b": "AZE", "modality": "sure"}), 422, "E501")


def test_actor_series(client):
    body = client.get("/api/series/actor", params={"actor": "KOR", "period": "month"}).json()
    assert body["key"] == "KOR" and body["rows"] and all(r["period"].endswith("-01") for r in body["rows"])
    _assert_error(client.get("/api/series/actor", params={"actor": "'; DROP TABLE events; --"}), 422, "E501")


def test_alerts(client):
    r = client.get("/api/alerts")
    assert r.status_code == 200
    alerts = r.json()["alerts"]
    assert alerts and alerts[0]["dyad"] == "ARM:AZE"  # the sample corpus's escalating dyad
    assert {"week_start", "week_end", "score", "z", "stories", "events"} <= set(alerts[0])
    assert r.json() == client.get("/api/alerts", params={"since": "2025-09-01"}).json()
    assert client.get("/api/alerts", params={"until": "2025-09-15"}).json()["alerts"] == []
    _assert_error(client.get("/api/alerts", params={"since": "soon"}), 422, "E501", "since date 'soon'")


def test_actors_search(client):
    items = client.get("/api/actors", params={"q": "azerb"}).json()["items"]
    aze = [i for i in items if i["code"] == "AZE"]
    assert aze and aze[0]["in_store"] and aze[0]["in_kb"] and aze[0]["events"] > 0
    kb_only = client.get("/api/actors", params={"q": "Kyrgyz"}).json()["items"]
    assert any(i["code"] == "KGZ" and i["in_kb"] and not i["in_store"] for i in kb_only)
    busiest = client.get("/api/actors").json()["items"]
    assert busiest and busiest == sorted(busiest, key=lambda i: -i["events"])
    assert client.get("/api/actors", params={"q": "zzzzqqq"}).json()["items"] == []
    _assert_error(client.get("/api/actors", params={"q": ""}), 422, "E501")
    _assert_error(client.get("/api/actors", params={"limit": 0}), 422, "E501")


def test_stats(client):
    stats = client.get("/api/stats").json()
    assert stats["documents"] == 41 and stats["duplicates"] == 4 and stats["events"] > 100


def test_openapi_document(client):
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/events", "/api/events/{event_id}", "/api/series/dyad", "/api/series/actor", "/api/alerts",
            "/api/actors", "/api/code"} <= set(spec["paths"])
    assert not any(p.startswith("/documents") or p == "/" for p in spec["paths"])  # pages are not API
    assert client.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN: off


# ---------------------------------------------------------------- coding a posted article

ARTICLE = ("Armenia accused Azerbaijan of shelling border villages on Monday, killing two soldiers.\n\n"
           "The European Union urged both sides to show restraint.")


def test_code_text_returns_contract_events(client):
    r = client.post("/api/code", json={"text": ARTICLE, "title": "Border clash", "date": "2025-10-08"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["document"]["title"] == "Border clash" and body["document"]["text"].startswith("Armenia accused")
    events = body["events"]
    assert events and all(set(CONTRACT_FIELDS) <= set(e) for e in events)
    assert all(e["modality"] in MODALITIES for e in events)
    accuse = [e for e in events if e["plover"] == "ACCUSE"]
    assert accuse and accuse[0]["source"]["code"] == "ARM" and accuse[0]["target"]["code"] == "AZE"
    assert accuse[0]["date"] in ("2025-10-06", "2025-10-08")  # the publication date reached the coder
    from casus import code_text

    same = [e.to_dict() for e in code_text(ARTICLE, date="2025-10-08", doc_id=events[0]["doc_id"],
                                           title="Border clash")]
    assert [e["event_id"] for e in same] == [e["event_id"] for e in events]  # the library's contract, exactly


def test_code_html_page(client):
    page = ("<html><head><title>Border clash</title></head><body><nav>Home | World | Sport</nav><article>"
            "<h1>Border clash</h1><p>Armenia accused Azerbaijan of shelling border villages on Monday, killing "
            "two soldiers, officials said.</p><p>The European Union urged both sides to show restraint and "
            "return to talks.</p></article><footer>Copyright 2025</footer></body></html>")
    r = client.post("/api/code", json={"html": page, "date": "2025-10-08"})
    assert r.status_code == 200, r.text
    assert "Home | World" not in r.json()["document"]["text"]
    assert any(e["plover"] == "ACCUSE" for e in r.json()["events"])


@pytest.mark.parametrize("body, status, says", [
    ({"title": "no text"}, 422, "exactly one of them"),
    ({"text": "a", "html": "<p>b</p>"}, 422, "exactly one of them"),
    ({"text": ARTICLE, "date": "08/10/2025"}, 422, "is not YYYY-MM-DD"),
    ({"text": ARTICLE, "colour": "red"}, 422, "body field 'colour'"),
    ({"text": "   "}, 400, "empty"),
    ({"html": "<html><body></body></html>"}, 400, "no article text"),
])
def test_code_bad_input(client, body, status, says):
    _assert_error(client.post("/api/code", json=body), status, None, says)


def test_code_not_json(client):
    r = client.post("/api/code", content=b"text=hello", headers={"content-type": "application/x-www-form-urlencoded"})
    _assert_error(r, 422, "E501")


def test_body_limit_is_413(web_db):
    from fastapi.testclient import TestClient

    from casus.web import create_app

    small = TestClient(create_app(web_db, max_body=1000))
    _assert_error(small.post("/api/code", json={"text": "x" * 2000}), 413, "E703", "over the limit of 1,000 bytes")

    def chunks():  # no Content-Length: the limit holds while streaming too
        for _ in range(5):
            yield b"x" * 400

    _assert_error(small.post("/api/code", content=chunks(), headers={"content-type": "application/json"}), 413)
    assert small.post("/api/code", json={"text": ARTICLE}).status_code == 200
    default = TestClient(create_app(web_db))
    _assert_error(default.post("/api/code", json={"text": "x" * (2 * 1024 * 1024 + 10)}), 413, "E703")


def test_token_required_when_configured(web_db):
    from fastapi.testclient import TestClient

    from casus.web import create_app

    c = TestClient(create_app(web_db, token="s3cret-token"))
    err = _assert_error(c.get("/api/events"), 401, "E702", "token")
    assert c.get("/api/events").headers["www-authenticate"] == "Bearer"
    _assert_error(c.get("/api/events", headers={"authorization": "Bearer wrong"}), 401)
    _assert_error(c.get("/static/casus.css"), 401)
    _assert_error(c.get("/openapi.json"), 401)
    assert "s3cret" not in err["message"]
    assert c.get("/api/events", headers={"authorization": "Bearer s3cret-token"}).status_code == 200
    r = c.get("/api/stats", params={"token": "s3cret-token"})
    assert r.status_code == 200 and "HttpOnly" in r.headers["set-cookie"] and "SameSite=Strict" in r.headers["set-cookie"]
    assert c.get("/api/stats").status_code == 200  # the cookie set by ?token= now carries it
    page = TestClient(create_app(web_db, token="s3cret-token"), headers={"accept": "text/html"})
    r = page.get("/")
    assert r.status_code == 401 and r.headers["content-type"].startswith("text/html") and "E702" in r.text


def test_allowed_hosts(web_db):
    from fastapi.testclient import TestClient

    from casus.web import create_app

    c = TestClient(create_app(web_db, allowed_hosts=["127.0.0.1", "localhost"]), base_url="http://localhost:8000")
    assert c.get("/api/stats").status_code == 200
    _assert_error(c.get("/api/stats", headers={"host": "evil.example:8000"}), 400, "E705")


def test_unexpected_errors_do_not_leak(web_db, monkeypatch):
    from fastapi.testclient import TestClient

    from casus.web import create_app
    from casus.web.data import StoreView

    def boom(self):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(StoreView, "stats", boom)
    c = TestClient(create_app(web_db))
    err = _assert_error(c.get("/api/stats"), 500, "E700")
    assert "secret" not in err["message"] and "passwd" not in err["message"]
    r = c.get("/", headers={"accept": "text/html"})
    assert r.status_code == 500 and "secret" not in r.text


def test_missing_database_is_503(tmp_path):
    from fastapi.testclient import TestClient

    from casus.web import create_app

    c = TestClient(create_app(tmp_path / "none.duckdb"))
    _assert_error(c.get("/api/events"), 503, "E407", "casus ingest")
    assert not (tmp_path / "none.duckdb").exists()

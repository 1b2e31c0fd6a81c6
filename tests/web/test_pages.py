"""The HTML pages, rendered in-process: what each shows, and the highlighting and chart helpers behind them."""
from __future__ import annotations

import re
from html import unescape

import pytest

from casus_web_helpers import XSS_ID


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_overview(html_client):
    r = html_client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "Escalation alerts" in page and 'class="alert"' in page and "ARM–AZE" in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3  # dyads, types, weekly volume
    assert 'href="/dyad?a=ARM&amp;b=AZE"' in page
    assert 'href="/events?plover=ASSAULT"' in page
    assert "2025-09-01" in _text(page) and "events dated to the day" in page


def test_events_page_filters_sort_and_pages(html_client):
    page = html_client.get("/events").text
    assert re.search(r'<p class="count" id="count">\d+ events · showing 1–50</p>', page)
    assert 'rel="next"' in page and 'rel="prev"' not in page
    assert page.count('<tr id="row-') == 50
    second = html_client.get("/events", params={"offset": 50}).text
    assert 'rel="prev"' in second and "showing 51–100" in second
    r = html_client.get("/events", params={"dyad": "ARM:AZE", "unordered": "on", "plover": "ASSAULT",
                                           "order": "goldstein"})
    assert r.status_code == 200
    assert 'value="ARM:AZE"' in r.text and "<option selected>ASSAULT</option>" in r.text
    assert 'name="unordered" checked' in r.text
    assert all(p == "ASSAULT" for p in re.findall(r'<span class="plover q\d">([^<]+)</span>', r.text))
    assert 'href="?dyad=ARM%3AAZE&amp;unordered=on&amp;plover=ASSAULT&amp;order=-goldstein&amp;limit=50"' in r.text


@pytest.mark.parametrize("params, says", [({"since": "2025-13-01"}, "since date &#39;2025-13-01&#39; is not a date"),
                                          ({"dyad": "ARM"}, "is not A:B"), ({"limit": "-5"}, "limit"),
                                          ({"plover": "WAR"}, "is not a PLOVER type")])
def test_events_page_bad_filter_keeps_the_form(html_client, params, says):
    r = html_client.get("/events", params=params)
    assert r.status_code == 422
    assert '<p class="error" role="alert">' in r.text and says in r.text
    assert '<form class="filters"' in r.text


def test_event_link_redirects_to_its_place_in_the_document(html_client):
    ev = html_client.get("/api/events", params={"limit": 1, "plover": "ACCUSE"}).json()["items"][0]
    r = html_client.get(f"/events/{ev['event_id']}", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].endswith(f"#ev-{ev['event_id']}") and "%2F" in r.headers["location"]
    page = html_client.get(r.headers["location"].split("#")[0]).text
    assert f'id="ev-{ev["event_id"]}"' in page


def test_document_page_highlights_every_event(html_client):
    doc = html_client.get("/api/documents/text/2025-10-18-arm-aze-un-security-council.txt").json()
    page = html_client.get("/documents/text%2F2025-10-18-arm-aze-un-security-council.txt").text
    start = page.index('<div class="article-text"')
    article = page[start:page.index("</div>", start) + 6]
    assert _text(article) == doc["text"]  # the whole cleaned text, each character once, nothing added
    for ev in doc["events"]:
        marks = re.findall(r'<mark class="trigger" data-ev="([^"]*)">([^<]*)</mark>', article)
        a, b = ev["trigger_span"]
        assert any(ev["event_id"] in ids.split() and unescape(t) == ev["sentence"][a:b] for ids, t in marks), ev
        assert f'id="item-{ev["event_id"]}"' in page
    assert "What cleaning removed" in page and "dateline" in page and "NEW YORK, 18 October 2025" in page


def test_duplicate_document_points_to_its_story(html_client):
    ev = next(e for e in html_client.get("/api/events", params={"limit": 500}).json()["items"] if e["num_articles"] > 1)
    doc = html_client.get(f"/api/documents/{ev['doc_id']}").json()
    dup = next(a for a in doc["articles"] if a["status"] == "duplicate")
    page = html_client.get(f"/documents/{dup['content_hash']}").text
    assert "republishes a story coded once" in page and "Articles telling this story" in page


def test_document_not_found_is_an_html_error_page(html_client):
    r = html_client.get("/documents/nothing-here")
    assert r.status_code == 404 and "<code>E701</code>" in r.text and "nothing-here" in r.text


def test_dyad_page(html_client):
    page = html_client.get("/dyad", params={"a": "arm", "b": "aze"}).text
    assert "<h1>ARM – AZE</h1>" in page
    assert "Cooperation and conflict by week" in page and "Goldstein trend" in page and "Key events" in page
    assert page.count("<svg") == 3 and "week 2025-10-06" in page
    assert html_client.get("/dyad").status_code == 200  # the picker, with the busiest dyads
    r = html_client.get("/dyad", params={"a": "ARM", "b": "A;Z"})
    assert r.status_code == 422 and "actor b" in r.text


def test_actor_pages(html_client):
    page = html_client.get("/actor/ARM").text
    assert "<h1>ARM <span" in page and "Armenia" in page
    assert 'class="node"' in page and 'href="/dyad?a=ARM&amp;b=AZE"' in page
    assert page.count('<tr id="row-') == 25
    assert html_client.get("/actor/XYZ").status_code == 200  # unknown: a page that says it has no events
    assert html_client.get("/actor/%3Cscript%3E").status_code == 422
    search = html_client.get("/actors", params={"q": "armen"}).text
    assert 'href="/actor/ARM"' in search and 'href="/actor/ARMGOV"' in search


def test_code_page(html_client):
    form = html_client.get("/code").text
    assert '<form class="code-form" method="post" action="/code">' in form and 'name="article"' in form
    r = html_client.post("/code", data={"kind": "text", "date": "2025-10-08", "title": "Clash",
                                        "article": "Armenia accused Azerbaijan of shelling border villages on "
                                                   "Monday.\n\nThe European Union urged restraint."})
    assert r.status_code == 200
    assert "ACCUSE" in r.text and '<mark class="trigger"' in r.text and "in “Clash”" in r.text
    r = html_client.post("/code", data={"kind": "html", "article": "<html><body><nav>menu</nav></body></html>"})
    assert r.status_code == 400 and "[E210] posted HTML" in r.text and 'name="article"' in r.text
    r = html_client.post("/code", data={"kind": "text", "article": "Armenia met Azerbaijan.", "date": "tomorrow"})
    assert r.status_code == 422 and "is not YYYY-MM-DD" in r.text


# ---------------------------------------------------------------- helpers

def test_article_pieces_cover_the_text_once():
    from casus.web.marks import article

    text = "Alpha hit Beta. Gamma met Delta at noon.\n\nEpsilon."
    events = [{"event_id": "e1", "sentence": "Alpha hit Beta.", "sentence_start": 0, "trigger_span": [6, 9]},
              {"event_id": "e2", "sentence": "Gamma met Delta at noon.", "sentence_start": 16, "trigger_span": [6, 9]},
              {"event_id": "e3", "sentence": "Gamma met Delta at noon.", "sentence_start": 16, "trigger_span": [6, 15]},
              {"event_id": "e4", "sentence": "Not in this text.", "sentence_start": 3, "trigger_span": [0, 3]}]
    pieces, missing = article(text, events)
    assert "".join(p.text for p in pieces) == text
    assert missing == ["e4"]
    trig = [(p.text, p.events) for p in pieces if p.role == "trigger"]
    assert trig == [("hit", ["e1"]), ("met", ["e2", "e3"]), (" Delta", ["e3"])]
    assert [p.anchors for p in pieces if p.anchors] == [["e1"], ["e2", "e3"]]


def test_evidence_pieces_mark_trigger_source_and_target():
    from casus.web.marks import evidence

    ev = {"sentence": "Russia accused Ukraine of shelling Russia.", "trigger_span": [7, 14],
          "source": {"text": "Russia"}, "target": {"text": "Ukraine"}}
    assert [(p.text, p.role) for p in evidence(ev)] == [("Russia", "source"), (" ", ""), ("accused", "trigger"),
                                                        (" ", ""), ("Ukraine", "target"),
                                                        (" of shelling Russia.", "")]
    bad = {"sentence": "Short.", "trigger_span": [3, 99], "source": "RUS", "target": None}
    assert [(p.text, p.role) for p in evidence(bad)] == [("Short.", "")]


@pytest.mark.parametrize("url, safe", [("https://example.org/a", True), ("http://x.test", True),
                                       ("javascript:alert(1)", False), (" JavaScript:alert(1)", False),
                                       ("data:text/html,<b>", False), ("//evil.test/x", False), (None, False),
                                       ("vbscript:x", False), ("http://[::1", False)])
def test_safe_url(url, safe):
    from casus.web.marks import safe_url

    assert (safe_url(url) is not None) is safe


def test_charts_escape_labels_and_draw_nothing_without_data():
    from casus.web import charts

    svg = str(charts.hbars([{"label": "<script>x</script>", "value": 3, "href": "/a?b=1&c=2"}], "t<"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "/a?b=1&amp;c=2" in svg and "style=" not in svg
    assert charts.hbars([], "x") == "" and charts.timeline([], "x") == "" and charts.network("A", [], str, "x") == ""
    rows = [{"period": "2025-10-06", "events": 2, "by_quad": {"1": 1, "2": 0, "3": 0, "4": 1}, "goldstein_mean": -1.5},
            {"period": "2025-10-13", "events": 0, "by_quad": {"1": 0, "2": 0, "3": 0, "4": 0}, "goldstein_mean": None}]
    assert str(charts.timeline(rows, "t")).count("<rect") == 2
    line = str(charts.goldstein_line(rows, "t"))
    assert line.count("<circle") == 1 and "mean Goldstein -1.50" in line
    assert charts.goldstein_colour(-10) == "#b2182b" and charts.goldstein_colour(10) == "#1b7837"
    assert charts.goldstein_colour(0) == "#999999"

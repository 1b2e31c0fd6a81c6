"""The situation report from a small hand-made event list: files, images, alert, escaping, offline HTML."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from analytics_helpers import background, make_event as E, monday
from PIL import Image

from casus.analytics.report import build_report, coverage, md_escape, split_trigger
from casus.errors import OptionError

SCRIPT = 'Azerbaijani forces shelled Armenian posts <script>alert("x")</script> near Sotk & Kut.'
YEREVAN = {"name": "Yerevan", "country": "ARM", "lat": 40.18, "lon": 44.51, "precision": "city"}
BAKU = {"name": "Baku", "country": "AZE", "lat": 40.38, "lon": 49.89, "precision": "city"}


def day(week: int, offset: int = 1) -> str:
    return (monday(week) + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def events():
    evs = background(range(8))
    evs += [E(day(w), "ARM", "AZE", plover="CONSULT", quad=1, goldstein=1.0, story=f"talks-{w}", location=BAKU)
            for w in range(5)]
    evs += [E(day(6, 0), "AZEMIL", "ARM", goldstein=-10.0, story="shelling", articles=3, sources=3, sentence=SCRIPT,
              location=YEREVAN),
            E(day(6, 2), "ARMMIL", "AZE", goldstein=-10.0, story="sniper", location=YEREVAN),
            E(day(6, 4), "AZE", "ARM", plover="THREATEN", quad=3, goldstein=-7.0, story="threat")]
    evs.append(E("2010-01-01", "AZE", "ARM", precision="year", story="history"))  # background: outside the charts
    evs.append(E(day(6, 3), "AZE", "ARM", modality="hypothetical", story="maybe"))
    return evs


def test_report_files_images_alert_and_escaping(events, tmp_path):
    result = build_report(events, tmp_path / "out", source="hand-made")
    out = tmp_path / "out"
    assert result.index_html == out / "index.html" and result.report_md == out / "report.md"
    assert set(result.charts) == {"escalation", "coop_conflict", "goldstein", "network", "map"}
    for name, path in result.charts.items():
        assert path.parent == out and path.stat().st_size > 8_000, name  # a drawn chart, not an empty frame
        with Image.open(path) as im:
            im.verify()
        with Image.open(path) as im:
            assert im.format == "PNG" and 800 <= im.width <= 1600 and 300 <= im.height <= 1200, (name, im.size)
    assert [(a.dyad, a.week_start, a.score, a.stories) for a in result.alerts] == [(("ARM", "AZE"), monday(6), 27.0, 3)]
    assert (result.first_week, result.last_week) == (monday(0), monday(7))

    html = result.index_html.read_text(encoding="utf-8")
    assert "ARM–AZE · week 2025-10-13 to 2025-10-19" in html
    assert "conflict score <b>27</b> from <b>3</b> stories" in html
    assert "z = <b>5.4</b>" in html
    # the article's markup is text, never markup: escaped once, no script element anywhere
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    assert "Sotk &amp; Kut" in html
    # offline: images next to the page, referenced relatively; nothing fetched from the network
    srcs = re.findall(r'<img src="([^"]+)"', html)
    assert sorted(srcs) == sorted(p.name for p in result.charts.values())
    assert "http://" not in html and "https://" not in html and "<link" not in html
    assert "<style>" in html
    # key events carry evidence and dates; the hypothetical and the 2010 background are not among them
    assert "2025-10-13" in html and "story carried by 3 articles" in html
    assert "hypothetical 1" in html and "2010-01-01" not in html

    md = result.report_md.read_text(encoding="utf-8")
    assert "### ARM–AZE, week 2025-10-13 to 2025-10-19" in md
    assert "&lt;script&gt;" in md and "<script" not in md
    assert "![Weekly cooperation and conflict event counts](coop_conflict.png)" in md


def test_report_without_locations_or_conflict_says_so(tmp_path):
    calm = background(range(6)) + [E(f"2025-09-{d:02d}", "DEU", "POL", plover="AGREE", quad=1, goldstein=5.0)
                                   for d in (2, 9, 16, 23)]
    first = build_report(calm, tmp_path)
    assert first.alerts == [] and "map" not in first.charts and "escalation" not in first.charts
    html = first.index_html.read_text(encoding="utf-8")
    assert "No dyad's weekly conflict rose to an alert" in html
    assert "No event has a location with coordinates." in html
    assert not (tmp_path / "map.png").exists()


def test_stale_charts_are_removed(events, tmp_path):
    build_report(events, tmp_path)
    assert (tmp_path / "map.png").exists()
    no_places = [{**e, "location": None} for e in events]
    build_report(no_places, tmp_path)
    assert not (tmp_path / "map.png").exists()


def test_dyad_option_filters_alerts_and_is_checked(events, tmp_path):
    assert build_report(events, tmp_path / "a", dyad="arm:aze").alerts
    assert build_report(events, tmp_path / "b", dyad="KOR:PRK").alerts == []
    with pytest.raises(OptionError, match="A:B"):
        build_report(events, tmp_path / "c", dyad="ARM-AZE")


def test_helpers():
    weeks = [dt.date(2010, 1, 4), dt.date(2025, 9, 1), dt.date(2025, 9, 8), dt.date(2025, 10, 20)]
    assert coverage(weeks) == (dt.date(2025, 9, 1), dt.date(2025, 10, 20))  # 2010 is background
    assert coverage(weeks, since=dt.date(2025, 9, 10)) == (dt.date(2025, 9, 8), dt.date(2025, 10, 20))
    assert coverage([]) is None
    assert split_trigger("Troops shelled the town.", [7, 14], "shelled") == ("Troops ", "shelled", " the town.")
    assert split_trigger("Troops shelled the town.", None, "Shelled") == ("Troops ", "shelled", " the town.")
    assert md_escape("a|b <i>*x*</i>\nnext") == r"a\|b &lt;i&gt;\*x\*&lt;/i&gt; next"

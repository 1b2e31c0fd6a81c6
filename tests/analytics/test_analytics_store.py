"""Through a real store: the demo on the bundled sample corpus, ``casus alerts`` and ``casus report``.

The sample corpus (samples/corpus/MANIFEST.tsv) has an escalation between Armenia and Azerbaijan from
2025-10-06, steady hostility between the Koreas, and calm cooperative dyads.
"""
from __future__ import annotations

import json

from PIL import Image
from typer.testing import CliRunner

from casus.analytics.load import load_events, store_alerts
from casus.analytics.series import build_series
from casus.cli import app

runner = CliRunner()


def test_demo_ingests_alerts_and_writes_the_report(demo_run):
    out, result, text = demo_run
    assert (out / "casus.duckdb").exists()
    assert (result["documents"], result["duplicates"], result["rejected"]) == (40, 4, 0)
    assert [(a["dyad"], a["week_start"], a["week_end"]) for a in result["alerts"]] == [
        ("ARM:AZE", "2025-10-06", "2025-10-12"), ("ARM:AZE", "2025-10-13", "2025-10-19")]
    assert "ARM–AZE" in text and "escalation alert" in text
    assert "PRK" not in "".join(a["dyad"] for a in result["alerts"])
    report = out / "report" / "index.html"
    assert result["report"] == str(report) and report.exists()
    assert f"report: {report.resolve()}" in text.replace("\n", "")
    for name in ("escalation", "coop_conflict", "goldstein", "network", "map"):
        with Image.open(out / "report" / f"{name}.png") as im:
            assert im.width >= 800 and im.height >= 300
    html = report.read_text(encoding="utf-8")
    assert "ARM–AZE · week 2025-10-06 to 2025-10-12" in html and "ARM–AZE · week 2025-10-13 to 2025-10-19" in html


def test_alerts_name_arm_aze_in_the_right_weeks_and_not_the_koreas(demo_run):
    db = demo_run[0] / "casus.duckdb"
    alerts = store_alerts(db)
    assert [(a.dyad, a.week_start.isoformat()) for a in alerts] == [
        (("ARM", "AZE"), "2025-10-06"), (("ARM", "AZE"), "2025-10-13")]
    first = alerts[0]
    assert first.stories >= 3 and first.score >= 30 and first.baseline_median == 0 and first.z >= 6
    # the drivers are the shelling and firing of that week, with their evidence; the three-article story once
    sentences = " ".join(e["sentence"] for e in first.events)
    assert "shelled" in sentences
    assert len({e["story_id"] for e in first.events}) == len(first.events)
    assert all("2025-10-06" <= e["date"] <= "2025-10-12" for e in first.events)


def test_series_from_the_store_counts_a_duplicated_story_once(demo_run):
    events = load_events(demo_run[0] / "casus.duckdb", dyad="ARM:AZE")
    week = {r.period.isoformat(): r for r in build_series(events, by="dyad")}["2025-10-06"]
    shelling = [e for e in events if e["date"] == "2025-10-08" and e["num_articles"] == 3]
    assert shelling  # the shelling story was carried by three articles (two republished copies)
    assert week.stories == len({e["story_id"] for e in events if "2025-10-06" <= e["date"] <= "2025-10-12"
                                and e["modality"] == "asserted"})
    assert week.articles == week.stories + 2  # the story's two copies add articles, not events or stories
    assert week.by_quad[4] >= 3


def test_alerts_command_jsonl_table_and_options(demo_run):
    db = str(demo_run[0] / "casus.duckdb")
    res = runner.invoke(app, ["alerts", "--db", db, "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [(r["dyad"], r["week_start"]) for r in rows] == [("ARM:AZE", "2025-10-06"), ("ARM:AZE", "2025-10-13")]
    assert {"score", "baseline_median", "baseline_mean", "z", "stories", "events"} <= set(rows[0])
    assert rows[0]["events"][0]["sentence"] and rows[0]["events"][0]["event_id"]
    since = runner.invoke(app, ["alerts", "--db", db, "--since", "2025-10-13", "-f", "jsonl"])
    assert [json.loads(x)["week_start"] for x in since.stdout.splitlines()] == ["2025-10-13"]
    strict = runner.invoke(app, ["alerts", "--db", db, "--min-stories", "5"])
    assert strict.exit_code == 0 and "no escalation alerts" in strict.stdout
    table = runner.invoke(app, ["alerts", "--db", db, "--z", "3"])
    assert "ARM–AZE" in table.stdout and "2025-10-06" in table.stdout and "median 0" in table.stdout
    bad = runner.invoke(app, ["alerts", "--db", db, "--since", "October"])
    assert bad.exit_code == 2 and "E501" in bad.stderr
    missing = runner.invoke(app, ["alerts", "--db", str(demo_run[0] / "nope.duckdb")])
    assert missing.exit_code == 2 and "E40" in missing.stderr


def test_report_command_for_one_dyad(demo_run, tmp_path):
    db = str(demo_run[0] / "casus.duckdb")
    res = runner.invoke(app, ["report", "--db", db, "--dyad", "PRK:KOR", "--out", str(tmp_path / "koreas")])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == str(tmp_path / "koreas" / "index.html")
    html = (tmp_path / "koreas" / "index.html").read_text(encoding="utf-8")
    assert "Situation report: PRK–KOR" in html and "No dyad" in html and "ARM–AZE" not in html
    res = runner.invoke(app, ["report", "--db", db, "--dyad", "AZE:ARM", "--since", "2025-10-01",
                              "--out", str(tmp_path / "caucasus")])
    assert res.exit_code == 0, res.output
    assert "alert ARM–AZE week 2025-10-06" in res.stderr
    assert (tmp_path / "caucasus" / "escalation.png").exists()
    bad = runner.invoke(app, ["report", "--db", db, "--dyad", "ARMENIA-AZE", "--out", str(tmp_path / "x")])
    assert bad.exit_code == 2 and "E501" in bad.stderr

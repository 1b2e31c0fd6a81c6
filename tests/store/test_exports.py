"""Exports read back by real readers: csv for GDELT TSV, json for PLOVER, pyarrow and DuckDB for Parquet."""
import csv
import json

import duckdb
import pyarrow.parquet as pq
import pytest

from casus.errors import OptionError
from casus.store import EventFilter, query_events
from casus.store.exports import (GDELT_COLUMNS, export_gdelt, export_parquet, export_plover, global_event_id,
                                 run_export, write_events_parquet)


def test_gdelt_export_has_61_columns_integer_ids_and_story_counts(corpus_db, tmp_path):
    db, summary = corpus_db
    out = tmp_path / "events.tsv"
    assert export_gdelt(db, out) == summary.events
    with out.open(newline="", encoding="utf-8") as fh:
        rows = [dict(zip(GDELT_COLUMNS, r)) for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]
    assert len(rows) == summary.events
    with out.open(encoding="utf-8") as fh:
        assert all(line.count("\t") == 60 for line in fh)
    ids = [int(r["GLOBALEVENTID"]) for r in rows]
    assert len(set(ids)) == len(ids) and all(0 < i < 2 ** 63 for i in ids)
    events = {global_event_id(e["event_id"]): e for e in query_events(db, limit=None)}
    for r in rows:
        ev = events[int(r["GLOBALEVENTID"])]
        assert r["EventCode"] == ev["cameo"] and r["EventRootCode"] == ev["cameo_root"]
        assert r["EventBaseCode"] == ev["cameo"][:3] and int(r["QuadClass"]) == ev["quad_class"]
        assert float(r["GoldsteinScale"]) == ev["goldstein"]
        assert r["SQLDATE"] == ev["date"].replace("-", "") and r["Year"] == ev["date"][:4]
        assert r["MonthYear"] == ev["date"][:7].replace("-", "")
        assert int(r["NumArticles"]) == ev["num_articles"] and int(r["NumSources"]) == ev["num_sources"]
        assert r["Actor1Code"] == ((ev["source"] or {}).get("code") or "")
        assert r["Actor2CountryCode"] == ((ev["target"] or {}).get("country") or "")
        assert r["IsRootEvent"] == ("1" if ev["sentence_index"] == 0 else "0")
        assert len(r["DATEADDED"]) == 14 and r["SOURCEURL"]
        assert r["Actor1Geo_Type"] == "0" and r["AvgTone"] == ""
    shelling = [r for r in rows if events[int(r["GLOBALEVENTID"])]["doc_id"]
                == "meridian-press-2025-10-08-armenia-says-two-soldiers-killed"]
    assert shelling and {(r["NumArticles"], r["NumSources"], r["NumMentions"]) for r in shelling} == {("3", "3", "3")}
    located = [r for r in rows if events[int(r["GLOBALEVENTID"])]["location"]]
    for r in located:
        loc = events[int(r["GLOBALEVENTID"])]["location"]
        assert r["ActionGeo_Type"] in {"1", "2", "3", "4", "5"} and len(r["ActionGeo_CountryCode"]) in (0, 2)
        if loc.get("lat") is not None:
            assert float(r["ActionGeo_Lat"]) == pytest.approx(loc["lat"])


def test_global_event_id_is_stable_and_63_bit():
    assert global_event_id("e8c92b5932eaeb94") == int("e8c92b5932eaeb94", 16) & (2 ** 63 - 1)
    assert global_event_id("not-hex") == global_event_id("not-hex") < 2 ** 63


def test_plover_export_is_one_json_record_per_event(corpus_db, tmp_path):
    db, _ = corpus_db
    out = tmp_path / "plover.jsonl"
    n = export_plover(db, out, EventFilter(dyad="ARM:AZE"))
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == n > 0
    for rec in records:
        assert rec["id"] and rec["date"] and rec["event_type"] and rec["event_text"]
        assert rec["actor_country"] == "ARM" or rec["actor_code"].startswith("ARM")
        assert isinstance(rec["context"], list) and rec["quad_code"] in (1, 2, 3, 4)
        assert rec["num_articles"] >= 1 and rec["coder"].startswith("casus-")
        assert rec["headline"] and rec["publication_date"]


def test_parquet_export_directory_reads_back_in_pyarrow_and_duckdb(corpus_db, tmp_path):
    db, summary = corpus_db
    out = tmp_path / "pq"
    counts = export_parquet(db, out)
    assert counts == {"events": summary.events, "documents": 40, "stories": 36}
    events = pq.read_table(out / "events.parquet")
    assert events.num_rows == summary.events
    assert {"event_id", "plover", "source_code", "target_country", "num_articles", "num_sources",
            "location_lat", "date"} <= set(events.schema.names)
    assert str(events.schema.field("date").type) == "date32[day]"
    con = duckdb.connect()
    joined = con.execute(
        "SELECT count(*) FROM read_parquet(?) e JOIN read_parquet(?) d ON d.content_hash = e.doc_hash "
        "JOIN read_parquet(?) s ON s.story_id = e.story_id",
        [str(out / "events.parquet"), str(out / "documents.parquet"), str(out / "stories.parquet")]).fetchone()[0]
    assert joined == summary.events
    dup = con.execute("SELECT count(*) FROM read_parquet(?) WHERE status = 'duplicate'",
                      [str(out / "documents.parquet")]).fetchone()[0]
    assert dup == 4
    assert "minhash" not in pq.read_table(out / "stories.parquet").schema.names


def test_filtered_parquet_export_keeps_the_stories_of_the_selected_events(corpus_db, tmp_path):
    db, _ = corpus_db
    counts = export_parquet(db, tmp_path / "kor", EventFilter(country="KOR"))
    stories = pq.read_table(tmp_path / "kor" / "stories.parquet").column("story_id").to_pylist()
    events = pq.read_table(tmp_path / "kor" / "events.parquet")
    assert counts["events"] == events.num_rows > 0
    assert set(events.column("story_id").to_pylist()) == set(stories)
    assert counts["documents"] >= counts["stories"] == len(stories)


def test_events_parquet_file_and_export_errors(corpus_db, tmp_path):
    db, _ = corpus_db
    n = write_events_parquet(db, tmp_path / "one.parquet", EventFilter(plover="ASSAULT"), limit=5)
    assert n == 5 and pq.read_table(tmp_path / "one.parquet").column("plover").to_pylist() == ["ASSAULT"] * 5
    with pytest.raises(OptionError):
        run_export(db, "xml", tmp_path / "x")
    (tmp_path / "file").write_text("x")
    with pytest.raises(OptionError, match="not a directory"):
        export_parquet(db, tmp_path / "file")

"""Incremental ingest: the sample corpus, duplicate stories, re-runs that add nothing, rejections kept."""
import json
from pathlib import Path

import duckdb
import pytest

from casus.errors import OptionError, StoreError
from casus.store import ingest
from casus.store.queries import list_rejections, list_stories, store_stats
from casus.store.schema import WriterLock
from casus.store.writer import count_inputs

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "samples" / "corpus"
DUPS = ROOT / "tests" / "fixtures" / "inputs" / "duplicates"


def _rows(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_sample_corpus_summary_reconciles(corpus_db):
    db, s = corpus_db
    assert (s.read, s.coded, s.duplicates, s.rejected, s.already_stored) == (40, 36, 4, 0, 0)
    assert s.reconciles and not s.mostly_rejected
    assert s.events == sum(s.events_by_plover.values()) > 150
    assert s.events_by_plover["ASSAULT"] > 10 and s.new_stories == 36
    stored = _rows(db, "SELECT count(*) FROM events")[0][0]
    assert stored == s.events
    # every coded document holds exactly the events counted for it, duplicates hold none
    assert _rows(db, "SELECT count(*) FROM documents d WHERE num_events <> "
                     "(SELECT count(*) FROM events e WHERE e.doc_hash = d.content_hash)")[0][0] == 0
    assert _rows(db, "SELECT sum(num_events) FROM documents WHERE status = 'duplicate'")[0][0] == 0


def test_sample_corpus_duplicates_fold_into_their_stories(corpus_db):
    db, _ = corpus_db
    multi = {s["title"]: (s["num_articles"], s["num_sources"]) for s in list_stories(db, min_articles=2)}
    assert sorted(multi.values(), reverse=True) == [(3, 3), (2, 2), (2, 2)]
    assert multi["Armenia says two soldiers killed in Azerbaijani shelling"] == (3, 3)
    dup_ids = {r[0] for r in _rows(db, "SELECT doc_id FROM documents WHERE status = 'duplicate'")}
    assert dup_ids == {"html/2025-10-08-arm-aze-shelling-villages.html", "text/2025-10-08-arm-aze-shelling.txt",
                       "meridian-press-2025-10-14-tokyo-seoul-swap-line",
                       "meridian-press-2025-10-15-yerevan-orders-mobilisation"}
    # the events of a story carry its counts
    counts = _rows(db, "SELECT DISTINCT s.num_articles FROM events e JOIN stories s USING (story_id) "
                       "WHERE e.doc_id = 'meridian-press-2025-10-08-armenia-says-two-soldiers-killed'")
    assert counts == [(3,)]


def test_duplicates_fixture_gives_one_story_of_five_articles_and_two_others(tmp_path):
    db = tmp_path / "dups.duckdb"
    expected = json.loads((DUPS / "expected.json").read_text(encoding="utf-8"))
    files = [str(DUPS / n) for n in expected["duplicate_group"] + expected["not_duplicates"]]
    s = ingest(files, db)
    assert (s.read, s.coded, s.duplicates) == (7, 3, 4) and s.reconciles
    stories = list_stories(db)
    assert [(x["num_articles"], x["num_sources"]) for x in stories] == [(5, 2), (1, 1), (1, 1)]
    assert stories[0]["canonical_doc_id"] == "original.txt"
    members = {r[0] for r in _rows(db, "SELECT doc_id FROM documents WHERE story_id = ?", [stories[0]["story_id"]])}
    assert members == set(expected["duplicate_group"])
    assert {x["canonical_doc_id"] for x in stories[1:]} == set(expected["not_duplicates"])


def test_dedup_state_survives_across_runs(tmp_path):
    db = tmp_path / "runs.duckdb"
    ingest([str(DUPS / "original.txt")], db)
    s = ingest([str(DUPS / "trimmed.txt"), str(DUPS / "reworded-other-outlet.txt")], db)
    assert (s.coded, s.duplicates) == (0, 2)
    [story] = list_stories(db)
    assert (story["num_articles"], story["num_sources"]) == (3, 2)


def test_reingest_adds_nothing_and_new_inputs_are_added(tmp_path, snap):
    db = tmp_path / "inc.duckdb"
    first = ingest([str(DUPS / "original.txt"), str(DUPS / "distinct-accusation.txt")], db, batch_size=1)
    before = snap(db)
    again = ingest([str(DUPS / "original.txt"), str(DUPS / "distinct-accusation.txt")], db)
    assert (again.read, again.already_stored, again.coded, again.events) == (2, 2, 0, 0) and again.reconciles
    assert snap(db) == before
    more = ingest([str(DUPS)], db)  # the directory: 5 new documents, 2 already stored
    assert (more.read, more.already_stored, more.coded, more.duplicates) == (7, 2, 1, 4)
    assert store_stats(db)["documents"] == 7
    assert first.events + more.events == store_stats(db)["events"]
    runs = _rows(db, "SELECT run_id, finished_at IS NOT NULL FROM runs ORDER BY run_id")
    assert runs == [(1, True), (2, True), (3, True)]


def test_rejections_are_stored_with_provenance_and_reason(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "in" / "blob.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (tmp_path / "in" / "good.txt").write_text((DUPS / "original.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "in" / "recs.jsonl").write_text('{"id": "r1", "text": "Wir haben heute in Berlin über die '
                                                'Zukunft der Eisenbahn gesprochen und viel gelacht."}\nnot json\n',
                                                encoding="utf-8")
    db = tmp_path / "rej.duckdb"
    s = ingest([str(tmp_path / "in"), str(tmp_path / "missing.txt")], db)
    assert s.reconciles and s.read == 6 and s.coded == 1
    assert dict(s.rejected_reasons) == {"binary": 1, "empty": 1, "bad-record": 1, "language": 1, "unreadable": 1}
    assert s.mostly_rejected  # 5 of 6: the CLI exits non-zero
    rej = {r["reason"]: r for r in list_rejections(db)}
    assert rej["unreadable"]["provenance"] == str(tmp_path / "missing.txt")
    assert "no such file" in rej["unreadable"]["message"]
    assert rej["language"]["doc_id"] == "r1" and rej["language"]["content_hash"]
    assert rej["bad-record"]["provenance"].endswith("recs.jsonl:2")
    again = ingest([str(tmp_path / "in"), str(tmp_path / "missing.txt")], db)
    assert again.rejected == 5 and len(list_rejections(db)) == 5  # seen again, stored once


def test_progress_reports_documents_and_the_estimated_total(tmp_path):
    seen = []
    ingest([str(DUPS)], tmp_path / "p.duckdb", batch_size=3, progress=seen.append)
    assert seen[0].total == 7 and seen[-1].done == 7 and seen[-1].committed == 7
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert count_inputs([str(CORPUS)]) == 40


def test_one_writer_at_a_time_and_batch_size_is_checked(tmp_path):
    db = tmp_path / "locked.duckdb"
    with WriterLock(db):
        with pytest.raises(StoreError) as exc:
            ingest([str(DUPS / "original.txt")], db)
    assert exc.value.code == "E405" and "another casus process" in str(exc.value) and exc.value.http_status == 409
    with pytest.raises(OptionError):
        ingest([str(DUPS / "original.txt")], db, batch_size=0)

"""The dedup window through the store: folds across runs within the window, new stories beyond it, and a
rebuild that reads only the stories the index still holds."""
import datetime as dt
import json
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from casus.cli import app
from casus.config import Options
from casus.ingest.dedup import DedupIndex
from casus.store import ingest
from casus.store.dedup_state import load_index
from casus.store.parquet import dedup_state
from casus.store.queries import list_stories

DUPS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "inputs" / "duplicates"


def records(path: Path, *docs: tuple[str, str, str]) -> str:
    """A JSON Lines file of fixture texts: (id, fixture file, date)."""
    lines = [json.dumps({"id": doc_id, "text": (DUPS / name).read_text(encoding="utf-8"), "date": date,
                         "source": doc_id.split("-")[0]}) for doc_id, name, date in docs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def status(db, doc_id):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT status, story_id FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
    finally:
        con.close()


def test_a_resumed_ingest_folds_a_copy_within_the_window_and_not_one_beyond(tmp_path):
    db = tmp_path / "w.duckdb"
    first = ingest([records(tmp_path / "a.jsonl", ("wire-orig", "original.txt", "2025-10-20"))], db)
    assert first.new_stories == 1
    # a later run: the index is rebuilt from the store; a copy 10 days on folds, one 90 days on is new
    s = ingest([records(tmp_path / "b.jsonl", ("paper-trim", "trimmed.txt", "2025-10-30"),
                        ("blog-reword", "reworded-other-outlet.txt", "2026-01-18"))], db)
    assert (s.coded, s.duplicates, s.new_stories) == (1, 1, 1)
    orig_story = status(db, "wire-orig")[1]
    assert status(db, "paper-trim") == ("duplicate", orig_story)
    assert status(db, "blog-reword") == ("coded", status(db, "blog-reword")[1]) != ("coded", orig_story)
    counts = {x["canonical_doc_id"]: (x["num_articles"], x["num_sources"]) for x in list_stories(db)}
    assert counts == {"wire-orig": (2, 2), "blog-reword": (1, 1)}


def test_the_rebuild_reads_only_the_stories_within_the_window(tmp_path):
    db = tmp_path / "r.duckdb"
    ingest([records(tmp_path / "a.jsonl", ("wire-orig", "original.txt", "2025-10-20"),
                    ("wire-acc", "distinct-accusation.txt", "2025-12-01"),
                    ("wire-inv", "distinct-invitation.txt", "2025-12-15"))], db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        index = DedupIndex.for_options(Options())  # window 30 days behind the newest stored date, 2025-12-15
        assert load_index(con, index) == 2 and index.newest == dt.date(2025, 12, 15).toordinal()
        assert status(db, "wire-orig")[1] not in index and status(db, "wire-acc")[1] in index
        everything = DedupIndex.for_options(Options(dedup_window=0))
        assert load_index(con, everything) == 3
        capped = DedupIndex.for_options(Options(dedup_window=0, dedup_max_stories=1))
        assert load_index(con, capped) == 1 and status(db, "wire-inv")[1] in capped  # the latest day
    finally:
        con.close()
    index = DedupIndex.for_options(Options())
    assert dedup_state(db, index) == 2 and len(index) == 2  # what the Dask engine starts from
    # a late copy of the October story: its original is no longer held, so it is a story of its own
    s = ingest([records(tmp_path / "b.jsonl", ("paper-trim", "trimmed.txt", "2025-10-21"))], db)
    assert (s.coded, s.duplicates) == (1, 0)
    # with the window off, the same copy folds
    db2 = tmp_path / "r2.duckdb"
    ingest([str(tmp_path / "a.jsonl")], db2)
    s2 = ingest([str(tmp_path / "b.jsonl")], db2, options=Options(dedup_window=0))
    assert (s2.coded, s2.duplicates) == (0, 1)


def test_cli_ingest_takes_the_dedup_options(tmp_path):
    runner = CliRunner()
    help_text = runner.invoke(app, ["ingest", "--help"], env={"COLUMNS": "200"}).stdout
    assert "--dedup-window" in help_text and "--dedup-max-stories" in help_text
    db = tmp_path / "c.duckdb"
    src = records(tmp_path / "a.jsonl", ("wire-orig", "original.txt", "2025-10-20"),
                  ("paper-trim", "trimmed.txt", "2026-01-18"))
    result = runner.invoke(app, ["ingest", src, "--db", str(db), "--no-progress", "--dedup-window", "120"])
    assert result.exit_code == 0, result.output
    assert "coded 1 + duplicates 1" in result.stdout
    bad = runner.invoke(app, ["ingest", src, "--db", str(db), "--no-progress", "--dedup-window", "-1"])
    assert bad.exit_code == 2


def test_repeated_documents_are_skipped_across_lookup_chunks_and_commits(tmp_path, monkeypatch):
    """The parent no longer holds every stored hash: stored documents are looked up a chunk at a time. A text
    read again in the same run, before or after its batch was committed, in the same chunk or a later one,
    is still counted once."""
    import casus.store.writer as writer

    monkeypatch.setattr(writer, "LOOKUP_DOCS", 3)  # chunk 1: original, accusation, original (committed by then)
    names = ["original.txt", "distinct-accusation.txt", "original.txt", "distinct-invitation.txt",
             "original.txt", "distinct-accusation.txt", "trimmed.txt", "original.txt"]
    src = records(tmp_path / "r.jsonl", *[(f"src{i}-{n}", n, "2025-10-20") for i, n in enumerate(names)])
    db = tmp_path / "rep.duckdb"
    s = ingest([src], db, batch_size=1)
    assert (s.read, s.coded, s.duplicates, s.already_stored) == (8, 3, 1, 4) and s.reconciles
    again = ingest([src], db, batch_size=3)  # a second run: everything is found in the store
    assert (again.read, again.already_stored, again.coded) == (8, 8, 0)
    ing = writer.Ingestor(db, Options(), 1)
    assert not ing.seen.unsaved  # nothing is loaded up front

"""Fault tests (issue 10): a failure while writing leaves the store consistent, and the next run completes it."""
import duckdb
import pytest

from casus.errors import CasusError
from casus.store import ingest
from casus.store import writer as writer_mod


def _docs(tmp_path, n=12):
    d = tmp_path / "in"
    d.mkdir()
    for i in range(n):
        (d / f"a{i:02d}.txt").write_text(
            f"Report {i}\n\nMADRID, 3 May 2024 (Test Wire) - Spain accused Morocco of blocking convoy number {i} "
            f"near the border on Tuesday, and Morocco denied the charge number {i}.\n", encoding="utf-8")
    return d


def _tables(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = con.execute("SELECT doc_id, status, num_events FROM documents ORDER BY doc_id").fetchall()
        evs = con.execute("SELECT event_id, doc_id, cameo FROM events ORDER BY event_id").fetchall()
        orphans = con.execute("SELECT count(*) FROM events e LEFT JOIN documents d USING (doc_id) "
                              "WHERE d.doc_id IS NULL").fetchone()[0]
    finally:
        con.close()
    return docs, evs, orphans


def test_failing_writer_leaves_whole_batches_and_the_next_run_completes(tmp_path, monkeypatch):
    src = _docs(tmp_path)
    good = tmp_path / "good.duckdb"
    ingest([str(src)], good, batch_size=4)

    db = tmp_path / "faulty.duckdb"
    real = writer_mod.insert_rows
    calls = {"events": 0}

    def failing(con, table, rows):
        if table == "events":
            calls["events"] += 1
            if calls["events"] == 2:  # the second batch's write fails half-way (a full disk, say)
                real(con, table, rows[: len(rows) // 2])
                raise OSError(28, "No space left on device")
        return real(con, table, rows)

    monkeypatch.setattr(writer_mod, "insert_rows", failing)
    with pytest.raises(CasusError, match="rolled back"):
        ingest([str(src)], db, batch_size=4)
    docs, evs, orphans = _tables(db)
    assert len(docs) == 4 and orphans == 0  # only the first, whole batch is there
    assert sum(n for _, _, n in docs) == len(evs)

    monkeypatch.setattr(writer_mod, "insert_rows", real)
    ingest([str(src)], db, batch_size=4)
    assert _tables(db)[:2] == _tables(good)[:2]

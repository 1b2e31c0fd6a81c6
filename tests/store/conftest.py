"""Fixtures for the store tests: the bundled sample corpus ingested once per session, and table snapshots."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "samples" / "corpus"
DUPLICATES = ROOT / "tests" / "fixtures" / "inputs" / "duplicates"
TIMESTAMPS = {"ingested_at", "started_at", "finished_at"}  # wall-clock columns: differ between any two runs


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory):
    """samples/corpus ingested into a fresh database (batch size 16): (path, summary). Do not write to it."""
    from casus.store import ingest

    path = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    summary = ingest([str(CORPUS)], path, batch_size=16)
    return path, summary


@pytest.fixture
def corpus_copy(corpus_db, tmp_path):
    """A private copy of the corpus database, for tests that write."""
    dst = tmp_path / "copy.duckdb"
    shutil.copy(corpus_db[0], dst)
    return dst


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every data table's rows (sorted, timestamps left out): two databases with equal snapshots hold the same data."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in ("meta", "documents", "stories", "events", "rejections"):
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]).fetchall() if r[0] not in TIMESTAMPS]
            rows = con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


@pytest.fixture
def snap():
    """The :func:`snapshot` function, as a fixture (test modules cannot import this conftest by name)."""
    return snapshot

"""Engines give the store of ``casus.store.ingest``: the local engine with 2 worker processes equals
1 process, and the Dask engine on a two-worker LocalCluster equals the local engine (event ids and
contents, documents, stories, rejections). The corpus is small (11 sample articles, one of them a
republished copy in a later partition, plus an exact repeat and two rejections) so that the slow tests
stay near a minute."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from casus.errors import OptionError, StoreError
from casus.store.queries import query_events

ROOT = Path(__file__).resolve().parents[2]
TEXT = ROOT / "samples" / "corpus" / "text"
TIMESTAMPS = {"ingested_at", "started_at", "finished_at"}
BATCH = 4  # documents per batch (local) or coded documents per partition (Dask): work is split, dedup crosses parts


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    """14 inputs in order: 10 wire stories, the HTML republication of one of them (a near duplicate,
    in a later partition than its original), then a JSON Lines file with an exact repeat of a story
    already read, a French article and an empty one (two rejections)."""
    texts = sorted(TEXT.glob("*.txt"))[:10]
    assert any(p.name == "2025-10-08-arm-aze-shelling.txt" for p in texts)
    extra = tmp_path_factory.mktemp("inputs") / "extra.jsonl"
    records = [
        {"id": "fr-1", "text": "Le ministre des affaires étrangères a rencontré hier son homologue à Paris pour "
                               "discuter de la coopération économique entre les deux pays et de la sécurité "
                               "régionale, selon un communiqué publié dans la soirée.", "date": "2025-10-01"},
        {"id": "empty-1", "text": "   ", "date": "2025-10-01"},
    ]
    extra.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    dup = ROOT / "samples" / "corpus" / "html" / "2025-10-08-arm-aze-shelling-villages.html"
    return [str(p) for p in texts] + [str(dup), str(texts[0]), str(extra)]


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every data table's rows, sorted, without wall-clock columns."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in ("documents", "stories", "events", "rejections"):
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]).fetchall() if r[0] not in TIMESTAMPS]
            out[table] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def one_process(inputs, tmp_path_factory):
    from casus.engines.local import ingest_local

    db = tmp_path_factory.mktemp("one") / "one.duckdb"
    return db, ingest_local(inputs, db, workers=1, batch_size=BATCH)


@pytest.fixture(scope="module")
def dask_run(inputs, tmp_path_factory):
    from distributed import Client

    from casus.engines.dask_engine import ingest_dask, local_cluster

    base = tmp_path_factory.mktemp("dask")
    with local_cluster(2) as cluster, Client(cluster) as client:  # processes=True, threads_per_worker=1
        assert cluster.processes and list(client.nthreads().values()) == [1, 1]
        assert len(client.nthreads()) == 2
        summary = ingest_dask(inputs, base / "parquet", db=base / "dask.duckdb", client=client,
                              partition_size=BATCH)
    return base / "dask.duckdb", base / "parquet", summary


def _reconciled(s) -> tuple:
    return s.read, s.coded, s.duplicates, s.rejected, s.already_stored, s.events, s.new_stories


@pytest.mark.slow
def test_local_engine_two_workers_equals_one_process(inputs, one_process, tmp_path, monkeypatch):
    from casus.engines import local
    from casus.engines.local import LocalEngine, ingest_local

    monkeypatch.setattr(local, "MIN_CHUNK", 1)  # each batch split between the two workers, as in large runs
    db1, s1 = one_process
    assert _reconciled(s1) == (14, 10, 1, 2, 1, s1.events, 10) and s1.events > 50
    db2 = tmp_path / "two.duckdb"
    with LocalEngine(2) as engine:
        assert engine.warm_up() > 0
        s2 = ingest_local(inputs, db2, engine=engine, batch_size=BATCH)
        assert s2.reconciles and _reconciled(s2) == _reconciled(s1) and s2.batches == s1.batches
        assert s2.events_by_plover == s1.events_by_plover
        assert snapshot(db2) == snapshot(db1)
        # resumable like the writer: a second run finds every document stored (rejections are re-read)
        again = ingest_local(inputs, db2, engine=engine, batch_size=BATCH)
    assert (again.already_stored, again.rejected, again.coded, again.events) == (12, 2, 0, 0)
    assert snapshot(db2) == snapshot(db1)


@pytest.mark.slow
def test_dask_engine_equals_local_engine(one_process, dask_run):
    db_local, s_local = one_process
    db_dask, parquet, s_dask = dask_run
    assert _reconciled(s_dask) == _reconciled(s_local)
    assert s_dask.events_by_plover == s_local.events_by_plover
    local, dask = snapshot(db_local), snapshot(db_dask)
    ids = {r[0] for r in local["events"]}
    assert len(ids) == len(local["events"]) and ids == {r[0] for r in dask["events"]}
    for table in ("events", "documents", "stories", "rejections"):
        assert dask[table] == local[table], table
    # the duplicate folded across partitions into the story of the original, coded once
    dup = [r for r in query_events(db_dask, limit=None) if r["doc_id"].startswith("html/")]
    assert dup == [] and s_dask.duplicates == 1
    # casus events --db reads it, with story counts
    shelling = [e for e in query_events(db_dask, limit=None) if e["doc_id"].endswith("arm-aze-shelling.txt")]
    assert shelling and {e["num_articles"] for e in shelling} == {2}


@pytest.mark.slow
def test_parquet_has_the_store_columns_and_imports_once(dask_run, tmp_path):
    from casus.store.parquet import arrow_schema, import_parquet

    db, parquet, summary = dask_run
    manifest = json.loads((parquet / "_casus.json").read_text(encoding="utf-8"))
    assert manifest["complete"] and manifest["partitions"] == 3 and manifest["summary"]["events"] == summary.events
    for table in ("documents", "events", "stories", "rejections"):
        files = sorted((parquet / table).glob("part-*.parquet"))
        assert files, table
        for f in files:
            assert pq.read_schema(f).remove_metadata() == arrow_schema(table).remove_metadata()
    events = sum(pq.read_metadata(f).num_rows for f in (parquet / "events").glob("*.parquet"))
    assert events == summary.events
    # importing into the store it was already imported into adds nothing; into a new store, everything
    assert import_parquet(parquet, db) == {"documents": 0, "events": 0, "stories": 0, "rejections": 0}
    fresh = tmp_path / "fresh.duckdb"
    assert import_parquet(parquet, fresh) == {"documents": 11, "events": summary.events, "stories": 10,
                                              "rejections": 2}
    assert snapshot(fresh) == snapshot(db)


def test_engine_options_are_checked(tmp_path):
    from casus.engines import run_ingest

    with pytest.raises(OptionError, match="--out"):
        run_ingest([str(TEXT)], tmp_path / "x.duckdb", engine="dask")
    with pytest.raises(OptionError, match="--engine dask"):
        run_ingest([str(TEXT)], tmp_path / "x.duckdb", engine="local", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(OptionError, match="at least one"):
        run_ingest([str(TEXT)], tmp_path / "x.duckdb", engine="local", workers=0)
    with pytest.raises(OptionError, match="engine"):
        run_ingest([str(TEXT)], tmp_path / "x.duckdb", engine="spark")
    assert not (tmp_path / "x.duckdb").exists()


def test_parquet_directories_are_checked(tmp_path):
    from casus.store.parquet import import_parquet, prepare_out_dir, write_manifest

    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "file").write_text("x")
    with pytest.raises(OptionError, match="not empty"):
        prepare_out_dir(tmp_path / "used")
    with pytest.raises(OptionError, match="not a casus Parquet directory"):
        import_parquet(tmp_path / "used", tmp_path / "db.duckdb")
    partial = prepare_out_dir(tmp_path / "partial")
    write_manifest(partial, {"complete": False})
    with pytest.raises(OptionError, match="incomplete"):
        import_parquet(partial, tmp_path / "db.duckdb")


def test_dask_engine_reports_an_unreachable_scheduler(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    from casus.engines import EngineError, dask_engine
    from casus.engines.dask_engine import ingest_dask

    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", 1.0)
    with pytest.raises(EngineError, match="cannot reach the Dask scheduler"):
        ingest_dask([str(TEXT)], tmp_path / "out", scheduler="tcp://127.0.0.1:9", n_workers=1)


def test_cli_ingest_engine_options(tmp_path):
    from typer.testing import CliRunner

    from casus.cli import app

    res = CliRunner().invoke(app, ["ingest", str(TEXT), "--db", str(tmp_path / "c.duckdb"), "--engine", "dask"])
    assert res.exit_code == 2 and "--out" in res.output
    res = CliRunner().invoke(app, ["ingest", str(TEXT), "--db", str(tmp_path / "c.duckdb"), "--engine", "spark"])
    assert res.exit_code == 2


def test_store_error_when_another_writer_holds_the_database(tmp_path):
    from casus.engines.local import ingest_local
    from casus.store.schema import WriterLock

    db = tmp_path / "held.duckdb"
    with WriterLock(db):
        with pytest.raises(StoreError) as exc:
            ingest_local([str(TEXT)], db, workers=2)
    assert exc.value.code == "E405"

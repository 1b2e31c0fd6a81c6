"""Partitioned Parquet output (the Dask engine's) and importing it into a DuckDB store.

A Parquet directory written by ``casus ingest --engine dask --out DIR``::

    DIR/_casus.json                   what wrote it: coder version, MinHash parameters, schema version,
                                      inputs, the run summary; ``complete: true`` once every part is written
    DIR/documents/part-00000.parquet  one file per input partition, columns of the ``documents`` table
    DIR/events/part-00000.parquet     columns of the ``events`` table (partitions without events have none)
    DIR/stories/part-00000.parquet    the stories the run created (num_articles/num_sources over the run)
    DIR/rejections/part-00000.parquet documents rejected, with their reason

Every file has exactly the columns and types of the store's table of the same name (built from
``schema.TABLES_V2``), so pandas, polars, Spark or DuckDB read them as they would the store, and
:func:`import_parquet` loads them into a store with plain ``INSERT ... SELECT``: after that
``casus events --db`` and the dashboard work on the result.

Importing is incremental like ``casus ingest``: documents already in the store (same content hash)
are skipped with their events, so importing the same directory twice adds nothing. One transaction:
an interrupted import leaves the store as it was. Story counts of the stories touched are recounted
from the documents, so duplicates folded into a story stored earlier count there.
"""
from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import OptionError, StoreError
from .schema import SCHEMA_VERSION, TABLES_V2, WRITE_TIMEOUT, WriterLock, _transaction, connect_read, connect_write

MANIFEST = "_casus.json"
TABLES = ("documents", "events", "stories", "rejections")  # the tables a Parquet directory holds
FORMAT = 1  # version of this directory layout (in the manifest); bump when it changes incompatibly


@lru_cache(maxsize=None)
def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a store table, derived from its DDL (one source of truth for the columns)."""
    import duckdb

    if table not in TABLES:
        raise ValueError(f"no Parquet layout for table {table!r}")
    con = duckdb.connect(":memory:")
    try:
        con.execute(TABLES_V2[table])
        return con.sql(f"SELECT * FROM {table} LIMIT 0").to_arrow_table().schema
    finally:
        con.close()


def part_name(part: int) -> str:
    return f"part-{part:05d}.parquet"


def write_part(out_dir: str | Path, table: str, part: int, rows: list[dict[str, Any]]) -> int:
    """Write ``rows`` of ``table`` as ``DIR/table/part-NNNNN.parquet`` (atomically: a temporary file is
    renamed); nothing is written for no rows. Returns the number of rows written."""
    if not rows:
        return 0
    schema = arrow_schema(table)
    data = pa.Table.from_pylist([{k: r.get(k) for k in schema.names} for r in rows], schema=schema)
    folder = Path(out_dir) / table
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (part_name(part) + ".tmp")
    pq.write_table(data, tmp, compression="zstd")
    tmp.replace(folder / part_name(part))
    return len(rows)


def write_manifest(out_dir: str | Path, info: dict[str, Any]) -> None:
    from ..ingest.dedup import PARAMS

    path = Path(out_dir) / MANIFEST
    body = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "minhash": PARAMS, **info}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(body, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)


def read_manifest(parquet_dir: str | Path) -> dict[str, Any]:
    """The manifest of a complete casus Parquet directory; OptionError (E501) for anything else."""
    path = Path(parquet_dir) / MANIFEST
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OptionError(f"{parquet_dir} is not a casus Parquet directory (no {MANIFEST})") from None
    except (OSError, ValueError) as exc:
        raise OptionError(f"{path}: cannot read ({exc})") from None
    if info.get("format") != FORMAT or info.get("schema_version") != SCHEMA_VERSION:
        raise OptionError(f"{parquet_dir}: written by another casus version (layout {info.get('format')}, "
                          f"schema {info.get('schema_version')}; this casus reads {FORMAT}, {SCHEMA_VERSION})")
    if not info.get("complete"):
        raise OptionError(f"{parquet_dir}: incomplete (the run that wrote it stopped); run it again")
    return info


def prepare_out_dir(out_dir: str | Path) -> Path:
    """An empty directory for a new Parquet output; refuses to mix with an earlier run's files."""
    out = Path(out_dir)
    if out.exists():
        if not out.is_dir():
            raise OptionError(f"--out {out} exists and is not a directory")
        if any(out.iterdir()):
            raise OptionError(f"--out {out} is not empty: give a new directory (an earlier run's parts "
                              "must not mix with this one's)")
    out.mkdir(parents=True, exist_ok=True)
    return out


def dedup_state(db_path: str | Path | None, index) -> int:
    """What an engine needs from an existing store to continue it: fills the empty dedup ``index`` with the
    stored stories it keeps (:func:`casus.store.dedup_state.load_index`) and returns how many. Stored
    documents are skipped by looking them up as they are read (``casus.store.writer.SeenFilter``)."""
    if db_path is None or not Path(db_path).exists():
        return 0
    from ..ingest.dedup import PARAMS
    from .dedup_state import load_index

    with connect_read(db_path) as con:
        params = con.execute("SELECT value FROM meta WHERE key = 'minhash'").fetchone()
        if not params or params[0] != PARAMS:
            raise StoreError(f"{db_path}: its story signatures use other MinHash parameters; run one "
                             "`casus ingest` with the local engine first (it re-signs them)", code="E404")
        return load_index(con, index)


def _files(parquet_dir: Path, table: str) -> list[str]:
    return sorted(str(p) for p in (parquet_dir / table).glob("part-*.parquet"))


def import_parquet(parquet_dir: str | Path, db_path: str | Path = "casus.duckdb", *,
                   timeout: float = WRITE_TIMEOUT) -> dict[str, int]:
    """Load a casus Parquet directory into the store at ``db_path`` (created if missing); returns the
    rows added per table. Documents already stored are skipped with their events. Raises StoreError
    E405 when an ingest holds the database."""
    with WriterLock(Path(db_path)):
        return import_locked(parquet_dir, db_path, timeout=timeout)


def import_locked(parquet_dir: str | Path, db_path: str | Path, *, timeout: float = WRITE_TIMEOUT) -> dict[str, int]:
    """:func:`import_parquet` for a caller that already holds the database's ``WriterLock``."""
    src = Path(parquet_dir)
    info = read_manifest(src)
    from ..ingest.dedup import PARAMS

    if info.get("minhash") != PARAMS:
        raise OptionError(f"{src}: MinHash parameters {info.get('minhash')} differ from this casus's {PARAMS}")
    files = {t: _files(src, t) for t in TABLES}
    counts = dict.fromkeys(TABLES, 0)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    with connect_write(db_path, timeout) as con:
        with _transaction(con, f"importing {src}"):
            run_id = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()[0]
            if files["events"]:  # before the documents: only the events of documents not stored yet
                counts["events"] = _insert(con, "events", files["events"],
                                           "WHERE doc_hash NOT IN (SELECT content_hash FROM documents)")
            if files["documents"]:
                counts["documents"] = _insert(con, "documents", files["documents"],
                                              "WHERE content_hash NOT IN (SELECT content_hash FROM documents)")
            if files["stories"]:
                counts["stories"] = _insert(con, "stories", files["stories"],
                                            "WHERE story_id NOT IN (SELECT story_id FROM stories)")
            if files["rejections"]:
                before_rej = con.execute("SELECT count(*) FROM rejections").fetchone()[0]
                con.execute("INSERT OR IGNORE INTO rejections BY NAME SELECT * FROM read_parquet(?)",
                            [files["rejections"]])
                counts["rejections"] = con.execute("SELECT count(*) FROM rejections").fetchone()[0] - before_rej
            if files["documents"]:
                # story counts over every document of the stories touched (also those stored before)
                con.execute("""
                    UPDATE stories SET num_articles = c.n, num_sources = c.ns
                    FROM (SELECT story_id, count(*) AS n, count(DISTINCT source_key) AS ns FROM documents
                          WHERE story_id IN (SELECT DISTINCT story_id FROM read_parquet(?)) GROUP BY story_id) AS c
                    WHERE stories.story_id = c.story_id""", [files["documents"]])
            orphans = con.execute("SELECT count(*) FROM documents d LEFT JOIN stories s USING (story_id) "
                                  "WHERE s.story_id IS NULL").fetchone()[0]
            if orphans:
                raise StoreError(f"{src}: {orphans} document(s) belong to no story (a damaged or partial "
                                 "Parquet directory); nothing was imported", code="E404")
            summary = dict(info.get("summary") or {}, imported=counts)
            con.execute("INSERT INTO runs (run_id, started_at, finished_at, coder_version, inputs, summary) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        [run_id, now, now, info.get("coder_version", "?"),
                         json.dumps({"parquet": str(src), "inputs": info.get("inputs", [])}, ensure_ascii=False),
                         json.dumps(summary, ensure_ascii=False)])
    return counts


def _insert(con, table: str, files: list[str], where: str) -> int:
    before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet(?) {where}", [files])
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before


__all__ = ["arrow_schema", "write_part", "write_manifest", "read_manifest", "prepare_out_dir", "dedup_state",
           "import_parquet", "import_locked", "MANIFEST", "TABLES"]

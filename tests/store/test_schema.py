"""Schema: contract round trip, migration of a hand-built version-1 database, refusal of newer and foreign files."""
import hashlib
from pathlib import Path

import duckdb
import pytest

from casus import code_text
from casus.errors import StoreError
from casus.store import ingest, query_events
from casus.store.queries import get_document, list_stories
from casus.store.schema import SCHEMA_VERSION, connect_read, event_to_row, row_to_event, upgrade

DUPS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "inputs" / "duplicates"

# The version-1 layout (casus 0.1 development, before duplicate stories), written out by hand.
V1_DDL = [
    "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    """CREATE TABLE documents (content_hash VARCHAR PRIMARY KEY, doc_id VARCHAR NOT NULL, status VARCHAR NOT NULL,
        title VARCHAR, url VARCHAR, source VARCHAR, published DATE, language VARCHAR, provenance VARCHAR,
        text VARCHAR NOT NULL, removed JSON, num_events INTEGER NOT NULL, coder_version VARCHAR NOT NULL,
        ingested_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE events (event_id VARCHAR NOT NULL, doc_hash VARCHAR NOT NULL, doc_id VARCHAR NOT NULL,
        sentence VARCHAR NOT NULL, sentence_index INTEGER NOT NULL, trigger VARCHAR, trigger_start INTEGER,
        trigger_end INTEGER, rule VARCHAR, lexicon_entry VARCHAR, plover VARCHAR, cameo VARCHAR NOT NULL,
        cameo_name VARCHAR, cameo_root VARCHAR, quad_class INTEGER, goldstein DOUBLE, mode VARCHAR, context VARCHAR,
        source_text VARCHAR, source_code VARCHAR, source_country VARCHAR, source_sector VARCHAR, source_kind VARCHAR,
        source_name VARCHAR, target_text VARCHAR, target_code VARCHAR, target_country VARCHAR, target_sector VARCHAR,
        target_kind VARCHAR, target_name VARCHAR, modality VARCHAR NOT NULL, modality_cue VARCHAR, date DATE,
        date_precision VARCHAR, date_source VARCHAR, location JSON, location_name VARCHAR, location_country VARCHAR,
        location_lat DOUBLE, location_lon DOUBLE, quantities JSON, attribution JSON, confidence DOUBLE NOT NULL,
        coder_version VARCHAR NOT NULL, extra JSON)""",
    """CREATE TABLE rejections (rejection_id VARCHAR PRIMARY KEY, doc_id VARCHAR, provenance VARCHAR NOT NULL,
        reason VARCHAR NOT NULL, message VARCHAR NOT NULL, content_hash VARCHAR, coder_version VARCHAR NOT NULL,
        ingested_at TIMESTAMP NOT NULL)""",
]
SENTENCE = "Egypt accused Ethiopia of releasing water from the dam without warning."


def _build_v1(path: Path) -> str:
    """A version-1 database holding original.txt's text as one document with one event; returns its hash."""
    text = (DUPS / "original.txt").read_text(encoding="utf-8").split("\n\n", 2)[2]
    h = hashlib.sha1(text.encode()).hexdigest()
    con = duckdb.connect(str(path))
    for ddl in V1_DDL:
        con.execute(ddl)
    con.execute("INSERT INTO meta VALUES ('application', 'casus'), ('schema_version', '1')")
    con.execute("INSERT INTO documents VALUES (?, 'old.txt', 'coded', 'Old title', NULL, 'Meridian Press', "
                "DATE '2025-10-20', 'en', 'old.txt', ?, '[]', 1, 'casus-0.0.9', TIMESTAMP '2025-10-21 08:00:00')",
                [h, text])
    con.execute("INSERT INTO events (event_id, doc_hash, doc_id, sentence, sentence_index, trigger, trigger_start, "
                "trigger_end, rule, plover, cameo, cameo_name, cameo_root, quad_class, goldstein, source_code, "
                "source_country, source_text, target_code, target_country, target_text, modality, date, quantities, "
                "confidence, coder_version) VALUES ('00000000000000aa', ?, 'old.txt', ?, 0, 'accused', 6, 13, 'verb', "
                "'ACCUSE', '112', 'Accuse', '11', 3, -2.0, 'EGY', 'EGY', 'Egypt', 'ETH', 'ETH', 'Ethiopia', "
                "'asserted', DATE '2025-10-20', '[]', 0.9, 'casus-0.0.9')", [h, SENTENCE])
    con.close()
    return h


def _columns(path: Path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                               "ORDER BY ordinal_position", [t]).fetchall()
                for t in ("documents", "stories", "events", "rejections", "runs")}
    finally:
        con.close()


def test_event_rows_round_trip_to_the_contract():
    events = [e.to_dict() for e in code_text(
        "Russian Foreign Minister Sergei Lavrov accused Ukraine of shelling Donetsk on Tuesday, killing 3 people.",
        date="2022-01-25")]
    assert events
    for ev in events:
        assert row_to_event(event_to_row(ev, "h" * 40, "s" * 16)) == ev
    odd = dict(events[0], date="2022-W04", new_field={"a": 1})  # fields a newer coder might add are kept
    assert row_to_event(event_to_row(odd, "h" * 40, "s" * 16)) == odd


def test_version_1_database_is_migrated_and_keeps_its_data(tmp_path):
    old = tmp_path / "old.duckdb"
    h = _build_v1(old)
    fresh = tmp_path / "fresh.duckdb"
    upgrade(fresh)
    assert upgrade(old) == 1
    assert _columns(old) == _columns(fresh)  # a migrated database has exactly the current layout
    [ev] = query_events(old)
    assert ev["sentence"] == SENTENCE and ev["source"]["code"] == "EGY" and ev["target"]["country"] == "ETH"
    assert (ev["num_articles"], ev["num_sources"], ev["story_id"]) == (1, 1, h[:16])
    doc = get_document(old, "old.txt")
    assert doc["status"] == "coded" and doc["story"]["canonical_hash"] == h and doc["events"][0]["event_id"]
    # the migrated story got a signature from the stored text: a new copy of the story folds into it
    s = ingest([str(DUPS / "reheadlined.txt")], old)
    assert (s.coded, s.duplicates) == (0, 1)
    [story] = list_stories(old)
    assert (story["num_articles"], story["num_sources"]) == (2, 1)


def test_a_reader_migrates_an_old_database_on_open(tmp_path):
    old = tmp_path / "old.duckdb"
    _build_v1(old)
    with connect_read(old) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)


def test_newer_database_is_refused_and_left_untouched(tmp_path):
    new = tmp_path / "new.duckdb"
    con = duckdb.connect(str(new))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
    con.execute("INSERT INTO meta VALUES ('application', 'casus'), ('schema_version', ?)", [str(SCHEMA_VERSION + 7)])
    con.close()
    before = new.read_bytes()
    for attempt in (lambda: query_events(new), lambda: ingest([str(DUPS / "original.txt")], new)):
        with pytest.raises(StoreError) as exc:
            attempt()
        assert exc.value.code == "E402" and "newer casus" in str(exc.value) and f"{SCHEMA_VERSION + 7}" in str(exc.value)
    assert new.read_bytes() == before


def test_foreign_files_are_refused_and_left_untouched(tmp_path):
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE sales (id INTEGER, amount DOUBLE)")
    con.execute("INSERT INTO sales VALUES (1, 9.5)")
    con.close()
    text = tmp_path / "notes.duckdb"
    text.write_text("not a database\n" * 10, encoding="utf-8")
    for path, needle in ((other, "not a casus one"), (text, "not a DuckDB database")):
        before = path.read_bytes()
        for attempt in (lambda: query_events(path), lambda: ingest([str(DUPS / "original.txt")], path)):
            with pytest.raises(StoreError) as exc:
                attempt()
            assert exc.value.code == "E403" and needle in str(exc.value)
        assert path.read_bytes() == before


def test_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError) as exc:
        query_events(tmp_path / "nope.duckdb")
    assert exc.value.code == "E407" and "casus ingest" in str(exc.value) and exc.value.http_status == 404


def test_an_empty_duckdb_file_is_read_as_nothing_ingested_and_written_as_new(tmp_path):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(StoreError) as exc:
        query_events(empty)
    assert exc.value.code == "E407" and "nothing has been ingested" in str(exc.value) and exc.value.http_status == 404
    s = ingest([str(DUPS / "original.txt")], empty)
    assert s.coded == 1 and query_events(empty)[0]["doc_id"] == "original.txt"

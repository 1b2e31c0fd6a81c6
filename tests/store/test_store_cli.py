"""The store commands through typer's CliRunner: ingest, events, export."""
import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from casus.cli import CSV_COLUMNS, app

runner = CliRunner()
DUPS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "inputs" / "duplicates"


def test_events_dyad_csv_prints_rows_with_the_expected_header(corpus_db):
    db, _ = corpus_db
    result = runner.invoke(app, ["events", "--db", str(db), "--dyad", "ARM:AZE", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == CSV_COLUMNS + ["story_id", "num_articles", "num_sources"]
    assert len(rows) > 3
    for r in rows[1:]:
        rec = dict(zip(rows[0], r))
        assert rec["source_code"].startswith("ARM") and rec["target_code"].startswith("AZE")
        assert rec["sentence"] and int(rec["num_articles"]) >= 1


def test_events_table_jsonl_and_parquet(corpus_db, tmp_path):
    db, _ = corpus_db
    table = runner.invoke(app, ["events", "--db", str(db), "--plover", "MOBILIZE", "--limit", "3"])
    assert table.exit_code == 0 and "MOBILIZE" in table.stdout and "CAMEO 15" in table.stdout
    lines = runner.invoke(app, ["events", "--db", str(db), "--country", "PRK", "-f", "jsonl"]).stdout.splitlines()
    events = [json.loads(x) for x in lines]
    assert events and all("PRK" in ((e["source"] or {}).get("country"), (e["target"] or {}).get("country"))
                          for e in events)
    assert {"story_id", "num_articles", "num_sources", "event_id", "sentence"} <= set(events[0])
    out = tmp_path / "ev.parquet"
    result = runner.invoke(app, ["events", "--db", str(db), "--text", "reservists", "-f", "parquet", "--out", str(out)])
    assert result.exit_code == 0 and "written to" in result.stderr
    assert all("reservists" in s.lower() for s in pq.read_table(out).column("sentence").to_pylist())
    missing = runner.invoke(app, ["events", "--db", str(db), "-f", "parquet"])
    assert missing.exit_code == 2 and "--out" in missing.stderr


def test_bad_filters_are_one_line_errors_with_exit_code_2(corpus_db):
    db, _ = corpus_db
    for args, needle in ((["--dyad", "ARM-AZE"], "is not A:B"), (["--since", "01/10/2025"], "not a date"),
                         (["--plover", "WAR"], "not a PLOVER type")):
        result = runner.invoke(app, ["events", "--db", str(db), *args])
        assert result.exit_code == 2 and needle in result.stderr and "Traceback" not in result.output
    nodb = runner.invoke(app, ["events", "--db", "/nonexistent/x.duckdb"])
    assert nodb.exit_code == 2 and "E407" in nodb.stderr


def test_export_commands_write_each_format(corpus_db, tmp_path):
    db, summary = corpus_db
    gdelt = runner.invoke(app, ["export", "--db", str(db), "--format", "gdelt", "--out", str(tmp_path / "g.tsv")])
    assert gdelt.exit_code == 0 and f"{summary.events} events written" in gdelt.stderr
    first = (tmp_path / "g.tsv").read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert len(first) == 61 and first[0].isdigit()
    plover = runner.invoke(app, ["export", "--db", str(db), "-f", "plover", "--out", str(tmp_path / "p.jsonl"),
                                 "--plover", "ASSAULT"])
    assert plover.exit_code == 0
    assert {json.loads(x)["event_type"] for x in (tmp_path / "p.jsonl").read_text().splitlines()} == {"ASSAULT"}
    pq_dir = tmp_path / "pq"
    assert runner.invoke(app, ["export", "--db", str(db), "-f", "parquet", "--out", str(pq_dir)]).exit_code == 0
    assert sorted(p.name for p in pq_dir.iterdir()) == ["documents.parquet", "events.parquet", "stories.parquet"]


def test_ingest_prints_a_reconciled_summary_and_exit_code_follows_rejections(tmp_path):
    db = tmp_path / "cli.duckdb"
    result = runner.invoke(app, ["ingest", str(DUPS), "--db", str(db), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "documents read 7 = coded 3 + duplicates 4 + rejected 0 + already stored 0" in result.stdout
    assert "events by PLOVER type:" in result.stdout
    again = runner.invoke(app, ["ingest", str(DUPS), "--db", str(db)])
    assert again.exit_code == 0 and "already stored 7" in again.stdout
    (tmp_path / "bad").mkdir()
    for i in range(3):
        (tmp_path / "bad" / f"e{i}.txt").write_text(" ", encoding="utf-8")
    bad = runner.invoke(app, ["ingest", str(tmp_path / "bad"), str(DUPS / "original.txt"), "--db",
                              str(tmp_path / "bad.duckdb"), "--no-progress"])
    assert bad.exit_code == 1 and "rejected: empty 3" in bad.stdout
    assert runner.invoke(app, ["ingest", str(DUPS), "--db", str(db), "--batch-size", "0"]).exit_code == 2


def test_unwritable_outputs_are_one_line_errors(corpus_db, tmp_path):
    db, _ = corpus_db
    bad = runner.invoke(app, ["events", "--db", str(db), "-f", "csv", "--out", str(tmp_path / "no" / "x.csv")])
    assert bad.exit_code == 2 and "cannot write" in bad.stderr and "Traceback" not in bad.output
    dash = runner.invoke(app, ["export", "--db", str(db), "-f", "parquet", "--out", "-"])
    assert dash.exit_code == 2 and "writes a directory" in dash.stderr

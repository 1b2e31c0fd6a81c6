import json

from typer.testing import CliRunner

from casus.cli import app

runner = CliRunner()
ARTICLE = ("Talks in Vienna\n\nVIENNA, 4 June 2024 (Danube Wire) - Austria accused Hungary of blocking the new "
           "border agreement on Tuesday.\n\nRead also\n\nChancellor opens new railway station\n")


def test_code_jsonl_from_a_file(tmp_path):
    f = tmp_path / "austria.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["code", str(f), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    acc = [e for e in events if e["plover"] == "ACCUSE"]
    assert acc and acc[0]["doc_id"] == "austria.txt" and acc[0]["date"] == "2024-06-04"
    assert acc[0]["source"]["country"] == "AUT" and acc[0]["target"]["country"] == "HUN"
    assert not any("railway" in e["sentence"] for e in events)


def test_code_jsonl_records_and_table(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"id": "r1", "text": "Chile praised Peru for the rescue.", "date": "2023-02-01"}) + "\n"
                 + "not json\n", encoding="utf-8")
    result = runner.invoke(app, ["code", str(f), "--format", "jsonl"])
    assert result.exit_code == 0
    events = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert events and events[0]["doc_id"] == "r1" and events[0]["plover"] == "SUPPORT"
    assert "invalid JSON" in result.stderr
    table = runner.invoke(app, ["code", str(f)])
    assert "SUPPORT" in table.stdout and "CHL" in table.stdout


def test_show_removed_lists_junk(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["code", str(f), "--show-removed", "--format", "csv"])
    assert "Chancellor opens new railway station" in result.stderr and "link" in result.stderr
    assert result.stdout.splitlines()[0].startswith("doc_id,event_id,date")


def test_missing_input_is_a_clear_error_not_a_traceback(tmp_path):
    result = runner.invoke(app, ["code", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "no such file" in result.stderr and "Traceback" not in result.output


def test_bad_date_option_is_rejected():
    result = runner.invoke(app, ["code", "-", "--date", "26/01/2022"], input="Iran accused Iraq of spying.")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr and "Traceback" not in result.output


def test_stdin_input():
    result = runner.invoke(app, ["code", "-", "--date", "2022-01-26", "--format", "jsonl"],
                           input="Iran accused Iraq of spying on its nuclear scientists.")
    events = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert events and events[0]["doc_id"] == "stdin" and events[0]["date"] == "2022-01-26"

"""Kill-safety: a real ``casus ingest`` killed with SIGKILL at several points and resumed ends with exactly the
database an uninterrupted run gives (timestamps aside); killed databases are consistent at every point."""
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import casus
from casus.errors import StoreError
from casus.store.schema import connect_read

CASUS = str(Path(sys.executable).parent / "casus")
DATE = "2025-10-01"
COUNTRIES = ["Armenia", "Azerbaijan", "Georgia", "Turkey", "Iran", "Russia", "Ukraine", "Poland", "Germany",
             "France", "Japan", "China", "India", "Pakistan", "Egypt", "Ethiopia", "Kenya", "Brazil", "Argentina",
             "Chile"]
CITIES = ["Vienna", "Geneva", "Doha", "Oslo", "Nairobi", "Lima", "Hanoi", "Tunis", "Riga", "Accra", "Quito", "Minsk"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
LEADS = ["{a} accused {b} of shelling border villages near {city} on {day}, killing {n} soldiers.",
         "{a} and {b} signed an agreement on rail freight in {city} on {day}.",
         "{a} condemned {b} for detaining {n} fishermen off the coast on {day}.",
         "The foreign minister of {a} met his counterpart from {b} in {city} on {day}.",
         "{a} threatened to impose sanctions on {b} after talks in {city} collapsed on {day}.",
         "{a} sent {n} tonnes of food aid to {b} through {city} on {day}."]
TAILS = ["Officials in {city} said a second round of {topic} talks could follow within {n} weeks.",
         "Analysts in {city} described the {topic} dispute as the worst in {n} years.",
         "The {topic} question has divided the two governments since {year}.",
         "A spokesman in {city} declined to comment on the {topic} issue."]
TOPICS = ["water", "border", "energy", "fisheries", "transit", "customs", "airspace", "mining"]
TOTAL = 42  # 38 distinct stories, 2 republished copies, 2 unreadable files


def make_corpus(root: Path) -> Path:
    """42 small documents: 38 distinct short stories, 2 near-duplicate copies, an empty and a binary file."""
    rng = random.Random(7)
    root.mkdir(parents=True)
    bodies = []
    for i in range(38):
        a, b = rng.sample(COUNTRIES, 2)
        fill = dict(a=a, b=b, city=rng.choice(CITIES), day=rng.choice(DAYS), n=rng.randint(2, 90),
                    topic=rng.choice(TOPICS), year=rng.randint(1990, 2020))
        body = [rng.choice(LEADS).format(**fill)]
        for tail in rng.sample(TAILS, 2):
            fill.update(city=rng.choice(CITIES), n=rng.randint(2, 90), topic=rng.choice(TOPICS))
            body.append(tail.format(**fill))
        bodies.append(body)
        (root / f"doc-{i:02d}.txt").write_text(f"Story {i}\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    for i in (3, 20):  # republished later in the input order, with a new headline and a credit line
        (root / f"doc-{i:02d}-copy.txt").write_text(f"Copy of story {i}\n\n" + "\n\n".join(bodies[i])
                                                    + "\n\nReporting by the wire desk.\n", encoding="utf-8")
    (root / "doc-30-empty.txt").write_text("\n \n", encoding="utf-8")
    (root / "doc-31-binary.txt").write_bytes(b"\x00\x01\x02\x03" * 64)
    return root


def _committed(db: Path) -> int:
    """Documents and rejections committed so far (0 while the database does not exist yet)."""
    if not db.exists():
        return 0
    try:
        with connect_read(db, timeout=5) as con:
            return con.execute("SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM rejections)").fetchone()[0]
    except StoreError:
        return 0


def _consistent(db: Path) -> None:
    """What a killed run leaves: whole documents only (each with all its events), stories with their counts."""
    with connect_read(db) as con:
        q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        assert q("SELECT count(*) FROM documents d WHERE num_events <> "
                 "(SELECT count(*) FROM events e WHERE e.doc_hash = d.content_hash)") == 0
        assert q("SELECT count(*) FROM events e WHERE NOT EXISTS "
                 "(SELECT 1 FROM documents d WHERE d.content_hash = e.doc_hash)") == 0
        assert q("SELECT count(*) FROM stories s WHERE num_articles <> "
                 "(SELECT count(*) FROM documents d WHERE d.story_id = s.story_id)") == 0
        assert q("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                 "(SELECT 1 FROM stories s WHERE s.story_id = d.story_id)") == 0


def _ingest_cmd(corpus: Path, db: Path, command: list[str] | None = None) -> list[str]:
    return [*(command or [CASUS]), "ingest", str(corpus), "--db", str(db), "--batch-size", "2", "--date", DATE,
            "--no-progress"]


@pytest.fixture
def frozen_casus(tmp_path) -> list[str]:
    """The ``casus`` command run from a copy of the package taken now, so that every run of a test compares the
    same code even while the working tree is being edited (the ingests of one test span a minute or two)."""
    src = Path(casus.__file__).resolve().parent
    dst = tmp_path / "frozen"
    shutil.copytree(src, dst / "casus", ignore=shutil.ignore_patterns("__pycache__"))
    runner = dst / "run_casus.py"
    runner.write_text(f"import sys\nsys.path.insert(0, {str(dst)!r})\nfrom casus.cli import main\nmain()\n",
                      encoding="utf-8")
    return [sys.executable, str(runner)]


def _documents(db: Path) -> int:
    with connect_read(db) as con:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]


@pytest.mark.slow
def test_killed_ingest_resumes_to_the_uninterrupted_result(tmp_path, snap, frozen_casus):
    corpus = make_corpus(tmp_path / "corpus")
    db = tmp_path / "killed.duckdb"
    killed_at = []
    for threshold in (2, 10, 24):  # after one batch, a few batches, over half; each run resumes the last
        proc = subprocess.Popen(_ingest_cmd(corpus, db, frozen_casus), stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while _committed(db) < threshold and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, f"ingest ended before it could be killed: {proc.stderr.read().decode()[-500:]}"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        done = _committed(db)
        killed_at.append(done)
        assert threshold <= done < TOTAL
        _consistent(db)
    assert killed_at == sorted(killed_at)
    stored = _documents(db)

    final = subprocess.run(_ingest_cmd(corpus, db, frozen_casus), capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    assert f"already stored {stored}" in final.stdout
    _consistent(db)
    reference = tmp_path / "reference.duckdb"  # the uninterrupted run, same command, same code
    ref = subprocess.run(_ingest_cmd(corpus, reference, frozen_casus), capture_output=True, text=True, timeout=300)
    assert ref.returncode == 0, ref.stderr
    assert f"documents read {TOTAL} = coded 38 + duplicates 2 + rejected 2 + already stored 0" in ref.stdout
    assert snap(db) == snap(reference)


@pytest.mark.slow
def test_queries_keep_working_while_an_ingest_writes(tmp_path):
    """A real ingest subprocess commits every 2 documents; meanwhile queries (library and CLI) all succeed."""
    from typer.testing import CliRunner

    from casus.cli import app
    from casus.store import EventFilter, count_events, query_events

    corpus = make_corpus(tmp_path / "corpus")
    db = tmp_path / "busy.duckdb"
    proc = subprocess.Popen(_ingest_cmd(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    runner = CliRunner()
    counts, during, cli_ok = [], 0, 0
    try:
        deadline = time.monotonic() + 180
        while not db.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        while time.monotonic() < deadline:
            running = proc.poll() is None
            n = count_events(db)
            rows = query_events(db, EventFilter(min_confidence=0.0), limit=None)
            assert len(rows) >= n  # events are only added, never removed
            counts.append(n)
            if during % 5 == 0:
                result = runner.invoke(app, ["events", "--db", str(db), "-f", "jsonl"])
                assert result.exit_code == 0, result.output
                cli_ok += 1
            if not running:
                break
            during += 1
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    assert proc.returncode == 0, proc.stderr.read().decode()[-500:]
    assert during >= 5 and cli_ok >= 1, "too few queries ran while the ingest was writing"
    assert counts == sorted(counts) and counts[-1] > counts[0]
    assert counts[-1] == count_events(db)

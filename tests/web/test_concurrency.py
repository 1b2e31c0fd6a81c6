"""The dashboard keeps answering while a real ``casus ingest`` process writes to the same database."""
from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

CASUS = str(Path(sys.executable).parent / "casus")
PAIRS = [("Armenia", "Azerbaijan"), ("Japan", "South Korea"), ("Kenya", "Ethiopia"), ("Brazil", "Argentina"),
         ("Germany", "Poland"), ("India", "Pakistan")]
LEADS = ["{a} accused {b} of shelling border villages near {city} on Monday, killing {n} soldiers.",
         "{a} and {b} signed an agreement on rail freight in {city} on Tuesday.",
         "The foreign minister of {a} met his counterpart from {b} in {city} on Wednesday.",
         "{a} threatened to impose sanctions on {b} after talks in {city} collapsed on Thursday.",
         "{a} sent {n} tonnes of food aid to {b} through {city} on Friday."]
CITIES = ["Vienna", "Geneva", "Doha", "Oslo", "Nairobi", "Lima"]


def make_corpus(root: Path, n: int = 24) -> Path:
    """``n`` short distinct stories dated over four weeks."""
    rng = random.Random(11)
    root.mkdir(parents=True)
    for i in range(n):
        a, b = rng.choice(PAIRS)
        lead = rng.choice(LEADS).format(a=a, b=b, city=rng.choice(CITIES), n=rng.randint(2, 90))
        tail = f"Officials in {rng.choice(CITIES)} said a further round of talks, number {i}, could follow."
        day = 1 + (i * 27) // n
        (root / f"story-{i:02d}.jsonl").write_text(
            '{"id": "gen-%02d", "title": "Story %d", "date": "2025-11-%02d", "text": "%s\\n\\n%s"}\n'
            % (i, i, day, lead, tail), encoding="utf-8")
    return root


@pytest.mark.slow
def test_requests_succeed_while_an_ingest_writes(tmp_path):
    from fastapi.testclient import TestClient

    from casus.web import create_app

    corpus = make_corpus(tmp_path / "corpus")
    db = tmp_path / "live.duckdb"
    client = TestClient(create_app(db))
    proc = subprocess.Popen([CASUS, "ingest", str(corpus), "--db", str(db), "--batch-size", "2", "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    totals, during, failures = [], 0, []
    paths = ["/api/events?limit=5&order=-date", "/api/stats", "/api/alerts", "/api/actors?q=a",
             "/api/series/dyad?a=ARM&b=AZE", "/", "/events?plover=ASSAULT", "/actor/ARM"]
    try:
        deadline = time.monotonic() + 240
        while not db.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        while time.monotonic() < deadline:
            running = proc.poll() is None
            for path in paths:
                r = client.get(path, headers={"accept": "text/html"} if not path.startswith("/api") else {})
                if r.status_code != 200:
                    failures.append((path, r.status_code, r.text[:200]))
            totals.append(client.get("/api/events?limit=0").json()["total"])
            if not running:
                break
            during += 1
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    assert proc.returncode == 0, proc.stderr.read().decode()[-500:]
    assert failures == []
    assert during >= 3, "too few rounds of requests ran while the ingest was writing"
    assert totals == sorted(totals) and totals[-1] > totals[0]
    final = client.get("/api/stats").json()
    assert final["documents"] == 24 and totals[-1] == final["events"]
    # a later request sees the new events, through the cached views as well
    assert client.get("/api/documents/gen-23").status_code == 200
    seen = client.get("/api/actors", params={"limit": 100}).json()["items"]
    assert sum(d["events"] for d in seen) == 2 * final["events"] - _one_sided(client)


def _one_sided(client) -> int:
    """Actor mentions missing from events (a side without code or country): the actors list leaves them out."""
    items = client.get("/api/events", params={"limit": 500}).json()["items"]
    return sum(1 for e in items for side in ("source", "target")
               if not ((e[side] or {}).get("code") or (e[side] or {}).get("country")))

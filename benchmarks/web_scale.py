"""Measure the dashboard and API on a synthetic store of 1,000,000 events (a script, not a timed test).

    python benchmarks/web_scale.py                         # build benchmarks/data/web-1000k.duckdb once, then measure
    python benchmarks/web_scale.py --events 200000         # a smaller store (its own file)
    python benchmarks/web_scale.py --label before --only /,/api/alerts   # a subset, results under another label

The store is written straight into DuckDB with ``range`` (a generate_series; about 15 s for a million events):
the schema is casus's own (``casus.store.schema.connect_write`` creates it), the rows are deterministic
pseudo-random values (``hash`` of the row number), shaped like coded news:

* 200,000 stories of 5 events on average (every 10th story also has a republished duplicate document);
* 60 countries drawn with a skew (the first few, ARM, AZE, RUS, UKR, ..., are the busiest), actors as the
  country itself or its GOV/MIL/OPP sector, plus IGOs without a country, bare ``MIL`` sides and missing sides;
* 24 CAMEO codes across every PLOVER type and the four QuadClasses, with their Goldstein scores;
* 85% asserted events; dates over three years, 92% precise to the day, the rest to the month or year
  or missing; one escalation (TJK-KGZ shelling, a quiet dyad otherwise, in two weeks of 2025) that the
  alerts find (z of 42 and 37).

Each URL is requested in a fresh Python process (``TestClient`` in-process, so no network): the process
imports casus and builds the app, notes its RSS, then requests the URL ``--repeat`` times. Reported per
URL: status, the first (cold) and the best response time in ms, the process's peak RSS and its growth
over the RSS before the first request. Results go to ``benchmarks/results_web.json`` under ``--label``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "results_web.json"
EVENTS_PER_STORY = 5  # a coded article yields about five events (the sample corpus: 5.4)
URLS = [
    "/", "/dyad?a=ARM&b=AZE", "/dyad", "/actor/ARM", "/actors", "/actors?q=arm",
    "/api/series/dyad?a=ARM&b=AZE&period=week", "/api/series/actor?actor=RUS&period=month",
    "/api/alerts", "/api/actors?q=ukr", "/api/stats", "/api/events?limit=50&dyad=ARM:AZE&unordered=true",
    "/api/events/{event_id}", "/events/{event_id}", "/events?plover=ASSAULT",
]

COUNTRIES = ("ARM AZE RUS UKR USA CHN IRN ISR PSE SYR TUR GEO PRK KOR JPN IND PAK AFG IRQ SAU YEM EGY LBY SDN "
             "ETH KEN SOM NGA MLI FRA DEU GBR POL BLR LTU VEN COL BRA ARG MEX CUB NIC SRB BIH MDA KAZ UZB TJK "
             "KGZ MMR THA KHM VNM PHL IDN TWN LBN JOR QAT ESP").split()
# (cameo, plover, quad_class, goldstein, name): the events' types, CAMEO 01 statements without PLOVER type
CODES = [("010", None, 1, 0.0, "Make statement"), ("013", None, 1, 0.4, "Make optimistic comment"),
         ("036", "CONSULT", 1, 4.0, "Express intent to meet or negotiate"), ("042", "CONSULT", 1, 1.9, "Make a visit"),
         ("043", "CONSULT", 1, 2.8, "Host a visit"), ("046", "CONSULT", 1, 7.0, "Engage in negotiation"),
         ("051", "SUPPORT", 1, 3.4, "Praise or endorse"), ("057", "AGREE", 1, 8.0, "Sign formal agreement"),
         ("061", "COOPERATE", 2, 6.4, "Cooperate economically"), ("070", "AID", 2, 7.0, "Provide aid"),
         ("081", "CONCEDE", 2, 5.0, "Ease administrative sanctions"), ("087", "RETREAT", 2, 9.0, "De-escalate"),
         ("020", "REQUEST", 1, 3.0, "Appeal or request"), ("112", "ACCUSE", 3, -2.0, "Accuse"),
         ("125", "REJECT", 3, -5.0, "Reject proposal"), ("138", "THREATEN", 3, -7.0, "Threaten with military force"),
         ("163", "SANCTION", 4, -8.0, "Impose embargo or sanctions"), ("141", "PROTEST", 3, -6.5, "Demonstrate"),
         ("150", "MOBILIZE", 4, -7.2, "Demonstrate military power"), ("173", "COERCE", 4, -5.0, "Arrest or detain"),
         ("181", "ASSAULT", 4, -9.0, "Abduct or kidnap"), ("190", "ASSAULT", 4, -10.0, "Use conventional force"),
         ("194", "ASSAULT", 4, -10.0, "Fight with artillery and tanks"), ("195", "ASSAULT", 4, -10.0, "Aerial attack")]


# ---------------------------------------------------------------- building the store

def _values(rows, names) -> str:
    """A VALUES list of literals from this script's own constants (no outside input)."""
    def lit(v):
        return "NULL" if v is None else (repr(float(v)) if isinstance(v, float) else
                                         str(v) if isinstance(v, int) else "'" + str(v).replace("'", "''") + "'")
    body = ", ".join("(" + ", ".join(lit(v) for v in r) + ")" for r in rows)
    return f"(VALUES {body}) AS t({', '.join(names)})"


def _side_sql(country: str, draw: str, p: str) -> str:
    """One side's six actor columns (``{p}_text`` ... ``{p}_name``) from a 0-99 draw: 4% missing, 3% a bare
    ``MIL`` (soldiers of unknown side), 7% the UN (an IGO without country), then the country itself (46%),
    its government (20%), military (15%) or opposition (5%)."""
    d = draw
    return f"""
        CASE WHEN {d} < 4 THEN NULL WHEN {d} < 7 THEN 'soldiers' WHEN {d} < 14 THEN 'the United Nations'
             ELSE 'Country ' || {country} END AS {p}_text,
        CASE WHEN {d} < 4 THEN NULL WHEN {d} < 7 THEN 'MIL' WHEN {d} < 14 THEN 'IGOUNO' WHEN {d} < 60 THEN {country}
             WHEN {d} < 80 THEN {country} || 'GOV' WHEN {d} < 95 THEN {country} || 'MIL'
             ELSE {country} || 'OPP' END AS {p}_code,
        CASE WHEN {d} < 14 THEN NULL ELSE {country} END AS {p}_country,
        CASE WHEN {d} < 4 THEN NULL WHEN {d} < 7 THEN 'MIL' WHEN {d} < 60 THEN NULL WHEN {d} < 80 THEN 'GOV'
             WHEN {d} < 95 THEN 'MIL' ELSE 'OPP' END AS {p}_sector,
        CASE WHEN {d} < 4 THEN NULL WHEN {d} < 7 THEN 'group' WHEN {d} < 14 THEN 'igo' ELSE 'state' END AS {p}_kind,
        CASE WHEN {d} < 7 THEN NULL WHEN {d} < 14 THEN 'United Nations' ELSE 'Country ' || {country} END AS {p}_name"""


def build_store(path: Path, events: int) -> dict:
    """Create a casus database at ``path`` holding ``events`` synthetic events; returns figures about it."""
    sys.path.insert(0, str(ROOT / "src"))
    from casus.store.schema import connect_write

    stories = max(1, events // EVENTS_PER_STORY)
    t0 = time.perf_counter()
    with connect_write(path) as con:
        con.execute("SET preserve_insertion_order = false")
        con.execute("CREATE TEMP TABLE countries AS SELECT row_number() OVER () - 1 AS i, c FROM " +
                    _values([(c,) for c in COUNTRIES], ["c"]))
        con.execute("CREATE TEMP TABLE codes AS SELECT row_number() OVER () - 1 AS i, * FROM " +
                    _values(CODES, ["cameo", "plover", "quad", "goldstein", "cname"]))
        n_c, n_codes = len(COUNTRIES), len(CODES)
        # documents: one coded document per story, plus a duplicate for every 10th story
        con.execute(f"""
            INSERT INTO stories
            SELECT substr(md5('doc' || s), 1, 16), md5('doc' || s), 'synthetic/' || s || '.txt',
                   'Synthetic story ' || s, DATE '2023-01-02' + CAST(s % 1095 AS INTEGER),
                   CASE WHEN s % 10 = 0 THEN 2 ELSE 1 END, CASE WHEN s % 10 = 0 THEN 2 ELSE 1 END, 0, ''::BLOB
            FROM range({stories}) r(s)""")
        con.execute(f"""
            INSERT INTO documents
            SELECT md5('doc' || s), 'synthetic/' || s || '.txt', substr(md5('doc' || s), 1, 16), 'coded',
                   'Synthetic story ' || s, 'https://example.org/' || s, 'Wire ' || (s % 40), 'wire' || (s % 40),
                   DATE '2023-01-02' + CAST(s % 1095 AS INTEGER), 'en', 'synthetic', 'Synthetic article ' || s || '.',
                   '[]', {EVENTS_PER_STORY}, 'casus-synthetic', TIMESTAMP '2025-01-01'
            FROM range({stories}) r(s)
            UNION ALL
            SELECT md5('dup' || s), 'synthetic/dup-' || s || '.txt', substr(md5('doc' || s), 1, 16), 'duplicate',
                   'Synthetic story ' || s, NULL, 'Other ' || (s % 7), 'other' || (s % 7),
                   DATE '2023-01-02' + CAST(s % 1095 AS INTEGER), 'en', 'synthetic', 'Synthetic article ' || s || '.',
                   '[]', 0, 'casus-synthetic', TIMESTAMP '2025-01-01'
            FROM range(0, {stories}, 10) r(s)""")
        # events: i -> story i // 5; actors, type, modality and date drawn from hashes of i
        con.execute(f"""
            CREATE TEMP TABLE draws AS
            SELECT i, i // {EVENTS_PER_STORY} AS s,
                   CAST(floor({n_c} * pow((hash(i * 7 + 1) % 1000000) / 1000000.0, 2.2)) AS INTEGER) AS ca,
                   CAST(floor({n_c} * pow((hash(i * 7 + 2) % 1000000) / 1000000.0, 2.2)) AS INTEGER) AS cb,
                   hash(i * 7 + 3) % 100 AS sector_a, hash(i * 7 + 4) % 100 AS sector_b,
                   hash(i * 7 + 5) % {n_codes} AS code_i, hash(i * 7 + 6) % 100 AS mod_p,
                   hash(i * 7 + 7) % 100 AS date_p
            FROM range({events}) r(i)""")
        # the escalation: stories 1000-1039 become TJK->KGZ shelling in the weeks of 2025-10-06 and 2025-10-13
        con.execute(f"""
            CREATE TEMP TABLE sides AS
            SELECT d.i, {_side_sql('ca.c', 'd.sector_a', 's')}, {_side_sql('cb.c', 'd.sector_b', 't')}
            FROM draws d JOIN countries ca ON ca.i = d.ca
            JOIN countries cb ON cb.i = CASE WHEN d.cb = d.ca THEN (d.cb + 1) % {n_c} ELSE d.cb END""")
        con.execute(f"""
            INSERT INTO events BY NAME
            SELECT substr(md5('ev' || d.i), 1, 16) AS event_id, md5('doc' || d.s) AS doc_hash,
                   'synthetic/' || d.s || '.txt' AS doc_id, substr(md5('doc' || d.s), 1, 16) AS story_id,
                   'Sentence ' || d.i || ': ' || coalesce(x.s_text, 'someone') || ' did ' || k.cname || ' to '
                       || coalesce(x.t_text, 'someone') || '.' AS sentence,
                   CAST(d.i % {EVENTS_PER_STORY} AS INTEGER) AS sentence_index,
                   CAST(100 * (d.i % {EVENTS_PER_STORY}) AS INTEGER) AS sentence_start,
                   'did' AS trigger, 0 AS trigger_start, 3 AS trigger_end, 'verb' AS rule,
                   'synthetic.tsv:1' AS lexicon_entry,
                   CASE WHEN esc THEN 'ASSAULT' ELSE k.plover END AS plover,
                   CASE WHEN esc THEN '194' ELSE k.cameo END AS cameo,
                   CASE WHEN esc THEN 'Fight with artillery and tanks' ELSE k.cname END AS cameo_name,
                   substr(CASE WHEN esc THEN '194' ELSE k.cameo END, 1, 2) AS cameo_root,
                   CASE WHEN esc THEN 4 ELSE k.quad END AS quad_class,
                   CASE WHEN esc THEN -10.0 ELSE k.goldstein END AS goldstein,
                   NULL AS mode, NULL AS context,
                   CASE WHEN esc THEN 'Tajikistan' ELSE x.s_text END AS source_text,
                   CASE WHEN esc THEN 'TJKMIL' ELSE x.s_code END AS source_code,
                   CASE WHEN esc THEN 'TJK' ELSE x.s_country END AS source_country,
                   CASE WHEN esc THEN 'MIL' ELSE x.s_sector END AS source_sector,
                   CASE WHEN esc THEN 'state' ELSE x.s_kind END AS source_kind,
                   CASE WHEN esc THEN 'Country TJK' ELSE x.s_name END AS source_name,
                   CASE WHEN esc THEN 'Kyrgyzstan' ELSE x.t_text END AS target_text,
                   CASE WHEN esc THEN 'KGZ' ELSE x.t_code END AS target_code,
                   CASE WHEN esc THEN 'KGZ' ELSE x.t_country END AS target_country,
                   CASE WHEN esc THEN NULL ELSE x.t_sector END AS target_sector,
                   CASE WHEN esc THEN 'state' ELSE x.t_kind END AS target_kind,
                   CASE WHEN esc THEN 'Country KGZ' ELSE x.t_name END AS target_name,
                   CASE WHEN esc OR d.mod_p < 85 THEN 'asserted' WHEN d.mod_p < 90 THEN 'negated'
                        WHEN d.mod_p < 95 THEN 'hypothetical' ELSE 'future' END AS modality,
                   NULL AS modality_cue,
                   CASE WHEN esc THEN DATE '2025-10-06' + CAST(d.s % 13 AS INTEGER)
                        WHEN d.date_p < 98 THEN DATE '2023-01-02' + CAST(d.s % 1095 AS INTEGER) END AS date,
                   CASE WHEN esc OR d.date_p < 92 THEN 'day' WHEN d.date_p < 96 THEN 'month'
                        WHEN d.date_p < 98 THEN 'year' END AS date_precision,
                   CASE WHEN d.date_p < 98 THEN 'text' END AS date_source,
                   NULL AS location, NULL AS location_name, NULL AS location_country, NULL AS location_lat,
                   NULL AS location_lon, '[]' AS quantities, NULL AS attribution,
                   0.5 + (hash(d.i * 7 + 8) % 50) / 100.0 AS confidence, 'casus-synthetic' AS coder_version,
                   NULL AS extra
            FROM (SELECT *, s BETWEEN 1000 AND 1039 AS esc FROM draws) d
            JOIN sides x ON x.i = d.i JOIN codes k ON k.i = d.code_i""")
        con.execute("CHECKPOINT")
        n = con.execute("SELECT count(*) FROM events").fetchone()[0]
    return {"events": n, "stories": stories, "build_seconds": round(time.perf_counter() - t0, 1),
            "db_mb": round(path.stat().st_size / 2**20, 1)}


# ---------------------------------------------------------------- measuring one URL (child process)

def _status_mb(field: str) -> float:
    """``VmRSS`` (resident now) or ``VmHWM`` (peak resident) of this process in MiB, from /proc (Linux).
    VmHWM rather than ``ru_maxrss``: Linux carries ru_maxrss over from the parent across fork and exec, so a
    child of the process that built the store would report the builder's peak."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure(db: Path, url: str, repeat: int) -> dict:
    """Request ``url`` ``repeat`` times in this process; times in ms, memory in MB."""
    from fastapi.testclient import TestClient

    from casus.web import create_app

    client = TestClient(create_app(db), headers={"accept": "text/html"} if not url.startswith("/api") else {})
    before = _status_mb("VmRSS")
    times, status, size = [], None, 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = client.get(url, follow_redirects=False)
        times.append((time.perf_counter() - t0) * 1000)
        status, size = r.status_code, len(r.content)
    peak = _status_mb("VmHWM")
    return {"status": status, "bytes": size, "first_ms": round(times[0], 1), "best_ms": round(min(times), 1),
            "peak_rss_mb": round(peak), "rss_growth_mb": round(peak - before)}


def run_child(db: Path, url: str, repeat: int, timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--child", url, "--db", str(db), "--repeat", str(repeat)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"no answer within {timeout:.0f} s"}
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def some_event_id(db: Path) -> str:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:  # an event in the middle of the table: a keyed lookup cannot stop early by luck
        sql = "SELECT event_id FROM events LIMIT 1 OFFSET (SELECT count(*) // 2 FROM events)"
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=None,
                    help="the synthetic store (default benchmarks/data/web-<n>k.duckdb)")
    ap.add_argument("--rebuild", action="store_true", help="build the store again even if it exists")
    ap.add_argument("--repeat", type=int, default=3, help="requests per URL (the first is cold)")
    ap.add_argument("--only", default=None, help="comma-separated URLs to measure (default: all)")
    ap.add_argument("--label", default="after", help="results key in benchmarks/results_web.json")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per URL before giving up")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.db, args.child, args.repeat)))
        return
    db = args.db or DATA / f"web-{args.events // 1000}k.duckdb"
    info: dict = {}
    if args.rebuild or not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        for p in (db, Path(str(db) + ".wal")):
            p.unlink(missing_ok=True)
        info = build_store(db, args.events)
        print(f"built {db}: {info}", flush=True)
    ev = some_event_id(db)
    urls = [u.format(event_id=ev) for u in (args.only.split(",") if args.only else URLS)]
    results = {}
    load = [round(x, 2) for x in os.getloadavg()]
    for url in urls:
        results[url.replace(ev, "{event_id}")] = res = run_child(db, url, args.repeat, args.timeout)
        print(f"{url:60s} {res}", flush=True)
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    con.close()
    all_results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    all_results["machine"] = {"cores": os.cpu_count(), "python": platform.python_version(),
                              "duckdb": __import__("duckdb").__version__, "platform": platform.platform()}
    all_results.setdefault("stores", {}).setdefault(db.name, {}).update(
        {"events": n_events, "db_mb": round(db.stat().st_size / 2**20, 1),
         **({"build_seconds": info["build_seconds"]} if info else {})})
    run = all_results.setdefault(args.label, {})
    run.setdefault(db.name, {}).update(results)
    run["repeat"] = args.repeat
    run["load_average_before_after"] = [load[0], round(os.getloadavg()[0], 2)]  # other jobs share this machine
    RESULTS.write_text(json.dumps(all_results, indent=2) + "\n")
    print(f"results: {RESULTS}")


if __name__ == "__main__":
    main()

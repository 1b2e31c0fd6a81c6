"""Measure casus's speed and memory on the benchmark corpus, on this machine, in one run.

    python benchmarks/make_corpus.py          # once: benchmarks/data/corpus.jsonl (10,000 articles)
    python benchmarks/run.py                  # (a)-(d) on --articles, memory at 1,000: under 10 min on 2 cores
    python benchmarks/run.py --memory-only 1000,10000   # the memory check at 10,000 (about 20 min on 2 cores)

Each measurement runs in a fresh Python process (peak RSS is the process's own) and times only the
work, after the model is loaded (start-up is reported separately):

(a) floor     bare spaCy ``nlp.pipe`` with casus's pipeline (``casus.nlp.get_nlp``) over the texts
(b) casus     end to end in one process: read JSON Lines, clean, dedup, parse, code, store into a fresh
              DuckDB (``casus.store.ingest``)
(c) local     the same with the local engine and 2 worker processes (``casus.engines.local``), workers
              warmed up before the clock starts
(d) dask      the same with the Dask engine on a LocalCluster of 2 one-thread worker processes (Parquet
              written, then imported into a fresh DuckDB); (b), (c) and (d) must store the same events
memory        (c) on 1,000 and 10,000 articles: peak RSS of the parent (reading, dedup index, commits) and
              of each worker (model, coding), and the parent's RSS sampled as the run goes

Results go to benchmarks/results.json (the memory figures are merged into it by --memory-only); a
Markdown table for the README is printed. Timings are wall-clock: run on an otherwise idle machine
(the load average before and after is recorded).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "benchmarks" / "data" / "corpus.jsonl"
RESULTS = ROOT / "benchmarks" / "results.json"
ARTICLES = 320  # (a)-(d) each: under a minute of one core's parsing; all of them and the memory check take ~4 min
MEMORY_DEFAULT = (1000,)  # 10,000 takes ~20 min on 2 cores: run it with --memory-only 1000,10000
RSS_SAMPLES = 10  # RSS readings per memory run
RSS_LIMIT_MB = 1536  # the target: peak RSS under 1.5 GB at any corpus size
# The corpus is a backfill: its dates are spread over 2025 in random order, so with the default 30-day
# dedup window most copies would arrive after their original fell out of the window and not fold. The
# window is off here, as the README advises for such inputs: every stage folds what it folded before
# the window existed, and the memory check holds every story (the index's worst case).
BENCH_OPTIONS = {"dedup_window": 0}


# ---------------------------------------------------------------- helpers (any process)

def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size in MiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(who).ru_maxrss / 1024


def rss_mb() -> float:
    """Current resident set size in MiB, from /proc (Linux)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def subset(corpus: Path, n: int, folder: Path) -> tuple[Path, int, int]:
    """The first ``n`` articles of the corpus as their own JSON Lines file; (path, articles, words)."""
    path = folder / f"corpus-{n}.jsonl"
    words = count = 0
    with corpus.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
        for line in islice(src, n):
            dst.write(line)
            words += len(json.loads(line)["text"].split())
            count += 1
    if count < n:
        raise SystemExit(f"{corpus} has {count} articles, {n} needed: run benchmarks/make_corpus.py --count {n}")
    return path, count, words


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    import spacy

    from casus.pipeline import coder_version

    return {"cores": os.cpu_count(), "ram_gb": round(ram, 1), "cpu": cpu, "python": platform.python_version(),
            "spacy": spacy.__version__, "coder_version": coder_version(), "platform": platform.platform()}


def _rates(n: int, words: int, seconds: float) -> dict:
    return {"articles": n, "words": words, "seconds": round(seconds, 2),
            "articles_per_s": round(n / seconds, 2), "words_per_s": round(words / seconds)}


# ---------------------------------------------------------------- stages (each in its own process)

def stage_floor(path: Path, n: int, words: int) -> dict:
    from casus.nlp import BATCH_SIZE, get_nlp

    t0 = time.monotonic()
    nlp = get_nlp()
    load = time.monotonic() - t0
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    cpu0, t0 = time.process_time(), time.monotonic()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE):
        pass
    seconds = time.monotonic() - t0
    return {**_rates(n, words, seconds), "cpu_seconds": round(time.process_time() - cpu0, 2),
            "load_seconds": round(load, 2), "components": nlp.pipe_names, "peak_rss_mb": round(peak_rss_mb())}


def stage_casus(path: Path, n: int, words: int, samples: int = 0) -> dict:
    from casus.config import Options
    from casus.pipeline import load_resources
    from casus.store import ingest

    t0 = time.monotonic()
    res = load_resources(Options(**BENCH_OPTIONS))
    load = time.monotonic() - t0
    progress, trace = _tracer(n, samples)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        cpu0, t0 = time.process_time(), time.monotonic()
        s = ingest([str(path)], db, options=Options(**BENCH_OPTIONS), resources=res, progress=progress)
        seconds = time.monotonic() - t0
        db_mb = db.stat().st_size / 2 ** 20
        digest = events_digest(db) if not samples else {}
    out = {**digest, **_rates(n, words, seconds), "cpu_seconds": round(time.process_time() - cpu0, 2),
           "load_seconds": round(load, 2), "peak_rss_mb": round(peak_rss_mb()), "coded": s.coded,
           "duplicates": s.duplicates, "rejected": s.rejected, "events": s.events, "db_mb": round(db_mb, 1)}
    if samples:
        out["rss_trace_mb"] = trace
    return out


def _tracer(n: int, samples: int):
    """A progress callback that records (documents done, RSS MiB, stories committed) ``samples`` times over the run."""
    trace: list[tuple[int, int, int]] = []
    every = max(1, n // samples) if samples else 0

    def progress(p) -> None:
        if p.done % every == 0 and (not trace or trace[-1][0] != p.done):
            trace.append((p.done, round(rss_mb()), p.summary.new_stories))

    return (progress if every else None), trace


def stage_local(path: Path, n: int, words: int, workers: int = 2, samples: int = 0) -> dict:
    from casus.config import Options
    from casus.engines.local import LocalEngine, ingest_local

    progress, trace = _tracer(n, samples)
    t_start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, LocalEngine(workers, Options(**BENCH_OPTIONS)) as engine:
        warm = engine.warm_up()
        db = Path(tmp) / "bench.duckdb"
        cpu0, t0 = time.process_time(), time.monotonic()
        s = ingest_local([str(path)], db, engine=engine, options=Options(**BENCH_OPTIONS), progress=progress)
        seconds = time.monotonic() - t0
        parent_cpu = time.process_time() - cpu0
        digest = events_digest(db) if not samples else {}
    total = time.monotonic() - t_start  # with worker start-up and shutdown
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    parent, worker = round(peak_rss_mb()), round(peak_rss_mb(resource.RUSAGE_CHILDREN))
    out = {**_rates(n, words, seconds), "workers": workers, "parent_cpu_seconds": round(parent_cpu, 2),
           "parent_busy_share": round(parent_cpu / seconds, 2), "warm_up_seconds": round(warm, 2),
           "workers_cpu_seconds_with_start_up": round(children.ru_utime + children.ru_stime, 2),
           "seconds_with_start_up": round(total, 2), "peak_rss_mb_parent": parent, "peak_rss_mb_worker": worker,
           "peak_rss_mb_total": parent + workers * worker, "coded": s.coded, "duplicates": s.duplicates,
           "events": s.events}
    out.update(digest)
    if samples:
        out["rss_trace_mb_parent"] = trace
    return out


def stage_dask(path: Path, n: int, words: int, workers: int = 2, partition_size: int | None = None) -> dict:
    from distributed import Client

    from casus.config import Options
    from casus.engines.dask_engine import ingest_dask, local_cluster

    t_start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, local_cluster(workers) as cluster, Client(cluster) as client:
        client.run(_warm_dask_worker)  # load the model on every worker before the clock starts
        warm = time.monotonic() - t_start
        db = Path(tmp) / "bench.duckdb"
        t0 = time.monotonic()
        kw = {"partition_size": partition_size} if partition_size else {}
        s = ingest_dask([str(path)], Path(tmp) / "parquet", db=db, client=client, options=Options(**BENCH_OPTIONS),
                        **kw)
        seconds = time.monotonic() - t0
        digest = events_digest(db)
        worker_rss = max(client.run(peak_rss_mb).values())
    return {**_rates(n, words, seconds), "workers": workers, "warm_up_seconds": round(warm, 2),
            "seconds_with_start_up": round(time.monotonic() - t_start, 2), "peak_rss_mb_client": round(peak_rss_mb()),
            "peak_rss_mb_worker": round(worker_rss), "coded": s.coded, "duplicates": s.duplicates,
            "events": s.events, **digest}


def _warm_dask_worker() -> None:
    from casus.config import Options
    from casus.engines.common import worker_resources

    worker_resources(Options(**BENCH_OPTIONS))


def events_digest(db: Path) -> dict:
    """sha1 of every stored event (contract fields, sorted) and of the event ids: equal digests, equal events."""
    import hashlib

    from casus.store.queries import query_events

    rows = sorted(json.dumps(e, sort_keys=True, default=str) for e in query_events(db, limit=None))
    ids = sorted(json.loads(r)["event_id"] for r in rows)
    return {"events_sha1": hashlib.sha1("\n".join(rows).encode()).hexdigest(),
            "event_ids_sha1": hashlib.sha1("\n".join(ids).encode()).hexdigest()}


STAGES = {"floor": stage_floor, "casus": stage_casus, "local": stage_local, "dask": stage_dask}


def run_stage(name: str, path: Path, n: int, words: int, **kw) -> dict:
    """Run one stage in a fresh interpreter; its result is the last line it prints (JSON)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--stage", name, "--stage-input", str(path),
           "--stage-n", str(n), "--stage-words", str(words), "--stage-args", json.dumps(kw)]
    print(f"  {name:<6} {n:>6} articles ...", end="", flush=True, file=sys.stderr)
    t0 = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"stage {name} failed (exit {proc.returncode})")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f" {result['articles_per_s']:.2f} articles/s ({time.monotonic() - t0:.0f} s in all)", file=sys.stderr)
    return result


# ---------------------------------------------------------------- the run

def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def memory_runs(corpus: Path, counts: list[int], tmp: Path) -> dict:
    out = {}
    for n in counts:
        path, n, words = subset(corpus, n, tmp)
        r = run_stage("local", path, n, words, samples=RSS_SAMPLES)
        r["under_limit"] = max(r["peak_rss_mb_parent"], r["peak_rss_mb_worker"]) < RSS_LIMIT_MB
        r["options"] = BENCH_OPTIONS
        trace = r.get("rss_trace_mb_parent", [])
        if len(trace) >= 2 and trace[-1][2] > trace[0][2]:  # the parent's growth per story added, once warm
            r["parent_bytes_per_story"] = round((trace[-1][1] - trace[0][1]) * 2 ** 20 / (trace[-1][2] - trace[0][2]))
        r["measured_at"] = time.strftime("%Y-%m-%d %H:%M")
        out[str(n)] = r
    return out


def table(results: dict) -> str:
    m = results["machine"]
    runs = results.get("runs", {})
    lines = [f"Machine: {m['cores']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, Python {m['python']}, "
             f"spaCy {m['spacy']}; load average before/after: {results['load']['before'][0]} / "
             f"{results['load']['after'][0]}.", "",
             "| run | articles | articles/s | words/s | peak RSS (MB) |", "| --- | ---: | ---: | ---: | ---: |"]
    names = {"floor": "(a) spaCy floor: `nlp.pipe`, 1 process", "casus": "(b) casus end to end, 1 process",
             "local": "(c) casus, local engine, 2 worker processes",
             "dask": "(d) casus, Dask LocalCluster, 2 worker processes"}
    for key, label in names.items():
        r = runs.get(key)
        if r:
            rss = r.get("peak_rss_mb") or \
                f"{r.get('peak_rss_mb_parent', r.get('peak_rss_mb_client'))} + 2 x {r['peak_rss_mb_worker']}"
            lines.append(f"| {label} | {r['articles']} | {r['articles_per_s']} | {r['words_per_s']:,} | {rss} |")
    memory = sorted(((k, v) for k, v in results.get("memory", {}).items() if k.isdigit()), key=lambda kv: int(kv[0]))
    for n, r in memory:
        lines.append(f"| memory check: (c) on {int(n):,} articles | {r['articles']} | {r['articles_per_s']} | "
                     f"{r['words_per_s']:,} | {r['peak_rss_mb_parent']} + 2 x {r['peak_rss_mb_worker']} |")
    ratios = results.get("ratios", {})
    if ratios:
        lines += ["", f"casus / floor: {ratios['casus_over_floor']} in articles read "
                      f"({ratios.get('casus_over_floor_per_parsed_article', '?')} per article parsed: duplicates are "
                      f"not parsed); 2-worker speed-up over one process: {ratios['speedup_2_workers']}x "
                      f"(local engine), {ratios.get('speedup_dask_2_workers', '?')}x (Dask). Same events in (b), (c) "
                      f"and (d): {all(results.get('same_events', {}).values())}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--articles", type=int, default=ARTICLES, help="articles for (a) to (d)")
    ap.add_argument("--memory", default=",".join(map(str, MEMORY_DEFAULT)), help="article counts for the memory check")
    ap.add_argument("--memory-only", metavar="COUNTS", help="only the memory check, merged into --out")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    ap.add_argument("--stage-input", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--stage-n", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--stage-words", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--stage-args", default="{}", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.stage:
        result = STAGES[args.stage](args.stage_input, args.stage_n, args.stage_words, **json.loads(args.stage_args))
        print(json.dumps(result))
        return 0
    if not args.corpus.exists():
        raise SystemExit(f"{args.corpus} not found: run benchmarks/make_corpus.py first")
    started = time.monotonic()
    # earlier memory checks at other counts are kept (the 10,000-article one is run on its own)
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    results["machine"] = machine()
    load = {"before": load_average()}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.memory_only:
            counts = [int(x) for x in args.memory_only.split(",")]
            results.setdefault("memory", {}).update(memory_runs(args.corpus, counts, tmp))
        else:
            path, n, words = subset(args.corpus, args.articles, tmp)
            runs = {name: run_stage(name, path, n, words) for name in ("floor", "casus", "local", "dask")}
            results["runs"] = runs
            results["measured_at"] = time.strftime("%Y-%m-%d %H:%M")
            floor_per_doc = runs["floor"]["seconds"] / runs["floor"]["articles"]
            results["ratios"] = {
                "casus_over_floor": round(runs["casus"]["articles_per_s"] / runs["floor"]["articles_per_s"], 2),
                # the same, per document parsed: casus parses only the canonical article of each story
                "casus_over_floor_per_parsed_article": round(
                    floor_per_doc / (runs["casus"]["seconds"] / runs["casus"]["coded"]), 2),
                "speedup_2_workers": round(runs["local"]["articles_per_s"] / runs["casus"]["articles_per_s"], 2),
                "speedup_dask_2_workers": round(runs["dask"]["articles_per_s"] / runs["casus"]["articles_per_s"], 2)}
            results["same_events"] = {  # (b), (c) and (d) store the same events (ids and every field)
                name: runs[name]["events_sha1"] == runs["casus"]["events_sha1"] for name in ("local", "dask")}
            counts = [int(x) for x in args.memory.split(",") if x]
            if counts:
                results.setdefault("memory", {}).update(memory_runs(args.corpus, counts, tmp))
    load["after"] = load_average()
    if args.memory_only:
        results["memory"]["load"] = load
        results.setdefault("load", load)
    else:
        results["load"] = load
    results["memory_only_seconds" if args.memory_only else "total_seconds"] = round(time.monotonic() - started)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    if "ratios" in results:
        print(f"\ncasus/floor = {results['ratios']['casus_over_floor']}, "
              f"2-worker speed-up = {results['ratios']['speedup_2_workers']}x")
    print(f"results: {args.out} ({round(time.monotonic() - started)} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What the dedup index costs in memory, part by part, and how it behaves at 300,000 articles a day.

    python benchmarks/dedup_memory.py                 # about 3 minutes on 2 cores; merged into results.json

breakdown  the first ``--articles`` benchmark articles through the index casus used before (datasketch's
           MinHashLSH and a dict of Signature objects, rebuilt here as it was) and through casus's
           ``DedupIndex``: the same decisions are checked, and tracemalloc gives the bytes per story of each
           part (numpy registers its arrays with tracemalloc, so both sides are counted the same way).
scale      in a fresh process each: (1) the old index filled with ``--old-stories`` random signatures, RSS
           per story; (2) ``DedupIndex`` with the default options (30-day window, 800,000-story cap)
           filled to the cap, then fed a date-ordered stream of ``--per-day`` stories a day (300,000
           articles a day at the corpus's 0.83 stories per article) through match + add: RSS once full,
           peak RSS, microseconds per document, stories evicted.
rebuild    a DuckDB store of ``--store-stories`` random stories over 40 days (written once, to a temporary
           directory), read back by ``casus.store.dedup_state.load_index`` with the default options as a
           resumed ingest reads it: stories read, seconds, RSS of the index, peak RSS of the process.

Random signatures share no band, so the scale figures measure memory and the search, not verification;
the breakdown's real articles have ~200 LSH candidates each (same-storyline paragraphs), which is where
the time per document goes at corpus scale.
"""
from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "benchmarks" / "data" / "corpus.jsonl"
RESULTS = ROOT / "benchmarks" / "results.json"
ARTICLES = 3000  # enough stories (~2,700) for per-story figures to settle; ~20 s of MinHash signing
OLD_STORIES = 20_000  # the old index at 13.8 KB a story: ~300 MB, enough for a stable per-story figure
PER_DAY = 250_000  # stories a day at 300,000 articles (0.83 stories per article in the benchmark corpus)
STREAM = 30_000  # documents streamed through match + add once the index is full
STORE_STORIES = 1_000_000  # 40 days of 25,000: the 30-day window keeps 31 days, 775,000, under the cap
STORE_DAYS = 40

from run import rss_mb  # noqa: E402  (benchmarks/ is the script directory)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class OldIndex:
    """casus's index before the window: MinHashLSH over the signatures, verified on a dict of Signatures."""

    def __init__(self, threshold: float = 0.8) -> None:
        from datasketch import MinHashLSH

        from casus.ingest.dedup import LSH_WEIGHTS, NUM_PERM, candidate_threshold

        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=candidate_threshold(threshold), num_perm=NUM_PERM, weights=LSH_WEIGHTS)
        self._sigs: dict = {}
        self._order: dict = {}

    def add(self, story_id, sig) -> None:
        self._sigs[story_id] = sig
        self._order[story_id] = len(self._order)
        self._lsh.insert(story_id, sig.minhash())

    def match(self, sig):
        from casus.ingest.dedup import MIN_SIZE_RATIO, containment

        best = None
        for story_id in self._lsh.query(sig.minhash()):
            other = self._sigs[story_id]
            if min(sig.size, other.size) < MIN_SIZE_RATIO * max(sig.size, other.size):
                continue
            c = containment(sig, other)
            if c >= self.threshold and (best is None or (-c, self._order[story_id], story_id) < best):
                best = (-c, self._order[story_id], story_id)
        return (best[2], -best[0]) if best else None


def _fill(index, texts_sigs):
    decisions, t0 = [], time.perf_counter()
    for i, (date, sig) in enumerate(texts_sigs):
        m = index.match(sig) if isinstance(index, OldIndex) else index.match(sig, date)
        if m is None:
            index.add(f"{i:016x}", sig) if isinstance(index, OldIndex) else index.add(f"{i:016x}", sig, date)
        decisions.append(m)
    return decisions, (time.perf_counter() - t0) / len(texts_sigs) * 1e6


def breakdown(corpus: Path, articles: int) -> dict:
    from casus.ingest.dedup import DedupIndex, signature

    recs = []
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            recs.append(json.loads(line))
            if len(recs) >= articles:
                break
    sigs = [(r.get("date"), signature(r["text"])) for r in recs]
    out = {"articles": len(recs)}
    for name, make in (("old", OldIndex), ("new", lambda: DedupIndex(window=None))):
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        index = make()
        decisions, us = _fill(index, sigs)
        gc.collect()
        total = tracemalloc.get_traced_memory()[0] - base
        snap = tracemalloc.take_snapshot()
        tracemalloc.stop()
        stories = sum(1 for d in decisions if d is None)
        parts: dict[str, int] = {}
        for stat in snap.statistics("filename"):
            f = stat.traceback[0].filename
            key = ("datasketch " + Path(f).name if "datasketch" in f else
                   "numpy arrays" if "numpy" in f or "dedup_index" in f else "other")
            parts[key] = parts.get(key, 0) + stat.size
        out[name] = {"stories": stories, "bytes_per_story": round(total / stories), "us_per_document": round(us),
                     "parts_bytes_per_story": {k: round(v / stories) for k, v in sorted(parts.items())}}
        if name == "old":  # the index kept the Signature objects made before tracing started: count them too
            held = [index._sigs[k] for k in index._sigs]
            sig_bytes = sum(sys.getsizeof(x) + sys.getsizeof(x.__dict__) + sys.getsizeof(x.hashvalues) for x in held)
            out[name]["parts_bytes_per_story"]["Signature objects (sys.getsizeof)"] = round(sig_bytes / stories)
            out[name]["bytes_per_story"] = round((total + sig_bytes) / stories)
        else:
            segs = index._all()
            kinds = {"signatures (128 x uint32)": sum(g.sigs.nbytes for g in segs),
                     "band entries (42 x uint64)": sum(g.keys.nbytes for g in segs)}
            kinds["day, size, order, flag, id"] = index.nbytes - sum(kinds.values())
            out[name]["array_bytes_per_story"] = {k: round(v / len(index)) for k, v in kinds.items()}
        out[f"_{name}_decisions"] = decisions
    out["same_decisions"] = out.pop("_old_decisions") == out.pop("_new_decisions")
    return out


def scale_old(stories: int) -> dict:
    from casus.ingest.dedup import NUM_PERM, Signature

    rng = np.random.default_rng(3)
    index = OldIndex()
    gc.collect()
    base = rss_mb()
    for i in range(stories):
        index.add(f"{i:016x}", Signature(rng.integers(0, 2**32, NUM_PERM, dtype=np.uint32), 300))
    gc.collect()
    return {"stories": stories, "rss_mb": round(rss_mb() - base), "rss_bytes_per_story":
            round((rss_mb() - base) * 2**20 / stories)}


def scale_new(per_day: int, stream: int) -> dict:
    from casus.config import Options
    from casus.ingest.dedup import NUM_PERM, DedupIndex, Signature

    rng = np.random.default_rng(4)
    opts = Options()
    first = 739_000  # a day number (2024); dates only need to be consecutive
    index = DedupIndex.for_options(opts, today=first + 400)
    cap = index.max_stories
    gc.collect()
    base = rss_mb()
    t0 = time.monotonic()
    days = first + np.arange(cap) // per_day  # a full store's last days, read back as a resume reads them
    index.observe(int(days[-1]))
    for start in range(0, cap, 65_536):
        n = min(65_536, cap - start)
        index.add_many([f"{i:016x}" for i in range(start, start + n)],
                       rng.integers(0, 2**32, (n, NUM_PERM), dtype=np.uint32), np.full(n, 300), days[start:start + n])
    fill_s = time.monotonic() - t0
    gc.collect()
    full = rss_mb() - base
    out = {"options": {"dedup_window": opts.dedup_window, "dedup_max_stories": cap}, "stories_per_day": per_day,
           "rebuild_seconds": round(fill_s, 1), "stories_after_rebuild": len(index), "rss_mb_full": round(full),
           "rss_bytes_per_story": round(full * 2**20 / len(index)),
           "array_bytes_per_story": round(index.nbytes / len(index))}
    day, t0 = int(days[-1]), time.perf_counter()
    for i in range(stream):
        if i % per_day == 0:
            day += 1
        sig = Signature(rng.integers(0, 2**32, NUM_PERM, dtype=np.uint32), 300)
        if index.match(sig, day) is None:
            index.add(f"n{i:015x}", sig, day)
    out.update(stream_documents=stream, us_per_document=round((time.perf_counter() - t0) / stream * 1e6),
               stories_after_stream=len(index), evicted=index.evicted, rss_mb_after_stream=round(rss_mb() - base),
               peak_rss_mb_process=round(peak_mb()))
    return out


def make_store(path: str, stories: int, days: int) -> dict:
    """A casus store holding ``stories`` random stories spread evenly over ``days`` days, and one document.
    Run in a process of its own: a resume reads a store its writer has left (read while the writing
    process was still alive, the rebuild's peak was 300-400 MB higher)."""
    import datetime as dt

    import pyarrow as pa

    from casus.ingest.dedup import NUM_PERM
    from casus.store.schema import connect_write

    rng = np.random.default_rng(5)
    per_day = -(-stories // days)
    first = dt.date(2025, 1, 1)
    with connect_write(Path(path)) as con:
        for start in range(0, stories, 200_000):
            n = min(200_000, stories - start)
            ids = [f"{i:016x}" for i in range(start, start + n)]
            dates = [first + dt.timedelta(days=i // per_day) for i in range(start, start + n)]
            values = rng.integers(0, 2**32, (n, NUM_PERM), dtype=np.uint32).astype("<u4")
            table = pa.table({"story_id": ids, "canonical_hash": ids, "canonical_doc_id": ids,
                              "title": pa.nulls(n, pa.string()), "first_published": pa.array(dates, pa.date32()),
                              "num_articles": np.ones(n, np.int32), "num_sources": np.ones(n, np.int32),
                              "num_shingles": np.full(n, 300, np.int32),
                              "minhash": pa.array([v.tobytes() for v in values], pa.binary())})
            con.register("new_stories", table)
            con.execute("INSERT INTO stories SELECT * FROM new_stories")
            con.unregister("new_stories")
        con.execute("INSERT INTO documents (content_hash, doc_id, story_id, status, source_key, published, text, "
                    "num_events, coder_version, ingested_at) VALUES ('h', 'd', 's', 'coded', 'x', ?, 't', 0, 'v', "
                    "now())", [dates[-1]])
        con.execute("CHECKPOINT")  # as a finished ingest leaves it: no write-ahead log for the reader to replay
    return {"store_mb": round(Path(path).stat().st_size / 2**20)}


def rebuild(store: str) -> dict:
    from casus.config import Options
    from casus.ingest.dedup import DedupIndex
    from casus.store.dedup_state import load_index
    from casus.store.schema import connect_read

    gc.collect()
    base = rss_mb()
    t0 = time.monotonic()
    with connect_read(store) as con:
        index = DedupIndex.for_options(Options())
        read = load_index(con, index)
    seconds = time.monotonic() - t0
    gc.collect()
    return {"stories_read": read, "seconds": round(seconds, 1), "rss_mb_index": round(rss_mb() - base),
            "peak_rss_mb_above_start": round(peak_mb() - base), "rss_mb_at_start": round(base)}


def _in_fresh_process(what: str, **kw) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--part", what, "--part-args", json.dumps(kw)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        sys.stderr.write(proc.stderr[-3000:])
        raise SystemExit(f"{what} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--articles", type=int, default=ARTICLES, help="benchmark articles for the breakdown")
    ap.add_argument("--old-stories", type=int, default=OLD_STORIES, help="stories in the old index at scale")
    ap.add_argument("--per-day", type=int, default=PER_DAY, help="stories a day in the stream")
    ap.add_argument("--stream", type=int, default=STREAM, help="documents streamed once the index is full")
    ap.add_argument("--store-stories", type=int, default=STORE_STORIES, help="stories in the store to rebuild from")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--part", choices=["breakdown", "old", "new", "rebuild", "make_store"], help=argparse.SUPPRESS)
    ap.add_argument("--part-args", default="{}", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.part:
        fn = {"breakdown": breakdown, "old": scale_old, "new": scale_new, "rebuild": rebuild,
              "make_store": make_store}[args.part]
        kw = json.loads(args.part_args)
        if args.part == "breakdown":
            kw["corpus"] = Path(kw["corpus"])
        print(json.dumps(fn(**kw)))
        return 0
    if not args.corpus.exists():
        raise SystemExit(f"{args.corpus} not found: run benchmarks/make_corpus.py first")
    import tempfile

    result = {"breakdown": _in_fresh_process("breakdown", corpus=str(args.corpus), articles=args.articles),
              "old_at_scale": _in_fresh_process("old", stories=args.old_stories),
              "new_at_scale": _in_fresh_process("new", per_day=args.per_day, stream=args.stream)}
    with tempfile.TemporaryDirectory() as tmp:
        store = str(Path(tmp) / "stories.duckdb")
        made = _in_fresh_process("make_store", path=store, stories=args.store_stories, days=STORE_DAYS)
        result["rebuild"] = {"store_stories": args.store_stories, "store_days": STORE_DAYS, **made,
                             **_in_fresh_process("rebuild", store=store)}
    result["measured_at"] = time.strftime("%Y-%m-%d %H:%M")
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    results["dedup_index"] = result
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

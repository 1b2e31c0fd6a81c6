"""Profile casus end to end (read, clean, dedup, parse, code, store) with cProfile, in one process.

    python benchmarks/profile_casus.py --articles 200      # prints the report, writes benchmarks/data/profile.pstats

The report splits the run's time into stages (cumulative time of their entry points) and lists the
functions of casus itself, and of other libraries outside spaCy/thinc, that cost the most time of
their own. Start-up (model loading) is not profiled. cProfile slows Python-heavy code more than
spaCy's compiled parser, so the shares of casus's own code are upper bounds.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CORPUS, subset  # noqa: E402  (benchmarks/ is not a package)

OUT = Path(__file__).resolve().parent / "data" / "profile.pstats"
# entry points whose cumulative time is a stage of the pipeline: (label, file suffix, function name)
STAGES = [
    ("read inputs (JSON Lines)", "casus/ingest/readers.py", "read_inputs"),
    ("prepare: clean, language, checks", "casus/pipeline.py", "prepare"),
    ("  clean_text", "casus/ingest/clean.py", "clean_text"),
    ("  detect_language", "casus/ingest/lang.py", "detect_language"),
    ("  longest_run", "casus/pipeline.py", "longest_run"),
    ("MinHash signature", "casus/ingest/dedup.py", "signature"),
    ("dedup match", "casus/ingest/dedup.py", "match"),
    ("spaCy parse (nlp.pipe)", "spacy/language.py", "pipe"),
    ("  of which attribute_ruler", "spacy/pipeline/attributeruler.py", "__call__"),
    ("coding (code_parsed)", "casus/pipeline.py", "code_parsed"),
    ("event rows (to_dict, event_to_row)", "casus/store/schema.py", "event_to_row"),
    ("store: open/close the database", "casus/store/schema.py", "_open"),
    ("store: insert rows", "casus/store/schema.py", "insert_rows"),
]
# functions whose callees are listed with their cumulative time: where coding spends it
BREAKDOWN = [("casus/pipeline.py", "code_parsed"), ("casus/coding/coder.py", "code_sentence")]
SPACY = ("/spacy/", "/thinc/", "/cymem/", "/preshed/", "/srsly/", "/blis/")


def profile(articles: int) -> pstats.Stats:
    from casus.config import Options
    from casus.pipeline import load_resources
    from casus.store import ingest

    res = load_resources(Options())
    with tempfile.TemporaryDirectory() as tmp:
        path, n, _ = subset(CORPUS, articles, Path(tmp))
        prof = cProfile.Profile()
        prof.enable()
        ingest([str(path)], Path(tmp) / "p.duckdb", options=Options(), resources=res)
        prof.disable()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    prof.dump_stats(OUT)
    return pstats.Stats(prof)


def _where(f: str) -> str:
    return "casus/" + f.split("/casus/", 1)[1] if "/casus/" in f else "/".join(f.rsplit("/", 2)[-2:])


def report(stats: pstats.Stats, top: int = 25) -> str:
    raw = stats.stats  # {(file, line, func): (cc, nc, tottime, cumtime, callers)}
    total = max(v[3] for v in raw.values())  # the outermost call's cumulative time
    lines = [f"total profiled: {total:.1f} s", "", "stage (cumulative)                          s      share"]
    for label, suffix, name in STAGES:
        cum = sum(v[3] for (f, _, fn), v in raw.items() if f.endswith(suffix) and fn == name)
        lines.append(f"{label:<40} {cum:7.1f}  {100 * cum / total:5.1f}%")
    for suffix, name in BREAKDOWN:
        lines += ["", f"inside {name} (cumulative time of what it calls)", "    s   share    calls  function"]
        callees = [(v[3], f, ln, fn, v[1]) for (f, ln, fn), v in raw.items()
                   if any(cf.endswith(suffix) and cfn == name for (cf, _, cfn) in v[4])]
        for cum, f, ln, fn, calls in sorted(callees, reverse=True)[:10]:
            lines.append(f"{cum:6.1f}  {100 * cum / total:5.1f}%  {calls:>8}  {_where(f)}:{ln} {fn}")
    own = [(v[2], f, ln, fn, v[1]) for (f, ln, fn), v in raw.items()
           if not any(s in f for s in SPACY) and not f.endswith((".pyx", ".pxd"))]
    own.sort(reverse=True)
    lines += ["", f"top {top} functions outside spaCy/thinc (and compiled .pyx code) by own time", "    s   share    calls  function"]
    for tt, f, ln, fn, calls in own[:top]:
        lines.append(f"{tt:6.1f}  {100 * tt / total:5.1f}%  {calls:>8}  {_where(f)}:{ln} {fn}")
    by_module: dict[str, float] = {}
    for (f, _, _), v in raw.items():
        if "/casus/" in f:
            mod = f.split("/casus/", 1)[1]
            by_module[mod] = by_module.get(mod, 0.0) + v[2]
    lines += ["", "casus modules by own time", "    s   share  module"]
    for mod, tt in sorted(by_module.items(), key=lambda kv: -kv[1])[:15]:
        lines.append(f"{tt:6.1f}  {100 * tt / total:5.1f}%  casus/{mod}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args(argv)
    print(report(profile(args.articles), args.top))
    print(f"\nfull profile: {OUT} (python -m pstats {OUT})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

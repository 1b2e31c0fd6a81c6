"""Build the benchmark corpus: thousands of news-length articles derived from samples/corpus, reproducibly.

    python benchmarks/make_corpus.py                       # 10,000 articles -> benchmarks/data/corpus.jsonl
    python benchmarks/make_corpus.py --count 2000 --out benchmarks/data/small.jsonl

The 40 illustrative articles of ``samples/corpus`` are read and cleaned by casus itself, then each
benchmark article is made from one of them (the *base*) by:

* recombining paragraphs: the base's lede, then its body paragraphs mixed with 1-2 paragraphs
  drawn from other articles of the same storyline (MANIFEST ``dyad`` + ``storyline``), shuffled;
* swapping actors: each side of the dyad may be replaced by a country from a fixed list (name,
  adjective, plural demonym and capital swapped together, in title and text);
* swapping details: a new dateline (city, date within the year, outlet), other weekdays, other
  counts ("3,000 troops" -> "4,500 troops", "two soldiers" -> "five soldiers").

Article ``i`` depends only on ``--seed`` and ``i`` (its own RNG), so the first 1,000 articles of a
10,000-article corpus are the 1,000-article corpus. About ``REPUBLISH_SHARE`` of the articles are
republications of an earlier one (new outlet and headline, last paragraph cut), which casus must fold
into that story; the rest differ enough that MinHash deduplication keeps them apart (checked by
``--check-dedup``). The corpus is written under benchmarks/data/, which git ignores: never commit it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "corpus"
DEFAULT_OUT = ROOT / "benchmarks" / "data" / "corpus.jsonl"
DEFAULT_COUNT = 10_000  # enough for the 10,000-article memory check; smaller runs read a prefix
SEED = 2025
MIN_PARAGRAPH_WORDS = 8  # shorter paragraphs in the cleaned samples are leftovers ("Story continues below ...")
DONOR_PARAGRAPHS = (3, 6)  # paragraphs borrowed from other articles of the storyline: ~11 paragraphs, ~330 words
REPUBLISH_SHARE = 0.06  # share of articles that are republications of an earlier one (dedup must fold them)
REPUBLISH_WINDOW = 300  # a republication copies one of the previous 300 articles: wire copy follows quickly
SWAP_SHARE = 0.6  # share of articles whose dyad sides are swapped for other countries
FIRST_DAY = dt.date(2025, 1, 1)  # publication dates fall within one year from here

# one side of a dyad: name, adjective, plural demonym, capital (swapped together)
SIDES = {
    "ARM": ("Armenia", "Armenian", "Armenians", "Yerevan"),
    "AZE": ("Azerbaijan", "Azerbaijani", "Azerbaijanis", "Baku"),
    "JPN": ("Japan", "Japanese", "Japanese", "Tokyo"),
    "KOR": ("South Korea", "South Korean", "South Koreans", "Seoul"),
    "PRK": ("North Korea", "North Korean", "North Koreans", "Pyongyang"),
    "DEU": ("Germany", "German", "Germans", "Berlin"),
    "POL": ("Poland", "Polish", "Poles", "Warsaw"),
    "KEN": ("Kenya", "Kenyan", "Kenyans", "Nairobi"),
    "ETH": ("Ethiopia", "Ethiopian", "Ethiopians", "Addis Ababa"),
    "BRA": ("Brazil", "Brazilian", "Brazilians", "Brasilia"),
    "ARG": ("Argentina", "Argentine", "Argentines", "Buenos Aires"),
}
# countries a side may become (all in casus's actor knowledge base, with these exact forms)
SWAPS = [
    ("Georgia", "Georgian", "Georgians", "Tbilisi"), ("Serbia", "Serbian", "Serbians", "Belgrade"),
    ("India", "Indian", "Indians", "New Delhi"), ("Pakistan", "Pakistani", "Pakistanis", "Islamabad"),
    ("Egypt", "Egyptian", "Egyptians", "Cairo"), ("Colombia", "Colombian", "Colombians", "Bogota"),
    ("Venezuela", "Venezuelan", "Venezuelans", "Caracas"), ("Thailand", "Thai", "Thais", "Bangkok"),
    ("Cambodia", "Cambodian", "Cambodians", "Phnom Penh"), ("France", "French", "French", "Paris"),
    ("Italy", "Italian", "Italians", "Rome"), ("Nigeria", "Nigerian", "Nigerians", "Abuja"),
    ("Ghana", "Ghanaian", "Ghanaians", "Accra"), ("Peru", "Peruvian", "Peruvians", "Lima"),
    ("Chile", "Chilean", "Chileans", "Santiago"), ("Vietnam", "Vietnamese", "Vietnamese", "Hanoi"),
    ("Turkey", "Turkish", "Turks", "Ankara"), ("Greece", "Greek", "Greeks", "Athens"),
    ("Rwanda", "Rwandan", "Rwandans", "Kigali"), ("Uganda", "Ugandan", "Ugandans", "Kampala"),
    ("Mexico", "Mexican", "Mexicans", "Mexico City"), ("Canada", "Canadian", "Canadians", "Ottawa"),
]
OUTLETS = ["Caspian Wire", "Northgate News", "Meridian Press", "Pacific Ledger", "Sahel Tribune", "Andes Daily",
           "Harbour Courier", "Eastline Report", "Lowland Gazette", "Summit Dispatch"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SMALL_NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DATELINE = re.compile(r"^[A-Z][A-Za-z .'-]+, \d{1,2} [A-Z][a-z]+ \d{4} \([^)]*\) [-–—] ")
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?![\w,]|\.\d)(?!\s+(?:" + "|".join(MONTHS) + r")\b)")
SMALL_WORD = re.compile(r"\b(" + "|".join(SMALL_NUMBERS) + r")\b")
WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
SCALES = (0.5, 0.75, 1.5, 2.0, 3.0)  # counts change by these factors: plausible, and different shingles


@dataclass
class Source:
    doc_id: str
    title: str
    paragraphs: list[str]
    dyad: tuple[str, str]
    group: str  # dyad + storyline


def _manifest() -> dict[str, tuple[str, str, bool]]:
    """MANIFEST key (file or file#id) -> (dyad, storyline, is a republished duplicate)."""
    out = {}
    for line in (SAMPLES / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        file, _date, dyad, storyline, summary = line.split("\t")
        out[file] = (dyad, storyline, summary.startswith("DUPLICATE"))
    return out


@lru_cache(maxsize=1)
def load_sources() -> tuple[Source, ...]:
    """The distinct sample articles, read and cleaned by casus, with their storyline."""
    from casus.config import Options
    from casus.ingest.readers import read_inputs
    from casus.pipeline import prepare

    manifest = _manifest()
    by_key = {}
    for key, value in manifest.items():
        base = key.split("#")[0]
        by_key[key] = value
        by_key.setdefault(base, value)
    sources = []
    for doc in read_inputs([str(SAMPLES)], None):
        if not hasattr(doc, "text"):
            continue
        doc = prepare(doc, Options())
        key = doc.id if doc.id in manifest else next(
            (k for k in manifest if k.endswith("#" + doc.id) or k == doc.id), None)
        if key is None:
            raise SystemExit(f"{doc.provenance}: not in MANIFEST.tsv")
        dyad, storyline, duplicate = manifest[key]
        if duplicate:
            continue  # republications are made below, on purpose and in measured numbers
        paragraphs = [DATELINE.sub("", p.strip()) for p in doc.text.split("\n\n")]
        paragraphs = [p for p in paragraphs if len(p.split()) >= MIN_PARAGRAPH_WORDS]
        a, b = dyad.split("-")
        sources.append(Source(doc.id, doc.title or paragraphs[0][:80], paragraphs, (a, b), f"{dyad}/{storyline}"))
    sources.sort(key=lambda s: s.doc_id)  # reader order must not matter
    return tuple(sources)


def _groups() -> dict[str, list[Source]]:
    groups: dict[str, list[Source]] = defaultdict(list)
    for s in load_sources():
        groups[s.group].append(s)
    return dict(sorted(groups.items()))


def _swapper(mapping: dict[str, str]):
    if not mapping:
        return lambda text: text
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)) + r")\b")
    return lambda text: pattern.sub(lambda m: mapping[m.group(1)], text)


def _scale(match: re.Match, rng: random.Random) -> str:
    raw = match.group(1)
    value = int(raw.replace(",", ""))
    if 1900 <= value <= 2100 and "," not in raw:
        return raw  # a year
    new = max(1, round(value * rng.choice(SCALES)))
    return f"{new:,}" if "," in raw or new >= 10_000 else str(new)


def _original(i: int, seed: int) -> dict:
    """Article ``i`` made from a base article (not a republication)."""
    rng = random.Random(f"{seed}:{i}")
    groups = _groups()
    names = list(groups)
    group = groups[names[rng.randrange(len(names))]]
    base = rng.choice(group)
    donors = [s for s in group if s is not base] or list(load_sources())
    body = list(base.paragraphs[1:])
    pool = [p for s in donors for p in s.paragraphs[1:]]
    body += rng.sample(pool, min(len(pool), rng.randint(*DONOR_PARAGRAPHS)))
    rng.shuffle(body)
    # the actors: swap each side with SWAP_SHARE probability, to two different countries
    mapping: dict[str, str] = {}
    taken = {SIDES[c][0] for c in base.dyad}
    for code in base.dyad:
        if rng.random() < SWAP_SHARE:
            new = rng.choice([c for c in SWAPS if c[0] not in taken])
            taken.add(new[0])
            mapping.update(zip(SIDES[code], new))
    swap = _swapper(mapping)
    weekdays = dict(zip(WEEKDAYS, rng.sample(WEEKDAYS, len(WEEKDAYS))))
    numbers = dict(zip(SMALL_NUMBERS, rng.sample(SMALL_NUMBERS, len(SMALL_NUMBERS))))

    def detail(text: str) -> str:
        text = WEEKDAY.sub(lambda m: weekdays[m.group(1)], swap(text))
        text = SMALL_WORD.sub(lambda m: numbers[m.group(1)], text)
        return NUMBER.sub(lambda m: _scale(m, rng), text)

    date = FIRST_DAY + dt.timedelta(days=rng.randrange(365))
    outlet = rng.choice(OUTLETS)
    city = swap(SIDES[rng.choice(base.dyad)][3])
    lede = f"{city.upper()}, {date.day} {MONTHS[date.month - 1]} {date.year} ({outlet}) - {detail(base.paragraphs[0])}"
    paragraphs = [lede] + [detail(p) for p in body]
    slug = re.sub(r"[^a-z0-9]+", "-", base.doc_id.lower().rsplit("/", 1)[-1].removesuffix(".html")
                  .removesuffix(".txt")).strip("-")
    return {"id": f"bench-{i:06d}", "title": swap(base.title), "text": "\n\n".join(paragraphs),
            "date": date.isoformat(), "url": f"https://example.org/bench/{i:06d}/{slug}", "source": outlet,
            "base": base.doc_id}


def article(i: int, seed: int = SEED) -> dict:
    """Benchmark article ``i`` (a JSON record for casus's JSONL reader, plus ``base``: where it came from)."""
    rng = random.Random(f"{seed}:{i}:republish")
    if i > 0 and rng.random() < REPUBLISH_SHARE:
        j = rng.randrange(max(0, i - REPUBLISH_WINDOW), i)
        orig = article(j, seed)  # a republication may itself be republished, as wire copy is
        paragraphs = orig["text"].split("\n\n")
        outlet = rng.choice([o for o in OUTLETS if o != orig["source"]])
        return {"id": f"bench-{i:06d}", "title": f"{orig['title']} - report", "text": "\n\n".join(paragraphs[:-1]),
                "date": orig["date"], "url": f"https://example.org/bench/{i:06d}/republished",
                "source": outlet, "base": f"republishes bench-{j:06d}"}
    return _original(i, seed)


def write_corpus(out: Path, count: int, seed: int = SEED) -> dict:
    """Write ``count`` articles as JSON Lines; returns figures about the corpus."""
    out.parent.mkdir(parents=True, exist_ok=True)
    words = republished = 0
    tmp = out.with_suffix(out.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for i in range(count):
            rec = article(i, seed)
            words += len(rec["text"].split())
            republished += rec["base"].startswith("republishes")
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(out)
    return {"path": str(out), "articles": count, "words": words, "mean_words": round(words / max(count, 1), 1),
            "republications": republished, "seed": seed}


def check_dedup(path: Path, limit: int) -> dict:
    """How casus's MinHash dedup folds the first ``limit`` articles (cleaned as casus cleans them)."""
    from casus.config import Options
    from casus.ingest.dedup import DedupIndex, signature
    from casus.ingest.readers import read_inputs
    from casus.pipeline import prepare

    index = DedupIndex(Options().dedup_threshold)
    folded = {"republication": 0, "other": 0}
    n = 0
    for doc in read_inputs([str(path)], None):
        if n >= limit:
            break
        n += 1
        doc = prepare(doc, Options())
        sig = signature(doc.text)
        if index.match(sig) is not None:
            folded["republication" if doc.url.endswith("/republished") else "other"] += 1
        else:
            index.add(doc.id, sig)
    return {"checked": n, "stories": len(index), "folded_republications": folded["republication"],
            "folded_others": folded["other"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=DEFAULT_COUNT, help="articles to write (default %(default)s)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON Lines file (default %(default)s)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--check-dedup", type=int, default=0, metavar="N",
                    help="afterwards, report how dedup folds the first N articles")
    args = ap.parse_args(argv)
    if args.count < 1:
        ap.error("--count must be at least 1")
    info = write_corpus(args.out, args.count, args.seed)
    if args.check_dedup:
        info["dedup"] = check_dedup(args.out, args.check_dedup)
    json.dump(info, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Near-duplicate stories: MinHash LSH over word 5-shingles of the cleaned text.

One story told by several outlets (re-headlined, trimmed, paragraphs reordered, a sentence reworded)
is one story: its first-seen article is the *canonical* document, which is coded; the others are
linked to it and not coded again. The story then knows how many articles and how many distinct
sources reported it (GDELT's NumArticles / NumSources, but across the whole corpus).

The decision. Republished copies are very often *trimmed* (the last paragraphs dropped): the
fixture ``tests/fixtures/inputs/duplicates/trimmed.txt`` keeps 5 of 7 paragraphs and has a
Jaccard similarity of only 0.70 with its original, so a plain Jaccard cut at 0.8 would miss it.
casus therefore uses the *overlap coefficient* (containment of the smaller shingle set in the
larger), estimated from the MinHash Jaccard estimate and the exact shingle counts:

    |A ∩ B| = J (|A| + |B|) / (1 + J)        containment = |A ∩ B| / min(|A|, |B|)

A document is a duplicate of a story when containment >= ``Options.dedup_threshold`` (0.8) and the
smaller text has at least ``MIN_SIZE_RATIO`` of the larger one's shingles (a one-paragraph brief
quoting a long story is not the same article). LSH only finds the candidates; its Jaccard cut is
the lowest Jaccard a pair passing both tests can have (see :func:`candidate_threshold`).
Two stories on the same topic with different events share < 0.3 of their shingles.

The index (:mod:`casus.ingest.dedup_index`) lives in memory and is bounded: a document is compared
with the stories published within ``Options.dedup_window`` days of its date, stories that fall out of
that window behind the newest date seen are evicted, and ``Options.dedup_max_stories`` caps it
whatever the volume. Each canonical signature is stored in the database (``stories.minhash``) and
the index is rebuilt from there (the stories it would still hold) when a store is opened, so it
survives across runs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np
from datasketch import MinHash

SHINGLE_WORDS = 5  # word 5-grams: long enough that shared phrases mean shared sentences, short enough to survive rewording
# 128 permutations: the standard error of the Jaccard estimate is at most 1/(2*sqrt(128)) = 0.044, which
# separates republications (containment >= 0.9) from same-topic stories (<= 0.3) with a wide margin; a
# signature is 512 bytes (uint32 values), and 256 permutations would double storage and hashing for no gain.
NUM_PERM = 128
SEED = 1  # fixed: signatures stored by one run must be comparable with the next run's
SCHEME = "affine32"  # datasketch 2.0's default permutation scheme (uint32 values); stored signatures depend on it
MIN_SIZE_RATIO = 0.4  # a "duplicate" keeps at least 40% of the story; shorter excerpts are separate articles
LSH_WEIGHTS = (0.2, 0.8)  # favour recall at the LSH stage: every candidate is verified afterwards anyway
PARAMS = f"minhash/{SCHEME}/seed{SEED}/perm{NUM_PERM}/w{SHINGLE_WORDS}"  # stored in the DB's meta table

_WORD = re.compile(r"\w+")
_OUTLET_SPLIT = re.compile(r"\s+[–—|:-]\s+")


def shingles(text: str) -> set[bytes]:
    """The set of lower-cased word 5-shingles of ``text`` (one shingle for texts under five words)."""
    words = _WORD.findall(text.lower())
    if not words:
        return set()
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)}


@dataclass(frozen=True)
class Signature:
    """A MinHash signature and the exact number of distinct shingles it summarises."""

    hashvalues: np.ndarray  # uint32, NUM_PERM values
    size: int

    def to_bytes(self) -> bytes:
        return self.hashvalues.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes, size: int) -> "Signature":
        values = np.frombuffer(blob, dtype="<u4").astype(np.uint32)
        if values.shape != (NUM_PERM,):
            raise ValueError(f"signature has {values.shape[0]} values, expected {NUM_PERM}")
        return cls(values, int(size))

    def minhash(self) -> MinHash:
        return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=self.hashvalues, scheme=SCHEME)


def signature(text: str) -> Signature:
    """The MinHash signature of a cleaned text."""
    sh = shingles(text)
    m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    if sh:
        m.update_batch(list(sh))
    return Signature(np.asarray(m.hashvalues, dtype=np.uint32).copy(), len(sh))


def containment(a: Signature, b: Signature) -> float:
    """Estimated overlap coefficient |A ∩ B| / min(|A|, |B|) of two shingle sets."""
    if not a.size or not b.size:
        return 0.0
    j = float(np.mean(a.hashvalues == b.hashvalues))
    inter = j * (a.size + b.size) / (1.0 + j)
    return min(1.0, inter / min(a.size, b.size))


def candidate_threshold(threshold: float, min_ratio: float = MIN_SIZE_RATIO) -> float:
    """The lowest Jaccard similarity of two sets whose containment is ``threshold`` and whose size
    ratio is ``min_ratio``: J = t·r / (1 + r − t·r). LSH uses it to find candidates."""
    return threshold * min_ratio / (1.0 + min_ratio - threshold * min_ratio)


def source_key(source: str | None, url: str | None = None) -> str:
    """The outlet a document counts as for NumSources: its outlet name without section suffixes
    ("Meridian Press – World" → "meridian press"), else its URL's host, else "unknown" (all articles
    of unknown origin count as one source, so the figure is never inflated)."""
    if source and source.strip():
        return _OUTLET_SPLIT.split(source.strip())[0].strip().lower()
    if url:
        host = urlsplit(url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return "unknown"


_INDEX_NAMES = ("DedupIndex", "UNDATED", "band_keys", "day_number")


def __getattr__(name: str):
    """The index's names, re-exported from :mod:`casus.ingest.dedup_index` (which imports this module)."""
    if name in _INDEX_NAMES:
        from . import dedup_index

        return getattr(dedup_index, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["DedupIndex", "Signature", "signature", "shingles", "containment", "candidate_threshold",
           "source_key", "band_keys", "day_number", "NUM_PERM", "PARAMS", "UNDATED"]

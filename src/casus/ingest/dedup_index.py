"""The dedup index: canonical stories' MinHash signatures, an LSH over them, bounded in time and size.

What it holds per story (measured with ``benchmarks/dedup_memory.py``): the 128 uint32 values (512
bytes, for the containment test), one 8-byte entry per LSH band (42 bands at the default threshold:
336 bytes), and day, size, insertion number, evicted flag and id (33 bytes): 881 bytes in arrays.
datasketch's ``MinHashLSH``, used before, kept one Python set and one bytes object per band and
story: 10.3 of the 11 KB a story cost.

Layout. Stories live in *segments* of numpy arrays. A segment's band entries are one sorted uint64
array (band number | hash of the band's values | row), searched with ``np.searchsorted``; the newest
stories sit in a small unsorted segment scanned linearly and sorted into a segment when it is full;
neighbouring segments of similar size are merged, up to ``SEGMENT_MAX`` stories, so a query
searches about twenty arrays at a million stories. Candidates are the stories datasketch's LSH
(same bands) would return, and they are verified exactly as before, so decisions are the same.

Bounds. ``window`` (days): a document is compared only with stories dated within ``window`` days of
its own date, and stories dated more than ``window`` days before the newest date seen are evicted
(no document in date order can match them). ``max_stories``: beyond it, the earliest days go
first. Evicted stories are flagged; a segment is dropped, or rewritten, once half of it is evicted,
so the memory is given back.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
from datasketch import MinHashLSH

from .dedup import LSH_WEIGHTS, MIN_SIZE_RATIO, NUM_PERM, Signature, candidate_threshold

UNDATED = int(np.iinfo(np.int32).min)  # the day of a story without a date: compared with every date
SLOT_BITS = 16  # low bits of a band entry: the story's row in its segment
SEGMENT_MAX = 1 << SLOT_BITS  # stories per segment: merging two costs at most ~60 MB of temporary arrays
PENDING_MAX = 1024  # newest stories, scanned linearly (~30 µs a query) until they are sorted into a segment
BAND_BITS = 7  # high bits of a band entry: the band number (at most NUM_PERM = 128 bands)
HASH_BITS = 64 - BAND_BITS - SLOT_BITS  # 41 bits of a band's hash: a false candidate once in ~50,000 queries
# at a million stories, and every candidate is verified on the full signature anyway
FUTURE_SLACK = 1  # days: a date after tomorrow is a mistake in the input; it counts as tomorrow
_SLOT_MASK = np.uint64((1 << SLOT_BITS) - 1)
_GOLDEN, _M1, _M2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_EMPTY = np.empty(0, dtype=np.intp)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser on a uint64 array (wrapping arithmetic)."""
    h = (h ^ (h >> np.uint64(30))) * _M1
    h = (h ^ (h >> np.uint64(27))) * _M2
    return h ^ (h >> np.uint64(31))


def band_keys(values: np.ndarray, ranges: list[tuple[int, int]]) -> np.ndarray:
    """LSH band keys of ``(n, NUM_PERM)`` uint32 signatures: ``(n, bands)`` uint64, the band number in the
    top bits, a hash of the band's values below it, the row bits zero. Two signatures share a key
    exactly where datasketch's MinHashLSH would put them in the same bucket (barring a 2^-41 collision)."""
    width = ranges[0][1] - ranges[0][0]
    starts = np.array([start for start, _ in ranges], dtype=np.intp)
    h = np.zeros((values.shape[0], len(ranges)), dtype=np.uint64)
    for j in range(width):
        h = _mix((h + _GOLDEN) ^ values[:, starts + j].astype(np.uint64))
    bands = np.arange(len(ranges), dtype=np.uint64) << np.uint64(64 - BAND_BITS)
    return bands | ((h >> np.uint64(64 - HASH_BITS)) << np.uint64(SLOT_BITS))


def _today() -> int:
    return dt.date.today().toordinal()


def day_number(day: "dt.date | str | int | None") -> int:
    """A publication date as a day number (``date.toordinal()``); UNDATED for None or a non-date."""
    if day is None:
        return UNDATED
    if isinstance(day, (int, np.integer)):
        return int(day)
    if isinstance(day, dt.date):
        return day.toordinal()
    try:
        return dt.date.fromisoformat(str(day)[:10]).toordinal()
    except ValueError:
        return UNDATED


class _Segment:
    """Stories in parallel arrays (row = slot) and their band entries, sorted (frozen) or not (pending)."""

    __slots__ = ("ids", "sigs", "sizes", "days", "order", "alive", "keys", "n", "n_alive", "lo", "hi", "undated",
                 "frozen")

    def __init__(self, ids: list[bytes], sigs: np.ndarray, sizes: np.ndarray, days: np.ndarray, order: np.ndarray,
                 keys: np.ndarray | None, frozen: bool, capacity: int | None = None) -> None:
        self.n = len(ids)
        self.frozen = frozen
        if frozen:  # exact-size arrays; band entries carry their row and are sorted once
            self.ids = np.array(ids, dtype=bytes) if ids else np.empty(0, dtype="S1")
            self.sigs, self.sizes, self.days, self.order = sigs, sizes, days, order
            rows = np.arange(self.n, dtype=np.uint64)[:, None]
            self.keys = np.sort((keys | rows).ravel())
        else:  # preallocated for PENDING_MAX stories, filled in place
            cap = capacity or PENDING_MAX
            self.ids = list(ids)
            self.sigs = np.empty((cap, NUM_PERM), dtype=np.uint32)
            self.sizes = np.empty(cap, dtype=np.uint32)
            self.days = np.empty(cap, dtype=np.int32)
            self.order = np.empty(cap, dtype=np.int64)
            self.keys = np.empty((cap, keys.shape[1] if keys is not None else 0), dtype=np.uint64)
        self.alive = np.ones(self.n if frozen else (capacity or PENDING_MAX), dtype=bool)
        self.n_alive = self.n
        self._bounds()

    def _bounds(self) -> None:
        days = self.days[:self.n][self.alive[:self.n]]
        dated = days[days != UNDATED]
        self.undated = bool(dated.size < days.size)
        self.lo = int(dated.min()) if dated.size else None
        self.hi = int(dated.max()) if dated.size else None

    @property
    def nbytes(self) -> int:
        arrays = [self.sigs, self.sizes, self.days, self.order, self.alive, self.keys]
        ids = self.ids.nbytes if self.frozen else sum(len(i) + 33 for i in self.ids) + 8 * len(self.ids)
        return sum(a.nbytes for a in arrays) + ids

    def append(self, story_id: bytes, values: np.ndarray, size: int, day: int, order: int, keys: np.ndarray) -> None:
        i = self.n
        self.ids.append(story_id)
        self.sigs[i], self.sizes[i], self.days[i], self.order[i], self.keys[i] = values, size, day, order, keys
        self.alive[i] = True
        self.n += 1
        self.n_alive += 1
        if day == UNDATED:
            self.undated = True
        else:
            self.lo = day if self.lo is None else min(self.lo, day)
            self.hi = day if self.hi is None else max(self.hi, day)

    def may_hold(self, day: int, window: int | None) -> bool:
        """Whether a story of this segment can be within ``window`` days of ``day``."""
        if window is None or day == UNDATED or self.undated:
            return True
        return self.lo is not None and self.lo - window <= day <= self.hi + window

    def candidates(self, q: np.ndarray) -> np.ndarray:
        """Rows sharing at least one band key with the query keys ``q`` (row bits zero)."""
        if not self.frozen:
            return np.flatnonzero((self.keys[:self.n] == q).any(axis=1))
        keys = self.keys
        at = np.searchsorted(keys, q)  # one binary search per band; equal keys sit next to each other
        at_ok = np.minimum(at, keys.size - 1)
        hit = np.flatnonzero((at < keys.size) & ((keys[at_ok] & ~_SLOT_MASK) == q))
        if not hit.size:
            return _EMPTY
        rows = []
        for i in hit.tolist():
            k, key = int(at[i]), q[i]
            while k < keys.size and (keys[k] & ~_SLOT_MASK) == key:
                rows.append(int(keys[k] & _SLOT_MASK))
                k += 1
        return np.unique(np.array(rows, dtype=np.intp))

    def story_id(self, row: int) -> str:
        sid = self.ids[row]
        return sid.decode("utf-8")

    def evict(self, mask: np.ndarray) -> int:
        """Flag the rows in ``mask`` (over the first n rows) as evicted; returns how many were alive."""
        hit = mask & self.alive[:self.n]
        k = int(np.count_nonzero(hit))
        if k:
            self.alive[:self.n][hit] = False
            self.n_alive -= k
            self._bounds()
        return k

    def live(self) -> tuple[list[bytes], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The alive stories' ids, values, sizes, days and insertion numbers."""
        keep = np.flatnonzero(self.alive[:self.n])
        ids = [self.ids[i] for i in keep.tolist()]
        return ids, self.sigs[keep], self.sizes[keep], self.days[keep], self.order[keep]


def _freeze(parts: list[tuple], ranges: list[tuple[int, int]]) -> _Segment:
    """One sorted segment from the live stories of ``parts`` (as returned by ``_Segment.live``)."""
    ids = [i for p in parts for i in p[0]]
    sigs = np.concatenate([p[1] for p in parts]) if len(parts) > 1 else np.ascontiguousarray(parts[0][1])
    cat = [np.concatenate([p[k] for p in parts]) for k in (2, 3, 4)]
    return _Segment(ids, sigs, *cat, band_keys(sigs, ranges), frozen=True)


def cap_cutoff(days: np.ndarray, counts: np.ndarray, limit: int) -> int | None:
    """The earliest day D such that the stories dated D or later number at most ``limit`` (``days`` ascending,
    UNDATED first: undated stories go first); None when every story fits."""
    suffix = np.cumsum(counts[::-1])[::-1]
    if suffix.size == 0 or suffix[0] <= limit:
        return None
    fits = np.flatnonzero(suffix <= limit)
    return int(days[fits[0]]) if fits.size else int(days[-1])


class DedupIndex:
    """Canonical stories' signatures with an LSH index over them.

    ``match(sig, day)`` returns the story a new document duplicates (or None); ``add(story_id, sig, day)``
    registers a new canonical story. Results do not depend on the layout: among several matching
    stories the most similar wins, then the earliest added.

    Bounded by ``window`` (days, None for none): a document is compared only with stories dated within
    ``window`` days of its own date (undated ones on either side are compared with everything), and
    stories dated more than ``window`` days before the newest date seen so far are evicted, since no
    document in date order can match them any more. ``max_stories`` (None for no limit) bounds the
    index whatever the volume: beyond it, the stories of the earliest days are evicted (undated first).
    ``today`` (a day number; default: the clock's, day by day) caps dates: a date after tomorrow counts as
    tomorrow.
    """

    def __init__(self, threshold: float = 0.8, *, window: int | None = None, max_stories: int | None = None,
                 today: int | None = None) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"dedup threshold {threshold} is not in (0, 1]")
        if window is not None and window < 0:
            raise ValueError(f"dedup window {window} is negative")
        if max_stories is not None and max_stories < 1:
            raise ValueError(f"dedup max stories {max_stories} is not positive")
        self.threshold = threshold
        self.window = window
        self.max_stories = max_stories
        self._today = today  # None: the clock's, read at each date (a continuous run lasts for weeks)
        lsh = MinHashLSH(threshold=candidate_threshold(threshold), num_perm=NUM_PERM, weights=LSH_WEIGHTS)
        self._ranges = list(lsh.hashranges)  # datasketch's choice of bands, so candidates are the ones it found
        if len(self._ranges) > 1 << BAND_BITS or len({e - s for s, e in self._ranges}) != 1:
            raise ValueError(f"unexpected LSH bands {self._ranges[:3]}...")
        self._segments: list[_Segment] = []
        self._pending: _Segment | None = None
        self._added = 0
        self._alive = 0
        self.newest: int | None = None  # the newest date seen (day number), which the window follows
        self.evicted = 0
        self._last: tuple[Signature, np.ndarray] | None = None

    @classmethod
    def for_options(cls, options, today: int | None = None) -> "DedupIndex":
        """The index ``options`` ask for (``dedup_threshold``, ``dedup_window`` with 0 for none, ``dedup_max_stories``)."""
        from ..errors import OptionError

        for name in ("dedup_window", "dedup_max_stories"):
            value = getattr(options, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise OptionError(f"{name} {value!r} is not a whole number of at least 0 (0: no limit)")
        try:
            return cls(options.dedup_threshold, window=options.dedup_window or None,
                       max_stories=options.dedup_max_stories or None, today=today)
        except ValueError as exc:
            raise OptionError(str(exc)) from None

    def __len__(self) -> int:
        return self._alive

    def __contains__(self, story_id: str) -> bool:  # a linear scan: for tests and checks, not the ingest loop
        key = story_id.encode("utf-8")
        for seg in self._all():
            ids = seg.ids[:seg.n] if seg.frozen else seg.ids
            for row, sid in enumerate(ids):
                if sid == key and seg.alive[row]:
                    return True
        return False

    @property
    def nbytes(self) -> int:
        """Bytes held by the index's arrays (what it costs in memory, Python object overhead aside)."""
        return sum(seg.nbytes for seg in self._all())

    @property
    def horizon(self) -> int | None:
        """The earliest day (number) a kept story can have, or None when nothing is evicted by date."""
        if self.window is None or self.newest is None:
            return None
        return self.newest - self.window

    def _all(self) -> list[_Segment]:
        return self._segments + ([self._pending] if self._pending is not None else [])

    def _keys(self, sig: Signature) -> np.ndarray:
        """The band keys of ``sig`` (those of the last signature queried are kept: ``add`` follows ``match``)."""
        if self._last is None or self._last[0] is not sig:
            self._last = (sig, band_keys(sig.hashvalues[None, :], self._ranges))
        return self._last[1]

    @property
    def latest(self) -> int:
        """The latest day a date can count as: tomorrow."""
        return (self._today if self._today is not None else _today()) + FUTURE_SLACK

    def day_of(self, day) -> int:
        """``day`` as the index counts it: a day number, UNDATED, and a date after tomorrow as tomorrow."""
        d = day_number(day)
        return d if d == UNDATED else min(d, self.latest)

    def observe(self, day) -> None:
        """Note a document's date: when it is the newest yet, stories out of the window are evicted."""
        d = self.day_of(day)
        if d != UNDATED and (self.newest is None or d > self.newest):
            self.newest = d
            if self.window is not None:
                self._evict_before(d - self.window, undated=False)

    def match(self, sig: Signature, day=None) -> tuple[str, float] | None:
        """The story ``sig`` (a document dated ``day``) duplicates, with the estimated containment, or None.
        The date is noted first (see :meth:`observe`)."""
        d = self.day_of(day)
        self.observe(d)
        if not sig.size or not self._alive:
            return None
        q = self._keys(sig)[0]
        best: tuple[float, int, str] | None = None
        for seg in self._all():
            if not seg.n_alive or not seg.may_hold(d, self.window):
                continue
            rows = seg.candidates(q)
            if rows.size:
                best = self._verify(seg, rows, sig, d, best)
        return (best[2], -best[0]) if best else None

    def _verify(self, seg: _Segment, rows: np.ndarray, sig: Signature, day: int, best):
        rows = rows[seg.alive[rows]]
        if self.window is not None and day != UNDATED:
            days = seg.days[rows].astype(np.int64)
            rows = rows[(days == UNDATED) | (np.abs(days - day) <= self.window)]
        if not rows.size:
            return best
        sizes = seg.sizes[rows].astype(np.int64)
        small, large = np.minimum(sizes, sig.size), np.maximum(sizes, sig.size)
        ok = (small >= MIN_SIZE_RATIO * large) & (sizes > 0)
        rows, sizes, small = rows[ok], sizes[ok], small[ok]
        if not rows.size:
            return best
        # containment() for each row, in the same float64 operations, so decisions are the same
        j = np.count_nonzero(seg.sigs[rows] == sig.hashvalues, axis=1) / NUM_PERM
        c = np.minimum(1.0, (j * (sig.size + sizes) / (1.0 + j)) / small)
        for i in np.flatnonzero(c >= self.threshold).tolist():
            row = int(rows[i])
            key = (-float(c[i]), int(seg.order[row]), seg.story_id(row))
            if best is None or key < best:
                best = key
        return best

    def add(self, story_id: str, sig: Signature, day=None) -> None:
        """Register a new canonical story dated ``day``; ids must be new (casus's are content-hash prefixes).
        A story dated before :attr:`horizon` is not kept (no document in date order could match it)."""
        d = self.day_of(day)
        horizon = self.horizon
        if horizon is not None and d != UNDATED and d < horizon:
            return
        keys = self._keys(sig)
        if self._pending is None:
            self._pending = _Segment([], None, None, None, None, keys, frozen=False)
        self._pending.append(story_id.encode("utf-8"), sig.hashvalues, sig.size, d, self._added, keys[0])
        self._added += 1
        self._alive += 1
        if self._pending.n >= PENDING_MAX:
            self._freeze_pending()
        if self.max_stories is not None and self._alive > self.max_stories:
            self._evict_to_cap()

    def add_many(self, ids: list[str], values: np.ndarray, sizes: np.ndarray, days: np.ndarray) -> None:
        """Register many stories at once (rebuilding from the store): ``values`` (n, NUM_PERM) uint32,
        ``days`` day numbers (UNDATED for none). The same as ``add`` for each, in order, but vectorised."""
        if values.shape != (len(ids), NUM_PERM):
            raise ValueError(f"signatures of shape {values.shape}, expected ({len(ids)}, {NUM_PERM})")
        days = np.asarray(days, dtype=np.int64)
        days = np.where(days == UNDATED, UNDATED, np.minimum(days, self.latest)).astype(np.int32)
        keep = np.ones(len(ids), dtype=bool)
        if self.horizon is not None:
            keep = (days == UNDATED) | (days >= self.horizon)
        rows = np.flatnonzero(keep)
        if self._pending is not None and self._pending.n:
            self._freeze_pending()
        for start in range(0, rows.size, SEGMENT_MAX):
            part = rows[start:start + SEGMENT_MAX]
            order = np.arange(self._added, self._added + part.size, dtype=np.int64)
            self._added += part.size
            self._alive += part.size
            seg_ids = [ids[i].encode("utf-8") for i in part.tolist()]
            sigs = np.ascontiguousarray(values[part], dtype=np.uint32)
            self._segments.append(_Segment(seg_ids, sigs, np.asarray(sizes, dtype=np.uint32)[part], days[part],
                                           order, band_keys(sigs, self._ranges), frozen=True))
            self._merge_tail()  # callers reading in small chunks still end with few segments
        if self.max_stories is not None and self._alive > self.max_stories:
            self._evict_to_cap()

    def order_by_id(self) -> None:
        """Number the stories held in story-id order, as if added in that order: a rebuild reads the store
        unsorted (sorting 512-byte signatures would cost more memory than the index) and then calls this,
        so ties between equally similar stories go the same way whatever order the store returned."""
        if self._pending is not None and self._pending.n:
            self._freeze_pending()
        segs = self._segments
        if not segs:
            return
        ids = np.concatenate([seg.ids for seg in segs])
        rank = np.empty(ids.size, dtype=np.int64)
        rank[np.argsort(ids, kind="stable")] = np.arange(ids.size, dtype=np.int64)
        start = 0
        for seg in segs:
            seg.order = rank[start:start + seg.n]
            start += seg.n
        self._added = max(self._added, ids.size)

    # -- upkeep: freezing, merging, eviction
    def _freeze_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending.n_alive:
            self._segments.append(_freeze([pending.live()], self._ranges))
            self._merge_tail()

    def _merge_tail(self) -> None:
        """Merge the newest segments while the older of the last two is at most twice the newer's size."""
        segs = self._segments
        while len(segs) >= 2:
            a, b = segs[-2], segs[-1]
            if a.n_alive + b.n_alive > SEGMENT_MAX or a.n_alive > 2 * b.n_alive:
                break
            segs[-2:] = [_freeze([a.live(), b.live()], self._ranges)]

    def _evict_before(self, cutoff: int, undated: bool) -> None:
        """Evict the stories dated before ``cutoff`` (and the undated ones with ``undated``)."""
        kept: list[_Segment] = []
        for seg in self._segments:
            if seg.lo is not None and seg.lo < cutoff or (undated and seg.undated):
                days = seg.days[:seg.n]
                self._gone(seg.evict(((days != UNDATED) & (days < cutoff)) | ((days == UNDATED) & undated)))
            if seg.n_alive == 0:
                continue
            kept.append(_freeze([seg.live()], self._ranges) if 2 * seg.n_alive <= seg.n else seg)
        self._segments = kept
        if self._pending is not None:
            days = self._pending.days[:self._pending.n]
            self._gone(self._pending.evict(((days != UNDATED) & (days < cutoff)) | ((days == UNDATED) & undated)))

    def _gone(self, k: int) -> None:
        self._alive -= k
        self.evicted += k

    def _evict_to_cap(self) -> None:
        """Evict whole days, earliest first (undated first), until at most ``max_stories`` stories remain;
        if the latest day alone has more, its earliest-added stories go too (down to 90% of the cap)."""
        segs = self._all()
        days = np.concatenate([seg.days[:seg.n][seg.alive[:seg.n]] for seg in segs])
        uniq, counts = np.unique(days, return_counts=True)
        cutoff = cap_cutoff(uniq, counts, self.max_stories)
        if cutoff is None:
            return
        self._evict_before(cutoff, undated=cutoff > UNDATED)
        if self._alive > self.max_stories:  # one day holds more stories than the cap
            orders = np.concatenate([seg.order[:seg.n][seg.alive[:seg.n]] for seg in self._all()])
            keep = max(1, int(0.9 * self.max_stories))
            first_kept = np.sort(orders)[orders.size - keep]
            for seg in self._all():
                self._gone(seg.evict(seg.order[:seg.n] < first_kept))
            self._segments = [seg for seg in self._segments if seg.n_alive]


__all__ = ["DedupIndex", "band_keys", "day_number", "cap_cutoff", "UNDATED", "SEGMENT_MAX", "PENDING_MAX"]

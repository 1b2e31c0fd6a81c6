"""The bounded dedup index: the date window, eviction that gives memory back, the story cap, and decisions
equal to the datasketch-based index it replaced."""
import datetime as dt

import numpy as np
import pytest
from datasketch import MinHashLSH

from casus.config import Options
from casus.errors import OptionError
from casus.ingest.dedup import (LSH_WEIGHTS, MIN_SIZE_RATIO, NUM_PERM, DedupIndex, Signature, candidate_threshold,
                                containment, signature)
from casus.ingest.dedup_index import PENDING_MAX, UNDATED, day_number
from casus_test_helpers import FIXTURES

DUPS = FIXTURES / "inputs" / "duplicates"
DAY0 = dt.date(2025, 10, 20)
TODAY = dt.date(2026, 1, 1).toordinal()  # fixed, so the "after tomorrow counts as tomorrow" rule is deterministic


def text(name: str) -> str:
    return (DUPS / name).read_text(encoding="utf-8")


def days(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


def random_sig(rng, size=300) -> Signature:
    return Signature(rng.integers(0, 2**32, size=NUM_PERM, dtype=np.uint32), size)


def variant(rng, sig: Signature, share: float, size: int | None = None) -> Signature:
    """A copy of ``sig`` whose values agree on about ``share`` of the positions."""
    values = sig.hashvalues.copy()
    change = rng.random(NUM_PERM) > share
    values[change] = rng.integers(0, 2**32, size=int(change.sum()), dtype=np.uint32)
    return Signature(values, size or sig.size)


class ReferenceIndex:
    """The index casus used before (datasketch MinHashLSH + a dict of signatures), kept to compare decisions."""

    def __init__(self, threshold=0.8):
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=candidate_threshold(threshold), num_perm=NUM_PERM, weights=LSH_WEIGHTS)
        self.sigs, self.order = {}, {}

    def add(self, story_id, sig):
        self.sigs[story_id] = sig
        self.order[story_id] = len(self.order)
        self.lsh.insert(story_id, sig.minhash())

    def match(self, sig):
        best = None
        for story_id in self.lsh.query(sig.minhash()):
            other = self.sigs[story_id]
            if min(sig.size, other.size) < MIN_SIZE_RATIO * max(sig.size, other.size):
                continue
            c = containment(sig, other)
            if c >= self.threshold and (best is None or (-c, self.order[story_id], story_id) < best):
                best = (-c, self.order[story_id], story_id)
        return (best[2], -best[0]) if best else None


def test_decisions_equal_the_datasketch_index_across_segments():
    """4,500 documents (frozen, merged and pending segments), a third of them near-copies at every similarity
    around the threshold and of every size ratio: the same story and the same containment each time."""
    rng = np.random.default_rng(5)
    new, ref = DedupIndex(), ReferenceIndex()
    seen: list[Signature] = []
    folded = 0
    for i in range(4500):
        if seen and rng.random() < 0.35:
            base = seen[rng.integers(len(seen))]
            sig = variant(rng, base, share=rng.uniform(0.2, 1.0), size=int(base.size * rng.uniform(0.3, 1.6)) + 1)
        else:
            sig = random_sig(rng, size=int(rng.integers(20, 900)))
        got, want = new.match(sig), ref.match(sig)
        assert got == want, i
        if got is None:
            new.add(f"s{i:05d}", sig)
            ref.add(f"s{i:05d}", sig)
            seen.append(sig)
        else:
            folded += 1
    assert len(new) == len(ref.sigs) > 3 * PENDING_MAX  # several segments were frozen and merged
    assert 300 < folded < 1000  # both outcomes were exercised


@pytest.fixture(scope="module")
def story():
    return {n: signature(text(n)) for n in ("original.txt", "trimmed.txt", "reworded-other-outlet.txt",
                                           "distinct-invitation.txt")}


def test_a_copy_ten_days_later_is_folded_and_one_ninety_days_later_is_a_new_story(story):
    index = DedupIndex(window=30, today=TODAY)
    index.add("orig", story["original.txt"], days(0))
    assert index.match(story["trimmed.txt"], days(10))[0] == "orig"
    assert index.match(story["reworded-other-outlet.txt"], days(-10))[0] == "orig"  # either side of its date
    assert index.match(story["trimmed.txt"], days(30))[0] == "orig"  # the window's edge is inside
    assert index.match(story["trimmed.txt"], days(31)) is None
    later = DedupIndex(window=30, today=TODAY)
    later.add("orig", story["original.txt"], days(0))
    assert later.match(story["trimmed.txt"], days(90)) is None  # a new story: the caller adds it
    unbounded = DedupIndex(window=None, today=TODAY)
    unbounded.add("orig", story["original.txt"], days(0))
    assert unbounded.match(story["trimmed.txt"], days(90))[0] == "orig"


def test_undated_documents_are_compared_with_every_date(story):
    index = DedupIndex(window=30, today=TODAY)
    index.add("dated", story["original.txt"], days(0))
    assert index.match(story["trimmed.txt"], None)[0] == "dated"
    undated = DedupIndex(window=30, today=TODAY)
    undated.add("undated", story["original.txt"], None)
    assert undated.match(story["trimmed.txt"], days(200))[0] == "undated"  # and not evicted by date
    assert "undated" in undated and len(undated) == 1


def test_eviction_drops_stories_behind_the_window_and_gives_the_memory_back():
    rng = np.random.default_rng(1)
    index = DedupIndex(window=30, today=TODAY)
    first = []
    for i in range(3 * PENDING_MAX):  # day 0 and 1: enough to fill frozen segments
        sig = random_sig(rng)
        index.add(f"old{i}", sig, days(i % 2))
        first.append(sig)
    assert index.match(variant(rng, first[0], 0.95), days(5))[0] == "old0"
    full = index.nbytes
    assert len(index) == 3 * PENDING_MAX and full > 3 * PENDING_MAX * 800
    index.observe(days(31))  # day 0 is now 31 days behind the newest date
    assert len(index) == 3 * PENDING_MAX // 2 and index.evicted == 3 * PENDING_MAX // 2
    assert "old0" not in index and "old1" in index
    assert index.nbytes < 0.6 * full  # the segments were rewritten without the evicted half
    index.observe(days(40))
    assert len(index) == 0 and index.nbytes == 0  # everything dropped, arrays freed
    # a copy of an evicted story, however dated, finds nothing: it becomes a new story
    assert index.match(variant(rng, first[0], 0.95), days(1)) is None
    index.add("late", first[0], days(1))  # a story already behind the window is not kept
    assert len(index) == 0


def test_the_cap_evicts_the_earliest_days_first():
    rng = np.random.default_rng(2)
    index = DedupIndex(window=None, max_stories=1000, today=TODAY)
    sigs = {}
    for day in range(6):  # 6 days of 300 stories: only the last 3 days fit
        for i in range(300):
            sigs[(day, i)] = random_sig(rng)
            index.add(f"d{day}-{i}", sigs[(day, i)], days(day))
    assert len(index) <= 1000
    assert "d5-299" in index and "d3-0" in index and "d2-0" not in index and "d0-0" not in index
    assert index.match(variant(rng, sigs[(3, 7)], 0.95), days(3))[0] == "d3-7"
    assert index.match(variant(rng, sigs[(1, 7)], 0.95), days(1)) is None


def test_a_date_far_in_the_future_does_not_flush_the_index(story):
    index = DedupIndex(window=30, today=DAY0.toordinal())
    index.add("orig", story["original.txt"], days(0))
    assert index.match(story["distinct-invitation.txt"], "2099-01-01") is None  # counts as tomorrow
    assert index.newest == DAY0.toordinal() + 1 and "orig" in index
    assert index.match(story["trimmed.txt"], days(0))[0] == "orig"


def test_day_numbers_and_options():
    assert day_number(None) == UNDATED and day_number("not a date") == UNDATED
    assert day_number("2025-10-20T08:00:00Z") == day_number(DAY0) == DAY0.toordinal()
    index = DedupIndex.for_options(Options())
    assert (index.window, index.max_stories) == (30, 800_000)
    off = DedupIndex.for_options(Options(dedup_window=0, dedup_max_stories=0))
    assert (off.window, off.max_stories) == (None, None)
    with pytest.raises(OptionError, match="dedup_window"):
        DedupIndex.for_options(Options(dedup_window=-1))


def test_the_future_date_cap_follows_the_clock(story, monkeypatch):
    """A run lasting weeks: 'tomorrow' moves with the clock, so the window keeps moving with the news."""
    import casus.ingest.dedup_index as di

    clock = {"today": DAY0.toordinal()}
    monkeypatch.setattr(di, "_today", lambda: clock["today"])
    index = DedupIndex(window=30)
    index.add("orig", story["original.txt"], days(0))
    index.observe(days(59))  # counts as tomorrow, day 1: nothing is evicted yet
    assert index.newest == days(1).toordinal() and "orig" in index
    clock["today"] = days(60).toordinal()
    index.observe(days(59))
    assert index.newest == days(59).toordinal() and "orig" not in index


def test_ties_go_to_the_earliest_added_story_and_after_a_rebuild_to_the_smallest_id():
    rng = np.random.default_rng(7)
    sig = random_sig(rng)
    index = DedupIndex()
    index.add("bbbb", sig)
    index.add("aaaa", Signature(sig.hashvalues.copy(), sig.size))  # the same story twice: a tie at 1.0
    assert index.match(sig) == ("bbbb", 1.0)  # added first
    rebuilt = DedupIndex()  # a store read back unsorted, then numbered by story id
    rebuilt.add_many(["bbbb", "aaaa"], np.stack([sig.hashvalues, sig.hashvalues]), np.array([sig.size] * 2),
                     np.array([UNDATED, UNDATED]))
    rebuilt.order_by_id()
    assert rebuilt.match(sig) == ("aaaa", 1.0)
    rebuilt.add("0000", sig)  # added after the rebuild: later than every stored story
    assert rebuilt.match(sig) == ("aaaa", 1.0)

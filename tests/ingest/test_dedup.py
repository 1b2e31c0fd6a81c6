"""Near-duplicate stories: the fixture's five variants are one story, the two same-topic stories are not."""
import json

import pytest

from casus.config import Options
from casus.ingest.dedup import (NUM_PERM, DedupIndex, Signature, candidate_threshold, containment, shingles,
                                signature, source_key)
from casus.ingest.readers import read_inputs
from casus.pipeline import prepare
from casus_test_helpers import FIXTURES

DUPS = FIXTURES / "inputs" / "duplicates"


@pytest.fixture(scope="module")
def cleaned():
    files = sorted(str(p) for p in DUPS.glob("*.txt"))
    return {d.id: prepare(d, Options()).text for d in read_inputs(files)}


def test_shingles_are_lowercased_word_5grams():
    assert shingles("Egypt and Ethiopia agreed on Monday.") == {b"egypt and ethiopia agreed on",
                                                               b"and ethiopia agreed on monday"}
    assert shingles("Too short") == {b"too short"}
    assert shingles("  ") == set()


def test_fixture_variants_form_one_story_and_distinct_stories_stay_apart(cleaned):
    expected = json.loads((DUPS / "expected.json").read_text(encoding="utf-8"))
    index = DedupIndex(Options().dedup_threshold)
    story_of = {}
    for doc_id in expected["duplicate_group"] + expected["not_duplicates"]:  # original first: it is canonical
        sig = signature(cleaned[doc_id])
        match = index.match(sig)
        if match is None:
            index.add(doc_id, sig)
            story_of[doc_id] = doc_id
        else:
            story_of[doc_id] = match[0]
    assert {story_of[d] for d in expected["duplicate_group"]} == {"original.txt"}
    assert story_of["distinct-accusation.txt"] == "distinct-accusation.txt"
    assert story_of["distinct-invitation.txt"] == "distinct-invitation.txt"
    assert len(index) == 3


def test_trimmed_copy_is_contained_although_its_jaccard_is_below_the_threshold(cleaned):
    a, b = shingles(cleaned["original.txt"]), shingles(cleaned["trimmed.txt"])
    assert len(a & b) / len(a | b) < 0.8  # why containment, not Jaccard, decides
    assert containment(signature(cleaned["original.txt"]), signature(cleaned["trimmed.txt"])) > 0.9
    assert containment(signature(cleaned["original.txt"]), signature(cleaned["distinct-invitation.txt"])) < 0.3


def test_signature_survives_a_round_trip_through_bytes(cleaned):
    sig = signature(cleaned["original.txt"])
    blob = sig.to_bytes()
    assert len(blob) == NUM_PERM * 4
    back = Signature.from_bytes(blob, sig.size)
    assert (back.hashvalues == sig.hashvalues).all() and back.size == sig.size
    index = DedupIndex()
    index.add("s1", back)  # an index rebuilt from stored signatures matches new copies
    assert index.match(signature(cleaned["reordered.txt"]))[0] == "s1"
    with pytest.raises(ValueError):
        Signature.from_bytes(blob[:-4], sig.size)


def test_a_short_excerpt_of_a_long_story_is_not_a_duplicate(cleaned):
    text = cleaned["original.txt"]
    index = DedupIndex()
    index.add("long", signature(text))
    first_paragraph = text.split("\n\n")[0]
    assert index.match(signature(first_paragraph)) is None


def test_candidate_threshold_is_the_lowest_jaccard_of_a_passing_pair():
    t = candidate_threshold(0.8, 0.4)
    # a set of 40 shingles, 32 of them inside a set of 100: containment 0.8, Jaccard 32/108
    assert t == pytest.approx(32 / 108)


def test_source_key_counts_outlets_not_sections():
    assert source_key("Meridian Press – World") == "meridian press"
    assert source_key("Meridian Press") == "meridian press"
    assert source_key(None, "https://www.example.org/a/b") == "example.org"
    assert source_key(None, None) == "unknown"

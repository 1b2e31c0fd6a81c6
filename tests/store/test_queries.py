"""Event queries: filters, validation, pagination, the contract shape, documents with their events."""
from pathlib import Path

import duckdb
import pytest

from casus.errors import OptionError
from casus.ingest.readers import read_inputs
from casus.pipeline import code_documents
from casus.store import EventFilter, count_events, get_document, query_events
from casus.store.queries import list_stories, store_stats

CORPUS = Path(__file__).resolve().parents[2] / "samples" / "corpus"


def _all(db, **kw):
    return query_events(db, EventFilter(**kw), limit=None)


def test_events_have_the_contract_shape_plus_story_counts(corpus_db):
    db, _ = corpus_db
    doc_id = "text/2025-10-13-arm-aze-retaliation-threat.txt"
    stored = _all(db, doc_id=doc_id)
    docs = list(read_inputs([str(CORPUS / doc_id)]))
    coded = [e.to_dict() for _, evs in code_documents(docs) for e in evs]
    for e in coded:
        e["doc_id"] = doc_id  # read alone, the file's id is its bare name
    key = lambda e: (e["sentence_index"], e["trigger_span"], e["cameo"], repr(e["source"]), repr(e["target"]))  # noqa
    assert len(stored) == len(coded) > 0
    for s, c in zip(sorted(stored, key=key), sorted(coded, key=key)):
        assert {k: v for k, v in s.items() if k not in ("story_id", "num_articles", "num_sources", "event_id")} == \
               {k: v for k, v in c.items() if k != "event_id"}
        assert s["num_articles"] == 1 and s["num_sources"] == 1 and len(s["story_id"]) == 16


def test_dyad_is_ordered_unless_unordered(corpus_db):
    db, _ = corpus_db
    ordered = _all(db, dyad="ARM:AZE")
    side = lambda a, code: a["country"] == code or (a["code"] or "").startswith(code)  # noqa: E731
    assert ordered and all(side(e["source"], "ARM") and side(e["target"], "AZE") for e in ordered)
    reverse = _all(db, dyad="AZE:ARM")
    both = _all(db, dyad="arm:aze", unordered=True)
    assert {e["event_id"] for e in both} == {e["event_id"] for e in ordered} | {e["event_id"] for e in reverse}
    assert count_events(db, EventFilter(dyad="ARM:AZE")) == len(ordered)


def test_actor_country_type_and_text_filters(corpus_db):
    db, _ = corpus_db
    korea = _all(db, actor="korea")
    assert korea and all("korea" in " ".join(str(v) for side in ("source", "target") if e[side]
                                             for v in e[side].values()).lower() for e in korea)
    kor = _all(db, country="kor")
    assert kor and all("KOR" in ((e["source"] or {}).get("country"), (e["target"] or {}).get("country")) for e in kor)
    assault = _all(db, plover="assault", modality="asserted", min_confidence=0.8)
    assert assault and all(e["plover"] == "ASSAULT" and e["modality"] == "asserted" and e["confidence"] >= 0.8
                           for e in assault)
    cameo = _all(db, cameo="19")
    assert cameo and all(e["cameo"].startswith("19") for e in cameo)
    text = _all(db, text="RESERVISTS")
    assert text and all("reservists" in e["sentence"].lower() for e in text)
    oct_ = _all(db, since="2025-10-01", until="2025-10-31")
    assert oct_ and all("2025-10-01" <= e["date"] <= "2025-10-31" for e in oct_)


def test_pagination_and_order(corpus_db):
    db, _ = corpus_db
    everything = query_events(db, limit=None)
    pages = query_events(db, limit=50) + query_events(db, limit=50, offset=50) + \
        query_events(db, limit=None, offset=100)
    assert [e["event_id"] for e in pages] == [e["event_id"] for e in everything]
    dates = [e["date"] for e in everything if e["date"]]
    assert dates == sorted(dates)
    newest = query_events(db, limit=5, order="-date")
    assert newest[0]["date"] == max(dates)
    most = query_events(db, limit=3, order="-num_articles")
    assert most[0]["num_articles"] == 3


@pytest.mark.parametrize("kw, needle", [
    ({"since": "2025-13-01"}, "since date '2025-13-01' is not a date"),
    ({"until": "yesterday"}, "until date 'yesterday' is not a date"),
    ({"since": "2025-10-02", "until": "2025-10-01"}, "is after until"),
    ({"dyad": "RUS-UKR"}, "dyad 'RUS-UKR' is not A:B"),
    ({"dyad": "RUS:"}, "is not A:B"),
    ({"dyad": "RUS:UKR:BLR"}, "is not A:B"),
    ({"country": "Russia"}, "not an ISO 3166 alpha-3"),
    ({"plover": "FIGHT"}, "not a PLOVER type"),
    ({"cameo": "19a"}, "not a CAMEO code prefix"),
    ({"modality": "maybe"}, "is not one of asserted"),
    ({"min_confidence": 1.5}, "not between 0 and 1"),
    ({"actor": " "}, "non-empty string"),
])
def test_invalid_filters_are_clear_option_errors(corpus_db, kw, needle):
    with pytest.raises(OptionError) as exc:
        query_events(corpus_db[0], EventFilter(**kw))
    assert needle in str(exc.value) and exc.value.code == "E501"


def test_bad_order_and_limit_are_option_errors(corpus_db):
    with pytest.raises(OptionError, match="order 'size'"):
        query_events(corpus_db[0], order="size")
    with pytest.raises(OptionError, match="negative"):
        query_events(corpus_db[0], limit=-1)


def test_user_values_are_bound_parameters_not_sql(corpus_db):
    db, _ = corpus_db
    n = count_events(db)
    for hostile in ("'; DROP TABLE events; --", "%", "_", "' OR '1'='1"):
        assert query_events(db, EventFilter(actor=hostile)) == []
        assert query_events(db, EventFilter(text=hostile)) == []
    assert query_events(db, EventFilter(doc_id="x' OR 1=1 --")) == []
    assert count_events(db) == n
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == n
    con.close()


def test_get_document_shows_a_duplicate_with_its_story_events(corpus_db):
    db, _ = corpus_db
    doc = get_document(db, "text/2025-10-08-arm-aze-shelling.txt")
    assert doc["status"] == "duplicate" and doc["story"]["num_articles"] == 3
    assert len(doc["articles"]) == 3 and doc["articles"][0]["status"] == "coded"
    canonical = get_document(db, doc["canonical"])
    assert canonical["status"] == "coded" and canonical["events"] == doc["events"]
    for ev in canonical["events"]:  # the offsets let a viewer highlight each sentence in the stored text
        start = ev["sentence_start"]
        assert canonical["text"][start:start + len(ev["sentence"])] == ev["sentence"]
    assert get_document(db, "no-such-doc") is None


def test_stats_and_stories(corpus_db):
    db, s = corpus_db
    st = store_stats(db)
    assert (st["documents"], st["coded"], st["duplicates"], st["stories"], st["multi_article_stories"]) == \
        (40, 36, 4, 36, 3)
    assert st["events"] == s.events and st["schema_version"] == 2 and st["rejections"] == {}
    assert len(list_stories(db, limit=100)) == 36

import json

from casus.model import CONTRACT_FIELDS

TEXT = ("Germany accused Russia of spreading false reports on Tuesday. "
        "The Polish president met the Lithuanian prime minister in Warsaw.")


def test_every_contract_field_is_present_and_typed(code):
    events = code(TEXT, date="2024-05-14")
    assert events
    for ev in events:
        for f in CONTRACT_FIELDS:
            assert f in ev, f
        assert ev["modality"] in ("asserted", "negated", "hypothetical", "future")
        assert 0.0 <= ev["confidence"] <= 1.0
        assert isinstance(ev["quantities"], list)
        assert ev["quad_class"] in (1, 2, 3, 4)
        assert ev["sentence"] in TEXT
        a, b = ev["trigger_span"]
        assert ev["sentence"][a:b] and ev["sentence"][a:b] in ev["trigger"]
        for side in ("source", "target"):
            actor = ev[side]
            if actor is not None:
                assert set(actor) >= {"text", "code", "country", "sector", "kind", "name"}
                assert actor["kind"] in ("state", "igo", "ngo", "person", "group")
        json.dumps(ev)


def test_event_ids_are_stable_and_distinct(code):
    first = [e["event_id"] for e in code(TEXT, date="2024-05-14")]
    second = [e["event_id"] for e in code(TEXT, date="2024-05-14")]
    assert first == second
    assert len(set(first)) == len(first)


def test_accusation_is_coded_with_its_actors(code):
    ev = [e for e in code(TEXT) if e["plover"] == "ACCUSE"]
    assert ev and ev[0]["source"]["code"].startswith("DEU") and ev[0]["target"]["country"] == "RUS"
    assert ev[0]["cameo_root"] == "11" and ev[0]["goldstein"] < 0

"""The founding example, coded as a careful analyst would (needs ../shared/examples)."""
import pytest
from casus_test_helpers import events_of, pair

from casus import code_text


@pytest.fixture(scope="module")
def seed(shared):
    text = (shared / "examples" / "seed-article.txt").read_text(encoding="utf-8")
    return [e.to_dict() for e in code_text(text, date="2022-01-26", doc_id="seed-article.txt")]


def find(events, plover, contains):
    return [e for e in events_of(events, plover) if contains in e["sentence"]]


def test_geneva_meeting_is_consult_between_us_and_russia(seed):
    evs = find(seed, "CONSULT", "met his Russian counterpart")
    assert {pair(e) for e in evs} >= {("USA", "RUS")}
    assert all(e["modality"] == "asserted" for e in evs)


def test_lavrov_conditional_threat(seed):
    evs = find(seed, "THREATEN", "retaliatory measures")
    assert evs and evs[0]["modality"] == "hypothetical"
    assert pair(evs[0]) == ("RUS", "USA")


def test_troop_build_up_is_mobilize(seed):
    evs = find(seed, "MOBILIZE", "invading force")
    assert evs and evs[0]["source"]["country"] == "RUS" and evs[0]["modality"] == "asserted"


def test_minsk_appeal_is_three_appeals(seed):
    evs = find(seed, "APPEAL", "Minsk-2")
    assert sorted(pair(e) for e in evs) == [("RUS", "DEU"), ("RUS", "FRA"), ("RUS", "USA")]


def test_peskov_accuses_us_politicians(seed):
    evs = find(seed, "ACCUSE", "accuses US politicians")
    assert evs and pair(evs[0]) == ("RUS", "USA")
    assert evs[0]["source"]["name"] == "Dmitry Peskov"


def test_not_mobilized_is_never_asserted(seed):
    evs = [e for e in seed if "had not mobilized" in e["sentence"] and e["plover"] == "MOBILIZE"]
    assert evs and all(e["modality"] != "asserted" for e in evs)


def test_no_event_from_junk(seed):
    junk = ("Top Chef", "Read these two cases", "Jabori", "Coffee trailblazer", "Leave a Reply",
            "NATO sends warships", "calls for an emergency meeting", "This is how NATO will respond")
    assert not [e for e in seed if any(j in e["sentence"] for j in junk)]


def test_geneva_meeting_date_and_place(seed):
    ev = find(seed, "CONSULT", "met his Russian counterpart")[0]
    assert ev["date"] == "2022-01-21" and ev["date_source"] == "text"
    assert ev["location"]["name"] == "Geneva" and ev["location"]["country"] == "CHE"


def test_lavrov_threat_date_and_attribution(seed):
    ev = find(seed, "THREATEN", "retaliatory measures")[0]
    assert ev["date"] == "2022-01-26"
    assert ev["attribution"]["speaker"]["name"] == "Sergei Lavrov"
    assert ev["attribution"]["relayed_by"]["name"] == "TASS"


def test_build_up_carries_troop_numbers(seed):
    ev = find(seed, "MOBILIZE", "invading force")[0]
    assert {"value": 100000, "kind": "troops", "bound": "lower"}.items() <= ev["quantities"][0].items()


def test_donbas_toll_is_dated_from_2014(seed):
    evs = [e for e in seed if "14,000 lives" in e["sentence"]]
    assert evs and evs[0]["date"].startswith("2014") and evs[0]["date_precision"] == "year"
    assert evs[0]["quantities"][0]["value"] == 14000 and evs[0]["quantities"][0]["kind"] == "killed"


def test_paris_talks_are_in_france(seed):
    evs = [e for e in seed if "will meet in Paris" in e["sentence"]]
    assert evs and all(e["location"]["country"] == "FRA" for e in evs)

"""One test per extraction rule, each on sentences written for the test."""
from casus_test_helpers import events_of, pair


def test_active_verb_subject_and_object(code):
    evs = events_of(code("Japan criticized China over the new fishing rules."), "ACCUSE")
    assert [pair(e) for e in evs] == [("JPN", "CHN")]
    assert evs[0]["modality"] == "asserted"


def test_passive_with_by_agent(code):
    evs = events_of(code("Two aid workers were kidnapped by Somali militants near the port."), "ASSAULT")
    assert evs and evs[0]["source"]["country"] == "SOM"


def test_passive_subject_is_the_target(code):
    evs = events_of(code("Chile was praised by Peru for its handling of the crisis."), "SUPPORT")
    assert [pair(e) for e in evs] == [("PER", "CHL")]


def test_coordinated_objects_give_one_event_each(code):
    evs = events_of(code("Turkey urged Sweden, Finland and Norway to extradite the suspects."), "APPEAL")
    assert sorted(pair(e) for e in evs) == [("TUR", "FIN"), ("TUR", "NOR"), ("TUR", "SWE")]


def test_coordinated_subjects_of_a_reciprocal_verb(code):
    evs = events_of(code("Kenya and Tanzania met in Arusha on Monday."), "CONSULT")
    assert sorted(pair(e) for e in evs) == [("KEN", "TZA"), ("TZA", "KEN")]


def test_subject_carried_through_raising(code):
    evs = events_of(code("The Hungarian premier is said to have asked Austria for border help."), "APPEAL")
    assert evs and pair(evs[0]) == ("HUN", "AUT")


def test_reported_speech_codes_the_embedded_event(code):
    evs = code("Officials in Kabul said Pakistani jets bombed a village in Khost.")
    assault = events_of(evs, "ASSAULT")
    assert assault and assault[0]["source"]["country"] == "PAK"
    assert assault[0]["attribution"] and assault[0]["attribution"]["verb"] == "said"


def test_negation_is_never_asserted(code):
    evs = code("Serbia did not recognize Kosovo's independence.") + code(
        "Egypt has not deployed troops to the Libyan border.")
    assert evs
    assert all(e["modality"] == "negated" for e in evs)


def test_conditional_is_hypothetical(code):
    evs = code("Iran would attack Israel if its nuclear sites were hit.")
    target = [e for e in evs if e["source"] and e["source"]["country"] == "IRN"]
    assert target and all(e["modality"] == "hypothetical" for e in target)


def test_conditional_response_is_a_threat(code):
    evs = events_of(code("Beijing will take countermeasures if Washington sells arms to Taiwan."), "THREATEN")
    assert evs and pair(evs[0]) == ("CHN", "USA") and evs[0]["modality"] == "hypothetical"


def test_plans_are_future(code):
    evs = events_of(code("Vietnam plans to impose sanctions on the company next month."))
    assert evs and all(e["modality"] == "future" for e in evs)


def test_nominal_trigger_with_possessor_and_of_phrase(code):
    evs = code("Moscow's invasion of Georgia drew wide condemnation.")
    inv = [e for e in evs if e["trigger"].startswith("invasion")]
    assert inv and pair(inv[0]) == ("RUS", "GEO")


def test_light_verb_with_event_noun(code):
    evs = events_of(code("Thai soldiers launched an offensive against Cambodian troops."), "ASSAULT")
    assert evs and pair(evs[0]) == ("THA", "KHM")


def test_pronoun_resolved_to_earlier_actor(code):
    evs = code("Greece deployed warships to the Aegean. Later, it accused Turkey of provocations.")
    acc = events_of(evs, "ACCUSE")
    assert acc and pair(acc[0]) == ("GRC", "TUR")
    assert acc[0]["source"]["text"] == "it"


def test_title_and_definite_description(code):
    text = ("French Foreign Minister Jean-Noel Barrot flew to Beirut on Friday. "
            "The minister urged Lebanon to elect a president.")
    evs = events_of(code(text, date="2024-11-02"), "APPEAL")
    assert evs and evs[0]["source"]["country"] == "FRA" and evs[0]["target"]["country"] == "LBN"


def test_adjective_plus_sector_noun(code):
    evs = events_of(code("Belarusian forces detained three Lithuanian journalists."), "COERCE")
    assert evs and evs[0]["source"]["code"] == "BLRMIL" and evs[0]["target"]["code"].startswith("LTU")


def test_embedded_action_refines_the_request(code):
    evs = events_of(code("Norway urged Colombia to negotiate with the rebels."), "APPEAL")
    assert evs and evs[0]["cameo"] == "026"


def test_threat_of_sanctions(code):
    evs = events_of(code("Canada threatened Iran with new sanctions."), "THREATEN")
    assert evs and evs[0]["cameo"] == "1312" and pair(evs[0]) == ("CAN", "IRN")


def test_statement_verbs_alone_are_not_events(code):
    assert code("The Danish minister said the weather was cold in Copenhagen.") == []

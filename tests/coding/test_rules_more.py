"""More extraction rules, each pinned by sentences written for the test."""
from casus_test_helpers import events_of, pair


def test_obligation_in_reported_speech_is_a_demand(code):
    evs = events_of(code("Egypt said Ethiopia must stop filling the dam before the rainy season."), "REQUEST")
    assert evs and pair(evs[0]) == ("EGY", "ETH") and evs[0]["rule"] == "deontic-request"
    assert not events_of(code("Egypt said Ethiopia must stop filling the dam."), "RETREAT")  # the content, not an act


def test_demand_that_clause_subject_is_the_target(code):
    evs = events_of(code("Japan demanded that China release the detained fishermen."), "REQUEST")
    assert evs and pair(evs[0]) == ("JPN", "CHN")


def test_announced_hostile_act_is_a_threat(code):
    evs = events_of(code("Ghana said it would boycott all trade with Togo."), "THREATEN")
    assert evs and pair(evs[0]) == ("GHA", "TGO")


def test_refusal_to_cooperate_is_a_rejection(code):
    evs = code("Hungary will not lift the ban on the opposition party.") + code(
        "Greece and Albania failed to reach an agreement on the maritime border.")
    rejects = events_of(evs, "REJECT")
    assert len(rejects) >= 2 and all(e["modality"] == "asserted" for e in rejects)


def test_considering_an_option_is_a_policy_statement(code):
    evs = code("Norway is considering sending aid to Sudan.")
    assert evs and all(e["plover"] is None for e in evs) and evs[0]["cameo"] == "014"


def test_purpose_of_an_act_is_not_a_second_event(code):
    evs = code("Kenyan police fired tear gas to disperse the protesters in Nairobi.")
    assert len({e["plover"] for e in evs}) == 1


def test_content_of_a_demand_is_not_an_event(code):
    evs = code("Poland repeated its demand that Belarus withdraw its troops from the border.")
    assert not events_of(evs, "RETREAT")


def test_background_event_noun_in_a_circumstantial_phrase(code):
    evs = code("Peru and Ecuador signed a border accord after years of fighting.")
    assert not events_of(evs, "ASSAULT") and events_of(evs, "SUPPORT")


def test_agentless_act_in_a_relative_clause_is_background(code):
    evs = code("Chad lifted the curfew in the town where nine people were killed last year.")
    assert not events_of(evs, "ASSAULT")


def test_object_of_a_trigger_is_not_a_second_event(code):
    evs = code("The African Union urged Sudan and Chad to stop fighting.")
    assert events_of(evs, "APPEAL") and not events_of(evs, "ASSAULT")


def test_light_verb_takes_the_specific_event_noun(code):
    evs = events_of(code("France and Spain held a joint exercise near Toulon."), "COOPERATE")
    assert evs and evs[0]["cameo"] == "062"


def test_names_match_without_accents(code):
    evs = code("Erdoğan met Mattarella in Rome on Monday.", date="2023-03-15")
    assert any(e["source"] and e["source"]["country"] == "TUR" for e in events_of(evs, "CONSULT"))


def test_sector_actor_with_place_and_without_country(code):
    evs = code("Teachers in Chile went on strike for better pay.") + code("Unidentified gunmen kidnapped two engineers.")
    codes = {e["source"]["code"] for e in evs if e["source"]}
    assert "CHLEDU" in codes and "UAF" in codes


def test_state_organ_takes_the_event_place(code):
    evs = code("The military government declared a state of emergency in Mali on Friday.")
    assert evs and evs[0]["source"]["country"] == "MLI"


def test_place_is_the_target_of_violence_without_one(code):
    evs = events_of(code("Rebel fighters shelled targets in Goma on Sunday."), "ASSAULT")
    assert evs and evs[0]["target"]["country"] == "COD"


def test_condition_names_the_threatened(code):
    evs = events_of(code("Iran threatened to close the strait unless Britain released the tanker."), "THREATEN")
    assert evs and pair(evs[0]) == ("IRN", "GBR")


def test_owner_of_the_rejected_request(code):
    evs = events_of(code("Yemen rejected a Saudi request for talks."), "REJECT")
    assert evs and pair(evs[0]) == ("YEM", "SAU")


def test_border_with_a_country_is_the_target(code):
    evs = events_of(code("Azerbaijan has massed troops near its border with Armenia."), "MOBILIZE")
    assert evs and pair(evs[0]) == ("AZE", "ARM")


def test_willing_to_act_is_an_intent(code):
    evs = events_of(code("Chile says it is willing to pull its soldiers back from the border zone."), "AGREE")
    assert evs and evs[0]["source"]["country"] == "CHL" and evs[0]["modality"] == "future"


def test_allowing_is_a_concession(code):
    evs = events_of(code("Serbia allowed Kosovo officials to cross the border."), "CONCEDE")
    assert evs and pair(evs[0]) == ("SRB", "XKX")

"""Frame nouns, predicative "as", returns of property, alert status and sanctions: each rule pinned by
sentences written for the test."""
from casus_test_helpers import events_of, pair


def test_modifier_of_a_frame_noun_takes_the_frames_arguments(code):
    evs = events_of(code("Qatar launched a mediation effort between the rival factions."), "CONSULT")
    assert evs and evs[0]["cameo"] == "045" and pair(evs[0])[0] == "QAT"


def test_relief_operation_is_aid_not_an_attack(code):
    evs = code("Germany began a relief operation in Nepal.")
    assert events_of(evs, "AID") and not events_of(evs, "ASSAULT")
    assert events_of(evs, "AID")[0]["cameo"] == "073"


def test_predicative_as_is_not_background(code):
    evs = events_of(code("Syrian rebels held hundreds of villagers as human shields."), "ASSAULT")
    assert evs and evs[0]["cameo"] == "184" and pair(evs[0])[0] == "SYR"
    assert not code("Prices rose as fighting spread.")


def test_returning_cultural_property(code):
    evs = events_of(code("Canada returned a stolen sculpture to Greece."), "RETREAT")
    assert evs and evs[0]["cameo"] == "0842" and pair(evs[0]) == ("CAN", "GRC")


def test_remaining_on_alert_is_a_force_posture(code):
    evs = events_of(code("Polish troops remained on alert near the border."), "MOBILIZE")
    assert evs and evs[0]["cameo"] == "152"


def test_sanctions_are_a_sanction_not_coercion(code):
    evs = code("Canada imposed sanctions on Belarus over the crackdown.")
    assert events_of(evs, "SANCTION") and not events_of(evs, "COERCE")
    assert events_of(evs, "SANCTION")[0]["cameo"] == "163"

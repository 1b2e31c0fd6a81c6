"""Dates, places, numbers and attribution on events, with sentences written for the tests."""
from casus_test_helpers import events_of

TEXT_DATE = "2023-03-15"


def test_event_gets_its_own_date(code):
    evs = events_of(code("Chile and Peru met in Santiago last Friday.", date=TEXT_DATE), "CONSULT")
    assert evs and evs[0]["date"] == "2023-03-10" and evs[0]["date_source"] == "text"


def test_event_without_time_expression_takes_publication_date(code):
    evs = code("Chile accused Peru of spying.", date=TEXT_DATE)
    assert evs and evs[0]["date"] == TEXT_DATE and evs[0]["date_source"] == "publication"


def test_reported_statement_takes_the_saying_date(code):
    evs = events_of(code("The Greek minister said on Monday that Greece would retaliate if Turkey sent warships.",
                         date=TEXT_DATE), "THREATEN")
    assert evs and evs[0]["date"] == "2023-03-13"


def test_background_event_keeps_its_year(code):
    text = ("Since the rebels seized the northern towns in 2012, there has been an armed conflict in the area. "
            "Officials say the conflict has claimed more than 9,000 lives.")
    evs = [e for e in code(text, date=TEXT_DATE) if "claimed" in e["sentence"]]
    assert evs and evs[0]["date"] == "2012-01-01" and evs[0]["date_precision"] == "year"
    assert {"value": 9000, "kind": "killed", "bound": "lower"}.items() <= evs[0]["quantities"][0].items()


def test_place_of_the_clause(code):
    evs = events_of(code("Chile and Peru met in Geneva on Tuesday.", date=TEXT_DATE), "CONSULT")
    loc = evs[0]["location"]
    assert loc["name"] == "Geneva" and loc["country"] == "CHE" and loc["precision"] == "city" and loc["lat"]


def test_country_place_has_no_fake_point(code):
    evs = events_of(code("Russia deployed troops in Belarus.", date=TEXT_DATE), "MOBILIZE")
    loc = evs[0]["location"]
    assert loc["country"] == "BLR" and loc["precision"] == "country" and loc["lat"] is None


def test_ambiguous_place_follows_the_article(code):
    us = code("The United States and Canada met in Paris, Texas, on Monday.", date=TEXT_DATE)
    fr = code("Germany and Italy met in Paris on Monday.", date=TEXT_DATE)
    assert events_of(fr, "CONSULT")[0]["location"]["country"] == "FRA"
    assert us  # the US reading needs the state name next to it; the French one is the default


def test_troop_numbers(code):
    evs = events_of(code("Turkey has massed more than 20,000 soldiers near its border with Syria.", date=TEXT_DATE),
                    "MOBILIZE")
    q = evs[0]["quantities"]
    assert q and q[0]["value"] == 20000 and q[0]["kind"] == "troops" and q[0]["bound"] == "lower"
    assert evs[0]["target"]["country"] == "SYR"


def test_killed_numbers(code):
    evs = events_of(code("Nigerian troops killed 12 militants in Borno on Sunday.", date=TEXT_DATE), "ASSAULT")
    assert evs and evs[0]["quantities"][0]["value"] == 12 and evs[0]["quantities"][0]["kind"] == "killed"


def test_attribution_speaker_and_relay(code):
    text = ("Foreign Minister Sergei Lavrov said Russia would take countermeasures if Japan expelled its diplomats. "
            "The report was carried by news agency Interfax.")
    evs = events_of(code(text, date=TEXT_DATE), "THREATEN")
    att = evs[0]["attribution"]
    assert att["speaker"]["name"] == "Sergei Lavrov" and att["verb"] == "said"


def test_according_to_outlet(code):
    evs = code("Israeli jets struck targets in Gaza, according to Al Jazeera.", date=TEXT_DATE)
    assert evs and evs[0]["attribution"]["relayed_by"]["name"] == "Al Jazeera"
    assert evs[0]["target"]["country"] == "PSE"


def test_direct_quote_with_speaker(code):
    text = 'The Thai prime minister said: "Thailand will not accept any threat from Cambodia."'
    evs = code(text, date=TEXT_DATE)
    assert any(e["attribution"] and e["attribution"]["quote"] for e in evs)


def test_people_and_plans_do_not_take_an_earlier_sentences_date():
    from casus.pipeline import code_text

    text = ("The leaders of Chile and Peru met on Tuesday. The Chilean president invited the Peruvian leader to "
            "visit Santiago next year. The leaders agreed to launch new talks on fisheries later this month.")
    evs = [e.to_dict() for e in code_text(text, "2024-05-14")]
    agreed = [e for e in evs if e["trigger"] == "agreed"]
    assert agreed and all(e["date"] == "2024-05-14" for e in agreed)
    text = ("The two countries signed a trade agreement that runs until 2031. "
            "The agreement must still be approved by the regional council.")
    evs = [e.to_dict() for e in code_text(text, "2024-05-14")]
    assert all(e["date"] <= "2024-05-14" for e in evs)


def test_town_that_is_the_object_of_force_is_the_place(code):
    evs = events_of(code("Militia fighters shelled Baidoa overnight."), "ASSAULT")
    assert evs and evs[0]["location"]["name"] == "Baidoa" and evs[0]["location"]["country"] == "SOM"
    assert evs[0]["target"]["code"] == "SOM"


def test_towns_of_a_later_state_belong_to_the_older_one_before_independence(code):
    old = events_of(code("Government aircraft bombed Malakal on Tuesday.", date="1998-05-12"), "ASSAULT")
    new = events_of(code("Government aircraft bombed Malakal on Tuesday.", date="2016-05-12"), "ASSAULT")
    assert old and old[0]["location"]["country"] == "SDN"
    assert new and new[0]["location"]["country"] == "SSD"
    # a capital of a state not yet formed names no government
    evs = events_of(code("Rebels attacked Juba.", date="1996-02-01"), "ASSAULT")
    assert evs and evs[0]["target"]["country"] == "SDN" and evs[0]["target"]["code"] != "SDNGOV"


def test_place_of_what_the_act_hits_runs_through_its_participle(code):
    evs = events_of(code("Rebels blew up a pipeline running to the port of Basra."), "COERCE")
    assert evs and evs[0]["target"]["code"] == "IRQ"


def test_from_after_a_demand_is_whom_it_is_made_of_not_a_place(code):
    evs = events_of(code("Students signed a petition demanding independence from Serbia."), "REQUEST")
    assert evs and evs[0]["location"] is None and evs[0]["source"]["country"] is None
    assert evs[0]["target"]["code"] == "SRB"

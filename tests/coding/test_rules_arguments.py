"""Argument and sense rules: recipients named as direct objects, civilian goods, misparsed main clauses,
partners inside an object phrase, unnamed members of civil sectors, dispatches for an investigation.
Each pinned by sentences written for the test."""
from casus_test_helpers import events_of, pair


def test_provide_with_makes_the_direct_object_the_recipient(code):
    evs = events_of(code("Since 2010, Norway has provided Malawi with loans worth $300 million."), "AID")
    assert evs and evs[0]["cameo"] == "071" and pair(evs[0]) == ("NOR", "MWI")
    evs = events_of(code("Washington threatened Caracas with new tariffs."), "THREATEN")
    assert evs and pair(evs[0]) == ("USA", "VEN")


def test_civilian_modifier_makes_equipment_humanitarian(code):
    evs = code("Austria handed over medical equipment to the Moldovan health ministry.")
    assert [e["cameo"] for e in events_of(evs, "AID")] == ["073"] and not events_of(evs, "RETREAT")
    evs = events_of(code("Austria delivered military equipment to Moldova."), "AID")
    assert evs and evs[0]["cameo"] == "072"


def test_dropping_guns_is_not_an_air_strike(code):
    evs = code("A militia commander in Chad dropped his rifles and surrendered to the army.")
    assert not [e for e in evs if e["cameo"] == "195"] and events_of(evs, "RETREAT")
    evs = events_of(code("Government helicopters dropped bombs on rebel positions."), "ASSAULT")
    assert evs and evs[0]["cameo"] == "195"


def test_verb_misparsed_as_reduced_relative_is_the_main_verb(code):
    evs = events_of(code("The rebels handed over their weapons to the UN mission."), "RETREAT")
    assert evs and evs[0]["cameo"] == "0873"
    assert evs[0]["source"]["code"] == "REB" and evs[0]["source"]["text"] == "The rebels"
    assert evs[0]["target"]["code"].startswith("IGO")
    # a real reduced relative clause (no object of its own) is still background
    assert not code("The sanctions imposed on Iran hurt its economy.")


def test_partner_named_inside_the_object_of_a_two_party_act(code):
    evs = events_of(code("The governor signed an accord to boost investment with Peru."), "SUPPORT")
    assert evs and evs[0]["cameo"] == "057" and evs[0]["target"]["code"] == "PER"


def test_unnamed_member_of_a_civil_sector_is_an_actor(code):
    evs = events_of(code("Police officers tortured a detained journalist in Minsk."), "ASSAULT")
    assert evs and evs[0]["target"]["code"] == "BLRMED"
    # an unnamed office holder is not: whose president is unknown
    assert not [e for e in code("The president was arrested.") if e["target"]]


def test_dispatch_for_an_investigation_is_the_investigation(code):
    evs = events_of(code("Japan dispatched a team of experts to Peru to investigate the oil spill."), "ACCUSE")
    assert evs and evs[0]["cameo"].startswith("09") and pair(evs[0]) == ("JPN", "PER")
    evs = code("Chile sent troops to the border to stop smugglers.")
    assert events_of(evs, "MOBILIZE") and not events_of(evs, "ACCUSE")


def test_deploying_observers_is_assistance_not_mobilisation(code):
    evs = code("The African Union deployed 60 observers to Malawi for the vote.")
    assert events_of(evs, "AID") and not events_of(evs, "MOBILIZE")
    assert pair(events_of(evs, "AID")[0]) == ("IGOAFU", "MWI")


def test_contributing_to_recovery_is_assistance_and_readiness_is_intent(code):
    evs = events_of(code("Norway contributed to the reconstruction of Iraq."), "AID")
    assert evs and evs[0]["cameo"] == "070" and pair(evs[0]) == ("NOR", "IRQ")
    evs = events_of(code("Spain is prepared to contribute to rebuilding Haiti after the storm."), "AGREE")
    assert evs and evs[0]["cameo"].startswith("03")
    assert not code("Russian interference contributed to the escalation.")


def test_resources_are_aid_and_a_tribe_is_a_community(code):
    evs = events_of(code("Canada sent more resources to Peru after the floods."), "AID")
    assert evs and pair(evs[0]) == ("CAN", "PER")
    evs = code("The tribe in Sindh agreed to end its sit-in.")
    assert evs and evs[0]["source"]["code"] == "PAKCVL"


def test_multiword_sector_nouns_are_found_before_their_head_word(code):
    evs = events_of(code("Prison guards in Minsk beat two inmates on hunger strike."), "ASSAULT")
    assert evs and evs[0]["source"]["code"] == "BLRCOP" and evs[0]["target"]["code"] == "BLRCVL"
    evs = events_of(code("Human rights activists in Cairo staged a sit-in."), "PROTEST")
    assert evs and evs[0]["source"]["code"] == "EGYHRI"


def test_when_clause_keeps_its_act_and_agreeing_with_someone_to_act_is_a_commitment(code):
    # unlike "after"/"since" clauses, a when-clause tells a simultaneous act, often the cause of the main one
    evs = events_of(code("Two Chilean soldiers were killed when Peruvian troops shelled a border post."), "ASSAULT")
    assert any(e["cameo"] == "194" and e["source"] and e["source"]["code"] == "PERMIL" for e in evs)
    evs = code("The Senate agreed with the White House to lift the embargo on Cuba.")
    assert [e["cameo"] for e in evs if e["cameo"] == "019"] == []
    assert events_of(evs, "AGREE") and events_of(evs, "AGREE")[0]["cameo"].startswith("03")


def test_hyphenated_sector_noun(code):
    evs = events_of(code("Dozens of asylum-seekers staged a sit-in outside the ministry in Vienna."), "PROTEST")
    assert evs and evs[0]["source"]["code"] == "AUTREF"


def test_participle_made_subject_gives_way_to_its_noun(code):
    # the parser makes "working" the subject of "said"; the agency is who demands
    evs = events_of(code("The aid agency working in Somalia said Kenyan forces must protect the camps."), "REQUEST")
    assert evs and evs[0]["source"] is not None and evs[0]["source"]["text"] == "The aid agency"
    assert evs[0]["target"]["code"] == "KENMIL"


def test_aid_workers_are_people_not_an_aid_event(code):
    assert not events_of(code("Two aid workers in the camp described the conditions as dire."), "AID")


def test_reporting_frame_does_not_localise_the_act(code):
    evs = events_of(code("Burmese troops overran a Karen rebel base, Thai officials said on Monday."), "ASSAULT")
    assert evs and pair(evs[0]) == ("MMR", "MMR") and evs[0]["target"]["sector"] == "REB"
    # the speaker of its own act keeps the country named in its description
    evs = events_of(code("Militants loyal to a Syrian warlord said they had attacked the checkpoint."), "ASSAULT")
    assert not evs or evs[0]["source"] is None or evs[0]["source"]["country"] in (None, "SYR")


def test_purpose_through_a_helping_verb_names_the_target(code):
    evs = events_of(code("Kazakhstan reopened the rail crossing to permit wheat deliveries to Kyrgyzstan."), "CONCEDE")
    assert evs and pair(evs[0]) == ("KAZ", "KGZ")
    evs = events_of(code("Norway is ready to send equipment to help defend Kuwait."), "AGREE")
    assert evs and pair(evs[0]) == ("NOR", "KWT")


def test_bare_conjunct_shares_the_nationality_adjective(code):
    evs = events_of(code("Syrian jets and helicopters bombed rebel positions near Idlib."), "ASSAULT")
    assert evs and {e["source"]["code"] for e in evs} == {"SYRMIL"}
    # a conjunct of another sector does not share it through this rule
    evs = events_of(code("Georgian police and strikers clashed in the port."), "ASSAULT")
    assert not any(e["source"]["text"] == "strikers" and e["source"]["code"] == "GEOCOP" for e in evs)


def test_generic_member_noun_takes_the_sector_of_its_body(code):
    evs = events_of(code("Union officials in Lagos rejected the wage offer."), "REJECT")
    assert evs and evs[0]["source"]["code"] == "NGALAB"
    evs = events_of(code("The general met rebel leaders in Goma."), "CONSULT")
    assert evs and "REB" in {e["target"]["sector"] for e in evs if e["target"]}


def test_protest_target_is_whom_the_grievance_names(code):
    evs = events_of(code("Chilean miners went on strike over a pension law passed by the Chilean Senate."), "PROTEST")
    assert evs and pair(evs[0]) == ("CHL", "CHL") and evs[0]["target"]["sector"] == "LEG"
    evs = events_of(code("A jailed journalist began a hunger strike in protest against abuses by Bolivian police."),
                    "PROTEST")
    assert evs and evs[0]["target"]["code"] == "BOLCOP"
    evs = events_of(code("Thousands of Ghanaian students marched in Accra calling for the resignation of "
                         "President Mensah."), "PROTEST")
    assert evs and evs[0]["target"]["code"] == "GHAGOV" and evs[0]["target"]["name"] == "Mensah"


def test_relative_clause_hung_on_the_verb_does_not_select_its_sense(code):
    evs = events_of(code("Chad threatened to bomb rebel camps near the oasis of Fada, where, it said, 40 soldiers "
                         "were killed."), "THREATEN")
    assert evs and evs[0]["trigger"].startswith("threatened to bomb")


def test_object_among_parties_is_the_target(code):
    evs = events_of(code("The African Union suspended its mediation efforts among Sudan's warring generals."),
                    "SANCTION")
    assert evs and evs[0]["cameo"] == "165" and pair(evs[0]) == ("IGOAFU", "SDN")


def test_demand_yielded_to_or_answered_is_content_and_its_maker_the_target(code):
    evs = code("The president finally conceded to demands from the opposition to free the prisoners.")
    assert not events_of(evs, "REQUEST") and not events_of(evs, "APPEAL")
    assert [e["target"]["code"] for e in events_of(evs, "CONCEDE")] == ["OPP"]
    evs = code("The Kenyan government refused to reply to the latest demand from the European Union.")
    assert not events_of(evs, "REQUEST") and not events_of(evs, "APPEAL")
    assert pair(events_of(evs, "REJECT")[0]) == ("KEN", "IGOEUN")


def test_protest_purpose_of_an_event_noun_is_that_protest(code):
    evs = code("Two hundred Tamil detainees staged a hunger strike to oppose Denmark's plan to deport them.")
    assert [e["plover"] for e in evs if e["plover"]] == ["PROTEST"] and evs[0]["target"]["code"] == "DNK"


def test_what_an_attack_hits_is_no_event(code):
    evs = code("French drones killed three men during a strike on a rebel weapons supply near Kidal.")
    assert not events_of(evs, "AID") and events_of(evs, "ASSAULT")
    # the killers' nationality is not the victims' when a place of another country is named
    assert all((e["target"] or {}).get("country") != "FRA" for e in events_of(evs, "ASSAULT"))
    evs = events_of(code("Sudanese rebels shelled the town, killing 12 people, aid workers in Mombasa said."),
                    "ASSAULT")
    assert "SDN" in {(e["target"] or {}).get("country") for e in evs}


def test_charging_that_is_an_accusation(code):
    evs = code("Belgrade charged that Croatian forces had shelled the town.")
    assert [(e["plover"], pair(e)) for e in evs] == [("ACCUSE", ("SRB", "HRV"))]
    assert events_of(code("Kenyan police charged two Somali men with the bombing."), "COERCE")


def test_forces_readied_for_an_attack_raise_their_alert(code):
    evs = code("Turkish troops are poised to attack Kurdish positions.")
    assert [e["cameo"] for e in evs] == ["152"] and evs[0]["modality"] == "asserted"
    evs = code("Ethiopian artillery units prepared to resume firing on rebel-held hills.")
    assert [e["plover"] for e in evs] == ["MOBILIZE"]
    # a state announcing its own attack is still a threat
    assert [e["cameo"][:2] for e in code("Russia will attack Ukraine.")] == ["13"]


def test_parties_of_a_failed_meeting_or_mixed_delegation_are_the_actors(code):
    evs = events_of(code("The summit between Russia and Japan failed to reach a compromise over the islands."),
                    "REJECT")
    assert {pair(e) for e in evs} == {("RUS", "JPN"), ("JPN", "RUS")}
    evs = events_of(code("Swiss and EU trade officials have failed to strike a compromise on market access."),
                    "REJECT")
    assert {pair(e) for e in evs} == {("CHE", "IGOEUN"), ("IGOEUN", "CHE")}


def test_cause_of_a_death_is_the_act_and_the_dead_its_target(code):
    evs = events_of(code("A Tamil political prisoner died in a Colombo jail after torture by prison guards."),
                    "ASSAULT")
    assert evs and evs[0]["cameo"] == "1822" and pair(evs[0]) == ("LKA", "LKA")
    evs = events_of(code("A Uighur blogger died in custody as a consequence of beatings by guards."), "ASSAULT")
    assert evs and evs[0]["target"]["sector"] == "MED"
    assert not code("The former president died after a long illness.")


def test_participle_between_commas_is_background_and_its_noun_the_patient(code):
    evs = code("Twelve Greek sailors, held captive in Nigeria for more than 50 days, have been freed.")
    assert [e["plover"] for e in evs] == ["RETREAT"] and evs[0]["target"]["country"] == "GRC"
    # "X, resigned and was sent ...": two main verbs joined by "and", both kept
    evs = code("The president of Moldova, resigned overnight and was then questioned by judges.")
    assert events_of(evs, "CONCEDE")


def test_agent_of_a_clause_describing_the_source_does_not_localise_it(code):
    evs = events_of(code("The rebels, backed by Rwanda, have seized the town."), "ASSAULT")
    assert evs and evs[0]["source"]["code"] == "REB"
    evs = events_of(code("About 9,000 miners belonging to the Chilean mineworkers' union stopped work."), "PROTEST")
    assert evs and evs[0]["source"]["country"] == "CHL"


def test_capital_namesake_in_a_sentence_about_another_country(code):
    evs = code("Egyptian diplomats halted their mediation between militias in Tripoli after fighting flared in the "
               "northern Lebanese city.")
    assert evs and evs[0]["target"]["country"] == "LBN"
    evs = events_of(code("Libyan rebels advanced on Tripoli."), "ASSAULT")
    assert evs and evs[0]["target"]["country"] == "LBY"


def test_ethnic_name_does_not_give_the_country(code):
    evs = code("Ethnic Hungarians vowed to resist until the local schools were returned, Slovak officials said.")
    assert evs and evs[0]["source"]["country"] != "HUN"


def test_refugees_take_the_country_they_flee(code):
    evs = events_of(code("Japan will send blankets to refugees fleeing the drought in Chad."), "AGREE")
    assert evs and evs[0]["target"]["code"] == "TCDREF"


def test_allowed_deliveries_are_aimed_at_their_destination(code):
    evs = code("Turkmenistan opened the bridge to permit grain deliveries to Afghanistan.")
    assert [(e["cameo"], pair(e)) for e in evs if e["cameo"] == "0863"] == [("0863", ("TKM", "AFG"))]


def test_purpose_is_dropped_only_when_the_act_it_serves_is_coded(code):
    evs = code("Norway is ready to send equipment to help defend Kuwait.")
    assert [e["plover"] for e in evs] == ["AGREE"]
    # an arrival of troops is no event of its own: the aid they came to deliver is what is reported
    evs = code("Indian army units arrived in Nepal to distribute relief supplies in mountain villages.")
    assert [(e["plover"], pair(e)) for e in evs] == [("AID", ("IND", "NPL"))]


def test_historical_office_holders_resolve_on_their_dates(code):
    evs = events_of(code("President Reagan met Soviet Foreign Minister Shevardnadze in Washington.", date="1987-09-15"),
                    "CONSULT")
    assert {pair(e) for e in evs} == {("USA", "RUS"), ("RUS", "USA")}
    evs = events_of(code("Prime Minister Thatcher criticised Chancellor Kohl.", date="1988-05-02"), "ACCUSE")
    assert evs and pair(evs[0]) == ("GBR", "DEU")


def test_commander_takes_the_sector_of_the_force_named(code):
    evs = events_of(code("A rebel commander in Darfur accused the army of bombing villages."), "ACCUSE")
    assert evs and evs[0]["source"]["sector"] == "REB"


def test_reopened_border_with_a_neighbour_targets_it(code):
    evs = events_of(code("Turkey reopened its border with Armenia."), "CONCEDE")
    assert evs and pair(evs[0]) == ("TUR", "ARM")
    evs = events_of(code("Benin opened its frontier to traders from Togo."), "CONCEDE")
    assert evs and evs[0]["target"]["country"] == "TGO"


def test_press_release_is_no_release_of_people(code):
    evs = code("The Ugandan army is detaining villagers, says a news release by the opposition.")
    assert not events_of(evs, "RETREAT") and events_of(evs, "COERCE")
    assert events_of(code("The government announced the release of 40 prisoners."), "RETREAT")


def test_group_addressing_a_states_institutions_is_of_that_state(code):
    evs = events_of(code("The opposition alliance said it would boycott Zambia's parliamentary elections."), "THREATEN")
    assert evs and pair(evs[0]) == ("ZMB", "ZMB") and evs[0]["source"]["sector"] == "OPP"
    evs = events_of(code("Clan elders accused the Somali government of neglect."), "ACCUSE")
    assert evs and pair(evs[0]) == ("SOM", "SOM")
    # a place of the act still wins, and force against soldiers says nothing of the attackers' country
    evs = events_of(code("Students in Paris criticised the German government."), "ACCUSE")
    assert evs and pair(evs[0]) == ("FRA", "DEU")
    evs = events_of(code("Militants killed two Kenyan soldiers near the border."), "ASSAULT")
    assert evs and evs[0]["source"]["country"] is None


def test_demand_noun_clause_names_the_target(code):
    evs = events_of(code("Farmers insisted on their demand that the Kenyan government cut fuel prices."), "REQUEST")
    assert evs and evs[0]["target"]["code"] == "KENGOV"


def test_multinational_force_is_no_single_states(code):
    evs = events_of(code("The rebels objected to the deployment of a multinational force."), "ACCUSE")
    assert evs and evs[0]["target"]["code"] == "IGOMIL" and evs[0]["target"]["country"] is None
    evs = events_of(code("Gunmen fired on peacekeepers near the airport."), "ASSAULT")
    assert evs and evs[0]["target"]["code"].startswith("IGO")
    evs = events_of(code("Nigerian peacekeepers arrested two smugglers."), "COERCE")
    assert evs and evs[0]["source"]["code"] == "NGAMIL"


def test_country_initials_coordinated_with_an_adjective(code):
    evs = events_of(code("U.S. and Chinese officials met in Hanoi."), "CONSULT")
    assert {pair(e) for e in evs} == {("USA", "CHN"), ("CHN", "USA")}


def test_participle_of_force_is_done_to_the_main_acts_target(code):
    evs = code("Riot police charged striking miners in Potosi, injuring eight and detaining 30.")
    hurt, held = events_of(evs, "ASSAULT"), events_of(evs, "COERCE")
    assert held and held[0]["target"] is not None and held[0]["target"]["sector"] == "LAB"
    assert all(e["target"] is not None and e["target"]["sector"] == "LAB" for e in hurt)


def test_refusal_in_defiance_of_pressure_targets_who_presses(code):
    evs = events_of(code("President Obote refused to step down despite calls from the opposition.", date="1984-05-01"),
                    "REJECT")
    assert evs and evs[0]["source"]["country"] == "UGA" and evs[0]["target"]["code"] == "OPP"


def test_refused_support_to_someone_targets_the_recipient(code):
    evs = events_of(code("Pakistan declined to commit to direct assistance to the Saudi-led campaign in Yemen."), "REJECT")
    assert evs and pair(evs[0]) == ("PAK", "SAU")


def test_one_of_many_office_holders_is_not_the_one_the_kb_lists(code):
    evs = events_of(code("A Chinese official criticised Japan.", date="1995-03-01"), "ACCUSE")
    assert evs and evs[0]["source"]["code"] == "CHNGOV" and evs[0]["source"]["name"] is None
    evs = events_of(code("An Iraqi official accused Iran of meddling.", date="2006-03-01"), "ACCUSE")
    assert evs and evs[0]["source"]["code"] == "IRQGOV" and evs[0]["source"]["name"] is None
    # a one-seat office on a date is its holder
    evs = events_of(code("The Kenyan foreign minister met his Ugandan counterpart.", date="2024-01-10"), "CONSULT")
    assert any(e["source"]["name"] == "Musalia Mudavadi" for e in evs)


def test_what_a_refusal_or_threat_governs_is_content_not_an_event(code):
    # a conjunct of the refused act is what is refused
    evs = code("The junta refused to allow relief agencies to enter the region and deliver food aid.")
    assert events_of(evs, "REJECT") and not events_of(evs, "AID")
    # the condition of a threat is part of the threat
    evs = code("Turkey threatened to close its airspace unless Armenia withdrew its troops from the border.")
    assert [e["plover"] for e in evs] == ["THREATEN"] and pair(evs[0]) == ("TUR", "ARM")


def test_protesting_that_something_happened_is_an_accusation(code):
    evs = code("The opposition protested that the election had been rigged.")
    assert [e["plover"] for e in evs] == ["ACCUSE"] and evs[0]["source"]["code"] == "OPP"
    assert events_of(code("Thousands of students protested in the capital."), "PROTEST")


def test_ordering_patrols_or_troops_is_a_show_of_force(code):
    evs = events_of(code("Moscow ordered troops to the border."), "MOBILIZE")
    assert evs and evs[0]["cameo"] == "154" and evs[0]["source"]["country"] == "RUS"
    evs = events_of(code("The provincial government ordered night patrols in Karachi after riots."),
                    "MOBILIZE")
    assert evs and evs[0]["cameo"] == "150"
    evs = events_of(code("The governor ordered a curfew in the city of Kaduna."), "COERCE")
    assert evs and evs[0]["cameo"] == "1723"


def test_a_message_that_someone_must_act_is_a_demand_of_its_recipient(code):
    evs = events_of(code("Germany issued a reminder to Hungary that it must respect court rulings."), "REQUEST")
    assert evs and pair(evs[0]) == ("DEU", "HUN")
    evs = events_of(code("France said to Mali that it must hold elections."), "REQUEST")
    assert evs and pair(evs[0]) == ("FRA", "MLI")


def test_a_body_named_by_its_kind_takes_the_sector_of_its_modifier(code):
    evs = events_of(code("Police raided an Islamist extremist organisation in Kenya."), "ASSAULT")
    assert evs and evs[0]["target"]["code"] == "KENRAD"


def test_northern_ireland_is_in_the_united_kingdom(code):
    evs = events_of(code("Police in Northern Ireland arrested two men."), "COERCE")
    assert evs and evs[0]["source"]["code"] == "GBRCOP"


def test_a_countrys_allies_are_not_that_country(code):
    evs = events_of(code("Gunmen shot the commander of Iran's militia allies in eastern Syria."), "ASSAULT")
    assert evs and evs[0]["target"]["country"] == "SYR"
    evs = events_of(code("Rebels attacked Russia's allies in the region."), "ASSAULT")
    assert evs and (evs[0]["target"] or {}).get("country") != "RUS"


def test_unplaced_official_acting_on_a_countrys_opposition_is_of_that_country(code):
    evs = events_of(code("Interior Minister Ali Hassan ordered the arrest of opposition leader Morgan Tsvangirai.",
                         date="2005-03-01"), "COERCE")
    assert evs and pair(evs[0]) == ("ZWE", "ZWE") and evs[0]["source"]["sector"] == "GOV"
    # a foreign minister meeting the opposition may well be a foreigner
    evs = events_of(code("Foreign Minister Ali Hassan met opposition leader Morgan Tsvangirai.", date="2005-03-01"),
                    "CONSULT")
    assert evs and all((e["source"] or {}).get("country") != "ZWE" or e["source"]["sector"] == "OPP" for e in evs)


def test_noun_then_past_form_going_on_to_do_something_is_the_main_clause(code):
    evs = events_of(code("Somali youths resorted to throwing rocks at police, officials said."), "PROTEST")
    assert evs and evs[0]["source"] is not None and evs[0]["source"]["code"] == "SOMCVL"


def test_riot_after_a_rally_is_against_whom_the_rally_called_to_go(code):
    evs = events_of(code("Students rioted after a march demanding the resignation of the Kenyan education minister."),
                    "PROTEST")
    assert evs and evs[0]["target"]["country"] == "KEN"
    evs = events_of(code("Miners rioted following a rally calling for the removal of President Jacob Zuma.",
                         date="2016-04-01"), "PROTEST")
    assert evs and evs[0]["target"]["code"] == "ZAFGOV"


def test_the_government_of_a_province_is_of_its_country(code):
    evs = events_of(code("The government of Balochistan province ordered night patrols after riots."), "MOBILIZE")
    assert evs and evs[0]["source"]["code"] == "PAKGOV"


def test_refusing_to_let_someone_act_targets_them(code):
    evs = events_of(code("The junta refused to let Red Cross workers enter the prison."), "REJECT")
    assert evs and evs[0]["target"]["code"] == "NGOICR"


def test_a_named_body_of_a_country_is_not_the_country_itself(code):
    evs = events_of(code("The Kenya Wildlife Service accused poachers of killing rhinos."), "ACCUSE")
    assert evs and evs[0]["source"]["country"] == "KEN" and evs[0]["source"]["kind"] == "group"
    assert evs[0]["source"]["name"] == "The Kenya Wildlife Service"


def test_protest_joining_a_demand_for_independence_targets_whom_it_is_from(code):
    evs = events_of(code("Students rioted in Pristina on Monday, joining miners in demanding independence from Serbia."),
                    "PROTEST")
    assert evs and evs[0]["target"]["code"] == "SRB"


def test_what_a_protest_does_or_voices_is_the_protest(code):
    # the demand voiced by joining others, and damage done while rioting, are the riot itself
    evs = code("Students rioted in Pristina on Monday, joining miners in demanding independence from Serbia.")
    assert [e["plover"] for e in evs] == ["PROTEST"]
    evs = code("Inmates rioted at the prison on Sunday, setting fire to bedding and smashing windows.")
    assert [e["plover"] for e in evs] == ["PROTEST"]
    # torching cars is still an event of its own when nothing else is told
    assert events_of(code("Rioters torched cars after the verdict."), "COERCE")


def test_what_forces_are_readied_for_has_not_happened(code):
    evs = code("Russia massed troops near the border for a possible invasion of Georgia.")
    assert [e["plover"] for e in evs] == ["MOBILIZE"] and pair(evs[0]) == ("RUS", "GEO")

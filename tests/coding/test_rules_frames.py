"""Frame nouns, predicative "as", returns of property, alert status and sanctions: each rule pinned by
sentences written for the test."""
from casus_test_helpers import events_of, pair


def test_modifier_of_a_frame_noun_takes_the_frames_arguments(code):
    evs = events_of(code("Oman has begun a quiet mediation effort to reconcile the two feuding clans."), "CONSULT")
    assert evs and evs[0]["cameo"] == "045" and pair(evs[0])[0] == "OMN"


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


def test_peacekeepers_deployed_or_arriving_provide_protection(code):
    evs = events_of(code("Brazilian peacekeepers arrived in Haiti for the peacekeeping mission."), "AID")
    assert evs and evs[0]["cameo"] == "074" and pair(evs[0]) == ("BRA", "HTI")
    evs = events_of(code("Ghana sent 300 soldiers to Mali to serve as peacekeepers."), "AID")
    assert evs and evs[0]["cameo"] == "074" and pair(evs[0]) == ("GHA", "MLI")
    # without a peacekeeping word, sending troops stays a deployment
    assert events_of(code("Russia sent 300 soldiers to Belarus."), "MOBILIZE")


def test_sum_in_aid_takes_the_verbs_arguments(code):
    evs = events_of(code("France paid 200 million euros in aid to Lebanon."), "AID")
    assert evs and pair(evs[0]) == ("FRA", "LBN")
    # a casualty count's "in" phrase stays a circumstance: one attack, not two
    evs = code("Rebels killed 12 soldiers in an attack in Mali.")
    assert [e["trigger"] for e in events_of(evs, "ASSAULT")] == ["killed"]


def test_joint_exercise_is_military_cooperation(code):
    evs = events_of(code("The navies of Chile and Peru staged war games off the coast."), "COOPERATE")
    assert {pair(e) for e in evs} == {("CHL", "PER"), ("PER", "CHL")} and evs[0]["cameo"] == "062"
    evs = events_of(code("Russia held military drills with Belarus near the Polish border."), "COOPERATE")
    assert evs and pair(evs[0]) == ("RUS", "BLR")
    # one state's exercise near another is a show of force
    evs = code("China staged war games near Taiwan.")
    assert events_of(evs, "MOBILIZE") and not events_of(evs, "COOPERATE")


def test_government_acting_in_its_own_country_targets_the_country(code):
    evs = events_of(code("The military government declared a state of emergency in Chad on Monday."), "COERCE")
    assert evs and pair(evs[0]) == ("TCD", "TCD") and evs[0]["target"]["code"] == "TCD"


def test_owner_of_the_object_is_the_target(code):
    assert pair(events_of(code("Spain is opposed to Moroccan mediation in the talks."), "REJECT")[0]) == ("ESP", "MAR")
    assert pair(events_of(code("The German government welcomed Japan's latest proposal."), "SUPPORT")[0]) == ("DEU", "JPN")
    evs = events_of(code("President Kagame threatened to ban Rwandan opposition parties from the vote."), "THREATEN")
    assert evs and evs[0]["target"]["code"] == "RWAOPP"  # "opposition party" is listed as OPP


def test_nominal_object_of_a_verbal_act_is_its_content(code):
    evs = code("The German government welcomed Japan's latest proposal.")
    assert {e["plover"] for e in evs} == {"SUPPORT"}
    # a light verb's object is the event itself
    evs = code("The Iranian foreign minister held meetings with Syrian officials for talks on trade.")
    assert {pair(e) for e in events_of(evs, "CONSULT")} >= {("IRN", "SYR")}


def test_ethnic_minorities_are_civilians_of_where_they_live(code):
    evs = events_of(code("Hundreds of ethnic Serbs demonstrated in Kosovo on Friday."), "PROTEST")
    assert evs and evs[0]["source"]["code"] == "XKXCVL"
    evs = events_of(code("Ethnic Hungarians in Romania demanded more autonomy."), "REQUEST")
    assert evs and evs[0]["source"]["code"] == "ROUCVL"
    evs = events_of(code("Iraqi Kurds protested in Erbil."), "PROTEST")
    assert evs and evs[0]["source"]["code"] == "IRQCVL"


def test_acts_in_temporal_clauses_are_background(code):
    evs = code("Norway suspended flights to Chile, a day after Chilean jets shot down a Norwegian plane.")
    assert events_of(evs, "SANCTION") and not events_of(evs, "ASSAULT")
    evs = code("The Estonian prime minister resigned as protesters threatened to storm parliament.")
    assert not events_of(evs, "THREATEN")


def test_acts_in_relative_clauses_describe_a_participant(code):
    evs = code("Police in Peru arrested the militants, whom the government blames for the bombing.")
    assert events_of(evs, "COERCE") and not events_of(evs, "ACCUSE")
    # a clause the parser takes for a relative one but that has no relative word is the main clause
    evs = code("The Kenyan government, several opposition parties and the churches on Monday condemned "
               "Uganda's decision to close the border.")
    assert events_of(evs, "ACCUSE")


def test_claiming_ones_own_attack_is_a_claim_of_responsibility(code):
    evs = code("The insurgents claimed they had raided a police barracks overnight.")
    assert evs and evs[0]["cameo"] == "015" and evs[0]["plover"] is None
    # a claim about someone else's act, or a plain report, stays the act
    assert events_of(code("Kenya claimed that Somali militants had attacked the base."), "ASSAULT")
    assert events_of(code("Hamas said it had fired rockets at Israel."), "ASSAULT")


def test_events_inside_a_relative_clause_object_are_background(code):
    evs = code("Observers expect the mediator, who wants to win the release of jailed reporters, to arrive soon.")
    assert not events_of(evs, "RETREAT") and not events_of(evs, "AGREE")


def test_possessive_country_refers_to_the_speakers_state(code):
    evs = events_of(code("Erdogan told reporters that his country would never lift the embargo."), "REJECT")
    assert evs and pair(evs[0])[0] == "TUR"


def test_court_verdicts_legal_action_and_extended_curfews(code):
    evs = events_of(code("A Paris court found the former minister guilty of fraud."), "ACCUSE")
    assert evs and evs[0]["cameo"] == "116" and evs[0]["source"]["code"] == "FRAJUD"
    evs = events_of(code("Brussels regulators have launched legal action against the Hungarian government over its asylum law."), "ACCUSE")
    assert evs and evs[0]["cameo"] == "115" and pair(evs[0])[1] == "HUN"
    assert not code("The company took action against the union.")  # not every action is legal action
    evs = code("The Chilean government will extend the nightly curfew in Santiago.")
    assert evs and evs[0]["cameo"][:2] in ("13", "17")


def test_approving_or_ordering_an_act_enacts_it(code):
    evs = events_of(code("The UN Security Council approved the deployment of peacekeepers to Haiti."), "AID")
    assert evs and evs[0]["cameo"] == "074" and pair(evs[0]) == ("IGOUSC", "HTI")
    evs = events_of(code("The Kenyan president ordered the arrest of the opposition leader."), "COERCE")
    assert evs and evs[0]["source"]["code"] == "KENGOV"
    # approving something that is not an act stays approval
    evs = code("The Kenyan parliament approved the new budget.")
    assert {e["plover"] for e in evs} == {"SUPPORT"}


def test_made_available_and_repatriated_wildlife(code):
    evs = events_of(code("Italy has made available tents and medicine to Turkey."), "AID")
    assert evs and evs[0]["cameo"] == "073" and pair(evs[0]) == ("ITA", "TUR")
    evs = events_of(code("Peru returned 40 smuggled turtles to Ecuador."), "RETREAT")
    assert evs and evs[0]["cameo"] == "0842"


def test_joining_or_gathering_for_talks_is_a_consultation(code):
    evs = code("Next week the Vietnamese premier will join Chinese President Xi Jinping for talks in Hanoi.")
    assert {pair(e) for e in evs if e["cameo"][:2] in ("03", "04")} == {("VNM", "CHN"), ("CHN", "VNM")}


def test_support_given_is_aid_and_its_sum_is_one_event(code):
    evs = code("The EU provides 45 million euros in support for farmers in Nigeria.")
    assert [e["plover"] for e in evs] == ["AID"]
    evs = events_of(code("The rebels said they would hand back their rifles to the Colombian army."), "AGREE")
    assert evs and evs[0]["target"]["code"] == "COLMIL" and evs[0]["modality"] == "future"


def test_participle_modifier_is_not_an_event(code):
    evs = code("The internationally recognised government of Yemen announced a ceasefire.")
    assert {e["plover"] for e in evs} == {"RETREAT"}


def test_counted_people_are_the_actor(code):
    evs = events_of(code("Thousands of Iraqi Kurds rallied and protested outside parliament in Erbil."), "PROTEST")
    assert evs and evs[0]["source"]["code"] == "IRQCVL"
    evs = events_of(code("A group of Syrian refugees protested in Athens."), "PROTEST")
    assert evs and evs[0]["source"]["code"] == "SYRREF"


def test_sector_noun_as_modifier_names_the_sector(code):
    evs = events_of(code("The president threatened to ban several Ugandan opposition candidates."),
                    "THREATEN")
    assert evs and evs[0]["target"]["code"] == "UGAOPP"


def test_more_target_rules(code):
    # a territorial measure with no place named falls on the government's own country
    evs = events_of(code("Sudan's government ended the state of emergency that had covered the eastern provinces."), "CONCEDE")
    assert evs and pair(evs[0]) == ("SDN", "SDN")
    # the subject of a demand noun's "that" clause
    evs = events_of(code("The ILO reiterated its demand that Israel ease restrictions on Palestinian workers."), "REQUEST")
    assert evs and pair(evs[0])[1] == "ISR"
    # what a part is part of
    evs = events_of(code("Canada froze part of a training and aid package for Mali."), "SANCTION")
    assert evs and pair(evs[0]) == ("CAN", "MLI")
    # the target of the purpose a force is mobilised for
    evs = events_of(code("Poland mobilized troops for an attack on Belarus."), "MOBILIZE")
    assert evs and pair(evs[0]) == ("POL", "BLR")
    # a place inside the object phrase of an attack or a riot
    assert pair(events_of(code("Israeli tanks fired shells at targets in Jericho."), "ASSAULT")[0]) == ("ISR", "PSE")
    assert pair(events_of(code("Kurdish inmates rioted in a crowded prison in eastern Turkey."), "PROTEST")[0])[1] == "TUR"


def test_group_without_country_takes_the_one_country_of_its_sentence(code):
    evs = events_of(code("Workers affiliated with the Greek seamen's union went on strike."), "PROTEST")
    assert evs and evs[0]["source"]["code"] == "GRCLAB"
    # a country's embassy does not place the sentence in that country
    evs = events_of(code("Police arrested 20 protesters outside the US embassy."), "COERCE")
    assert evs and evs[0]["source"]["country"] is None


def test_partitives_convictions_and_deployments(code):
    evs = events_of(code("Mali has expelled most of the U.N. peacekeepers in the country."), "SANCTION")
    assert evs and evs[0]["cameo"] == "1661"
    evs = events_of(code("A court in Kenya convicted three al-Shabaab militants of plotting the attack."), "ACCUSE")
    assert evs and evs[0]["cameo"] == "116"
    evs = events_of(code("Ghana announced the deployment of 300 soldiers to Haiti for a peacekeeping mission."), "AID")
    assert evs and evs[0]["cameo"] == "074"
    # reinforcing a commitment is not a military build-up
    assert not events_of(code("Norway reinforced its pledge of support to Afghan refugees."), "MOBILIZE")


def test_framing_nouns_and_retaliation_are_background(code):
    evs = code("Ghana recalled its ambassador from Togo on the eve of a trip there by the Togolese foreign minister.")
    assert events_of(evs, "SANCTION") and not events_of(evs, "CONSULT")
    evs = code("Pakistan threatened to strike Indian positions in retaliation for a drone strike on Lahore.")
    assert events_of(evs, "THREATEN") and not events_of(evs, "ASSAULT")


def test_clause_of_a_reiterated_demand_is_its_content(code):
    evs = code("The ILO reiterated its demand that Israel ease restrictions on Palestinian workers.")
    assert events_of(evs, "REQUEST") and not events_of(evs, "CONCEDE")


def test_an_adopted_bill_or_decree_does_what_it_says(code):
    evs = events_of(code("Egypt's government passed a decree lifting the state of emergency."), "CONCEDE")
    assert evs and evs[0]["cameo"] == "0814" and pair(evs[0]) == ("EGY", "EGY")
    evs = events_of(code("The committee has given the FBI access to its archives."), "RETREAT")
    assert evs and evs[0]["target"]["code"] == "USACOP"


def test_parties_between_whom_a_meeting_is_hosted_are_targets(code):
    evs = code("Norway would gladly host a meeting between Colombian officials and the ELN.")
    assert {e["target"]["country"] for e in evs if e["target"]} >= {"COL"}


def test_evacuating_settlements_is_a_withdrawal_from_the_territory(code):
    evs = code("Under the plan, Israel will evacuate all 17 settlements in the West Bank.")
    assert evs and evs[0]["cameo"][:2] in ("03", "08") and pair(evs[0]) == ("ISR", "PSE")


def test_taking_part_and_predicative_as_on_the_object(code):
    evs = events_of(code("Chilean students joined a hunger strike outside the education ministry."), "PROTEST")
    assert evs and evs[0]["source"]["code"] == "CHLEDU"
    evs = events_of(code("Egyptian troops took part in the offensive against Libya."), "ASSAULT")
    assert evs and pair(evs[0]) == ("EGY", "LBY")
    evs = events_of(code("Syrian rebels kept dozens of villagers as human shields near Idlib."), "ASSAULT")
    assert evs and evs[0]["cameo"] == "184" and pair(evs[0])[0] == "SYR"


def test_sentence_country_never_comes_from_the_acts_object(code):
    evs = events_of(code("Militants killed two French soldiers."), "ASSAULT")
    assert evs and evs[0]["source"]["country"] is None and evs[0]["target"]["code"] == "FRAMIL"
    evs = events_of(code("Militants loyal to Iraq's Al-Qaeda leader said they attempted to assassinate the prime minister."),
                    "ASSAULT")
    assert evs and evs[0]["source"]["code"] == "IRQINS"
    evs = events_of(code("NATO said it will tighten the naval blockade of Libya."), "THREATEN")
    assert evs and pair(evs[0]) == ("IGONAT", "LBY")


def test_a_statement_or_report_acts_for_its_author(code):
    evs = events_of(code("Amnesty International published a report accusing the Ethiopian army of abuses in Tigray."), "ACCUSE")
    assert evs and pair(evs[0]) == ("NGOAMN", "ETH")
    evs = events_of(code("ASEAN foreign ministers issued a statement urging Myanmar to free political prisoners."),
                    "APPEAL")
    assert evs and pair(evs[0]) == ("IGOASN", "MMR")
    # releasing a statement is a statement, not a release
    evs = code("Senator Chris Murphy released the following statement.")
    assert evs and all(e["plover"] is None for e in evs)


def test_unknown_names_are_kept_as_unresolved_actors(code):
    evs = code("Papandreou agreed to resign.")
    assert evs and evs[0]["source"]["text"] == "Papandreou" and evs[0]["source"]["code"] is None
    assert evs[0]["source"]["kind"] == "person"
    evs = code("The party's leader in the senate, Jose Silva, conceded defeat.")
    assert evs and evs[0]["source"]["name"] == "Jose Silva" and evs[0]["source"]["code"] is None
    assert not code("Monday saw protests.")  # a date is no actor


def test_cutting_tariffs_eases_sanctions(code):
    for text in ("India cut tariffs on Australian wine.", "Canada rolled back tariffs on Mexican steel.",
                 "Spain suspended a levy on Moroccan fruit imports."):
        evs = events_of(code(text), "RETREAT")
        assert evs and evs[0]["cameo"] == "085", text


def test_direct_object_selects_the_sense_before_a_prepositional_phrase(code):
    evs = code("Sweden said it had suspended development aid to Uganda in protest at the new law.")
    assert events_of(evs, "SANCTION") and not events_of(evs, "CONCEDE")


def test_trying_to_is_an_attempt_not_a_trial(code):
    assert not code("Summits in Paris are trying to avoid war.")
    evs = events_of(code("A Cairo court tried the journalists on Monday."), "COERCE")
    assert evs and evs[0]["cameo"] == "173"
    evs = events_of(code("Hackers working for Iran tried to hack into the email accounts of Israeli ministers."), "COERCE")
    assert evs and evs[0]["cameo"] == "170" and pair(evs[0])[1] == "ISR"


def test_refusing_to_respond_to_a_demand_rejects_it(code):
    evs = events_of(code("The Iraqi prime minister refused to respond to a request from the Turkish president."),
                    "REJECT")
    assert evs and pair(evs[0]) == ("IRQ", "TUR")


def test_swearing_to_fight_is_a_threat(code):
    evs = events_of(code("Tuareg rebels have sworn to fight on until the army leaves the north."), "THREATEN")
    assert evs and evs[0]["cameo"] == "138"


def test_drills_training_missions_and_expelled_aid_workers(code):
    assert not code("Firefighters held an evacuation exercise at the airport on Saturday.")
    assert events_of(code("Russian troops carried out a military exercise near the border."), "MOBILIZE")
    evs = events_of(code("Twelve U.S. Army soldiers deployed to Ghana to train Ghanaian soldiers."), "COOPERATE")
    assert evs and evs[0]["cameo"] == "062" and pair(evs[0]) == ("USA", "GHA")
    evs = events_of(code("The junta in Myanmar has forced foreign aid workers out of Chin State."), "SANCTION")
    assert evs and evs[0]["cameo"] == "1663"
    evs = events_of(code("The Nigerian Air Force has carried out surgical operations for displaced people in Borno."), "AID")
    assert evs and evs[0]["cameo"] == "073"


def test_an_increase_in_funding_is_funding(code):
    evs = events_of(code("Sweden announced a large increase in funding for malaria programmes in Africa."), "AID")
    assert evs and evs[0]["cameo"] == "071" and pair(evs[0])[0] == "SWE"


def test_deadlines_and_pressure_on_lecturers(code):
    evs = events_of(code("The Nigerian authorities are pressuring lecturers to cancel the strike."), "REQUEST")
    assert evs and pair(evs[0]) == ("NGA", "NGA") and evs[0]["target"]["code"] == "NGAEDU"
    evs = events_of(code("The British prime minister gave Russia a midnight deadline."), "THREATEN")
    assert evs and evs[0]["cameo"].startswith("13")

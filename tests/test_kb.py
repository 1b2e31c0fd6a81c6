from collections import Counter

import pytest

from casus.actors.kb import default_kb


@pytest.fixture(scope="module")
def kb():
    return default_kb()


def forms(kb, form):
    return [a.entity for a in kb.aliases if a.form == form]


def test_every_country_is_there(kb):
    assert len(kb.countries) >= 240
    for iso in ("RUS", "UKR", "USA", "BLR", "FRA", "DEU", "CHN", "XKX", "PSE", "TWN"):
        assert iso in kb.countries


def test_names_adjectives_capitals_and_metonyms(kb):
    assert {e.country for e in forms(kb, "Belarusian")} == {"BLR"}
    assert {e.code for e in forms(kb, "Kremlin")} == {"RUSGOV"}
    assert {e.country for e in forms(kb, "Kiev")} == {e.country for e in forms(kb, "Kyiv")} == {"UKR"}
    assert {e.code for e in forms(kb, "White House")} == {"USAGOV"}


def test_organisations_and_groups(kb):
    assert {e.code for e in forms(kb, "NATO")} == {"IGONAT"}
    assert {e.kind for e in forms(kb, "United Nations")} == {"igo"}
    assert any(e.code.startswith("IMG") for e in forms(kb, "Islamic State"))


def test_at_least_1500_people_with_offices(kb):
    names = {p.name for p in kb.people}
    assert len(names) >= 1500
    lavrov = [p for p in kb.people if p.name == "Sergei Lavrov"]
    assert lavrov and lavrov[0].country == "RUS" and lavrov[0].role == "foreign_minister"


@pytest.mark.parametrize("variant,name", [
    ("Anthony Blinken", "Antony Blinken"),
    ("Blinken", "Antony Blinken"),
    ("Andrei Germak", "Andriy Yermak"),
    ("Zelenskyy", "Volodymyr Zelensky"),
])
def test_spelling_variants_resolve(kb, variant, name):
    assert name in {e.name for e in forms(kb, variant)}


def test_luhansk_spellings_resolve_to_one_actor(kb):
    a = {e.code for e in forms(kb, "Luhansk People's Republic")} | {e.code for e in forms(kb, "LPR")}
    b = {e.code for e in forms(kb, "Lugansk People's Republic")}
    assert a and a == b


def test_role_nouns(kb):
    assert kb.roles["foreign minister"][0] == "foreign_minister"
    assert kb.roles["spokesman"][0] == "spokesperson"
    assert kb.agents["forces"] == "MIL" and kb.agents["politicians"] in ("GOV", "ELI")


def test_office_holder_by_date(kb):
    holders = {p.name for p in kb.people_in_role("USA", "foreign_minister", "2022-01-26")}
    assert holders == {"Antony Blinken"}


def test_no_alias_points_to_two_people_unexpectedly(kb):
    by_form = Counter()
    for a in kb.aliases:
        if a.entity.kind == "person":
            by_form[(a.form, a.entity.name)] += 0
    names_per_form = Counter(form for form, _ in by_form)
    shared = [f for f, n in names_per_form.items() if n > 1 and " " in f]
    assert len(shared) <= 20, shared[:20]

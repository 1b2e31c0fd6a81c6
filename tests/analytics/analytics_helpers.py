"""Hand-made event dicts for the analytics tests (a uniquely named module, importable from test files)."""
from __future__ import annotations

import datetime as dt
import itertools

_ids = itertools.count(1)

def make_event(date: str, source: str | None, target: str | None, *, plover: str | None = "ASSAULT", quad: int = 4,
               goldstein: float = -10.0, modality: str = "asserted", story: str | None = None, articles: int = 1,
               sources: int = 1, precision: str = "day", sentence: str | None = None, location: dict | None = None,
               cameo: str = "190") -> dict:
    """An event dict shaped like the store's (contract + story_id, num_articles, num_sources). Actor codes
    of 3 letters are countries; IGO/NGO codes have no country; ARMGOV-style codes belong to their first 3 letters."""
    def actor(code):
        if code is None:
            return None
        country = None if code.startswith(("IGO", "NGO")) else code[:3]
        return {"text": code, "code": code, "country": country, "sector": None,
                "kind": "igo" if code.startswith("IGO") else "state", "name": code}

    n = next(_ids)
    return {"doc_id": f"doc-{story or n}", "event_id": f"ev{n:05d}",
            "sentence": sentence or f"{source} acted on {target} (event {n}).", "sentence_index": 0,
            "trigger": "acted", "trigger_span": None, "plover": plover, "cameo": cameo, "cameo_name": "test",
            "quad_class": quad, "goldstein": goldstein, "source": actor(source), "target": actor(target),
            "modality": modality, "date": date, "date_precision": precision, "location": location,
            "quantities": [], "attribution": None, "confidence": 0.9, "coder_version": "test",
            "story_id": story or f"story-{n}", "num_articles": articles, "num_sources": sources}


def monday(week: int, start: str = "2025-09-01") -> dt.date:
    """The Monday ``week`` weeks after ``start`` (a Monday)."""
    return dt.date.fromisoformat(start) + dt.timedelta(weeks=week)


def background(weeks: range, start: str = "2025-09-01") -> list[dict]:
    """One cooperative JPN-KOR story a week: the corpus covers these weeks (they are observed)."""
    return [make_event((monday(w, start) + dt.timedelta(days=2)).isoformat(), "JPN", "KOR", plover="CONSULT",
                       quad=1, goldstein=1.0, story=f"bg-{w}") for w in weeks]

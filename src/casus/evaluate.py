"""Scoring casus against gold sentences (``casus eval``).

Gold formats (one JSON object per line, ``id``, ``text``, ``date``):

* PLOVER records: ``events: [{"plover", "source": [actor], "target": [actor]}]``, actor ``{"code", ...}``.
* Five-way records: ``penta``: 0 statement/no event, 1 verbal cooperation, 2 material cooperation,
  3 verbal conflict, 4 material conflict.

Scoring rules:

* **PLOVER type.** Per sentence, the set of distinct predicted PLOVER types. Precision = predicted types
  that are gold types / predicted types; recall = gold (sentence, type) pairs predicted / gold pairs.
* **Triple.** A sentence counts when one predicted event has a gold type, a source matching a gold source
  and a target matching a gold target (an empty gold target list accepts any target). Actors match on
  country: the predicted ``country`` (else the first three letters of ``code``) equals the gold code
  (old CAMEO codes JAP, ITL, VTN read as JPN, ITA, VNM); gold ``IGO``/``NGO``/``IMG`` match a predicted
  code starting with them; gold ``---`` (unknown) matches a predicted actor with no country.
* **Five-way class.** The class of the sentence's main event (highest confidence) by its PLOVER type;
  no event, or only events without a PLOVER type, is class 0. Macro-F1 over the five classes.
* **Confidence.** Type precision among (sentence, type) pairs whose best event has confidence >= 0.7.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .config import Options
from .errors import InputError
from .model import Document, Event
from .ontology import load_ontology

OLD_CODES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
GROUP_PREFIXES = ("IGO", "NGO", "IMG")
CONFIDENT = 0.7  # the threshold named by the accuracy target


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such gold file")
    records = []
    seen: Counter = Counter()
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{p}:{n}: invalid JSON ({exc.msg})") from None
        if "text" not in rec or ("events" not in rec and "penta" not in rec):
            raise InputError(f"{p}:{n}: a gold record needs 'text' and 'events' or 'penta'")
        rec_id = str(rec.get("id", n))
        seen[rec_id] += 1
        if seen[rec_id] > 1:  # a repeated id is a different sentence: score it under its own key
            rec_id = f"{rec_id}#{seen[rec_id]}"
        rec["id"] = rec_id
        records.append(rec)
    return records


def actor_country(actor: dict | None) -> str | None:
    if not actor:
        return None
    if actor.get("country"):
        return actor["country"]
    code = actor.get("code") or ""
    if code.startswith(GROUP_PREFIXES):
        return code[:3]
    return code[:3] or None


def actor_matches(gold: dict, pred: dict | None) -> bool:
    if pred is None:
        return False
    g = OLD_CODES.get(gold.get("code", ""), gold.get("code", ""))
    if g in GROUP_PREFIXES:
        return (pred.get("code") or "").startswith(g)
    if g == "---" or not g:
        return pred.get("country") is None
    return actor_country(pred) == g[:3]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def main_event(events: list[Event]) -> Event | None:
    """The sentence's main event: highest confidence; on a tie, a PLOVER-typed event before a statement."""
    if not events:
        return None
    return max(events, key=lambda e: (e.confidence, e.plover is not None))


def penta_of(events: list[Event]) -> int:
    """Five-way class of the sentence's main event; a statement (no PLOVER type) as main event is class 0."""
    ev = main_event(events)
    return load_ontology().penta_class(ev.plover) if ev else 0


@dataclass
class EvalResult:
    n: int = 0
    figures: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _ev_brief(e: Event) -> dict[str, Any]:
    return {"plover": e.plover, "cameo": e.cameo, "source": e.source.code if e.source else None,
            "target": e.target.code if e.target else None, "modality": e.modality,
            "confidence": round(e.confidence, 2), "trigger": e.trigger, "rule": e.rule, "entry": e.lexicon_entry}


def score(records: list[dict[str, Any]], predictions: dict[str, list[Event]]) -> EvalResult:
    """Score predictions (record id -> events) against gold records."""
    res = EvalResult(n=len(records))
    has_plover = any("events" in r for r in records)
    has_penta = any("penta" in r for r in records)
    per_type: dict[str, Counter] = defaultdict(Counter)
    tp = fp = fn = 0
    triple_ok = triple_n = 0
    conf_tp = conf_n = 0
    confusion: dict[str, Counter] = defaultdict(Counter)
    penta_gold: list[int] = []
    penta_pred: list[int] = []
    penta_conf_n = penta_conf_ok = 0
    for rec in records:
        evs = predictions.get(str(rec["id"]), [])
        pred_types: dict[str, float] = {}
        for e in evs:
            if e.plover:
                pred_types[e.plover] = max(pred_types.get(e.plover, 0.0), e.confidence)
        error = False
        if has_plover and "events" in rec:
            gold_types = {g["plover"] for g in rec["events"] if g.get("plover")}
            for t in pred_types:
                if t in gold_types:
                    tp += 1
                    per_type[t]["tp"] += 1
                else:
                    fp += 1
                    per_type[t]["fp"] += 1
                    error = True
                if pred_types[t] >= CONFIDENT:
                    conf_n += 1
                    conf_tp += t in gold_types
            for t in gold_types - set(pred_types):
                fn += 1
                per_type[t]["fn"] += 1
                error = True
            if rec["events"]:
                triple_n += 1
                if any(_triple(g, evs) for g in rec["events"]):
                    triple_ok += 1
                elif not error:
                    error = True
            main = main_event([e for e in evs if e.plover])
            for g in gold_types:
                confusion[g][main.plover if main else "none"] += 1
        if has_penta and "penta" in rec:
            gp, pp = int(rec["penta"]), penta_of(evs)
            penta_gold.append(gp)
            penta_pred.append(pp)
            main_any = main_event(evs)
            if main_any is not None and main_any.confidence >= CONFIDENT:
                penta_conf_n += 1
                penta_conf_ok += gp == pp
            error = error or gp != pp
        if error:
            res.errors.append({
                "id": rec["id"], "text": rec["text"],
                "gold": rec.get("events") if "events" in rec else {"penta": rec.get("penta")},
                "predicted": [_ev_brief(e) for e in evs],
                **({"penta_predicted": penta_of(evs)} if "penta" in rec else {}),
            })
    fig: dict[str, Any] = {"records": len(records)}
    if has_plover:
        fig["plover_type"] = _prf(tp, fp, fn)
        fig["per_type"] = {t: _prf(c["tp"], c["fp"], c["fn"]) for t, c in sorted(per_type.items())}
        fig["triple_accuracy"] = round(triple_ok / triple_n, 4) if triple_n else 0.0
        fig["confusion"] = {g: dict(c) for g, c in sorted(confusion.items())}
    if has_penta:
        fig["penta"] = _penta_figures(penta_gold, penta_pred)
        # the class of sentences whose main event is confident (>= 0.7): how often is it right?
        fig["penta"]["confident_accuracy"] = round(penta_conf_ok / penta_conf_n, 4) if penta_conf_n else None
        fig["penta"]["confident_sentences"] = penta_conf_n
    fig["confident_type_precision"] = round(conf_tp / conf_n, 4) if conf_n else None
    fig["confident_pairs"] = conf_n
    res.figures = fig
    return res


def _triple(gold: dict, events: list[Event]) -> bool:
    for e in events:
        if e.plover != gold.get("plover"):
            continue
        src = e.source.to_dict() if e.source else None
        tgt = e.target.to_dict() if e.target else None
        if not any(actor_matches(g, src) for g in gold.get("source") or []):
            continue
        gold_targets = gold.get("target") or []
        if gold_targets and not any(actor_matches(g, tgt) for g in gold_targets):
            continue
        return True
    return False


def _penta_figures(gold: list[int], pred: list[int]) -> dict[str, Any]:
    per = {}
    for k in range(5):
        tp = sum(g == k and p == k for g, p in zip(gold, pred))
        fp = sum(g != k and p == k for g, p in zip(gold, pred))
        fn = sum(g == k and p != k for g, p in zip(gold, pred))
        per[str(k)] = _prf(tp, fp, fn)
    macro = sum(v["f1"] for v in per.values()) / 5
    acc = sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0
    matrix = {str(g): dict(Counter(p for gg, p in zip(gold, pred) if gg == g)) for g in range(5)}
    return {"macro_f1": round(macro, 4), "accuracy": round(acc, 4), "per_class": per, "confusion": matrix}


def run_eval(path: str | Path, options: Options | None = None) -> EvalResult:
    """Code every gold sentence (as its own document, no cleaning) and score the result."""
    from .pipeline import code_documents

    records = load_gold(path)
    opts = (options or Options()).replace(clean=False, languages=("*",))  # gold sentences are English
    docs: Iterable[Document] = (
        Document(id=str(r["id"]), text=r["text"], date=(r.get("date") or None), provenance=f"{path}#{r['id']}")
        for r in records
    )
    predictions: dict[str, list[Event]] = {}
    for doc, events in code_documents(docs, opts):
        predictions[doc.id] = events
    return score(records, predictions)

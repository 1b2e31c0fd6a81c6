"""Scoring rules on tiny gold files written for the tests."""
import json

from casus.evaluate import actor_matches, run_eval, score
from casus.model import Actor, Event


def _ev(doc, plover, src, tgt, conf=0.9, cameo="040"):
    def a(code):
        return None if code is None else Actor(code, code, code[:3] if not code.startswith("IGO") else None, None, "state")
    return Event(doc, "s", 0, "t", "verb", "x", cameo, "n", cameo[:2], plover, 1, 1.0, None, None, a(src), a(tgt),
                 "asserted", conf, "v")


def test_type_precision_recall_and_triple():
    gold = [
        {"id": "1", "text": "a", "events": [{"plover": "CONSULT", "source": [{"code": "USA"}], "target": [{"code": "RUS"}]}]},
        {"id": "2", "text": "b", "events": [{"plover": "ACCUSE", "source": [{"code": "IGO"}], "target": []}]},
        {"id": "3", "text": "c", "events": [{"plover": "ASSAULT", "source": [{"code": "SYR"}], "target": [{"code": "TUR"}]}]},
    ]
    preds = {
        "1": [_ev("1", "CONSULT", "USAGOV", "RUSGOV"), _ev("1", "AGREE", "USA", "RUS", 0.5, "030")],
        "2": [_ev("2", "ACCUSE", "IGONAT", "SRB", cameo="112")],
        "3": [],
    }
    fig = score(gold, preds).figures
    assert fig["plover_type"]["tp"] == 2 and fig["plover_type"]["fp"] == 1 and fig["plover_type"]["fn"] == 1
    assert fig["plover_type"]["precision"] == round(2 / 3, 4) and fig["plover_type"]["recall"] == round(2 / 3, 4)
    assert fig["triple_accuracy"] == round(2 / 3, 4)
    assert fig["confusion"]["ASSAULT"] == {"none": 1}
    assert fig["confident_type_precision"] == 1.0 and fig["confident_pairs"] == 2


def test_five_way_uses_the_main_event():
    gold = [{"id": "1", "text": "a", "penta": 4}, {"id": "2", "text": "b", "penta": 0}, {"id": "3", "text": "c", "penta": 1}]
    preds = {"1": [_ev("1", "ASSAULT", "SYR", None, 0.9, "190"), _ev("1", "CONSULT", "SYR", None, 0.4)],
             "2": [], "3": [_ev("3", "ACCUSE", "FRA", None, 0.8, "112")]}
    fig = score(gold, preds).figures["penta"]
    assert fig["accuracy"] == round(2 / 3, 4)
    assert fig["per_class"]["4"]["f1"] == 1.0 and fig["per_class"]["1"]["recall"] == 0.0
    assert fig["confusion"]["1"] == {3: 1}
    # main events with confidence >= 0.7: sentence 1 (right) and sentence 3 (wrong)
    assert fig["confident_sentences"] == 2 and fig["confident_accuracy"] == 0.5


def test_appeals_are_statements_in_the_five_way_scheme():
    # PLOVER 2021 maps neither CAMEO 01 nor 02: an appeal as main event is class 0, a demand (10) class 3
    gold = [{"id": "1", "text": "a", "penta": 0}, {"id": "2", "text": "b", "penta": 3}]
    preds = {"1": [_ev("1", None, "USA", "IRN", 0.9, "020")], "2": [_ev("2", "REQUEST", "USA", "IRN", 0.9, "100")]}
    fig = score(gold, preds).figures["penta"]
    assert fig["accuracy"] == 1.0 and fig["confusion"]["0"] == {0: 1} and fig["confusion"]["3"] == {3: 1}


def test_actor_matching_rules():
    assert actor_matches({"code": "JAP"}, {"code": "JPNGOV", "country": "JPN"})
    assert actor_matches({"code": "IGO"}, {"code": "IGONAT", "country": None})
    assert not actor_matches({"code": "IGO"}, {"code": "FRA", "country": "FRA"})
    assert actor_matches({"code": "---"}, {"code": None, "country": None})
    assert not actor_matches({"code": "USA"}, None)


def test_run_eval_end_to_end(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "text": "Egypt accused Sudan of arming the militias.", "date": "2020-01-01",
         "events": [{"plover": "ACCUSE", "source": [{"code": "EGY"}], "target": [{"code": "SDN"}]}]},
        {"id": "b", "text": "The weather in Oslo was mild.", "date": None, "penta": 0},
    ]) + "\n", encoding="utf-8")
    res = run_eval(gold)
    assert res.figures["plover_type"]["tp"] == 1 and res.figures["triple_accuracy"] == 1.0
    assert res.figures["penta"]["accuracy"] == 1.0


def test_repeated_ids_are_scored_as_separate_sentences(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in [
        {"id": "x", "text": "Egypt accused Sudan of arming the militias.", "date": "2020-01-01",
         "events": [{"plover": "ACCUSE", "source": [{"code": "EGY"}], "target": [{"code": "SDN"}]}]},
        {"id": "x", "text": "Chile praised Peru for its handling of the floods.", "date": "2020-01-01",
         "events": [{"plover": "SUPPORT", "source": [{"code": "CHL"}], "target": [{"code": "PER"}]}]},
    ]) + "\n", encoding="utf-8")
    res = run_eval(gold)
    assert res.n == 2
    assert res.figures["plover_type"]["tp"] == 2 and res.figures["plover_type"]["fp"] == 0
    assert res.figures["triple_accuracy"] == 1.0

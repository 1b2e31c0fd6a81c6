"""Filling each event's context: its own date, place, numbers, and who asserts it.

* **Date**: a time expression attached to the event's clause (or to the verb that reports it) resolved
  against the publication date; a definite mention of an earlier event ("the conflict has claimed ...")
  takes that event's date; otherwise the publication date, and ``date_source`` says so.
* **Place**: the place attached to the event's clause (see :mod:`casus.context.locate`).
* **Quantities**: numbers in the event's phrase with what they count: troops, killed, injured, arrested,
  displaced, money.
* **Attribution**: the speaker of reported speech, a relaying outlet ("reports TASS", "according to CNN",
  a following "X reports." line), and a direct quote with its speaker.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from ..model import Document, Event
from .dates import parse_iso, resolve
from .locate import EventPlaces

DATE_ENTS = {"DATE", "TIME"}
MAX_TIME_TOKENS = 8  # "on the night of 3 March 2025": longer phrases are clauses, not time expressions
CLIMB_DEPS = {"ccomp", "xcomp", "conj", "advcl", "acl", "relcl", "pcomp", "pobj", "prep", "dobj", "nsubj", "attr"}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                "hundred": 100, "a hundred": 100, "dozen": 12, "dozens": 24, "hundreds": 200, "thousands": 2000,
                "scores": 40}
SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "mln": 1_000_000, "bn": 1_000_000_000,
         "m": 1_000_000, "k": 1_000}
KINDS = [
    ("troops", {"troop", "soldier", "force", "serviceman", "servicemen", "reservist", "fighter", "personnel", "marine",
                "paratrooper", "tank", "vehicle", "warship", "jet", "aircraft", "battalion", "brigade", "division"}),
    ("killed", {"dead", "death", "life", "lives", "killed", "fatality", "casualty", "toll", "body"}),
    ("injured", {"injured", "wounded", "injury", "hurt"}),
    ("arrested", {"arrested", "detained", "detainee", "prisoner", "arrest", "detention"}),
    ("displaced", {"refugee", "displaced", "evacuee", "migrant", "villager", "resident"}),
    ("money", {"dollar", "euro", "pound", "yen", "ruble", "rouble", "yuan", "$", "€", "£", "usd", "eur"}),
]
KILL_VERBS = {"kill": "killed", "wound": "injured", "injure": "injured", "arrest": "arrested", "detain": "arrested",
              "displace": "displaced", "evacuate": "displaced", "claim": "killed"}
LOWER_BOUND = {"more", "over", "least", "than", "upwards", "exceeding", "excess"}
UPPER_BOUND = {"up", "fewer", "less", "under", "nearly", "almost", "most"}
APPROX = {"about", "around", "some", "roughly", "approximately", "estimated", "nearly", "almost"}
RELAY_VERBS = {"report", "say", "quote", "cite", "carry", "broadcast", "tweet", "write", "publish"}


def _number(text: str) -> float | None:
    t = text.lower().replace(",", "").strip()
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    m = re.match(r"^\$?€?£?(\d+(?:\.\d+)?)([a-z]*)$", t)
    if not m:
        return None
    value = float(m.group(1))
    return value * SCALE.get(m.group(2), 1) if m.group(2) in SCALE or not m.group(2) else None


def _quantity_of(num: Token) -> dict | None:
    """A number token and the noun it counts -> {value, unit, kind, bound}."""
    value = _number(num.text)
    if value is None:
        return None
    head = num.head if num.dep_ in ("nummod", "quantmod", "compound", "npadvmod") else num
    for c in num.children:  # "100,000", "1.5 million", "25 billion dollars"
        if c.lower_ in SCALE and c.i > num.i:
            value *= SCALE[c.lower_]
    if head.lower_ in SCALE and head.i == num.i + 1:
        value *= SCALE[head.lower_]
        head = head.head if head.dep_ in ("nummod", "compound", "quantmod") else head
    unit = head.lemma_.lower() if head is not num else ""
    kind = None
    for name, words in KINDS:
        if unit in words or head.lower_ in words or any(c.lower_ in words for c in num.children):
            kind = name
            break
    if kind is None and head.pos_ in ("NOUN", "PROPN") and head.dep_ in ("dobj", "nsubjpass", "nsubj"):
        verb = head.head
        kind = KILL_VERBS.get(verb.lemma_.lower()) if verb.pos_ == "VERB" else None
    if kind is None and unit in ("people", "person", "civilian", "child", "man", "woman"):
        verb = head.head
        kind = KILL_VERBS.get(verb.lemma_.lower())
    if kind is None:
        return None
    mods = {t.lower_ for t in num.subtree if t.i < num.i} | {c.lower_ for c in num.children}
    if head is not num:
        mods |= {c.lower_ for c in head.children if c.i < num.i}
    bound = "lower" if mods & LOWER_BOUND else "upper" if mods & UPPER_BOUND else (
        "approximate" if mods & APPROX else "exact")
    return {"value": int(value) if value.is_integer() else value, "unit": unit or None, "kind": kind, "bound": bound,
            "text": num.doc[min(t.i for t in num.subtree): max(head.i, num.i) + 1].text}


def quantities_for(head: Token, sent: Span) -> list[dict]:
    """Numbers in the event's own phrase (its clause, not other clauses of the sentence)."""
    clause = head
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i and clause.dep_ not in ("ROOT",):
        clause = clause.head
    out, seen = [], set()
    for tok in clause.subtree:
        if tok.like_num or tok.lower_ in NUMBER_WORDS:
            # skip numbers inside other verb clauses of the sentence
            q = _quantity_of(tok)
            if q and (q["value"], q["kind"]) not in seen:
                seen.add((q["value"], q["kind"]))
                out.append(q)
    return out


class ContextAnnotator:
    def __init__(self, spacy_doc: Doc, doc: Document, actors) -> None:
        self.sdoc = spacy_doc
        self.doc = doc
        self.actors = actors
        self.pub = parse_iso(doc.date)
        self.places = EventPlaces(spacy_doc, actors)
        self.sents = list(spacy_doc.sents)
        self.sent_index = {s.start: i for i, s in enumerate(self.sents)}

    # -- dates ----------------------------------------------------------------------------------
    def _date_tokens(self, tok: Token) -> list[Span]:
        """Time expressions that modify this verb or noun directly ("last Friday", "on Wednesday morning")."""
        out = []
        for c in tok.children:
            if c.dep_ not in ("npadvmod", "tmod", "prep", "advmod", "nmod", "obl", "pobj", "advcl"):
                continue
            span = tok.doc[c.left_edge.i: c.right_edge.i + 1]
            if len(span) <= MAX_TIME_TOKENS and any(t.ent_type_ in DATE_ENTS for t in span):
                out.append(span)
        return out

    def _since(self, ent: Span) -> bool:
        prev = ent.doc[ent.start - 1] if ent.start > 0 else None
        return bool(prev is not None and prev.lower_ == "since") or ent.text.lower().startswith("since")

    def date_for(self, head: Token, future: bool) -> tuple[str, str, str] | None:
        """(date, precision, cue) from the event's clause, climbing to the verb that reports or governs it."""
        tok = head
        for _ in range(4):
            for ent in self._date_tokens(tok):
                r = resolve(("since " if self._since(ent) and not ent.text.lower().startswith("since") else "")
                            + ent.text, self.pub, future=future)
                if r:
                    return r[0], r[1], ent.text
            if tok.dep_ not in CLIMB_DEPS or tok.head.i == tok.i:
                break
            tok = tok.head
        # a "since ..." clause anywhere in the sentence dates its background state ("Since ... in 2014, there has been")
        return None

    def _background_date(self, head: Token) -> tuple[str, str, str] | None:
        """ "the conflict has claimed ...": a definite event noun takes the date of its earlier mention."""
        subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        noun = subj if subj is not None and subj.pos_ == "NOUN" else (head if head.pos_ == "NOUN" else None)
        if noun is None or not any(c.lower_ in ("the", "this", "that") for c in noun.children):
            return None
        lemma = noun.lemma_.lower()
        kb = self.actors.kb
        if lemma in kb.agents or lemma in kb.roles or noun.i in self.actors.mentions:
            return None  # "the leaders agreed": people and groups are not events with a date of their own
        start = head.sent.start
        for sent in reversed([s for s in self.sents if s.end <= start]):
            for tok in sent:
                if tok.lemma_.lower() == lemma:
                    for ent in sent.ents:
                        if ent.label_ in DATE_ENTS:
                            r = resolve(("since " if self._since(ent) or " since " in sent.text.lower() else "")
                                        + ent.text, self.pub)
                            if r:
                                return r[0], r[1], f"{ent.text} (the earlier mention of '{tok.text}')"
        return None

    # -- attribution ----------------------------------------------------------------------------
    def _outlet_in(self, span: Span) -> dict | None:
        for tok in span:
            m = self.actors.mentions.get(tok.i)
            if m is not None and any(a.entity.sector == "MED" for a in m.aliases):
                ent = next(a.entity for a in m.aliases if a.entity.sector == "MED")
                return {"name": ent.name, "code": ent.code, "country": ent.country, "text": m.span.text}
        for ent in span.ents:
            if ent.label_ == "ORG" and re.search(r"\b(agency|news|times|post|radio|television|tv|press)\b", ent.text, re.I):
                return {"name": ent.text, "code": None, "country": None, "text": ent.text}
        return None

    def relayed_by(self, sent_i: int) -> dict | None:
        sent = self.sents[sent_i]
        for tok in sent:
            if tok.lower_ == "according" and tok.i + 1 < len(self.sdoc) and self.sdoc[tok.i + 1].lower_ == "to":
                found = self._outlet_in(self.sdoc[tok.i + 2: min(len(self.sdoc), tok.i + 10)])
                if found:
                    return found
            if tok.lemma_.lower() in RELAY_VERBS and tok.pos_ == "VERB":
                found = self._outlet_in(self.sdoc[tok.left_edge.i: tok.right_edge.i + 1])
                if found:
                    return found
        if sent_i + 1 < len(self.sents):
            nxt = self.sents[sent_i + 1]
            if len(nxt) <= 12 and (any(t.lemma_.lower() in RELAY_VERBS for t in nxt) or len(nxt) <= 3):
                return self._outlet_in(nxt)
        return None

    def quote_for(self, ev: Event, head: Token, sent_i: int) -> tuple[str | None, dict | None]:
        """A direct quote around the trigger, and the speaker introduced by a preceding "X adds:"."""
        s = ev.sentence
        a = ev.trigger_start
        for m in re.finditer(r"[“\"]([^”\"]{3,})[”\"]", s):
            if m.start() <= a <= m.end():
                return m.group(1), None
        if sent_i > 0 and s.lstrip().startswith(("–", "—", "-", "“", "\"")):
            prev = self.sents[sent_i - 1] if sent_i - 1 < len(self.sents) else None
            j = sent_i - 1
            while prev is not None and j >= 0:
                text = prev.text.strip()
                if text.endswith(":"):
                    verb = next((t for t in prev if t.pos_ == "VERB"), None)
                    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
                    speakers = self.actors.resolve(subj) if subj is not None else []
                    return s.strip("–—- “\""), speakers[0].to_dict() if speakers else None
                if not text.startswith(("–", "—", "-")):
                    break
                j -= 1
                prev = self.sents[j] if j >= 0 else None
        return None, None

    # -- all ------------------------------------------------------------------------------------
    def annotate(self, ev: Event) -> None:
        head = self.sdoc[ev.head_index] if 0 <= ev.head_index < len(self.sdoc) else None
        if head is None:
            return
        found = self.date_for(head, future=ev.modality == "future")
        if found is None and ev.modality == "asserted":
            found = self._background_date(head)  # a reported fact only: not a plan or a condition
            if found is not None and self.doc.date and found[0] > self.doc.date:
                found = None  # a background date after publication is not when a reported fact happened
        if found:
            ev.date, ev.date_precision, cue = found
            ev.date_source = "text"
            ev.date_cue = cue
        elif self.doc.date:
            ev.date, ev.date_precision, ev.date_source = self.doc.date, "day", "publication"
        if ev.location is None:
            place = self.places.event_place(head, None)
            if place is not None:
                ev.location = place.to_dict()
        if not ev.quantities:
            ev.quantities = quantities_for(head, head.sent)
        sent_i = self.sent_index.get(head.sent.start, -1)
        relay = self.relayed_by(sent_i) if sent_i >= 0 else None
        quote, speaker = self.quote_for(ev, head, sent_i)
        if ev.attribution or relay or quote:
            att = dict(ev.attribution or {"speaker": None, "speaker_text": None, "verb": None, "relayed_by": None,
                                          "quote": None})
            att["relayed_by"] = relay
            att["quote"] = quote
            if speaker and not att.get("speaker"):
                att["speaker"] = speaker
            ev.attribution = att


def annotate(events: list[Event], spacy_doc: Doc, doc: Document, actors) -> None:
    """Fill date, location, quantities and attribution on each event of one article."""
    if not events:
        return
    ann = ContextAnnotator(spacy_doc, doc, actors)
    for ev in events:
        ann.annotate(ev)

"""From a parsed article to coded events: triggers, arguments, actors, modality, refinement, confidence."""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..actors.kb import STATE_SECTORS
from ..actors.resolve import ArticleActors, MentionIndex
from ..datafiles import data_path, read_tsv
from ..model import Actor, Event
from ..ontology import Ontology
from .arguments import (agent_of, amount_head, appositive_participle, misparsed_main_clause, noun_source,
                        noun_targets, verb_subject, verb_targets)
from .lexicon import Entry, Lexicon
from .modality import modality_of
from .triggers import Trigger, find_triggers, to_infinitive
from ..context.locate import EventPlaces

VERBAL_ROOTS = {"01", "02", "03", "10", "11", "12", "13"}  # events whose content is another action
# a nominal event that is what a verbal act is about ("welcomed the proposal", "discussed the ceasefire",
# "suspended the aid programme") is that act's content, not an event of its own
NOUN_CONTENT_ROOTS = VERBAL_ROOTS | {"04", "05", "09", "16"}
GOVERN_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "oprd", "compound"}
GOVERN_HOPS = 4
CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "parataxis", "conj"}
COOPERATIVE_ROOTS = {"03", "04", "05", "06", "07", "08"}
MAX_CLAUSE_HOPS = 5  # coordination and reporting chains are short
VISIT_CODES = {"042", "043"}
REL_TAGS = {"WDT", "WP", "WP$", "WRB"}
PARTITIVES = {"part", "portion", "some", "most", "half", "all", "much", "many", "rest", "bulk", "share", "parts"}
# measures a government imposes on or lifts from a territory: with no other target, its own country
TERRITORIAL_MEASURES = {"0813", "0814", "1723", "1724"}
# from a trigger up to the clause it is told in: coordination, complements, and a noun's own verb
CLAUSE_CLIMB = {"conj", "xcomp", "ccomp", "dobj", "pobj", "prep", "nsubj", "nsubjpass"}
PEACEKEEPING_CODE = "074"
DEPLOY_CODE = "154"
CLAIM_CODE = "015"
SHOW_OF_FORCE_CODE, MILITARY_COOPERATION_CODE = "150", "062"
DOMESTIC_SECTORS = {"GOV", "COP", "JUD", "LEG", "OPP", "PTY", "LAB", "EDU", "CVL", "REF", "BUS", "MED"}
# groups that act where they are from: a country-less one takes its sentence's country (not foreign troops)
SENDING_ROOTS = {"07", "15"}  # aid, personnel and forces sent somewhere
INVESTIGATE_ROOT = "09"
# groups that speak to their own state ("the party will boycott Algeria's elections")
CIVIC_SECTORS = {"OPP", "PTY", "LAB", "EDU", "CVL", "ELI", "REL", "HRI", "REB", "SEP", "RAD", "AGR", "MED", "BUS"}
LOCALISABLE_SECTORS = DOMESTIC_SECTORS | {"REB", "INS", "UAF", "ELI", "SEP", "RAD", "HRI", "CRM", "REL", "AGR", "HLH"}
AGAINST_PLACE_ROOTS = {"14", "17", "18", "19", "20"}  # protest and violence in a place target that place
HOSTILE_ROOTS = {"14", "15", "16", "17", "18", "19", "20"}  # acts whose announcement is a threat
PLACE_TARGET_ROOTS = {"15", "17", "18", "19", "20"}  # force aimed at a place: its owner is the target
PROTEST_ROOT = "14"
REJECT_ROOT = "12"
MOBILIZE_ROOT = "15"
REQUEST_ROOTS = {"02", "10"}
YIELD_ROOT = "08"
ATTACK_ROOTS = {"18", "19", "20"}
HELPING_VERBS = {"help", "allow", "enable", "let"}
ARMED_SECTORS = {"MIL", "UAF", "REB", "INS", "SEP", "COP"}
ALERT_CODE = "152"
# verbs that state what an act is for ("a strike to protest ...", "a march to demand ...")
PURPOSE_OF_PROTEST = {"protest", "demand", "denounce", "condemn", "oppose", "press", "call", "urge", "show", "mark",
                      "express", "voice", "highlight", "draw"}
FORCE_ROOTS = {"15", "17", "18", "19", "20"}
OFFICIAL_SECTORS = {"GOV", "COP", "JUD", "LEG"}
FOREIGN_ROLES = {"foreign_minister", "deputy_foreign_minister", "ambassador", "envoy", "diplomat", "igo_head",
                 "igo_official", "negotiator", "defence_minister", "military_commander"}
FORCE_PREPS = {"from", "against", "at", "on", "into", "upon", "toward", "towards"}
PLACE_PREPS = {"near", "along", "on", "at", "to", "towards", "toward", "into", "across", "inside"}


@lru_cache(maxsize=1)
def refinements() -> dict[tuple[str, str], str]:
    """(governing root, embedded code prefix) -> refined code, from ``data/ontology/refine.tsv``."""
    return {(r["governor"], r["embedded"]): r["code"]
            for r in read_tsv(data_path("ontology", "refine.tsv"), ["governor", "embedded", "code"])}


def refine(governor_root: str, embedded: str) -> str | None:
    table = refinements()
    for n in range(len(embedded), 1, -1):
        code = table.get((governor_root, embedded[:n]))
        if code:
            return code
    return None


@dataclass
class Candidate:
    trig: Trigger
    cameo: str
    rule: str
    modality: str
    cue: str | None
    sources: list[Actor]
    targets: list[Actor]
    attribution: dict | None


class SentenceCoder:
    """Codes the sentences of one article; holds the article's actor state."""

    def __init__(self, doc: Doc, doc_id: str, date: str | None, lex: Lexicon, onto: Ontology,
                 index: MentionIndex, version: str) -> None:
        self.doc, self.doc_id, self.date = doc, doc_id, date
        self.lex, self.onto, self.version = lex, onto, version
        self.actors = ArticleActors(index, doc, date)
        self.speech = lex.cue("speech_verbs")
        self.places = EventPlaces(doc, self.actors)
        self.light = lex.cue("light_verbs")

    # -- per sentence ---------------------------------------------------------------------------
    def code_sentence(self, sent: Span, index: int, sent_start: int) -> list[Event]:
        agents = self.actors.kb.agents
        # "aid workers", "peace activists": a noun naming who someone is, not an act
        triggers = [t for t in find_triggers(sent, self.lex) if not (
            t.is_noun and t.head.dep_ == "compound" and t.head.head.lemma_.lower() in agents)]
        by_head = {t.head.i: t for t in triggers}
        threats = self._conditional_threats(sent, by_head)
        taken = {i for c in threats for i in c.trig.consumed}
        triggers = [t for t in triggers if t.head.i not in taken]
        by_head = {t.head.i: t for t in triggers}
        requests = self._deontic_requests(sent, by_head)
        taken = {i for c in requests for i in c.trig.consumed}
        triggers = [t for t in triggers if t.head.i not in taken]
        by_head = {t.head.i: t for t in triggers}
        self.actors.note_sentence(sent)
        candidates: list[Candidate] = []
        # a verb that is another trigger's object ("stop fighting") is part of that event, not a second one
        consumed = {i for t in triggers for i in t.consumed if i != t.head.i}
        purposes: list[tuple[Trigger, int]] = []
        for trig in triggers:
            if trig.head.i in consumed and not trig.is_noun:
                continue
            gov = self._governing_trigger(trig, by_head)
            if gov is not None and (self._verbal_ancestor(gov, by_head) or (
                    trig.is_noun and gov.entry.cameo[:2] in NOUN_CONTENT_ROOTS and gov.entry.lemma not in self.light)
                    or (trig.is_noun and trig.entry.cameo[:2] in REQUEST_ROOTS and gov.entry.cameo[:2] == YIELD_ROOT)):
                # ("conceded to demands from X": the demand is what is yielded to)
                continue  # the content of a request, threat, accusation...: refines that event instead
            if not trig.is_noun and trig.head.dep_ == "amod":
                continue  # a participle describing a noun ("the internationally recognised government")
            if not trig.is_noun and appositive_participle(trig.head):
                continue  # "sailors, held captive for weeks, were freed": what the sailors went through
            if trig.is_noun and self._amount_of_trigger(trig, by_head):
                continue  # "provides 45 million euros in support": what the given sum is, one event
            if (self._is_background(trig) or self._is_content(trig, by_head) or self._attacked_thing(trig, by_head)
                    or self._readied_for(trig, by_head) or self._riot_damage(trig, by_head)
                    or self._in_background_clause(trig.head)):
                continue
            purpose_of = self._purpose_of(trig, by_head)
            if purpose_of is not None:
                purposes.append((trig, purpose_of))
                continue
            cand = self._candidate(trig, by_head)
            if cand is not None and not self._in_relative_clause(trig.head):
                candidates.append(cand)  # an agentless act in a relative clause ("where 28 were killed") is background
        coded = {c.trig.head.i for c in candidates}
        for trig, act in purposes:
            if act in coded:
                continue
            # the act it serves was not coded ("troops arrived in Nepal to deliver aid": an arrival of troops is
            # no visit): the purpose is what is reported
            cand = self._candidate(trig, by_head)
            if cand is not None and not self._in_relative_clause(trig.head):
                candidates.append(cand)
        self._participle_targets(candidates)
        candidates += threats + requests
        events = self._events(candidates, sent, index, sent_start)
        return events

    @staticmethod
    def _participle_targets(candidates: list[Candidate]) -> None:
        """ "police fired on the crowd, wounding three and detaining 40": force told in a participle
        clause of another forceful act, with no target of its own, is done to that act's target."""
        by_head = {c.trig.head.i: c for c in candidates}
        for cand in candidates:
            head = cand.trig.head
            own = [a for a in cand.targets if a.resolved_by != "location"]  # a place is a weaker target
            if own or cand.trig.is_noun or head.tag_ != "VBG" or cand.cameo[:2] not in FORCE_ROOTS:
                continue
            while head.dep_ == "conj" and head.head.tag_ == "VBG":
                head = head.head
            gov = by_head.get(head.head.i) if head.dep_ == "advcl" else None
            if (gov is not None and gov is not cand and gov.targets and gov.cameo[:2] in FORCE_ROOTS | {PROTEST_ROOT}
                    and {a.key for a in gov.sources} == {a.key for a in cand.sources}):
                cand.targets = list(gov.targets)

    def _is_content(self, trig: Trigger, by_head: dict[int, Trigger]) -> bool:
        """The content of a demand, plan or promise ("its demand that Israel ease restrictions"), or the
        demand a protest voices ("demonstrated, calling for independence"): not an event of its own."""
        head = trig.head
        if head.dep_ == "acl" and self._enacted_instrument(head):
            return False  # "adopted a law easing press rules": the adopted law's act is done
        tok = head
        for _ in range(3):
            if tok.dep_ not in ("ccomp", "acl", "xcomp") or tok.head.i == tok.i:
                break
            tok = tok.head
            if tok.pos_ == "NOUN" and tok.lemma_.lower() in self.lex.cue("content_nouns"):
                return True
        if head.dep_ == "ccomp" and any(c.dep_ == "dobj" and c.lemma_.lower() in self.lex.cue("content_nouns")
                                        for c in head.head.children):
            return True  # "reiterated its demand that Israel ease restrictions" (the clause hangs from the verb)
        gov = head.head
        if (head.dep_ == "pcomp" and gov.dep_ == "prep" and gov.lower_ == "in" and gov.head.dep_ == "advcl"
                and gov.head.lemma_.lower() == "join"):
            gov = gov.head.head  # "rioted, joining the crowds in demanding a vote": the demand the riot voices
        elif not (head.dep_ == "advcl" and head.tag_ == "VBG"):
            return False
        return gov.i in by_head and by_head[gov.i].entry.cameo[:2] == PROTEST_ROOT and trig.entry.cameo[:2] in (
            "02", "10")

    def _amount_of_trigger(self, trig: Trigger, by_head: dict[int, Trigger]) -> bool:
        amt = amount_head(trig.head, self.lex.cue("amount_units"))
        if amt is None:
            return False
        verb = amt.head if amt.dep_ in ("dobj", "nsubjpass", "attr") else amt
        return (verb.i in by_head and by_head[verb.i] is not trig) or any(
            amt.i in t.consumed for t in by_head.values() if t is not trig)

    def _in_background_clause(self, head: Token) -> bool:
        """An act told in a temporal or causal clause ("hours after a drone struck a depot", "resigned
        as crowds massed outside the palace") is the background of the reported act."""
        marks = self.lex.cue("background_marks")
        tok = head
        for _ in range(MAX_CLAUSE_HOPS):
            if tok.dep_ == "advcl" and tok.head.i != tok.i:
                return any(c.dep_ == "mark" and c.lower_ in marks for c in tok.children)
            if tok.dep_ not in CLAUSE_CLIMB or tok.head.i == tok.i:
                return False
            tok = tok.head
        return False

    def _enacted_instrument(self, acl: Token) -> bool:
        """ "adopted a law easing press rules", "signed a decree dissolving the council": what the adopted
        law or decree does is the act."""
        noun = acl.head
        return (acl.tag_ == "VBG" and noun.lemma_.lower() in self.lex.cue("legal_instruments")
                and noun.head.lemma_.lower() in self.lex.cue("adopting_verbs"))

    def _in_relative_clause(self, head: Token) -> bool:
        """Is the act told in a relative clause ("the refugees, whom authorities blame ...", "a helicopter
        that was captured") or a participle modifying a noun? Such clauses describe a participant:
        background, not a report. A "relative clause" without a relative word is usually a misparsed
        main clause ("X, Y and the Taliban condemned ..."); a reduced one has its own subject ("the plan they
        rejected")."""
        tok = head
        for _ in range(MAX_CLAUSE_HOPS):
            if tok.dep_ == "acl" and not self._enacted_instrument(tok) and not misparsed_main_clause(tok):
                return True
            if tok.dep_ == "relcl":
                return any(c.i < tok.i and (c.tag_ in REL_TAGS or c.lower_ == "that") for c in tok.subtree) or any(
                    c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
            if tok.dep_ not in CLAUSE_CLIMB or tok.head.i == tok.i:
                return False
            tok = tok.head
        return False

    @staticmethod
    def _purpose_of(trig: Trigger, by_head: dict[int, Trigger]) -> int | None:
        """ "opened fire to disperse the crowd": the purpose of a coded act is its motive, not a second event.
        Returns the token index of the act the trigger is the purpose of, or None."""
        head = trig.head
        if head.dep_ == "xcomp" and head.head.lemma_.lower() in HELPING_VERBS:
            head = head.head  # "sent arms to help defend X": the help is the purpose, what it helps do with it
        if not to_infinitive(head):
            return None
        if head.dep_ in ("relcl", "acl"):
            # "staged a sit-in to oppose ...", parsed as the sit-in's infinitival modifier
            gov = by_head.get(head.head.i)
            ok = gov is not None and gov.is_noun and head.lemma_.lower() in PURPOSE_OF_PROTEST
            return head.head.i if ok else None
        if head.dep_ != "advcl":
            return None
        # the coded act is the verb, or the event noun that is its object ("held a rally to demand ...")
        if head.head.i in by_head:
            return head.head.i
        return next((c.i for c in head.head.children if c.dep_ == "dobj" and c.i in by_head and by_head[c.i].is_noun),
                    None)

    @staticmethod
    def _attacked_thing(trig: Trigger, by_head: dict[int, Trigger]) -> bool:
        """ "an attack on a weapons supply", "shelling of the talks venue": what an attack hits is its target,
        not an event of its own."""
        head, prep = trig.head, trig.head.head
        if not trig.is_noun or head.dep_ != "pobj" or prep.lower_ not in ("on", "against", "of"):
            return False
        attack = by_head.get(prep.head.i)
        return attack is not None and attack is not trig and attack.entry.cameo[:2] in ATTACK_ROOTS

    @staticmethod
    def _readied_for(trig: Trigger, by_head: dict[int, Trigger]) -> bool:
        """ "called up reservists for a likely conflict", "massed troops for an offensive": what forces are readied
        for has not happened."""
        head, prep = trig.head, trig.head.head
        if not trig.is_noun or head.dep_ != "pobj" or prep.lower_ != "for":
            return False
        gov = by_head.get(prep.head.i)
        return gov is not None and gov is not trig and gov.entry.cameo[:2] == MOBILIZE_ROOT

    @staticmethod
    def _riot_damage(trig: Trigger, by_head: dict[int, Trigger]) -> bool:
        """ "prisoners rioted, setting fire to mattresses": damage told in a participle of a riot is how
        the riot went (CAMEO 145 is violent protest), not a second event."""
        head = trig.head
        if trig.is_noun or head.tag_ != "VBG" or not trig.entry.cameo.startswith("171"):
            return False
        while head.dep_ == "conj" and head.head.tag_ == "VBG":
            head = head.head
        gov = by_head.get(head.head.i) if head.dep_ == "advcl" else None
        return gov is not None and gov.entry.cameo.startswith("145")

    def _death_cause_victim(self, noun: Token) -> Token | None:
        """ "died after torture", "died due to torture", "died from beatings": the subject of the
        death verb whose cause the noun is, else None."""
        tok = noun
        for _ in range(4):
            if tok.dep_ not in ("pobj", "prep", "pcomp") or tok.head.i == tok.i:
                return None
            tok = tok.head
            if tok.pos_ == "VERB":
                if tok.lemma_.lower() in self.lex.cue("death_verbs"):
                    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
                    return subj
                return None
        return None

    def _is_background(self, trig: Trigger) -> bool:
        """A nominal event inside a circumstantial phrase ("after days of fighting") is background."""
        head = trig.head
        prep = head.head
        if trig.is_noun and self._death_cause_victim(head) is not None:
            return False  # "a prisoner died after torture": the cause of a death is the reported act
        if prep.lower_ == "as" and (prep.head.pos_ == "VERB" or (prep.head.dep_ == "dobj" and prep.head.head.pos_ == "VERB")):
            return False  # predicative "as": "used civilians as human shields", "served as mediators"
        if amount_head(head, self.lex.cue("amount_units")) is not None:
            return False  # "paid 200 million euros in aid": what the amount is, not a circumstance
        if prep.lower_ == "in" and prep.head.pos_ == "NOUN" and prep.head.lemma_.lower() in self.lex.cue("change_nouns"):
            return False  # "an increase in funding" is the funding event, grown
        if prep.lower_ == "in" and prep.head.pos_ == "VERB" and prep.head.lemma_.lower() in self.lex.cue("joining_verbs"):
            return False  # "participated in a hunger strike": the act the subject takes part in
        if trig.is_noun and head.dep_ == "pobj" and prep.dep_ == "prep" and (
                prep.head.lemma_.lower() in self.lex.cue("background_frames")
                or (prep.lower_ == "for" and prep.head.lemma_.lower() in self.lex.cue("response_nouns"))):
            return True  # "on the eve of the summit", "in the wake of the vote", "in retaliation for a raid"
        return (trig.is_noun and head.dep_ == "pobj" and prep.dep_ == "prep"
                and prep.lower_ in self.lex.cue("background_preps"))

    def _governing_trigger(self, trig: Trigger, by_head: dict[int, Trigger]) -> Trigger | None:
        tok = trig.head
        marks = self.lex.cue("conditional_marks")
        for _ in range(GOVERN_HOPS):
            if tok.dep_ == "conj" and tok.pos_ == "VERB" and tok.head.i not in by_head:
                tok = tok.head  # "let agencies enter and deliver food": governed as its first conjunct is
            if tok.head.i == tok.i or not (tok.dep_ in GOVERN_DEPS or tok.dep_ == "advcl" and any(
                    c.dep_ == "mark" and c.lower_ in marks for c in tok.children)):
                return None  # (a condition is governed: "threatened ... unless Baghdad accepted")
            rel, tok = tok.dep_, tok.head
            if tok.lemma_.lower() in self.speech and tok.i not in by_head and rel in CLAUSE_DEPS:
                # what a speaker says is reported, not governed ("responded to a demand" is no report)
                return None
            if tok.i in by_head and by_head[tok.i] is not trig:
                return by_head[tok.i]
        return None

    def _verbal_ancestor(self, gov: Trigger, by_head: dict[int, Trigger]) -> bool:
        """``gov`` or a trigger governing it is a request, threat, refusal...: what it governs is content
        ("refused to let agencies enter and deliver food", "refused help for the offensive against X")."""
        seen = {id(gov)}
        for _ in range(3):
            if gov.entry.cameo[:2] in VERBAL_ROOTS:
                return True
            gov = self._governing_trigger(gov, by_head)
            if gov is None or id(gov) in seen:
                return False
            seen.add(id(gov))
        return False

    def _embedded_code(self, trig: Trigger, by_head: dict[int, Trigger]) -> str | None:
        """A refinement from the action this verbal event is about ("urged X to negotiate")."""
        root = trig.entry.cameo[:2]
        if root not in VERBAL_ROOTS:
            return None
        for other in by_head.values():
            if other is trig:
                continue
            if self._governing_trigger(other, by_head) is trig:
                code = refine(root, other.entry.cameo)
                if code:
                    return code
        if trig.object_token is not None:
            # "threatened sanctions": a noun object that is itself a trigger word
            from .triggers import match_noun

            noun = match_noun(trig.object_token, self.lex)
            if noun is not None:
                return refine(root, noun.entry.cameo)
        return None

    def _candidate(self, trig: Trigger, by_head: dict[int, Trigger]) -> Candidate | None:
        entry = trig.entry
        head = trig.head
        if trig.is_noun:
            frames, units = self.lex.cue("frame_nouns") | self.lex.cue("change_nouns"), self.lex.cue("amount_units")
            src_tok = noun_source(trig, self.light, self.actors.kb.agents.keys(), frames, units,
                                  self.lex.cue("joining_verbs"))
            tgt_toks = noun_targets(trig, frames, units)
            victim = self._death_cause_victim(head)
            if not tgt_toks and victim is not None:
                tgt_toks = [victim]  # "a prisoner died after torture": the dead is whom it was done to
        else:
            src_tok = verb_subject(head)
            if head.dep_ == "acl" and self._enacted_instrument(head):
                src_tok = verb_subject(head.head.head)  # the body that passed the bill does what it says
            tgt_toks = verb_targets(trig)
        sources = self.actors.resolve(src_tok) if src_tok is not None else []
        if not sources and src_tok is not None and src_tok.lemma_.lower() in self.lex.cue("meeting_nouns"):
            # "the summit between Russia and Japan failed to ...": the meeting's parties act
            sources = [a for c in src_tok.children if c.dep_ == "prep" and c.lower_ in ("between", "among", "of")
                       for g in c.children if g.dep_ == "pobj" for a in self.actors.resolve(g)]
        sources = [self._localise(a, trig, src_tok) for a in sources]
        if src_tok is not None:
            for a in sources:
                self.actors.note(src_tok.i, a, src_tok.dep_ in ("nsubj", "nsubjpass"))
        targets: list[Actor] = []
        for t in tgt_toks:
            if t.pos_ == "NOUN" and t.lemma_.lower() in self.lex.cue("content_nouns"):
                # "rejected a demand from X", "conceded to calls by X": whoever made it
                got = self._resolve_phrase(t, ("from", "by", "of"))
            else:
                got = self._resolve_phrase(t, ("with", "of", "to", "against"))
            for a in got:
                self.actors.note(t.i, a, False)
            if not got and t.lemma_.lower() in self.lex.cue("place_nouns"):
                got = self._place_owner(t)
            targets += got
        if not targets and not trig.is_noun:
            targets = self._object_owner_targets(trig, sources)
        if not targets and entry.cameo[:2] in VERBAL_ROOTS:
            targets = (self._clause_subject_targets(head) or self._embedded_targets(trig, by_head)
                       or self._noun_clause_subject_targets(trig))
        if not targets and "dobj" in entry.targets and not trig.is_noun:
            targets = self._clause_subject_targets(head)  # "allowed Kosovo officials to cross": a small clause
        if not targets and entry.cameo[:2] in PLACE_TARGET_ROOTS:
            targets = self._place_target(trig)
        if not targets and entry.cameo[:2] in FORCE_ROOTS:
            targets = self._prep_targets(trig, sources)
        if not targets:
            targets = self._purpose_targets(head, by_head) or self._condition_targets(head)
        if not targets and entry.cameo[:2] == PROTEST_ROOT:
            targets = self._grievance_targets(trig)
        if not targets and entry.cameo[:2] == REJECT_ROOT:
            targets = self._defied_targets(head)
        if "sym" in entry.flags and not targets and len(sources) < 2:
            targets = self._nested_partner(trig, sources)
        if "sym" in entry.flags and not targets and len(sources) < 2:
            return None  # a meeting or clash needs two parties
        if not targets and not ("sym" in entry.flags and len(sources) >= 2) and (
                "none" not in entry.targets or entry.cameo[:2] in AGAINST_PLACE_ROOTS):
            targets = self._location_targets(trig, sources)
        targets = [self._localise(a, trig, src_tok) for a in targets]
        sources = self._officials_at_home(sources, targets)
        if not targets and entry.cameo in TERRITORIAL_MEASURES:
            targets = self._own_country_targets(sources)
        if entry.flags & {"needs_target"} and not targets:
            return None
        peacekeeping = entry.cameo in VISIT_CODES | {DEPLOY_CODE} and self._peacekeeping(trig, src_tok)
        if entry.cameo in VISIT_CODES and not peacekeeping and any(
                a.sector in ("MIL", "UAF", "REB", "INS") for a in sources):
            return None  # troops arriving somewhere are a deployment, not a diplomatic visit
        modality, cue = modality_of(head, self.lex)
        cameo = self._embedded_code(trig, by_head) or entry.cameo
        rule = trig.rule
        inquiry = self._inquiry_purpose(trig, by_head)
        if inquiry is not None:
            # "sent a team of experts to investigate the blast": the dispatch is the investigation
            cameo, rule = inquiry, rule + "+inquiry"
        if cameo[:2] in HOSTILE_ROOTS and self._claimed_own_act(head, src_tok):
            # "the rebels claimed they had attacked the base": a claim of responsibility (CAMEO 015)
            cameo, rule = CLAIM_CODE, rule + "+claim"
        if cameo == SHOW_OF_FORCE_CODE and self._joint(trig, sources, targets):
            # an exercise held by or with several states is military cooperation (CAMEO 062), reciprocal
            cameo, rule = MILITARY_COOPERATION_CODE, rule + "+joint"
            trig.entry = replace(entry, flags=entry.flags | {"sym"})
        if peacekeeping:
            # troops sent, deployed or arriving to keep the peace provide protection (CAMEO 074)
            cameo, rule = PEACEKEEPING_CODE, rule + "+peacekeeping"
        elif cameo == DEPLOY_CODE and any(
                c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in self.lex.cue("training_verbs")
                and to_infinitive(c) for c in head.children):
            # "soldiers deployed to Nigeria to train its infantry": military cooperation (CAMEO 062)
            cameo, rule = MILITARY_COOPERATION_CODE, rule + "+training"
        # a promised or planned cooperative act is an intent to cooperate (CAMEO 03)
        if modality == "future" and cameo[:2] in {"04", "05", "06", "07", "08"}:
            intent = refine("03", cameo)
            if intent:
                cameo, rule = intent, rule + "+intent"
        readiness = self.lex.cue("readiness_governors")
        if (modality == "future" and cameo[:2] in ATTACK_ROOTS and cue and cue.lower() in readiness
                and any(a.sector in ARMED_SECTORS for a in sources)):
            # "troops poised to attack": forces readied for an attack raise their alert (CAMEO 152)
            cameo, rule, modality = ALERT_CODE, rule + "+readiness", "asserted"
        elif modality in ("future", "hypothetical") and cameo[:2] in HOSTILE_ROOTS and self._stated_intent(head, cue):
            threat = refine("13", cameo)
            if threat:
                cameo, rule = threat, rule + "+threat"
        if modality == "negated" and cameo[:2] in COOPERATIVE_ROOTS and self._is_refusal(head, cue):
            # "will not ease the curfew", "could not agree on a truce": a refusal to cooperate is itself an event
            cameo, rule, modality = refine("12", cameo) or "120", rule + "+refusal", "asserted"
        intent_adj = self._intent_adjective(head)
        if intent_adj is not None and cameo[:2] in {"04", "05", "06", "07", "08"}:
            intent = refine("03", cameo)
            if intent:
                cameo, rule, modality, cue = intent, rule + "+intent", "future", intent_adj.text
                if not sources:
                    subj = verb_subject(intent_adj.head) if intent_adj.head.pos_ in ("AUX", "VERB") else None
                    sources = self.actors.resolve(subj) if subj is not None else []
        return Candidate(trig, cameo, rule, modality, cue, sources, targets, self._attribution(head))

    def _claimed_own_act(self, head: Token, src_tok: Token | None) -> bool:
        """ "X claimed it had bombed ...": the act is told by its own author as a claim."""
        if head.dep_ != "ccomp" or head.head.lemma_.lower() not in self.lex.cue("claim_verbs"):
            return False
        if src_tok is None:
            return False
        claimer = verb_subject(head.head)
        if claimer is None:
            return False
        if src_tok.pos_ == "PRON":
            return src_tok.lower_ not in ("he", "she") or claimer.ent_type_ == "PERSON"
        return src_tok.i == claimer.i or src_tok.lemma_.lower() == claimer.lemma_.lower()

    @staticmethod
    def _joint(trig: Trigger, sources: list[Actor], targets: list[Actor]) -> bool:
        """Several states hold the exercise ("Brazil and Argentina staged war games"), or one holds it with
        another ("Russia held drills with Belarus")."""
        countries = {a.country for a in sources if a.country}
        if len(countries) >= 2:
            return True
        verb = trig.head.head if trig.is_noun else trig.head
        has_with = any(c.dep_ == "prep" and c.lower_ == "with" for t in (trig.head, verb) for c in t.children)
        return has_with and any(a.country and a.country not in countries for a in targets)

    def _peacekeeping(self, trig: Trigger, src_tok: Token | None) -> bool:
        """A deployment or arrival whose units or purpose are peacekeeping ("peacekeepers arrived in",
        "sent soldiers to keep the peace as blue helmets", "deployed on a peace mission")."""
        words = self.lex.cue("peacekeeping_words")
        toks = list(trig.head.subtree) + (list(src_tok.subtree) if src_tok is not None else [])
        if trig.is_noun and trig.head.dep_ in ("dobj", "pobj", "nsubjpass"):
            # "announced the deployment of 300 soldiers to Haiti for a peacekeeping mission"
            verb = trig.head.head if trig.head.dep_ != "pobj" else trig.head.head.head
            toks += [t for c in verb.children if c.dep_ == "prep" for t in c.subtree]
        return any(t.lemma_.lower() in words or t.lower_ in words for t in toks)

    def _localise(self, actor: Actor, trig: Trigger, src_tok: Token | None = None) -> Actor:
        """A state organ, group or titled official named without its country ("the military government declared
        ... in Haiti", "President Moi") acts where it acts: it takes the country of the event's place, else the
        one country its sentence names."""
        if (actor.resolved_by not in ("agent", "coref", "title", "surname") or actor.country is not None
                or actor.sector not in LOCALISABLE_SECTORS):
            return actor
        place = None
        if actor.sector in DOMESTIC_SECTORS:
            place = self.places.event_place(trig.head, trig.object_token)
        country, how = (place.country, "agent+place") if place is not None and place.country else (None, None)
        if country is None:
            # the only country the sentence names outside the act's object ("members of the Greek
            # union went on strike"; not "militants killed two French soldiers")
            inside = {t.i for t in trig.head.subtree} - ({t.i for t in src_tok.subtree} if src_tok is not None else set())
            if src_tok is not None and actor.name and actor.name.startswith("ethnic "):
                inside |= {t.i for t in src_tok.subtree}  # "ethnic Albanians" are not of Albania by that name
            if src_tok is not None:
                # nor the agent of a clause describing the source ("rebels backed by Rwanda" are not Rwandan)
                agents = [agent_of(c) for c in src_tok.children if c.dep_ in ("acl", "relcl")]
                inside |= {t.i for a in agents if a is not None for t in a.subtree}
            # nor the reporting frame ("..., Thai police said"): who tells of an act is not where it is
            # (unless the actor is the speaker: "militants of X said they ...")
            frame = self._reporting_frame(trig.head)
            if actor.resolved_by != "coref":
                inside |= frame
            sent = self.actors.sentence_of(trig.head.i)
            named = self.actors.sentence_countries(sent)
            found = [c for c, i in named if i not in inside]
            found = list(dict.fromkeys(found))
            country, how = (found[0], "agent+sentence") if len(found) == 1 else (None, None)
            if not found and actor.sector in CIVIC_SECTORS and trig.entry.cameo[:2] not in FORCE_ROOTS:
                # "the opposition party will boycott Algeria's elections", "elders demanded that the Nigerian
                # ministry ...": a group that addresses the institutions of the one state the sentence names
                # is of that state (not "militants killed two French soldiers": force, and soldiers)
                states = {c for c, _ in named}
                if len(states) == 1 and any(self._names_institution(i) for _, i in named):
                    country, how = next(iter(states)), "agent+institution"
            if country is not None and self._named_place_countries(sent, {c for c, _ in named}, frame) - {country}:
                # "French drones killed three men near Kidal": a place of another country is named
                country = None
        if country is None:
            return actor
        return Actor(actor.text, country + (actor.sector or ""), country, actor.sector, actor.kind,
                     actor.name, actor.role, how)

    @staticmethod
    def _officials_at_home(sources: list[Actor], targets: list[Actor]) -> list[Actor]:
        """ "Interior Minister X allowed opposition leader Y (of C) to ...": an official the knowledge base does
        not place, acting on the opposition, parties, unions or citizens of one country, is of that country."""
        homes = {a.country for a in targets if a.country and a.sector in CIVIC_SECTORS}
        if len(homes) != 1 or any(a.country and a.sector not in CIVIC_SECTORS for a in targets):
            return sources
        home = next(iter(homes))
        return [Actor(a.text, home + (a.sector or ""), home, a.sector, a.kind, a.name, a.role, "title+target")
                if a.country is None and a.kind == "person" and a.sector in OFFICIAL_SECTORS
                and a.role not in FOREIGN_ROLES else a for a in sources]

    def _names_institution(self, tok_i: int) -> bool:
        """The country mention at ``tok_i`` names one of its state's own institutions ("Algeria's elections",
        "the Nigerian Interior Ministry", "Burundi's government")."""
        nouns = self.lex.cue("state_institution_nouns")
        tok = self.doc[tok_i]
        while tok.dep_ in ("compound", "amod", "poss", "case") and tok.head.i != tok.i:
            tok = tok.head
            if tok.lemma_.lower() in nouns:
                return True
        return False

    def _named_place_countries(self, sent: Span, named: set[str], skip: set[int]) -> set[str]:
        """The countries of the towns and regions a sentence names outside ``skip`` (countries themselves
        are mentions; ``named``, the countries it names, pick between namesake towns)."""
        from ..context.places import gazetteer

        out: set[str] = set()
        for ent in sent.ents:
            if ent.label_ not in ("GPE", "LOC") or ent.start in self.actors.mentions or ent.start in skip:
                continue
            place = gazetteer().lookup(ent.text, prefer=named, date=self.date)
            if place is not None and place.country:
                out.add(place.country)
        return out

    def _defied_targets(self, head: Token) -> list[Actor]:
        """ "declined to resign despite pressure from the opposition": whoever presses is the one refused."""
        verbs = [head] + [c for c in head.children if c.dep_ == "xcomp"]  # "refused to quit despite ..."
        for c in (c for v in verbs for c in v.children):
            if c.dep_ == "prep" and c.lower_ == "despite":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None and pobj.lemma_.lower() in self.lex.cue("pressure_nouns"):
                    found = self._resolve_phrase(pobj, ("by", "from", "of"))
                    if found:
                        return found
        return []

    def _object_owner_targets(self, trig: Trigger, sources: list[Actor]) -> list[Actor]:
        """ "turned down a Chinese proposal", "welcomed Germany's statement", "opposed to Qatari mediation",
        "suspended an aid programme for Bosnia", "threatened to ban opposition candidates": the actor inside
        the object phrase (or the object of the act the trigger names) is the target."""
        head = trig.head
        obj = trig.object_token
        if obj is not None and obj.pos_ in ("VERB", "AUX") and obj.dep_ == "xcomp":
            # "threatened to ban X": the banned are the target
            inner = next((c for c in obj.children if c.dep_ == "dobj"), None)
            if inner is not None:
                found = [a for a in self.actors.resolve(inner) if not any(self._same(a, s) for s in sources)]
                if found:
                    return found
        if obj is None:
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
        if obj is None:
            # "opposed to Qatari mediation"; "declined to answer Chile's request"
            verbs = [head] + [c for c in head.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
            prep = next((c for v in verbs for c in v.children if c.dep_ == "prep" and c.lower_ in ("to", "against")),
                        None)
            obj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
        if obj is None or obj.pos_ not in ("NOUN", "PROPN"):
            return []
        if obj.lemma_.lower() in PARTITIVES or obj.lemma_.lower() in self.lex.cue("measure_nouns"):
            # "suspended part of an aid programme for Bosnia": what the part is of
            prep = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            obj = next((g for g in prep.children if g.dep_ == "pobj"), obj) if prep is not None else obj
        return [a for a in self._resolve_phrase(obj, ("by", "from", "for", "between", "among", "to"))
                if not any(self._same(a, s) for s in sources)
                and a.resolved_by not in ("agent", "coref")]  # the object's owner, not the object

    def _own_country_targets(self, sources: list[Actor]) -> list[Actor]:
        """ "ended the nightly curfew" (no place named): a government's measure falls on its country."""
        for s_ in sources:
            ent = self.actors.kb.countries.get(s_.country) if s_.country and s_.sector == "GOV" else None
            if ent is not None:
                return [Actor(ent.name, s_.country, s_.country, None, "state", ent.name, None, "location")]
        return []

    def _resolve_phrase(self, tok: Token, preps: tuple[str, ...]) -> list[Actor]:
        """Actors a phrase denotes, else those of its prepositional complements ("links with Serbia",
        "calls by Belarus's rulers", "the servers of a Dutch ministry")."""
        found = self.actors.resolve(tok)
        if found or tok.lemma_.lower() in self.lex.cue("place_nouns"):
            return found
        for c in tok.children:
            if c.dep_ in ("prep", "agent") and c.lower_ in preps:
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    found = self.actors.resolve(pobj)
                    if found:
                        return found
        return []

    def _prep_targets(self, trig: Trigger, sources: list[Actor]) -> list[Actor]:
        """Force and coercion aimed at someone: "seized weapons from X", "fired at X", "hacked into X's ..."."""
        heads = [trig.head] + ([trig.object_token] if trig.object_token is not None else [])
        for h in heads:
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in FORCE_PREPS:
                    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if pobj is None:
                        continue
                    got = [a for a in self._resolve_phrase(pobj, ("of",)) if not any(self._same(a, s) for s in sources)]
                    if got:
                        return got
        return []

    def _purpose_targets(self, head: Token, by_head: dict[int, Trigger]) -> list[Actor]:
        """ "fasted for a week to protest against X", "called up troops for an offensive against
        Iraq": the target of the act's stated purpose."""
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in self.lex.cue("purpose_preps"):
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None and pobj.i in by_head and by_head[pobj.i].is_noun:
                    found = [a for t in noun_targets(by_head[pobj.i]) for a in self.actors.resolve(t)]
                    if found:
                        return found
        for c in head.children:
            if c.dep_ != "advcl" or not to_infinitive(c):
                continue
            # "sent arms to help defend X", "opened the border to allow deliveries to X": through a helping verb
            for v in (c, *(x for x in c.children if x.dep_ in ("xcomp", "ccomp") and x.pos_ == "VERB")):
                found = ([a for t in verb_targets(by_head[v.i]) for a in self.actors.resolve(t)]
                         if v.i in by_head else [])
                obj = next((x for x in v.children if x.dep_ == "dobj"), None)
                if not found and obj is not None:
                    found = self._resolve_phrase(obj, ("to", "for"))
                if found:
                    return found
        return []

    def _grievance_targets(self, trig: Trigger) -> list[Actor]:
        """Whom a protest is against: the actor its grievance names or is by ("marched against the junta",
        "struck over a law passed by the senate", "in protest at abuses by the police", "rallied calling for
        the resignation of the president")."""
        preps, verbs = self.lex.cue("grievance_preps"), self.lex.cue("grievance_verbs")
        head = trig.head
        anchors = [head] + ([head.head] if trig.is_noun and head.dep_ in ("dobj", "pobj") else [])
        clauses = [c for a in anchors for c in a.children if c.dep_ in ("advcl", "acl", "relcl", "xcomp", "conj")
                   and c.pos_ == "VERB" and c.lemma_.lower() in verbs]
        # "rioted, joining demonstrators in demanding X": the demand of the protest joined
        clauses += [g for a in anchors for c in a.children if c.dep_ == "advcl" and c.lemma_.lower() == "join"
                    for p in c.children if p.dep_ == "prep" and p.lower_ == "in"
                    for g in p.children if g.dep_ == "pcomp" and g.lemma_.lower() in verbs]
        grievances: list[Token] = []
        for tok in anchors + clauses:
            for c in tok.children:
                if c.dep_ == "dobj" and tok in clauses:
                    grievances.append(c)
                if c.dep_ != "prep":
                    continue
                # ("following a rally": a participle the parser made a preposition keeps a direct object)
                pobj = next((g for g in c.children if g.dep_ == "pobj" or g.dep_ == "dobj" and c.pos_ == "VERB"), None)
                if pobj is None:
                    continue
                if c.lower_ in preps or (c.lower_ == "for" and tok in clauses):
                    grievances.append(pobj)
                elif pobj.lemma_.lower() in verbs or any(
                        e.cameo[:2] == PROTEST_ROOT for e in self.lex.nouns.get(pobj.lemma_.lower(), ())):
                    # "in protest against X", "during demonstrations against X"
                    grievances += [g for p in pobj.children if p.dep_ == "prep" and p.lower_ in preps
                                   for g in p.children if g.dep_ == "pobj"]
                    # "rioted after a rally calling for the removal of X": what that protest called for
                    for cl in (v for v in pobj.children if v.dep_ in ("acl", "relcl") and v.lemma_.lower() in verbs):
                        grievances += [g for g in cl.children if g.dep_ == "dobj"]
                        grievances += [g for p in cl.children if p.dep_ == "prep" and p.lower_ in preps | {"for"}
                                       for g in p.children if g.dep_ == "pobj"]
        for g in grievances:
            found = [a for a in self.actors.resolve(g) if a.resolved_by not in ("agent",) or a.sector in STATE_SECTORS]
            if not found and g.lemma_.lower() in self.lex.cue("leadership_change_nouns"):
                of = next((c for c in g.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                inner = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
                found = self.actors.resolve(inner) if inner is not None else []
            if not found:
                # "a vote on secession from Spain": whom the separation is from
                seps = self.lex.cue("separation_nouns")
                near = list(g.subtree) + (list(g.head.children) if g.lemma_.lower() in seps else [])
                frm = next((t for t in near if t.dep_ == "prep" and t.lower_ == "from" and (
                    t.head.lemma_.lower() in seps or t.head.i == g.head.i)), None)
                inner = next((c for c in frm.children if c.dep_ == "pobj"), None) if frm is not None else None
                found = self._resolve_phrase(inner, ()) if inner is not None else []
            if not found:
                # "a law passed by the senate", "abuses by the police"
                by = next((t for t in g.subtree if t.dep_ in ("agent", "prep") and t.lower_ == "by"), None)
                inner = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
                found = self.actors.resolve(inner) if inner is not None else []
            found = [a for a in found if a.code or a.sector]
            if found:
                return found
        return []

    @staticmethod
    def _inquiry_purpose(trig: Trigger, by_head: dict[int, Trigger]) -> str | None:
        """The investigation a sending or deployment is for ("dispatched investigators to probe X")."""
        if trig.is_noun or trig.entry.cameo[:2] not in SENDING_ROOTS:
            return None
        for c in trig.head.children:
            if (c.dep_ == "advcl" and c.i in by_head and by_head[c.i].entry.cameo[:2] == INVESTIGATE_ROOT
                    and to_infinitive(c)):
                return by_head[c.i].entry.cameo
        return None

    def _nested_partner(self, trig: Trigger, sources: list[Actor]) -> list[Actor]:
        """ "signed an accord to expand trade with Chile", "held talks on closer ties with Tokyo": the
        partner of a two-party act named with "with" inside its object phrase."""
        obj = trig.object_token
        if obj is None or obj.pos_ not in ("NOUN", "PROPN"):
            return []
        for tok in obj.subtree:
            if tok.dep_ == "prep" and tok.lower_ == "with" and tok.i != obj.i:
                pobj = next((g for g in tok.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                found = [a for a in self.actors.resolve(pobj) if not any(self._same(a, s) for s in sources)]
                if found:
                    return found
        return []

    def _condition_targets(self, head: Token) -> list[Actor]:
        """ "threatened an offensive unless Baghdad accepted": whoever the condition is put to."""
        marks = self.lex.cue("conditional_marks")
        embedded = [c for c in head.children if c.dep_ in ("xcomp", "ccomp")]
        for tok in (head, *embedded, head.head):
            for c in tok.children:
                if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children):
                    subj = verb_subject(c)
                    if subj is not None:
                        return self.actors.resolve(subj)
        return []

    def _location_targets(self, trig: Trigger, sources: list[Actor]) -> list[Actor]:
        """No target actor, but a place the act happens in: the place's country is the target
        ("fired at targets in Jericho" -> PSE; "demonstrated in Serbia" -> SRB)."""
        place = self.places.event_place(trig.head, trig.object_token)
        if place is None or place.country is None:
            return []
        ent = self.actors.kb.countries.get(place.country)
        if ent is None:
            return []
        return [Actor(place.name, place.country, place.country, None, "state", ent.name, None, "location")]

    def _clause_subject_targets(self, head: Token) -> list[Actor]:
        """ "insisted that Chile withdraw the bill": the subject of the demanded clause is the target."""
        clause_heads = [head] + ([head.head] if head.pos_ == "NOUN" and head.dep_ == "dobj" else []) + [
            c for c in head.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]  # "refused to allow X to land"
        for c in (c for h in clause_heads for c in h.children):
            # a verb's "that" clause, or a noun's ("its demand that Israel ease restrictions")
            if (c.dep_ == "ccomp" or (c.dep_ == "acl" and head.pos_ == "NOUN" and any(
                    m.dep_ == "mark" and m.lower_ == "that" for m in c.children))) and c.pos_ in ("VERB", "AUX"):
                subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None:
                    return self.actors.resolve(subj)
        return []

    def _noun_clause_subject_targets(self, trig: Trigger) -> list[Actor]:
        """ "insisted on its demand that the government resign": the subject of the demanded clause of the
        act's object noun."""
        objs = [trig.object_token] if trig.object_token is not None else [
            g for c in trig.head.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        for obj in objs:
            if obj.pos_ == "NOUN" and obj.lemma_.lower() in self.lex.cue("content_nouns"):
                return self._clause_subject_targets(obj)
        return []

    def _embedded_targets(self, trig: Trigger, by_head: dict[int, Trigger]) -> list[Actor]:
        """ "threatened to impose sanctions on X": the target of the embedded action."""
        for other in by_head.values():
            if other is not trig and self._governing_trigger(other, by_head) is trig:
                toks = noun_targets(other) if other.is_noun else verb_targets(other)
                found = [a for t in toks for a in self.actors.resolve(t)]
                if found:
                    return found
        return []

    def _is_refusal(self, head: Token, cue: str | None) -> bool:
        """Negated by "fail to", "refuse to", "decline to", or by "will not" / "would not"."""
        if cue and cue.lower() in self.lex.cue("negating_governors") | {"failed", "refused", "declined", "fails",
                                                                         "refuses", "declines", "failing", "refusing"}:
            return True
        return any(c.dep_ == "aux" and c.lower_ in self.lex.cue("intent_aux") for c in head.children) and any(
            c.dep_ == "neg" for c in head.children)

    def _stated_intent(self, head: Token, cue: str | None) -> bool:
        """An actor announcing its own hostile act: "would blockade", "will withdraw", "vowed to fight"."""
        if cue and cue.lower() in self.lex.cue("intent_aux"):
            return True
        marks = self.lex.cue("conditional_marks")
        if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children)
               for c in head.children):
            return True  # "may halt its mediation if ...": a hostile act made conditional is a threat
        tok = head
        for _ in range(2):
            if tok.dep_ not in ("xcomp", "ccomp") or tok.head.i == tok.i:
                return False
            tok = tok.head
            if tok.lemma_.lower() in self.lex.cue("commissive_governors"):
                return True
        return False

    def _intent_adjective(self, head: Token) -> Token | None:
        tok = head
        for _ in range(2):
            if tok.dep_ != "xcomp":
                return None
            tok = tok.head
            if tok.lemma_.lower() in self.lex.cue("intent_adjectives") and tok.pos_ == "ADJ":
                return tok
        return None

    def _place_target(self, trig: Trigger) -> list[Actor]:
        """ "massed troops near its border with Ukraine": the country whose place the action is aimed at."""
        heads = [trig.head] + ([trig.object_token] if trig.object_token is not None else [])
        for h in heads:
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in PLACE_PREPS:
                    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if pobj is not None and pobj.lemma_.lower() in self.lex.cue("place_nouns"):
                        found = self._place_owner(pobj)
                        if found:
                            return found
        return []

    def _place_owner(self, place: Token) -> list[Actor]:
        """ "its border with Ukraine" -> Ukraine: the country a place noun belongs to."""
        for c in place.children:
            if c.dep_ == "prep" and c.lower_ in ("with", "of"):
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return self.actors.resolve(pobj)
        for c in place.children:
            if c.dep_ in ("amod", "compound") and c.i in self.actors.mentions:
                return self.actors.resolve(c)
        return []

    def _conditional_threats(self, sent: Span, by_head: dict[int, Trigger]) -> list[Candidate]:
        """ "X would retaliate / take measures if Y ...": a conditional threat against Y (CAMEO 13)."""
        out = []
        marks = self.lex.cue("conditional_marks")
        if not any(t.lower_ in marks for t in sent):
            return out
        verbs = self.lex.cue("response_verbs")
        nouns = self.lex.cue("response_nouns")
        modal = self.lex.cue("hypothetical_aux") | self.lex.cue("future_aux")
        for tok in sent:
            if tok.pos_ != "VERB" or tok.i in by_head:
                continue
            cond = next((c for c in tok.children if c.dep_ == "advcl"
                         and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children)), None)
            if cond is None or not any(a.dep_ == "aux" and a.lower_ in modal for a in tok.children):
                continue
            lemma = tok.lemma_.lower()
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if not (lemma in verbs and (lemma != "take" or (obj is not None and obj.lemma_.lower() in nouns))):
                continue
            entry = Entry("VERB", lemma, "130", "", frozenset(), ("none",), frozenset(), "rule:conditional-threat")
            trig = Trigger(tok, entry, "conditional-threat", {obj.i} if obj is not None else set(), obj)
            src = verb_subject(tok)
            cond_subj = verb_subject(cond)
            sources = self.actors.resolve(src) if src is not None else []
            targets = self.actors.resolve(cond_subj) if cond_subj is not None else []
            out.append(Candidate(trig, "130", "conditional-threat", "hypothetical", "if", sources, targets,
                                 self._attribution(tok)))
        return out

    def _deontic_requests(self, sent: Span, by_head: dict[int, Trigger]) -> list[Candidate]:
        """ "X said (that) Y must/should do Z": X demands (CAMEO 10) or asks (02) it of Y."""
        out = []
        must, should = self.lex.cue("deontic_must"), self.lex.cue("deontic_should")
        if not any(t.lower_ in must or t.lower_ in should for t in sent):
            return out
        speech = self.lex.cue("assertion_verbs") | self.speech
        messages = self.lex.cue("message_nouns")
        for tok in sent:
            if tok.i in by_head:
                continue
            if tok.pos_ == "VERB" and tok.lemma_.lower() in speech:
                clauses, said_by = [c for c in tok.children if c.dep_ == "ccomp"], tok
            elif tok.pos_ == "NOUN" and tok.lemma_.lower() in messages and tok.dep_ == "dobj":
                # "sent a note to Chile that it should ...": a message sent, and what it says
                clauses = [c for c in tok.children if c.dep_ in ("acl", "ccomp") and c.pos_ in ("VERB", "AUX")
                           and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
                said_by = tok.head
            else:
                continue
            for clause in clauses:
                aux = next((a for a in clause.children if a.dep_ == "aux" and a.lower_ in must | should), None)
                if aux is None or (aux.lower_ in ("have", "has", "need", "needs") and not to_infinitive(clause)):
                    continue
                if any(c.dep_ == "neg" for c in clause.children):
                    continue
                speaker, addressee = verb_subject(said_by), next(
                    (c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if addressee is not None and addressee.pos_ == "PRON":
                    # "told Chile that it should ...", "a note to Chile that it should ...": whom it was said to
                    to = next((g for c in (*said_by.children, *tok.children) if c.dep_ in ("dative", "prep")
                               and c.lower_ == "to" for g in c.children if g.dep_ == "pobj"), None)
                    addressee = to or addressee
                if speaker is None or addressee is None:
                    continue
                sources, targets = self.actors.resolve(speaker), self.actors.resolve(addressee)
                if not sources or not targets:
                    continue
                code = "100" if aux.lower_ in must else "020"
                embedded = by_head.get(clause.i)
                if embedded is not None:
                    code = refine(code[:2], embedded.entry.cameo) or code
                entry = Entry("VERB", clause.lemma_.lower(), code, "", frozenset(), ("none",), frozenset(),
                              "rule:deontic-request")
                trig = Trigger(aux, entry, "deontic-request", {clause.i})
                # the demanded act is the request's content (its trigger is consumed), not a second event
                out.append(Candidate(trig, code, "deontic-request", "asserted", None, sources, targets,
                                     self._attribution(clause)))
        return out

    def _reporting_frame(self, head: Token) -> set[int]:
        """The tokens of the speech clause that reports an act ("..., officials in Nairobi said"), without the
        reported clause itself."""
        tok = head
        for _ in range(GOVERN_HOPS + 2):
            if tok.head.i == tok.i:
                break
            rel, clause = tok.dep_, tok
            tok = tok.head
            if tok.lemma_.lower() in self.speech and rel in ("ccomp", "parataxis", "conj", "advcl"):
                reported = {t.i for t in clause.subtree}
                return {t.i for t in tok.subtree if t.i not in reported}
        return set()

    def _attribution(self, head: Token) -> dict | None:
        tok = head
        for _ in range(GOVERN_HOPS + 2):
            if tok.head.i == tok.i:
                break
            rel = tok.dep_
            tok = tok.head
            if tok.lemma_.lower() in self.speech and rel in ("ccomp", "xcomp", "conj", "parataxis", "advcl"):
                if rel == "xcomp" and any(c.dep_ == "auxpass" for c in tok.children):
                    return None  # "X is said to have ...": hearsay with no named speaker
                subj = verb_subject(tok)
                speakers = self.actors.resolve(subj) if subj is not None else []
                return {
                    "speaker": speakers[0].to_dict() if speakers else None,
                    "speaker_text": subj.text if subj is not None else None,
                    "verb": tok.text,
                    "relayed_by": None,
                    "quote": None,
                }
        return None

    # -- events ---------------------------------------------------------------------------------
    def _events(self, cands: list[Candidate], sent: Span, index: int, sent_start: int) -> list[Event]:
        events: list[Event] = []
        seen: set[tuple] = set()
        for c in cands:
            pairs = self._pairs(c)
            for src, tgt, reciprocal in pairs:
                if src is None and tgt is None and not self._has_casualties(c.trig.head):
                    continue  # an event with no actor and no toll cannot be aggregated or checked
                key = (c.cameo, src.key if src else None, tgt.key if tgt else None, c.modality)
                if key in seen:
                    continue
                seen.add(key)
                events.append(self._event(c, src, tgt, reciprocal, sent, index, sent_start))
        return events

    def _has_casualties(self, head: Token) -> bool:
        """ "the conflict has claimed 14,000 lives": a toll makes an event worth keeping without actors."""
        from ..context.annotate import quantities_for

        return any(q["kind"] in ("killed", "injured") for q in quantities_for(head, head.sent))

    @staticmethod
    def _same(a: Actor | None, b: Actor | None) -> bool:
        """One actor twice: same code and name, or a country and its own government ("Russia", "the Kremlin")."""
        if a is None or b is None:
            return False
        if a.code == b.code and a.name == b.name:
            return True
        if a.country is None or a.country != b.country:
            return False
        if (a.sector or "GOV") != "GOV" or (b.sector or "GOV") != "GOV":
            return False
        if a.kind == "person" and b.kind == "person":
            return False  # two people of one government are two actors
        return a.kind in ("state", "person") and b.kind in ("state", "person")

    def _pairs(self, c: Candidate) -> list[tuple[Actor | None, Actor | None, bool]]:
        sym = "sym" in c.trig.entry.flags
        sources = c.sources or [None]
        # a government acting in its own country targets that country ("imposed a curfew in Chad")
        targets = [t for t in c.targets if not any(
            t.code == s.code if t.resolved_by == "location" else self._same(t, s) for s in c.sources)] or [None]
        out = []
        if sym and targets == [None] and len(c.sources) >= 2:
            for a in c.sources:
                for b in c.sources:
                    if a is not b and not self._same(a, b):
                        out.append((a, b, a is not c.sources[0]))
            return out
        for s in sources:
            for t in targets:
                out.append((s, t, False))
                if sym and s is not None and t is not None:
                    out.append((t, s, True))
        return out

    def _main_clause(self, head: Token) -> bool:
        """Is the trigger the sentence's own assertion (its root, a coordinated verb, or what a speaker
        said), rather than a subordinate, relative or adverbial clause?"""
        tok = head
        if tok.pos_ == "NOUN":  # a nominal event counts when it is the object or subject of a main verb
            if tok.dep_ not in ("dobj", "nsubj", "nsubjpass", "attr", "ROOT"):
                return False
            tok = tok.head
        for _ in range(MAX_CLAUSE_HOPS):
            if tok.dep_ == "ROOT":
                return True
            if tok.dep_ == "conj":
                tok = tok.head
                continue
            if tok.dep_ in ("ccomp", "xcomp", "parataxis") and (tok.head.lemma_.lower() in self.speech
                                                               or tok.head.dep_ == "ROOT" and tok.dep_ == "xcomp"):
                tok = tok.head
                continue
            return False
        return False

    def _confidence(self, c: Candidate, src: Actor | None, tgt: Actor | None) -> float:
        """A score that ranks events by how likely their type and actors are right. Weights were set once on
        the dev sets' overall figures (see README, "Confidence"); each term is a general property of the
        evidence: who is named, how specific the trigger is, where it sits in the sentence, its modality."""
        flags = c.trig.entry.flags
        score = 0.45
        if src is not None and src.code:
            score += {"coref": 0.14, "agent": 0.08, "location": 0.05}.get(src.resolved_by or "", 0.2)
        elif src is not None:
            score += 0.05
        if tgt is not None and tgt.code:
            score += 0.05 if tgt.resolved_by == "location" else 0.1
        elif "none" in c.trig.entry.targets:
            score += 0.08
        if not c.trig.is_noun:
            score += 0.05
        if c.trig.entry.specificity:
            score += 0.05
        if "weak" in flags:
            score -= 0.2
        score += 0.1 if self._main_clause(c.trig.head) else -0.1
        score -= {"hypothetical": 0.15, "future": 0.03, "negated": 0.05}.get(c.modality, 0.0)
        if c.rule in ("conditional-threat", "deontic-request"):
            score += 0.1
        return max(0.05, min(0.97, score))

    def _event(self, c: Candidate, src: Actor | None, tgt: Actor | None, reciprocal: bool,
               sent: Span, index: int, sent_start: int) -> Event:
        info = self.onto.lookup(c.cameo)
        text = sent.text
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        sent_start += lead
        trig_start = c.trig.head.idx - sent.start_char - lead
        ev = Event(
            doc_id=self.doc_id,
            sentence=text,
            sentence_index=index,
            trigger=c.trig.text(),
            rule=c.rule + ("+reciprocal" if reciprocal else ""),
            lexicon_entry=c.trig.entry.where or c.trig.entry.label,
            cameo=c.cameo,
            cameo_name=info.name,
            cameo_root=info.root,
            plover=info.plover,
            quad_class=info.quad_class,
            goldstein=info.goldstein,
            mode=info.plover_mode,
            context=info.plover_context,
            source=src,
            target=tgt,
            modality=c.modality,
            modality_cue=c.cue,
            confidence=self._confidence(c, src, tgt),
            coder_version=self.version,
            trigger_start=trig_start,
            trigger_end=trig_start + len(c.trig.head.text),
            sentence_start=sent_start,
            attribution=c.attribution,
            head_index=c.trig.head.i,
        )
        ev.event_id = ev.compute_id()
        return ev

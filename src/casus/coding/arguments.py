"""Who did it and to whom: the source and target argument heads of a trigger, from the dependency parse.

Sources: the subject, a passive's "by" agent, the subject carried through control, raising and
coordination ("is said to have urged", "met and agreed"), the noun a relative clause or participle
modifies, and for nouns their possessor, adjective or "by" phrase, or the subject of a light verb.
Targets: the lexicon entry's slots in order (direct object, dative, prepositional objects), a
passive's subject, and for nouns their prepositional arguments.
"""
from __future__ import annotations

from spacy.tokens import Token

from .triggers import Trigger, to_infinitive

SUBJ = ("nsubj", "csubj")
OBJECT_CONTROL = {"urge", "ask", "call", "force", "persuade", "press", "pressure", "order", "tell", "allow",
                  "invite", "encourage", "help", "push", "compel", "instruct", "request", "appeal", "want"}
# Participles that describe their subject's stance, not something done to it: "Israel is opposed to ..."
STATIVE_PARTICIPLES = {"committed", "opposed", "determined", "prepared", "resolved", "dedicated", "involved",
                       "engaged", "pledged", "poised", "inclined", "disposed", "intent"}
MAX_CLIMB = 6  # control/raising/coordination chains are short; this bounds pathological parses


def _child(tok: Token, *deps: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ == "acl"
    )


def _participle_subject(subj: Token) -> Token:
    """ "The agency working in the camps said ...": the parser makes the participle the subject and the
    noun its subject; the noun is who speaks. (A gerund subject, "Shelling towns is a crime", has no
    subject of its own and is kept.)"""
    if subj.pos_ == "VERB" and subj.tag_ in ("VBG", "VBN"):
        inner = _child(subj, "nsubj")
        if inner is not None and inner.pos_ in ("NOUN", "PROPN") and inner.i < subj.i:
            return inner
    return subj


def agent_of(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by" and is_passive(verb)):
            return _child(c, "pobj")
    return None


def verb_subject(verb: Token) -> Token | None:
    """The (logical) subject of a verb, climbing through control, raising and coordination."""
    tok = verb
    for _ in range(MAX_CLIMB):
        if is_passive(tok) and tok.lower_ not in STATIVE_PARTICIPLES:
            agent = agent_of(tok)
            if agent is not None:
                return agent
            if tok is verb:
                # a passive's grammatical subject is its target; with no "by" agent there is no source
                return None
            raised = _child(tok, "nsubjpass")
            if raised is not None:
                return raised  # raising: "X is said to have urged" -> X urged
        subj = _child(tok, *SUBJ) or (_child(tok, "nsubjpass") if tok.lower_ in STATIVE_PARTICIPLES else None)
        if subj is not None and subj.dep_ != "expl":
            return _participle_subject(subj)
        head = tok.head
        if head.i == tok.i:
            return None
        if tok.dep_ == "xcomp":
            if head.lemma_.lower() in OBJECT_CONTROL:
                obj = _child(head, "dobj")
                if obj is not None:
                    return obj
                prep_on = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "on"), None)
                if prep_on is not None and _child(prep_on, "pobj") is not None:
                    return _child(prep_on, "pobj")
            tok = head
            continue
        if tok.dep_ == "conj" or (tok.dep_ == "xcomp" and head.dep_ == "acomp"):
            tok = head
            continue
        if tok.dep_ == "acomp":  # "X is willing to withdraw": the adjective's subject is the copula's
            tok = head
            continue
        if tok.dep_ == "relcl" and not is_passive(tok):
            return head
        if tok.dep_ == "advcl" and to_infinitive(tok):
            tok = head  # purpose infinitive: "sent troops to Belarus to conduct an exercise"
            continue
        if tok.dep_ in ("acl", "advcl") and tok.tag_ == "VBG":
            return head if tok.dep_ == "acl" else verb_subject(head)
        if misparsed_main_clause(tok):
            return head
        if tok.dep_ in ("pcomp",) and head.dep_ == "prep":
            tok = head.head
            continue
        return None
    return None


def _object_phrase(obj: Token | None) -> list[Token]:
    """The object and the noun of its "of" complement ("a team of experts to Peru")."""
    if obj is None:
        return []
    of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    inner = _child(of, "pobj") if of is not None else None
    return [obj] + ([inner] if inner is not None else [])


def misparsed_main_clause(verb: Token) -> bool:
    """ "The rebels handed over their weapons ...": a sentence the parser rooted on its subject noun, with
    the finite verb as a reduced relative clause. A participle modifying a noun cannot also take a direct
    object, so an acl with one after a verbless root is the main verb."""
    head = verb.head
    if verb.dep_ != "acl" or head.pos_ not in ("NOUN", "PROPN") or head.i >= verb.i:
        return False
    if head.i == verb.i - 1 and head.dep_ in ("ROOT", "nsubj", "dep") and (
            (verb.tag_ == "VBD" and not is_passive(verb)) or (verb.tag_ == "VBN" and any(
                c.dep_ == "prep" and c.lower_ == "to" and any(g.dep_ == "pcomp" and g.tag_ == "VBG" for g in c.children)
                for c in verb.children))):
        # "Palestinian youths resorted to ..., officials said": a finite past verb right after its noun is no
        # participle (a reduced relative takes the past participle; one tagged so but going on "to doing"
        # something, on a noun that has no verb of its own, is the finite verb too)
        return True
    return verb.tag_ in ("VBD", "VBN") and head.dep_ == "ROOT" and _child(verb, "dobj") is not None


def appositive_participle(verb: Token) -> bool:
    """ "Twelve sailors, held captive for 50 days, have been freed": the parser roots the sentence on the
    participle between commas and makes the finite verb its conjunct. The participle is background; its
    conjunct, which has an auxiliary but no subject, is the main verb."""
    if verb.dep_ != "ROOT" or verb.tag_ not in ("VBN", "VBD") or verb.i == 0 or verb.doc[verb.i - 1].text != ",":
        return False
    if not any(c.dep_ == "nsubj" and c.i < verb.i for c in verb.children):
        return False
    for c in verb.children:
        if c.dep_ != "conj" or not any(g.dep_ in ("aux", "auxpass") for g in c.children) or any(
                g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
            continue
        between = [t for t in verb.children if verb.i < t.i < c.i]
        # closed by a comma, not joined by "and" ("X, resigned and was sent to ..." is two main verbs)
        if any(t.text == "," for t in between) and not any(t.dep_ == "cc" for t in between):
            return True
    return False


def verb_targets(trig: Trigger) -> list[Token]:
    """Target heads of a verb trigger, by the entry's slots."""
    verb = trig.head
    slots = trig.entry.targets
    if "none" in slots:
        return []
    out: list[Token] = []
    if is_passive(verb) and verb.dep_ != "acl" and verb.lower_ not in STATIVE_PARTICIPLES:
        pas = _child(verb, "nsubjpass")
        if pas is None and verb.dep_ == "conj" and appositive_participle(verb.head):
            pas = _child(verb.head, "nsubj")  # "sailors, held ..., have been freed": the sailors were freed
        if pas is not None and pas.i not in trig.consumed:
            return [pas]
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and not misparsed_main_clause(verb):
        return [verb.head]  # "sanctions imposed on X": the head noun is the patient only for non-objects
    obj = trig.object_token
    if obj is not None and obj.dep_ == "pobj" and obj.head.lower_ == "with" and obj.head.head.i == verb.i:
        # "provided Kenya with grants", "threatened Iran with sanctions": what is given or threatened comes
        # with "with", and the direct object is who receives it
        dobj = _child(verb, "dobj")
        if dobj is not None and dobj.i not in trig.consumed:
            return [dobj]
    for slot in slots:
        if slot == "dobj":
            dobj = _child(verb, "dobj")
            if dobj is not None and dobj.i not in trig.consumed:
                out.append(dobj)
        elif slot == "dative":
            dat = _child(verb, "dative", "iobj")
            if dat is not None and dat.dep_ != "prep":
                out.append(dat)
        else:
            words = slot.split()
            for c in verb.children:
                if c.dep_ in ("prep", "dative", "prt", "agent") and c.lower_ == words[0]:
                    pobj = _child(c, "pobj")
                    if pobj is not None:
                        out.append(pobj)
            for holder in _object_phrase(trig.object_token):
                for c in holder.children:
                    if c.dep_ == "prep" and c.lower_ == words[0]:
                        pobj = _child(c, "pobj")
                        if pobj is not None:
                            out.append(pobj)
        if out:
            return out
    return out


def frame_head(noun: Token, frames: frozenset[str]) -> Token:
    """The noun whose arguments a nominal trigger takes: itself, or the frame noun it modifies
    ("a mediation effort between X and Y", "Qatar's relief operation")."""
    if noun.dep_ in ("compound", "amod", "nmod") and noun.head.pos_ == "NOUN" and noun.head.lemma_.lower() in frames:
        return noun.head
    prep = noun.head
    if (noun.dep_ == "pobj" and prep.lower_ == "in" and prep.head.pos_ == "NOUN"
            and prep.head.lemma_.lower() in frames):
        return prep.head  # "unveiled a sharp increase in funding"
    return noun


def amount_head(noun: Token, units: frozenset[str] = frozenset()) -> Token | None:
    """ "paid 200 million euros in aid", "announced $30 million in assistance": the amount whose "in" phrase
    names what it is; the amount's verb carries the event's arguments."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ != "in":
        return None
    amt = prep.head
    if amt.pos_ in ("VERB", "AUX"):  # the parser may attach "in aid" to the verb: take its amount object
        amt = _child(amt, "dobj") or amt
    if amt.pos_ in ("NUM", "SYM") or (amt.lemma_.lower() in units and any(c.dep_ == "nummod" for c in amt.children)):
        return amt  # a sum or a quantity of goods, not "killed 12 soldiers in an attack"
    return None


def _amount_verb(amt: Token) -> Token | None:
    if amt.dep_ in ("dobj", "nsubjpass", "attr") and amt.head.pos_ in ("VERB", "AUX"):
        return amt.head
    if amt.dep_ == "pobj" and amt.head.dep_ == "prep" and amt.head.head.pos_ == "VERB":
        return amt.head.head  # "provided Egypt with $50 million in aid"
    return None


def noun_source(trig: Trigger, light_verbs: frozenset[str], agent_nouns: frozenset[str] | set[str] = frozenset(),
                frames: frozenset[str] = frozenset(), units: frozenset[str] = frozenset(),
                joining: frozenset[str] = frozenset()) -> Token | None:
    """The agent of a nominal event: possessor, "by" phrase, an "of" phrase when "of" is not the target's
    slot ("the build-up of troops"), an actor modifier ("Russian invasion"), the subject of a copula
    ("they are a threat") or of a light verb ("launched an attack", "served as mediators"); for a modifier
    of a frame noun ("a mediation effort"), the frame noun's."""
    noun = frame_head(trig.head, frames)
    amt = amount_head(noun, units)
    if amt is not None and _amount_verb(amt) is not None:
        return verb_subject(_amount_verb(amt))
    for c in noun.children:
        if c.dep_ == "poss":
            return c
    for c in noun.children:
        if c.dep_ in ("prep", "agent") and c.lower_ == "by":
            return _child(c, "pobj")
    if "of" not in trig.entry.targets:
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                pobj = _child(c, "pobj")
                if pobj is not None and pobj.lemma_.lower() in agent_nouns:
                    return pobj  # "the build-up of Russian soldiers": troops, forces... are the agent
    for c in noun.children:
        if c.dep_ in ("amod", "compound", "nmod") and (c.ent_type_ in ("NORP", "GPE", "ORG", "PERSON") or c.pos_ == "PROPN"):
            return c
    head = noun.head
    if noun.dep_ == "attr" and head.lemma_ == "be":
        return _child(head, "nsubj")
    if noun.dep_ == "dobj" and head.pos_ == "VERB" and head.lemma_.lower() in light_verbs:
        return verb_subject(head)
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ == "VERB" and (
        head.head.lemma_.lower() in light_verbs or head.lower_ == "as"
    ):
        return verb_subject(head.head)
    if noun.dep_ == "pobj" and head.lower_ == "in" and head.head.pos_ == "VERB" and head.head.lemma_.lower() in joining:
        return verb_subject(head.head)  # "took part in", "participated in a hunger strike"
    if noun.dep_ == "pobj" and head.lower_ == "as" and head.head.dep_ == "dobj" and head.head.head.pos_ == "VERB":
        return verb_subject(head.head.head)  # "hold families as human shields" (the "as" phrase on the object)
    return None


def noun_targets(trig: Trigger, frames: frozenset[str] = frozenset(), units: frozenset[str] = frozenset()) -> list[Token]:
    noun = frame_head(trig.head, frames)
    if "none" in trig.entry.targets:
        return []
    heads = [noun]
    amt = amount_head(noun, units)
    if amt is not None:
        heads += [amt] + ([_amount_verb(amt)] if _amount_verb(amt) is not None else [])
    for slot in trig.entry.targets:
        for h in heads:
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ == slot:
                    pobj = _child(c, "pobj")
                    if pobj is not None:
                        return [pobj]
            if slot in ("to", "for") and h.pos_ == "VERB" and _child(h, "dative") is not None:
                dat = _child(h, "dative")
                if dat.dep_ == "dative" and dat.pos_ != "ADP":
                    return [dat]
    return []

"""Modality of an event: ``asserted``, ``negated``, ``hypothetical`` or ``future``, with the cue that decided it.

Precedence: negated > hypothetical > future > asserted. The trigger's own clause is read first
(negation, modal and future auxiliaries, a conditional clause it heads or sits in), then the chain of
governors that embed it ("failed to", "plans to", "the threat of", "in the event of").
"""
from __future__ import annotations

from spacy.tokens import Token

from .lexicon import Lexicon
from .triggers import to_infinitive

EMBED_DEPS = {"xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj", "acl", "advcl", "nsubj", "nsubjpass", "attr",
              "conj", "appos", "compound", "relcl", "amod", "oprd"}
GOVERNOR_HOPS = 4  # how far up the tree an embedding cue may sit ("said it was planning to launch an attack")


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _reported_without_condition(tok: Token, lex: Lexicon) -> bool:
    marks = lex.cue("conditional_marks")
    has_condition = any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children)
                        for c in tok.children)
    return (not has_condition and tok.dep_ in ("ccomp", "conj")
            and tok.head.lemma_.lower() in lex.cue("speech_verbs") | lex.cue("assertion_verbs"))


def _clause_cue(tok: Token, lex: Lexicon) -> tuple[str, str] | None:
    """Modality cues attached to one verb or noun of the chain."""
    negators = lex.cue("negators")
    hyp_aux = lex.cue("hypothetical_aux")
    fut_aux = lex.cue("future_aux")
    marks = lex.cue("conditional_marks")
    for c in tok.children:
        if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") or (c.dep_ == "advmod" and c.lower_ == "never"):
            return "negated", c.text
    for c in tok.children:
        if c.dep_ in ("aux", "auxpass") and c.lower_ in hyp_aux:
            if c.lower_ in ("would", "'d") and _reported_without_condition(tok, lex):
                return "future", c.text  # "said it would allow access": future in the past, not a condition
            return "hypothetical", c.text
    if tok.dep_ == "acl" and to_infinitive(tok):
        return "hypothetical", "to"  # "systems to carry out an attack": a capacity, not an act
    if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ in lex.cue("purpose_preps"):
        return "hypothetical", tok.head.text  # "enough troops for an invasion"
    if tok.lemma_ == "be":
        # "The fear is that ...", "the risk is that ..."
        frames = lex.cue("hypothetical_frames") | lex.cue("hypothetical_governors")
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.lemma_.lower() in frames:
            return "hypothetical", subj.text
    # a conditional clause: the trigger heads "if ..." or governs one
    if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in marks for c in tok.children):
        return "hypothetical", next(c.text for c in tok.children if c.dep_ == "mark")
    for c in tok.children:
        if c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in marks for g in c.children):
            if any(a.dep_ == "aux" and a.lower_ in hyp_aux | fut_aux for a in tok.children):
                return "hypothetical", "if"
    for c in tok.children:
        if c.dep_ in ("aux", "auxpass") and (c.lower_ in fut_aux or _lemma(c) in fut_aux):
            return "future", c.text
        if c.dep_ == "aux" and c.lower_ == "going":
            return "future", "going to"
        if c.dep_ == "npadvmod" and c.lower_ in ("tomorrow",):
            return "future", c.text
        if c.dep_ in ("npadvmod", "prep") and any(g.lower_ in ("next", "upcoming", "coming") for g in c.subtree):
            return "future", "next"
    return None


def modality_of(trigger: Token, lex: Lexicon, governed_by_trigger: bool = False) -> tuple[str, str | None]:
    """The event's modality and the word that decided it."""
    found: list[tuple[str, str]] = []
    cue = _clause_cue(trigger, lex)
    if cue:
        found.append(cue)
    neg_gov = lex.cue("negating_governors")
    hyp_gov = lex.cue("hypothetical_governors") | lex.cue("hypothetical_frames")
    fut_gov = lex.cue("future_governors")
    speech = lex.cue("speech_verbs")
    tok = trigger
    via_prep = False  # a noun inside a prepositional phrase does not share its verb's negation or tense
    for _ in range(GOVERNOR_HOPS):
        if tok.dep_ not in EMBED_DEPS or tok.head.i == tok.i:
            break
        rel = tok.dep_
        via_prep = via_prep or rel in ("pobj", "prep")
        tok = tok.head
        lem = _lemma(tok)
        if rel == "conj":
            # coordinated verbs share auxiliaries and negation: "did not meet or call"
            cue = _clause_cue(tok, lex)
            if cue and cue[0] != "negated":
                found.append(cue)
            continue
        if lem in speech and rel in ("ccomp", "xcomp"):
            # reported speech: the speaker's own tense does not change the reported event,
            # but a negated or conditional saying does ("did not say that ...")
            cue = _clause_cue(tok, lex)
            if cue and cue[0] == "hypothetical":
                found.append(cue)
            break
        if lem in neg_gov and rel in ("xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj"):
            found.append(("negated", tok.text))
            break
        if lem in hyp_gov and rel in ("xcomp", "ccomp", "pcomp", "pobj", "prep", "acl", "dobj", "advcl"):
            found.append(("hypothetical", tok.text))
        elif lem in fut_gov and rel in ("xcomp", "ccomp", "dobj", "pobj", "prep"):
            found.append(("future", tok.text))
        cue = _clause_cue(tok, lex)
        if cue and rel in ("xcomp", "ccomp", "advcl", "pcomp", "pobj", "prep", "dobj", "acl"):
            if not (via_prep and tok.pos_ in ("VERB", "AUX")):
                found.append(cue)
        if tok.pos_ in ("VERB", "AUX") and rel in ("ccomp", "advcl") and not governed_by_trigger:
            break
    for kind in ("negated", "hypothetical", "future"):
        for k, word in found:
            if k == kind:
                return kind, word
    return "asserted", None

"""Finding event triggers in a parsed sentence: verbs, verb+particle/object constructions and nouns.

Each :class:`Trigger` names its head token, the lexicon :class:`~casus.coding.lexicon.Entry` that fired,
and the tokens it consumed (a light verb's object noun is part of the verb's trigger, not a second event).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from .lexicon import NOT_AN_EVENT, Entry, Lexicon

PARTICLE_DEPS = {"prt", "prep", "advmod", "dative", "agent"}
# material acts an approving or ordering body carries out itself (not statements, appeals or opinions)
ENACTED_ROOTS = {"06", "07", "08", "15", "16", "17", "18", "19", "20"}
MILITARY_GIVING = {"072", "0873"}  # military aid; handing over weapons
DIRECT_DEPS = {"dobj", "nsubjpass", "attr", "oprd", "dative", "xcomp", "ccomp"}
OBJECT_PREPS = {"for", "of", "about", "on", "to", "with", "against", "over", "in", "into", "from", "under"}


@dataclass(slots=True)
class Trigger:
    head: Token
    entry: Entry
    rule: str  # verb, verb+particle, verb+object, noun, intent-adjective ...
    consumed: set[int] = field(default_factory=set)  # token indices that belong to this trigger
    object_token: Token | None = None  # the object that selected the entry (light verbs)

    @property
    def is_noun(self) -> bool:
        return self.entry.pos == "NOUN"

    def text(self) -> str:
        toks = sorted({self.head.i, *self.consumed})
        doc = self.head.doc
        if toks[-1] - toks[0] <= 4:
            return doc[toks[0]: toks[-1] + 1].text
        return " ".join(doc[i].text for i in toks)


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


ACCUSE_CODE = "112"
# words that open a relative clause ("what" opens a free relative, which is an object: "moved what appears ...")
RELATIVE_WORDS = {"where", "when", "which", "who", "whom", "whose"}


def to_infinitive(verb: Token) -> bool:
    """A verb with infinitival "to" ("to protest", "to help")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def object_candidates(verb: Token, measures: frozenset[str] = frozenset()) -> list[Token]:
    """Nouns and verbs that can select a verb's sense: direct object, passive subject, prepositional
    objects, an infinitival complement, and their conjuncts."""
    out: list[Token] = []
    for c in verb.children:
        if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "dative"):
            out.append(c)
        elif c.dep_ in ("prep", "agent") and c.lower_ in OBJECT_PREPS:
            out += [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
        elif c.dep_ in ("xcomp", "ccomp") and c.pos_ == "ADJ":
            out.append(c)  # "found the minister guilty": a small clause whose predicate is an adjective
        elif c.dep_ in ("xcomp", "ccomp") and c.pos_ == "NOUN":
            out.append(c)  # "allow agencies access": a small clause whose predicate is a noun
        elif c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX"):
            if c.dep_ == "ccomp" and any(g.lower_ in RELATIVE_WORDS and g.i < c.i for g in c.children):
                continue  # "..., where 100 people were killed": a relative clause the parser hung on the verb
            out.append(c)
            if any(g.dep_ == "nsubj" and g.lower_ == "what" for g in c.children):
                # "moved what appears to be a force": the free relative's predicate noun is the object
                out += [a for a in c.subtree if a.dep_ == "attr"]
        elif c.dep_ == "prt":
            # "carry out raids": the object may hang from the particle in some parses
            out += [g for g in c.children if g.dep_ in ("dobj", "pobj")]
    out += [cj for o in list(out) for cj in o.conjuncts]
    # "provided 25,000 tons of food aid", "a package of sanctions": the noun after a measure word
    out += [g for o in list(out) if o.pos_ == "NUM" or o.lemma_.lower() in measures or any(
                c.dep_ == "nummod" for c in o.children)
            for c in o.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    return out


def _has_particle(verb: Token, particle: str) -> Token | None:
    words = particle.split()
    for c in verb.children:
        if c.dep_ in PARTICLE_DEPS and c.lower_ == words[0]:
            if c.dep_ == "prep" and any(g.ent_type_ in ("DATE", "TIME") for g in c.children):
                continue  # "called X on Tuesday" is no "call on"
            return c
    # "take part in": particle given as two words, the second hangs from the first object
    if verb.i + 1 < len(verb.doc) and verb.doc[verb.i + 1].lower_ == words[0]:
        return verb.doc[verb.i + 1]
    return None


def _noun_lemma(tok: Token) -> str:
    """The lemma of a noun, joining a hyphenated compound ("build-up" -> "buildup")."""
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_:
        return (doc[tok.i - 2].lower_ + tok.lemma_).lower()
    return _lemma(tok)


def match_verb(tok: Token, lex: Lexicon) -> Trigger | None:
    entries = lex.verbs.get(_lemma(tok))
    if not entries:
        return None
    objects = object_candidates(tok, lex.cue("measure_nouns"))
    if _lemma(tok) in lex.cue("commissive_governors"):
        # "have sworn to fight": the parser may take the promised act for an adverbial clause
        objects += [c for c in tok.children if c.dep_ == "advcl" and c.pos_ == "VERB"
                    and to_infinitive(c)]
    # a sense selected by the direct object beats one selected by a prepositional phrase
    # ("froze aid to Lima in protest at ...": aid, not protest)
    direct = [o for o in objects if o.dep_ in DIRECT_DEPS or (o.dep_ == "conj" and o.head.dep_ in DIRECT_DEPS)]
    found = None
    if direct and len(direct) < len(objects):
        found = _match_entries(tok, entries, direct, only_objects=True)
    found = found or _match_entries(tok, entries, objects)
    if found is not None and not found.entry.objects and _lemma(tok) in lex.cue("clausal_accusation_verbs") and any(
            c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")
            and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children) for c in tok.children):
        # "Belgrade charged that Croatian forces had shelled the town": a charge made in words is an accusation
        found.entry = replace(found.entry, cameo=ACCUSE_CODE, flags=found.entry.flags - {"weak"})
        found.rule += "+clause"
    if found is not None and found.entry.cameo in MILITARY_GIVING and found.object_token is not None and any(
            c.dep_ in ("amod", "compound") and c.lemma_.lower() in lex.cue("civilian_modifiers")
            for c in found.object_token.children):
        # "medical equipment" is not materiel: the next sense the object fits (humanitarian aid) holds
        civil = [e for e in entries if e.cameo not in MILITARY_GIVING]
        found = _match_entries(tok, civil, objects) or found
    return found


def _match_entries(tok: Token, entries: list[Entry], objects: list[Token], only_objects: bool = False) -> Trigger | None:
    infinitive = None
    for entry in entries:
        if only_objects and not entry.objects:
            continue
        if "no_infinitive" in entry.flags:
            if infinitive is None:
                infinitive = any(c.dep_ == "xcomp" and to_infinitive(c) for c in tok.children)
            if infinitive:
                continue
        consumed: set[int] = set()
        if entry.particle:
            part = _has_particle(tok, entry.particle)
            if part is None:
                continue
            consumed.add(part.i)
        obj_tok = None
        if entry.objects:
            obj_tok = next((o for o in objects if _noun_lemma(o) in entry.objects or o.lower_ in entry.objects
                            or any(c.dep_ == "compound" and c.lemma_.lower() in entry.objects for c in o.children)),
                           None)  # the object itself, or its compound modifier ("mediation efforts")
            if obj_tok is None:
                continue
            consumed.add(obj_tok.i)
        rule = "verb" + ("+particle" if entry.particle else "") + ("+object" if entry.objects else "")
        return Trigger(tok, entry, rule, consumed, obj_tok)
    return None


def _noun_modifiers(tok: Token) -> set[str]:
    mods = {_lemma(c) for c in tok.children if c.dep_ in ("compound", "amod", "nmod")}
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-":
        mods.add(doc[tok.i - 2].lower_)
    return mods


def match_noun(tok: Token, lex: Lexicon) -> Trigger | None:
    joined = _noun_lemma(tok)
    entries = lex.nouns.get(joined)
    hyphen: set[int] = {tok.i - 2, tok.i - 1} if entries and joined != _lemma(tok) else set()
    entries = entries or lex.nouns.get(_lemma(tok))
    if not entries:
        return None
    mods = None
    for entry in entries:
        consumed: set[int] = set(hyphen)
        if entry.objects:  # for nouns: required modifiers
            if mods is None:
                mods = _noun_modifiers(tok)
            hit = entry.objects & mods
            if not hit:
                continue
            consumed |= {c.i for c in tok.children if _lemma(c) in hit}
        return Trigger(tok, entry, "noun" + ("+modifier" if entry.objects else ""), consumed)
    return None


def _not_an_event(noun: Token, lex: Lexicon) -> bool:
    found = match_noun(noun, lex) if noun.pos_ in ("NOUN", "PROPN") else None
    return found is not None and bool(found.entry.objects) and found.entry.cameo == NOT_AN_EVENT


def find_triggers(sent: Span, lex: Lexicon) -> list[Trigger]:
    """All triggers of a sentence, verbs first; nouns consumed by a verb trigger are not repeated."""
    verbs: list[Trigger] = []
    nouns: list[Trigger] = []
    for tok in sent:
        if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT"):
            trig = match_verb(tok, lex)
            if trig is not None:
                verbs.append(trig)
        elif tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and not tok.ent_type_):
            trig = match_noun(tok, lex)
            if trig is not None:
                nouns.append(trig)
    consumed = {i for t in verbs for i in t.consumed}
    nouns = [n for n in nouns if n.head.i not in consumed and n.entry.cameo != NOT_AN_EVENT]
    # "carried out an evacuation exercise": a light verb whose object a modifier marks as no event is none
    verbs = [v for v in verbs if v.entry.cameo != NOT_AN_EVENT and not (
        v.object_token is not None and v.entry.lemma in lex.cue("light_verbs") and _not_an_event(v.object_token, lex))]
    for v in verbs:
        if v.object_token is not None and v.object_token.pos_ == "NOUN" and v.entry.lemma in lex.cue("light_verbs"):
            # "conducted a joint exercise": a noun entry more specific than the light verb's sense decides
            noun = match_noun(v.object_token, lex)
            if noun is not None and noun.entry.objects and noun.entry.cameo != NOT_AN_EVENT:
                v.entry = replace(v.entry, cameo=noun.entry.cameo, flags=v.entry.flags | (noun.entry.flags & {"sym"}))
                v.rule += "+noun"
    enacting = lex.cue("enacting_verbs")
    for v in verbs:
        if v.entry.lemma not in enacting:
            continue
        obj = next((c for c in v.head.children if c.dep_ == "dobj"), None)
        noun = next((n for n in nouns if obj is not None and n.head.i == obj.i), None)
        if noun is not None and noun.entry.cameo[:2] in ENACTED_ROOTS:
            # "approved the deployment of peacekeepers": the approving body does what it approves
            v.entry = replace(v.entry, cameo=noun.entry.cameo, targets=noun.entry.targets,
                              flags=v.entry.flags - {"weak"})
            v.object_token, v.rule = noun.head, v.rule + "+enacted"
            v.consumed |= {noun.head.i} | noun.consumed
            nouns.remove(noun)
    return verbs + nouns

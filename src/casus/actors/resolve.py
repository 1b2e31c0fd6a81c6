"""Actor mentions in a parsed document and their resolution to coded actors.

A :class:`MentionIndex` finds every knowledge-base name in a Doc with one PhraseMatcher pass.
:class:`ArticleActors` then resolves an argument's head token to an :class:`~casus.model.Actor`:
names and titles in its noun phrase ("Russian Foreign Minister Sergei Lavrov", "Belarusian forces",
"Putin's spokesman, Dmitry Peskov"), conjunctions, and pronouns or definite descriptions ("they",
"the minister") through the article's earlier actors.
"""
from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ..model import Actor
from .kb import STATE_SECTORS, Alias, Entity, KnowledgeBase

NP_DEPS = {"compound", "amod", "poss", "nmod", "det", "flat", "appos", "npadvmod", "nummod", "case", "punct"}
PRONOUN_DEPS_SKIP = {"expl"}
NON_STATE_SECTORS = {"REB", "INS", "SEP", "UAF", "OPP", "CVL", "BUS", "MED", "REF", "EDU", "HLH", "LAB",
                     "AGR", "CRM", "HRI", "REL", "ENV", "PTY", "ELI", "DEV", "MOD", "RAD"}
DEFINITE = {"the", "this", "that", "these", "those"}
COREF_WINDOW = 4  # sentences a pronoun looks back (this one and three before)
OF_DEPTH = 2  # "representatives of the governments of Russia and Ukraine": two "of" hops at most


@dataclass(slots=True)
class Mention:
    span: Span
    aliases: list[Alias]

    @property
    def how(self) -> str:
        return self.aliases[0].how


class MentionIndex:
    """All knowledge-base surface forms, matched case-sensitively in one pass per Doc."""

    def __init__(self, nlp, kb: KnowledgeBase) -> None:
        self.kb = kb
        # Names are matched case-sensitively but accent-insensitively ("Erdoğan" = "Erdogan"): on the NORM
        # attribute, which fold_norms() sets to the accent-folded text after parsing.
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.forms: dict[str, list[Alias]] = {}
        for alias in kb.aliases:
            self.forms.setdefault(fold(alias.form), []).append(alias)
        for form in list(self.forms):
            if form.startswith("the "):  # "the West" also opens a sentence as "The West"
                self.forms.setdefault("T" + form[1:], self.forms[form])
        for form in self.forms:
            pattern = nlp.make_doc(form)
            for tok in pattern:
                tok.norm_ = tok.text
            self.matcher.add(form, [pattern])
        # Role terms of several words ("foreign minister") are matched on lowercase text.
        self.role_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for term in kb.roles:
            self.role_matcher.add("ROLE:" + term, [nlp.make_doc(term)])

    def find(self, doc: Doc) -> tuple[dict[int, Mention], dict[int, tuple[str, str, Span]]]:
        """Token index -> mention (longest match wins), and token index -> (role, sector, span)."""
        vocab = doc.vocab.strings
        fold_norms(doc)
        spans = [Span(doc, s, e, label=mid) for mid, s, e in self.matcher(doc)]
        by_token: dict[int, Mention] = {}
        for span in filter_spans(spans):
            if _negated_affiliation(span):
                continue  # "pro-Russian separatists" are not Russian
            mention = Mention(span, self.forms[vocab[span.label]])
            for tok in span:
                by_token[tok.i] = mention
        role_spans = filter_spans([Span(doc, s, e, label=mid) for mid, s, e in self.role_matcher(doc)])
        roles: dict[int, tuple[str, str, Span]] = {}
        for span in role_spans:
            role, sector = self.kb.roles[vocab[span.label][5:]]
            for tok in span:
                roles[tok.i] = (role, sector, span)
        return by_token, roles


@lru_cache(maxsize=4)
def mention_index(nlp, kb: KnowledgeBase) -> MentionIndex:
    return MentionIndex(nlp, kb)


def fold(text: str) -> str:
    """Accent-folded text, case kept: "Erdoğan" -> "Erdogan", "Élysée" -> "Elysee"."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).replace("ı", "i")


def fold_norms(doc: Doc) -> None:
    """Set every token's NORM to its accent-folded text (after parsing: the parser has used the default)."""
    for tok in doc:
        tok.norm_ = fold(tok.text)


SECTOR_RANK = {"GOV": 5, "MIL": 4, "LEG": 3, "JUD": 3, "COP": 3, "SPY": 3, "PTY": 2, "OPP": 2}
AFFILIATION_PREFIXES = {"pro", "anti", "non", "ex", "post", "pre"}


def _negated_affiliation(span: Span) -> bool:
    """ "pro-Russian", "anti-American": the name describes a stance, not the actor."""
    doc = span.doc
    i = span.start
    return i >= 2 and doc[i - 1].text in ("-", "–") and doc[i - 2].lower_ in AFFILIATION_PREFIXES


def _pick_person(aliases: list[Alias], date: str | None) -> Entity | None:
    people = [a.entity for a in aliases if a.entity.kind == "person"]
    if not people:
        return None
    active = [p for p in people if p.active_on(date)]
    pool = active or people
    # Several offices of one person: one active on the date (a state office before a party post), else the latest.
    pool = sorted(pool, key=lambda p: (p in active, SECTOR_RANK.get(p.sector or "", 0), p.start or "",
                                       p.end or "9999"), reverse=True)
    return pool[0]


def _entity_for(mention: Mention, date: str | None) -> Entity:
    person = _pick_person(mention.aliases, date)
    if person is not None:
        return person
    return mention.aliases[0].entity


def _np_tokens(head: Token) -> list[Token]:
    """The head's own noun phrase: modifiers to its left, appositions, and an "of" phrase."""
    out = [head]
    stack = [(head, 0)]
    while stack:
        tok, depth = stack.pop()
        for child in tok.children:
            if child.dep_ in NP_DEPS or (child.dep_ == "prep" and child.lower_ == "of" and depth < OF_DEPTH):
                out.append(child)
                stack.append((child, depth + (child.dep_ == "prep")))
            elif child.dep_ in ("pobj", "conj", "cc") and (tok.dep_ == "prep" and tok.lower_ == "of" or tok.dep_ in ("pobj", "amod", "compound", "nmod")):
                out.append(child)
                stack.append((child, depth))
    out.sort(key=lambda t: t.i)
    while len(out) > 1 and out[-1].dep_ == "punct":
        out.pop()  # a sentence's full stop hangs from a noun the parser made its root
    return out


# words that make an unknown proper name a group rather than a person
GROUP_WORDS = {"group", "party", "movement", "front", "union", "council", "committee", "organization", "organisation",
               "army", "brigade", "brigades", "forces", "militia", "alliance", "league", "association", "tribe", "clan"}

# posts a state keeps in other countries: naming them does not place a sentence in that state
FOREIGN_POSTS = {"embassy", "embassies", "consulate", "consulates", "ambassador", "envoy", "legation", "mission"}

# "thousands of protesters", "a group of journalists": the people counted are the actor
QUANTITY_HEADS = {"thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "score", "scores", "million",
                  "millions", "number", "group", "crowd", "crowds", "handful", "couple", "few", "some", "many",
                  "several", "contingent", "delegation", "batch"}


def _quantity_head(head: Token) -> Token:
    if head.lemma_.lower() not in QUANTITY_HEADS and head.lower_ not in QUANTITY_HEADS:
        return head
    prep = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    pobj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
    return pobj if pobj is not None and pobj.pos_ in ("NOUN", "PROPN") else head


# nouns naming a member or officer of whatever body modifies them ("rebel leaders", "union officials")
GENERIC_MEMBERS = {"leader", "official", "member", "chief", "head", "commander", "spokesman", "spokeswoman",
                   "spokesperson", "representative", "delegate", "envoy", "negotiator", "figure"}
# roles that many hold at once: the knowledge base's only listed holder is not who "the official" is
MANY_SEATS = {"official", "legislator", "spokesperson", "military_commander", "religious_leader", "activist",
              "minister", "judge", "journalist", "ambassador", "adviser", "diplomat", "business_leader", "negotiator",
              "mayor", "governor", "envoy", "deputy_minister", "party_leader", "prosecutor", "royal", "igo_official"}
# forces that are no one state's: "a regional peacekeeping force", "multinational troops"
MULTINATIONAL = {"peacekeeping", "peace-keeping", "peacekeepers", "peacekeeper", "multinational", "regional",
                 "international"}
# what a country's possessive does not make of that country
ALLY_NOUNS = {"ally", "allies", "proxy", "proxies", "client", "partner", "partners", "friend", "friends", "backer",
              "sponsor", "foe", "enemy", "enemies", "rival", "rivals", "opponent", "opponents", "neighbour",
              "neighbor", "neighbours", "neighbors"}
REGION_WORDS = {"province", "region", "state", "district", "county", "city", "town", "governorate", "oblast"}
# bodies named by their kind: "an extremist organisation" is of the sector its modifier names
GENERIC_BODIES = {"organization", "organisation", "group", "movement", "faction", "cell", "network", "outfit", "wing"}
# "his country", "their government": nouns that name the state of whoever the possessive refers to
OWN_STATE_NOUNS = {"country": None, "nation": None, "state": None, "government": "GOV", "administration": "GOV"}


@dataclass
class ArticleActors:
    """Resolution state for one article: mentions, roles, and the actors seen so far (for coreference)."""

    index: MentionIndex
    doc: Doc
    date: str | None = None
    mentions: dict[int, Mention] = field(default_factory=dict)
    roles: dict[int, tuple[str, str, Span]] = field(default_factory=dict)
    history: list[tuple[int, Actor, bool, bool]] = field(default_factory=list)  # (token, actor, subject?, plural?)
    surnames: dict[str, Actor] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.mentions, self.roles = self.index.find(self.doc)
        sents = list(self.doc.sents)
        self.sent_starts = [s.start for s in sents]
        for sent in sents:
            self._drop_namesake_capitals(sent)
        self._drop_capitals_before_independence()

    def sent_start(self, tok_i: int) -> int:
        """Start token of the sentence holding a token (cheaper than Token.sent)."""
        return self.sent_starts[bisect.bisect_right(self.sent_starts, tok_i) - 1]

    def sentence_of(self, tok_i: int) -> Span:
        """The sentence holding a token (cheaper than Token.sent, which walks the parse)."""
        k = bisect.bisect_right(self.sent_starts, tok_i)
        end = self.sent_starts[k] if k < len(self.sent_starts) else len(self.doc)
        return self.doc[self.sent_starts[k - 1]: end]

    @property
    def kb(self) -> KnowledgeBase:
        return self.index.kb

    # -- building actors -------------------------------------------------------------------------
    def _actor_from_entity(self, ent: Entity, text: str, how: str, sector: str | None = None) -> Actor:
        if ent.kind == "person":
            return Actor(text, ent.code, ent.country, ent.sector, "person", ent.name, ent.role, how)
        if ent.kind == "state":
            sec = sector or ent.sector
            code = (ent.country or "") + (sec or "") if ent.country else ent.code
            kind = "group" if sec in NON_STATE_SECTORS else "state"
            return Actor(text, code, ent.country, sec, kind, ent.name, None, how)
        code = ent.code
        if sector and ent.kind == "group" and ent.country and code == ent.country:
            code = ent.country + sector
        return Actor(text, code, ent.country, ent.sector or sector, ent.kind, ent.name, None, how)

    def note(self, tok_i: int, actor: Actor, subject: bool = False) -> None:
        """Remember an actor for later pronouns and surnames."""
        tok = self.doc[tok_i]
        plural = tok.tag_ in ("NNS", "NNPS") or tok.lower_ in _PRONOUNS["plural"]
        if actor.resolved_by == "location":
            return
        self.history.append((tok_i, actor, subject, plural))
        if actor.kind == "person" and actor.name:
            self.surnames[actor.name.split()[-1]] = actor

    def _drop_capitals_before_independence(self) -> None:
        """ "rebels shelled Juba" in 2000: the capital of a state not yet formed is a town of the older state,
        not a name for the new one's government."""
        from ..context.places import state_on

        for i, m in list(self.mentions.items()):
            if m.how == "capital" and (c := m.aliases[0].entity.country) and state_on(c, self.date) != c:
                self.mentions.pop(i)

    def _drop_namesake_capitals(self, sent: Span) -> None:
        """ "militias in Tripoli ... the north Lebanese port": a capital's name that is also a town of a country
        the sentence names (and the capital's own country is not named) is that town, not the capital."""
        caps = {id(m): m for t in sent if (m := self.mentions.get(t.i)) is not None and m.how == "capital"}
        if not caps:
            return
        from ..context.places import gazetteer

        named = {c for c, i in self.sentence_countries(sent) if id(self.mentions[i]) not in caps}
        for m in caps.values():
            own = _entity_for(m, self.date).country
            towns = {p.country for p in gazetteer().names.get(m.span.text.lower(), ()) if p.precision == "city"}
            if own not in named and (towns - {own}) & named:
                for i in range(m.span.start, m.span.end):
                    self.mentions.pop(i, None)

    def note_sentence(self, sent: Span) -> None:
        """Record every person and organisation named in a sentence, and every subject that is an actor."""
        seen: set[int] = set()
        for tok in sent:
            m = self.mentions.get(tok.i)
            if m is None:
                if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ in ("NOUN", "PROPN"):
                    actor = self.resolve_one(tok)
                    if actor is not None and actor.resolved_by != "coref":
                        self.note(tok.i, actor, True)
                continue
            if id(m) in seen:
                continue
            seen.add(id(m))
            ent = _entity_for(m, self.date)
            root = m.span.root
            subject = root.dep_ in ("nsubj", "nsubjpass") or root.head.dep_ in ("nsubj", "nsubjpass")
            if m.how == "adjective" and root.dep_ in ("amod", "compound") and root.head.i not in self.mentions:
                actor = self.resolve_one(root.head)  # "Russian troops" is an actor "they" can refer to
                if actor is not None and actor.sector is not None:
                    self.note(root.head.i, actor, root.head.dep_ in ("nsubj", "nsubjpass"))
            elif ent.kind != "state" or m.how in ("name", "alias", "capital", "metonym"):
                self.note(root.i, self._actor_from_entity(ent, m.span.text, "kb"), subject)

    # -- resolution ------------------------------------------------------------------------------
    def resolve(self, head: Token) -> list[Actor]:
        """Actors denoted by an argument head, one per conjunct ("the US, France and Germany" -> 3)."""
        out: list[Actor] = []
        for tok in [head, *head.conjuncts]:
            if tok.i < head.i and tok is not head:
                continue
            actor = self.resolve_one(tok)
            if actor is None:
                continue
            if tok is not head and out and actor.country is None and actor.resolved_by == "agent":
                actor = self._shared_modifier(head, tok, out[0], actor)
            for a in [actor, *self._coordinated(tok, actor)]:
                if all(b.key != a.key for b in out):
                    out.append(a)
        return out

    def _shared_modifier(self, head: Token, conj: Token, first: Actor, actor: Actor) -> Actor:
        """ "Israeli helicopters and tanks": a bare conjunct of the same sector shares the first conjunct's
        nationality adjective ("Russian troops and rebels" does not)."""
        bare = all(c.dep_ in ("cc", "punct", "conj") for c in conj.children)
        adjective = any(c.dep_ in ("amod", "compound") and c.i in self.mentions for c in head.children)
        if not bare or not adjective or first.country is None or first.kind == "person" or first.sector != actor.sector:
            return actor
        return Actor(actor.text, first.country + (actor.sector or ""), first.country, actor.sector, actor.kind,
                     first.name, actor.role, "agent+shared")

    def _coordinated(self, head: Token, first: Actor) -> list[Actor]:
        """ "representatives of Russia and Ukraine": the other countries coordinated inside the phrase."""
        if first.kind not in ("state", "group", "person") or first.country is None or head.i in self.mentions:
            return []
        extra: list[Actor] = []
        for tok in _np_tokens(head):
            if tok.dep_ != "conj" or tok.i not in self.mentions:
                continue
            ent = _entity_for(self.mentions[tok.i], self.date)
            if ent.kind not in ("state", "person") and ent.code and ent.code != first.code:
                # "British and EU negotiators": an organisation coordinated with the country
                extra.append(self._actor_from_entity(ent, first.text, first.resolved_by or "kb"))
            elif ent.kind == "state" and ent.country != first.country:
                a = self._actor_from_entity(ent, first.text, first.resolved_by or "kb", first.sector)
                if first.kind == "person":
                    a = Actor(first.text, (ent.country or "") + (first.sector or ""), ent.country, first.sector,
                              "person", None, first.role, "kb")
                extra.append(a)
        return extra

    def resolve_one(self, head: Token) -> Actor | None:
        head = _quantity_head(head)
        lower = head.lower_
        cues = self._cues
        if head.pos_ == "PRON" or lower in cues["pron"]:
            return self._coref_pronoun(head)
        toks = _np_tokens(head)
        text = self.doc[toks[0].i: toks[-1].i + 1].text if toks else head.text
        own = self._own_country(head, text)
        if own is not None:
            return own
        person = country = org = None
        head_mention = self.mentions.get(head.i)
        for tok in toks:
            m = self.mentions.get(tok.i)
            if m is None:
                continue
            if m.span.root.dep_ == "poss" and m.span.root.head.lemma_.lower() in ALLY_NOUNS:
                continue  # "Israel's militia ally", "Russia's allies": someone else, on that side
            ent = _entity_for(m, self.date)
            if ent.kind == "person":
                if person is None or m is head_mention or tok.dep_ == "appos":
                    person = (ent, m)
            elif ent.kind == "state":
                if country is None or m is head_mention:
                    country = (ent, m)
            elif org is None or m is head_mention:
                org = (ent, m)
        sector = None if head_mention is not None else self._agent_sector(head)
        if sector is None and head_mention is None and head.lemma_.lower() not in self.kb.roles:
            # "opposition candidates", "army officers": a sector noun modifying a noun that names none
            sector = next((self.kb.agents[c.lemma_.lower()] for c in head.children
                           if c.dep_ == "compound" and c.lemma_.lower() in self.kb.agents), None)
        role = self.roles.get(head.i)
        if person is None and head.ent_type_ == "PERSON":
            known = self.surnames.get(head.text)
            if known is not None:
                return Actor(text, known.code, known.country, known.sector, "person", known.name, known.role, "surname")
        if person is not None:
            ent, m = person
            actor = self._actor_from_entity(ent, text, "kb")
            if actor.country is None and country is not None:
                actor.country = country[0].country
            return actor
        title = next((self.roles[t.i] for t in toks if t.i in self.roles and t.i != head.i), None)
        if title is not None and head.pos_ == "PROPN" and (head.ent_type_ == "PERSON" or head.i not in self.mentions):
            # "French Foreign Minister Jean-Noel Barrot": a titled person the knowledge base does not list
            name_toks = [t for t in toks if t.pos_ == "PROPN" and t.i not in self.roles and t.i not in self.mentions]
            name = " ".join(t.text for t in name_toks) or head.text
            cty = country[0].country if country else None
            return Actor(text, (cty or "") + title[1] if cty else None, cty, title[1], "person", name, title[0],
                         "title")
        if org is not None and (head_mention is org[1] or country is None or org[1].span.root == head):
            return self._actor_from_entity(org[0], text, "kb", sector)
        ethnic = country[1].span.root if country is not None else None
        if ethnic is not None and ethnic.pos_ in ("NOUN", "PROPN") and any(c.lower_ == "ethnic" for c in ethnic.children):
            # "(hundreds of) ethnic Albanians (in Serbia)": a minority, civilians of where they live, not of the
            # state their name recalls
            where = self._place_country(ethnic) or self._place_country(head)
            return Actor(text, (where or "") + "CVL", where, "CVL", "group", f"ethnic {country[0].name}", None,
                         "agent+place" if where else "agent")
        if country is not None:
            ent, m = country
            if role is not None:
                one = not any(c.dep_ == "det" and c.lower_ in ("a", "an", "another", "some") for c in head.children)
                return self._role_holder(ent.country, role[0], role[1], text, one)
            if head_mention is m and sector is None:
                return self._actor_from_entity(ent, text, "kb")
            if (head_mention is None and sector is None and head.pos_ == "PROPN" and head.ent_type_ in ("ORG", "")
                    and m.span.root.dep_ == "compound"):
                # "the Kenya Anti-Corruption Commission": a named body of the country, not the country itself
                return Actor(text, ent.country, ent.country, None, "group", text, None, "kb+org")
            sec = sector or ("GOV" if m.how in ("capital", "metonym") else None)
            if sec is None and m.how == "adjective" and head_mention is not m:
                # "Russian officials" / "the Russian side": an unknown noun after an adjective
                sec = self.kb.agents.get(head.lemma_.lower())
            return self._actor_from_entity(ent, text, "kb+agent" if sector else "kb", sec)
        if org is not None:
            return self._actor_from_entity(org[0], text, "kb", sector)
        if role is not None:
            found = self._coref_role(head, role[0], role[1], text)
            named = next((t for t in toks if t.dep_ == "appos" and t.pos_ == "PROPN"), None)
            if found is None and named is not None:
                # "the party's whip in the senate, Ana Costa": a titled person the KB does not know
                name = self.doc[named.left_edge.i: named.i + 1].text
                return Actor(text, None, None, role[1], "person", name, role[0], "ner")
            if found is not None or sector is None or role[1] not in NON_STATE_SECTORS:
                return found
            # "a detained journalist", "an activist": an unnamed member of a civil sector is still an actor
            # (an unnamed "president" is not: whose president is unknown)
        if head.ent_type_ == "PERSON":
            return Actor(text, None, None, None, "person", head.text if head.text == text else text, None, "ner")
        if head.ent_type_ in ("ORG", "NORP") and head.pos_ == "PROPN":
            return Actor(text, None, None, None, "group", text, None, "ner")
        if sector is not None:
            where = self._place_country(head)
            if where is not None:  # "teachers in Chile", "police in Gao"
                kind = "group" if sector in NON_STATE_SECTORS else "state"
                return Actor(text, where + sector, where, sector, kind, None, None, "agent+place")
            if any(c.lower_ in DEFINITE for c in head.children):
                found = self._coref_sector(head, sector, text)
                if found is not None:
                    return found
            if sector in ("MIL", "UAF") and any(t.lower_ in MULTINATIONAL for t in toks):
                # "a regional peacekeeping force", "multinational troops": no one state's forces
                return Actor(text, "IGO" + sector, None, sector, "igo", None, None, "agent")
            # "unidentified gunmen", "workers": a sector without a country is still an actor (code = sector)
            return Actor(text, sector, None, sector, "group" if sector in NON_STATE_SECTORS else "state", None,
                         None, "agent")
        if head.pos_ == "PROPN" and not head.ent_type_ and head.dep_ in ("nsubj", "nsubjpass") and head.is_title:
            # a proper name the parser left untyped ("Papandreou agreed ..."): an actor the KB does not know
            kind = "group" if any(t.lower_ in GROUP_WORDS for t in toks) else "person"
            return Actor(text, None, None, None, kind, text, None, "name")
        return None

    def _agent_sector(self, head: Token) -> str | None:
        """The sector a noun names, longest listed phrase first: "prison guards" (COP) before "guards",
        "human rights activist" (HRI) before "activist" (OPP)."""
        agents = self.kb.agents
        left: list[Token] = []
        i = head.i - 1
        while i >= 0 and self.doc[i].head.i == head.i and (
                self.doc[i].dep_ in ("compound", "amod") or (self.doc[i].text == "-" and i > 0)):
            left.insert(0, self.doc[i])
            i -= 1
        for k in range(len(left), 0, -1):
            if left[-k].text == "-":
                continue
            words = " ".join(t.lower_ for t in left[-k:] if t.text != "-")
            for last in (head.lemma_.lower(), head.lower_):
                # "asylum-seekers" is three tokens; the list spells it with a space or a hyphen
                for phrase in (f"{words} {last}", f"{words}-{last}"):
                    if phrase in agents:
                        return agents[phrase]
        own = agents.get(head.lemma_.lower()) or agents.get(head.lower_)
        if own is None and head.lemma_.lower() in GENERIC_BODIES:
            # "a Protestant extremist organisation", "an Islamist armed faction": a body of the kind its
            # modifier names
            return next((agents[t.lemma_.lower()] for t in reversed(left)
                         if t.dep_ in ("compound", "amod") and t.lemma_.lower() in agents), None)
        if own is not None and head.lemma_.lower() in GENERIC_MEMBERS:
            # "rebel leaders", "union officials", "army spokesman": a generic noun takes the sector of the body
            # its modifier names
            body = next((agents[t.lemma_.lower()] for t in reversed(left)
                         if t.dep_ in ("compound", "amod") and t.lemma_.lower() in agents), None)
            return body or own
        return own

    def sentence_countries(self, sent: Span) -> list[tuple[str, int]]:
        """The countries a sentence names (as states, adjectives or capitals), with the token of each mention."""
        out: list[tuple[str, int]] = []
        for tok in sent:
            m = self.mentions.get(tok.i)
            if m is None or m.span.start != tok.i:
                continue
            if m.span.root.head.lemma_.lower() in FOREIGN_POSTS:
                continue  # "outside the US embassy": a country's post abroad, not where the sentence is
            ent = _entity_for(m, self.date)
            if ent.kind == "state" and ent.country:
                out.append((ent.country, tok.i))
        return out

    def _own_country(self, head: Token, text: str) -> Actor | None:
        """ "his country", "their government": the country of the actor the possessive pronoun refers to."""
        lemma = head.lemma_.lower()
        if lemma not in OWN_STATE_NOUNS:
            return None
        poss = next((c for c in head.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
        if poss is None or poss.lower_ not in ("his", "her", "its", "their", "our"):
            return None
        ref = self._coref_pronoun(poss)
        ent = self.kb.countries.get(ref.country) if ref is not None and ref.country else None
        if ent is None:
            return None
        return self._actor_from_entity(ent, text, "coref", OWN_STATE_NOUNS[lemma])

    def _place_country(self, head: Token) -> str | None:
        """The country of a place phrase attached to a noun ("workers in Mexico", "forces from Chad", "refugees
        fleeing (the war in) Liberia")."""
        for c in head.children:
            if c.dep_ == "acl" and c.lemma_.lower() in ("flee", "escape"):
                for t in c.subtree:
                    m = self.mentions.get(t.i)
                    ent = _entity_for(m, self.date) if m is not None else None
                    if ent is not None and ent.kind == "state" and ent.country and m.how != "adjective":
                        return ent.country
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "from", "at", "inside", "of"):
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                if pobj.lemma_.lower() in REGION_WORDS:
                    # "the government of Balochistan province", "police in Kandahar city": the named region
                    pobj = next((g for g in pobj.children if g.dep_ == "compound" and g.pos_ == "PROPN"), pobj)
                m = self.mentions.get(pobj.i)
                if m is not None:
                    ent = _entity_for(m, self.date)
                    if ent.kind == "state" and ent.country:
                        return ent.country
                if pobj.ent_type_ in ("GPE", "LOC", "FAC"):
                    from ..context.places import gazetteer

                    span = next((e for e in pobj.sent.ents if e.start <= pobj.i < e.end), None)
                    # "militias in Tripoli ... the Lebanese port": the sentence's countries pick the namesake
                    context = {c for c, _ in self.sentence_countries(self.sentence_of(pobj.i))}
                    place = gazetteer().lookup(span.text if span is not None else pobj.text, prefer=context,
                                               date=self.date)
                    if place is not None and place.country:
                        return place.country
        return None

    @property
    def _cues(self) -> dict[str, set[str]]:
        return _PRONOUNS

    def _role_holder(self, country: str | None, role: str, sector: str, text: str, one: bool = True) -> Actor:
        """ "the Kenyan foreign minister" on a date: the one holder of a one-seat office then. "An Iraqi
        official" or "a Chinese bishop" is one of many, whoever the knowledge base happens to list."""
        holders = self.kb.people_in_role(country, role, self.date) if self.date and one and role not in MANY_SEATS \
            else []
        if len(holders) == 1:
            p = holders[0]
            return Actor(text, p.code, p.country, p.sector, "person", p.name, role, "role+date")
        return Actor(text, (country or "") + sector, country, sector, "person", None, role, "role")

    def _coref_pronoun(self, head: Token) -> Actor | None:
        lower = head.lower_
        sent_start = self.sent_start(head.i)
        before = [x for x in self.history if x[0] < head.i]
        if lower in _PRONOUNS["person"]:
            pool = [x for x in before if x[1].kind == "person"]
        elif lower in _PRONOUNS["plural"]:
            pool = [x for x in before if x[1].kind != "person" or x[3]]
        elif lower in _PRONOUNS["thing"]:
            pool = [x for x in before if x[1].kind in ("state", "igo", "group", "ngo") and not x[3]]
        else:
            return None
        if not pool:
            return None
        # Look back a few sentences. "they" prefers a plural noun phrase ("Russian troops"); otherwise the
        # subject of the nearest sentence with a candidate wins, then the latest mention.
        k = bisect.bisect_right(self.sent_starts, sent_start)
        window = set(self.sent_starts[max(0, k - COREF_WINDOW): k])
        near = [x for x in pool if self.sent_start(x[0]) in window] or pool
        if lower in _PRONOUNS["plural"] and any(x[3] for x in near):
            a = [x for x in near if x[3]][-1][1]
        else:
            last = max(self.sent_start(x[0]) for x in near)
            cands = [x for x in near if self.sent_start(x[0]) == last]
            a = max(cands, key=lambda x: (x[2], x[0]))[1]
        return Actor(head.text, a.code, a.country, a.sector, a.kind, a.name, a.role, "coref")

    def _coref_role(self, head: Token, role: str, sector: str, text: str) -> Actor | None:
        for i, a, _, _ in reversed(self.history):
            if i < head.i and a.kind == "person" and (a.role == role or role in ("official", "leader", "minister")):
                return Actor(text, a.code, a.country, a.sector, "person", a.name, a.role, "coref")
        return None

    def _coref_sector(self, head: Token, sector: str, text: str) -> Actor | None:
        for i, a, _, _ in reversed(self.history):
            if i < head.i and a.sector == sector:
                return Actor(text, a.code, a.country, a.sector, a.kind, a.name, a.role, "coref")
        return None


_PRONOUNS = {
    "person": {"he", "she", "him", "her", "his", "hers", "himself", "herself"},
    "plural": {"they", "them", "their", "theirs", "themselves"},
    "thing": {"it", "its", "itself"},
}
_PRONOUNS["pron"] = _PRONOUNS["person"] | _PRONOUNS["plural"] | _PRONOUNS["thing"]

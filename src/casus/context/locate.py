"""Event-level places: the place attached to the event's own clause ("met ... in Geneva", "deployed ... in
Belarus", "near the town of Samarra"), resolved with the gazetteer and the article's countries."""
from __future__ import annotations

from spacy.tokens import Doc, Token

from ..actors.resolve import FOREIGN_POSTS
from .places import Place, gazetteer

PLACE_PREPS = {"in", "at", "near", "outside", "inside", "into", "across", "around", "along", "from", "to", "toward",
               "towards", "within", "on"}
PLACE_ENTS = {"GPE", "LOC", "FAC"}
# verbs whose "from X" is whom something is asked of or had from, not a place
ASKING_VERBS = {"demand", "ask", "seek", "request", "receive", "get", "buy", "obtain", "import", "borrow", "secede",
                "win", "gain", "extract", "want", "expect", "purchase", "accept"}
WRAPPERS = {"town", "city", "village", "region", "province", "capital", "district", "area", "port", "outskirts",
            "suburb", "suburbs", "border", "enclave", "state", "island", "camp", "neighbourhood", "neighborhood",
            "settlement", "municipality", "county", "governorate", "oblast", "territory", "streets", "center", "centre"}


class EventPlaces:
    """Place lookups for one article, disambiguated by the countries the article names."""

    def __init__(self, doc: Doc, actors) -> None:
        self.doc = doc
        self.actors = actors
        self._countries: set[str] | None = None

    @property
    def countries(self) -> set[str]:
        if self._countries is None:
            out = set()
            for m in {id(m): m for m in self.actors.mentions.values()}.values():
                for alias in m.aliases:
                    if alias.entity.country:
                        out.add(alias.entity.country)
            self._countries = out
        return self._countries

    def _name_of(self, tok: Token, depth: int = 0) -> str | None:
        """The place name a prepositional object stands for, if any."""
        if tok.lemma_.lower() in WRAPPERS:
            for c in tok.children:  # "the town of Samarra"
                if c.dep_ == "prep" and c.lower_ == "of":
                    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if pobj is not None:
                        return self._name_of(pobj, depth)
            for c in tok.children:  # "the Donetsk region"
                if c.dep_ == "compound" and c.ent_type_ in PLACE_ENTS:
                    return self._entity_text(c)
            return None
        if tok.ent_type_ in PLACE_ENTS or tok.i in self.actors.mentions:
            return self._entity_text(tok)
        if tok.lemma_.lower() in FOREIGN_POSTS:
            return None  # "outside the US embassy" is not in the United States
        if depth < 1 and tok.pos_ == "NOUN":
            for c in tok.children:  # "at a barracks in southern Chad", "at targets in Gao"
                if c.dep_ == "prep" and c.lower_ in ("in", "near", "outside", "inside"):
                    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if pobj is not None:
                        return self._name_of(pobj, depth + 1)
        return None

    def _entity_text(self, tok: Token) -> str:
        if tok.ent_type_:
            for ent in tok.sent.ents if tok.sent is not None else self.doc.ents:
                if ent.start <= tok.i < ent.end:
                    return ent.text
        m = self.actors.mentions.get(tok.i)
        if m is not None:
            return m.span.text
        return tok.text

    def resolve_name(self, name: str) -> Place | None:
        return gazetteer().lookup(name, self.countries, date=self.actors.date)

    def event_place(self, head: Token, obj: Token | None = None) -> Place | None:
        """The place of the event whose trigger is ``head`` (and whose object is ``obj``)."""
        anchors = [head] + ([obj] if obj is not None else [])
        if head.dep_ in ("xcomp", "conj", "advcl") and head.head.pos_ in ("VERB", "AUX"):
            anchors.append(head.head)  # "met and agreed in Geneva"
        thing = obj if obj is not None else next((c for c in head.children if c.dep_ == "dobj"), None)
        if thing is not None:
            # "blew up a pipeline running to Basra": where the thing acted on runs
            anchors += [c for c in thing.children if c.dep_ == "acl" and c.tag_ == "VBG"]
        for anchor in anchors:
            for c in anchor.children:
                if c.dep_ != "prep" or c.lower_ not in PLACE_PREPS:
                    continue
                if c.lower_ == "from" and anchor.lemma_.lower() in ASKING_VERBS:
                    continue  # "demanded aid from Kenya", "demanding independence from Serbia": whom, not where
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                name = self._name_of(pobj)
                if name:
                    place = self.resolve_name(name)
                    if place is not None:
                        return place
        if obj is None and head.pos_ == "VERB":
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.i not in self.actors.mentions and (obj.ent_type_ in PLACE_ENTS or (
                obj.pos_ == "PROPN" and obj.ent_type_ in ("", "ORG") and obj.dep_ == "dobj")):
            # "shelled Juba", "captured Goma": a town that is the act's object is where it happens
            return self.resolve_name(self._entity_text(obj))
        return None

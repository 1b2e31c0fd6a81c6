"""The trigger lexicon: verbs and nouns mapped to CAMEO codes (``data/lexicon/*.tsv``), and modality cues.

verbs.tsv  lemma, particle, object, cameo, target, flags, note
nouns.tsv  lemma, modifier, cameo, target, flags, note
cues.yaml  closed word classes the rules use (speech verbs, modality cues, intent adjectives ...)

A user's own ``--lexicon`` files use the same formats and are laid over the packaged ones.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

from ..datafiles import CAMEO_CODE, Row, check, data_path, read_tsv
from ..errors import DataFileError
from ..ontology import load_ontology

TARGET_SLOTS = {
    "dobj", "dative", "none", "on", "against", "with", "to", "at", "for", "from", "into", "over", "of",
    "in", "toward", "towards", "near", "along", "across", "upon", "onto", "about", "inside", "outside", "by",
    "between", "among", "within", "behind", "around", "off", "out",
}
FLAGS = {"sym", "weak", "needs_target", "support", "no_infinitive"}
NOT_AN_EVENT = "-"
CLASS_OVERLAP = 3  # an object list sharing this many words with a word class is widened to the whole class


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon row: a trigger word (with the particle/object/modifier it needs) and its code."""

    pos: str  # VERB or NOUN
    lemma: str
    cameo: str
    particle: str = ""  # verbs: required particle or preposition
    objects: frozenset[str] = frozenset()  # verbs: required object lemmas; nouns: required modifiers
    targets: tuple[str, ...] = ("dobj",)
    flags: frozenset[str] = frozenset()
    where: str = ""

    @property
    def specificity(self) -> int:
        return (2 if self.particle else 0) + (1 if self.objects else 0)

    @property
    def label(self) -> str:
        words = [self.lemma] + ([self.particle] if self.particle else [])
        if self.objects:
            words.append("+" + "|".join(sorted(self.objects)))
        return f"{self.pos.lower()}:{' '.join(words)}->{self.cameo}"


@dataclass
class Lexicon:
    verbs: dict[str, list[Entry]]
    nouns: dict[str, list[Entry]]
    cues: dict[str, frozenset[str]]

    def cue(self, name: str) -> frozenset[str]:
        return self.cues.get(name, frozenset())


def _entry(row: Row, pos: str, codes: set[str], classes: dict[str, frozenset[str]] | None = None) -> Entry:
    lemma = check(row, "lemma", lambda v: bool(v) and v == v.lower(), "a lowercase lemma")
    # "-" marks a sense that is not an event ("meet" + "demand": meeting a demand is no consultation)
    cameo = check(row, "cameo", lambda v: v == NOT_AN_EVENT or (bool(CAMEO_CODE.match(v)) and v in codes),
                  "a known CAMEO code or -")
    targets = tuple(row.list("target")) or (("dobj",) if pos == "VERB" else ("of",))
    bad = [t for t in targets if t not in TARGET_SLOTS]
    if bad:
        raise row.error(f"unknown target slot(s) {bad}")
    flags = frozenset(f.strip() for f in row.get("flags").split(",") if f.strip())
    if flags - FLAGS:
        raise row.error(f"unknown flag(s) {sorted(flags - FLAGS)}")
    objects = frozenset(o.lower() for o in row.list("object" if pos == "VERB" else "modifier"))
    if pos == "VERB" and objects and classes:
        unknown = [o[1:] for o in objects if o.startswith("@") and o[1:] not in classes]
        if unknown:
            raise row.error(f"unknown word class(es) {unknown}")
        own = set(o for o in objects if not o.startswith("@"))
        widened = set(own)
        for name, words in classes.items():
            if f"@{name}" in objects:
                widened |= words
        # widen by the one class the row's own words belong to most (weapons rows are not troop rows)
        overlaps = sorted(((len(own & words), name) for name, words in classes.items()), reverse=True)
        if overlaps and overlaps[0][0] >= CLASS_OVERLAP and (len(overlaps) == 1 or overlaps[0][0] > overlaps[1][0]):
            widened |= classes[overlaps[0][1]]
        objects = frozenset(widened)
    particle = row.get("particle").lower() if pos == "VERB" else ""
    return Entry(pos, lemma, cameo, particle, objects, targets, flags, row.where)


def _load_cues(path: Path) -> dict[str, frozenset[str]]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise DataFileError(str(path), None if line is None else line + 1, f"invalid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise DataFileError(str(path), None, "expected a mapping of cue class -> list of words")
    cues = {}
    for name, words in raw.items():
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise DataFileError(str(path), None, f"cue class {name!r} must be a list of strings")
        cues[name] = frozenset(w.lower() for w in words)
    return cues


def load_lexicon(extra: Iterable[str | Path] = ()) -> Lexicon:
    """Load and validate the packaged lexicon, then user files (verbs or nouns format, by header)."""
    codes = set(load_ontology().cameo)
    verbs: dict[str, list[Entry]] = defaultdict(list)
    nouns: dict[str, list[Entry]] = defaultdict(list)
    base = data_path("lexicon")
    files = [base / "verbs.tsv", base / "nouns.tsv", *map(Path, extra)]
    classes = _load_cues(base / "classes.yaml")
    for path in files:
        rows = read_tsv(path, ["lemma", "cameo"])
        is_noun = bool(rows) and "modifier" in rows[0].values
        for row in rows:
            entry = _entry(row, "NOUN" if is_noun else "VERB", codes, classes)
            (nouns if is_noun else verbs)[entry.lemma].append(entry)
    for table in (verbs, nouns):
        for entries in table.values():
            entries.sort(key=lambda e: -e.specificity)  # stable: file order among equals
    return Lexicon(dict(verbs), dict(nouns), _load_cues(base / "cues.yaml"))


@lru_cache(maxsize=4)
def default_lexicon(extra: tuple[str, ...] = ()) -> Lexicon:
    return load_lexicon(extra)

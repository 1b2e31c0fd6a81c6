"""The packaged lexicon is consistent data (file:line errors are tested in test_datafiles)."""
from collections import Counter

from casus.coding.lexicon import default_lexicon
from casus.ontology import load_ontology


def test_no_duplicate_keys():
    lex = default_lexicon()
    keys = Counter((e.pos, e.lemma, e.particle, e.objects) for table in (lex.verbs, lex.nouns)
                   for entries in table.values() for e in entries)
    dups = [k for k, n in keys.items() if n > 1]
    assert not dups, dups[:5]


def test_every_root_has_triggers():
    lex = default_lexicon()
    roots = {e.cameo[:2] for table in (lex.verbs, lex.nouns) for entries in table.values() for e in entries
             if e.cameo != "-"}
    assert {f"{r:02d}" for r in range(1, 21)} <= roots
    assert all(code in load_ontology().cameo for code in {e.cameo for es in lex.verbs.values() for e in es} - {"-"})


def test_word_classes_widen_giving_verbs():
    lex = default_lexicon()
    give_weapons = [e for e in lex.verbs["give"] if e.cameo == "072"]
    assert give_weapons and {"firearm", "rifle", "howitzer"} <= set().union(*(e.objects for e in give_weapons))

from casus.coding.coder import refinements
from casus.ontology import PLOVER_TYPES, load_ontology


def test_cameo_table_is_complete():
    onto = load_ontology()
    assert len(onto.cameo) >= 300
    assert set(onto.penta) == set(PLOVER_TYPES) and len(PLOVER_TYPES) == 16
    for code in ("010", "0234", "154", "1312", "195", "2042"):
        assert code in onto.cameo, code


def test_plover_map_follows_the_manual():
    onto = load_ontology()
    for code, entry in onto.cameo.items():
        if entry.root in ("01", "02"):
            # statements and appeals have no PLOVER type (the 2021 conversion table maps neither)
            assert entry.plover is None and entry.quad_class == 1, code
        elif entry.root == "10":
            assert entry.plover == "REQUEST", code  # demands are PLOVER's requests
        else:
            assert entry.plover in PLOVER_TYPES, code
    assert onto.lookup("154").plover == "MOBILIZE"
    assert onto.lookup("040").plover == "CONSULT"
    assert onto.lookup("112").plover == "ACCUSE"


def test_subcodes_map_like_their_parent_family():
    onto = load_ontology()
    # easing a curfew or an emergency is easing an administrative sanction (081): a concession
    assert {onto.lookup(c).plover for c in ("081", "0813", "0814")} == {"CONCEDE"}
    # destroying property is seizing or damaging property (171): coercion, not an assault on people
    assert {onto.lookup(c).plover for c in ("171", "1711", "1712")} == {"COERCE"}
    # sanctions and embargoes reduce relations (16)
    assert onto.lookup("163").plover == "SANCTION" and onto.lookup("163").quad_class == 4


def test_quad_class_and_goldstein():
    onto = load_ontology()
    assert {onto.lookup(c).quad_class for c in ("040", "051")} == {1}
    assert onto.lookup("073").quad_class == 2
    assert onto.lookup("130").quad_class == 3
    assert onto.lookup("190").quad_class == 4
    assert onto.lookup("190").goldstein == -10.0
    assert onto.lookup("046").goldstein == 7.0


def test_refinement_table_uses_known_codes():
    onto = load_ontology()
    for (gov, emb), code in refinements().items():
        assert code in onto.cameo and code.startswith(gov), (gov, emb, code)


def test_untyped_events_are_labelled_by_their_cameo_family():
    from casus.ontology import UNTYPED_LABEL, plover_label

    assert plover_label("ASSAULT", "190") == "ASSAULT"
    assert plover_label(None, "0233") == "(appeal)" and plover_label(None, "010") == "(statement)"
    assert "appeal" in UNTYPED_LABEL and "statement" in UNTYPED_LABEL

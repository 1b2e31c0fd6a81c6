import pytest

from casus.actors.kb import load_kb
from casus.coding.lexicon import load_lexicon
from casus.datafiles import read_tsv
from casus.errors import DataFileError


def test_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("# comment\nlemma\tcameo\naccuse\t112\nextra\t1\t2\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        read_tsv(bad, ["lemma", "cameo"])
    assert f"{bad}:4" in str(info.value) and info.value.code == "E101"


def test_missing_column_is_reported(tmp_path):
    bad = tmp_path / "v.tsv"
    bad.write_text("lemma\tobject\naccuse\t\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="header lacks column"):
        read_tsv(bad, ["lemma", "cameo"])


def test_user_lexicon_with_unknown_code_is_rejected(tmp_path):
    user = tmp_path / "mine.tsv"
    user.write_text("lemma\tparticle\tobject\tcameo\ttarget\tflags\tnote\nzap\t\t\t999\tdobj\t\t\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"mine\.tsv:2.*CAMEO"):
        load_lexicon([user])


def test_user_lexicon_and_actor_files_are_laid_over(tmp_path):
    lex = tmp_path / "mine.tsv"
    lex.write_text("lemma\tparticle\tobject\tcameo\ttarget\tflags\tnote\nbefriend\t\t\t051\tdobj\t\t\n", encoding="utf-8")
    assert load_lexicon([lex]).verbs["befriend"][0].cameo == "051"
    actors = tmp_path / "groups.tsv"
    actors.write_text("code\tname\taliases\tkind\tcountry\tsector\nNGOZZZ\tZephyr Watch\tZW\tngo\t\t\n", encoding="utf-8")
    kb = load_kb([actors])
    assert any(a.form == "Zephyr Watch" and a.entity.code == "NGOZZZ" for a in kb.aliases)


def test_packaged_files_load():
    lex = load_lexicon()
    assert len(lex.verbs) > 200 and len(lex.nouns) > 100
    assert "say" in lex.cue("speech_verbs") and "no" in lex.cue("negators")

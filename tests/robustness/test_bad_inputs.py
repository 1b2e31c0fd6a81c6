"""Bad input is a per-document outcome, not a crash (issue 10, item 1).

The corpus (tests/fixtures/bad/generate.py) holds empty, binary, mis-encoded, truncated, deeply nested,
oversized, run-on, non-English and malformed inputs. Every document in it must end coded or rejected
with the reason the corpus expects, in bounded time and memory, and a CLI run over it must reconcile.
"""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

from casus.config import Options
from casus.ingest.readers import Rejected, read_inputs
from casus.model import Document
from casus.pipeline import code_documents, load_resources

CODED = "coded"
GENERATOR = Path(__file__).resolve().parents[1] / "fixtures" / "bad" / "generate.py"


def load_generator():
    if "casus_bad_corpus" in sys.modules:
        return sys.modules["casus_bad_corpus"]
    spec = importlib.util.spec_from_file_location("casus_bad_corpus", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules["casus_bad_corpus"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bad_gen():
    return load_generator()


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory, bad_gen):
    """(directory, expectations): every file of the corpus, with the 50 MB document."""
    root = tmp_path_factory.mktemp("bad-corpus")
    expects = bad_gen.build(root, big=True)
    yield root, expects
    for big in root.glob("big-*"):  # pytest keeps recent temporary directories: do not keep 50 MB in each
        big.unlink()


@pytest.fixture(scope="module")
def resources():
    """The coder's resources, loaded once: timings in the tests measure the documents, not the model load."""
    return load_resources(Options())


def outcomes(inputs, resources, options: Options | None = None) -> dict[str, tuple[Document | Rejected, list]]:
    out = {}
    for doc, events in code_documents(read_inputs([str(i) for i in inputs]), options or Options(), resources):
        assert doc.id not in out, f"two documents with the id {doc.id!r}"
        out[doc.id] = (doc, events)
    return out


@pytest.fixture(scope="module")
def coded_corpus(bad_corpus, resources):
    root, expects = bad_corpus
    started = time.monotonic()
    result = outcomes([root], resources)
    return result, time.monotonic() - started


def test_every_bad_input_ends_coded_or_rejected_with_the_expected_reason(bad_corpus, coded_corpus):
    root, expects = bad_corpus
    result, seconds = coded_corpus
    expected = {e.id: e.outcome for e in expects}
    got = {doc_id: (d.reason if isinstance(d, Rejected) else CODED) for doc_id, (d, _) in result.items()}
    lost = sorted(set(expected) - set(got))
    assert not lost, f"documents that ended neither coded nor rejected: {lost}"
    assert not set(got) - set(expected), "documents the corpus does not describe"
    wrong = {k: (got[k], expected[k]) for k in expected if got[k] != expected[k]}
    assert not wrong, f"(got, expected) outcomes: {wrong}"
    assert seconds < 120, f"the corpus took {seconds:.0f}s"


def test_rejections_name_the_input_and_say_why(bad_corpus, coded_corpus):
    root, _ = bad_corpus
    result, _ = coded_corpus
    for doc, _events in result.values():
        if isinstance(doc, Rejected):
            assert doc.message.startswith(str(root)), doc.message  # the path (and row or record) comes first
            assert len(doc.message) > len(str(root)) + 10
            doc.message.encode("utf-8")  # printable as it is


def test_decoded_texts_are_right(coded_corpus, bad_gen):
    result, _ = coded_corpus
    text = {doc_id: d.raw_text for doc_id, (d, _) in result.items() if isinstance(d, Document)}
    assert text["cp1252.txt"] == bad_gen.LEGACY
    assert text["latin1.txt"] == bad_gen.LATIN1
    assert text["utf16-bom.txt"] == bad_gen.STORY and text["utf8-bom.txt"] == bad_gen.STORY
    assert text["row-latin1"] == bad_gen.LATIN1
    assert text["row-surrogate"].endswith(" \ufffd")
    assert "talks in Lima café next week. \ufffd\ufffd\ufffd( Chile accused Peru" in text["invalid-utf8.txt"]
    # deep and unclosed markup: the paragraphs below the parser's depth limit are kept
    for page in ("nested-5000.html", "unclosed-fonts.html", "utf16-bom.html"):
        assert "The two governments agreed to hold talks in Lima next week." in text[page], page
    # the truncated page keeps what was there, the truncated archive its whole records
    assert "Peru rejected the accusation" in text["truncated.html"]
    assert "talks in Lima next week" in text["https://example.org/2"]


def test_documents_that_are_coded_have_events(coded_corpus):
    result, _ = coded_corpus
    for doc_id in ("cp1252.txt", "utf16-bom.txt", "nested-5000.html", "row-good", "https://example.org/0",
                   "broken-1", "run-3000-words.txt"):
        doc, events = result[doc_id]
        assert events, doc_id
        for ev in events:
            assert ev.sentence in doc.text


@pytest.mark.slow
def test_cli_over_the_corpus_exits_cleanly_and_reconciles(bad_corpus):
    root, expects = bad_corpus
    n_read = sum(1 for _ in read_inputs([str(root)]))
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "casus.cli", "code", str(root), "--format", "jsonl"],
                          capture_output=True, timeout=300)
    seconds = time.monotonic() - started
    stderr = proc.stderr.decode("utf-8")
    assert proc.returncode == 0, stderr[-2000:]
    assert "Traceback" not in stderr and not re.search(r"^\w*(Error|Exception)\b", stderr, re.M)
    summary = re.search(r"(\d+) document\(s\) coded, (\d+) skipped", stderr)
    assert summary, stderr[-500:]
    coded, skipped = int(summary.group(1)), int(summary.group(2))
    want = Counter(e.outcome == CODED for e in expects)
    assert (coded, skipped) == (want[True], want[False])
    assert coded + skipped == n_read == len(expects)  # documents read = coded + rejected
    assert stderr.count("skipped ") == skipped
    # split on newlines only: a sentence may hold U+2028, which JSON allows unescaped and splitlines() splits on
    events = [json.loads(line) for line in proc.stdout.decode("utf-8").split("\n") if line]
    coded_ids = {e.id for e in expects if e.outcome == CODED}
    assert events and {ev["doc_id"] for ev in events} <= coded_ids
    assert seconds < 180, f"the CLI took {seconds:.0f}s"


def test_50mb_file_is_refused_by_size_without_being_read(tmp_path, bad_gen, resources):
    big = tmp_path / "big.txt"
    bad_gen._write_big(big, bad_gen.BIG_BYTES, bad_gen.STORY + "\n\n")
    tracemalloc.start()
    started = time.monotonic()
    try:
        out = list(code_documents(read_inputs([str(big)]), Options(), resources))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [(rej, events)] = out
    assert isinstance(rej, Rejected) and rej.reason == "too-large" and events == []
    assert "52,428,800 bytes" in rej.message
    assert time.monotonic() - started < 5
    assert peak < 5 * 1024 * 1024, f"peak {peak:,} bytes"


def test_50mb_jsonl_row_is_rejected_alone_with_bounded_memory(tmp_path, bad_gen):
    f = tmp_path / "rows.jsonl"
    with f.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "before", "text": bad_gen.STORY}) + "\n")
        fh.write('{"id": "huge", "text": "')
        chunk = "word " * 200_000
        for _ in range(bad_gen.BIG_BYTES // len(chunk)):
            fh.write(chunk)
        fh.write('"}\n')
        fh.write(json.dumps({"id": "after", "text": bad_gen.STORY}) + "\n")
    tracemalloc.start()
    started = time.monotonic()
    try:
        out = list(read_inputs([str(f)]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [d.id for d in out] == ["before", f"{f}:2", "after"]
    assert out[1].reason == "too-large"
    assert time.monotonic() - started < 15
    assert peak < 40 * 1024 * 1024, f"peak {peak:,} bytes"  # one row's limit (16 MiB) and change, not 50 MB


def test_50_million_character_document_is_rejected_by_max_doc_chars(resources):
    doc = Document(id="huge", text="Chile accused Peru. " * 2_500_000)
    started = time.monotonic()
    [(rej, events)] = list(code_documents([doc], Options(), resources))
    assert rej.reason == "too-large" and "50,000,000 characters" in rej.message and events == []
    assert time.monotonic() - started < 2


def test_100k_word_sentence_is_rejected_within_seconds(bad_gen, resources):
    import random

    rng = random.Random(7)
    text = " ".join(rng.choice(bad_gen.WORDS) for _ in range(100_000))
    started = time.monotonic()
    [(rej, events)] = list(code_documents([Document(id="run-on", text=text)], Options(), resources))
    assert isinstance(rej, Rejected) and rej.reason == "too-long-sentence" and events == []
    assert "100,000 tokens without a sentence end" in rej.message
    assert time.monotonic() - started < 10


def test_long_run_under_the_limit_is_coded_in_pieces(bad_gen, resources):
    import random

    rng = random.Random(8)
    opts = Options(max_sentence_tokens=50, max_run_tokens=500)
    text = " ".join(rng.choice(bad_gen.WORDS) for _ in range(450)) + "."
    [(doc, events)] = list(code_documents([Document(id="pieces", text=text)], opts, resources))
    assert isinstance(doc, Document) and events
    for ev in events:
        assert ev.sentence in doc.text
        assert len(ev.sentence.split()) <= 50
    assert len({ev.sentence_index for ev in events}) >= 3
    # one token over the run limit (max_run_tokens) is rejected
    over = " ".join(rng.choice(bad_gen.WORDS) for _ in range(501))
    [(rej, _)] = list(code_documents([Document(id="over", text=over)], opts, resources))
    assert rej.reason == "too-long-sentence"

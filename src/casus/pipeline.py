"""The coding pipeline as a library: documents in, (document, events) out, parsed in batches.

``code_text`` codes one string; ``code_documents`` streams any number of documents with bounded
memory. Every document ends coded (possibly with no events) or rejected with a reason.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

from . import __version__
from .actors.kb import KnowledgeBase, default_kb
from .actors.resolve import MentionIndex, mention_index
from .coding.coder import SentenceCoder
from .coding.lexicon import Lexicon, default_lexicon
from .config import Options
from .datafiles import DATA_DIR
from .errors import DocumentRejected
from .ingest.clean import clean_text
from .ingest.lang import detect_language
from .ingest.readers import Rejected
from .model import Document, Event
from .nlp import get_nlp
from .ontology import Ontology, load_ontology


@lru_cache(maxsize=1)
def data_fingerprint() -> str:
    """A short hash of the packaged knowledge files: part of the coder version."""
    h = hashlib.sha1()
    for p in sorted(DATA_DIR.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(DATA_DIR).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:8]


def coder_version() -> str:
    return f"casus-{__version__}+{data_fingerprint()}"


@dataclass
class Resources:
    """What coding needs, loaded once per process."""

    nlp: object
    lexicon: Lexicon
    kb: KnowledgeBase
    index: MentionIndex
    ontology: Ontology
    version: str


def load_resources(options: Options | None = None) -> Resources:
    options = options or Options()
    nlp = get_nlp()
    kb = default_kb(tuple(options.actors))
    from .context.places import gazetteer

    gazetteer()  # built once per process, before the first document
    return Resources(nlp, default_lexicon(tuple(options.lexicon)), kb, mention_index(nlp, kb),
                     load_ontology(), coder_version())


SENTENCE_END = re.compile(r"[.!?…。！？](?=[\s\"'”’)\]]|$)|\n\s*\n")
WORDISH = re.compile(r"\w+|[^\w\s]")  # words and punctuation marks, roughly the tokens spaCy will make


def longest_run(text: str) -> int:
    """Tokens in the longest stretch of text without a sentence end or a blank line (linear time)."""
    return max((len(WORDISH.findall(part)) for part in SENTENCE_END.split(text)), default=0)


def prepare(doc: Document, options: Options) -> Document:
    """Clean a document and check it can be coded; raise DocumentRejected otherwise."""
    if len(doc.text) > options.max_doc_chars:
        raise DocumentRejected("too-large", f"{doc.provenance or doc.id}: {len(doc.text):,} characters, "
                                            f"over the {options.max_doc_chars:,} limit (max_doc_chars)")
    original = doc.text
    if options.clean and not doc.removed:
        result = clean_text(doc.text, doc.title)
        doc.text = result.text
        doc.title = result.title or doc.title
        doc.source = doc.source or result.outlet
        doc.removed = result.removed
        doc.date = doc.date or result.date
    # the language of what was read, when cleaning (which knows English page furniture) left nothing
    lang = detect_language(doc.text if doc.text.strip() else original)
    doc.language = lang
    if lang is not None and lang not in options.languages and "*" not in options.languages:
        raise DocumentRejected("language", f"{doc.provenance or doc.id}: language {lang!r} has no pipeline")
    if not doc.text.strip():
        raise DocumentRejected("empty", f"{doc.provenance or doc.id}: no story text after cleaning")
    run = longest_run(doc.text)
    run_limit = options.max_run_tokens
    if run > run_limit:
        raise DocumentRejected("too-long-sentence", f"{doc.provenance or doc.id}: {run:,} tokens without a "
                                                    f"sentence end, over the {run_limit:,} limit "
                                                    f"(max_run_tokens)")
    doc.date = doc.date or options.date
    return doc


def _sentences(spacy_doc, max_tokens: int):
    """Sentences, with overlong runs (scraping accidents) cut into bounded pieces."""
    max_tokens = max(1, max_tokens)  # a zero or negative option must not stop the loop
    for sent in spacy_doc.sents:
        if len(sent) <= max_tokens:
            yield sent
        else:
            for start in range(sent.start, sent.end, max_tokens):
                yield spacy_doc[start: min(start + max_tokens, sent.end)]


def code_parsed(spacy_doc, doc: Document, res: Resources, options: Options) -> list[Event]:
    """Code one parsed document."""
    coder = SentenceCoder(spacy_doc, doc.id, doc.date, res.lexicon, res.ontology, res.index, res.version)
    events: list[Event] = []
    for i, sent in enumerate(_sentences(spacy_doc, options.max_sentence_tokens)):
        for ev in coder.code_sentence(sent, i, sent.start_char):
            if ev.confidence >= options.min_confidence:
                events.append(ev)
    from .context import annotate

    annotate(events, spacy_doc, doc, coder.actors)
    return events


def code_documents(docs: Iterable[Document | Rejected], options: Options | None = None,
                   resources: Resources | None = None) -> Iterator[tuple[Document | Rejected, list[Event]]]:
    """Code documents in batches; yields ``(document, events)`` or ``(Rejected, [])`` in input order."""
    options = options or Options()
    res = resources or load_resources(options)
    batch: list[Document | Rejected] = []

    def flush() -> Iterator[tuple[Document | Rejected, list[Event]]]:
        ready = [d for d in batch if isinstance(d, Document)]
        parsed = iter(res.nlp.pipe((d.text for d in ready), batch_size=options.batch_size))
        for d in batch:
            if isinstance(d, Rejected):
                yield d, []
            else:
                yield d, code_parsed(next(parsed), d, res, options)
        batch.clear()

    for doc in docs:
        if isinstance(doc, Document):
            try:
                doc = prepare(doc, options)
            except DocumentRejected as exc:
                doc = Rejected(doc.id, doc.provenance or doc.id, exc.reason, exc.message)
        batch.append(doc)
        if len(batch) >= options.batch_size:
            yield from flush()
    if batch:
        yield from flush()


def code_text(text: str, date: str | None = None, *, doc_id: str = "text", title: str | None = None,
              options: Options | None = None) -> list[Event]:
    """Code one article's text; ``date`` (YYYY-MM-DD) is its publication date."""
    options = options or Options()
    doc = Document(id=doc_id, text=text, title=title, date=date, raw_text=text)
    for _, events in code_documents([doc], options):
        return events
    return []

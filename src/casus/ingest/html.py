"""HTML pages: main text and metadata (title, site, date, url) with trafilatura."""
from __future__ import annotations

from pathlib import Path

from ..model import Document
from .readers import Rejected, _read_bytes, decode



def html_to_document(html: str, doc_id: str, provenance: str, date: str | None = None,
                     url: str | None = None) -> Document | Rejected:
    """Extract the article from one HTML page (comments excluded)."""
    from trafilatura import bare_extraction

    try:
        result = bare_extraction(html, url=url, include_comments=False, include_tables=False,
                                 with_metadata=True, favor_precision=True)
    except Exception as exc:  # trafilatura raises a variety of parser errors on broken markup
        return Rejected(doc_id, provenance, "bad-html", f"{provenance}: HTML could not be parsed ({type(exc).__name__})")
    if result is None or not (getattr(result, "text", None) or "").strip():
        return Rejected(doc_id, provenance, "no-article", f"{provenance}: no article text found in the page")
    page_date = getattr(result, "date", None)
    return Document(
        id=doc_id,
        text=result.text,
        title=getattr(result, "title", None),
        url=getattr(result, "url", None) or url,
        source=getattr(result, "sitename", None),
        date=(page_date[:10] if page_date else None) or date,
        provenance=provenance,
        raw_text=result.text,
    )


def read_html_file(path: Path, doc_id: str, date: str | None = None) -> Document | Rejected:
    try:
        data = _read_bytes(path)
    except OSError as exc:
        return Rejected(doc_id, str(path), "unreadable", f"{path}: {exc.strerror or exc}")
    text = decode(data)
    if text is None:
        return Rejected(doc_id, str(path), "binary", f"{path}: binary data, not HTML")
    if not text.strip():
        return Rejected(doc_id, str(path), "empty", f"{path}: empty file")
    return html_to_document(text, doc_id, str(path), date)

"""HTML pages: main text and metadata (title, site, date, url) with trafilatura."""
from __future__ import annotations

import re
from pathlib import Path

from ..model import Document
from .readers import MAX_DOC_BYTES, Rejected, declared_charset, display_path, read_document_text

DEPTH_LIMIT = 250  # libxml2's HTML parser silently drops everything nested deeper than 256 elements
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*?(/?)>")
# Elements that never hold children, or that the parser closes by itself when the next one opens:
# neither makes a page deeper.
FLAT = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
        "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot",
        "colgroup", "rt", "rp"}
# What a flattened page keeps: document structure, metadata, and the elements that carry article text.
KEEP = {"html", "head", "body", "title", "meta", "link", "script", "style", "time", "article", "main",
        "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote"}


def too_deep(html: str, limit: int = DEPTH_LIMIT) -> bool:
    """Whether the markup nests deeper than the parser keeps (content below would be lost unseen)."""
    depth = 0
    for m in TAG.finditer(html):
        closing, name, selfclosing = m.group(1), m.group(2).lower(), m.group(3)
        if name in FLAT or selfclosing:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        if depth > limit:
            return True
    return False


def flatten(html: str) -> str:
    """The page without its wrapper elements (div, span, font, table...): text and paragraphs stay."""
    return TAG.sub(lambda m: m.group(0) if m.group(2).lower() in KEEP else " ", html)


def html_to_document(html: str, doc_id: str, provenance: str, date: str | None = None,
                     url: str | None = None) -> Document | Rejected:
    """Extract the article from one HTML page (comments excluded).

    A page nested deeper than the HTML parser keeps (broken markup, unclosed wrappers) is flattened
    first, so that its text is not silently lost.
    """
    from trafilatura import bare_extraction

    note = ""
    if too_deep(html):
        html = flatten(html)
        note = f" (markup nested over {DEPTH_LIMIT} levels deep was flattened)"
    try:
        result = bare_extraction(html, url=url, include_comments=False, include_tables=False,
                                 with_metadata=True, favor_precision=True)
    except Exception as exc:  # trafilatura and lxml raise a variety of parser errors on broken markup
        return Rejected(doc_id, provenance, "bad-html",
                        f"{provenance}: HTML could not be parsed ({type(exc).__name__}){note}")
    if result is None or not (getattr(result, "text", None) or "").strip():
        return Rejected(doc_id, provenance, "no-article", f"{provenance}: no article text found in the page{note}")
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


def read_html_file(path: Path, doc_id: str, date: str | None = None,
                   max_bytes: int = MAX_DOC_BYTES) -> Document | Rejected:
    """One saved page; its ``<meta charset>`` is honoured when the bytes are not UTF-8."""
    text = read_document_text(path, doc_id, max_bytes, "HTML", declared_charset)
    if isinstance(text, Rejected):
        return text
    return html_to_document(text, doc_id, display_path(path), date)

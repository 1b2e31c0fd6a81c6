"""RSS and Atom feeds (feedparser): one document per item, full content when the feed carries it.

For a feed given by URL, an item that carries only a teaser has its page fetched (http and https
links only; bounded in size and time) and the article read from the page.
"""
from __future__ import annotations

import http.client
import re
from pathlib import Path
from typing import Iterator

from .. import __version__
from ..model import Document
from .readers import (MAX_DOC_BYTES, Rejected, TooLarge, declared_charset, decode, display_path,
                      read_document_bytes, read_limited)

SUMMARY_ONLY_WORDS = 80  # an item shorter than this is a teaser; for feed URLs its page is fetched
FETCH_TIMEOUT = 20.0  # seconds per request: a slow server costs one item, not the run
USER_AGENT = f"casus/{__version__} (news event coder)"  # many news sites refuse requests without one
# what a fetch can fail with: network and HTTP errors (OSError), bad URLs (ValueError), broken responses
FETCH_ERRORS = (OSError, ValueError, http.client.HTTPException)
CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def _date(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        t = entry.get(key)
        if t:
            return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
    return None


def _html_text(html: str) -> str:
    from .html import html_to_document

    doc = html_to_document(f"<html><body><article>{html}</article></body></html>", "x", "feed")
    if isinstance(doc, Document):
        return doc.text
    return re.sub(r"<[^>]+>", " ", html)


def feed_documents(data: bytes, provenance: str, date: str | None = None, fetch_pages: bool = False,
                   content_type: str | None = None,
                   max_bytes: int = MAX_DOC_BYTES) -> Iterator[Document | Rejected]:
    """The items of one feed's bytes. A feed with broken XML is read as far as feedparser can."""
    import io

    import feedparser

    headers = {"content-type": content_type} if content_type else None
    # a stream, not bytes: feedparser would try short bytes as a file name to open ("/dev/zero")
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    bozo = f"the feed is malformed: {parsed.get('bozo_exception')}" if parsed.get("bozo") else None
    name = Path(provenance).name or provenance
    if not parsed.entries:
        reason = f"not a readable feed ({parsed.get('bozo_exception')})" if bozo else "feed has no items"
        yield Rejected(name, provenance, "bad-feed", f"{provenance}: {reason}")
        return
    site = parsed.feed.get("title")
    for n, entry in enumerate(parsed.entries, start=1):
        ident = entry.get("id") or entry.get("link") or f"{name}#{n}"
        where = f"{provenance}#{n}"
        content = entry.get("content") or []
        html = (content[0].get("value") if content else None) or entry.get("summary") or ""
        text = _html_text(html) if "<" in html else html
        link = entry.get("link")
        if fetch_pages and link and len(text.split()) < SUMMARY_ONLY_WORDS:
            page = fetch_page(link, max_bytes)
            if page is not None:
                from .html import html_to_document

                doc = html_to_document(page, str(ident), link, date, url=link)
                if isinstance(doc, Document):
                    doc.title = doc.title or entry.get("title")
                    doc.date = _date(entry) or doc.date
                    doc.source = doc.source or site
                    yield doc
                    continue
        if not text.strip():
            if bozo:
                yield Rejected(str(ident), where, "bad-feed", f"{where}: item has no text ({bozo})")
            else:
                yield Rejected(str(ident), where, "empty", f"{where}: item has no text")
            continue
        yield Document(id=str(ident), text=text, title=entry.get("title"), url=link,
                       source=site, date=_date(entry) or date, provenance=where, raw_text=text)


def read_feed_file(path: Path, date: str | None = None, max_bytes: int = MAX_DOC_BYTES) -> Iterator[Document | Rejected]:
    data = read_document_bytes(path, display_path(path.name), max_bytes)
    if isinstance(data, Rejected):
        yield data
        return
    yield from feed_documents(data, display_path(path), date, max_bytes=max_bytes)


def fetch(url: str, max_bytes: int = MAX_DOC_BYTES, timeout: float = FETCH_TIMEOUT) -> tuple[bytes, str | None]:
    """The body and Content-Type of an http(s) URL; one of FETCH_ERRORS when it cannot be had."""
    import urllib.request

    if not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url}")  # a feed must not make us read file:// or ftp://
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - http(s) only, checked above
        data = read_limited(resp, max_bytes)
        if getattr(resp, "length", None):  # the server closed before sending its announced Content-Length
            raise http.client.IncompleteRead(data, resp.length)
        return data, resp.headers.get("Content-Type")


def _charset(content_type: str | None) -> str | None:
    m = CHARSET.search(content_type or "")
    return m.group(1) if m else None


def fetch_page(url: str, max_bytes: int = MAX_DOC_BYTES) -> str | None:
    """An item's page as text, or None when it cannot be fetched (the item's own text is used then)."""
    try:
        raw, ctype = fetch(url, max_bytes)
    except FETCH_ERRORS:
        return None
    return decode(raw, _charset(ctype) or declared_charset(raw))


def read_feed_url(url: str, date: str | None = None, max_bytes: int = MAX_DOC_BYTES) -> Iterator[Document | Rejected]:
    try:
        data, ctype = fetch(url, max_bytes)
    except TooLarge as exc:
        yield Rejected(url, url, "too-large", f"{url}: {exc}")
        return
    except FETCH_ERRORS as exc:
        yield Rejected(url, url, "unreadable", f"{url}: could not be fetched ({getattr(exc, 'reason', None) or exc})")
        return
    # the raw bytes go to feedparser, which honours the XML declaration's and the server's encoding
    yield from feed_documents(data, url, date, fetch_pages=True, content_type=ctype, max_bytes=max_bytes)

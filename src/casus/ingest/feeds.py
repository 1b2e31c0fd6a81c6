"""RSS and Atom feeds (feedparser): one document per item, full content when the feed carries it."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from ..model import Document
from .readers import Rejected, _read_bytes

SUMMARY_ONLY_WORDS = 80  # an item shorter than this is a teaser; for feed URLs its page is fetched


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


def feed_documents(data: bytes, provenance: str, date: str | None = None,
                   fetch_pages: bool = False) -> Iterator[Document | Rejected]:
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = f"not a readable feed ({parsed.get('bozo_exception')})" if parsed.get("bozo") else "feed has no items"
        yield Rejected(Path(provenance).name, provenance, "bad-feed", f"{provenance}: {reason}")
        return
    site = parsed.feed.get("title")
    for n, entry in enumerate(parsed.entries, start=1):
        ident = entry.get("id") or entry.get("link") or f"{Path(provenance).name}#{n}"
        where = f"{provenance}#{n}"
        content = entry.get("content") or []
        html = content[0].get("value") if content else entry.get("summary", "")
        text = _html_text(html) if html and "<" in html else (html or "")
        if fetch_pages and entry.get("link") and len(text.split()) < SUMMARY_ONLY_WORDS:
            page = _fetch(entry["link"])
            if page is not None:
                from .html import html_to_document

                doc = html_to_document(page, str(ident), entry["link"], date, url=entry["link"])
                if isinstance(doc, Document):
                    doc.title = doc.title or entry.get("title")
                    doc.date = _date(entry) or doc.date
                    yield doc
                    continue
        if not text.strip():
            yield Rejected(str(ident), where, "empty", f"{where}: item has no text")
            continue
        yield Document(id=str(ident), text=text, title=entry.get("title"), url=entry.get("link"),
                       source=site, date=_date(entry) or date, provenance=where, raw_text=text)


def read_feed_file(path: Path, date: str | None = None) -> Iterator[Document | Rejected]:
    try:
        data = _read_bytes(path)
    except OSError as exc:
        yield Rejected(path.name, str(path), "unreadable", f"{path}: {exc.strerror or exc}")
        return
    yield from feed_documents(data, str(path), date)


def _fetch(url: str, timeout: float = 20.0) -> str | None:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - user-given feed/page URL
            raw = resp.read(16 * 1024 * 1024)
    except (OSError, ValueError):
        return None
    from .readers import decode

    return decode(raw)


def read_feed_url(url: str, date: str | None = None) -> Iterator[Document | Rejected]:
    page = _fetch(url)
    if page is None:
        yield Rejected(url, url, "unreadable", f"{url}: could not be fetched")
        return
    yield from feed_documents(page.encode("utf-8"), url, date, fetch_pages=True)

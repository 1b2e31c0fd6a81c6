"""WARC and WARC.gz archives (warcio): each HTML response record becomes one document.

The archive is streamed record by record. Records that are not HTML (requests, metadata, images,
scripts) are skipped. A record cut short by the end of the file, an oversized record, and an archive
that breaks part-way are each reported as a rejection; the records before them are kept.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from ..model import Document
from .readers import MAX_DOC_BYTES, Rejected, decode, display_path, open_input, read_failure

DRAIN_CHUNK = 1024 * 1024  # skipped bytes of an oversized record are read and dropped in pieces this big
SNIFF = 512  # bytes read to check that a file is an archive at all


def _is_html(record) -> bool:
    if record.rec_type == "response":
        ctype = record.http_headers.get_header("Content-Type") if record.http_headers else None
    elif record.rec_type == "resource":  # pages stored without their HTTP exchange (browser-based crawlers)
        ctype = record.rec_headers.get_header("Content-Type")
    else:
        return False
    return "html" in (ctype or "").lower()


def _charset(record) -> str | None:
    from .feeds import _charset as charset_of

    headers = record.http_headers if record.rec_type == "response" else record.rec_headers
    return charset_of(headers.get_header("Content-Type") if headers else None)


def _drain(stream) -> None:
    while stream.read(DRAIN_CHUNK):
        pass


def _missing(record) -> int:
    """Bytes the record announced (WARC Content-Length) but the file does not hold: > 0 when truncated."""
    stream = record.raw_stream
    while stream is not None and not hasattr(stream, "limit"):
        stream = getattr(stream, "stream", None)
    return max(0, getattr(stream, "limit", 0) or 0)


def _head(fh) -> bytes | None:
    """The first bytes of the archive's first record (decompressed when the file is gzip); None when
    the gzip data cannot be decompressed."""
    import zlib

    raw = fh.read(SNIFF)
    fh.seek(0)
    if raw.startswith(b"\x1f\x8b"):
        try:
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw, 64)
        except zlib.error:
            return None
    return raw[:64]


def read_warc_file(path: Path, date: str | None = None, max_bytes: int = MAX_DOC_BYTES) -> Iterator[Document | Rejected]:
    """HTML response records of one archive, streamed."""
    from warcio.archiveiterator import ArchiveIterator

    from .html import html_to_document

    shown = display_path(path)
    name = display_path(path.name)
    n = 0  # HTML records seen
    records = 0  # records of any kind read
    fh = open_input(path, name)
    if isinstance(fh, Rejected):
        yield fh
        return
    with fh:
        try:
            head = _head(fh)
        except OSError as exc:
            yield read_failure(name, path, exc)
            return
        if head is None:
            yield Rejected(name, shown, "bad-warc", f"{shown}: not a WARC or ARC archive (its gzip data is damaged)")
            return
        if head and not head.lstrip().startswith((b"WARC/", b"filedesc://")):
            yield Rejected(name, shown, "bad-warc", f"{shown}: not a WARC or ARC archive (it starts with {head[:20]!r})")
            return
        try:
            archive = ArchiveIterator(fh)
            for record in archive:
                records += 1
                if not _is_html(record):
                    _drain(record.raw_stream)
                    if _missing(record):  # the archive ends inside a record that is not a page
                        raise EOFError(f"the archive ends inside record {records} ({record.rec_type})")
                    continue
                n += 1
                url = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{shown}#{n}"
                doc_id = url or where
                content = record.content_stream()
                body = content.read(max_bytes + 1)
                if len(body) > max_bytes:
                    _drain(content)
                    yield Rejected(doc_id, where, "too-large",
                                   f"{where}: record is over the {max_bytes:,}-byte limit of one document")
                    continue
                _drain(content)
                if _missing(record):
                    yield Rejected(doc_id, where, "bad-warc", f"{where}: record is truncated: the archive ends "
                                                              f"{_missing(record):,} byte(s) before the record does")
                    continue
                html = decode(body, _charset(record))
                if html is None:
                    yield Rejected(doc_id, where, "binary", f"{where}: record is not text")
                    continue
                if not html.strip():
                    yield Rejected(doc_id, where, "empty", f"{where}: record has no content")
                    continue
                wdate = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
                doc = html_to_document(html, doc_id, where, date or wdate, url=url)
                if isinstance(doc, Document) and doc.date is None:
                    doc.date = wdate
                yield doc
            # warcio ends quietly when the file stops inside a record's headers: the end of the last
            # whole record must be the end of the file
            size = os.fstat(fh.fileno()).st_size
            if archive.offset < size:
                raise EOFError(f"the archive ends inside a record (bytes {archive.offset:,} to {size:,} "
                               "are not a whole record)")
        except Exception as exc:  # noqa: BLE001 - warcio and zlib fail in many ways on damaged archives
            detail = str(exc) if isinstance(exc, EOFError) and str(exc) else f"{type(exc).__name__}: {exc!s:.200}"
            yield Rejected(f"{name}#{n + 1}", shown, "bad-warc",
                           f"{shown}: archive ends or breaks after {n} HTML record(s) ({detail})")
            return
    if n == 0:
        what = "no records" if records == 0 else f"{records} record(s), none of them an HTML page"
        yield Rejected(name, shown, "empty", f"{shown}: archive holds {what}")

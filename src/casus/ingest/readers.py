"""Readers: every input form becomes :class:`~casus.model.Document` records, or a :class:`Rejected` with a reason.

Supported: plain text files, directories (recursive), ``-`` for stdin, JSON Lines records
``{"id", "text", "title"?, "date"?, "url"?, "source"?}``, HTML pages, RSS/Atom feeds, WARC/WARC.gz.
A file that cannot be read yields a ``Rejected`` naming its path and the reason; the run goes on.

Memory is bounded: no single document (a file, a JSON Lines row, a WARC record, stdin, a fetched
page) is read beyond ``max_bytes``; JSON Lines files and WARC archives are streamed, so they may be
of any size.
"""
from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from charset_normalizer import from_bytes

from ..model import Document

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
WARC_SUFFIXES = {".warc", ".gz", ".arc"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
MAX_DOC_BYTES = 16 * 1024 * 1024  # one document's bytes: far above any article page, small enough to hold in memory
MAX_FILE_BYTES = MAX_DOC_BYTES  # the former name, kept for callers
SNIFF_BYTES = 4096  # how much of a file is looked at to tell text from binary
BINARY_SHARE = 0.05  # more control characters than this share of the decoded text: binary, not text
DAMAGE_SHARE = 0.01  # UTF-8 with at most this share of broken bytes is damaged UTF-8, not a legacy encoding
# Files in a corpus directory that describe the corpus rather than belong to it.
NOT_ARTICLES = re.compile(r"^(readme|manifest|license|licence|copying|changelog)(\.\w+)?$", re.IGNORECASE)
# Single-byte code pages that charset detection confuses with each other on Western text; cp1252 (the
# Windows superset of Latin-1) is what English news in a legacy encoding almost always uses.
LATIN_FAMILY = {"cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_1", "iso8859_2", "iso8859_3",
                "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
                "cp437", "cp775", "cp850", "cp852", "cp857", "cp858", "cp860", "cp861", "cp863", "cp865",
                "mac_roman", "mac_latin2", "mac_iceland", "mac_turkish", "hp_roman8",
                "cp1006"}  # not Latin, but what detection returns for some short Western texts
META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
SURROGATES = re.compile(r"[\ud800-\udfff]")


@dataclass(slots=True)
class Rejected:
    """A document (or a whole input) that could not be coded, and why."""

    id: str
    provenance: str
    reason: str  # unreadable, empty, binary, too-large, bad-record, bad-html, bad-feed, bad-warc, language, ...
    message: str

    def to_dict(self) -> dict:
        return {"id": self.id, "provenance": self.provenance, "reason": self.reason, "message": self.message}


class TooLarge(OSError):
    """An input is over the reader's byte limit (raised before the whole of it is read)."""

    def __init__(self, limit: int, size: int | None = None) -> None:
        what = f"{size:,} bytes, " if size is not None else ""
        super().__init__(f"{what}over the {limit:,}-byte limit of one document")
        self.limit = limit


# -- text --------------------------------------------------------------------------------------
def safe_text(s: str) -> str:
    """``s`` without lone surrogates (from JSON ``\\ud800`` escapes), which cannot be written as UTF-8."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return SURROGATES.sub("\ufffd", s)
    return s


def display_path(path: Path | str) -> str:
    """A path as printable text: undecodable bytes in file names become U+FFFD instead of surrogates."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def _codec(name: str | bytes | None) -> str | None:
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", errors="ignore")
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag near its top, if Python knows it."""
    m = META_CHARSET.search(data[:SNIFF_BYTES])
    return _codec(m.group(1)) if m else None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few damaged bytes: decode with replacement. Legacy single-byte text almost never
    contains valid multi-byte UTF-8 sequences, so their presence tells the two apart."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return text if good > 0 and (bad <= good or bad <= DAMAGE_SHARE * len(text)) else None


def decode(data: bytes, declared: str | None = None) -> str | None:
    """Bytes to text; None for binary data.

    In order: a byte-order mark (UTF-8, UTF-16, UTF-32), valid UTF-8, the encoding the page or the
    server declared (``declared``), UTF-8 with a few damaged bytes, then the detected encoding, with
    cp1252 preferred to the other Latin code pages, which detection cannot tell apart on Western text.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return data.decode("utf-32", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:SNIFF_BYTES]:
        return None
    text = _decode_unmarked(data, declared)
    return None if text is None or looks_binary(text) else text


def _decode_unmarked(data: bytes, declared: str | None) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    codec = _codec(declared)
    if codec and codec not in ("utf-8", "utf-16", "utf-32"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
    best = from_bytes(data).best()
    if best is None:
        return None
    if _codec(best.encoding) in LATIN_FAMILY:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


def looks_binary(text: str) -> bool:
    """Decoded text full of control characters: binary data that happened to decode."""
    sample = text[:SNIFF_BYTES]
    controls = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or 0x7f <= ord(ch) < 0xa0)
    return controls > BINARY_SHARE * max(1, len(sample))


# -- bounded reading ---------------------------------------------------------------------------
def read_limited(fh: BinaryIO, limit: int) -> bytes:
    """All of ``fh``, or TooLarge as soon as it holds more than ``limit`` bytes."""
    data = fh.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(limit)
    return data


def _read_bytes(path: Path, limit: int = MAX_DOC_BYTES) -> bytes:
    """A file's bytes; a regular file over ``limit`` is refused before any of it is read."""
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        if stat.S_ISREG(st.st_mode) and st.st_size > limit:
            raise TooLarge(limit, st.st_size)
        return read_limited(fh, limit)


def _doc_id(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return display_path(path.relative_to(root))
        except ValueError:
            pass
    return display_path(path.name)


def read_failure(doc_id: str, path: Path | str, exc: OSError) -> Rejected:
    """The Rejected for a file that could not be read (too large, missing, no permission, I/O error)."""
    where = display_path(path)
    if isinstance(exc, TooLarge):
        return Rejected(doc_id, where, "too-large", f"{where}: {exc}")
    return Rejected(doc_id, where, "unreadable", f"{where}: {exc.strerror or exc}")


def open_input(path: Path, doc_id: str) -> BinaryIO | Rejected:
    """A file opened for streaming, or the Rejected saying why it cannot be."""
    try:
        return open(path, "rb")
    except OSError as exc:
        return read_failure(doc_id, path, exc)


def read_document_bytes(path: Path, doc_id: str, limit: int) -> bytes | Rejected:
    """A file's bytes, or the Rejected saying why not (unreadable, too large, empty)."""
    where = display_path(path)
    try:
        data = _read_bytes(path, limit)
    except OSError as exc:
        return read_failure(doc_id, path, exc)
    if not data.strip():
        return Rejected(doc_id, where, "empty", f"{where}: empty file")
    return data


def read_document_text(path: Path, doc_id: str, max_bytes: int, kind: str = "text",
                       charset: Callable[[bytes], str | None] | None = None) -> str | Rejected:
    """A file's decoded text (``charset`` may name the encoding the bytes declare), or the Rejected saying why
    not (unreadable, too large, empty, binary)."""
    where = display_path(path)
    data = read_document_bytes(path, doc_id, max_bytes)
    if isinstance(data, Rejected):
        return data
    text = decode(data, charset(data)) if charset is not None else decode(data)
    if text is None:
        return Rejected(doc_id, where, "binary", f"{where}: binary data, not {kind}")
    if not text.strip():
        return Rejected(doc_id, where, "empty", f"{where}: empty file")
    return text


def read_text_file(path: Path, doc_id: str, date: str | None = None,
                   max_bytes: int = MAX_DOC_BYTES) -> Document | Rejected:
    text = read_document_text(path, doc_id, max_bytes)
    if isinstance(text, Rejected):
        return text
    return Document(id=doc_id, text=text, date=date, provenance=display_path(path), raw_text=text)


# -- JSON Lines --------------------------------------------------------------------------------
def _record_date(value, default: str | None) -> str | None:
    """A record's ``date`` as YYYY-MM-DD (a longer ISO timestamp is cut to its day); otherwise the default."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            pass
    return default


def _record(line: str, where: str, date: str | None) -> Document | Rejected:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejected(where, where, "bad-record", f"{where}: invalid JSON ({exc.msg})")
    except RecursionError:
        return Rejected(where, where, "bad-record", f"{where}: invalid JSON (nested too deeply)")
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        return Rejected(where, where, "bad-record", f"{where}: record lacks a string 'text' field")
    rid = rec.get("id")
    rid = safe_text(str(rid)) if rid not in (None, "") and not isinstance(rid, (dict, list)) else where
    text = safe_text(rec["text"])
    if not text.strip():
        return Rejected(rid, where, "empty", f"{where}: empty text")

    def opt(key: str) -> str | None:
        v = rec.get(key)
        return safe_text(v) if isinstance(v, str) and v.strip() else None

    return Document(id=rid, text=text, title=opt("title"), url=opt("url"), source=opt("source"),
                    date=_record_date(rec.get("date"), date), provenance=where, raw_text=text)


def read_jsonl(lines: Iterable[str], provenance: str, date: str | None = None) -> Iterator[Document | Rejected]:
    """Documents from JSON Lines text; each malformed row is one ``bad-record`` rejection."""
    for n, line in enumerate(lines, start=1):
        if line.strip():
            yield _record(line, f"{provenance}:{n}", date)


def _skip_line(fh: BinaryIO) -> None:
    """Read past the rest of an overlong line without holding it."""
    while True:
        chunk = fh.readline(1024 * 1024)
        if not chunk or chunk.endswith(b"\n"):
            return


def read_jsonl_file(path: Path, date: str | None = None, max_bytes: int = MAX_DOC_BYTES) -> Iterator[Document | Rejected]:
    """A JSON Lines file, streamed row by row: any file size, each row at most ``max_bytes``."""
    where = display_path(path)
    name = display_path(path.name)
    fh = open_input(path, name)
    if isinstance(fh, Rejected):
        yield fh
        return
    with fh:
        try:
            head = fh.read(SNIFF_BYTES)
            fh.seek(0)
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # UTF-16: not line-streamable
                text = decode(read_limited(fh, max_bytes)) or ""
                docs = list(read_jsonl(text.split("\n"), where, date))
                yield from docs or [Rejected(name, where, "empty", f"{where}: no records")]
                return
            if b"\x00" in head:
                yield Rejected(name, where, "binary", f"{where}: binary data, not JSON Lines")
                return
            n = rows = 0
            while True:
                raw = fh.readline(max_bytes + 1)
                if not raw:
                    break
                n += 1
                if len(raw) > max_bytes:
                    _skip_line(fh)
                    rows += 1
                    yield Rejected(f"{where}:{n}", f"{where}:{n}", "too-large",
                                   f"{where}:{n}: row is over the {max_bytes:,}-byte limit of one document")
                    continue
                if n == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[3:]
                if not raw.strip():
                    continue
                rows += 1
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:  # JSON is UTF-8; a damaged or legacy row is decoded as best we can
                    line = decode(raw) or ""
                yield _record(line, f"{where}:{n}", date)
        except OSError as exc:
            yield read_failure(name, path, exc)
            return
    if rows == 0:
        yield Rejected(name, where, "empty", f"{where}: no records")


# -- files and directories ---------------------------------------------------------------------
DIR_SUFFIXES = TEXT_SUFFIXES - {".md"} | HTML_SUFFIXES | FEED_SUFFIXES | JSONL_SUFFIXES | {".warc", ".gz"}


def _iter_dir(root: Path) -> Iterator[Path]:
    """Article files under a directory; notes (README, manifests, licences) and other data files are left alone."""
    for p in sorted(root.rglob("*")):
        if not p.is_file() or p.name.startswith(".") or p.suffix.lower() not in DIR_SUFFIXES:
            continue
        if p.suffix.lower() == ".gz" and not p.name.lower().endswith((".warc.gz", ".arc.gz")):
            continue
        if NOT_ARTICLES.match(p.name):
            continue
        yield p


def read_path(path: Path, date: str | None = None, root: Path | None = None,
              max_bytes: int = MAX_DOC_BYTES) -> Iterator[Document | Rejected]:
    """Documents from one file, chosen by its suffix."""
    doc_id = _doc_id(path, root)
    suffix = path.suffix.lower()
    name = path.name.lower()
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl_file(path, date, max_bytes)
    elif suffix in HTML_SUFFIXES:
        from .html import read_html_file

        yield read_html_file(path, doc_id, date, max_bytes)
    elif suffix in FEED_SUFFIXES:
        from .feeds import read_feed_file

        yield from read_feed_file(path, date, max_bytes)
    elif name.endswith((".warc", ".warc.gz", ".arc.gz")):
        from .warc import read_warc_file

        yield from read_warc_file(path, date, max_bytes)
    else:
        yield read_text_file(path, doc_id, date, max_bytes)


def read_stdin(date: str | None = None, max_bytes: int = MAX_DOC_BYTES,
               stream: BinaryIO | None = None) -> Iterator[Document | Rejected]:
    """stdin as one text, or as JSON Lines when it starts with ``{``."""
    stream = stream if stream is not None else sys.stdin.buffer
    try:
        data = read_limited(stream, max_bytes)
    except OSError as exc:
        yield read_failure("stdin", "stdin", exc)
        return
    text = decode(data)
    if text is None:
        yield Rejected("stdin", "stdin", "binary", "stdin: binary data, not text")
    elif not text.strip():
        yield Rejected("stdin", "stdin", "empty", "stdin: no text")
    elif text.lstrip().startswith("{"):
        yield from read_jsonl(text.split("\n"), "stdin", date)
    else:
        yield Document(id="stdin", text=text, date=date, provenance="stdin", raw_text=text)


def read_inputs(inputs: Iterable[str], date: str | None = None, *,
                max_bytes: int = MAX_DOC_BYTES) -> Iterator[Document | Rejected]:
    """Every document of every input (files, directories, ``-`` for stdin, feed URLs).

    ``max_bytes`` bounds one document (file, row, record, page); larger ones are rejected as ``too-large``.
    """
    for item in inputs:
        if item == "-":
            yield from read_stdin(date, max_bytes)
            continue
        if item.startswith(("http://", "https://")):
            from .feeds import read_feed_url

            yield from read_feed_url(item, date, max_bytes)
            continue
        path = Path(item)
        shown = display_path(item)
        if path.is_dir():
            found = False
            for p in _iter_dir(path):
                found = True
                yield from read_path(p, date, root=path, max_bytes=max_bytes)
            if not found:
                yield Rejected(shown, shown, "empty", f"{shown}: no article files in this directory")
        elif path.exists():
            yield from read_path(path, date, max_bytes=max_bytes)
        else:
            yield Rejected(display_path(path.name) or shown, shown, "unreadable", f"{shown}: no such file or directory")

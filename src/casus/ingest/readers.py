"""Readers: every input form becomes :class:`~casus.model.Document` records, or a :class:`Rejected` with a reason.

Supported: plain text files, directories (recursive), ``-`` for stdin, JSON Lines records
``{"id", "text", "title"?, "date"?, "url"?, "source"?}``, HTML pages, RSS/Atom feeds, WARC/WARC.gz.
A file that cannot be read yields a ``Rejected`` naming its path and the reason; the run goes on.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from charset_normalizer import from_bytes

from ..model import Document

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
WARC_SUFFIXES = {".warc", ".gz", ".arc"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
MAX_FILE_BYTES = 64 * 1024 * 1024  # far above any article; protects memory from a stray dump


@dataclass(slots=True)
class Rejected:
    """A document (or a whole input) that could not be coded, and why."""

    id: str
    provenance: str
    reason: str  # unreadable, empty, binary, too-large, bad-record, language, ...
    message: str

    def to_dict(self) -> dict:
        return {"id": self.id, "provenance": self.provenance, "reason": self.reason, "message": self.message}


def decode(data: bytes) -> str | None:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else the best detected encoding.
    Returns None for binary data."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    sample = data[:4096]
    if b"\x00" in sample:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        return None
    return str(best)


def _read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise OSError(f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
    return path.read_bytes()


def _doc_id(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.relative_to(root))
        except ValueError:
            pass
    return path.name


def read_text_file(path: Path, doc_id: str, date: str | None = None) -> Document | Rejected:
    try:
        data = _read_bytes(path)
    except OSError as exc:
        return Rejected(doc_id, str(path), "unreadable", f"{path}: {exc.strerror or exc}")
    text = decode(data)
    if text is None:
        return Rejected(doc_id, str(path), "binary", f"{path}: binary data, not text")
    if not text.strip():
        return Rejected(doc_id, str(path), "empty", f"{path}: empty file")
    return Document(id=doc_id, text=text, date=date, provenance=str(path), raw_text=text)


def read_jsonl(lines: Iterable[str], provenance: str, date: str | None = None) -> Iterator[Document | Rejected]:
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{provenance}:{n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejected(where, where, "bad-record", f"{where}: invalid JSON ({exc.msg})")
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
            yield Rejected(where, where, "bad-record", f"{where}: record lacks a string 'text' field")
            continue
        if not rec["text"].strip():
            yield Rejected(str(rec.get("id") or where), where, "empty", f"{where}: empty text")
            continue
        rid = rec.get("id")
        yield Document(
            id=str(rid) if rid not in (None, "") else where,
            text=rec["text"],
            title=rec.get("title") if isinstance(rec.get("title"), str) else None,
            url=rec.get("url") if isinstance(rec.get("url"), str) else None,
            source=rec.get("source") if isinstance(rec.get("source"), str) else None,
            date=str(rec["date"])[:10] if rec.get("date") else date,
            provenance=where,
            raw_text=rec["text"],
        )


DIR_SUFFIXES = TEXT_SUFFIXES - {".md"} | HTML_SUFFIXES | FEED_SUFFIXES | JSONL_SUFFIXES | {".warc", ".gz"}


def _iter_dir(root: Path) -> Iterator[Path]:
    """Article files under a directory; notes, manifests and other data files are left alone."""
    for p in sorted(root.rglob("*")):
        if not p.is_file() or p.name.startswith(".") or p.suffix.lower() not in DIR_SUFFIXES:
            continue
        if p.suffix.lower() == ".gz" and not p.name.lower().endswith((".warc.gz", ".arc.gz")):
            continue
        yield p


def read_path(path: Path, date: str | None = None, root: Path | None = None) -> Iterator[Document | Rejected]:
    """Documents from one file, chosen by its suffix (and for ambiguous files, its first bytes)."""
    doc_id = _doc_id(path, root)
    suffix = path.suffix.lower()
    name = path.name.lower()
    if suffix in JSONL_SUFFIXES:
        try:
            data = _read_bytes(path)
        except OSError as exc:
            yield Rejected(doc_id, str(path), "unreadable", f"{path}: {exc.strerror or exc}")
            return
        text = decode(data)
        if text is None:
            yield Rejected(doc_id, str(path), "binary", f"{path}: binary data, not JSON Lines")
            return
        yield from read_jsonl(text.splitlines(), str(path), date)
    elif suffix in HTML_SUFFIXES:
        from .html import read_html_file

        yield read_html_file(path, doc_id, date)
    elif suffix in FEED_SUFFIXES:
        from .feeds import read_feed_file

        yield from read_feed_file(path, date)
    elif name.endswith((".warc", ".warc.gz", ".arc.gz")):
        from .warc import read_warc_file

        yield from read_warc_file(path, date)
    else:
        yield read_text_file(path, doc_id, date)


def read_inputs(inputs: Iterable[str], date: str | None = None) -> Iterator[Document | Rejected]:
    """Every document of every input (files, directories, ``-`` for stdin, feed URLs)."""
    for item in inputs:
        if item == "-":
            data = sys.stdin.buffer.read()
            text = decode(data)
            if text is None or not text.strip():
                yield Rejected("stdin", "stdin", "empty" if text is not None else "binary", "stdin: no text")
            elif text.lstrip().startswith("{"):
                yield from read_jsonl(text.splitlines(), "stdin", date)
            else:
                yield Document(id="stdin", text=text, date=date, provenance="stdin", raw_text=text)
            continue
        if item.startswith(("http://", "https://")):
            from .feeds import read_feed_url

            yield from read_feed_url(item, date)
            continue
        path = Path(item)
        if path.is_dir():
            for p in _iter_dir(path):
                yield from read_path(p, date, root=path)
        elif path.exists():
            yield from read_path(path, date)
        else:
            yield Rejected(path.name, item, "unreadable", f"{item}: no such file or directory")

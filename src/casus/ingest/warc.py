"""WARC and WARC.gz archives (warcio): each HTML response record becomes one document."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..model import Document
from .readers import Rejected, decode


def read_warc_file(path: Path, date: str | None = None) -> Iterator[Document | Rejected]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from .html import html_to_document

    n = 0
    try:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
                if "html" not in ctype.lower():
                    continue
                n += 1
                url = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{path}#{n}"
                html = decode(record.content_stream().read())
                if html is None:
                    yield Rejected(url or where, where, "binary", f"{where}: record is not text")
                    continue
                wdate = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
                doc = html_to_document(html, url or where, where, date or wdate, url=url)
                if isinstance(doc, Document) and doc.date is None:
                    doc.date = wdate
                yield doc
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        yield Rejected(f"{path.name}#{n + 1}", str(path), "bad-warc",
                       f"{path}: archive ends or breaks after {n} record(s) ({type(exc).__name__}: {exc})")

"""Constants and helpers of the web tests (a uniquely named module: several test folders have a conftest)."""
from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "samples" / "corpus"
XSS_ID = "xss-probe"
# An article written to attack the dashboard: script tags, an event handler and javascript: links in its
# text, title, source and URL. Each payload sets window.casusXss, so a browser test can tell if any ran.
XSS_RECORD = {
    "id": XSS_ID,
    "title": "<script>window.casusXss=1</script>Border talks resume",
    "text": ("Armenia accused Azerbaijan of shelling border villages on Monday. "
             "<script>window.casusXss=2;alert(1)</script>\n\n"
             "The foreign ministry in Yerevan said <img src=x onerror=\"window.casusXss=3\"> that talks with Baku "
             "would resume, see <a href=\"javascript:window.casusXss=4\">the statement</a>."),
    "date": "2025-10-20",
    "url": "javascript:window.casusXss=5",
    "source": "<b>Evil</b> Wire",
}


def file_digest(path: Path) -> str:
    """The database file's bytes, hashed (with its WAL, if any): equal digests mean nothing was written."""
    h = hashlib.sha256()
    for p in (path, Path(str(path) + ".wal")):
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()

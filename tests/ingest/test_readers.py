"""Readers: every input form becomes Documents, or Rejections that name the input and the reason.

Fixtures are the texts written for casus in tests/fixtures/inputs (see its README); WARC archives,
encodings, directories and the feed server are built here, in tmp_path and on 127.0.0.1.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from casus.config import Options
from casus.ingest.readers import Rejected, decode, read_inputs, read_stdin
from casus.model import Document
from casus.pipeline import code_documents

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
INPUTS = FIXTURES / "inputs"
GHANA = "world-digest-2025-10-14-ghana-togo"
VIETNAM = "world-digest-2025-10-15-vietnam-philippines"
AUSTRIA = "world-digest-2025-10-16-oesterreich-schweiz"
NEWS_TITLE = "Kyrgyzstan and Tajikistan agree ceasefire after deadly border clashes"
NEWS_FIRST = ("Kyrgyzstan and Tajikistan agreed on Sunday to a full ceasefire along their disputed border, "
              "after three days of clashes that killed at least nine people.")


def read(*inputs, **kw) -> list[Document | Rejected]:
    return list(read_inputs([str(i) for i in inputs], **kw))


def by_id(items) -> dict[str, Document | Rejected]:
    return {d.id: d for d in items}


# -- plain text and HTML ------------------------------------------------------------------------
def test_plain_text_file_is_one_document_with_its_path():
    [doc] = read(INPUTS / "junky-article.txt")
    assert isinstance(doc, Document)
    assert doc.id == "junky-article.txt" and doc.provenance == str(INPUTS / "junky-article.txt")
    raw = (INPUTS / "junky-article.txt").read_text(encoding="utf-8")
    assert doc.text == raw and doc.raw_text == raw
    assert doc.date is None
    assert read(INPUTS / "junky-article.txt", date="2025-10-15")[0].date == "2025-10-15"


def test_html_page_gives_main_text_and_metadata():
    [doc] = read(INPUTS / "news-page.html")
    assert isinstance(doc, Document)
    assert doc.title == NEWS_TITLE
    assert doc.source == "Steppe Observer"
    assert doc.date == "2025-10-12"
    assert doc.url == "https://example.org/steppe-observer/2025/10/12/kyrgyzstan-tajikistan-ceasefire"
    assert NEWS_FIRST in doc.text
    expected = json.loads((INPUTS / "news-page.expected.json").read_text(encoding="utf-8"))
    assert all(sentence in doc.text for sentence in expected["story"][1:])
    # comments, the cookie banner and the comment form are not part of the main text
    assert "We value your privacy" not in doc.text and "Leave a Reply" not in doc.text


def test_html_page_date_wins_over_the_default_date():
    [doc] = read(INPUTS / "news-page.html", date="2000-01-01")
    assert doc.date == "2025-10-12"


def test_html_declared_charset_is_honoured(tmp_path):
    page = ("<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1251'>"
            "<title>Переговоры</title></head><body><article><p>Россия и Казахстан подписали соглашение о "
            "границе в понедельник, сообщили в министерстве иностранных дел.</p><p>Переговоры шли два "
            "года и завершились в Астане.</p></article></body></html>")
    f = tmp_path / "ru.html"
    f.write_bytes(page.encode("cp1251"))
    [doc] = read(f)
    assert "Россия и Казахстан подписали соглашение" in doc.text


# -- JSON Lines ---------------------------------------------------------------------------------
def test_jsonl_good_rows_and_each_malformed_row_rejected_with_its_line(tmp_path):
    rows = [
        json.dumps({"id": "r1", "text": "Chile praised Peru for the rescue.", "title": "Rescue",
                    "date": "2023-02-01T10:00:00Z", "url": "https://example.org/r1", "source": "Andes Daily"}),
        "",  # blank lines are not records
        "not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "r4", "text": 5}),
        json.dumps({"id": "r5", "text": "   "}),
        json.dumps({"text": "Iran accused Iraq of spying.", "date": "26/01/2022", "title": 7}),
        '{"id": "r7", "text": "Oman hosted the talks.\\ud800"}',  # a lone surrogate: valid JSON, not writable UTF-8
        "[" * 100_000 + "]" * 100_000,  # nested past the JSON parser's recursion limit
    ]
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = read(f, date="2024-01-01")
    assert [type(d).__name__ for d in out] == ["Document", "Rejected", "Rejected", "Rejected", "Rejected",
                                               "Document", "Document", "Rejected"]
    r1 = out[0]
    assert (r1.id, r1.title, r1.date, r1.url, r1.source) == ("r1", "Rescue", "2023-02-01", "https://example.org/r1",
                                                           "Andes Daily")
    assert r1.provenance == f"{f}:1"
    bad = {d.provenance: d for d in out if isinstance(d, Rejected)}
    assert bad[f"{f}:3"].reason == "bad-record" and "invalid JSON" in bad[f"{f}:3"].message
    assert bad[f"{f}:4"].reason == "bad-record" and "'text'" in bad[f"{f}:4"].message
    assert bad[f"{f}:5"].reason == "bad-record"
    assert bad[f"{f}:6"].reason == "empty" and bad[f"{f}:6"].id == "r5"
    assert bad[f"{f}:9"].reason == "bad-record" and "nested too deeply" in bad[f"{f}:9"].message
    undated = out[5]  # an unreadable date falls back to the default; a non-string title is dropped
    assert undated.id == f"{f}:7" and undated.date == "2024-01-01" and undated.title is None
    assert out[6].text == "Oman hosted the talks.\ufffd"
    out[6].text.encode("utf-8")


def test_jsonl_is_streamed_and_an_oversized_row_is_rejected_alone(tmp_path):
    f = tmp_path / "big.jsonl"
    with f.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "a", "text": "Chile praised Peru."}) + "\n")
        fh.write(json.dumps({"id": "b", "text": "x " * 5000}) + "\n")
        fh.write(json.dumps({"id": "c", "text": "Peru thanked Chile."}) + "\n")
    out = read(f, max_bytes=2000)
    assert [d.id for d in out] == ["a", f"{f}:2", "c"]
    assert out[1].reason == "too-large" and "2,000-byte limit" in out[1].message
    # the limit is per row, not per file: the file itself is over it
    assert f.stat().st_size > 2000


def test_jsonl_without_records_is_reported(tmp_path):
    f = tmp_path / "blank.jsonl"
    f.write_text("\n\n   \n", encoding="utf-8")
    [rej] = read(f)
    assert rej.reason == "empty" and str(f) in rej.message


# -- feeds --------------------------------------------------------------------------------------
def test_rss_items_with_full_content_summary_and_dates():
    expected = {i["guid"]: i for i in json.loads((INPUTS / "feed.expected.json").read_text(encoding="utf-8"))["items"]}
    out = by_id(read(INPUTS / "feed.xml"))
    assert set(out) == set(expected)
    for guid, item in expected.items():
        assert out[guid].date == item["date"]
        assert out[guid].source == "World Digest – Latest"
    ghana = out[GHANA]
    assert ghana.title == "Ghana and Togo sign border security pact"
    assert ghana.url == "https://example.org/world-digest/2025/10/14/ghana-togo-border-security-pact"
    assert len(ghana.text.split("\n")) == expected[GHANA]["paragraphs"]
    assert ghana.text.endswith("Benin and Togo signed a similar pact last year.")
    assert out[VIETNAM].text == ("The coast guards of Vietnam and the Philippines held their first joint "
                                 "search-and-rescue drill off Manila on Wednesday, officials from both countries said.")
    assert out[AUSTRIA].provenance == f"{INPUTS / 'feed.xml'}#3"


def test_german_feed_item_is_skipped_for_language_and_the_rest_coded():
    results = {d.id: d for d, _ in code_documents(read_inputs([str(INPUTS / "feed.xml")]), Options())}
    austria = results[AUSTRIA]
    assert isinstance(austria, Rejected) and austria.reason == "language" and "'de'" in austria.message
    assert isinstance(results[GHANA], Document) and results[GHANA].language == "en"
    assert isinstance(results[VIETNAM], Document)


def test_atom_entries():
    out = read(INPUTS / "atom.xml")
    assert [d.id for d in out] == ["tag:example.org,2025-10-09:norway-sweden-arctic-rescue",
                                   "tag:example.org,2025-10-22:uruguay-paraguay-waterway"]
    norway, uruguay = out
    assert (norway.date, uruguay.date) == ("2025-10-09", "2025-10-22")  # published, not updated
    assert norway.source == "Regional Roundup"
    assert norway.title == "Norway and Sweden open joint Arctic rescue centre"
    assert norway.text.startswith("TROMSØ, 9 October 2025 (Nordic Dispatch) - Norway and Sweden opened")
    assert "estimated at 60 million dollars" in uruguay.text  # content, not the shorter summary
    assert "<p>" not in uruguay.text


def test_feed_bytes_are_never_taken_for_a_file_name(tmp_path):
    """feedparser opens short bytes as a path; a feed file that holds a path must not read that file."""
    target = tmp_path / "secret.xml"
    target.write_bytes((INPUTS / "atom.xml").read_bytes())
    pointer = tmp_path / "pointer.xml"
    pointer.write_text(str(target), encoding="utf-8")
    [rej] = read(pointer)
    assert isinstance(rej, Rejected) and rej.reason == "bad-feed"


# -- WARC ---------------------------------------------------------------------------------------
PAGE = ("<html><head><title>{title}</title></head><body><nav>Home | World</nav><article><h1>{title}</h1>"
        "<p>{lead}</p><p>The talks will continue next month in the capital, officials said on the same day.</p>"
        "</article></body></html>")


def _write_warc(path: Path, gz: bool, pages: list[tuple[str, str, str]], charset: str = "utf-8") -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "casus tests"}))
        for url, title, lead in pages:
            w.write_record(w.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
                                                warc_content_type="application/http; msgtype=request"))
            http = StatusAndHeaders("200 OK", [("Content-Type", f"text/html; charset={charset}")], protocol="HTTP/1.1")
            body = PAGE.format(title=title, lead=lead).encode(charset)
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))
            img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url + ".png", "response", http_headers=img,
                                                payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(300))))
            js = StatusAndHeaders("200 OK", [("Content-Type", "application/javascript")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url + ".js", "response", payload=io.BytesIO(b"var a = 1;"),
                                                http_headers=js))


WARC_PAGES = [
    ("https://example.org/a", "Chile and Peru talks",
     "Chile praised Peru for the rescue of its fishermen on Monday, the foreign ministry said."),
    ("https://example.org/b", "Oman hosts talks",
     "Oman hosted talks between Iran and the United States in Muscat on Saturday, both sides said."),
]


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_warc_html_responses_become_documents_and_other_records_are_skipped(tmp_path, gz):
    path = tmp_path / ("pages.warc.gz" if gz else "pages.warc")
    _write_warc(path, gz, WARC_PAGES)
    if gz:
        assert gzip.decompress(path.read_bytes()).startswith(b"WARC/1")
    out = read(path)
    assert [d.id for d in out] == ["https://example.org/a", "https://example.org/b"]
    assert all(isinstance(d, Document) for d in out)
    a, b = out
    assert a.url == "https://example.org/a" and a.title == "Chile and Peru talks"
    assert "Chile praised Peru for the rescue of its fishermen on Monday" in a.text and "Home | World" not in a.text
    assert "Oman hosted talks between Iran and the United States" in b.text
    assert a.date and len(a.date) == 10  # the WARC-Date of the capture
    assert a.provenance == f"{path}#1" and b.provenance == f"{path}#2"


def test_warc_record_charset_from_the_http_header(tmp_path):
    path = tmp_path / "legacy.warc.gz"
    _write_warc(path, True, [("https://example.org/c", "Señor García’s visit",
                              "Señor García’s visit to Bogotá was welcomed by Colombia’s president on Friday.")],
                charset="cp1252")
    [doc] = read(path)
    assert "Señor García’s visit to Bogotá" in doc.text


def test_warc_without_pages_is_reported(tmp_path):
    path = tmp_path / "nopages.warc.gz"
    _write_warc(path, True, [])
    [rej] = read(path)
    assert rej.reason == "empty" and "none of them an HTML page" in rej.message


def test_truncated_warc_gz_keeps_whole_records_and_reports_the_cut(tmp_path):
    path = tmp_path / "whole.warc.gz"
    _write_warc(path, True, WARC_PAGES)
    data = path.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 200])  # inside the last page's image/script records
    out = read(cut)
    assert [d.id for d in out if isinstance(d, Document)] == ["https://example.org/a", "https://example.org/b"]
    [rej] = [d for d in out if isinstance(d, Rejected)]
    assert rej.reason == "bad-warc" and str(cut) in rej.message and "after 2 HTML record(s)" in rej.message


# -- directories --------------------------------------------------------------------------------
def test_directory_is_read_recursively_and_notes_are_skipped(tmp_path):
    root = tmp_path / "corpus"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "a.txt").write_text("Chile praised Peru for the rescue.", encoding="utf-8")
    (root / "sub" / "b.html").write_text(PAGE.format(title="Oman", lead=WARC_PAGES[1][2]), encoding="utf-8")
    (root / "sub" / "deeper" / "c.jsonl").write_text(json.dumps({"id": "c1", "text": "Peru thanked Chile."}) + "\n",
                                                     encoding="utf-8")
    _write_warc(root / "sub" / "d.warc.gz", True, WARC_PAGES[:1])
    for note in ("README", "README.txt", "README.md", "MANIFEST", "manifest.txt", "LICENSE", "notes.md",
                 "data.csv", "meta.json", ".hidden.txt", "backup.tar.gz"):
        (root / note).write_text("Not an article.", encoding="utf-8")
    (root / "sub" / "readme.txt").write_text("Not an article either.", encoding="utf-8")
    out = read(root)
    assert [d.id for d in out] == ["a.txt", "sub/b.html", "https://example.org/a", "c1"]  # sorted by path
    assert all(isinstance(d, Document) for d in out)


def test_fixture_directory_reads_articles_only():
    ids = [d.id for d in read(INPUTS)]
    assert "news-page.html" in ids and "junky-article.txt" in ids and "duplicates/original.txt" in ids
    assert GHANA in ids and "tag:example.org,2025-10-22:uruguay-paraguay-waterway" in ids
    assert not any(i.endswith((".json", ".md")) for i in ids)


def test_empty_directory_is_reported(tmp_path):
    [rej] = read(tmp_path)
    assert rej.reason == "empty" and "no article files" in rej.message


# -- stdin --------------------------------------------------------------------------------------
def test_stdin_text_and_jsonl(monkeypatch):
    class Stdin:
        def __init__(self, data: bytes):
            self.buffer = io.BytesIO(data)

    monkeypatch.setattr("sys.stdin", Stdin("Iran accused Iraq of spying.".encode("utf-16")))
    [doc] = read("-", date="2022-01-26")
    assert (doc.id, doc.text, doc.date, doc.provenance) == ("stdin", "Iran accused Iraq of spying.", "2022-01-26", "stdin")
    monkeypatch.setattr("sys.stdin", Stdin(b'{"id": "s1", "text": "Oman hosted the talks."}\n{oops\n'))
    out = read("-")
    assert out[0].id == "s1" and out[1].reason == "bad-record" and out[1].provenance == "stdin:2"
    monkeypatch.setattr("sys.stdin", Stdin(b"  \n"))
    assert read("-")[0].reason == "empty"
    # JSON allows U+2028 unescaped inside strings: it is not a line break of JSON Lines
    monkeypatch.setattr("sys.stdin", Stdin('{"id": "s2", "text": "Oman\u2028hosted the talks."}\n'.encode()))
    [doc] = read("-")
    assert doc.text == "Oman\u2028hosted the talks."


def test_stdin_is_read_only_up_to_the_limit():
    class Endless(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, b):
            b[:] = b"x" * len(b)
            return len(b)

    [rej] = list(read_stdin(max_bytes=1_000_000, stream=io.BufferedReader(Endless())))
    assert rej.reason == "too-large" and "1,000,000-byte limit" in rej.message


# -- encodings ----------------------------------------------------------------------------------
SENTENCE = "Señor García’s “visit” to Zürich – and Malmö – was welcomed by Sweden’s minister on Tuesday."


@pytest.mark.parametrize("encoding,text", [
    ("cp1252", SENTENCE),
    ("latin-1", "Señor García's visit to Zürich and Malmö was welcomed by Sweden's minister on Tuesday."),
    ("utf-16", SENTENCE),  # Python writes a BOM
    ("utf-16-be", SENTENCE),  # BOM added below
    ("utf-8-sig", SENTENCE),
    ("utf-32", SENTENCE),
])
def test_encodings_are_decoded_exactly(tmp_path, encoding, text):
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    f = tmp_path / "doc.txt"
    f.write_bytes(data)
    [doc] = read(f)
    assert doc.text == text


def test_damaged_utf8_keeps_its_good_characters():
    data = "Zürich welcomed the “plan” on Tuesday.".encode("utf-8") + b"\xff\xfe broken bytes."
    assert decode(data) == "Zürich welcomed the “plan” on Tuesday.\ufffd\ufffd broken bytes."


def test_binary_is_not_text(tmp_path):
    f = tmp_path / "photo.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256)) * 40)
    [rej] = read(f)
    assert rej.reason == "binary" and str(f) in rej.message


# -- unreadable inputs --------------------------------------------------------------------------
def test_unreadable_paths_are_reported_and_the_run_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Chile praised Peru.", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000, encoding="utf-8")
    out = read(good, missing, big, INPUTS / "junky-article.txt", max_bytes=4000)
    assert [type(d).__name__ for d in out] == ["Document", "Rejected", "Rejected", "Document"]
    assert out[1].reason == "unreadable" and out[1].message == f"{missing}: no such file or directory"
    assert out[1].provenance == str(missing)
    assert out[2].reason == "too-large" and out[2].message.startswith(f"{big}: 5,000 bytes, over the 4,000-byte")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files without permission")
def test_file_without_permission_is_reported(tmp_path):
    f = tmp_path / "locked.txt"
    f.write_text("Chile praised Peru.", encoding="utf-8")
    f.chmod(0)
    try:
        [rej] = read(f)
    finally:
        f.chmod(0o644)
    assert rej.reason == "unreadable" and "Permission denied" in rej.message


def test_undecodable_file_name_gives_a_printable_id(tmp_path):
    name = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(name, "wb") as fh:
        fh.write(b"Chile praised Peru.")
    [doc] = read(tmp_path)
    assert doc.id == "caf\ufffd.txt"
    (doc.id + doc.provenance).encode("utf-8")


# -- feed URLs ----------------------------------------------------------------------------------
VIETNAM_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<!-- Illustrative page written for the casus tests; the drill is fictional. -->
<title>Vietnamese and Philippine coast guards hold first joint drill – World Digest</title>
<meta property="og:site_name" content="World Digest">
<meta property="article:published_time" content="2025-10-15T09:05:00+00:00"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Vietnamese and Philippine coast guards hold first joint drill</h1>
<p>MANILA, 15 October 2025 (World Digest) - The coast guards of Vietnam and the Philippines held their first
joint search-and-rescue drill off Manila on Wednesday, officials from both countries said.</p>
<p>Two Vietnamese patrol ships and three Philippine vessels took part in the exercise, which simulated the
rescue of fishermen from a sinking boat in heavy seas west of the capital.</p>
<p>The Philippine coast guard commander said the drill was the result of an agreement signed by the two
countries in January, and that a second exercise would take place off Da Nang next year.</p>
<p>Vietnam's deputy defence minister, who watched the drill from a Philippine ship, thanked Manila for its
hospitality and said the two navies would also exchange liaison officers.</p></article>
<footer>Subscribe to our newsletter</footer></body></html>"""

FILE_LINK_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Local test feed</title>
<item><title>A teaser</title><link>file://{secret}</link><guid>file-link</guid>
<description>Oman hosted talks between Iran and the United States in Muscat on Saturday.</description></item>
<item><title>Gone</title><link>{base}/gone.html</link><guid>gone</guid>
<description>Peru thanked Chile for the rescue of its fishermen on Monday.</description></item>
</channel></rss>"""


@contextmanager
def serve(routes: dict[str, tuple]):
    """A local HTTP server for ``routes`` (path -> (content type, body[, announced length])); yields
    (base URL, requested paths)."""
    requested: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            requested.append(self.path)
            if self.path not in routes:
                self.send_error(404)
                return
            ctype, body, *announced = routes[self.path]  # announced: a Content-Length that lies
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(announced[0] if announced else len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_feed_url_fetches_pages_of_summary_only_items():
    routes: dict[str, tuple] = {}
    with serve(routes) as (base, requested):
        feed = (INPUTS / "feed.xml").read_text(encoding="utf-8").replace("https://example.org", base)
        routes["/feed.xml"] = ("application/rss+xml; charset=utf-8", feed.encode("utf-8"))
        routes["/world-digest/2025/10/15/vietnam-philippines-coast-guard-drill"] = (
            "text/html; charset=utf-8", VIETNAM_PAGE.encode("utf-8"))
        out = by_id(read(f"{base}/feed.xml"))
    assert set(out) == {GHANA, VIETNAM, AUSTRIA}
    vietnam = out[VIETNAM]
    assert "Two Vietnamese patrol ships and three Philippine vessels took part in the exercise" in vietnam.text
    assert "Subscribe" not in vietnam.text and "Home" not in vietnam.text
    assert vietnam.title == "Vietnamese and Philippine coast guards hold first joint drill"
    assert vietnam.date == "2025-10-15" and vietnam.url.startswith(base)
    # items that carry their full text are not fetched
    assert requested == ["/feed.xml", "/world-digest/2025/10/15/vietnam-philippines-coast-guard-drill"]
    assert out[GHANA].text.endswith("Benin and Togo signed a similar pact last year.")


def test_feed_url_falls_back_to_the_summary_and_never_follows_file_links(tmp_path):
    secret = tmp_path / "secret.html"
    secret.write_text(VIETNAM_PAGE, encoding="utf-8")
    routes: dict[str, tuple] = {}
    with serve(routes) as (base, requested):
        routes["/feed.xml"] = ("application/rss+xml", FILE_LINK_FEED.format(secret=secret, base=base).encode())
        routes["/cut.xml"] = ("application/rss+xml", b"<?xml version='1.0'?><rss><chan", 5000)
        out = by_id(read(f"{base}/feed.xml", f"{base}/missing.xml", f"{base}/cut.xml"))
    assert out["file-link"].text == "Oman hosted talks between Iran and the United States in Muscat on Saturday."
    assert out["gone"].text == "Peru thanked Chile for the rescue of its fishermen on Monday."
    missing = out[f"{base}/missing.xml"]
    assert isinstance(missing, Rejected) and missing.reason == "unreadable" and "Not Found" in missing.message
    cut = out[f"{base}/cut.xml"]  # the connection closes before the announced length: no traceback
    assert isinstance(cut, Rejected) and cut.reason == "unreadable" and "IncompleteRead" in cut.message
    assert requested == ["/feed.xml", "/gone.html", "/missing.xml", "/cut.xml"]

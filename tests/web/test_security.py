"""Security (issue 10): the API fuzzed from its own OpenAPI document, injection and traversal strings in every
parameter, security headers, escaping of untrusted article text, and ``casus serve``'s refusal to listen
beyond this machine without a token."""
from __future__ import annotations

import re
from pathlib import Path
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from typer.testing import CliRunner

from casus.web import create_app
from casus.web.data import StoreView
from casus_web_helpers import XSS_ID, file_digest

FUZZ = {"requests": 0, "server_errors": 0, "by_status": {}}
EXAMPLES = 40  # per operation and generation phase: ~1,000 requests in all, about a minute


# The schema is read at collection time from an app over a placeholder path; the fixture below points that
# app at the session's database before any request is sent (each request reads app.state.view).
FUZZ_APP = create_app(Path("casus-fuzz-placeholder.duckdb"))
schema = schemathesis.openapi.from_asgi("/openapi.json", FUZZ_APP)


@pytest.fixture(scope="module", autouse=True)
def _fuzz_store(web_db):
    FUZZ_APP.state.view = StoreView(web_db)
    yield


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_fuzzed_requests_never_get_a_server_error(case, web_db):
    """Requests generated from the OpenAPI document (valid and invalid): no 5xx, responses match the document.
    (positive_data_acceptance is off: values the schema allows, such as plover=ABC, are still refused.)"""
    response = case.call()
    FUZZ["requests"] += 1
    FUZZ["by_status"][response.status_code] = FUZZ["by_status"].get(response.status_code, 0) + 1
    if response.status_code >= 500:
        FUZZ["server_errors"] += 1
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and body["error"]["status"] == response.status_code


def test_fuzz_summary(web_db):
    """Runs after the fuzzing above (file order): it really sent requests, and none got a 5xx."""
    print(f"\nfuzzed API requests: {FUZZ['requests']}, server errors: {FUZZ['server_errors']}, "
          f"statuses: {dict(sorted(FUZZ['by_status'].items()))}")
    assert FUZZ["requests"] >= 200 and FUZZ["server_errors"] == 0


# ---------------------------------------------------------------- injection and traversal

PAYLOADS = [
    "' OR '1'='1", "1; DROP TABLE events; --", "ARM' UNION SELECT * FROM documents --", "\") OR 1=1 --",
    "'||(SELECT version())||'", "ARM:AZE' --", "../../../../etc/passwd", "..%2F..%2F..%2Fetc%2Fpasswd",
    "/etc/passwd", "..\\..\\windows\\win.ini", "%00", "\x00", "ARM\x00AZE", "<script>alert(1)</script>",
    "${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "A" * 600, "☃ نص 文字", "-1", "1e309", "NaN",
]
VALID = {"a": "ARM", "b": "AZE", "actor": "ARM", "period": "week", "modality": "asserted", "q": "arm", "limit": "5"}


def _query_params(spec) -> list[tuple[str, str]]:
    out = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method == "get":
                out += [(path, p["name"]) for p in op.get("parameters", []) if p["in"] == "query"]
    return out


def test_injection_strings_in_every_query_parameter_are_harmless(client, web_db):
    before = file_digest(web_db)
    spec = client.get("/openapi.json").json()
    params = _query_params(spec)
    assert len(params) >= 25  # the events filters, series, alerts and actors parameters
    sent = 0
    for path, name in params:
        required = [p["name"] for p in spec["paths"][path]["get"].get("parameters", []) if p.get("required")]
        for payload in PAYLOADS:
            query = {k: VALID[k] for k in required if k != name}
            query[name] = payload
            r = client.get(path, params=query)
            sent += 1
            assert r.status_code in (200, 400, 404, 422), (path, name, payload, r.status_code, r.text[:200])
            body = r.json()
            sql = any(c in payload for c in "';\"")  # SQL-shaped: a match would mean the SQL was altered
            if r.status_code == 200 and path == "/api/events" and sql:
                assert body["total"] == 0, (name, payload)  # no injected condition widened the match
            if r.status_code == 200 and path == "/api/actors" and sql:
                assert body["items"] == [], payload
    for payload in PAYLOADS:  # the pages take the same parameters
        for name in ("actor", "text", "dyad", "since", "plover", "order", "limit", "offset"):
            r = client.get("/events", params={name: payload}, headers={"accept": "text/html"})
            assert r.status_code in (200, 422), (name, payload, r.status_code)
        r = client.get("/actors", params={"q": payload[:100]}, headers={"accept": "text/html"})
        assert r.status_code in (200, 422)
        r = client.get("/dyad", params={"a": payload, "b": "AZE"}, headers={"accept": "text/html"})
        assert r.status_code in (200, 422)
    assert sent > 500
    assert file_digest(web_db) == before
    assert client.get("/api/stats").json()["events"] > 100


@pytest.mark.parametrize("payload", PAYLOADS[:13])
def test_injection_and_traversal_in_path_parameters(client, web_db, payload):
    before = file_digest(web_db)
    for template in ("/api/events/{}", "/api/documents/{}", "/events/{}", "/documents/{}", "/actor/{}"):
        r = client.get(template.format(quote(payload, safe="")))
        assert r.status_code in (404, 422), (template, payload, r.status_code)
        assert "root:" not in r.text and "[project]" not in r.text
    assert file_digest(web_db) == before


@pytest.mark.parametrize("path", ["/static/..%2F..%2F..%2Fpyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml",
                                  "/static/..%5C..%5Cpyproject.toml", "/static/../web/app.py",
                                  "/static/%2e%2e%2fapp.py", "/documents/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
                                  "/static//etc/passwd"])
def test_static_files_do_not_escape_their_folder(client, path):
    r = client.get(path)
    assert r.status_code == 404, (path, r.status_code)
    assert "create_app" not in r.text and "[project]" not in r.text and "root:x:" not in r.text


# ---------------------------------------------------------------- headers and markup

class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts, self.inline, self.handlers, self.styles, self.hrefs = [], [], [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts.append(a.get("src"))
            self._in_script = True
        self.handlers += [k for k in a if k.startswith("on")]
        if "style" in a or tag == "style":
            self.styles.append(tag)
        for k in ("href", "src", "action"):
            if a.get(k):
                self.hrefs.append(a[k])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append(data)


PAGES = ["/", "/events", "/events?dyad=ARM:AZE&unordered=on", f"/documents/{XSS_ID}", "/dyad", "/dyad?a=ARM&b=AZE",
         "/actors", "/actors?q=arm", "/actor/ARM", "/code"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_nothing_from_elsewhere_and_run_no_inline_script(html_client, path):
    r = html_client.get(path)
    assert r.status_code == 200, r.text[:300]
    tags = _Tags()
    tags.feed(r.text)
    assert tags.scripts == ["/static/casus.js"] and not tags.inline
    assert not tags.handlers and not tags.styles
    for ref in tags.hrefs:
        assert ref.startswith(("/", "#", "?")) or ref.startswith("https://example.org/"), ref
        assert not ref.lower().startswith("javascript:")


@pytest.mark.parametrize("path, status", [("/", 200), ("/api/events?limit=1", 200), ("/static/casus.js", 200),
                                          ("/api/events?limit=-1", 422), ("/nowhere", 404), ("/openapi.json", 200)])
def test_security_headers_on_every_response(client, path, status):
    r = client.get(path)
    assert r.status_code == status
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"


def test_static_files_are_packaged():
    from importlib.resources import files

    web = files("casus.web")
    for name in ("static/casus.css", "static/casus.js", "static/favicon.svg", "templates/base.html"):
        assert web.joinpath(name).is_file(), name
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    data = pyproject["tool"]["setuptools"]["package-data"]["casus"]
    assert {"web/static/**/*", "web/templates/**/*", "analytics/templates/**/*"} <= set(data)


def test_hostile_article_is_shown_as_text(html_client):
    r = html_client.get(f"/documents/{XSS_ID}")
    assert r.status_code == 200
    page = r.text
    assert "<script>window.casusXss" not in page and "<img src=x" not in page and "<b>Evil</b>" not in page
    assert "&lt;script&gt;window.casusXss=2;alert(1)&lt;/script&gt;" in page
    assert "&lt;script&gt;window.casusXss=1&lt;/script&gt;Border talks resume" in page  # the title
    assert 'href="javascript:' not in page.lower()
    assert re.search(r'<code class="unsafe-url"[^>]*>javascript:window.casusXss=5</code>', page)
    events = html_client.get("/events", params={"doc_id": XSS_ID}).text
    assert "ACCUSE" in events and "<script>window" not in events


def test_coded_paste_is_shown_as_text(html_client):
    article = ("Armenia accused Azerbaijan of shelling border villages on Monday. <script>alert(9)</script>\n\n"
               "The foreign ministry in Yerevan said talks with Baku would resume next week.")
    r = html_client.post("/code", data={"kind": "text", "date": "2025-10-08", "article": article})
    assert r.status_code == 200
    assert "<script>alert(9)" not in r.text and "&lt;script&gt;alert(9)&lt;/script&gt;" in r.text


# ---------------------------------------------------------------- casus serve

@pytest.fixture
def no_bind(monkeypatch):
    """uvicorn.run replaced: nothing ever listens; the calls are recorded."""
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    return calls


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org"])
def test_serve_refuses_other_hosts_without_a_token(no_bind, web_db, host, monkeypatch):
    from casus.cli import app

    monkeypatch.delenv("CASUS_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--db", str(web_db), "--host", host])
    assert result.exit_code == 2
    assert f"refusing to listen on {host}" in result.output and "--token" in result.output
    assert no_bind == []


def test_serve_binds_loopback_by_default_and_elsewhere_with_a_token(no_bind, web_db, monkeypatch):
    from casus.cli import app

    monkeypatch.delenv("CASUS_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--db", str(web_db)])
    assert result.exit_code == 0, result.output
    assert no_bind[-1]["host"] == "127.0.0.1" and no_bind[-1]["port"] == 8000
    result = CliRunner().invoke(app, ["serve", "--db", str(web_db), "--host", "0.0.0.0", "--port", "8123",
                                      "--token", "t0ken"])
    assert result.exit_code == 0, result.output
    assert no_bind[-1]["host"] == "0.0.0.0" and no_bind[-1]["port"] == 8123
    monkeypatch.setenv("CASUS_TOKEN", "from-env")
    assert CliRunner().invoke(app, ["serve", "--db", str(web_db), "--host", "0.0.0.0"]).exit_code == 0
    assert CliRunner().invoke(app, ["serve", "--db", str(web_db), "--port", "70000"]).exit_code == 2


def test_loopback_detection():
    from casus.web.security import is_loopback

    assert all(map(is_loopback, ["127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost", "LOCALHOST"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "10.0.0.1", "192.168.0.1", "example.org", "", "127.0.0.1.nip.io"]))

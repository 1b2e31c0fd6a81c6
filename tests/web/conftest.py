"""Fixtures for the web tests: the bundled sample corpus plus one hostile article, ingested once per session."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from casus_web_helpers import CORPUS, XSS_RECORD


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> Path:
    """samples/corpus and the hostile article, ingested into a fresh database. Do not write to it."""
    from casus.store import ingest

    root = tmp_path_factory.mktemp("webdb")
    hostile = root / "hostile.jsonl"
    hostile.write_text(json.dumps(XSS_RECORD) + "\n", encoding="utf-8")
    db = root / "web.duckdb"
    summary = ingest([str(CORPUS), str(hostile)], db, batch_size=16)
    assert summary.coded >= 30 and summary.events > 100, summary.to_dict()
    return db


@pytest.fixture(scope="session")
def app(web_db):
    from casus.web import create_app

    return create_app(web_db)


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def html_client(app):
    """A client that asks for HTML, as a browser does (error pages are HTML for it)."""
    from fastapi.testclient import TestClient

    with TestClient(app, headers={"accept": "text/html,application/xhtml+xml"}) as c:
        yield c

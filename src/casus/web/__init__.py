"""The web dashboard and HTTP API: ``create_app(db_path, token=None)`` returns a FastAPI app.

Run it with ``casus serve`` (loopback by default; a token is required for any other address), or mount it
in another ASGI server. Pages and API read the store through read-only connections opened per request,
so they keep working while ``casus ingest`` writes.
"""
from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]

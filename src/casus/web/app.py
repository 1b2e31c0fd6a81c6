"""``create_app(db_path, token=None)``: the dashboard and JSON API over one casus database, as a FastAPI app.

Layers: :mod:`.security` guards every request (headers, token, hosts, body size); :mod:`.api` serves
``/api/*``; :mod:`.pages` serves the HTML pages; ``/static`` serves the package's own CSS, JS and icon
(nothing comes from another site). One error handler renders every error (see :mod:`.errors`): JSON for
the API and for clients that do not ask for HTML, an error page for browsers.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import CasusError
from .data import StoreView
from .errors import HTTP_ERRORS, WebError, error_payload, status_of, validation_error
from .security import MAX_BODY, Guard

HERE = Path(__file__).resolve().parent
log = logging.getLogger("casus.web")
STATIC = HERE / "static"


def wants_html(scope_or_request) -> bool:
    """Pages get an HTML error page; ``/api``, ``/openapi.json`` and non-browser clients get JSON."""
    scope = getattr(scope_or_request, "scope", scope_or_request)
    path = scope.get("path", "")
    if path.startswith("/api") or path.startswith("/openapi") or path.startswith("/static"):
        return False
    accept = ""
    for k, v in scope.get("headers", []):
        if k.lower() == b"accept":
            accept = v.decode("latin-1")
    return "text/html" in accept


def render_error(scope, code: str, message: str, status: int) -> Response:
    """The one place an error becomes a response."""
    if wants_html(scope):
        from .pages import render_page

        try:
            return render_page("error.html", status=status, code=code, message=message, page_title=f"Error {status}")
        except Exception:  # an error page must never fail: fall back to the JSON shape
            log.exception("the error page could not be rendered")
    return JSONResponse(error_payload(code, message, status), status_code=status)


def _casus_error(scope, exc: CasusError) -> Response:
    return render_error(scope, exc.code, exc.message, status_of(exc))


def create_app(db_path: str | Path, token: str | None = None, *, max_body: int = MAX_BODY,
               allowed_hosts: Iterable[str] | None = None) -> FastAPI:
    """The dashboard and API over ``db_path`` (opened read-only per request, so an ingest may run meanwhile).

    ``token``: when set, every request needs it (``Authorization: Bearer``, ``?token=`` or the cookie that
    a ``?token=`` visit sets). ``max_body``: request bodies over this many bytes get 413. ``allowed_hosts``:
    when given, requests with another ``Host`` header are refused (DNS-rebinding defence).
    """
    app = FastAPI(title="casus", version=__version__, docs_url=None, redoc_url=None,
                  description="Political event data (CAMEO/PLOVER) coded from news: events with their "
                              "evidence, documents, dyad and actor series, escalation alerts, actors, and "
                              "coding of a posted article. Every error is "
                              '{"error": {"code", "message", "status"}}.')
    app.state.view = StoreView(db_path)

    @app.exception_handler(CasusError)
    async def casus_error(request: Request, exc: CasusError) -> Response:
        return _casus_error(request.scope, exc)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return _casus_error(request.scope, validation_error(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        kind = HTTP_ERRORS.get(exc.status_code, WebError)
        message = {404: f"no page or resource at {request.url.path!r}",
                   405: f"method {request.method} is not allowed here"}.get(exc.status_code, str(exc.detail))
        response = render_error(request.scope, kind.code, message, exc.status_code)
        response.headers.update(exc.headers or {})  # e.g. Allow on 405
        return response

    from . import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    async def on_error(scope, exc: WebError) -> Response:
        return _casus_error(scope, exc)

    app.add_middleware(Guard, token=token, max_body=max_body, allowed_hosts=allowed_hosts, on_error=on_error)
    return app


__all__ = ["create_app", "render_error", "wants_html"]

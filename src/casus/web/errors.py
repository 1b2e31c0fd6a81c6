"""Web errors: one JSON shape for every error, rendered by one function.

Every error the dashboard or the API returns is::

    {"error": {"code": "E501", "message": "since date '2024-13-01' is not a date (YYYY-MM-DD)", "status": 422}}

(HTML pages get the same code, message and status in an error page.) Sources of errors:

* a :class:`casus.errors.CasusError` → its ``code`` and ``http_status`` (``OptionError`` E501 → 422,
  ``InputError``/``DocumentRejected`` E2xx → 400; a busy or missing store, E405-E407 → 503);
* request validation (FastAPI's ``RequestValidationError``) → E501, 422, naming the parameter;
* HTTP errors of the web layer itself, as the :class:`WebError` subclasses below (E7xx);
* anything else → E700, 500, with a fixed message: internals never leak (the traceback is logged).

The E7xx codes belong to the web layer (E6xx is the engines'); they sit here rather than in
``casus/errors.py`` because the web layer is the only place that raises them (they subclass ``CasusError``
all the same)::

    E700 internal error (500)      E703 request body too large (413)
    E701 not found (404)           E704 method not allowed (405)
    E702 token missing/wrong (401) E705 bad request: host not allowed (400)
"""
from __future__ import annotations

from typing import Any

from ..errors import CasusError, OptionError

# store errors that mean "try again later" or "nothing to serve yet", not a server bug
STORE_UNAVAILABLE = {"E405": 503, "E406": 503, "E407": 503}


class WebError(CasusError):
    """An HTTP error of the web layer (code E7xx)."""

    code = "E700"
    http_status = 500


class NotFound(WebError):
    code = "E701"
    http_status = 404


class Unauthorized(WebError):
    code = "E702"
    http_status = 401


class BodyTooLarge(WebError):
    code = "E703"
    http_status = 413


class MethodNotAllowed(WebError):
    code = "E704"
    http_status = 405


class BadRequest(WebError):
    code = "E705"
    http_status = 400


HTTP_ERRORS: dict[int, type[WebError]] = {404: NotFound, 401: Unauthorized, 413: BodyTooLarge,
                                          405: MethodNotAllowed, 400: BadRequest}
INTERNAL_MESSAGE = "internal error: the server could not answer this request (details are in the server log)"


def error_payload(code: str, message: str, status: int) -> dict[str, Any]:
    """The one error shape (locked by ``tests/web/test_api.py::test_error_shape_is_locked``)."""
    return {"error": {"code": code, "message": message, "status": status}}


def status_of(exc: CasusError) -> int:
    """The HTTP status for a casus error."""
    return STORE_UNAVAILABLE.get(exc.code, getattr(exc, "http_status", 500) or 500)


def validation_message(errors: list[dict[str, Any]]) -> str:
    """FastAPI/pydantic validation errors as one readable line: ``query parameter 'limit': ...``."""
    parts = []
    for e in errors[:5]:  # five problems are plenty to fix at once
        loc = [str(x) for x in e.get("loc", ())]
        where = loc[0] if loc else "request"
        name = ".".join(loc[1:]) if len(loc) > 1 else ""
        kind = {"query": "query parameter", "path": "path parameter", "body": "body field",
                "header": "header", "cookie": "cookie"}.get(where, where)
        msg = str(e.get("msg", "is invalid"))
        parts.append(f"{kind} {name!r}: {msg}" if name else f"{kind}: {msg}")
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "; ".join(parts) + more if parts else "invalid request"


def validation_error(errors: list[dict[str, Any]]) -> OptionError:
    return OptionError(validation_message(errors))


__all__ = ["WebError", "NotFound", "Unauthorized", "BodyTooLarge", "MethodNotAllowed", "BadRequest",
           "HTTP_ERRORS", "INTERNAL_MESSAGE", "error_payload", "status_of", "validation_message",
           "validation_error", "STORE_UNAVAILABLE"]

"""The dashboard's guard: security headers, the optional token, allowed hosts, and the request body limit.

One pure ASGI middleware (so it sees every request, static files and errors included):

* **Headers** on every response: a Content-Security-Policy that allows scripts, styles and images from
  the dashboard itself only (no inline script, no CDN; ``frame-ancestors 'none'``), ``nosniff``,
  ``X-Frame-Options: DENY``, ``Referrer-Policy: no-referrer``.
* **Token** (when configured): every request carries ``Authorization: Bearer T`` or ``?token=T`` or the
  ``casus_token`` cookie; a valid ``?token=`` sets that cookie (HttpOnly, SameSite=Strict), so a person
  opens the link once and then browses. Tokens are compared in constant time.
* **Allowed hosts** (when configured, as ``casus serve`` does on loopback without a token): a request
  whose ``Host`` header names another host is refused, which defeats DNS-rebinding pages that would
  otherwise read a localhost dashboard.
* **Body limit**: a request body over ``max_body`` bytes is refused with 413 before the app sees it.
* **Unexpected errors** (bugs) are logged with their traceback and answered with a fixed 500 message.
"""
from __future__ import annotations

import hmac
import ipaddress
import logging
from typing import Awaitable, Callable, Iterable
from urllib.parse import parse_qs

from .errors import INTERNAL_MESSAGE, BadRequest, BodyTooLarge, Unauthorized, WebError

MAX_BODY = 2 * 1024 * 1024  # 2 MiB: a saved news page with inline markup fits; anything bigger is not an article
COOKIE = "casus_token"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
log = logging.getLogger("casus.web")
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}

ErrorResponder = Callable[[dict, WebError], Awaitable[object]]  # (scope, error) -> an ASGI app (Response)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and the names ``localhost``; False for anything else (0.0.0.0 included)."""
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_name(value: str) -> str:
    """The host part of a Host header (``[::1]:8000`` → ``::1``, ``example.org:80`` → ``example.org``)."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    """ASGI middleware applying the measures in the module docstring."""

    def __init__(self, app, *, token: str | None = None, max_body: int = MAX_BODY,
                 allowed_hosts: Iterable[str] | None = None, on_error: ErrorResponder) -> None:
        self.app = app
        self.token = token.encode("utf-8") if token else None
        self.max_body = max_body
        self.allowed_hosts = {_host_name(h) for h in allowed_hosts} if allowed_hosts is not None else None
        self.on_error = on_error

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra: list[tuple[bytes, bytes]] = []
        started = False

        async def send_with_headers(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in {h for h, _ in SECURITY_HEADERS}]
                message = {**message, "headers": headers + SECURITY_HEADERS + extra}
            await send(message)

        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        problem = self._check_host(headers) or self._check_token(scope, headers, extra)
        if problem is None:
            length = headers.get("content-length", "")
            if length.strip().isdigit() and int(length) > self.max_body:
                problem = self._too_large()
        if problem is not None:
            await self._refuse(scope, receive, send_with_headers, problem)
            return
        if scope.get("method") in ("POST", "PUT", "PATCH"):
            body, over = await self._read_body(receive)
            if over:
                await self._refuse(scope, receive, send_with_headers, self._too_large())
                return
            receive = _replay(body, receive)
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:  # a bug: log it, answer 500 without internals (if nothing was sent yet)
            log.exception("unexpected error answering %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            await self._refuse(scope, receive, send_with_headers, WebError(INTERNAL_MESSAGE))

    # ------------------------------------------------------------ checks

    def _check_host(self, headers: dict[str, str]) -> WebError | None:
        if self.allowed_hosts is None:
            return None
        if _host_name(headers.get("host", "")) in self.allowed_hosts:
            return None
        return BadRequest("this dashboard answers only requests addressed to its own host name "
                          f"({', '.join(sorted(self.allowed_hosts))})")

    def _check_token(self, scope, headers: dict[str, str], extra: list) -> WebError | None:
        if self.token is None:
            return None
        auth = headers.get("authorization", "")
        if auth[:7].lower() == "bearer " and self._same(auth[7:].strip()):
            return None
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if any(self._same(v) for v in query.get("token", [])):
            extra.append((b"set-cookie", f"{COOKIE}={self.token.decode('utf-8')}; HttpOnly; SameSite=Strict; "
                                         f"Path=/".encode("latin-1")))
            return None
        for part in headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE and self._same(value):
                return None
        return Unauthorized("this dashboard needs its token: send 'Authorization: Bearer TOKEN', "
                            "or open a page once with ?token=TOKEN")

    def _same(self, candidate: str) -> bool:
        return hmac.compare_digest(candidate.encode("utf-8", "replace"), self.token or b"")

    def _too_large(self) -> WebError:
        return BodyTooLarge(f"request body over the limit of {self.max_body:,} bytes")

    async def _read_body(self, receive) -> tuple[bytes, bool]:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return b"", True
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks), False

    async def _refuse(self, scope, receive, send, problem: WebError) -> None:
        response = await self.on_error(scope, problem)
        if isinstance(problem, Unauthorized):
            response.headers["www-authenticate"] = "Bearer"
        await response(scope, receive, send)


def _replay(body: bytes, receive):
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


__all__ = ["Guard", "is_loopback", "MAX_BODY", "CSP", "COOKIE", "SECURITY_HEADERS"]

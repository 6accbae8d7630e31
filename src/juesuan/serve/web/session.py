"""Browser sessions: a signed, expiring session cookie, CSRF tokens and security headers.

The session cookie carries the same signed token as the API's bearer token
(:mod:`juesuan.serve.security`), so there is one notion of "signed in". Every form carries a
CSRF token bound to the browser (a random ``juesuan_csrf`` cookie) and to the session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response

from juesuan.serve.errors import Forbidden
from juesuan.serve.policy import Actor
from juesuan.serve.services import sessions
from juesuan.serve.services.context import ServiceContext

SESSION_COOKIE = "juesuan_session"
CSRF_COOKIE = "juesuan_csrf"
CSRF_FIELD = "csrf"

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'self'; "
    "base-uri 'none'; object-src 'none'"
)
# A built document shown in the preview frame: its own inline styles and embedded chart
# images, never a script (the sandbox forbids them even when the file is opened directly).
DOCUMENT_CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src data:; font-src data:; "
    "frame-ancestors 'self'; sandbox allow-same-origin"
)


def ctx_of(request: Request) -> ServiceContext:
    return request.app.state.ctx


def address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def current_actor(request: Request) -> Actor:
    """The signed-in user of the session cookie, or anonymous (an invalid or expired cookie
    counts as anonymous: the page then asks to sign in)."""
    cached = getattr(request.state, "actor", None)
    if cached is not None:
        return cached
    token = request.cookies.get(SESSION_COOKIE)
    who = Actor(address=address(request))
    if token:
        try:
            who = sessions.actor_from_token(ctx_of(request), token, address(request))
        except Exception:
            who = Actor(address=address(request))
    request.state.actor = who
    return who


def browser_id(request: Request) -> str:
    """The browser's CSRF secret (made on first sight, set as a cookie by :func:`finish`)."""
    value = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not value or len(value) > 100:
        value = secrets.token_urlsafe(24)
        request.state.new_csrf = value
    return value


def csrf_token(request: Request) -> str:
    """The token every form of this page carries."""
    secret = ctx_of(request).settings.secret_key
    bound = browser_id(request) + "|" + (request.cookies.get(SESSION_COOKIE) or "")
    return hmac.new(secret.encode(), b"csrf:" + bound.encode(), hashlib.sha256).hexdigest()


def check_csrf(request: Request, token: str | None) -> None:
    if not request.cookies.get(CSRF_COOKIE) or not token:
        raise Forbidden("表单已失效，请刷新页面后重试", code="csrf")
    if not hmac.compare_digest(csrf_token(request), str(token)):
        raise Forbidden("表单已失效，请刷新页面后重试", code="csrf")


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def sign_in_cookie(request: Request, response: Response, token: str, seconds: int) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=seconds,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )


def sign_out_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def finish(request: Request, response: Response) -> Response:
    """Headers of every page: the CSRF cookie when new, CSP, no caching of private pages."""
    new = getattr(request.state, "new_csrf", None)
    if new:
        response.set_cookie(
            CSRF_COOKIE,
            new,
            httponly=True,
            samesite="strict",
            secure=_secure(request),
            path="/",
        )
    response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
    response.headers.setdefault("Cache-Control", "no-store")
    return response

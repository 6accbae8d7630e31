"""Passwords (argon2) and signed expiring bearer tokens (HMAC: cheap to check per request)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from juesuan.serve.errors import Unauthorized

_hasher = PasswordHasher()
# Verifying against this keeps an unknown user as slow as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Claims:
    """What a valid token says: the user, the sign-in session and the expiry."""

    user_id: int
    session_id: str | None
    expires: int


def issue_token(
    secret: str, user_id: int, minutes: int, session_id: str, now: float | None = None
) -> str:
    """``payload.signature``: the payload names the user, the sign-in session (revocable on
    the server) and the expiry (HMAC-SHA256)."""
    exp = int((now if now is not None else time.time()) + minutes * 60)
    payload = _b64(json.dumps({"u": user_id, "s": session_id, "e": exp}).encode())
    sig = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()
    return f"{payload}.{_b64(sig)}"


def read_token(secret: str, token: str, now: float | None = None) -> Claims:
    """The claims of a valid, unexpired token; :class:`Unauthorized` otherwise. Whether its
    session was revoked is for the database to say."""
    try:
        payload, sig = token.split(".", 1)
        expected = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(sig)):
            raise ValueError("signature")
        data = json.loads(_unb64(payload))
        user_id, exp = int(data["u"]), int(data["e"])
        session = data.get("s")
        if session is not None and not isinstance(session, str):
            raise ValueError("session")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise Unauthorized("登录凭证无效，请重新登录", code="invalid_token") from None
    if exp < (now if now is not None else time.time()):
        raise Unauthorized("登录已过期，请重新登录", code="token_expired")
    return Claims(user_id, session, exp)


def new_session_id() -> str:
    return secrets.token_urlsafe(24)

"""Passwords (argon2), signed expiring bearer tokens, and login rate limiting."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from juesuan.serve.errors import RateLimited, Unauthorized

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


def issue_token(secret: str, user_id: int, minutes: int, now: float | None = None) -> str:
    """``payload.signature``: the payload names the user and the expiry (HMAC-SHA256)."""
    exp = int((now if now is not None else time.time()) + minutes * 60)
    payload = _b64(json.dumps({"u": user_id, "e": exp, "n": secrets.token_hex(4)}).encode())
    sig = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()
    return f"{payload}.{_b64(sig)}"


def read_token(secret: str, token: str, now: float | None = None) -> int:
    """The user id of a valid, unexpired token; :class:`Unauthorized` otherwise."""
    try:
        payload, sig = token.split(".", 1)
        expected = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(sig)):
            raise ValueError("signature")
        data = json.loads(_unb64(payload))
        user_id, exp = int(data["u"]), int(data["e"])
    except (ValueError, KeyError, TypeError):
        raise Unauthorized("登录凭证无效，请重新登录", code="invalid_token") from None
    if exp < (now if now is not None else time.time()):
        raise Unauthorized("登录已过期，请重新登录", code="token_expired")
    return user_id


class LoginLimiter:
    """Failed sign-ins per user name and per address in a sliding window (in memory)."""

    def __init__(self, per_user: int, per_address: int, window: int) -> None:
        self.per_user, self.per_address, self.window = per_user, per_address, window
        self._fails: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._fails.setdefault(key, deque())
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def check(self, username: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._recent(f"u:{username}", now)) >= self.per_user or (
                len(self._recent(f"a:{address}", now)) >= self.per_address
            ):
                raise RateLimited(
                    "登录失败次数过多，请稍后再试",
                    {"retry_after_seconds": self.window},
                    code="too_many_attempts",
                )

    def failed(self, username: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(f"u:{username}", now).append(now)
            self._recent(f"a:{address}", now).append(now)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._fails.pop(f"u:{username}", None)

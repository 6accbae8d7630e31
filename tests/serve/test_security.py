"""Passwords, tokens, rate limiting, secrets and error answers."""

from __future__ import annotations

import os
import stat
import time

import pytest
from tests.serve.conftest import PASSWORD, World, unique

from juesuan.serve import security
from juesuan.serve.config import load_secret_key
from juesuan.serve.errors import Unauthorized
from juesuan.serve.security import LoginLimiter


def test_passwords_are_argon2(ctx, world: World) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from juesuan.serve.models import User

    code, _ = world.department()
    world.user("preparer", department=code)
    with ctx.db.read() as session:
        hashes = list(session.scalars(select(User.password_hash)))
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(PASSWORD in h for h in hashes)
    assert security.verify_password(hashes[0], "wrong") is False
    assert security.verify_password(None, PASSWORD) is False


def test_tokens_expire_and_cannot_be_forged() -> None:
    token = security.issue_token("k", 7, minutes=1, now=1000.0)
    assert security.read_token("k", token, now=1030.0) == 7
    with pytest.raises(Unauthorized) as expired:
        security.read_token("k", token, now=1061.0)
    assert expired.value.code == "token_expired"
    for forged in (
        token + "x",
        "a.b",
        "",
        token.replace(token[3], "A" if token[3] != "A" else "B", 1),
    ):
        with pytest.raises(Unauthorized):
            security.read_token("k", forged, now=1030.0)
    with pytest.raises(Unauthorized):
        security.read_token("other key", token, now=1030.0)


def test_expired_token_is_401(world: World, ctx) -> None:  # type: ignore[no-untyped-def]
    old = security.issue_token(ctx.settings.secret_key, 1, minutes=1, now=time.time() - 3600)
    r = world.client.get("/api/v1/me", headers=world.auth(old))
    assert r.status_code == 401 and r.json()["code"] == "token_expired"
    assert r.headers["WWW-Authenticate"] == "Bearer"
    assert (
        world.client.get("/api/v1/me", headers={"Authorization": "Basic eDp5"}).status_code == 400
    )


def test_login_is_rate_limited_per_user(world: World, ctx) -> None:  # type: ignore[no-untyped-def]
    code, _ = world.department()
    world.user("preparer", department=code)
    name = next(n for n in reversed(list(world.tokens)) if n.startswith("preparer"))
    limit = ctx.settings.limits.login_failures_per_user
    for _ in range(limit):
        r = world.client.post(
            "/api/v1/auth/token", data={"username": name, "password": "nope-nope"}
        )
        assert r.status_code == 401 and r.json()["message"] == "用户名或密码不正确"
    # Now even the right password is refused for a while.
    r = world.client.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD})
    assert r.status_code == 429 and r.json()["code"] == "too_many_attempts"
    # An unknown user gets the same answer as a wrong password.
    r = world.client.post("/api/v1/auth/token", data={"username": unique("ghost"), "password": "x"})
    assert r.status_code == 401 and r.json()["message"] == "用户名或密码不正确"


def test_limiter_per_address() -> None:
    limiter = LoginLimiter(per_user=100, per_address=3, window=60)
    for i in range(3):
        limiter.check(f"user{i}", "10.0.0.1")
        limiter.failed(f"user{i}", "10.0.0.1")
    with pytest.raises(Exception, match="过多"):
        limiter.check("someone-else", "10.0.0.1")
    limiter.check("someone-else", "10.0.0.2")


def test_secret_key_is_generated_privately(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("JUESUAN_SECRET_KEY", raising=False)
    key = load_secret_key(tmp_path)
    path = tmp_path / "secret.key"
    assert len(key) >= 40 and path.read_text().strip() == key
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_secret_key(tmp_path) == key  # stable across starts


def test_errors_are_json_without_traceback(world: World, app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from juesuan.serve.services import organisation

    def boom(*a, **k):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(organisation, "list_departments", boom)
    r = world.client.get("/api/v1/departments", headers=world.admin())
    assert r.status_code == 500
    assert r.json() == {
        "code": "internal_error",
        "message": "服务器内部错误，请稍后再试或联系管理员",
        "details": {},
    }
    assert "passwd" not in r.text and "Traceback" not in r.text
    for method, path, status in (
        ("GET", "/api/v1/nothing", 404),
        ("DELETE", "/api/v1/departments", 405),
    ):
        r = world.client.request(method, path)
        assert r.status_code == status and set(r.json()) == {"code", "message", "details"}
    bad = world.client.post("/api/v1/departments", json={"code": 1}, headers=world.admin())
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"
    assert world.client.get("/openapi.json").json()["info"]["title"].startswith("juesuan")

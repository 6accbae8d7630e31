"""Passwords, tokens, rate limiting, secrets and error answers."""

from __future__ import annotations

import os
import secrets
import stat
import time

import pytest
from tests.serve.conftest import PASSWORD, World, unique

from juesuan.serve import security
from juesuan.serve.config import load_secret_key
from juesuan.serve.errors import Unauthorized


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
    token = security.issue_token("k", 7, minutes=1, session_id="s1", now=1000.0)
    claims = security.read_token("k", token, now=1030.0)
    assert (claims.user_id, claims.session_id) == (7, "s1")
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
    old = security.issue_token(
        ctx.settings.secret_key, 1, minutes=1, session_id="s", now=time.time() - 3600
    )
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


def _second_process(ctx):  # type: ignore[no-untyped-def]
    """Another server process on the same database: its own engine, caches and memory."""
    from juesuan.serve.db import Database
    from juesuan.serve.services.context import ServiceContext

    return ServiceContext.create(ctx.settings, Database(ctx.settings.database_url))


def test_login_limit_per_address_holds_across_processes(world: World, ctx) -> None:  # type: ignore[no-untyped-def]
    from juesuan.serve.errors import RateLimited
    from juesuan.serve.services import sessions

    other = _second_process(ctx)
    try:
        address = f"10.9.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
        limit = ctx.settings.limits.login_failures_per_address
        for i in range(limit):  # failures spread over both processes, each a different name
            with pytest.raises(Unauthorized):
                sessions.sign_in(ctx if i % 2 else other, unique("ghost"), "x" * 8, address)
        for process in (ctx, other):
            with pytest.raises(RateLimited):
                sessions.sign_in(process, unique("ghost"), "x" * 8, address)
        # Another address is not affected.
        with pytest.raises(Unauthorized):
            sessions.sign_in(other, unique("ghost"), "x" * 8, address + "1")
    finally:
        other.db.dispose()


def test_login_limit_per_user_holds_across_processes(world: World, ctx) -> None:  # type: ignore[no-untyped-def]
    from juesuan.serve.errors import RateLimited
    from juesuan.serve.services import sessions

    code, _ = world.department()
    world.user("preparer", department=code)
    name = next(n for n in reversed(list(world.tokens)) if n.startswith("preparer"))
    other = _second_process(ctx)
    try:
        for i in range(ctx.settings.limits.login_failures_per_user):
            with pytest.raises(Unauthorized):
                sessions.sign_in(ctx if i % 2 else other, name, "wrong-password", f"10.8.0.{i}")
        with pytest.raises(RateLimited):
            sessions.sign_in(other, name, PASSWORD, "10.8.1.1")
    finally:
        other.db.dispose()


def test_sign_out_revokes_the_token_everywhere(world: World, ctx) -> None:  # type: ignore[no-untyped-def]
    from juesuan.serve.services import sessions

    code, _ = world.department()
    name = unique("preparer")
    world.client.post(
        "/api/v1/users",
        json={"name": name, "role": "preparer", "password": PASSWORD, "department": code},
        headers=world.admin(),
    )
    first = world.client.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD})
    second = world.client.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD})
    token, kept = first.json()["access_token"], second.json()["access_token"]
    assert world.client.get("/api/v1/me", headers=world.auth(token)).status_code == 200
    assert world.client.post("/api/v1/auth/logout", headers=world.auth(token)).status_code == 204
    for path in ("/api/v1/me", f"/api/v1/departments/{code}"):
        r = world.client.get(path, headers=world.auth(token))
        assert r.status_code == 401 and r.json()["code"] == "invalid_token"
    # Refused by another process too; signing out twice is refused (the token is dead).
    other = _second_process(ctx)
    try:
        with pytest.raises(Unauthorized):
            sessions.actor_from_token(other, token, "x")
        assert sessions.actor_from_token(other, kept, "x").name == name
    finally:
        other.db.dispose()
    assert world.client.post("/api/v1/auth/logout", headers=world.auth(token)).status_code == 401
    assert world.client.post("/api/v1/auth/logout").status_code == 401
    # The other sign-in of the same user is untouched.
    assert world.client.get("/api/v1/me", headers=world.auth(kept)).status_code == 200
    audit = world.client.get(
        "/api/v1/audit", params={"action": "auth.logout", "user": name}, headers=world.admin()
    )
    assert len(audit.json()) == 1


def test_token_without_session_is_refused(world: World, ctx) -> None:  # type: ignore[no-untyped-def]
    from juesuan.serve.models import User

    with ctx.db.read() as session:
        user_id = session.query(User.id).first()[0]
    forged = security.issue_token(ctx.settings.secret_key, user_id, 5, session_id="made-up")
    r = world.client.get("/api/v1/me", headers=world.auth(forged))
    assert r.status_code == 401


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


def test_expired_sessions_and_old_failures_are_deleted(world: World, ctx) -> None:  # type: ignore[no-untyped-def]
    """Sign-in rows do not pile up: expired sessions and failures older than the rate-limit
    window are deleted (bounded batches) on sign-in and at start-up; live ones stay."""
    from datetime import timedelta

    from sqlalchemy import func, insert, select

    from juesuan.serve.api.app import create_app
    from juesuan.serve.models import AuthSession, LoginFailure, User, utcnow
    from juesuan.serve.services import sessions

    code, _ = world.department()
    world.user("preparer", department=code)
    name = next(n for n in reversed(list(world.tokens)) if n.startswith("preparer"))
    now = utcnow()
    window = timedelta(seconds=ctx.settings.limits.login_window_seconds)
    tag = unique("old")
    with ctx.db.write() as session:
        user_id = session.scalar(select(User.id).where(User.name == name))
    expired = [f"{tag}-expired-{i}" for i in range(7)]
    live = f"{tag}-live"
    with ctx.db.write_connection() as conn:
        rows = [
            {"id": sid, "user_id": user_id, "expires_at": now - timedelta(minutes=i + 1)}
            for i, sid in enumerate(expired)
        ]
        rows.append({"id": live, "user_id": user_id, "expires_at": now + timedelta(hours=1)})
        conn.execute(insert(AuthSession), rows)
        failures = [
            {"username": f"{tag}-{i}", "address": "10.7.0.1", "at": now - window - timedelta(1)}
            for i in range(5)
        ]
        failures.append({"username": f"{tag}-fresh", "address": "10.7.0.1", "at": now})
        conn.execute(insert(LoginFailure), failures)

    def left() -> tuple[set[str], int, int]:
        with ctx.db.read() as session:
            ids = set(session.scalars(select(AuthSession.id).where(AuthSession.id.like(f"{tag}%"))))
            old = session.scalar(select(func.count()).where(LoginFailure.username.like(f"{tag}-_")))
            fresh = session.scalar(
                select(func.count()).where(LoginFailure.username == f"{tag}-fresh")
            )
        return ids, old, fresh

    # One bounded batch per table: the oldest go first, the rest wait for the next one.
    assert sessions.clean_expired(ctx, batch=3) >= 6
    ids, old, fresh = left()
    assert ids == {*expired[:4], live} and old == 2 and fresh == 1
    # A sign-in cleans up as it goes.
    world.client.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD})
    assert left() == ({live}, 0, 1)
    # Start-up removes whatever an earlier run left behind.
    with ctx.db.write_connection() as conn:
        conn.execute(
            insert(AuthSession),
            [{"id": f"{tag}-x{i}", "user_id": user_id, "expires_at": now} for i in range(3)],
        )
    create_app(ctx.settings, ctx.db, upgrade=False)
    assert left() == ({live}, 0, 1)

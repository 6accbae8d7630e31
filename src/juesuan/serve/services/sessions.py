"""Sign-in, sign-out and who a token names.

Sessions and failed sign-ins are rows in the database, so signing out revokes a token on
every process serving it, and the login rate limit (per user name and per address) holds
across processes. Checking a token costs an HMAC and one indexed query, never argon2.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import bindparam, delete, func, select, update

from juesuan.serve import security
from juesuan.serve.errors import RateLimited, Unauthorized
from juesuan.serve.models import AuthSession, Department, LoginFailure, Role, User, utcnow
from juesuan.serve.policy import Actor
from juesuan.serve.services import audit
from juesuan.serve.services.context import ServiceContext

# Built once: the statement is the same for every request (only the parameters differ).
_ACTOR = (
    select(
        User.id,
        User.name,
        User.role,
        User.department_id,
        User.region_id,
        Department.region_id,
    )
    .select_from(AuthSession)
    .join(User, AuthSession.user_id == User.id)
    .outerjoin(Department, User.department_id == Department.id)
    .where(
        AuthSession.id == bindparam("session_id"),
        AuthSession.user_id == bindparam("user_id"),
        AuthSession.revoked_at.is_(None),
        User.active.is_(True),
    )
)


# Rows deleted by one clean-up statement: a sign-in never waits on a long delete.
CLEAN_BATCH = 500


def clean_expired(ctx: ServiceContext, batch: int = CLEAN_BATCH) -> int:
    """Delete sign-in sessions past their expiry (their tokens are refused anyway) and
    failed sign-ins older than the rate-limit window (they no longer count): at most
    ``batch`` rows of each, oldest first. Returns how many rows went."""
    now = utcnow()
    window = timedelta(seconds=ctx.settings.limits.login_window_seconds)
    expired = (
        select(AuthSession.id)
        .where(AuthSession.expires_at < now)
        .order_by(AuthSession.expires_at)
        .limit(batch)
    )
    old = (
        select(LoginFailure.id)
        .where(LoginFailure.at < now - window)
        .order_by(LoginFailure.at)
        .limit(batch)
    )
    with ctx.db.write_connection() as conn:
        gone = conn.execute(
            delete(AuthSession).where(AuthSession.id.in_(expired.scalar_subquery()))
        ).rowcount
        gone += conn.execute(
            delete(LoginFailure).where(LoginFailure.id.in_(old.scalar_subquery()))
        ).rowcount
    return gone


def clean_all_expired(ctx: ServiceContext) -> int:
    """:func:`clean_expired` until nothing is left (at start-up)."""
    total = 0
    while (gone := clean_expired(ctx)) > 0:
        total += gone
    return total


def _too_many(ctx: ServiceContext, username: str, address: str) -> bool:
    limits = ctx.settings.limits
    since = utcnow() - timedelta(seconds=limits.login_window_seconds)
    recent = select(func.count()).select_from(LoginFailure).where(LoginFailure.at > since)
    with ctx.db.engine.connect() as conn:
        by_user = conn.scalar(recent.where(LoginFailure.username == username)) or 0
        by_address = conn.scalar(recent.where(LoginFailure.address == address)) or 0
    return by_user >= limits.login_failures_per_user or (
        by_address >= limits.login_failures_per_address
    )


def sign_in(ctx: ServiceContext, username: str, password: str, address: str) -> tuple[str, int]:
    """A bearer token and its lifetime in seconds; rate-limited per user and address."""
    limits = ctx.settings.limits
    if _too_many(ctx, username, address):
        raise RateLimited(
            "登录失败次数过多，请稍后再试",
            {"retry_after_seconds": limits.login_window_seconds},
            code="too_many_attempts",
        )
    with ctx.db.read() as session:
        user = session.scalar(select(User).where(User.name == username))
        stored = user.password_hash if user is not None and user.active else None
    anonymous = Actor(address=address)
    if not security.verify_password(stored, password) or user is None:
        clean_expired(ctx)  # failures older than the window no longer count
        with ctx.db.write() as session:
            session.add(LoginFailure(username=username[:100], address=address[:64]))
            audit.record(
                session, anonymous, "auth.login_failed", username[:100], username=username[:100]
            )
        raise Unauthorized("用户名或密码不正确", code="bad_credentials")
    clean_expired(ctx)  # every sign-in adds a session: remove expired ones as it goes
    minutes = ctx.settings.token_minutes
    session_id = security.new_session_id()
    actor = Actor(user_id=user.id, name=user.name, address=address)
    with ctx.db.write() as session:
        session.execute(delete(LoginFailure).where(LoginFailure.username == username))
        session.add(
            AuthSession(
                id=session_id,
                user_id=user.id,
                expires_at=utcnow() + timedelta(minutes=minutes),
                address=address[:64],
            )
        )
        audit.record(session, actor, "auth.login", user.name)
    token = security.issue_token(ctx.settings.secret_key, user.id, minutes, session_id)
    return token, minutes * 60


def actor_from_token(ctx: ServiceContext, token: str | None, address: str | None) -> Actor:
    """The actor a bearer token names (anonymous when there is no token). A token whose
    session was signed out, or whose user was deactivated, is refused."""
    if not token:
        return Actor(address=address)
    claims = security.read_token(ctx.settings.secret_key, token)
    if claims.session_id is None:
        raise Unauthorized("登录凭证无效，请重新登录", code="invalid_token")
    with ctx.db.engine.connect() as conn:
        row = conn.execute(
            _ACTOR, {"session_id": claims.session_id, "user_id": claims.user_id}
        ).first()
    if row is None:
        raise Unauthorized("登录凭证无效或已退出，请重新登录", code="invalid_token")
    user_id, name, role, department_id, own_region, department_region = row
    return Actor(
        user_id=user_id,
        name=name,
        role=Role(role),
        department_id=department_id,
        region_id=(department_region or own_region) if role == Role.REVIEWER else None,
        address=address,
        session_id=claims.session_id,
    )


def sign_out(ctx: ServiceContext, actor: Actor) -> bool:
    """Revoke the actor's session: its token is refused from now on, by every process.
    False when there was nothing to revoke (anonymous, or already signed out)."""
    if actor.session_id is None:
        return False
    with ctx.db.write() as session:
        done = session.execute(
            update(AuthSession)
            .where(AuthSession.id == actor.session_id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        ).rowcount
        if done:
            audit.record(session, actor, "auth.logout", actor.name)
    return bool(done)

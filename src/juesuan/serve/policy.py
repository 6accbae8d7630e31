"""Authorisation: every rule of the service in one place.

Each action has one rule over the acting user (role, department, region) and the target
(the department and region it belongs to, or the owner of a stored check). The services ask
:func:`authorize` before they read or change anything; the pages and the API never decide
themselves. Workflow *state* rules (what may happen to a submitted dataset) are in
:mod:`juesuan.serve.services.workflow` and answer 409, not 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from juesuan.serve.errors import Forbidden, Unauthorized
from juesuan.serve.models import Role


class Action(StrEnum):
    DEPARTMENT_CREATE = "department.create"
    DEPARTMENT_READ = "department.read"
    USER_MANAGE = "user.manage"
    DATASET_READ = "dataset.read"  # versions, source files, findings, history, built documents
    DATASET_WRITE = "dataset.write"
    SUBMIT = "workflow.submit"
    RETURN = "workflow.return"
    APPROVE = "workflow.approve"
    PUBLISH = "workflow.publish"
    VALIDATE = "validate"
    CHECK_CREATE = "check.create"
    CHECK_READ = "check.read"
    AUDIT_READ = "audit.read"
    PUBLIC_READ = "public.read"
    DEADLINE_SET = "deadline.set"


@dataclass(frozen=True)
class Actor:
    """Who is asking: a signed-in user, or anonymous (``user_id`` None)."""

    user_id: int | None = None
    name: str | None = None
    role: Role | None = None
    department_id: int | None = None
    region_id: int | None = None
    address: str | None = None
    session_id: str | None = None  # the sign-in the token names (revoked by signing out)

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None


@dataclass(frozen=True)
class Target:
    department_id: int | None = None
    region_id: int | None = None
    owner_id: int | None = None


def _admin(a: Actor, t: Target) -> bool:
    return a.role is Role.ADMIN


def _signed_in(a: Actor, t: Target) -> bool:
    return a.authenticated


def _anyone(a: Actor, t: Target) -> bool:
    return True


def _own_department(a: Actor, t: Target) -> bool:
    return (
        a.role is Role.PREPARER
        and a.department_id is not None
        and a.department_id == t.department_id
    )


def _own_region(a: Actor, t: Target) -> bool:
    return a.role is Role.REVIEWER and a.region_id is not None and a.region_id == t.region_id


def _reader(a: Actor, t: Target) -> bool:
    return _admin(a, t) or _own_region(a, t) or _own_department(a, t)


def _owner_or_admin(a: Actor, t: Target) -> bool:
    return _admin(a, t) or (a.authenticated and a.user_id == t.owner_id)


RULES: dict[Action, Callable[[Actor, Target], bool]] = {
    Action.DEPARTMENT_CREATE: _admin,
    Action.DEPARTMENT_READ: _reader,
    Action.USER_MANAGE: _admin,
    Action.DATASET_READ: _reader,
    Action.DATASET_WRITE: _own_department,
    Action.SUBMIT: _own_department,
    Action.RETURN: _own_region,
    Action.APPROVE: _own_region,
    Action.PUBLISH: _own_region,
    Action.VALIDATE: _signed_in,
    Action.CHECK_CREATE: _signed_in,
    Action.CHECK_READ: _owner_or_admin,
    Action.AUDIT_READ: _admin,
    Action.PUBLIC_READ: _anyone,
    Action.DEADLINE_SET: _admin,
}

PUBLIC = frozenset({Action.PUBLIC_READ})


def allowed(actor: Actor, action: Action, target: Target | None = None) -> bool:
    return RULES[action](actor, target or Target())


def authorize(actor: Actor, action: Action, target: Target | None = None) -> None:
    """Raise :class:`Unauthorized` (not signed in) or :class:`Forbidden` unless allowed."""
    if allowed(actor, action, target):
        return
    if not actor.authenticated:
        raise Unauthorized("请先登录", code="not_authenticated")
    raise Forbidden("无权执行此操作", {"action": action.value})


@dataclass(frozen=True)
class Scope:
    """Which departments a list shows: all, one region's, one department, or none."""

    all: bool = False
    region_id: int | None = None
    department_id: int | None = None


def visible_departments(actor: Actor) -> Scope:
    if actor.role is Role.ADMIN:
        return Scope(all=True)
    if actor.role is Role.REVIEWER:
        return Scope(region_id=actor.region_id)
    if actor.role is Role.PREPARER:
        return Scope(department_id=actor.department_id)
    return Scope()

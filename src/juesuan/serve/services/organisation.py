"""Regions, departments, users."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from juesuan.serve import security
from juesuan.serve.errors import Conflict, Invalid, NotFound
from juesuan.serve.models import Department, Region, Role, User
from juesuan.serve.policy import Action, Actor, Target, authorize, visible_departments
from juesuan.serve.services import audit
from juesuan.serve.services.context import ServiceContext

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
NAME_MAX = 100


@dataclass
class DepartmentView:
    code: str
    name: str
    region: str
    profile: str
    indicator_system: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class UserView:
    id: int
    name: str
    role: str
    role_label: str
    department: str | None
    region: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def department_view(d: Department) -> DepartmentView:
    return DepartmentView(d.code, d.name, d.region.name, d.profile, d.indicator_system)


def user_view(u: User) -> UserView:
    region = u.region.name if u.region else (u.department.region.name if u.department else None)
    return UserView(
        u.id,
        u.name,
        u.role,
        Role(u.role).label,
        u.department.code if u.department else None,
        region,
    )


def department_target(d: Department) -> Target:
    return Target(department_id=d.id, region_id=d.region_id)


def find_department(session: Session, code: str) -> Department:
    dept = session.scalar(select(Department).where(Department.code == code))
    if dept is None:
        raise NotFound(f"没有编码为「{code}」的部门", {"department": code})
    return dept


def _check_text(value: str, field: str, max_len: int = NAME_MAX) -> str:
    value = (value or "").strip()
    if not value or len(value) > max_len or any(ord(c) < 32 for c in value):
        raise Invalid(
            f"「{field}」不能为空，不超过{max_len}个字，且不能含控制字符", {"field": field}
        )
    return value


def _get_or_create_region(session: Session, name: str) -> Region:
    region = session.scalar(select(Region).where(Region.name == name))
    if region is None:
        region = Region(name=name)
        try:
            with session.begin_nested():
                session.add(region)
        except IntegrityError:  # created by a concurrent request
            region = session.scalar(select(Region).where(Region.name == name))
            assert region is not None
    return region


def create_department(
    ctx: ServiceContext,
    actor: Actor,
    code: str,
    name: str,
    region: str,
    profile: str,
    indicator_system: str | None = None,
) -> DepartmentView:
    """A new department; its region is created on first use."""
    from juesuan.profiles import available_profiles

    authorize(actor, Action.DEPARTMENT_CREATE)
    if not CODE.match(code or ""):
        raise Invalid(
            "部门编码只能由字母、数字、点、横线和下划线组成（不超过64个字符）", {"field": "code"}
        )
    name = _check_text(name, "name", 200)
    region = _check_text(region, "region")
    if profile not in available_profiles():
        known = "、".join(available_profiles())
        raise Invalid(f"未知的地区模板「{profile}」，可用：{known}", {"field": "profile"})
    with ctx.db.write() as session:
        if session.scalar(select(Department.id).where(Department.code == code)) is not None:
            raise Conflict(f"部门编码「{code}」已存在", {"department": code})
        dept = Department(
            code=code,
            name=name,
            region_id=_get_or_create_region(session, region).id,
            profile=profile,
            indicator_system=indicator_system,
        )
        try:
            with session.begin_nested():
                session.add(dept)
        except IntegrityError:
            raise Conflict(f"部门编码「{code}」已存在", {"department": code}) from None
        session.refresh(dept)
        audit.record(session, actor, "department.create", code, {"name": name, "region": region})
        return department_view(dept)


def list_departments(ctx: ServiceContext, actor: Actor) -> list[DepartmentView]:
    """The departments the actor may see (admin: all; reviewer: the region; preparer: own)."""
    scope = visible_departments(actor)
    q = select(Department).order_by(Department.code)
    if not scope.all:
        if scope.region_id is not None:
            q = q.where(Department.region_id == scope.region_id)
        elif scope.department_id is not None:
            q = q.where(Department.id == scope.department_id)
        else:
            authorize(actor, Action.DEPARTMENT_READ)  # anonymous: 401
            return []
    with ctx.db.read() as session:
        return [department_view(d) for d in session.scalars(q).all()]


def get_department(ctx: ServiceContext, actor: Actor, code: str) -> DepartmentView:
    with ctx.db.read() as session:
        dept = find_department(session, code)
        authorize(actor, Action.DEPARTMENT_READ, department_target(dept))
        return department_view(dept)


def create_user(
    ctx: ServiceContext,
    actor: Actor | None,
    name: str,
    role: str,
    password: str,
    department: str | None = None,
    region: str | None = None,
) -> UserView:
    """A new user. ``actor`` None is the command line (``juesuan user add``), which runs
    with the rights of whoever can open the database."""
    if actor is not None:
        authorize(actor, Action.USER_MANAGE)
    name = _check_text(name, "name")
    try:
        role_ = Role(role)
    except ValueError:
        raise Invalid(
            "角色只能是 preparer（填报人）、reviewer（审核人）或 admin（管理员）", {"field": "role"}
        ) from None
    if len(password or "") < 8 or len(password) > 256:
        raise Invalid("密码至少8个字符（不超过256个）", {"field": "password"})
    with ctx.db.write() as session:
        dept_id = region_id = None
        if role_ is Role.PREPARER:
            if not department:
                raise Invalid("填报人必须指定部门（--department）", {"field": "department"})
            dept_id = find_department(session, department).id
        elif role_ is Role.REVIEWER:
            if not region:
                raise Invalid("审核人必须指定地区（--region）", {"field": "region"})
            region_row = session.scalar(select(Region).where(Region.name == region))
            if region_row is None:
                raise NotFound(f"没有名为「{region}」的地区", {"region": region})
            region_id = region_row.id
        elif department or region:
            raise Invalid("管理员不属于某个部门或地区", {"field": "role"})
        if session.scalar(select(User.id).where(User.name == name)) is not None:
            raise Conflict(f"用户「{name}」已存在", {"user": name})
        user = User(
            name=name,
            password_hash=security.hash_password(password),
            role=role_.value,
            department_id=dept_id,
            region_id=region_id,
        )
        session.add(user)
        session.flush()
        audit.record(
            session, actor or Actor(name="命令行"), "user.create", name, {"role": role_.value}
        )
        session.refresh(user)
        return user_view(user)


def set_password(ctx: ServiceContext, name: str, password: str) -> None:
    """Command-line only (demo setup): replace a user's password."""
    with ctx.db.write() as session:
        user = session.scalar(select(User).where(User.name == name))
        if user is None:
            raise NotFound(f"没有用户「{name}」")
        user.password_hash = security.hash_password(password)
        audit.record(session, Actor(name="命令行"), "user.password", name)


def list_users(ctx: ServiceContext, actor: Actor) -> list[UserView]:
    authorize(actor, Action.USER_MANAGE)
    with ctx.db.read() as session:
        return [user_view(u) for u in session.scalars(select(User).order_by(User.name)).unique()]


def whoami(ctx: ServiceContext, actor: Actor) -> tuple[UserView | None, str | None]:
    """The signed-in user and the name of their department (preparers)."""
    if actor.user_id is None:
        return None, None
    with ctx.db.read() as session:
        user = session.get(User, actor.user_id)
        if user is None:
            return None, None
        return user_view(user), user.department.name if user.department else None

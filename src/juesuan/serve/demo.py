"""The demo region: the two bundled samples, an admin, a reviewer and a preparer."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from juesuan.serve.errors import ServiceError
from juesuan.serve.models import Department, Disclosure, Region, Role, User
from juesuan.serve.policy import Actor
from juesuan.serve.services import datasets, organisation
from juesuan.serve.services.context import ServiceContext

DEPARTMENTS = (
    # code, name, region, profile, sample
    ("anju-jxb", "中共遂宁市安居区委目标绩效管理办公室", "遂宁市安居区", "sichuan-2024", "seed"),
    ("putuo-czj", "上海市普陀区财政局", "上海市普陀区", "shanghai-2024", "putuo"),
)
YEAR = 2024
USERS = (
    ("admin", "admin", None, None),
    ("reviewer", "reviewer", None, "遂宁市安居区"),
    ("preparer", "preparer", "anju-jxb", None),
)


@dataclass
class DemoAccount:
    name: str
    role: str
    password: str
    scope: str


def setup_demo(ctx: ServiceContext) -> list[DemoAccount]:
    """Create (or reuse) the demo organisation; every demo user gets a new random password."""
    from juesuan.pipeline import sample_path

    with ctx.db.read() as session:
        existing_depts = set(session.scalars(select(Department.code)))
        existing_users = set(session.scalars(select(User.name)))
    system = Actor(user_id=None, name="演示初始化", role=Role.ADMIN)
    for code, name, region, profile, _ in DEPARTMENTS:
        if code not in existing_depts:
            organisation.create_department(ctx, system, code, name, region, profile)
    accounts = []
    for user, role, dept, region in USERS:
        password = _password()
        if user in existing_users:
            organisation.set_password(ctx, user, password)
        else:
            organisation.create_user(ctx, None, user, role, password, dept, region)
        accounts.append(DemoAccount(user, role, password, dept or region or "全部"))
    # The samples as version 1 of each department's 2024 dataset (uploaded by a preparer of
    # that department; the Putuo department gets its own preparer for that).
    for code, _name, _region, _profile, sample in DEPARTMENTS:
        with ctx.db.read() as session:
            dept = session.scalar(select(Department).where(Department.code == code))
            has = dept is not None and session.scalar(
                select(Disclosure.id).where(
                    Disclosure.department_id == dept.id, Disclosure.year == YEAR
                )
            )
            uploader = (
                session.scalar(select(User).where(User.department_id == dept.id)) if dept else None
            )
        if has:
            continue
        if uploader is None:
            organisation.create_user(
                ctx, None, f"{code}-preparer", "preparer", secrets.token_urlsafe(12), code
            )
        actor = organisation_actor(ctx, code)
        path = sample_path(sample)
        try:
            datasets.save_version(ctx, actor, code, YEAR, path.read_bytes(), None, path.name, None)
        except ServiceError:
            pass  # kept as a rejected version; the demo still starts
    return accounts


def organisation_actor(ctx: ServiceContext, code: str) -> Actor:
    with ctx.db.read() as session:
        dept = session.scalar(select(Department).where(Department.code == code))
        assert dept is not None
        user = session.scalar(select(User).where(User.department_id == dept.id).order_by(User.id))
        assert user is not None
        return Actor(user_id=user.id, name=user.name, role=Role.PREPARER, department_id=dept.id)


def region_names(ctx: ServiceContext) -> list[str]:
    with ctx.db.read() as session:
        return list(session.scalars(select(Region.name).order_by(Region.name)))


def _password() -> str:
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))

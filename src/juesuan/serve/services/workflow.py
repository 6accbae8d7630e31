"""The review workflow: draft → submitted → returned … → approved → published.

Who may act is the policy's business (403); whether the dataset's state allows the step is
decided here (409). A step only happens if the state and the current version are still
what the actor saw: the update is conditional, so two reviewers cannot both act.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from juesuan.serve.errors import Conflict, Invalid
from juesuan.serve.models import (
    DatasetVersion,
    Disclosure,
    Publication,
    State,
    WorkflowEvent,
    utcnow,
)
from juesuan.serve.policy import Action, Actor, authorize
from juesuan.serve.services import audit
from juesuan.serve.services.context import ServiceContext
from juesuan.serve.services.datasets import DisclosureView, check_year, disclosure, find_disclosure
from juesuan.serve.services.organisation import department_target, find_department

COMMENT_MAX = 4000


@dataclass(frozen=True)
class Step:
    action: Action
    sources: tuple[State, ...]
    target: State
    label: str


STEPS = {
    "submit": Step(Action.SUBMIT, (State.DRAFT, State.RETURNED), State.SUBMITTED, "提交审核"),
    "return": Step(Action.RETURN, (State.SUBMITTED, State.APPROVED), State.RETURNED, "退回修改"),
    "approve": Step(Action.APPROVE, (State.SUBMITTED,), State.APPROVED, "审核通过"),
    "publish": Step(Action.PUBLISH, (State.APPROVED,), State.PUBLISHED, "公开"),
}


def transition(
    ctx: ServiceContext,
    actor: Actor,
    code: str,
    year: int,
    step_name: str,
    comment: str | None = None,
    expected_version: int | None = None,
) -> DisclosureView:
    """Carry out ``step_name`` (submit, return, approve, publish) on a department-year."""
    step = STEPS.get(step_name)
    if step is None:
        raise Invalid(f"未知的操作「{step_name}」", {"step": step_name})
    check_year(year)
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > COMMENT_MAX:
        raise Invalid(f"意见不超过{COMMENT_MAX}字", {"field": "comment"})
    if step_name == "return" and not comment:
        raise Invalid("退回时必须填写意见", {"field": "comment"})
    with ctx.db.write() as session:
        dept = find_department(session, code)
        authorize(actor, step.action, department_target(dept))
        row = find_disclosure(session, dept, year)
        if row is None or row.current_version is None:
            raise Conflict("还没有上传数据，不能执行此操作", code="no_dataset")
        state = State(row.state)
        if state not in step.sources:
            raise Conflict(
                f"数据处于「{state.label}」状态，不能{step.label}",
                {"state": state.value},
                code="invalid_state",
            )
        if expected_version is not None and expected_version != row.current_version:
            raise Conflict(
                "数据在您查看后已有新版本，请刷新后再操作",
                {"current_version": row.current_version},
                code="version_conflict",
            )
        version = session.scalar(
            select(DatasetVersion).where(
                DatasetVersion.disclosure_id == row.id,
                DatasetVersion.number == row.current_version,
            )
        )
        assert version is not None
        if step_name == "submit" and version.errors:
            raise Conflict(
                f"数据还有{version.errors}个错误，不能提交审核；请先修改",
                {"errors": version.errors, "version": version.number},
                code="has_errors",
            )
        values: dict[str, object] = {"state": step.target.value, "updated_at": utcnow()}
        if step.target is State.PUBLISHED:
            values["published_version"] = row.current_version
        done = session.execute(
            update(Disclosure)
            .where(
                Disclosure.id == row.id,
                Disclosure.state == state.value,
                Disclosure.current_version == row.current_version,
            )
            .values(**values)
        ).rowcount
        if done != 1:
            raise Conflict("数据刚被他人修改，请刷新后再操作", code="concurrent_change")
        session.add(
            WorkflowEvent(
                disclosure_id=row.id,
                from_state=state.value,
                to_state=step.target.value,
                version=row.current_version,
                revision=row.revision,
                actor_id=actor.user_id,
                comment=comment,
            )
        )
        if step.target is State.PUBLISHED:
            session.add(
                Publication(
                    disclosure_id=row.id,
                    revision=row.revision,
                    version=row.current_version,
                    published_by=actor.user_id,
                )
            )
        audit.record(
            session,
            actor,
            f"workflow.{step_name}",
            f"{code}/{year}",
            {
                "from": state.value,
                "to": step.target.value,
                "version": row.current_version,
                "comment": comment,
            },
        )
    return disclosure(ctx, actor, code, year)

"""Dataset versions of a department-year: immutable, never lost, optimistically locked."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from juesuan.core.findings import Severity
from juesuan.serve.errors import Conflict, Invalid, NotFound, ServiceError
from juesuan.serve.models import (
    DatasetVersion,
    Department,
    Disclosure,
    Region,
    State,
    User,
    VersionStatus,
    WorkflowEvent,
    utcnow,
)
from juesuan.serve.policy import Action, Actor, Target, authorize
from juesuan.serve.services import audit, deadlines
from juesuan.serve.services.context import ServiceContext, iso
from juesuan.serve.services.deadlines import DeadlineView
from juesuan.serve.services.library import Loaded, finding_dicts, load_bytes, service_finding
from juesuan.serve.services.organisation import department_target, find_department
from juesuan.serve.uploads import Refused, dataset_kind

EDITABLE = (State.DRAFT.value, State.RETURNED.value, State.PUBLISHED.value)
REFUSAL_CODES = {
    "unsupported_type": "SRV-010",
    "type_mismatch": "SRV-011",
    "bad_zip": "SRV-012",
    "zip_bomb": "SRV-013",
    "xml_entity": "SRV-014",
    "too_large": "SRV-015",
    "encoding": "SRV-016",
    "yaml_bomb": "SRV-017",
}
FILENAME = re.compile(r"[^\w.\-\u3400-\u9fff（）()]+")


@dataclass
class VersionView:
    number: int
    status: str
    reason: str | None
    based_on: int | None
    revision: int
    author: str
    created_at: str | None
    filename: str
    kind: str | None
    sha256: str
    size: int
    profile: str | None
    errors: int
    warnings: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class EventView:
    from_state: str
    to_state: str
    version: int | None
    revision: int
    actor: str
    comment: str | None
    at: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class DisclosureView:
    department: str
    department_name: str
    region: str
    year: int
    state: str
    state_label: str
    revision: int
    current_version: int | None
    published_version: int | None
    versions: list[VersionView] = field(default_factory=list)
    events: list[EventView] = field(default_factory=list)
    errors: int | None = None  # of the current version
    warnings: int | None = None
    updated_at: str | None = None
    deadline: DeadlineView | None = None  # the region's for this year, when one is set

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SaveResult:
    version: VersionView
    state: str
    findings: list[dict[str, Any]]

    @property
    def accepted(self) -> bool:
        return self.version.status == VersionStatus.ACCEPTED.value


def version_view(v: DatasetVersion) -> VersionView:
    return VersionView(
        v.number,
        v.status,
        v.reason,
        v.based_on,
        v.revision,
        v.author.name,
        iso(v.created_at),
        v.filename,
        v.kind,
        v.sha256,
        v.size,
        v.profile,
        v.errors,
        v.warnings,
    )


def check_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Invalid("年度应在 2000 至 2100 之间", {"field": "year"})
    return year


def safe_filename(name: str | None, kind: str | None) -> str:
    base = FILENAME.sub("_", (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1])[:120]
    base = base.strip("._") or "upload"
    return base


def find_disclosure(session: Session, dept: Department, year: int) -> Disclosure | None:
    return session.scalar(
        select(Disclosure).where(Disclosure.department_id == dept.id, Disclosure.year == year)
    )


def _disclosure_for_update(session: Session, dept: Department, year: int) -> Disclosure:
    found = find_disclosure(session, dept, year)
    if found is not None:
        return found
    try:
        with session.begin_nested():
            row = Disclosure(department_id=dept.id, year=year, state=State.DRAFT.value)
            session.add(row)
        return row
    except IntegrityError:  # created by a concurrent upload
        found = find_disclosure(session, dept, year)
        assert found is not None
        return found


Analysed = tuple[str | None, Loaded, Refused | None]  # kind, findings (and analysis), refusal


def _cached(ctx: ServiceContext, key: tuple[str, ...], analysis: bool) -> Analysed | None:
    cached = (ctx.analyses if analysis else ctx.findings_cache).get(key)
    if cached is None and analysis:
        summary = ctx.findings_cache.get(key)
        if summary is not None and not summary[1].loaded:  # nothing to analyse
            cached = summary
    return cached


def _upload_key(
    data: bytes, content_type: str | None, filename: str, profile: str, digest: str | None
) -> tuple[str, ...]:
    from juesuan.serve.services.library import code_version

    digest = digest or hashlib.sha256(data).hexdigest()
    return (digest, content_type or "", profile, code_version(), filename)


def cached_upload(
    ctx: ServiceContext,
    data: bytes,
    content_type: str | None,
    filename: str,
    profile: str,
    digest: str | None = None,
) -> Analysed | None:
    """What :func:`analyse_upload` would answer, when it is known without running the
    library (a hash and a dict lookup: cheap enough for the event loop)."""
    return _cached(ctx, _upload_key(data, content_type, filename, profile, digest), False)


def analyse_upload(
    ctx: ServiceContext,
    data: bytes,
    content_type: str | None,
    filename: str,
    profile: str,
    *,
    analysis: bool = False,
    digest: str | None = None,
) -> Analysed:
    """Guards, then the library's loader and rules. Cached by content: the answer for the
    same bytes (``digest``: their sha256 when the caller has it), declared type, profile
    and code never changes. The findings of many uploads are kept; the analysis itself
    (asked for with ``analysis=True``) only for a few.

    The library runs for one upload at a time per process (``ctx.analysis_slots``): it is
    pure Python, so two threads would only take turns on the interpreter lock, each
    slower, and the service's processes (one per core) already use every core."""
    key = _upload_key(data, content_type, filename, profile, digest)
    cached = _cached(ctx, key, analysis)
    if cached is not None:
        return cached
    with ctx.analysis_slots:
        return _cached(ctx, key, analysis) or _analyse(  # maybe done while this one waited
            ctx, key, data, content_type, filename, profile, analysis
        )


def _analyse(
    ctx: ServiceContext,
    key: tuple[str, ...],
    data: bytes,
    content_type: str | None,
    filename: str,
    profile: str,
    analysis: bool,
) -> Analysed:
    try:
        kind = dataset_kind(data, content_type, ctx.settings.limits)
    except Refused as refused:
        code = REFUSAL_CODES.get(refused.code, "SRV-010")
        finding = service_finding(code, Severity.ERROR, refused.message, filename)
        result: Analysed = (
            None,
            Loaded(None, finding_dicts([finding], filename)),
            refused,
        )
    else:
        result = (kind, load_bytes(data, kind, filename, profile), None)
    ctx.findings_cache.put(key, (result[0], result[1].summary(), result[2]))
    if analysis and result[1].analysis is not None:
        ctx.analyses.put(key, result)
    return result


def validate_upload(
    ctx: ServiceContext,
    actor: Actor,
    data: bytes,
    content_type: str | None,
    filename: str | None,
    profile: str | None = None,
    *,
    cached_only: bool = False,
    digest: str | None = None,
) -> dict[str, Any] | None:
    """Findings of an upload without storing it. With ``cached_only``, None unless the
    answer is already known (cheap enough to ask on the event loop). ``digest``: the
    upload's sha256 when the caller has it."""
    from juesuan.profiles import available_profiles

    authorize(actor, Action.VALIDATE)
    if profile is not None and profile not in available_profiles():
        raise Invalid(f"未知的地区模板「{profile}」", {"field": "profile"})
    name = safe_filename(filename, None)
    if cached_only:
        found = cached_upload(ctx, data, content_type, name, profile or "", digest)
        if found is None:
            return None
    else:
        found = analyse_upload(ctx, data, content_type, name, profile or "", digest=digest)
    kind, loaded, refused = found
    if refused is not None:
        raise _fresh(refused, {})
    return {
        "kind": kind,
        "loaded": loaded.loaded,
        "errors": loaded.errors,
        "warnings": loaded.warnings,
        "findings": loaded.findings,
    }


def _fresh(error: ServiceError, details: dict[str, Any]) -> ServiceError:
    """A new error to raise (a cached refusal is shared between requests)."""
    out = ServiceError(error.message, {**error.details, **details}, code=error.code)
    out.status = error.status
    return out


def parse_if_match(value: str | None) -> int | None:
    """``If-Match: 3``, ``"3"`` or ``W/"3"`` → 3."""
    if value is None:
        return None
    text = value.strip().removeprefix("W/").strip('"').strip()
    if not text.isdigit():
        raise Invalid("If-Match 应为数据版本号", {"header": "If-Match"})
    return int(text)


def authorize_write(ctx: ServiceContext, actor: Actor, code: str) -> None:
    """Refuse an upload before its body is read (the save checks again)."""
    with ctx.db.read() as session:
        authorize(actor, Action.DATASET_WRITE, department_target(find_department(session, code)))


def save_version(
    ctx: ServiceContext,
    actor: Actor,
    code: str,
    year: int,
    data: bytes,
    content_type: str | None,
    filename: str | None,
    if_match: int | None,
) -> SaveResult:
    """Store an upload as the next version. It becomes current only when it loads, the
    dataset is editable and ``if_match`` names the current version (none for the first).
    Otherwise it is kept as a rejected version and the matching error is raised *after* the
    transaction commits, so nothing a user uploaded is lost."""
    check_year(year)
    with ctx.db.read() as session:
        dept = find_department(session, code)
        authorize(actor, Action.DATASET_WRITE, department_target(dept))
        profile = dept.profile
    name = safe_filename(filename, None)
    digest = hashlib.sha256(data).hexdigest()
    kind, loaded, refused = analyse_upload(ctx, data, content_type, name, profile, digest=digest)
    failure: ServiceError | None = refused
    if failure is None and not loaded.loaded:
        failure = Invalid(
            "数据文件无法读取，已作为被拒绝的版本保存，请按问题清单修改后重新上传",
            code="unreadable",
        )
    with ctx.db.write() as session:
        dept = find_department(session, code)
        disclosure = _disclosure_for_update(session, dept, year)
        # Take the next number; on PostgreSQL this row lock also orders concurrent saves.
        number, current, state, revision = session.execute(
            update(Disclosure)
            .where(Disclosure.id == disclosure.id)
            .values(last_number=Disclosure.last_number + 1)
            .returning(
                Disclosure.last_number,
                Disclosure.current_version,
                Disclosure.state,
                Disclosure.revision,
            )
        ).one()
        reason = None
        if failure is not None:
            reason = "invalid"
        elif state not in EDITABLE:
            reason = "state"
            failure = Conflict(
                f"数据处于「{State(state).label}」状态，不能修改；上传已作为被拒绝的版本保存",
                code="not_editable",
            )
        elif if_match != current:
            reason = "conflict"
            failure = Conflict(
                "数据已被他人修改（您依据的不是最新版本）；您的上传已作为被拒绝的草稿保存，请在最新版本基础上重新修改",
                code="version_conflict",
            )
        accepted = reason is None
        new_revision = revision + 1 if accepted and state == State.PUBLISHED.value else revision
        version = DatasetVersion(
            disclosure_id=disclosure.id,
            number=number,
            status=(VersionStatus.ACCEPTED if accepted else VersionStatus.REJECTED).value,
            reason=reason,
            based_on=if_match,
            revision=new_revision,
            author_id=actor.user_id,
            filename=name,
            kind=kind,
            sha256=digest,
            size=len(data),
            content=data,
            profile=loaded.profile,
            findings=loaded.findings,
            errors=loaded.errors,
            warnings=loaded.warnings,
        )
        session.add(version)
        new_state = state
        if accepted:
            new_state = State.DRAFT.value if state == State.PUBLISHED.value else state
            session.execute(
                update(Disclosure)
                .where(Disclosure.id == disclosure.id)
                .values(
                    current_version=number,
                    state=new_state,
                    revision=new_revision,
                    updated_at=utcnow(),
                )
            )
            if new_state != state:
                session.add(
                    WorkflowEvent(
                        disclosure_id=disclosure.id,
                        from_state=state,
                        to_state=new_state,
                        version=number,
                        revision=new_revision,
                        actor_id=actor.user_id,
                        comment="公开后修订",
                    )
                )
        audit.record(
            session,
            actor,
            "dataset.upload" if accepted else "dataset.upload_rejected",
            f"{code}/{year}",
            {
                "version": number,
                "sha256": version.sha256,
                "reason": reason,
                "errors": loaded.errors,
            },
        )
        session.flush()
        session.refresh(version)
        result = SaveResult(version_view(version), new_state, loaded.findings)
    if failure is not None:
        details = {"version": number, "current_version": current, "findings": loaded.findings}
        raise _fresh(failure, details)
    return result


def disclosure(ctx: ServiceContext, actor: Actor, code: str, year: int) -> DisclosureView:
    """State, versions (including rejected ones) and workflow history of a department-year.

    Core selects of the columns shown: the ORM would load every version's findings (a JSON
    document each) and build objects only to copy them into views."""
    check_year(year)
    with ctx.db.engine.connect() as conn:
        row = conn.execute(_DISCLOSURE, {"code": code, "year": year}).first()
        if row is None:
            raise NotFound(f"没有编码为「{code}」的部门", {"department": code})
        dept_id, region_id, name, region, disclosure_id, *state = row
        authorize(actor, Action.DATASET_READ, Target(department_id=dept_id, region_id=region_id))
        if disclosure_id is None:
            raise NotFound(
                f"部门「{code}」{year}年度还没有数据", {"department": code, "year": year}
            )
        versions = [
            VersionView(*fields[:6], iso(fields[6]), *fields[7:])
            for fields in conn.execute(_VERSIONS, {"disclosure": disclosure_id})
        ]
        events = [
            EventView(*fields[:6], iso(fields[6]))
            for fields in conn.execute(_EVENTS, {"disclosure": disclosure_id})
        ]
    current_state, revision, current_number, published, updated = state
    current = next((v for v in versions if v.number == current_number), None)
    return DisclosureView(
        code,
        name,
        region,
        year,
        current_state,
        State(current_state).label,
        revision,
        current_number,
        published,
        versions,
        events,
        current.errors if current else None,
        current.warnings if current else None,
        iso(updated),
        deadlines.for_disclosure(ctx, region, year, current_state),
    )


def list_disclosures(
    ctx: ServiceContext, actor: Actor, year: int | None = None
) -> list[DisclosureView]:
    """Every department-year the actor may see, without versions (for inboxes)."""
    from juesuan.serve.policy import visible_departments

    scope = visible_departments(actor)
    current = and_(
        DatasetVersion.disclosure_id == Disclosure.id,
        DatasetVersion.number == Disclosure.current_version,
    )
    q = (
        select(Disclosure, DatasetVersion.errors, DatasetVersion.warnings)
        .join(Department, Disclosure.department_id == Department.id)
        .outerjoin(DatasetVersion, current)
        .order_by(Department.code, Disclosure.year)
    )
    if year is not None:
        q = q.where(Disclosure.year == year)
    if not scope.all:
        if scope.region_id is not None:
            q = q.where(Department.region_id == scope.region_id)
        elif scope.department_id is not None:
            q = q.where(Department.id == scope.department_id)
        else:
            authorize(actor, Action.DATASET_READ)
    due = deadlines.lookup(ctx)
    with ctx.db.read() as session:
        return [
            DisclosureView(
                d.department.code,
                d.department.name,
                d.department.region.name,
                d.year,
                d.state,
                State(d.state).label,
                d.revision,
                d.current_version,
                d.published_version,
                errors=errors,
                warnings=warnings,
                updated_at=iso(d.updated_at),
                deadline=deadlines.view_for(due, d.department.region.name, d.year, d.state),
            )
            for d, errors, warnings in session.execute(q).unique()
        ]


# --- reads: one query for the pointer, immutable versions from a cache -------------------


@dataclass(frozen=True)
class StoredVersion:
    """A version as stored. Versions never change once written, so a process keeps them
    (without the uploaded bytes) in :attr:`ServiceContext.versions`."""

    disclosure_id: int
    view: VersionView
    findings: list[dict[str, Any]]

    def content(self, ctx: ServiceContext) -> bytes:
        """The uploaded file, byte for byte (read when needed: it may be large)."""
        with ctx.db.engine.connect() as conn:
            data = conn.scalar(
                select(DatasetVersion.content).where(
                    DatasetVersion.disclosure_id == self.disclosure_id,
                    DatasetVersion.number == self.view.number,
                )
            )
        assert data is not None
        return data


@dataclass(frozen=True)
class Located:
    """A department-year the actor may read: its department and current version."""

    department_id: int
    department_code: str
    profile: str
    disclosure_id: int
    current_version: int | None


_LOCATE = (
    select(
        Department.id,
        Department.region_id,
        Department.profile,
        Disclosure.id,
        Disclosure.current_version,
    )
    .select_from(Department)
    .outerjoin(
        Disclosure,
        and_(Disclosure.department_id == Department.id, Disclosure.year == bindparam("year")),
    )
    .where(Department.code == bindparam("code"))
)


def locate(ctx: ServiceContext, actor: Actor, code: str, year: int) -> Located:
    """Authorise reading ``code``/``year`` and find its disclosure in one query: 404 for an
    unknown department (before authorising, as everywhere), 403/401, then 404 for a
    department-year without data."""
    check_year(year)
    with ctx.db.engine.connect() as conn:
        row = conn.execute(_LOCATE, {"code": code, "year": year}).first()
    if row is None:
        raise NotFound(f"没有编码为「{code}」的部门", {"department": code})
    dept_id, region_id, profile, disclosure_id, current = row
    authorize(actor, Action.DATASET_READ, Target(department_id=dept_id, region_id=region_id))
    if disclosure_id is None:
        raise NotFound(f"部门「{code}」{year}年度还没有数据", {"department": code, "year": year})
    return Located(dept_id, code, profile, disclosure_id, current)


_VERSION_COLUMNS = (
    DatasetVersion.number,
    DatasetVersion.status,
    DatasetVersion.reason,
    DatasetVersion.based_on,
    DatasetVersion.revision,
    User.name,
    DatasetVersion.created_at,
    DatasetVersion.filename,
    DatasetVersion.kind,
    DatasetVersion.sha256,
    DatasetVersion.size,
    DatasetVersion.profile,
    DatasetVersion.errors,
    DatasetVersion.warnings,
    DatasetVersion.findings,
)


_DISCLOSURE = (
    select(
        Department.id,
        Department.region_id,
        Department.name,
        Region.name,
        Disclosure.id,
        Disclosure.state,
        Disclosure.revision,
        Disclosure.current_version,
        Disclosure.published_version,
        Disclosure.updated_at,
    )
    .select_from(Department)
    .join(Region, Department.region_id == Region.id)
    .outerjoin(
        Disclosure,
        and_(Disclosure.department_id == Department.id, Disclosure.year == bindparam("year")),
    )
    .where(Department.code == bindparam("code"))
)
_VERSIONS = (  # every version's record, without its findings
    select(*_VERSION_COLUMNS[:-1])
    .join(User, DatasetVersion.author_id == User.id)
    .where(DatasetVersion.disclosure_id == bindparam("disclosure"))
    .order_by(DatasetVersion.number)
)
_EVENTS = (
    select(
        WorkflowEvent.from_state,
        WorkflowEvent.to_state,
        WorkflowEvent.version,
        WorkflowEvent.revision,
        User.name,
        WorkflowEvent.comment,
        WorkflowEvent.at,
    )
    .join(User, WorkflowEvent.actor_id == User.id)
    .where(WorkflowEvent.disclosure_id == bindparam("disclosure"))
    .order_by(WorkflowEvent.id)
)
_VERSION = (
    select(*_VERSION_COLUMNS)
    .join(User, DatasetVersion.author_id == User.id)
    .where(
        DatasetVersion.disclosure_id == bindparam("disclosure"),
        DatasetVersion.number == bindparam("number"),
    )
)


def stored_version(ctx: ServiceContext, place: Located, number: int | None) -> StoredVersion:
    """The current (or a given) version of a located department-year."""
    number = place.current_version if number is None else number
    if number is None:
        raise NotFound("没有这个数据版本", {"version": number})
    key = (place.disclosure_id, number)
    cached = ctx.versions.get(key)
    if cached is not None:
        return cached
    with ctx.db.engine.connect() as conn:
        row = conn.execute(_VERSION, {"disclosure": place.disclosure_id, "number": number}).first()
    if row is None:
        raise NotFound("没有这个数据版本", {"version": number})
    *fields, findings = row
    fields[6] = iso(fields[6])
    found = StoredVersion(place.disclosure_id, VersionView(*fields), list(findings or []))
    ctx.versions.put(key, found)
    return found


def get_version(
    ctx: ServiceContext, actor: Actor, code: str, year: int, number: int | None = None
) -> VersionView:
    return stored_version(ctx, locate(ctx, actor, code, year), number).view


def get_source(
    ctx: ServiceContext, actor: Actor, code: str, year: int, number: int | None = None
) -> tuple[VersionView, bytes]:
    """A version's uploaded file, byte for byte."""
    found = stored_version(ctx, locate(ctx, actor, code, year), number)
    content = found.content(ctx)
    audit.record_now(
        ctx, actor, "dataset.download", f"{code}/{year}", {"version": found.view.number}
    )
    return found.view, content


def get_findings(
    ctx: ServiceContext, actor: Actor, code: str, year: int, number: int | None = None
) -> tuple[VersionView, list[dict[str, Any]]]:
    found = stored_version(ctx, locate(ctx, actor, code, year), number)
    return found.view, found.findings

"""Built documents: content-addressed, built once on demand, never served half-written."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from juesuan.serve.errors import Conflict, NotFound, ServiceError
from juesuan.serve.models import (
    Artifact,
    Department,
    Disclosure,
    Publication,
    Region,
)
from juesuan.serve.policy import Action, Actor, authorize
from juesuan.serve.services import audit
from juesuan.serve.services.context import ServiceContext, iso
from juesuan.serve.services.datasets import (
    Located,
    StoredVersion,
    check_year,
    locate,
    stored_version,
)
from juesuan.serve.services.library import MEDIA_TYPES, artifact_key, load_bytes, render
from juesuan.serve.services.organisation import find_department

FORMATS = tuple(MEDIA_TYPES)


class BuildFailed(ServiceError):
    status, code = 500, "build_failed"


@dataclass
class ArtifactFile:
    key: str
    format: str
    path: Path
    sha256: str
    size: int
    media_type: str
    filename: str
    built: bool  # True when this request rendered it (False: served from the store)

    def read(self, ctx: ServiceContext) -> bytes:
        """The file's bytes (from memory when recently served). A file that changed size
        since it was found whole is refused; the next request rebuilds it."""
        data = ctx.artifact_bytes.get(self.key)
        if data is None:
            data = self.path.read_bytes()
            if len(data) != self.size:
                raise BuildFailed("文件暂时不可用，请稍后重试", {"format": self.format})
            ctx.artifact_bytes.put(self.key, data)
        return data

    def in_memory(self, ctx: ServiceContext, compressed: bool) -> bool:
        """Whether :meth:`read` (or :meth:`read_gzip`, as a response would) needs no disk."""
        gz = compressed and self.compressible
        return ctx.artifact_bytes.get(self.key + ".gz" if gz else self.key) is not None

    @property
    def compressible(self) -> bool:
        """Text formats (the others are zip or PDF streams, compressed already)."""
        return self.format in COMPRESSIBLE

    def read_gzip(self, ctx: ServiceContext) -> bytes:
        """The file gzip-compressed: compressed once per process (the file never changes)
        and kept in memory, for clients that accept it (every browser does)."""
        name = self.key + ".gz"
        data = ctx.artifact_bytes.get(name)
        if data is None:
            data = gzip.compress(self.read(ctx), compresslevel=6, mtime=0)
            ctx.artifact_bytes.put(name, data)
        return data


COMPRESSIBLE = frozenset({"html", "json", "md"})


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise NotFound(f"没有「{fmt}」格式，可用：{'、'.join(FORMATS)}", {"format": fmt})


def _stored_artifact(ctx: ServiceContext, key: str) -> tuple[str, int] | None:
    """(sha256, size) of a built artifact whose file is in the store, else None. Rows are
    remembered per process; the file is looked at every time (a damaged file is rebuilt)."""
    known = ctx.artifacts.get(key)
    if known is None:
        with ctx.db.engine.connect() as conn:
            row = conn.execute(
                select(Artifact.sha256, Artifact.size).where(Artifact.key == key)
            ).first()
        if row is None:
            return None
        known = (row[0], row[1])
        ctx.artifacts.put(key, known)
    return known if ctx.store.intact(key, known[0], known[1]) else None


def _materialise(
    ctx: ServiceContext, found: StoredVersion, fmt: str, stem: str, build: bool = True
) -> ArtifactFile | None:
    """The artifact for a version in ``fmt``: from the store, or built now (None when it
    is not built yet and ``build`` is false)."""
    version = found.view
    if version.status != "accepted" or version.profile is None:
        raise NotFound("被拒绝的版本没有文件", {"version": version.number})
    if version.errors:
        raise Conflict(
            f"该版本数据有{version.errors}个错误，不生成文件；请先修改数据",
            {"version": version.number, "errors": version.errors},
            code="has_errors",
        )
    key = artifact_key(version.sha256, version.profile, fmt)
    name = f"{stem}.{fmt}"
    stored = _stored_artifact(ctx, key)  # the common case: no lock, no rendering
    if stored is not None:
        return ArtifactFile(
            key, fmt, ctx.store.path(key), stored[0], stored[1], MEDIA_TYPES[fmt], name, False
        )
    if not build:
        return None
    with ctx.build_lock(key):
        stored = _stored_artifact(ctx, key)  # built while this request waited
        if stored is not None:
            return ArtifactFile(
                key, fmt, ctx.store.path(key), stored[0], stored[1], MEDIA_TYPES[fmt], name, False
            )
        loaded = load_bytes(
            found.content(ctx), version.kind or "yaml", version.filename, version.profile
        )
        if loaded.analysis is None:
            raise BuildFailed("数据无法读取，不能生成文件")
        try:
            data = render(loaded.analysis, fmt)
        except Exception as exc:  # a library failure must not reach the user as a traceback
            raise BuildFailed("生成文件时出错，请联系管理员", {"format": fmt}) from exc
        sha = hashlib.sha256(data).hexdigest()
        path = ctx.store.put(key, data)  # renamed into place before the row is committed
        with ctx.db.write() as session:
            existing = session.get(Artifact, key)
            if existing is None:
                try:
                    with session.begin_nested():
                        session.add(Artifact(key=key, format=fmt, sha256=sha, size=len(data)))
                except IntegrityError:  # another process built it at the same time
                    pass
            elif existing.sha256 != sha or existing.size != len(data):
                existing.sha256, existing.size = sha, len(data)
        ctx.artifacts.put(key, (sha, len(data)))
        return ArtifactFile(key, fmt, path, sha, len(data), MEDIA_TYPES[fmt], name, True)


def document(
    ctx: ServiceContext, actor: Actor, code: str, year: int, fmt: str, number: int | None = None
) -> ArtifactFile:
    """A built document of the current (or a given) version; for the department's own
    people, its reviewers and admins. Every download is in the audit trail."""
    place, found = _document_version(ctx, actor, code, year, fmt, number)
    number = found.view.number
    art = _materialise(ctx, found, fmt, f"{place.department_code}-{year}-v{number}")
    assert art is not None
    records = [("document.download", {"version": number, "format": fmt})]
    if art.built:
        records.insert(0, ("document.build", {"version": number, "format": fmt, "key": art.key}))
    audit.record_many(ctx, actor, f"{code}/{year}", records)
    return art


def ready_document(
    ctx: ServiceContext,
    actor: Actor,
    code: str,
    year: int,
    fmt: str,
    number: int | None = None,
    *,
    compressed: bool = False,
) -> ArtifactFile | None:
    """:func:`document` when it can be answered without waiting: built already, its bytes
    (gzip-compressed when ``compressed`` and compressible) in memory, and its download recorded
    in the audit trail without waiting for another writer (SQLite; see
    :meth:`Database.write_connection_now`). None: call :func:`document` in a worker thread.
    The event loop may call this; authorisation and errors are those of :func:`document`."""
    place, found = _document_version(ctx, actor, code, year, fmt, number)
    number = found.view.number
    art = _materialise(ctx, found, fmt, f"{place.department_code}-{year}-v{number}", build=False)
    if art is None or not art.in_memory(ctx, compressed):
        return None
    records = [("document.download", {"version": number, "format": fmt})]
    with ctx.db.write_connection_now() as conn:
        if conn is None:
            return None
        audit.insert_many(conn, actor, f"{code}/{year}", records)
    return art


def _document_version(
    ctx: ServiceContext, actor: Actor, code: str, year: int, fmt: str, number: int | None
) -> tuple[Located, StoredVersion]:
    """The format checked, the read authorised, the version found."""
    _check_format(fmt)
    place = locate(ctx, actor, code, year)
    return place, stored_version(ctx, place, number)


@dataclass
class PublishedView:
    department: str
    department_name: str
    region: str
    year: int
    revision: int
    version: int
    published_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def list_published(
    ctx: ServiceContext,
    region: str | None = None,
    year: int | None = None,
    department: str | None = None,
) -> list[PublishedView]:
    """Every published revision (the public view); anyone may read it. One Core select of
    the columns shown (no ORM objects: the list grows with every publication)."""
    authorize(Actor(), Action.PUBLIC_READ)
    q = (
        select(
            Department.code,
            Department.name,
            Region.name,
            Disclosure.year,
            Publication.revision,
            Publication.version,
            Publication.at,
        )
        .join(Disclosure, Publication.disclosure_id == Disclosure.id)
        .join(Department, Disclosure.department_id == Department.id)
        .join(Region, Department.region_id == Region.id)
        .order_by(Region.name, Department.code, Disclosure.year, Publication.revision)
    )
    if region:
        q = q.where(Region.name == region)
    if year:
        q = q.where(Disclosure.year == year)
    if department is not None:
        q = q.where(Department.code == department)
    with ctx.db.engine.connect() as conn:
        return [PublishedView(*fields[:6], iso(fields[6])) for fields in conn.execute(q)]


def public_history(ctx: ServiceContext, code: str, year: int) -> list[PublishedView]:
    """The revision history of one department-year's publications (empty → 404)."""
    check_year(year)
    rows = list_published(ctx, year=year, department=code)
    if not rows:
        raise NotFound(f"部门「{code}」{year}年度还没有公开", {"department": code, "year": year})
    return rows


def public_document(
    ctx: ServiceContext, actor: Actor, code: str, year: int, fmt: str, revision: int | None = None
) -> ArtifactFile:
    """A document of a published revision (the newest when ``revision`` is None)."""
    _check_format(fmt)
    check_year(year)
    authorize(actor, Action.PUBLIC_READ)
    with ctx.db.read() as session:
        dept = find_department(session, code)
        q = (
            select(Publication)
            .join(Disclosure, Publication.disclosure_id == Disclosure.id)
            .where(Disclosure.department_id == dept.id, Disclosure.year == year)
            .order_by(Publication.revision.desc())
        )
        if revision is not None:
            q = q.where(Publication.revision == revision)
        pub = session.scalars(q).first()
        if pub is None:
            raise NotFound(
                f"部门「{code}」{year}年度没有这一公开版本", {"department": code, "year": year}
            )
        place = Located(dept.id, dept.code, dept.profile, pub.disclosure_id, pub.version)
        stem = f"{dept.code}-{year}-r{pub.revision}"
    found = stored_version(ctx, place, pub.version)
    art = _materialise(ctx, found, fmt, stem)
    assert art is not None
    if art.built:
        details = {"version": pub.version, "format": fmt, "key": art.key, "public": True}
        audit.record_now(ctx, actor, "document.build", f"{code}/{year}", details)
    return art


def verify_store(ctx: ServiceContext) -> list[str]:
    """Problems between the artifact rows and the files (empty when consistent): every row
    must point at a complete file with its recorded hash."""
    problems = []
    with ctx.db.read() as session:
        for row in session.scalars(select(Artifact)):
            if not ctx.store.verify(row.key, row.sha256):
                problems.append(f"{row.key}: file missing or not matching its hash")
    return problems

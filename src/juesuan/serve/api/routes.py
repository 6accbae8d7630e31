"""Routes of ``/api/v1``: parse the request, call a service, shape the answer."""

from __future__ import annotations

import hashlib
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from juesuan.serve.errors import BadRequest, TooLarge
from juesuan.serve.policy import Actor
from juesuan.serve.services import (
    artifacts,
    audit,
    checks,
    datasets,
    deadlines,
    figures,
    organisation,
    sessions,
    workflow,
)
from juesuan.serve.services.artifacts import ArtifactFile
from juesuan.serve.services.context import ServiceContext

router = APIRouter(prefix="/api/v1")


# The dependencies are ``async``: FastAPI runs a plain ``def`` dependency in the thread pool,
# and a hop to a thread per dependency costs more than the work itself.


async def context(request: Request) -> ServiceContext:
    return request.app.state.ctx


def address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def actor(request: Request) -> Actor:
    """The signed-in user of a ``Authorization: Bearer`` header, or anonymous. Checking the
    token is an HMAC and one primary-key read (on SQLite WAL a reader never waits for a
    writer), cheaper on the event loop than a hop to a worker thread. (The context comes
    from the app, not as a sub-dependency: each dependency costs a resolution per request.)"""
    ctx: ServiceContext = request.app.state.ctx
    header = request.headers.get("authorization")
    token = None
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise BadRequest("Authorization 头应为 Bearer 凭证", code="bad_authorization")
        token = value.strip()
    return sessions.actor_from_token(ctx, token, address(request))


Ctx = Annotated[ServiceContext, Depends(context)]
Who = Annotated[Actor, Depends(actor)]


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"上传的文件超过 {limit // (1024 * 1024)} MB 的上限", {"limit": limit})
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"上传的文件超过 {limit // (1024 * 1024)} MB 的上限", {"limit": limit})
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise BadRequest("上传的内容为空", code="empty_body")
    return data


def filename_of(request: Request, fallback: str) -> str:
    """The name the user gave the file: ``?filename=`` or a percent-encoded ``X-Filename``."""
    from urllib.parse import unquote

    header = request.headers.get("x-filename")
    return request.query_params.get("filename") or (unquote(header) if header else fallback)


# --- sign-in and organisation -------------------------------------------------------------


@router.post("/auth/token", tags=["登录"])
def token(
    request: Request, ctx: Ctx, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> dict[str, Any]:
    """OAuth2 password form → bearer token."""
    value, seconds = sessions.sign_in(
        ctx, form.username[:100], form.password[:256], address(request)
    )
    return {"access_token": value, "token_type": "bearer", "expires_in": seconds}


@router.post("/auth/logout", status_code=204, tags=["登录"])
def logout(ctx: Ctx, who: Who) -> Response:
    """Sign out: the token is revoked on the server and refused from now on."""
    if not who.authenticated:
        from juesuan.serve.errors import Unauthorized

        raise Unauthorized("请先登录", code="not_authenticated")
    sessions.sign_out(ctx, who)
    return Response(status_code=204)


@router.get("/me", tags=["登录"])
def me(ctx: Ctx, who: Who) -> dict[str, Any]:
    if not who.authenticated:
        from juesuan.serve.errors import Unauthorized

        raise Unauthorized("请先登录", code="not_authenticated")
    return {
        "id": who.user_id,
        "name": who.name,
        "role": who.role.value if who.role else None,
        "role_label": who.role.label if who.role else None,
    }


class NewUser(BaseModel):
    name: str = Field(max_length=100)
    role: str
    password: str = Field(max_length=256)
    department: str | None = None
    region: str | None = None


@router.post("/users", status_code=201, tags=["组织"])
def create_user(body: NewUser, ctx: Ctx, who: Who) -> dict[str, Any]:
    return organisation.create_user(
        ctx, who, body.name, body.role, body.password, body.department, body.region
    ).to_dict()


@router.get("/users", tags=["组织"])
def list_users(ctx: Ctx, who: Who) -> list[dict[str, Any]]:
    return [u.to_dict() for u in organisation.list_users(ctx, who)]


class NewDepartment(BaseModel):
    code: str = Field(max_length=64)
    name: str = Field(max_length=200)
    region: str = Field(max_length=100)
    profile: str = Field(max_length=64)
    indicator_system: str | None = Field(None, max_length=64)


@router.post("/departments", status_code=201, tags=["组织"])
def create_department(body: NewDepartment, ctx: Ctx, who: Who) -> dict[str, Any]:
    return organisation.create_department(
        ctx, who, body.code, body.name, body.region, body.profile, body.indicator_system
    ).to_dict()


@router.get("/departments", tags=["组织"])
def list_departments(ctx: Ctx, who: Who) -> list[dict[str, Any]]:
    return [d.to_dict() for d in organisation.list_departments(ctx, who)]


@router.get("/departments/{code}", tags=["组织"])
def get_department(code: str, ctx: Ctx, who: Who) -> dict[str, Any]:
    return organisation.get_department(ctx, who, code).to_dict()


@router.get("/disclosures", tags=["数据"])
def list_disclosures(
    ctx: Ctx, who: Who, year: Annotated[int | None, Query()] = None
) -> list[dict[str, Any]]:
    """Every department-year the user may see, with its state (the reviewer's inbox)."""
    return [d.to_dict() for d in datasets.list_disclosures(ctx, who, year)]


# --- datasets -----------------------------------------------------------------------------


def _etag(number: int | None) -> dict[str, str]:
    return {"ETag": f'"{number}"'} if number is not None else {}


def _not_modified(request: Request, number: int) -> bool:
    """``If-None-Match`` names this version (asked after the read was authorised)."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {t.strip().removeprefix("W/").strip('"') for t in header.split(",")}
    return str(number) in tags or "*" in tags


@router.get("/departments/{code}/{year}", tags=["数据"])
def get_disclosure(code: str, year: int, ctx: Ctx, who: Who) -> JSONResponse:
    view = datasets.disclosure(ctx, who, code, year)
    return JSONResponse(view.to_dict(), headers=_etag(view.current_version))


@router.put("/departments/{code}/{year}/dataset", status_code=201, tags=["数据"])
async def put_dataset(
    code: str,
    year: int,
    request: Request,
    ctx: Ctx,
    who: Who,
    if_match: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Upload the data (YAML or XLSX, sniffed from the content) as a new version. Send
    ``If-Match: <version>`` when replacing; a stale version answers 409 and the upload is
    kept as a rejected draft."""
    expected = datasets.parse_if_match(if_match)
    await run_in_threadpool(datasets.authorize_write, ctx, who, code)
    try:
        data = await read_body(request, ctx.settings.limits.dataset_bytes)
    except TooLarge:
        await run_in_threadpool(
            audit.record_now, ctx, who, "dataset.upload_too_large", f"{code}/{year}", {}
        )
        raise
    result = await run_in_threadpool(
        datasets.save_version,
        ctx,
        who,
        code,
        year,
        data,
        request.headers.get("content-type"),
        filename_of(request, "upload"),
        expected,
    )
    body = {
        "version": result.version.number,
        "state": result.state,
        "errors": result.version.errors,
        "warnings": result.version.warnings,
        "dataset": result.version.to_dict(),
        "findings": result.findings,
    }
    return JSONResponse(body, status_code=201, headers=_etag(result.version.number))


@router.get("/departments/{code}/{year}/dataset", tags=["数据"])
async def get_dataset(
    code: str,
    year: int,
    request: Request,
    ctx: Ctx,
    who: Who,
    version: Annotated[int | None, Query()] = None,
) -> JSONResponse:
    """The current (or a given) version's record; ``/dataset/source`` has the file.

    ``async`` like the findings: two primary-key reads (a version, once read, comes from
    memory), cheaper on the event loop than a hop to a worker thread."""
    view = datasets.get_version(ctx, who, code, year, version)
    if _not_modified(request, view.number):
        return Response(status_code=304, headers=_etag(view.number))  # type: ignore[return-value]
    return JSONResponse(view.to_dict(), headers=_etag(view.number))


@router.get("/departments/{code}/{year}/dataset/source", tags=["数据"])
def get_dataset_source(
    code: str, year: int, ctx: Ctx, who: Who, version: Annotated[int | None, Query()] = None
) -> Response:
    view, content = datasets.get_source(ctx, who, code, year, version)
    media = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "yaml": "application/x-yaml",
    }.get(view.kind or "", "application/octet-stream")
    suffix = {"xlsx": ".xlsx", "yaml": ".yaml"}.get(view.kind or "", ".bin")
    headers = {
        **_etag(view.number),
        "Content-Disposition": f'attachment; filename="{code}-{year}-v{view.number}{suffix}"',
    }
    return Response(content, media_type=media, headers=headers)


@router.get("/departments/{code}/{year}/findings", tags=["数据"])
async def get_findings(
    code: str,
    year: int,
    request: Request,
    ctx: Ctx,
    who: Who,
    version: Annotated[int | None, Query()] = None,
) -> JSONResponse:
    view, findings = datasets.get_findings(ctx, who, code, year, version)
    if _not_modified(request, view.number):  # a version's findings never change
        return Response(status_code=304, headers=_etag(view.number))  # type: ignore[return-value]
    body = {
        "version": view.number,
        "status": view.status,
        "errors": view.errors,
        "warnings": view.warnings,
        "findings": findings,
    }
    return JSONResponse(body, headers=_etag(view.number))


@router.get("/departments/{code}/{year}/versions/{old}/compare/{new}", tags=["数据"])
def compare_versions(code: str, year: int, old: int, new: int, ctx: Ctx, who: Who) -> dict:
    """What changed from version ``old`` to ``new``: computed figures whose value changed
    (old → new), and findings that appeared or disappeared."""
    return figures.compare(ctx, who, code, year, old, new).to_dict()


@router.get("/departments/{code}/{year}/figures", tags=["数据"])
def get_figures(
    code: str, year: int, ctx: Ctx, who: Who, version: Annotated[int | None, Query()] = None
) -> dict:
    """Every computed figure of the current (or a given) version: value, formula, inputs
    and source."""
    return figures.version_figures(ctx, who, code, year, version)


class StepBody(BaseModel):
    comment: str | None = Field(None, max_length=4000)


@router.post("/departments/{code}/{year}/{step}", tags=["审核流程"])
def workflow_step(
    code: str,
    year: int,
    step: str,
    ctx: Ctx,
    who: Who,
    body: StepBody | None = None,
    if_match: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """``submit`` (填报人), ``return`` with a comment, ``approve``, ``publish`` (审核人)."""
    if step not in workflow.STEPS:
        from juesuan.serve.errors import NotFound

        raise NotFound("请求的地址不存在", {"step": step})
    view = workflow.transition(
        ctx,
        who,
        code,
        year,
        step,
        body.comment if body else None,
        datasets.parse_if_match(if_match),
    )
    return JSONResponse(view.to_dict(), headers=_etag(view.current_version))


def accepts_gzip(request: Request) -> bool:
    """Whether ``Accept-Encoding`` allows gzip (named, or ``*``, and not with ``q=0``)."""
    for item in request.headers.get("accept-encoding", "").lower().split(","):
        name, *params = (part.strip() for part in item.split(";"))
        if name in ("gzip", "*"):
            q = next((p[2:] for p in params if p.startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def _file_response(request: Request, ctx: ServiceContext, art: ArtifactFile) -> Response:
    kind = "inline" if art.format == "html" else "attachment"
    headers = {
        "ETag": f'"{art.sha256}"',
        "Cache-Control": "private, max-age=0",
        "Content-Disposition": f'{kind}; filename="{art.filename}"',  # ASCII: code-year-vN
    }
    if art.format == "html":
        # The preview is the library's own HTML; still, it may not run scripts or load anything.
        headers["Content-Security-Policy"] = (
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"
        )
    if art.compressible:
        headers["Vary"] = "Accept-Encoding"
        if accepts_gzip(request):  # a tenth of the bytes to send, compressed once
            headers["Content-Encoding"] = "gzip"
            headers["ETag"] = f'"{art.sha256}-gzip"'
            return Response(art.read_gzip(ctx), media_type=art.media_type, headers=headers)
    return Response(art.read(ctx), media_type=art.media_type, headers=headers)


@router.get("/departments/{code}/{year}/documents/{fmt}", tags=["文件"])
async def get_document(
    code: str,
    year: int,
    fmt: str,
    request: Request,
    ctx: Ctx,
    who: Who,
    version: Annotated[int | None, Query()] = None,
) -> Response:
    """The built document (docx, pdf, html, xlsx, json, md), built once per content.

    ``async``: a document built and in memory, whose download can be recorded at once, is
    answered on the event loop; anything that may wait (building, reading the file, another
    writer, PostgreSQL) goes to a worker thread."""
    compressed = accepts_gzip(request)
    art = artifacts.ready_document(ctx, who, code, year, fmt, version, compressed=compressed)
    if art is None:
        art = await run_in_threadpool(artifacts.document, ctx, who, code, year, fmt, version)
    return _file_response(request, ctx, art)


# --- deadlines ----------------------------------------------------------------------------


@router.get("/deadlines", tags=["截止日期"])
def list_deadlines(
    ctx: Ctx, who: Who, year: Annotated[int | None, Query()] = None
) -> list[dict[str, Any]]:
    """The publication deadlines you may see (admin: all; others: their region's), with the
    days left counted in China Standard Time."""
    return [d.to_dict() for d in deadlines.list_deadlines(ctx, who, year)]


class DeadlineBody(BaseModel):
    due: str = Field(max_length=20, description="年-月-日，如 2025-09-30")


@router.put("/deadlines/{region}/{year}", tags=["截止日期"])
def set_deadline(region: str, year: int, body: DeadlineBody, ctx: Ctx, who: Who) -> dict[str, Any]:
    """Set or move a region's deadline for a year (admins)."""
    return deadlines.set_deadline(ctx, who, region, year, body.due).to_dict()


@router.delete("/deadlines/{region}/{year}", status_code=204, tags=["截止日期"])
def remove_deadline(region: str, year: int, ctx: Ctx, who: Who) -> Response:
    deadlines.remove_deadline(ctx, who, region, year)
    return Response(status_code=204)


# --- public view --------------------------------------------------------------------------


@router.get("/public/published", tags=["公开"])
def published(
    ctx: Ctx,
    region: Annotated[str | None, Query(max_length=100)] = None,
    year: Annotated[int | None, Query()] = None,
) -> list[dict[str, Any]]:
    return [p.to_dict() for p in artifacts.list_published(ctx, region, year)]


@router.get("/public/{code}/{year}", tags=["公开"])
def public_history(code: str, year: int, ctx: Ctx) -> list[dict[str, Any]]:
    """The published revisions of a department-year."""
    return [p.to_dict() for p in artifacts.public_history(ctx, code, year)]


@router.get("/public/{code}/{year}/documents/{fmt}", tags=["公开"])
def public_document(
    code: str,
    year: int,
    fmt: str,
    request: Request,
    ctx: Ctx,
    who: Who,
    revision: Annotated[int | None, Query()] = None,
) -> Response:
    return _file_response(
        request, ctx, artifacts.public_document(ctx, who, code, year, fmt, revision)
    )


# --- validation, check, audit -------------------------------------------------------------


@router.post("/validate", tags=["检查"])
async def validate(
    request: Request,
    ctx: Ctx,
    who: Who,
    profile: Annotated[str | None, Query(max_length=64)] = None,
) -> JSONResponse:
    """The findings of a dataset (YAML or XLSX) without storing it."""
    from juesuan.serve.policy import Action, authorize

    authorize(who, Action.VALIDATE)
    data = await read_body(request, ctx.settings.limits.dataset_bytes)
    args = (ctx, who, data, request.headers.get("content-type"), filename_of(request, "upload"))
    # A (small) file seen before is answered on the event loop: a hash and a dict lookup.
    # A new one goes to a worker thread for the library, with the hash already taken.
    answer, digest = None, None
    if len(data) <= PROBE_ON_LOOP_BYTES:
        digest = hashlib.sha256(data).hexdigest()
        answer = datasets.validate_upload(*args, profile, cached_only=True, digest=digest)
    if answer is None:
        answer = await run_in_threadpool(
            partial(datasets.validate_upload, *args, profile, digest=digest)
        )
    return JSONResponse(answer)  # plain JSON already: no second pass through the encoder


# Hashing more than this on the event loop would hold up every other request (~2 ms/MB).
PROBE_ON_LOOP_BYTES = 1024 * 1024


@router.post("/check", status_code=201, tags=["检查"])
async def check(request: Request, ctx: Ctx, who: Who) -> dict[str, Any]:
    """Check a published disclosure (PDF, DOCX, HTML or text); the findings are stored."""
    from juesuan.serve.policy import Action, authorize

    authorize(who, Action.CHECK_CREATE)
    data = await read_body(request, ctx.settings.limits.check_bytes)
    view = await run_in_threadpool(
        checks.check_document, ctx, who, data, filename_of(request, "document")
    )
    return view.to_dict()


@router.get("/check/{check_id}", tags=["检查"])
def get_check(check_id: str, ctx: Ctx, who: Who) -> dict[str, Any]:
    return checks.get_check(ctx, who, check_id).to_dict()


@router.get("/audit", tags=["审计"])
def audit_trail(
    ctx: Ctx,
    who: Who,
    action: Annotated[str | None, Query(max_length=64)] = None,
    user: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    return [
        r.to_dict()
        for r in audit.list_records(
            ctx, who, action=action, username=user, limit=limit, offset=offset
        )
    ]


@router.get("/audit/export", tags=["审计"])
def audit_export(
    ctx: Ctx,
    who: Who,
    action: Annotated[str | None, Query(max_length=64)] = None,
    user: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    text = audit.export_csv(ctx, who, action=action, username=user)
    audit.record_now(ctx, who, "audit.export", None, {"action": action, "user": user})
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )

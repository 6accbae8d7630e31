"""Server-rendered pages for people: sign-in, department home, upload, findings, preview,
compare, review inbox, publishing, the public view, checking a published file, admin.

Every route parses the request, calls :mod:`juesuan.serve.services` (which authorises) and
renders a template; business rules live in the services, never here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import UploadFile

from juesuan.core.codes import CODES, FAMILIES
from juesuan.serve.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    ServiceError,
    Unauthorized,
)
from juesuan.serve.models import Role, State
from juesuan.serve.policy import Action, Actor, Target, allowed
from juesuan.serve.services import (
    artifacts,
    audit,
    checks,
    datasets,
    deadlines,
    figures,
    inbox,
    organisation,
    sessions,
    workflow,
)
from juesuan.serve.services.artifacts import ArtifactFile
from juesuan.serve.web import format as fmt
from juesuan.serve.web.session import (
    CSRF_FIELD,
    DOCUMENT_CSP,
    check_csrf,
    csrf_token,
    ctx_of,
    current_actor,
    finish,
    sign_in_cookie,
    sign_out_cookie,
)

HERE = Path(__file__).parent
router = APIRouter(include_in_schema=False)
env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.filters["money"] = fmt.money
env.filters["percent"] = fmt.percent
env.filters["when"] = fmt.when
env.filters["where"] = fmt.where
env.filters["state"] = lambda value: (
    State(value).label if value in State._value2member_map_ else value
)
env.globals["FAMILIES"] = FAMILIES

DOCUMENT_FORMATS = (
    ("docx", "Word"),
    ("pdf", "PDF"),
    ("xlsx", "Excel 附表"),
    ("json", "数字明细 JSON"),
    ("html", "网页"),
    ("md", "Markdown"),
)
NOTICES = {
    "uploaded": "已上传，生成了新的数据版本。",
    "rejected": "上传未被接受，已作为被拒绝的版本保存；请看下面的问题清单。",
    "submit": "已提交审核。",
    "return": "已退回修改，意见已发给填报人。",
    "approve": "已审核通过。",
    "publish": "已公开。",
    "bulk": "批量审核完成。",
    "department": "部门已建立。",
    "user": "用户已建立。",
    "deadline": "截止日期已保存。",
    "signed_out": "已退出登录。",
}
ACTIONS = {
    "auth.login": "登录",
    "auth.login_failed": "登录失败",
    "auth.logout": "退出登录",
    "deadline.set": "设置截止日期",
    "deadline.remove": "取消截止日期",
    "dataset.upload": "上传数据",
    "dataset.upload_rejected": "上传未被接受",
    "dataset.download": "下载数据文件",
    "document.build": "生成文件",
    "document.download": "下载文件",
    "workflow.submit": "提交审核",
    "workflow.return": "退回修改",
    "workflow.approve": "审核通过",
    "workflow.publish": "公开",
    "department.create": "建立部门",
    "user.create": "建立用户",
    "user.password": "重设密码",
    "check.upload": "检查已公开文件",
}
WARNINGS = {"rejected"}
SEVERITIES = {"error": "错误", "warning": "警告", "info": "提示"}
FORMULAS = {
    "input": "填报数",
    "sum": "求和",
    "difference": "差额",
    "change": "增减额",
    "rate": "增减率",
    "share": "占比",
    "ratio": "比率",
}


# --- rendering ---------------------------------------------------------------------------


def render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    ctx = ctx_of(request)
    who = current_actor(request)
    user, dept_name = organisation.whoami(ctx, who)
    notice = NOTICES.get(request.query_params.get("done", ""))
    html = env.get_template(template).render(
        request=request,
        who=who,
        user=user,
        dept_name=dept_name,
        csrf=csrf_token(request),
        csrf_field=CSRF_FIELD,
        notice=notice,
        notice_warn=request.query_params.get("done", "") in WARNINGS,
        severities=SEVERITIES,
        Role=Role,
        **values,
    )
    return finish(request, HTMLResponse(html, status_code=status))  # type: ignore[return-value]


def redirect(request: Request, url: str) -> Response:
    return finish(request, RedirectResponse(url, status_code=303))


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    titles = {403: "无权访问", 404: "页面不存在", 409: "暂时不能这样做", 413: "文件过大"}
    return render(
        request,
        "error.html",
        status=status,
        title=titles.get(status, "请求无法处理"),
        message=message,
        status_code=status,
    )


async def form_of(request: Request) -> dict[str, Any]:
    """The posted form after the CSRF check (files are left as UploadFile)."""
    form = await request.form(max_files=2, max_fields=2000)
    data: dict[str, Any] = {}
    for key, value in form.multi_items():
        if key in data:
            prev = data[key]
            data[key] = (prev if isinstance(prev, list) else [prev]) + [value]
        else:
            data[key] = value
    check_csrf(request, data.get(CSRF_FIELD) if isinstance(data.get(CSRF_FIELD), str) else None)
    return data


def text(data: dict[str, Any], key: str, limit: int = 4000) -> str:
    value = data.get(key)
    return value[:limit].strip() if isinstance(value, str) else ""


def int_or_none(value: Any) -> int | None:
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        return int(value.strip())
    return None


def file_response(request: Request, art: ArtifactFile) -> Response:
    response = Response(
        art.read(ctx_of(request)),
        media_type=art.media_type,
        headers={"Content-Disposition": f'attachment; filename="{art.filename}"'},
    )
    if art.format == "html":
        response.headers["Content-Security-Policy"] = DOCUMENT_CSP
    response.headers["Cache-Control"] = "private, no-store"
    return response


def signed_in(request: Request) -> Actor:
    who = current_actor(request)
    if not who.authenticated:
        raise Unauthorized("请先登录", code="not_authenticated")
    return who


# --- sign in / out ------------------------------------------------------------------------


@router.get("/login")
def login_form(request: Request) -> Response:
    return render(request, "login.html", next=_safe_next(request.query_params.get("next")))


def _safe_next(value: str | None) -> str:
    """Only a path of this site (never another host) is followed after sign-in."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value[:500]
    return "/"


@router.post("/login")
async def login(request: Request) -> Response:
    data = await form_of(request)
    username, password = text(data, "username", 100), text(data, "password", 256)
    nxt = _safe_next(text(data, "next", 500))
    if not username or not password:
        return render(
            request,
            "login.html",
            status=422,
            next=nxt,
            username=username,
            error="请输入用户名和密码",
        )
    ctx = ctx_of(request)
    try:
        token, seconds = await run_in_threadpool(
            sessions.sign_in, ctx, username, password, current_actor(request).address or ""
        )
    except ServiceError as exc:
        return render(
            request,
            "login.html",
            status=exc.status if exc.status == 429 else 401,
            next=nxt,
            username=username,
            error=exc.message,
        )
    response = redirect(request, nxt)
    sign_in_cookie(request, response, token, seconds)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    await form_of(request)
    # Revoke the session on the server: the cookie's token is refused from now on.
    await run_in_threadpool(sessions.sign_out, ctx_of(request), current_actor(request))
    response = redirect(request, "/login?done=signed_out")
    sign_out_cookie(response)
    return response


@router.get("/")
def home(request: Request) -> Response:
    who = current_actor(request)
    if who.role is Role.PREPARER:
        ctx = ctx_of(request)
        depts = organisation.list_departments(ctx, who)
        if depts:
            return redirect(request, f"/dept/{quote(depts[0].code)}")
    if who.role is Role.REVIEWER:
        return redirect(request, "/review")
    if who.role is Role.ADMIN:
        return redirect(request, "/admin")
    return redirect(request, "/public")


@router.get("/rules")
def rules(request: Request) -> Response:
    by_family: dict[str, list[Any]] = {}
    for c in CODES.values():
        by_family.setdefault(c.family, []).append(c)
    return render(request, "rules.html", by_family=by_family)


# --- department home, upload ----------------------------------------------------------------


@router.get("/dept/{code}")
def department_home(request: Request, code: str) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    dept = organisation.get_department(ctx, who, code)
    years = []
    for d in datasets.list_disclosures(ctx, who):
        if d.department != code:
            continue
        view = datasets.disclosure(ctx, who, code, d.year)
        current = next((v for v in view.versions if v.number == view.current_version), None)
        last = view.versions[-1] if view.versions else None
        comment = next((e for e in reversed(view.events) if e.comment), None)
        years.append({"view": view, "current": current, "last": last, "comment": comment})
    years.sort(key=lambda y: -y["view"].year)
    can_write = allowed(who, Action.DATASET_WRITE, _target(ctx, code))
    default_year = years[0]["view"].year if years else datetime.now(UTC).year - 1
    # The version this page shows as current: an upload made from it is based on it, so a save
    # that another upload overtook meanwhile is refused (and kept as a rejected draft).
    based_on = None
    if years and years[0]["current"] is not None:
        based_on = {"number": years[0]["current"].number, "year": years[0]["view"].year}
    return render(
        request,
        "department.html",
        dept=dept,
        years=years,
        can_write=can_write,
        default_year=default_year,
        based_on=based_on,
    )


def _target(ctx: Any, code: str) -> Target:
    from juesuan.serve.services.organisation import department_target, find_department

    with ctx.db.read() as session:
        return department_target(find_department(session, code))


@router.get("/dept/{code}/template.xlsx")
def blank_workbook(request: Request, code: str) -> Response:
    from juesuan.excel.workbook import template_bytes

    ctx, who = ctx_of(request), signed_in(request)
    dept = organisation.get_department(ctx, who, code)
    return Response(
        template_bytes(dept.profile),
        media_type=artifacts.MEDIA_TYPES["xlsx"],
        headers={"Content-Disposition": f'attachment; filename="{code}-template.xlsx"'},
    )


@router.get("/dept/{code}/{year}/workbook.xlsx")
def prefilled_workbook(request: Request, code: str, year: int) -> Response:
    """A version's data as a fill-in workbook (last year's data to start the next year)."""
    from juesuan.excel.workbook import workbook_bytes

    ctx, who = ctx_of(request), signed_in(request)
    view, content = datasets.get_source(
        ctx, who, code, year, int_or_none(request.query_params.get("version"))
    )
    dept = organisation.get_department(ctx, who, code)
    _, loaded, refused = datasets.analyse_upload(
        ctx, content, None, view.filename, dept.profile, analysis=True
    )
    if refused is not None or loaded.analysis is None:
        raise Conflict("这个版本的数据无法读取，不能生成工作簿", code="unreadable")
    return Response(
        workbook_bytes(loaded.analysis.dataset),
        media_type=artifacts.MEDIA_TYPES["xlsx"],
        headers={
            "Content-Disposition": f'attachment; filename="{code}-{year}-v{view.number}.xlsx"'
        },
    )


@router.post("/dept/{code}/upload")
async def upload(request: Request, code: str) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    limit = ctx.settings.limits.dataset_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + 64 * 1024:
        return error_page(request, 413, f"上传的文件超过 {limit // (1024 * 1024)} MB 的上限")
    data = await form_of(request)
    year = int_or_none(data.get("year"))
    upload_file = data.get("file")
    errors: dict[str, str] = {}
    if year is None or not 2000 <= year <= 2100:
        errors["year"] = "请填写年度（2000至2100之间的四位数字）"
    content = b""
    if not isinstance(upload_file, UploadFile) or not upload_file.filename:
        errors["file"] = "请选择要上传的 YAML 数据文件或 Excel 填报工作簿"
    else:
        content = await upload_file.read(limit + 1)
        if len(content) > limit:
            errors["file"] = f"文件超过 {limit // (1024 * 1024)} MB 的上限"
        elif not content:
            errors["file"] = "文件是空的"
    if errors:
        return await run_in_threadpool(_upload_errors, request, code, errors)
    assert isinstance(upload_file, UploadFile) and year is not None
    # The page's current version is the base only for the year it was shown for.
    base = (
        int_or_none(data.get("based_on"))
        if int_or_none(data.get("based_on_year")) == year
        else None
    )

    def save() -> Response:
        current = base
        if current is None:  # the first upload of this year, or a new year: based on current
            try:
                current = datasets.get_version(ctx, who, code, year).number
            except NotFound:
                current = None
        try:
            result = datasets.save_version(
                ctx,
                who,
                code,
                year,
                content,
                upload_file.content_type,
                upload_file.filename,
                current,
            )
        except (Conflict, Invalid, ServiceError) as exc:
            number = exc.details.get("version")
            if number is None:
                raise
            return redirect(request, f"/dept/{quote(code)}/{year}?version={number}&done=rejected")
        return redirect(
            request, f"/dept/{quote(code)}/{year}?version={result.version.number}&done=uploaded"
        )

    return await run_in_threadpool(save)


def _upload_errors(request: Request, code: str, errors: dict[str, str]) -> Response:
    ctx, who = ctx_of(request), current_actor(request)
    dept = organisation.get_department(ctx, who, code)
    return render(
        request,
        "department.html",
        status=422,
        dept=dept,
        years=[],
        can_write=True,
        default_year=datetime.now(UTC).year - 1,
        errors=errors,
    )


# --- one department-year: findings, workflow, preview, downloads, compare --------------------


def _filter(findings: list[dict[str, Any]], severity: str) -> list[dict[str, Any]]:
    return [f for f in findings if not severity or f.get("severity") == severity]


@router.get("/dept/{code}/{year}")
def dataset_page(request: Request, code: str, year: int) -> Response:
    return _dataset_render(request, code, year)


def _dataset_render(
    request: Request, code: str, year: int, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    view = datasets.disclosure(ctx, who, code, year)
    number = int_or_none(request.query_params.get("version"))
    version = None
    findings: list[dict[str, Any]] = []
    if view.versions:
        chosen = number or view.current_version or view.versions[-1].number
        version, findings = datasets.get_findings(ctx, who, code, year, chosen)
    severity = request.query_params.get("severity", "")
    if severity not in SEVERITIES:
        severity = ""
    counts = {s: sum(1 for f in findings if f.get("severity") == s) for s in SEVERITIES}
    target = _target(ctx, code)
    steps = [
        (name, s)
        for name, s in workflow.STEPS.items()
        if allowed(who, s.action, target) and State(view.state) in s.sources
    ]
    return render(
        request,
        "dataset.html",
        status=status,
        view=view,
        version=version,
        findings=_filter(findings, severity),
        counts=counts,
        severity=severity,
        steps=steps,
        can_write=allowed(who, Action.DATASET_WRITE, target),
        formats=DOCUMENT_FORMATS,
        codes=CODES,
        is_current=version is not None and version.number == view.current_version,
        errors=errors or {},
    )


@router.post("/dept/{code}/{year}/step/{step}")
async def step(request: Request, code: str, year: int, step: str) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    data = await form_of(request)
    comment = text(data, "comment", workflow.COMMENT_MAX + 1)
    expected = int_or_none(data.get("version"))
    if step == "return" and not comment:
        return await run_in_threadpool(
            _dataset_render, request, code, year, 422, {"comment": "退回时必须填写意见"}
        )
    try:
        await run_in_threadpool(
            workflow.transition, ctx, who, code, year, step, comment or None, expected
        )
    except Invalid as exc:
        if exc.details.get("field") == "comment":
            return await run_in_threadpool(
                _dataset_render, request, code, year, 422, {"comment": exc.message}
            )
        raise
    reviewing = who.role is Role.REVIEWER and step in ("approve", "return")
    back = "/review" if reviewing else f"/dept/{quote(code)}/{year}"
    return redirect(request, f"{back}?done={quote(step)}")


@router.get("/dept/{code}/{year}/preview")
def preview(request: Request, code: str, year: int) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    view = datasets.disclosure(ctx, who, code, year)
    number = int_or_none(request.query_params.get("version")) or view.current_version
    problem = None
    try:
        artifacts.document(ctx, who, code, year, "html", number)
    except Conflict as exc:
        problem = exc.message
    except NotFound as exc:
        problem = exc.message
    return render(
        request,
        "preview.html",
        view=view,
        number=number,
        problem=problem,
        formats=DOCUMENT_FORMATS,
        formulas=FORMULAS,
    )


@router.get("/dept/{code}/{year}/document.html")
def preview_document(request: Request, code: str, year: int) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    art = artifacts.document(
        ctx, who, code, year, "html", int_or_none(request.query_params.get("version"))
    )
    response = Response(art.read(ctx), media_type=art.media_type)
    response.headers["Content-Security-Policy"] = DOCUMENT_CSP
    response.headers["Cache-Control"] = "private, no-store"
    return response


@router.get("/dept/{code}/{year}/figures")
def figures_json(request: Request, code: str, year: int) -> Response:
    """Formula, inputs and sources of every figure of a version, for the preview's panel."""
    ctx, who = ctx_of(request), signed_in(request)
    figs = figures.version_figures(
        ctx, who, code, year, int_or_none(request.query_params.get("version"))
    )
    shown = {
        fid: {
            "value": f.get("value"),
            "unit": f.get("unit"),
            "formula": FORMULAS.get(f.get("formula", ""), f.get("formula")),
            "inputs": f.get("inputs", []),
            "source": fmt.where(f.get("source") or {}),
        }
        for fid, f in figs.items()
    }
    return Response(
        json.dumps(shown, ensure_ascii=False),
        media_type="application/json",
        headers={"Cache-Control": "private, no-store"},
    )


@router.get("/dept/{code}/{year}/download/{fmt_name}")
def download(request: Request, code: str, year: int, fmt_name: str) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    number = int_or_none(request.query_params.get("version"))
    art = artifacts.document(ctx, who, code, year, fmt_name, number)
    return file_response(request, art)


@router.get("/dept/{code}/{year}/source")
def source(request: Request, code: str, year: int) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    view, content = datasets.get_source(
        ctx, who, code, year, int_or_none(request.query_params.get("version"))
    )
    media = artifacts.MEDIA_TYPES["xlsx"] if view.kind == "xlsx" else "application/octet-stream"
    ext = "xlsx" if view.kind == "xlsx" else "yaml"
    return Response(
        content,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{code}-{year}-v{view.number}.{ext}"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/dept/{code}/{year}/compare")
def compare(request: Request, code: str, year: int) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    view = datasets.disclosure(ctx, who, code, year)
    accepted = [v.number for v in view.versions if v.status == "accepted"]
    new = int_or_none(request.query_params.get("new")) or (accepted[-1] if accepted else None)
    old = int_or_none(request.query_params.get("old"))
    if old is None:
        earlier = [n for n in accepted if new is not None and n < new]
        old = earlier[-1] if earlier else new
    result = None
    if old is not None and new is not None:
        result = figures.compare(ctx, who, code, year, old, new)
    return render(request, "compare.html", view=view, result=result, old=old, new=new)


# --- review inbox ------------------------------------------------------------------------

SORTS = {
    "department": lambda r: r.department,
    "state": lambda r: r.state,
    "errors": lambda r: r.errors,
    "warnings": lambda r: r.warnings,
    "total": lambda r: r.total if r.total is not None else -1,
    "rate": lambda r: r.rate if r.rate is not None else -(10**9),
    "deadline": lambda r: r.deadline.days_left if r.deadline is not None else 10**9,
}


@router.get("/review")
def review(request: Request) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    if who.role not in (Role.REVIEWER, Role.ADMIN):
        raise Forbidden("只有审核人和管理员可以打开审核工作台")
    q = request.query_params
    rows = inbox.inbox(ctx, who, int_or_none(q.get("year")))
    state = q.get("state", "")
    if state:
        rows = [r for r in rows if r.state == state]
    search = (q.get("q") or "").strip()[:100]
    if search:
        rows = [r for r in rows if search in r.department or search in r.department_name]
    sort = q.get("sort", "department")
    if sort not in SORTS:
        sort = "department"
    desc = q.get("dir") == "desc"
    rows.sort(key=SORTS[sort], reverse=desc)
    params = {k: v for k, v in q.items() if k in ("year", "state", "q")}
    return render(
        request,
        "review.html",
        rows=rows,
        states=State,
        state=state,
        search=search,
        sort=sort,
        desc=desc,
        params=params,
        urlencode=urlencode,
        year=q.get("year", ""),
        bulk=(request.query_params.get("approved"), request.query_params.get("skipped")),
    )


@router.post("/review/approve")
async def bulk_approve(request: Request) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    data = await form_of(request)
    picked = data.get("pick", [])
    picked = picked if isinstance(picked, list) else [picked]

    def run() -> tuple[int, int]:
        done = skipped = 0
        for item in picked[:500]:
            code, _, year_text = str(item).rpartition("/")
            year = int_or_none(year_text)
            if not code or year is None:
                skipped += 1
                continue
            version = datasets.get_version(ctx, who, code, year)
            if version.errors:  # only those without errors are approved in bulk
                skipped += 1
                continue
            try:
                workflow.transition(ctx, who, code, year, "approve", None, version.number)
                done += 1
            except (Conflict, Forbidden):
                skipped += 1
        return done, skipped

    done, skipped = await run_in_threadpool(run)
    return redirect(request, f"/review?done=bulk&approved={done}&skipped={skipped}")


# --- public view ---------------------------------------------------------------------------


@router.get("/public")
def public(request: Request) -> Response:
    ctx = ctx_of(request)
    region = (request.query_params.get("region") or "").strip()[:100] or None
    rows = artifacts.list_published(ctx, region=region)
    latest: dict[tuple[str, int], Any] = {}
    for p in rows:
        latest[(p.department, p.year)] = p
    regions = sorted({p.region for p in rows})
    return render(
        request,
        "public.html",
        rows=sorted(latest.values(), key=lambda p: (p.region, p.department, -p.year)),
        region=region or "",
        regions=regions,
    )


@router.get("/public/{code}/{year}")
def public_detail(request: Request, code: str, year: int) -> Response:
    ctx = ctx_of(request)
    history = artifacts.public_history(ctx, code, year)
    return render(
        request,
        "public_detail.html",
        history=list(reversed(history)),
        code=code,
        year=year,
        formats=DOCUMENT_FORMATS,
    )


@router.get("/public/{code}/{year}/{fmt_name}")
def public_download(request: Request, code: str, year: int, fmt_name: str) -> Response:
    ctx = ctx_of(request)
    art = artifacts.public_document(
        ctx,
        current_actor(request),
        code,
        year,
        fmt_name,
        int_or_none(request.query_params.get("revision")),
    )
    return file_response(request, art)


# --- check a published file ----------------------------------------------------------------


@router.get("/check")
def check_form(request: Request) -> Response:
    signed_in(request)
    return render(request, "check.html")


@router.post("/check")
async def check_upload(request: Request) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    limit = ctx.settings.limits.check_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + 64 * 1024:
        return error_page(request, 413, f"上传的文件超过 {limit // (1024 * 1024)} MB 的上限")
    data = await form_of(request)
    upload_file = data.get("file")
    if not isinstance(upload_file, UploadFile) or not upload_file.filename:
        return render(
            request,
            "check.html",
            status=422,
            errors={"file": "请选择要检查的 PDF、Word 或网页文件"},
        )
    content = await upload_file.read(limit + 1)
    if not content or len(content) > limit:
        message = "文件是空的" if not content else f"文件超过 {limit // (1024 * 1024)} MB 的上限"
        return render(request, "check.html", status=422, errors={"file": message})
    try:
        run = await run_in_threadpool(
            checks.check_document, ctx, who, content, upload_file.filename
        )
    except ServiceError as exc:
        if exc.status in (413, 415, 422, 400):
            return render(request, "check.html", status=422, errors={"file": exc.message})
        raise
    return redirect(request, f"/check/{run.id}")


@router.get("/check/{check_id}")
def check_result(request: Request, check_id: str) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    run = checks.get_check(ctx, who, check_id)
    findings = [f for f in run.report.get("findings", []) if isinstance(f, dict)]
    pages: dict[Any, list[dict[str, Any]]] = {}
    for f in findings:
        page = (f.get("location") or {}).get("page")
        pages.setdefault(page, []).append(f)
    ordered = sorted(pages.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
    return render(
        request,
        "check_result.html",
        run=run,
        pages=ordered,
        codes=CODES,
        tables=run.report.get("tables", []),
        highlight=fmt.highlight,
    )


# --- admin ----------------------------------------------------------------------------------


def _admin_page(request: Request, status: int = 200, **values: Any) -> Response:
    from juesuan.profiles import available_profiles

    ctx, who = ctx_of(request), signed_in(request)
    users = organisation.list_users(ctx, who)  # authorises user management
    depts = organisation.list_departments(ctx, who)
    return render(
        request,
        "admin.html",
        status=status,
        users=users,
        depts=depts,
        deadlines=deadlines.list_deadlines(ctx, who),
        default_year=datetime.now(UTC).year - 1,
        profiles=available_profiles(),
        regions=sorted({d.region for d in depts}),
        roles=list(Role),
        **values,
    )


@router.get("/admin")
def admin(request: Request) -> Response:
    return _admin_page(request)


@router.post("/admin/departments")
async def admin_department(request: Request) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    data = await form_of(request)
    values = {k: text(data, k, 200) for k in ("code", "name", "region", "profile")}
    try:
        await run_in_threadpool(
            organisation.create_department,
            ctx,
            who,
            values["code"],
            values["name"],
            values["region"],
            values["profile"],
        )
    except (Invalid, Conflict) as exc:
        dept_errors = {str(exc.details.get("field") or "code"): exc.message}
        return await run_in_threadpool(
            lambda: _admin_page(request, 422, dept_form=values, dept_errors=dept_errors)
        )
    return redirect(request, "/admin?done=department")


@router.post("/admin/users")
async def admin_user(request: Request) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    data = await form_of(request)
    values = {k: text(data, k, 256) for k in ("name", "role", "password", "department", "region")}
    role = values["role"]
    try:
        await run_in_threadpool(
            organisation.create_user,
            ctx,
            who,
            values["name"],
            role,
            values["password"],
            values["department"] if role == "preparer" else None,
            values["region"] if role == "reviewer" else None,
        )
    except (Invalid, Conflict, NotFound) as exc:
        field = str(
            exc.details.get("field")
            or (
                "name"
                if isinstance(exc, Conflict)
                else "department"
                if "department" in exc.details
                else "region"
            )
        )
        values.pop("password")
        user_errors = {field: exc.message}
        return await run_in_threadpool(
            lambda: _admin_page(request, 422, user_form=values, user_errors=user_errors)
        )
    return redirect(request, "/admin?done=user")


@router.post("/admin/deadlines")
async def admin_deadline(request: Request) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    data = await form_of(request)
    values = {k: text(data, k, 100) for k in ("region", "year", "due")}
    year = int_or_none(values["year"])
    try:
        if not values["region"]:
            raise Invalid("请选择地区", {"field": "region"})
        if year is None:
            raise Invalid("请填写年度，如 2024", {"field": "year"})
        await run_in_threadpool(
            deadlines.set_deadline, ctx, who, values["region"], year, values["due"]
        )
    except (Invalid, NotFound) as exc:
        deadline_errors = {str(exc.details.get("field") or "due"): exc.message}
        return await run_in_threadpool(
            lambda: _admin_page(request, 422, deadline_form=values, deadline_errors=deadline_errors)
        )
    return redirect(request, "/admin?done=deadline")


def _audit_filters(request: Request) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    q = request.query_params
    shown = {k: (q.get(k) or "").strip()[:100] for k in ("action", "username", "since")}
    filters: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if shown["action"]:
        filters["action"] = shown["action"]
    if shown["username"]:
        filters["username"] = shown["username"]
    if shown["since"]:
        try:
            filters["since"] = datetime.strptime(shown["since"], "%Y-%m-%d")
        except ValueError:
            errors["since"] = "日期格式应为 年-月-日，如 2025-06-30"
    return filters, shown, errors


@router.get("/admin/audit")
def admin_audit(request: Request) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    filters, shown, errors = _audit_filters(request)
    records = audit.list_records(ctx, who, limit=500, **filters)
    return render(
        request,
        "audit.html",
        status=422 if errors else 200,
        records=records,
        shown=shown,
        errors=errors,
        actions=ACTIONS,
        query=urlencode({k: v for k, v in shown.items() if v}),
    )


@router.get("/admin/audit.csv")
def admin_audit_csv(request: Request) -> Response:
    ctx, who = ctx_of(request), signed_in(request)
    filters, _, _ = _audit_filters(request)
    body = audit.export_csv(ctx, who, **filters)
    return Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="audit.csv"',
            "Cache-Control": "private, no-store",
        },
    )

"""FastAPI application factory and error handling."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from juesuan.serve.config import Settings
from juesuan.serve.db import Database
from juesuan.serve.errors import ServiceError
from juesuan.serve.services.context import ServiceContext

log = logging.getLogger("juesuan.serve")

HTTP_MESSAGES = {
    400: ("bad_request", "请求不正确"),
    401: ("unauthorized", "请先登录"),
    403: ("forbidden", "无权执行此操作"),
    404: ("not_found", "请求的地址不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    406: ("not_acceptable", "无法提供请求的格式"),
    413: ("too_large", "上传的内容过大"),
    415: ("unsupported_type", "不支持的内容类型"),
    422: ("invalid", "请求的参数不正确"),
}


def error_response(
    status: int, code: str, message: str, details: dict | None = None, headers: dict | None = None
) -> JSONResponse:
    return JSONResponse(
        {"code": code, "message": message, "details": details or {}},
        status_code=status,
        headers=headers,
    )


SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"SAMEORIGIN"),
)


class SecurityHeaders:
    """Headers every answer carries. A plain ASGI middleware: it only touches the start of
    the response (Starlette's ``@app.middleware("http")`` would copy every body through a
    queue, which costs a large document dearly)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(
    settings: Settings, database: Database | None = None, upgrade: bool = True
) -> FastAPI:
    """The service for ``settings``; brings the schema up to date unless told not to."""
    from juesuan.serve.api import routes

    db = database or Database(settings.database_url)
    if upgrade:
        db.upgrade()
    ctx = ServiceContext.create(settings, db)
    from juesuan.serve.services.sessions import clean_all_expired

    clean_all_expired(ctx)  # expired sign-ins and stale failures left by earlier runs
    app = FastAPI(
        title="juesuan 决算公开服务",
        description="部门决算公开的填报、审核、公开与检查（JSON API）",
        version="1",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.ctx = ctx

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return error_response(exc.status, exc.code, exc.message, exc.details, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [
            {"location": [str(p) for p in e.get("loc", ())], "type": e.get("type")}
            for e in exc.errors()
        ]
        return error_response(422, "invalid_request", "请求的参数不正确或缺失", {"fields": fields})

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = HTTP_MESSAGES.get(exc.status_code, ("error", "请求无法处理"))
        return error_response(exc.status_code, code, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", "服务器内部错误，请稍后再试或联系管理员")

    app.add_middleware(SecurityHeaders)

    app.include_router(routes.router)
    from juesuan.serve.web import mount  # the pages for people (issue 17)

    mount(app)
    return app

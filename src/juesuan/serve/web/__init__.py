"""Pages for people (server-rendered, Chinese) on top of the service layer.

:func:`mount` adds them to the FastAPI app: the routes, the packaged static files (CSS and
a little JavaScript; nothing from another site), and HTML error pages in Chinese for every
path outside the JSON API (which keeps its JSON errors).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from juesuan.serve.errors import ServiceError

STATIC = Path(__file__).parent / "static"


def _api(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/openapi.json"


def mount(app: FastAPI) -> None:
    """Add the pages to ``app`` (called once by the app factory)."""
    from juesuan.serve.web import pages
    from juesuan.serve.web.session import finish

    json_service_error = app.exception_handlers[ServiceError]
    json_http_error = app.exception_handlers[StarletteHTTPException]

    async def service_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ServiceError)
        if _api(request):
            return await json_service_error(request, exc)
        if exc.status == 401:
            from urllib.parse import quote

            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return finish(request, pages.RedirectResponse(f"/login?next={quote(target)}", 303))
        return pages.error_page(request, exc.status, exc.message)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if _api(request):
            return await json_http_error(request, exc)
        messages = {
            404: "您要找的页面不存在，请检查地址或从首页进入。",
            405: "不支持这种访问方式。",
        }
        return pages.error_page(
            request, exc.status_code, messages.get(exc.status_code, "请求无法处理。")
        )

    json_unexpected = app.exception_handlers.get(Exception)

    async def unexpected(request: Request, exc: Exception) -> Response:
        if _api(request) and json_unexpected is not None:
            return await json_unexpected(request, exc)
        import logging

        logging.getLogger("juesuan.serve").exception("unexpected error on %s", request.url.path)
        return pages.error_page(request, 500, "服务器内部错误，请稍后再试或联系管理员。")

    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(Exception, unexpected)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=True), name="static")
    app.include_router(pages.router)

"""ASGI entry point for other servers: ``uvicorn --factory juesuan.serve.asgi:create``.

Configured from the environment (``JUESUAN_HOME``, ``JUESUAN_DATABASE_URL``,
``JUESUAN_SECRET_KEY``), like ``juesuan serve`` without options."""

from __future__ import annotations

from fastapi import FastAPI

from juesuan.serve.api.app import create_app
from juesuan.serve.config import Settings


def create() -> FastAPI:
    return create_app(Settings.from_environment())

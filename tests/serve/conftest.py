"""Service fixtures: one database per test session — SQLite by default, PostgreSQL when
``JUESUAN_TEST_DATABASE_URL`` names a server (a fresh database is created on it and dropped
at the end, so runs never see each other's rows)."""

from __future__ import annotations

import itertools
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from juesuan.pipeline import sample_path
from juesuan.serve.api.app import create_app
from juesuan.serve.config import Settings
from juesuan.serve.db import Database
from juesuan.serve.services.context import ServiceContext
from serve_databases import own_database

TEST_URL_ENV = "JUESUAN_TEST_DATABASE_URL"
SEED = sample_path("seed").read_bytes()
PUTUO = sample_path("putuo").read_bytes()
PASSWORD = "correct-horse-电池"
_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_counter)}-{secrets.token_hex(2)}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with own_database(tmp_path_factory.mktemp("db"), "test") as url:
        yield url


@pytest.fixture(scope="session")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="session")
def settings(home: Path, database_url: str) -> Settings:
    return Settings(home=home, database_url=database_url, secret_key=secrets.token_urlsafe(32))


@pytest.fixture(scope="session")
def database(settings: Settings) -> Iterator[Database]:
    db = Database(settings.database_url)
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def app(settings: Settings, database: Database):  # type: ignore[no-untyped-def]
    return create_app(settings, database, upgrade=False)


@pytest.fixture(scope="session")
def ctx(app) -> ServiceContext:  # type: ignore[no-untyped-def]
    return app.state.ctx


@pytest.fixture(scope="session")
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@dataclass
class World:
    """Helpers to make departments, users and tokens through the API."""

    client: TestClient
    admin_token: str
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, token: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"} if token else {}

    def admin(self) -> dict[str, str]:
        return self.auth(self.admin_token)

    def login(self, name: str, password: str = PASSWORD) -> str:
        if name not in self.tokens:
            r = self.client.post(
                "/api/v1/auth/token", data={"username": name, "password": password}
            )
            assert r.status_code == 200, r.text
            self.tokens[name] = r.json()["access_token"]
        return self.tokens[name]

    def department(
        self, region: str | None = None, profile: str = "sichuan-2024"
    ) -> tuple[str, str]:
        code, region = unique("dept"), region or unique("地区")
        r = self.client.post(
            "/api/v1/departments",
            json={"code": code, "name": f"测试部门{code}", "region": region, "profile": profile},
            headers=self.admin(),
        )
        assert r.status_code == 201, r.text
        return code, region

    def user(self, role: str, department: str | None = None, region: str | None = None) -> str:
        name = unique(role)
        body = {
            "name": name,
            "role": role,
            "password": PASSWORD,
            "department": department,
            "region": region,
        }
        r = self.client.post("/api/v1/users", json=body, headers=self.admin())
        assert r.status_code == 201, r.text
        return self.login(name)

    def upload(
        self,
        token: str,
        code: str,
        data: bytes = SEED,
        year: int = 2024,
        version: int | None = None,
        content_type: str | None = None,
    ) -> httpx.Response:
        headers = self.auth(token)
        if content_type:
            headers["Content-Type"] = content_type
        if version is not None:
            headers["If-Match"] = f'"{version}"'
        return self.client.put(
            f"/api/v1/departments/{code}/{year}/dataset", content=data, headers=headers
        )


@pytest.fixture(scope="session")
def world(client: TestClient, ctx: ServiceContext) -> World:
    from juesuan.serve.services.organisation import create_user

    name = unique("admin")
    create_user(ctx, None, name, "admin", PASSWORD)
    w = World(client, "")
    w.admin_token = w.login(name)
    return w


# --- a real server in a subprocess (concurrency, kill-and-restart) -------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``juesuan serve`` as a child process on loopback."""

    def __init__(self, home: Path, database_url: str, secret: str) -> None:
        self.home, self.database_url, self.secret = home, database_url, secret
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "JUESUAN_HOME": str(self.home), "JUESUAN_SECRET_KEY": self.secret}
        env.pop("JUESUAN_DATABASE_URL", None)
        cmd = [
            sys.executable,
            "-m",
            "juesuan",
            "serve",
            "--port",
            str(self.port),
            "--database",
            self.database_url,
        ]
        # Its own process group: the server may run several worker processes.
        self.proc = subprocess.Popen(
            cmd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        for _ in range(600):  # up to a minute on a loaded machine
            if self.proc.poll() is not None:
                raise RuntimeError(self.proc.stderr.read().decode() if self.proc.stderr else "")
            try:
                if httpx.get(self.url + "/api/v1/public/published", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            # SIGKILL to the server and its workers: no cleanup of any kind.
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc and self.proc.stderr:
            self.proc.stderr.close()


@pytest.fixture
def server_factory(tmp_path: Path, settings: Settings) -> Iterator:
    servers: list[Server] = []

    def make(home: Path | None = None) -> Server:
        s = Server(home or tmp_path / "home", settings.database_url, settings.secret_key)
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.stop()

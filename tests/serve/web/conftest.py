"""End-to-end fixtures: ``juesuan serve --demo`` as a real server process (free port, its own
home directory and database), and Debian's Chromium driven by Playwright (never a
downloaded browser)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from serve_databases import own_database

CHROMIUM = Path(os.environ.get("JUESUAN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
VIEWPORT = {"width": 1366, "height": 768}
TEST_URL_ENV = "JUESUAN_TEST_DATABASE_URL"


@dataclass
class Server:
    url: str
    passwords: dict[str, str]
    home: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def web_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with own_database(tmp_path_factory.mktemp("webdb"), "web") as url:
        yield url


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, web_database: str) -> Iterator[Server]:
    """``juesuan serve --demo`` exactly as the README starts it; the demo passwords are read
    from what it prints."""
    home = tmp_path_factory.mktemp("webhome")
    port = _free_port()
    env = dict(os.environ, JUESUAN_HOME=str(home), PYTHONUNBUFFERED="1")
    env.pop(TEST_URL_ENV, None)
    log = (home / "server.log").open("w+", encoding="utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "juesuan",
            "serve",
            "--demo",
            "--port",
            str(port),
            "--database",
            web_database,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        printed = ""
        for _ in range(1200):  # the demo loads both samples first; bounded by polling count
            if proc.poll() is not None:
                break
            printed = (home / "server.log").read_text(encoding="utf-8")
            if url in printed:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    pass
            time.sleep(0.25)
        printed = (home / "server.log").read_text(encoding="utf-8")
        assert proc.poll() is None, f"server exited:\n{printed}"
        passwords = dict(re.findall(r"^\s+(\w+)\s+角色.*密码 (\S+)\s*$", printed, re.M))
        assert {"admin", "reviewer", "preparer"} <= set(passwords), printed
        yield Server(url, passwords, home)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required for the web tests ({CHROMIUM}); .ci/run installs it")
        pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def new_context(browser: object) -> object:
    """A 1366×768 Chinese browser window; generous time limits because the machine running
    the tests may be busy (these are waits for the page, not limits on the service)."""
    ctx = browser.new_context(  # type: ignore[attr-defined]
        viewport=VIEWPORT, locale="zh-CN", accept_downloads=True
    )
    ctx.set_default_timeout(120_000)
    ctx.set_default_navigation_timeout(120_000)
    return ctx


def shot(page: object, name: str) -> None:
    """A full-page screenshot for people to look at (not committed)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]

"""Benchmark of the service (``juesuan serve``) on loopback with the seed dataset.

Run:  python bench/bench_serve.py [--database URL] [--clients 20] [--requests 50] [--workers 0]

Starts ``juesuan serve`` as a child process on a fresh SQLite database (or the given one;
``--workers`` as for ``juesuan serve``, 0 = automatic), then measures, and prints Markdown
for docs/benchmarks.md. The measuring clients use the standard library's keep-alive
``http.client`` (one connection per client thread): on a 2-core machine the clients share
the CPUs with the server, and a heavier client library would measure itself.
- the validation endpoint (POST /api/v1/validate) in requests/s, 4 clients: the same file
  (findings cached by content) and every request a different file (the whole library run);
- reads (dataset record, findings, a cached HTML document) at N concurrent clients: p50/p95;
- a rebuild of an unchanged dataset: a new version with the same bytes → the document comes
  from the content-addressed store, no rendering.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

PASSWORD = "bench-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str, home: Path) -> None:
    from juesuan.serve.config import Settings
    from juesuan.serve.db import Database
    from juesuan.serve.services import organisation, sessions
    from juesuan.serve.services.context import ServiceContext

    settings = Settings.from_environment(url, home=home)
    ctx = ServiceContext.create(settings, Database(settings.database_url))
    ctx.db.upgrade()
    organisation.create_user(ctx, None, "bench-admin", "admin", PASSWORD)
    admin = sessions.actor_from_token(
        ctx, sessions.sign_in(ctx, "bench-admin", PASSWORD, "bench")[0], "bench"
    )
    organisation.create_department(ctx, admin, "bench", "基准测试部门", "基准地区", "sichuan-2024")
    organisation.create_user(ctx, None, "bench-preparer", "preparer", PASSWORD, "bench")
    ctx.db.dispose()


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


class Connection:
    """One keep-alive HTTP/1.1 connection (``http.client``: little CPU per request)."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        self.conn.request(method, path, body=body, headers=headers or {})
        response = self.conn.getresponse()
        return response.status, response.read()

    def close(self) -> None:
        self.conn.close()


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by the server and its worker processes (Linux /proc): a
    figure that, unlike wall time, does not depend on what else the machine runs."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # the server or its child
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def run_clients(port: int, n: int, per_client: int, work) -> tuple[list[float], float, int]:  # type: ignore[no-untyped-def]
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()

    def client(i: int) -> None:
        nonlocal failures
        http = Connection(port)
        try:
            for j in range(per_client):
                t = time.perf_counter()
                ok = work(http, i, j)
                dt = time.perf_counter() - t
                with lock:
                    latencies.append(dt)
                    failures += not ok
        finally:
            http.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - start, failures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database", default=None)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--workers", type=int, default=0)
    args = ap.parse_args()
    from juesuan.pipeline import sample_path

    seed = sample_path("seed").read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        url = args.database or f"sqlite:///{home / 'bench.db'}"
        prepare(url, home)
        port = free_port()
        env = {**os.environ, "JUESUAN_HOME": str(home), "PYTHONUNBUFFERED": "1"}
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "juesuan",
                "serve",
                "--port",
                str(port),
                "--database",
                url,
                "--workers",
                str(args.workers),
            ],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        base = f"http://127.0.0.1:{port}/api/v1"
        try:
            for _ in range(600):
                try:
                    if httpx.get(base + "/public/published").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            tok = httpx.post(
                base + "/auth/token", data={"username": "bench-preparer", "password": PASSWORD}
            ).json()["access_token"]
            auth = {"Authorization": f"Bearer {tok}"}
            dept = base + "/departments/bench/2024"
            assert httpx.put(dept + "/dataset", content=seed, headers=auth).status_code == 201

            path = "/api/v1"
            workers = proc.stdout.readline().strip().rsplit("：", 1)[-1] if proc.stdout else "?"

            def validate_same(http, i, j):  # type: ignore[no-untyped-def]
                return http.request("POST", path + "/validate", seed, auth)[0] == 200

            def validate_new(http, i, j):  # type: ignore[no-untyped-def]
                data = seed + f"\n# {i}-{j}-{secrets.token_hex(4)}\n".encode()
                return http.request("POST", path + "/validate", data, auth)[0] == 200

            rows = []
            for label, work, count in (
                ("同一文件（按内容缓存）", validate_same, 100),
                ("每次不同的文件（完整校验）", validate_new, 25),
            ):
                cpu = server_cpu(proc.pid)
                lat, wall, bad = run_clients(port, 4, count, work)
                cpu_ms = (server_cpu(proc.pid) - cpu) / len(lat) * 1000
                rows.append((label, len(lat) / wall, percentile(lat, 95) * 1000, bad, cpu_ms))

            t = time.perf_counter()
            cold = httpx.get(dept + "/documents/html", headers=auth, timeout=300)
            cold_ms = (time.perf_counter() - t) * 1000
            assert cold.status_code == 200
            reads = ["/dataset", "/findings", "/documents/html"]

            dept_path = path + "/departments/bench/2024"

            def read(http, i, j):  # type: ignore[no-untyped-def]
                return http.request("GET", dept_path + reads[(i + j) % 3], None, auth)[0] == 200

            cpu = server_cpu(proc.pid)
            lat, wall, bad = run_clients(port, args.clients, args.requests, read)
            read_cpu_ms = (server_cpu(proc.pid) - cpu) / len(lat) * 1000

            # Rebuild of an unchanged dataset: new version, same bytes.
            etag = httpx.get(dept + "/dataset", headers=auth).headers["ETag"]
            r = httpx.put(dept + "/dataset", content=seed, headers={**auth, "If-Match": etag})
            assert r.status_code == 201
            t = time.perf_counter()
            warm = httpx.get(dept + "/documents/html", headers=auth)
            warm_ms = (time.perf_counter() - t) * 1000
            assert warm.content == cold.content
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    db = "PostgreSQL" if url.startswith("postgresql") else "SQLite（WAL）"
    print(f"数据库：{db}；`python bench/bench_serve.py`，{workers} 个 uvicorn 工作进程，环回地址\n")
    print(
        "| 校验接口 POST /api/v1/validate（4 个并发客户端） | 请求/秒 | p95 毫秒 | 失败 "
        "| 服务端 CPU 毫秒/请求 |"
    )
    print("|---|---:|---:|---:|---:|")
    for label, rps, p95, bad, cpu_ms in rows:
        print(f"| {label} | {rps:.0f} | {p95:.0f} | {bad} | {cpu_ms:.1f} |")
    print(
        f"\n读取（数据记录、问题清单、已生成的 HTML 轮流），{args.clients} 个并发客户端 × "
        f"{args.requests} 次：p50 {statistics.median(lat) * 1000:.0f} ms，"
        f"p95 {percentile(lat, 95) * 1000:.0f} ms，{len(lat) / wall:.0f} 请求/秒，失败 {bad}；"
        f"服务端 CPU {read_cpu_ms:.2f} ms/请求\n"
    )
    print(
        f"生成 HTML：首次 {cold_ms:.0f} ms（渲染）；数据未变的新版本再取 {warm_ms:.0f} ms"
        "（按内容寻址，直接取已存文件，不渲染）"
    )


if __name__ == "__main__":
    main()

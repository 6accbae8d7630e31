"""Benchmark of the service (``juesuan serve``) on loopback with the seed dataset.

Run:  python bench/bench_serve.py [--database URL] [--clients 20] [--requests 50] [--workers 0]
      [--validations 60] [--gzip]

Starts ``juesuan serve`` as a child process on a fresh SQLite database (or the given one;
``--workers`` as for ``juesuan serve``, 0 = automatic), then measures, and prints Markdown
for docs/benchmarks.md:
- the validation endpoint (POST /api/v1/validate) in requests/s, 4 clients: the same file
  (findings cached by content) and every request a different file (the whole library run);
- reads (dataset record, findings, a cached HTML document) at N concurrent clients: p50/p95;
- a rebuild of an unchanged dataset: a new version with the same bytes → the document comes
  from the content-addressed store, no rendering.

The machine has 2 cores and the clients share them with the server, so the client must cost
little: every client is a coroutine on one asyncio loop (uvloop when installed) holding one
keep-alive HTTP/1.1 connection, writing prepared request bytes and reading the answer by its
Content-Length. Each phase is preceded by unmeasured warm-up requests (every worker process
imports the library and fills its caches on its first requests) and reports, besides wall
figures, the CPU the server's processes used per request (Linux /proc) and the CPU the
client used per request (getrusage): those two hardly depend on what else the machine runs.
The 1-minute load average before and after is printed: wall figures under load are noise.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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


def load_average() -> float:
    return os.getloadavg()[0]


def client_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


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


class Connection:
    """One keep-alive HTTP/1.1 connection, as cheap as a client can be: the request is
    written as bytes, the answer read by its Content-Length (the service always sends one)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(reader, writer)

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
            elif name.strip().lower() == b"transfer-encoding":
                raise RuntimeError("chunked answers are not expected from the service")
        body = await self.reader.readexactly(length) if length else b""
        return status, body

    def close(self) -> None:
        self.writer.close()


def raw_request(
    method: str, path: str, headers: dict[str, str], body: bytes | None = None
) -> bytes:
    """The bytes of an HTTP/1.1 request (built once, sent many times)."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body is not None:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


Work = Callable[[int, int], bytes]  # (client, request) → request bytes


@dataclass
class Phase:
    """What one measured phase saw."""

    latencies: list[float]
    wall: float
    failures: int
    server_ms: float  # server CPU per request
    client_ms: float  # client CPU per request
    load: tuple[float, float]  # 1-minute load average before, after
    kinds: list[int]  # (client + request) % len(READS) of each latency

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall

    def p(self, q: float) -> float:
        return percentile(self.latencies, q) * 1000


async def _clients(port: int, n: int, numbers: range, work: Work) -> tuple[list[float], int]:
    latencies: list[float] = []
    kinds: list[int] = []
    failures = 0
    connections = [await Connection.open(port) for _ in range(n)]

    async def client(i: int) -> None:
        nonlocal failures
        http = connections[i]
        for j in numbers:
            raw = work(i, j)
            t = time.perf_counter()
            status, _ = await http.request(raw)
            latencies.append(time.perf_counter() - t)
            kinds.append((i + j) % len(READS))
            failures += status != 200

    try:
        await asyncio.gather(*(client(i) for i in range(n)))
    finally:
        for c in connections:
            c.close()
    return latencies, failures, kinds


def run_phase(pid: int, port: int, n: int, per_client: int, work: Work, warm: int) -> Phase:
    runner: Callable[[Awaitable[object]], object] = asyncio.run
    try:
        import uvloop

        runner = uvloop.run
    except ImportError:
        pass
    if warm:  # numbered after the measured requests: distinct work stays distinct
        runner(_clients(port, n, range(per_client, per_client + warm), work))
    load_before = load_average()
    cpu_server, cpu_client = server_cpu(pid), client_cpu()
    start = time.perf_counter()
    latencies, failures, kinds = runner(_clients(port, n, range(per_client), work))  # type: ignore[misc]
    wall = time.perf_counter() - start
    count = len(latencies)
    return Phase(
        latencies,
        wall,
        failures,
        (server_cpu(pid) - cpu_server) / count * 1000,
        (client_cpu() - cpu_client) / count * 1000,
        (load_before, load_average()),
        kinds,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database", default=None)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--validations", type=int, default=60, help="per client, 4 clients")
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument(
        "--gzip",
        action="store_true",
        help="reads send Accept-Encoding: gzip, as a browser does (default: identity)",
    )
    args = ap.parse_args()
    from juesuan.pipeline import sample_path

    seed = sample_path("seed").read_bytes()
    load_start = load_average()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        url = args.database or f"sqlite:///{home / 'bench.db'}"
        prepare(url, home)
        port = free_port()
        env = {**os.environ, "JUESUAN_HOME": str(home), "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, "-m", "juesuan", "serve", "--port", str(port)]
        command += ["--database", url, "--workers", str(args.workers)]
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
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
            same = raw_request("POST", path + "/validate", auth, seed)
            run = secrets.token_hex(4)

            def validate_same(i: int, j: int) -> bytes:
                return same

            def validate_new(i: int, j: int) -> bytes:
                data = seed + f"\n# {run}-{i}-{j}\n".encode()
                return raw_request("POST", path + "/validate", auth, data)

            rows = []
            for label, work, count in (
                ("同一文件（按内容缓存）", validate_same, 100),
                ("每次不同的文件（完整校验）", validate_new, args.validations),
            ):
                rows.append((label, run_phase(proc.pid, port, 4, count, work, warm=5)))

            t = time.perf_counter()
            cold = httpx.get(dept + "/documents/html", headers=auth, timeout=300)
            cold_ms = (time.perf_counter() - t) * 1000
            assert cold.status_code == 200
            dept_path = path + "/departments/bench/2024"
            encoding = {"Accept-Encoding": "gzip" if args.gzip else "identity"}
            reads = [raw_request("GET", dept_path + r, {**auth, **encoding}) for r in READS]

            def read(i: int, j: int) -> bytes:
                return reads[(i + j) % len(reads)]

            reading = run_phase(proc.pid, port, args.clients, args.requests, read, warm=5)

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
    print(
        f"数据库：{db}；`python bench/bench_serve.py`，{workers} 个 uvicorn 工作进程，环回地址；"
        f"开始时 1 分钟平均负载 {load_start:.1f}\n"
    )
    print(
        "| 校验接口 POST /api/v1/validate（4 个并发客户端） | 请求/秒 | p95 毫秒 | 失败 "
        "| 服务端 CPU 毫秒/请求 | 客户端 CPU 毫秒/请求 | 负载（前→后） |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, ph in rows:
        print(
            f"| {label} | {ph.rate:.0f} | {ph.p(95):.0f} | {ph.failures} | {ph.server_ms:.1f} "
            f"| {ph.client_ms:.2f} | {ph.load[0]:.1f}→{ph.load[1]:.1f} |"
        )
    ph = reading
    print(
        f"\n读取（数据记录、问题清单、已生成的 HTML 轮流；Accept-Encoding: "
        f"{'gzip' if args.gzip else 'identity'}），{args.clients} 个并发客户端 × "
        f"{args.requests} 次：p50 {ph.p(50):.0f} ms，p95 {ph.p(95):.0f} ms，"
        f"p99 {ph.p(99):.0f} ms，{ph.rate:.0f} 请求/秒，失败 {ph.failures}；"
        f"服务端 CPU {ph.server_ms:.2f} ms/请求，客户端 CPU {ph.client_ms:.2f} ms/请求；"
        f"负载 {ph.load[0]:.1f}→{ph.load[1]:.1f}\n"
    )
    for k, name in enumerate(READS):
        mine = [t for t, kind in zip(ph.latencies, ph.kinds, strict=True) if kind == k]
        print(
            f"- `{name}`：p50 {percentile(mine, 50) * 1000:.0f} ms，p95 {percentile(mine, 95) * 1000:.0f} ms"
        )
    print()
    print(
        f"生成 HTML：首次 {cold_ms:.0f} ms（渲染）；数据未变的新版本再取 {warm_ms:.0f} ms"
        "（按内容寻址，直接取已存文件，不渲染）"
    )


READS = ("/dataset", "/findings", "/documents/html")

if __name__ == "__main__":
    main()

"""CPU per request of the service, in process: the whole ASGI app, no network, no client
threads, so the figure hardly depends on what else the machine runs.

Run:  python bench/bench_serve_cpu.py [--requests 300]

To compare with an older commit, run the same script against that commit's sources:
  git archive <commit> src | tar -x -C /tmp/before && PYTHONPATH=/tmp/before/src python bench/bench_serve_cpu.py
(the script only uses interfaces both have: sign-in, departments, users, dataset, documents,
workflow steps, the public list, validation).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import secrets
import tempfile
from pathlib import Path

import httpx

PASSWORD = "bench-password-1"


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


async def measure(requests: int) -> list[tuple[str, float]]:
    import juesuan
    from juesuan.pipeline import sample_path
    from juesuan.serve.api.app import create_app
    from juesuan.serve.config import Settings
    from juesuan.serve.services import organisation

    print(f"juesuan from {Path(juesuan.__file__).parent}")
    seed = sample_path("seed").read_bytes()
    home = Path(tempfile.mkdtemp(prefix="bench-serve-cpu-"))
    app = create_app(Settings.from_environment(f"sqlite:///{home / 'bench.db'}", home=home))
    organisation.create_user(app.state.ctx, None, "bench-admin", "admin", PASSWORD)
    transport = httpx.ASGITransport(app=app)
    # identity: the client runs in this process, and decoding gzip would count as server CPU
    plain = {"Accept-Encoding": "identity"}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench", headers=plain) as c:

        async def token(name: str) -> dict[str, str]:
            form = {"username": name, "password": PASSWORD}
            r = await c.post("/api/v1/auth/token", data=form)
            return {"Authorization": f"Bearer {r.json()['access_token']}"}

        admin = await token("bench-admin")
        dept = {
            "code": "bench",
            "name": "基准测试部门",
            "region": "基准地区",
            "profile": "sichuan-2024",
        }
        await c.post("/api/v1/departments", json=dept, headers=admin)
        user = {"name": "p", "role": "preparer", "password": PASSWORD, "department": "bench"}
        await c.post("/api/v1/users", json=user, headers=admin)
        auth = await token("p")
        base = "/api/v1/departments/bench/2024"
        assert (await c.put(base + "/dataset", content=seed, headers=auth)).status_code == 201
        assert (await c.get(base + "/documents/html", headers=auth)).status_code == 200
        admin_token = admin
        reviewer = {"name": "r", "role": "reviewer", "password": PASSWORD, "region": "基准地区"}
        await c.post("/api/v1/users", json=reviewer, headers=admin_token)
        review = await token("r")
        for step, who in (("submit", auth), ("approve", review), ("publish", review)):
            assert (await c.post(f"{base}/{step}", headers=who)).status_code == 200
        out = []
        for name, path in (
            ("GET /me", "/api/v1/me"),
            ("GET …/dataset", base + "/dataset"),
            ("GET …/findings", base + "/findings"),
            ("GET …/documents/html", base + "/documents/html"),
            ("GET …/{year}（状态、版本、流程）", base),
            ("GET /public/published", "/api/v1/public/published"),
        ):
            for _ in range(10):
                await c.get(path, headers=auth)
            start = cpu()
            for _ in range(requests):
                r = await c.get(path, headers=auth)
                assert r.status_code == 200
            out.append((name, (cpu() - start) / requests * 1000))
        # Validation: the endpoint against the library alone on the same bytes, alternated
        # so that both see the same load; the difference is the service's own cost.
        from juesuan.serve.services.library import load_bytes

        count = max(requests // 10, 10)
        run = secrets.token_hex(4)
        endpoint = library = 0.0
        for i in range(count + 3):
            data = seed + f"\n# {run}-{i}\n".encode()
            start = cpu()
            r = await c.post("/api/v1/validate", content=data, headers=auth)
            middle = cpu()
            load_bytes(data + b"\n# library\n", "yaml", "upload", "")
            if i >= 3:  # the first ones warm up
                endpoint += middle - start
                library += cpu() - middle
            assert r.status_code == 200
        out.append(("POST /validate（每次不同的文件）", endpoint / count * 1000))
        out.append(("其中库本身（读取、推导、规则）", library / count * 1000))
        out.append(("服务层开销（差）", (endpoint - library) / count * 1000))
        start = cpu()
        for _ in range(requests):
            r = await c.post("/api/v1/validate", content=seed, headers=auth)
        out.append(("POST /validate（同一文件，已缓存）", (cpu() - start) / requests * 1000))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=300)
    args = ap.parse_args()
    rows = asyncio.run(measure(args.requests))
    print("| 请求 | CPU 毫秒/请求 |\n|---|---:|")
    for name, ms in rows:
        print(f"| {name} | {ms:.2f} |")


if __name__ == "__main__":
    main()

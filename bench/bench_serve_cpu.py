"""CPU per request of the service, in process: the whole ASGI app, no network, no client
threads, so the figure hardly depends on what else the machine runs.

Run:  python bench/bench_serve_cpu.py [--requests 300]

To compare with an older commit, run the same script against that commit's sources:
  git archive <commit> src | tar -x -C /tmp/before && PYTHONPATH=/tmp/before/src python bench/bench_serve_cpu.py
(the script only uses interfaces both have: sign-in, departments, users, dataset, documents).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
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
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as c:

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
        out = []
        for name, path in (
            ("GET /me", "/api/v1/me"),
            ("GET …/dataset", base + "/dataset"),
            ("GET …/findings", base + "/findings"),
            ("GET …/documents/html", base + "/documents/html"),
        ):
            for _ in range(10):
                await c.get(path, headers=auth)
            start = cpu()
            for _ in range(requests):
                r = await c.get(path, headers=auth)
                assert r.status_code == 200
            out.append((name, (cpu() - start) / requests * 1000))
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

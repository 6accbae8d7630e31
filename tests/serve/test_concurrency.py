"""Load on loopback: 20 clients × 50 mixed requests against a real server process.

No 5xx, no lost or duplicated version, every conflicting save answered 409."""

from __future__ import annotations

import random
import secrets
import threading
from collections import Counter

import httpx
from sqlalchemy import select
from tests.serve.conftest import SEED, World

from juesuan.serve.models import DatasetVersion, Department, Disclosure

CLIENTS, REQUESTS = 20, 50


def test_concurrent_clients(world: World, server_factory, ctx) -> None:  # type: ignore[no-untyped-def]
    code, _ = world.department()
    token = world.user("preparer", department=code)
    variants = [SEED + f"\n# {secrets.token_hex(4)}\n".encode() for _ in range(3)]
    assert world.upload(token, code, variants[0]).status_code == 201
    server = server_factory()
    server.start()
    base = f"{server.url}/api/v1/departments/{code}/2024"
    headers = {"Authorization": f"Bearer {token}"}
    statuses: Counter[tuple[str, int]] = Counter()
    saved: list[int] = []
    conflicts: list[int] = []
    lock = threading.Lock()

    def client(seed: int) -> None:
        rnd = random.Random(seed)
        with httpx.Client(headers=headers, timeout=120) as http:
            for _ in range(REQUESTS):
                kind = rnd.choices(["dataset", "findings", "document", "save"], [4, 2, 1, 3])[0]
                if kind == "save":
                    etag = http.get(f"{base}/dataset").headers["ETag"]
                    r = http.put(
                        f"{base}/dataset", content=rnd.choice(variants), headers={"If-Match": etag}
                    )
                    with lock:
                        (saved if r.status_code == 201 else conflicts).append(
                            r.json().get("version") or r.json()["details"]["version"]
                        )
                elif kind == "document":
                    r = http.get(f"{base}/documents/md")
                else:
                    r = http.get(f"{base}/{kind}")
                with lock:
                    statuses[(kind, r.status_code)] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sum(statuses.values()) == CLIENTS * REQUESTS
    assert not [k for k in statuses if k[1] >= 500], statuses
    assert {s for (kind, s) in statuses if kind == "save"} <= {201, 409}, statuses
    assert {s for (kind, s) in statuses if kind != "save"} == {200}, statuses
    assert saved and conflicts, "the load should produce both saves and conflicts"

    with ctx.db.read() as session:
        dept = session.scalar(select(Department).where(Department.code == code))
        disclosure = session.scalar(select(Disclosure).where(Disclosure.department_id == dept.id))
        rows = session.scalars(
            select(DatasetVersion).where(DatasetVersion.disclosure_id == disclosure.id)
        ).all()
    numbers = sorted(v.number for v in rows)
    # Nothing lost, nothing duplicated: one row per upload, numbered without gaps.
    assert numbers == list(range(1, 2 + len(saved) + len(conflicts)))
    accepted = sorted(v.number for v in rows if v.status == "accepted")
    rejected = sorted(v.number for v in rows if v.status == "rejected")
    assert accepted == sorted([1, *saved]) and rejected == sorted(conflicts)
    assert {v.reason for v in rows if v.status == "rejected"} == {"conflict"}
    assert disclosure.current_version == max(accepted) and disclosure.last_number == numbers[-1]
    # Each accepted save was based on the version current just before it.
    by_number = {v.number: v for v in rows}
    chain = [by_number[n].based_on for n in accepted[1:]]
    assert chain == accepted[:-1]

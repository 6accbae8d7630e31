"""Kill -9 during uploads and builds, start again: database and artifact store consistent."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time

import httpx
from sqlalchemy import select
from tests.serve.conftest import SEED, World

from juesuan.serve.models import Artifact, DatasetVersion, Department, Disclosure
from juesuan.serve.services.library import artifact_key
from juesuan.serve.store import ArtifactStore


def test_kill_during_uploads_and_builds(world: World, server_factory, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, _ = world.department()
    token = world.user("preparer", department=code)
    home = tmp_path / "server-home"
    server = server_factory(home)
    server.start()
    base = f"{server.url}/api/v1/departments/{code}/2024"
    headers = {"Authorization": f"Bearer {token}"}
    answered: list[tuple[int, str]] = []  # (version, sha256) of every save the server confirmed
    stop = threading.Event()
    lock = threading.Lock()

    def uploader() -> None:
        with httpx.Client(headers=headers, timeout=60) as http:
            while not stop.is_set():
                data = SEED + f"\n# {secrets.token_hex(8)}\n".encode()
                try:
                    cur = http.get(f"{base}/dataset")
                    h = {"If-Match": cur.headers["ETag"]} if cur.status_code == 200 else {}
                    r = http.put(f"{base}/dataset", content=data, headers=h)
                except httpx.HTTPError:
                    return
                if r.status_code == 201:
                    with lock:
                        answered.append((r.json()["version"], hashlib.sha256(data).hexdigest()))

    def builder(fmt: str) -> None:
        with httpx.Client(headers=headers, timeout=120) as http:
            while not stop.is_set():
                try:
                    http.get(f"{base}/documents/{fmt}")
                except httpx.HTTPError:
                    return

    threads = [threading.Thread(target=uploader) for _ in range(4)]
    threads += [threading.Thread(target=builder, args=(f,)) for f in ("html", "docx", "xlsx")]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # kill once saves went through and a build is running
        if len(answered) >= 3 and any(p.is_file() for p in (home / "artifacts").rglob("*")):
            break
        time.sleep(0.05)
    time.sleep(0.5)
    server.kill()
    stop.set()
    for t in threads:
        t.join()
    assert answered, "no save completed before the kill"

    # Start again on the same database and home.
    server.start()
    store = ArtifactStore(home / "artifacts")
    assert not list(store.tmp.iterdir()), "half-written files are removed on start"
    with ctx.db.read() as session:
        dept = session.scalar(select(Department).where(Department.code == code))
        disclosure = session.scalar(select(Disclosure).where(Disclosure.department_id == dept.id))
        rows = session.scalars(
            select(DatasetVersion).where(DatasetVersion.disclosure_id == disclosure.id)
        ).all()
        stored = {v.number: v.sha256 for v in rows}
        numbers = sorted(stored)
        assert numbers == list(range(1, len(numbers) + 1)) and disclosure.last_number == numbers[-1]
        # Every save the server confirmed is there, byte for byte.
        for number, sha in answered:
            assert stored[number] == sha
        current = next(v for v in rows if v.number == disclosure.current_version)
        assert current.status == "accepted"
        # Every artifact row of this dataset points at a complete file with its hash.
        keys = {
            artifact_key(v.sha256, v.profile, fmt): fmt
            for v in rows
            if v.profile
            for fmt in ("html", "docx", "xlsx")
        }
        arts = session.scalars(select(Artifact).where(Artifact.key.in_(list(keys)))).all()
    for art in arts:
        assert store.verify(art.key, art.sha256), art.key

    # After the restart, documents are served whole (and built if the kill interrupted them).
    with httpx.Client(headers=headers, timeout=180) as http:
        r = http.get(f"{base}/documents/xlsx")
        assert r.status_code == 200
        assert r.headers["ETag"] == f'"{hashlib.sha256(r.content).hexdigest()}"'
        assert http.get(f"{base}/dataset").json()["number"] == disclosure.current_version


def test_damaged_or_half_written_files_are_never_served(world: World, ctx) -> None:  # type: ignore[no-untyped-def]
    from juesuan.serve.services.context import ServiceContext

    code, _ = world.department()
    token = world.user("preparer", department=code)
    world.upload(token, code, SEED + f"\n# {secrets.token_hex(8)}\n".encode())
    url = f"/api/v1/departments/{code}/2024/documents/md"
    first = world.client.get(url, headers=world.auth(token))
    assert first.status_code == 200
    key = next(
        p for p in ctx.store.root.rglob("*") if p.is_file() and p.read_bytes() == first.content
    )
    key.write_bytes(first.content[:100])  # a file cut short (say, a disk that filled up)
    again = world.client.get(url, headers=world.auth(token))
    assert again.content == first.content  # rebuilt, not served short
    (ctx.store.tmp / "leftover.partial").write_bytes(b"half")
    restarted = ServiceContext.create(ctx.settings, ctx.db)  # what a new process does on start
    assert not list(restarted.store.tmp.iterdir())


def test_temporary_files_of_live_processes_are_kept(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    store = ArtifactStore(tmp_path)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    mine = store.tmp / f"{'a' * 64}.{os.getpid()}.x"
    gone = store.tmp / f"{'b' * 64}.{int(dead.stdout)}.y"
    for p in (mine, gone, store.tmp / "odd-name"):
        p.write_bytes(b"partial")
    assert store.clean_temporary() == 2
    assert [p.name for p in store.tmp.iterdir()] == [mine.name]

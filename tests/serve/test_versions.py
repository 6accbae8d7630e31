"""Immutable versions and optimistic locking: nothing uploaded is ever lost."""

from __future__ import annotations

import hashlib

from tests.serve.conftest import SEED, World


def _setup(world: World) -> tuple[str, str]:
    code, _ = world.department()
    return code, world.user("preparer", department=code)


def test_stale_save_is_refused_and_kept(world: World) -> None:
    code, preparer = _setup(world)
    c, p = world.client, world.auth(preparer)
    assert world.upload(preparer, code).json()["version"] == 1
    assert world.upload(preparer, code, SEED + b"\n", version=1).json()["version"] == 2
    # Someone who still has version 1 open saves: 409, and the upload becomes version 3, rejected.
    mine = SEED + b"\n# mine\n"
    stale = world.upload(preparer, code, mine, version=1)
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "version_conflict" and body["details"]["version"] == 3
    assert body["details"]["current_version"] == 2 and "草稿" in body["message"]
    kept = c.get(
        f"/api/v1/departments/{code}/2024/dataset/source", params={"version": 3}, headers=p
    )
    assert kept.status_code == 200 and kept.content == mine
    meta = c.get(
        f"/api/v1/departments/{code}/2024/dataset", params={"version": 3}, headers=p
    ).json()
    assert meta["status"] == "rejected" and meta["reason"] == "conflict" and meta["based_on"] == 1
    assert meta["sha256"] == hashlib.sha256(mine).hexdigest()
    # The current version did not move.
    current = c.get(f"/api/v1/departments/{code}/2024/dataset", headers=p)
    assert current.json()["number"] == 2 and current.headers["ETag"] == '"2"'


def test_replacing_needs_if_match(world: World) -> None:
    code, preparer = _setup(world)
    assert world.upload(preparer, code).status_code == 201
    missing = world.upload(preparer, code)
    assert missing.status_code == 409 and missing.json()["details"]["current_version"] == 1
    # A first save that claims a base version also conflicts.
    other, preparer2 = _setup(world)
    assert world.upload(preparer2, other, version=7).status_code == 409
    bad = world.client.put(
        f"/api/v1/departments/{other}/2024/dataset",
        content=SEED,
        headers={**world.auth(preparer2), "If-Match": "latest"},
    )
    assert bad.status_code == 422


def test_source_round_trip_and_weak_etag(world: World) -> None:
    code, preparer = _setup(world)
    world.upload(preparer, code)
    r = world.client.put(
        f"/api/v1/departments/{code}/2024/dataset",
        content=SEED.replace(b"\n", b"\r\n"),
        headers={**world.auth(preparer), "If-Match": 'W/"1"', "Content-Type": "text/yaml"},
    )
    assert r.status_code == 201 and r.json()["version"] == 2
    src = world.client.get(
        f"/api/v1/departments/{code}/2024/dataset/source", headers=world.auth(preparer)
    )
    assert src.content == SEED.replace(b"\n", b"\r\n") and src.headers["ETag"] == '"2"'


def test_workbook_upload(world: World) -> None:
    from juesuan.excel.workbook import workbook_bytes
    from juesuan.pipeline import load, sample_path

    ds, _ = load(sample_path("seed"))
    xlsx = workbook_bytes(ds)
    code, preparer = _setup(world)
    r = world.upload(preparer, code, xlsx, content_type="application/octet-stream")
    assert r.status_code == 201, r.text
    assert r.json()["dataset"]["kind"] == "xlsx" and r.json()["errors"] == 0
    # Findings of a workbook point at sheets and cells, under the name the user uploaded.
    broken = workbook_bytes(ds.model_copy(update={"office_operation": ds.office_operation + 1}))
    r2 = world.client.put(
        f"/api/v1/departments/{code}/2024/dataset",
        params={"filename": "填报.xlsx"},
        content=broken,
        headers={**world.auth(preparer), "If-Match": "1"},
    )
    assert r2.status_code == 201
    assert r2.json()["dataset"]["filename"] == "填报.xlsx"
    located = [f["location"] for f in r2.json()["findings"] if "sheet" in f["location"]]
    assert located and all(loc.get("file", "填报.xlsx") == "填报.xlsx" for loc in located)

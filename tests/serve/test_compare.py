"""Comparing two versions through the API: figures old → new, findings appeared/gone."""

from __future__ import annotations

from tests.serve.conftest import SEED, World

CHANGED = SEED.replace(b"general_budget: 253.87", b"general_budget: 260.00", 1)


def test_compare_two_versions(world: World) -> None:
    code, _ = world.department()
    preparer = world.user("preparer", department=code)
    assert world.upload(preparer, code).status_code == 201
    assert world.upload(preparer, code, CHANGED, version=1).status_code == 201
    base = f"/api/v1/departments/{code}/2024"
    r = world.client.get(base + "/versions/1/compare/2", headers=world.auth(preparer))
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["old"], body["new"]) == (1, 2)
    changed = {c["id"]: c for c in body["changed"]}
    income = [c for c in changed.values() if c["old"] == "253.87" and c["new"] == "260.00"]
    assert income, sorted(changed)
    assert all(c["unit"] for c in body["changed"])
    appeared = {f["code"] for f in body["appeared"]}
    assert {"TOT-003", "TOT-004"} <= appeared and body["disappeared"] == []
    # The other way round, the same findings disappear and the figure goes back.
    back = world.client.get(base + "/versions/2/compare/1", headers=world.auth(preparer)).json()
    assert {f["code"] for f in back["disappeared"]} == appeared and back["appeared"] == []
    assert {c["id"] for c in back["changed"]} == set(changed)
    # A version with itself: nothing changed.
    same = world.client.get(base + "/versions/2/compare/2", headers=world.auth(preparer)).json()
    assert same["changed"] == same["appeared"] == same["disappeared"] == []
    # Unknown versions answer 404 in JSON.
    missing = world.client.get(base + "/versions/1/compare/9", headers=world.auth(preparer))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_figures_endpoint_matches_the_library(world: World) -> None:
    code, _ = world.department()
    preparer = world.user("preparer", department=code)
    world.upload(preparer, code)
    r = world.client.get(f"/api/v1/departments/{code}/2024/figures", headers=world.auth(preparer))
    figures = r.json()
    total = figures["expenditure.grand_total"]
    assert total["value"] == "253.87" and total["unit"] == "万元"
    # The private temporary path never leaks: sources name the uploaded file.
    assert all("juesuan-upload" not in str(f["source"]) for f in figures.values())

"""Deadlines per region and year: set by admins, shown with the days left."""

from __future__ import annotations

from datetime import date

import pytest
from tests.serve.conftest import World

from juesuan.serve.services.deadlines import describe, today


def test_days_left_and_overdue() -> None:
    on = date(2025, 9, 20)
    soon = describe("甲区", 2024, date(2025, 9, 30), "draft", on=on)
    assert (soon.days_left, soon.overdue, soon.label) == (10, False, "还剩 10 天")
    assert describe("甲区", 2024, on, "submitted", on=on).label == "今天截止"
    late = describe("甲区", 2024, date(2025, 9, 17), "approved", on=on)
    assert (late.days_left, late.overdue, late.label) == (-3, True, "已逾期 3 天")
    done = describe("甲区", 2024, date(2025, 9, 17), "published", on=on)
    assert (done.overdue, done.published, done.label) == (False, True, "已公开")


def test_set_move_and_show_a_deadline(world: World) -> None:
    code, region = world.department()
    preparer = world.user("preparer", department=code)
    world.upload(preparer, code)
    path = f"/api/v1/deadlines/{region}/2024"
    r = world.client.put(path, json={"due": "2025-09-30"}, headers=world.admin())
    assert r.status_code == 200 and r.json()["region"] == region
    moved = world.client.put(path, json={"due": "2025-10-15"}, headers=world.admin())
    assert moved.json()["due"] == "2025-10-15"
    listed = world.client.get("/api/v1/deadlines", headers=world.auth(preparer)).json()
    assert [(d["region"], d["year"], d["due"]) for d in listed] == [(region, 2024, "2025-10-15")]
    view = world.client.get(f"/api/v1/departments/{code}/2024", headers=world.auth(preparer)).json()
    expected = (date(2025, 10, 15) - today()).days
    assert view["deadline"]["days_left"] == expected
    assert view["deadline"]["overdue"] == (expected < 0)
    inbox = world.client.get("/api/v1/disclosures", headers=world.admin()).json()
    mine = next(d for d in inbox if d["department"] == code)
    assert mine["deadline"]["due"] == "2025-10-15"
    # Every change is in the audit trail.
    trail = world.client.get(
        "/api/v1/audit", params={"action": "deadline.set"}, headers=world.admin()
    ).json()
    assert {"due": "2025-10-15", "before": "2025-09-30"} in [t["details"] for t in trail]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"due": "明天"}, 422, "due"),
        ({"due": "2024-05-01"}, 422, "due"),  # before the year ends
        ({"due": "2031-05-01"}, 422, "due"),
    ],
)
def test_bad_deadlines_are_refused_with_the_field(world: World, body, status, field) -> None:  # type: ignore[no-untyped-def]
    _, region = world.department()
    r = world.client.put(f"/api/v1/deadlines/{region}/2024", json=body, headers=world.admin())
    assert r.status_code == status and r.json()["details"]["field"] == field


def test_unknown_region(world: World) -> None:
    r = world.client.put(
        "/api/v1/deadlines/没有的地区/2024", json={"due": "2025-09-30"}, headers=world.admin()
    )
    assert r.status_code == 404

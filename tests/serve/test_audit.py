"""The audit trail: append-only, complete for what matters, readable and exportable by admins."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from tests.serve.conftest import World


def test_actions_are_recorded(world: World) -> None:
    code, _ = world.department()
    preparer = world.user("preparer", department=code)
    world.upload(preparer, code)
    world.client.post(f"/api/v1/departments/{code}/2024/submit", headers=world.auth(preparer))
    world.client.get(
        f"/api/v1/departments/{code}/2024/documents/json", headers=world.auth(preparer)
    )
    world.client.post("/api/v1/auth/token", data={"username": "nobody-x", "password": "wrong-pass"})
    rows = world.client.get("/api/v1/audit", params={"limit": 500}, headers=world.admin()).json()
    mine = [r for r in rows if r["object"] == f"{code}/2024"]
    actions = {r["action"] for r in mine}
    assert {"dataset.upload", "workflow.submit", "document.download"} <= actions
    assert all(r["username"] and r["address"] and r["at"] for r in mine)
    assert any(r["action"] == "auth.login_failed" and r["object"] == "nobody-x" for r in rows)
    assert any(r["action"] == "auth.login" for r in rows)
    assert any(r["action"] == "department.create" and r["object"] == code for r in rows)
    filtered = world.client.get(
        "/api/v1/audit", params={"action": "workflow.submit"}, headers=world.admin()
    ).json()
    assert filtered and {r["action"] for r in filtered} == {"workflow.submit"}


def test_export_csv(world: World) -> None:
    r = world.client.get("/api/v1/audit/export", headers=world.admin())
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    text_ = r.content.decode("utf-8-sig")
    assert text_.splitlines()[0] == "编号,时间,用户,地址,操作,对象,详情"
    assert "auth.login" in text_


def test_formula_cells_are_neutralised() -> None:
    from juesuan.serve.services.audit import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and _cell("普通") == "普通"


def test_append_only_in_the_database(ctx) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception, match="append-only"):
        with ctx.db.write() as session:
            session.execute(text("UPDATE audit_records SET action = 'x'"))
    with pytest.raises(Exception, match="append-only"):
        with ctx.db.write() as session:
            session.execute(text("DELETE FROM audit_records"))


def test_every_download_is_recorded_on_either_path(world: World, ctx) -> None:  # type: ignore[no-untyped-def]
    """A document in memory is answered on the event loop when its audit row can be
    written at once; while another writer holds the database, the download waits for it
    in a worker thread. Either way: one audit row per download, none lost or doubled."""
    import threading

    from sqlalchemy import func, select

    from juesuan.serve.models import AuditRecord

    code, _ = world.department()
    preparer = world.user("preparer", department=code)
    world.upload(preparer, code)
    url = f"/api/v1/departments/{code}/2024/documents/json"

    def downloads() -> int:
        with ctx.db.read() as session:
            return session.scalar(
                select(func.count()).where(
                    AuditRecord.object == f"{code}/2024", AuditRecord.action == "document.download"
                )
            )

    for encoding in ("identity", "gzip", "gzip"):  # built, then from memory (both paths)
        r = world.client.get(url, headers={**world.auth(preparer), "Accept-Encoding": encoding})
        assert r.status_code == 200
    assert downloads() == 3
    held, release, answered = threading.Event(), threading.Event(), []

    def writer() -> None:
        with ctx.db.write_connection():
            held.set()
            release.wait(30)

    def download() -> None:
        answered.append(world.client.get(url, headers=world.auth(preparer)).status_code)

    w = threading.Thread(target=writer)
    w.start()
    held.wait(30)
    d = threading.Thread(target=download)
    d.start()
    d.join(0.5)
    assert answered == [] or downloads() == 4  # waiting for the writer (or already done)
    release.set()
    w.join(30)
    d.join(60)
    assert answered == [200] and downloads() == 4

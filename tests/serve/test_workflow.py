"""The whole workflow through the API: upload → findings → submit → return → fix → resubmit →
approve → publish → public download, and a revision after publishing."""

from __future__ import annotations

import hashlib

from tests.serve.conftest import SEED, World

BROKEN = SEED.replace(b"closing: {total: 0}", b"closing: {total: 5}", 1)  # 总计 no longer adds up
REVISED = SEED.replace(b"# ", b"#  ", 1)  # same data, other bytes: a new version


def test_end_to_end(world: World) -> None:
    c = world.client
    code, region = world.department()
    preparer = world.user("preparer", department=code)
    reviewer = world.user("reviewer", region=region)
    base = f"/api/v1/departments/{code}/2024"
    p, r = world.auth(preparer), world.auth(reviewer)

    # A dataset with an error is stored (version 1) but cannot be submitted.
    up = world.upload(preparer, code, BROKEN)
    assert up.status_code == 201, up.text
    assert up.json()["version"] == 1 and up.headers["ETag"] == '"1"'
    assert up.json()["errors"] >= 1
    findings = c.get(f"{base}/findings", headers=p).json()
    assert any(f["code"] == "TOT-003" and f["severity"] == "error" for f in findings["findings"])
    refused = c.post(f"{base}/submit", headers=p)
    assert refused.status_code == 409 and refused.json()["code"] == "has_errors"

    # The fix is based on version 1.
    fixed = world.upload(preparer, code, SEED, version=1)
    assert fixed.status_code == 201 and fixed.json()["errors"] == 0
    assert c.post(f"{base}/submit", headers=p).json()["state"] == "submitted"
    # While submitted, the preparer cannot change the data (kept as a rejected version).
    frozen = world.upload(preparer, code, SEED, version=2)
    assert frozen.status_code == 409 and frozen.json()["code"] == "not_editable"

    # The reviewer must give a reason to return it.
    assert c.post(f"{base}/return", headers=r).status_code == 422
    back = c.post(f"{base}/return", headers=r, json={"comment": "请补充三公经费的变动原因"})
    assert back.status_code == 200 and back.json()["state"] == "returned"
    assert back.json()["events"][-1]["comment"] == "请补充三公经费的变动原因"

    again = world.upload(preparer, code, REVISED, version=2)
    assert again.status_code == 201 and again.json()["version"] == 4
    assert c.post(f"{base}/submit", headers=p).status_code == 200
    # The preparer cannot approve their own work; the reviewer approves, then publishes.
    assert c.post(f"{base}/approve", headers=p).status_code == 403
    assert c.post(f"{base}/publish", headers=r).status_code == 409  # not approved yet
    assert c.post(f"{base}/approve", headers=r).json()["state"] == "approved"
    pub = c.post(f"{base}/publish", headers=r)
    assert pub.status_code == 200 and pub.json()["published_version"] == 4

    # The public, without signing in.
    listed = c.get("/api/v1/public/published", params={"region": region}).json()
    assert [(x["department"], x["revision"], x["version"]) for x in listed] == [(code, 1, 4)]
    doc = c.get(f"/api/v1/public/{code}/2024/documents/docx")
    assert doc.status_code == 200 and doc.content[:2] == b"PK"
    assert doc.headers["ETag"] == f'"{hashlib.sha256(doc.content).hexdigest()}"'
    md = c.get(f"/api/v1/public/{code}/2024/documents/md")
    assert md.status_code == 200 and "决算" in md.text
    # Not the draft documents, though: those need a sign-in.
    assert c.get(f"{base}/documents/md").status_code == 401

    # A correction after publishing is a new revision that goes through review again.
    rev = world.upload(preparer, code, SEED, version=4)
    assert rev.status_code == 201 and rev.json()["state"] == "draft"
    state = c.get(base, headers=p).json()
    assert state["revision"] == 2 and state["published_version"] == 4
    assert c.get(f"/api/v1/public/{code}/2024").json()[-1]["revision"] == 1
    for step, who in (("submit", p), ("approve", r), ("publish", r)):
        assert c.post(f"{base}/{step}", headers=who).status_code == 200, step
    history = c.get(f"/api/v1/public/{code}/2024").json()
    assert [(h["revision"], h["version"]) for h in history] == [(1, 4), (2, 5)]
    old = c.get(f"/api/v1/public/{code}/2024/documents/md", params={"revision": 1})
    assert old.status_code == 200 and old.content == md.content  # same data, same bytes

    versions = c.get(base, headers=p).json()["versions"]
    assert [v["number"] for v in versions] == [1, 2, 3, 4, 5]
    assert [v["status"] for v in versions] == [
        "accepted",
        "accepted",
        "rejected",
        "accepted",
        "accepted",
    ]
    assert versions[2]["reason"] == "state"


def test_documents_are_built_once(world: World, ctx) -> None:  # type: ignore[no-untyped-def]
    from juesuan.serve.services import library

    code, _ = world.department()
    preparer = world.user("preparer", department=code)
    assert world.upload(preparer, code).status_code == 201
    url = f"/api/v1/departments/{code}/2024/documents/json"
    calls = []
    real = library.render

    def counting(analysis, fmt):  # type: ignore[no-untyped-def]
        calls.append(fmt)
        return real(analysis, fmt)

    import juesuan.serve.services.artifacts as artifacts

    artifacts.render = counting
    try:
        first = world.client.get(url, headers=world.auth(preparer))
        second = world.client.get(url, headers=world.auth(preparer))
        # Another department with the same bytes and profile: the same artifact.
        other, _ = world.department()
        preparer2 = world.user("preparer", department=other)
        world.upload(preparer2, other)
        third = world.client.get(
            f"/api/v1/departments/{other}/2024/documents/json", headers=world.auth(preparer2)
        )
    finally:
        artifacts.render = real
    assert first.status_code == second.status_code == third.status_code == 200
    assert first.content == second.content == third.content
    assert len(calls) <= 1  # built at most once (zero when an earlier test built it)
    assert b'"figures"' in first.content


def test_text_documents_are_sent_compressed_to_who_accepts_it(world: World) -> None:
    code, _ = world.department()
    preparer = world.user("preparer", department=code)
    assert world.upload(preparer, code).status_code == 201
    url = f"/api/v1/departments/{code}/2024/documents/json"
    auth = world.auth(preparer)
    plain = world.client.get(url, headers={**auth, "Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    for accepted in ("gzip", "br, gzip;q=0.5", "*"):
        r = world.client.get(url, headers={**auth, "Accept-Encoding": accepted})
        assert r.headers["content-encoding"] == "gzip", accepted
        assert r.headers["vary"] == "Accept-Encoding"
        assert r.content == plain.content  # the client decoded what the server compressed
        assert int(r.headers["content-length"]) < len(plain.content) / 3
        assert r.headers["etag"] != plain.headers["etag"]
    for refused in ("gzip;q=0", "br", "identity, *;q=0"):
        r = world.client.get(url, headers={**auth, "Accept-Encoding": refused})
        assert "content-encoding" not in r.headers, refused
    xlsx = world.client.get(
        f"/api/v1/departments/{code}/2024/documents/xlsx",
        headers={**auth, "Accept-Encoding": "gzip"},
    )
    assert xlsx.status_code == 200 and "content-encoding" not in xlsx.headers  # a zip already


def test_unknown_step_and_department(world: World) -> None:
    code, _ = world.department()
    preparer = world.user("preparer", department=code)
    c, p = world.client, world.auth(preparer)
    assert c.post(f"/api/v1/departments/{code}/2024/explode", headers=p).status_code == 404
    assert (
        c.post(f"/api/v1/departments/{code}/2024/submit", headers=p).json()["code"] == "no_dataset"
    )
    missing = c.get("/api/v1/departments/nope/2024/dataset", headers=world.admin())
    assert missing.status_code == 404 and missing.json()["message"].startswith("没有编码")
    assert c.get(f"/api/v1/departments/{code}/1800/dataset", headers=p).status_code == 422
    assert c.get(f"/api/v1/departments/{code}/abc/dataset", headers=p).status_code == 422


def test_inbox_lists_state_and_counts(world: World) -> None:
    code, region = world.department()
    preparer = world.user("preparer", department=code)
    reviewer = world.user("reviewer", region=region)
    world.upload(preparer, code, BROKEN)
    inbox = world.client.get(
        "/api/v1/disclosures", params={"year": 2024}, headers=world.auth(reviewer)
    )
    rows = inbox.json()
    assert [(r["department"], r["state"], r["current_version"]) for r in rows] == [
        (code, "draft", 1)
    ]
    assert rows[0]["errors"] >= 1 and rows[0]["state_label"] == "草稿"
    detail = world.client.get(
        f"/api/v1/departments/{code}/2024", headers=world.auth(reviewer)
    ).json()
    assert detail["errors"] == rows[0]["errors"] and detail["updated_at"]

"""``POST /api/v1/check``: published documents checked, findings stored with the file."""

from __future__ import annotations

import io

import pikepdf
from tests.serve.conftest import World


def test_check_a_text_document(world: World) -> None:
    from juesuan import pipeline

    analysis, _ = pipeline.validate(pipeline.sample_path("seed"))
    html = pipeline.render(analysis, "html", pipeline.narrative(analysis), {})
    code, _ = world.department()
    token = world.user("preparer", department=code)
    r = world.client.post(
        "/api/v1/check", params={"filename": "公开.html"}, content=html, headers=world.auth(token)
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["kind"] == "html" and body["filename"] == "公开.html"
    assert body["report"]["tables"]  # the standard tables were recovered from the text
    stored = world.client.get(f"/api/v1/check/{body['id']}", headers=world.auth(token)).json()
    assert stored["report"] == body["report"] and stored["sha256"] == body["sha256"]


def test_pdf_page_limit_and_types(world: World, ctx) -> None:  # type: ignore[no-untyped-def]
    pdf = pikepdf.new()
    for _ in range(ctx.settings.limits.pdf_pages + 1):
        pdf.add_blank_page()
    buf = io.BytesIO()
    pdf.save(buf)
    r = world.client.post("/api/v1/check", content=buf.getvalue(), headers=world.admin())
    assert r.status_code == 422 and r.json()["code"] == "too_many_pages"
    r = world.client.post("/api/v1/check", content=b"%PDF-1.4 broken", headers=world.admin())
    assert r.status_code == 422 and r.json()["code"] == "bad_pdf"
    r = world.client.post("/api/v1/check", content=b"\x00\x00binary", headers=world.admin())
    assert r.status_code == 415
    assert world.client.post("/api/v1/check", content=b"text").status_code == 401

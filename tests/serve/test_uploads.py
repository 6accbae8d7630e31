"""Hostile uploads: size, type, zip and XML bombs, YAML aliases, paths in data."""

from __future__ import annotations

import io
import zipfile

import pytest
from tests.serve.conftest import SEED, World

from juesuan.serve.config import Limits
from juesuan.serve.errors import Invalid
from juesuan.serve.uploads import Refused, guard_yaml, guard_zip, sniff


@pytest.fixture(scope="module")
def workbook() -> bytes:
    from juesuan.excel.workbook import workbook_bytes
    from juesuan.pipeline import load, sample_path

    ds, _ = load(sample_path("seed"))
    return workbook_bytes(ds)


def _rezip(
    data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, (replace or {}).get(info.filename, src.read(info)))
        for name, payload in (add or {}).items():
            z.writestr(name, payload)
    return out.getvalue()


@pytest.fixture
def preparer(world: World) -> tuple[str, str]:
    code, _ = world.department()
    return code, world.user("preparer", department=code)


def _rejected(
    world: World, code: str, token: str, data: bytes, status: int, error: str, **kw
) -> dict:  # type: ignore[no-untyped-def]
    r = world.upload(token, code, data, **kw)
    assert r.status_code == status, r.text
    body = r.json()
    assert body["code"] == error and body["message"] and "Traceback" not in r.text
    # Kept as a rejected version with its finding.
    number = body["details"]["version"]
    meta = world.client.get(
        f"/api/v1/departments/{code}/2024/dataset",
        params={"version": number},
        headers=world.auth(token),
    ).json()
    assert meta["status"] == "rejected" and meta["reason"] == "invalid"
    return body


def test_too_large_is_413_and_not_stored(world: World, preparer) -> None:  # type: ignore[no-untyped-def]
    code, token = preparer
    big = b"#" * (Limits().dataset_bytes + 1)
    r = world.upload(token, code, big)
    assert r.status_code == 413 and r.json()["code"] == "too_large"
    assert (
        world.client.get(f"/api/v1/departments/{code}/2024", headers=world.auth(token)).status_code
        == 404
    )


def test_type_comes_from_content(world: World, preparer, workbook) -> None:  # type: ignore[no-untyped-def]
    code, token = preparer
    _rejected(world, code, token, b"\x00\x01\x02binary" * 10, 415, "unsupported_type")
    # A workbook declared as YAML, a YAML declared as a workbook: refused.
    _rejected(world, code, token, workbook, 415, "type_mismatch", content_type="text/yaml")
    _rejected(
        world,
        code,
        token,
        SEED,
        415,
        "type_mismatch",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    # A PDF named .xlsx is still a PDF.
    _rejected(world, code, token, b"%PDF-1.7\n...", 415, "unsupported_type")


def test_zip_bomb_and_xml_entities(world: World, preparer, workbook) -> None:  # type: ignore[no-untyped-def]
    code, token = preparer
    bomb = _rezip(workbook, add={"xl/media/zeros.bin": b"\0" * (8 * 1024 * 1024)})
    body = _rejected(world, code, token, bomb, 422, "zip_bomb")
    assert "压缩" in body["message"]
    entity = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
    name = "xl/workbook.xml"
    xml = zipfile.ZipFile(io.BytesIO(workbook)).read(name)
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    xxe = _rezip(workbook, replace={name: entity + body})
    assert "实体" in _rejected(world, code, token, xxe, 422, "xml_entity")["message"]
    _rejected(world, code, token, b"PK\x03\x04 not really a zip", 415, "unsupported_type")


def test_zip_limits() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for i in range(5):
            z.writestr(f"f{i}.txt", b"x" * 100)
    data = out.getvalue()
    guard_zip(data, Limits())
    with pytest.raises(Refused) as many:
        guard_zip(data, Limits(zip_entries=4))
    assert many.value.status == Invalid.status
    with pytest.raises(Refused):
        guard_zip(data, Limits(zip_total_bytes=400))


def test_yaml_alias_bomb(world: World, preparer) -> None:  # type: ignore[no-untyped-def]
    code, token = preparer
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 30)}]")
    body = _rejected(world, code, token, "\n".join(lines).encode(), 422, "yaml_bomb")
    assert "别名" in body["message"]


def test_unreadable_data_is_kept_with_findings(world: World, preparer) -> None:  # type: ignore[no-untyped-def]
    code, token = preparer
    body = _rejected(world, code, token, b"juesuan: 1\nincome: [unclosed\n", 422, "unreadable")
    findings = body["details"]["findings"]
    assert findings and findings[0]["severity"] == "error"
    assert all("juesuan-upload" not in str(f) for f in findings)  # no server path leaks
    _rejected(world, code, token, "年度: 2024\n".encode("gb18030"), 415, "unsupported_type")


def test_data_cannot_make_the_server_read_files(world: World, preparer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, token = preparer
    secret = tmp_path / "secret.yaml"
    secret.write_text("juesuan: 1\n", encoding="utf-8")
    data = SEED.replace(b"prior_year:\n", f"prior_year:\n  file: {secret}\n".encode(), 1)
    assert data != SEED
    r = world.upload(token, code, data)
    assert r.status_code == 201
    codes = {f["code"] for f in r.json()["findings"]}
    assert "SRV-001" in codes and "LOAD-022" not in codes


def test_sniff() -> None:
    assert sniff(b"%PDF-1.4") == "pdf"
    assert sniff("部门：测试\n".encode()) == "text"
    assert sniff(b"<!DOCTYPE html><html></html>") == "html"
    assert sniff(b"\x89PNG\r\n\x1a\n\0\0") is None


def test_empty_body(world: World, preparer) -> None:  # type: ignore[no-untyped-def]
    code, token = preparer
    r = world.upload(token, code, b"")
    assert r.status_code == 400 and r.json()["code"] == "empty_body"


def test_yaml_alias_limit_counts_only_aliases() -> None:
    """Text with few "*" is not scanned; with many, only real aliases count."""
    limits = Limits(yaml_aliases=3)
    aliases = "a: &a [1]\n" + "".join(f"k{i}: *a\n" for i in range(3))
    guard_yaml(aliases.encode(), limits)
    with pytest.raises(Refused) as refused:
        guard_yaml((aliases + "k9: *a\n").encode(), limits)
    assert refused.value.code == "yaml_bomb"
    guard_yaml("说明: '*** 重点 ***'\n备注: \"**\"\n".encode(), limits)  # stars, no aliases


def test_validation_runs_the_library_once_per_content(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """POST /validate: the same bytes are answered from the cache (on the event loop) with
    the same findings; a refused file is refused again; new bytes run the library."""
    import secrets

    from juesuan.serve.services import datasets

    runs = []
    real = datasets.load_bytes

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(datasets, "load_bytes", counting)
    headers = world.admin()
    data = SEED + f"\n# {secrets.token_hex(6)}\n".encode()
    first = world.client.post("/api/v1/validate", content=data, headers=headers)
    second = world.client.post("/api/v1/validate", content=data, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() and first.json()["loaded"] is True
    assert runs == ["yaml"]
    for _ in range(2):
        r = world.client.post("/api/v1/validate", content=b"%PDF-1.4 x", headers=headers)
        assert r.status_code == 415 and r.json()["code"] == "unsupported_type"
    other = data + b"# another\n"
    assert world.client.post("/api/v1/validate", content=other, headers=headers).status_code == 200
    assert runs == ["yaml", "yaml"]

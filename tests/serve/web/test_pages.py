"""The pages without a browser: sessions, CSRF, CSP, escaping, error pages, formatting."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.serve.conftest import PASSWORD, SEED, unique

from juesuan.serve.services import organisation
from juesuan.serve.web import format as fmt

TEMPLATES = Path(__file__).parents[3] / "src" / "juesuan" / "serve" / "web" / "templates"
CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


@pytest.fixture
def browser_client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """A client with its own cookie jar (a browser), not following redirects."""
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as c:
        yield c


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> None:
    page = client.get("/login")
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    r = client.post("/login", data={"csrf": token, "username": name, "password": password})
    assert r.status_code == 303, r.text


def token_of(client: TestClient, path: str) -> str:
    return CSRF.search(client.get(path).text).group(1)  # type: ignore[union-attr]


@pytest.fixture
def preparer(world, ctx):  # type: ignore[no-untyped-def]
    code, region = world.department()
    name = unique("prep")
    organisation.create_user(ctx, None, name, "preparer", PASSWORD, department=code)
    return name, code, region


def test_cookies_are_httponly_and_samesite_and_pages_have_a_csp(
    browser_client: TestClient, preparer
) -> None:  # type: ignore[no-untyped-def]
    page = browser_client.get("/login")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    csrf_cookie = page.headers["set-cookie"]
    assert "juesuan_csrf=" in csrf_cookie and "HttpOnly" in csrf_cookie
    assert "SameSite=strict" in csrf_cookie
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    r = browser_client.post(
        "/login", data={"csrf": token, "username": preparer[0], "password": PASSWORD}
    )
    session = r.headers["set-cookie"]
    assert "juesuan_session=" in session and "HttpOnly" in session and "SameSite=lax" in session
    home = browser_client.get(f"/dept/{preparer[1]}")
    assert home.status_code == 200
    assert "填报人" in home.text and f"测试部门{preparer[1]}" in home.text


def test_every_form_needs_its_csrf_token(browser_client: TestClient, preparer) -> None:  # type: ignore[no-untyped-def]
    browser_client.get("/login")
    r = browser_client.post("/login", data={"username": preparer[0], "password": PASSWORD})
    assert (
        r.status_code == 403
        and "表单已失效" in r.text
        and "juesuan_session" not in str(r.headers.get("set-cookie"))
    )
    sign_in(browser_client, preparer[0])
    # A token of another browser (or of the signed-out page) is refused too.
    for path, data in (
        ("/logout", {"csrf": "0" * 64}),
        (f"/dept/{preparer[1]}/2024/step/submit", {"csrf": "nope"}),
        (f"/dept/{preparer[1]}/upload", {"year": "2024"}),
        ("/admin/departments", {}),
        ("/review/approve", {}),
    ):
        r = browser_client.post(path, data=data)
        assert r.status_code == 403, path
        assert "<h1>403" in r.text
    # With the page's token the form works.
    good = token_of(browser_client, f"/dept/{preparer[1]}")
    r = browser_client.post(
        f"/dept/{preparer[1]}/upload",
        data={"csrf": good, "year": "2024"},
        files={"file": ("seed-2024.yaml", SEED, "application/x-yaml")},
    )
    assert r.status_code == 303 and "done=uploaded" in r.headers["location"]


def test_form_errors_show_next_to_the_field(browser_client: TestClient, preparer) -> None:  # type: ignore[no-untyped-def]
    sign_in(browser_client, preparer[0])
    token = token_of(browser_client, f"/dept/{preparer[1]}")
    r = browser_client.post(f"/dept/{preparer[1]}/upload", data={"csrf": token, "year": "20x4"})
    assert r.status_code == 422
    assert 'id="year-error">请填写年度' in r.text and 'id="file-error">请选择' in r.text


def test_not_signed_in_goes_to_login_and_next_stays_on_site(
    browser_client: TestClient, preparer
) -> None:  # type: ignore[no-untyped-def]
    r = browser_client.get(f"/dept/{preparer[1]}/2024?severity=error")
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=/dept/")
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        token = token_of(browser_client, "/login")  # bound to the session: new after sign-in
        r = browser_client.post(
            "/login",
            data={"csrf": token, "username": preparer[0], "password": PASSWORD, "next": evil},
        )
        assert r.headers["location"] == "/", evil


def test_wrong_password_is_a_chinese_message_not_a_trace(
    browser_client: TestClient, preparer
) -> None:  # type: ignore[no-untyped-def]
    token = token_of(browser_client, "/login")
    r = browser_client.post(
        "/login", data={"csrf": token, "username": preparer[0], "password": "wrong-password"}
    )
    assert r.status_code == 401 and "用户名或密码不正确" in r.text
    assert "Traceback" not in r.text


def test_other_department_is_403_and_unknown_page_404_in_chinese(
    browser_client: TestClient, preparer, world
) -> None:  # type: ignore[no-untyped-def]
    other, _ = world.department()
    sign_in(browser_client, preparer[0])
    for path in (f"/dept/{other}", f"/dept/{other}/2024", f"/dept/{other}/template.xlsx"):
        r = browser_client.get(path)
        assert r.status_code == 403 and "无权访问" in r.text, path
        assert r.headers["content-type"].startswith("text/html")
    r = browser_client.get("/review")
    assert r.status_code == 403
    r = browser_client.get("/admin/audit")
    assert r.status_code == 403
    r = browser_client.get("/no/such/page")
    assert r.status_code == 404 and "页面不存在" in r.text


def test_api_errors_stay_json(browser_client: TestClient) -> None:
    r = browser_client.get("/api/v1/no-such-endpoint")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = browser_client.get("/api/v1/departments")
    assert r.status_code == 401 and r.json()["message"]


def test_user_text_is_escaped(browser_client: TestClient, world, ctx) -> None:  # type: ignore[no-untyped-def]
    admin = unique("adm")
    organisation.create_user(ctx, None, admin, "admin", PASSWORD)
    sign_in(browser_client, admin)
    token = token_of(browser_client, "/admin")
    code = unique("x")
    r = browser_client.post(
        "/admin/departments",
        data={
            "csrf": token,
            "code": code,
            "name": "<script>alert(1)</script>局",
            "region": '"><b>区',
            "profile": "sichuan-2024",
        },
    )
    assert r.status_code == 303
    page = browser_client.get("/admin").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;局" in page
    assert '"><b>区' not in page


def test_templates_have_no_inline_script_or_handler() -> None:
    for path in TEMPLATES.glob("*.html"):
        html = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, path.name
        assert not re.search(r"\son[a-z]+\s*=", html), path.name
        assert not re.search(r"\sstyle\s*=", html), path.name


def test_amounts_and_places_are_formatted_for_finance_officers() -> None:
    assert fmt.money("1234567.5") == "1,234,567.50"
    assert fmt.money("-0.005") == "-0.01" or fmt.money("-0.005") == "-0.00"
    assert fmt.money(None) == "" and fmt.money("abc") == ""
    assert fmt.percent("12.2") == "+12.20%" and fmt.percent("-3") == "-3.00%"
    assert fmt.where({"sheet": "收入决算表", "cell": "D7"}) == "收入决算表!D7"
    assert fmt.where({"file": "a.yaml", "line": 12}) == "第12行"
    assert fmt.where({"page": 21, "table": "情况说明"}) == "第21页；表「情况说明」"
    assert str(fmt.highlight("共<0.3>万元", "0.3")) == "共&lt;<mark>0.3</mark>&gt;万元"


def test_preview_figures_carry_formula_inputs_and_workbook_cells(
    browser_client: TestClient, preparer
) -> None:  # type: ignore[no-untyped-def]
    from juesuan import pipeline
    from juesuan.excel.workbook import workbook_bytes

    ds, _ = pipeline.load(pipeline.sample_path("seed"))
    sign_in(browser_client, preparer[0])
    token = token_of(browser_client, f"/dept/{preparer[1]}")
    r = browser_client.post(
        f"/dept/{preparer[1]}/upload",
        data={"csrf": token, "year": "2024"},
        files={"file": ("seed.xlsx", workbook_bytes(ds), "application/octet-stream")},
    )
    assert r.status_code == 303 and "done=uploaded" in r.headers["location"]
    figures = browser_client.get(f"/dept/{preparer[1]}/2024/figures").json()
    total = figures["income.grand_total"]
    assert total["value"] == "253.87" and total["formula"] == "求和" and total["inputs"]
    typed = [f["source"] for f in figures.values() if f["formula"] == "填报数" and f["source"]]
    cells = [s for s in typed if re.fullmatch(r".+![A-Z]+\d+", s)]
    assert len(cells) > len(typed) // 2  # typed amounts point at their sheet and cell
    assert "一般公共预算财政拨款支出决算表!G6" in cells
    assert not any("/tmp" in s or "juesuan-upload" in s for s in typed)


def test_an_upload_overtaken_by_another_is_refused_and_kept(
    browser_client: TestClient, preparer
) -> None:  # type: ignore[no-untyped-def]
    """Two preparers open the page on the same version; the second save is refused, not lost."""
    sign_in(browser_client, preparer[0])
    token = token_of(browser_client, f"/dept/{preparer[1]}")
    first = browser_client.post(
        f"/dept/{preparer[1]}/upload",
        data={"csrf": token, "year": "2024"},
        files={"file": ("seed-2024.yaml", SEED, "application/x-yaml")},
    )
    assert first.status_code == 303 and "done=uploaded" in first.headers["location"]
    page = browser_client.get(f"/dept/{preparer[1]}").text
    base = re.search(r'name="based_on" value="(\d+)"', page)
    assert base is not None and 'name="based_on_year" value="2024"' in page
    form = {"csrf": token, "year": "2024", "based_on": base.group(1), "based_on_year": "2024"}
    upload = {"file": ("seed-2024.yaml", SEED + b"\n# edit\n", "application/x-yaml")}
    ours = browser_client.post(f"/dept/{preparer[1]}/upload", data=form, files=upload)
    assert ours.status_code == 303 and "done=uploaded" in ours.headers["location"]
    theirs = browser_client.post(f"/dept/{preparer[1]}/upload", data=form, files=upload)
    assert theirs.status_code == 303 and "done=rejected" in theirs.headers["location"]


def test_signing_out_revokes_the_session_cookie(browser_client: TestClient, preparer) -> None:  # type: ignore[no-untyped-def]
    sign_in(browser_client, preparer[0])
    stolen = browser_client.cookies.get("juesuan_session")
    assert browser_client.get(f"/dept/{preparer[1]}").status_code == 200
    token = token_of(browser_client, f"/dept/{preparer[1]}")
    assert browser_client.post("/logout", data={"csrf": token}).status_code == 303
    # The old cookie, replayed (as a copy kept by someone else would be), is refused.
    browser_client.cookies.set("juesuan_session", stolen)
    again = browser_client.get(f"/dept/{preparer[1]}")
    assert again.status_code == 303 and again.headers["location"].startswith("/login")
    api = browser_client.get("/api/v1/me", headers={"Authorization": f"Bearer {stolen}"})
    assert api.status_code == 401


def test_deadlines_on_admin_department_and_review_pages(
    browser_client: TestClient, world, ctx, preparer
) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from juesuan.serve.services.deadlines import today

    name, code, region = preparer
    world.upload(world.login(name), code)
    admin = unique("adm")
    organisation.create_user(ctx, None, admin, "admin", PASSWORD)
    sign_in(browser_client, admin)
    token = token_of(browser_client, "/admin")
    bad = browser_client.post(
        "/admin/deadlines", data={"csrf": token, "region": region, "year": "2024", "due": "9月"}
    )
    assert bad.status_code == 422
    assert re.search(r'id="dl-due"[^>]*>\s*<span class="field-error">截止日期应为', bad.text)
    due = today() + timedelta(days=5)
    year = due.year - 1
    r = browser_client.post(
        "/admin/deadlines",
        data={"csrf": token, "region": region, "year": str(year), "due": due.isoformat()},
    )
    assert r.status_code == 303 and r.headers["location"] == "/admin?done=deadline"
    assert "还剩 5 天" in browser_client.get("/admin").text
    world.upload(world.login(name), code, year=year)
    home = browser_client.get(f"/dept/{code}")
    assert due.isoformat() in home.text and "还剩 5 天" in home.text
    inbox = browser_client.get("/review", params={"year": year})
    assert "还剩 5 天" in inbox.text

"""The whole workflow in a real browser (Chromium via Playwright) against a real server."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from tests.serve.web.conftest import Server, new_context, shot

DEPT, OTHER, YEAR = "anju-jxb", "putuo-czj", 2024
GOLDEN = Path(__file__).parents[2] / "golden"


def _workbooks(tmp: Path) -> tuple[Path, Path]:
    """The seed dataset as a fill-in workbook, and the same with a planted error: the
    amount 66.33 in 收入决算表!D7 typed as Chinese words."""
    from juesuan import pipeline
    from juesuan.excel.workbook import workbook_bytes

    ds, _ = pipeline.load(pipeline.sample_path("seed"))
    assert ds is not None
    good = tmp / "seed-2024.xlsx"
    good.write_bytes(workbook_bytes(ds))
    wb = openpyxl.load_workbook(good)
    assert wb["收入决算表"]["D7"].value is not None
    wb["收入决算表"]["D7"] = "六十六"
    bad = tmp / "seed-2024-planted.xlsx"
    wb.save(bad)
    return good, bad


@pytest.fixture
def context(browser):  # type: ignore[no-untyped-def]
    ctx = new_context(browser)
    yield ctx
    ctx.close()


def sign_in(ctx, server: Server, name: str):  # type: ignore[no-untyped-def]
    page = ctx.new_page()
    page.goto(server.url + "/login")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(server.passwords[name])
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return page


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/login**")


def test_full_workflow(server: Server, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good, bad = _workbooks(tmp_path)
    ctx = new_context(browser)

    # The preparer signs in and lands on the department home with role and department shown.
    page = sign_in(ctx, server, "preparer")
    assert page.url.endswith(f"/dept/{DEPT}")
    who = page.get_by_test_id("who")
    assert "填报人" in who.inner_text() and "安居区委目标绩效管理办公室" in who.inner_text()
    shot(page, "01-department-home")

    # Uploads the workbook with the planted error and sees the finding at its sheet and cell.
    page.get_by_label("年度").fill(str(YEAR))
    page.locator("#file").set_input_files(str(bad))
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url(f"**/dept/{DEPT}/{YEAR}?version=*")
    table = page.get_by_test_id("findings")
    row = table.locator("tr", has_text="收入决算表!D7")
    assert row.count() == 1
    assert "错误" in row.inner_text() and "XLS-030" in row.inner_text()
    assert row.get_by_role("link", name="XLS-030").get_attribute("href") == "/rules#XLS-030"
    shot(page, "02-findings-planted-error")
    # Filtering by severity keeps only the errors.
    page.get_by_role("link", name="错误 1").click()
    assert page.get_by_test_id("findings").locator("tbody tr").count() == 1

    # Fixes it (uploads the correct workbook) and submits.
    page.goto(f"{server.url}/dept/{DEPT}")
    page.get_by_label("年度").fill(str(YEAR))
    page.locator("#file").set_input_files(str(good))
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url(f"**/dept/{DEPT}/{YEAR}?version=*")
    assert "已上传" in page.locator(".notice").inner_text()
    assert page.get_by_test_id("findings").locator(".sev-error").count() == 0

    # The preview: the document, its charts, and a figure's formula, inputs and source.
    page.goto(f"{server.url}/dept/{DEPT}/{YEAR}/preview")
    page.locator("iframe[data-preview][data-ready]").wait_for()
    frame = page.frame_locator("iframe[data-preview]")
    assert frame.locator("figure[data-chart] img").count() == 7
    frame.locator('.fig[data-fig="income.grand_total.change"]').first.hover()
    panel = page.locator("[data-figure-panel]")
    panel.get_by_text("计算方式").wait_for()
    assert "income.grand_total.change" in panel.inner_text()
    assert "income.grand_total" in panel.locator("ul").inner_text()
    panel.get_by_role("link", name="income.grand_total", exact=True).click()
    shot(page, "03-preview")
    page.goto(f"{server.url}/dept/{DEPT}/{YEAR}/compare")
    shot(page, "04-compare")
    assert page.get_by_test_id("changed").count() == 1 or "完全相同" in page.content()

    page.goto(f"{server.url}/dept/{DEPT}/{YEAR}")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_url("**done=submit")
    assert page.get_by_test_id("state").inner_text() == "已提交"
    sign_out(page)

    # The reviewer finds it in the inbox and returns it with a comment.
    page = sign_in(ctx, server, "reviewer")
    assert page.url.endswith("/review")
    assert "审核人" in page.get_by_test_id("who").inner_text()
    inbox = page.get_by_test_id("inbox")
    row = inbox.locator("tr", has_text=DEPT)
    assert "已提交" in row.inner_text() and "253.87" in row.inner_text()
    shot(page, "05-review-inbox")
    row.get_by_role("link", name="问题与审核").click()
    page.get_by_role("button", name="退回修改").click()  # without a comment: refused
    assert "退回时必须填写意见" in page.locator(".field-error").inner_text()
    page.get_by_label("退回意见（必填）").fill("请补充<script>alert(1)</script>三公经费变动原因")
    page.get_by_role("button", name="退回修改").click()
    page.wait_for_url("**/review?done=return")
    sign_out(page)

    # The preparer reads the comment (as text) and resubmits.
    page = sign_in(ctx, server, "preparer")
    comment = page.locator("blockquote.comment").first
    assert "<script>alert(1)</script>" in comment.inner_text()
    page.goto(f"{server.url}/dept/{DEPT}/{YEAR}")
    assert page.get_by_test_id("state").inner_text() == "已退回"
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_url("**done=submit")
    sign_out(page)

    # The reviewer approves in bulk (only datasets without errors), then publishes.
    page = sign_in(ctx, server, "reviewer")
    page.get_by_label("全选可批量通过的").check()
    page.get_by_role("button", name="批量审核通过（仅无错误的已提交部门）").click()
    page.wait_for_url("**/review?done=bulk*")
    assert "通过 1 个" in page.content()
    page.goto(f"{server.url}/dept/{DEPT}/{YEAR}")
    assert page.get_by_test_id("state").inner_text() == "已审核"
    page.get_by_role("button", name="公开").click()
    page.wait_for_url("**done=publish")
    assert page.get_by_test_id("state").inner_text() == "已公开"
    sign_out(page)
    ctx.close()

    # An anonymous visitor downloads the DOCX from the public page.
    anon = new_context(browser)
    page = anon.new_page()
    page.goto(server.url + "/public")
    assert "访客" in page.get_by_test_id("who").inner_text()
    page.get_by_role("link", name="中共遂宁市安居区委目标绩效管理办公室").click()
    shot(page, "06-public")
    assert "首次公开" in page.get_by_test_id("history").inner_text()
    with page.expect_download() as info:
        page.get_by_test_id("history").locator('a[data-format="docx"]').first.click()
    data = Path(info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "word/document.xml" in z.namelist()
        assert "安居区委目标绩效管理办公室" in z.read("word/document.xml").decode("utf-8")
    anon.close()


def test_preparer_gets_403_for_another_department(server: Server, context) -> None:  # type: ignore[no-untyped-def]
    page = sign_in(context, server, "preparer")
    for path in (f"/dept/{OTHER}", f"/dept/{OTHER}/{YEAR}", f"/dept/{OTHER}/{YEAR}/preview"):
        response = page.goto(server.url + path)
        assert response is not None and response.status == 403
        assert "无权" in page.locator("h1").inner_text()
    shot(page, "07-forbidden")
    response = page.goto(server.url + "/no-such-page")
    assert response is not None and response.status == 404
    assert "页面不存在" in page.locator("h1").inner_text()


def test_check_page_on_putuo_reference_pdf(server: Server, context) -> None:  # type: ignore[no-untyped-def]
    page = sign_in(context, server, "reviewer")
    page.goto(server.url + "/check")
    page.locator("#file").set_input_files(str(GOLDEN / "putuo-2024.pdf"))
    page.get_by_role("button", name="开始检查").click()
    page.wait_for_url("**/check/*")
    text = page.locator("main").inner_text()
    # Known findings of the reference file: the 0.3 万元 total on page 21 and a share problem.
    page21 = page.locator('section[data-page="21"]')
    assert "TOT-002" in page21.inner_text() and "0.3" in page21.locator("mark").first.inner_text()
    assert "CHK-101" in text
    assert "第10页" in text
    shot(page, "08-check-putuo")


def test_admin_pages(server: Server, context) -> None:  # type: ignore[no-untyped-def]
    page = sign_in(context, server, "admin")
    assert page.url.endswith("/admin")
    assert "管理员" in page.get_by_test_id("who").inner_text()
    # A department whose name is markup shows as text; an invalid code is refused by the field.
    page.get_by_label("部门编码").fill("bad code!")
    page.get_by_label("部门名称").fill("测试部门")
    page.get_by_label("所属地区").fill("遂宁市安居区")
    page.get_by_role("button", name="建立部门").click()
    assert "部门编码只能由" in page.locator(".field-error").inner_text()
    page.get_by_label("部门编码").fill("xss-dept")
    page.get_by_label("部门名称").fill("<img src=x onerror=alert(1)>局")
    page.get_by_role("button", name="建立部门").click()
    page.wait_for_url("**/admin?done=department")
    assert "<img src=x onerror=alert(1)>局" in page.get_by_test_id("departments").inner_text()
    shot(page, "09-admin")
    page.goto(server.url + "/admin/audit")
    page.get_by_label("操作").select_option(label="提交审核")
    page.get_by_role("button", name="筛选").click()
    assert page.get_by_test_id("audit").locator("tbody tr", has_text="提交审核").count() == 2
    shot(page, "10-audit")
    with page.expect_download() as info:
        page.get_by_role("link", name="导出 CSV").click()
    csv_text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert csv_text.startswith("编号,时间,用户")
    page.goto(server.url + "/admin/audit?since=yesterday")
    assert "日期格式应为" in page.locator(".field-error").inner_text()


def test_sign_out_revokes_the_session_in_the_browser(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    first = new_context(browser)
    page = sign_in(first, server, "preparer")
    page.goto(server.url + f"/dept/{DEPT}")
    assert "填报人" in page.get_by_test_id("who").inner_text()
    kept = first.cookies()  # what a copied cookie (another tab, a stolen copy) would carry
    sign_out(page)
    first.close()
    replay = new_context(browser)
    replay.add_cookies(kept)
    again = replay.new_page()
    again.goto(server.url + f"/dept/{DEPT}")
    assert "/login" in again.url  # the server refused the old session: sign in again
    replay.close()


def test_admin_sets_a_deadline_the_preparer_sees(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from juesuan.serve.services.deadlines import today

    due = today() + timedelta(days=12)
    admin_ctx = new_context(browser)
    page = sign_in(admin_ctx, server, "admin")
    page.goto(server.url + "/admin")
    page.get_by_label("地区", exact=True).select_option(index=1)
    page.get_by_label("年度").fill(str(due.year - 1))
    page.get_by_label("截止日期").fill(due.isoformat())
    page.get_by_role("button", name="保存截止日期").click()
    page.wait_for_url("**/admin?done=deadline")
    assert "还剩 12 天" in page.get_by_test_id("deadlines").inner_text()
    admin_ctx.close()

"""The marketplace and the account pages in a real browser against the real server: a tenant
admin installs the referrals module and watches the job's progress arrive live from a real
Celery worker; the app then shows on a doctor's workbench; a password change with a wrong
current password shows the server's reason on the field."""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in, screenshot
from tests.factories import PASSWORD, build_province
from tests.workers import celery_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def province(unique):
    return build_province(unique(""))


def _watch_job_frames(page):
    """Records the page's subscribe frames and the jobProgress events it receives."""
    page.job_subscribed = False
    page.progress_frames = []

    def on_socket(ws):
        def sent(payload):
            if '"subscribe"' in str(payload) and '"taskId"' in str(payload):
                page.job_subscribed = True

        def received(payload):
            if '"jobProgress"' in str(payload):
                page.progress_frames.append(json.loads(payload)["payload"]["data"]["jobProgress"])

        ws.on("framesent", sent)
        ws.on("framereceived", received)

    page.on("websocket", on_socket)


def test_install_an_app_and_watch_its_progress_live(site, province, new_page, job_queue):
    admin, doctor = province.users["tenant_admin"], province.users["doctor"]
    # given the tenant admin's marketplace, with referrals not yet installed in this community
    page = new_page()
    _watch_job_frames(page)
    sign_in(page, site, admin.username, PASSWORD)
    page.get_by_role("menuitem", name="应用市场").click()
    card = page.get_by_test_id("market-app").and_(page.locator("[data-app=referrals]"))
    card.wait_for()
    expect(card.get_by_test_id("install-state")).not_to_contain_text("已安装")
    # the search finds it by its Chinese name
    page.get_by_test_id("app-search").locator("input").fill("转诊")
    page.get_by_test_id("app-search").locator("input").press("Enter")
    expect(page.get_by_test_id("market-app")).to_have_count(1)
    expect(card).to_be_visible()

    # when they install it: the job is queued and the page subscribes to its progress
    card.get_by_test_id("install").click()
    progress = card.get_by_test_id("job-progress")
    progress.wait_for()
    expect(card.get_by_test_id("job-message")).to_have_text("已排队，等待后台执行…")
    screenshot(page, "marketplace-job")
    deadline = time.monotonic() + 10
    while not page.job_subscribed:
        assert time.monotonic() < deadline, "the page never subscribed to jobProgress"
        page.wait_for_timeout(100)
    page.wait_for_timeout(700)  # the server joins the job's group right after `subscribe`

    # and the worker picks the job up
    with celery_worker(job_queue):
        # then the steps arrive over the socket while it runs, and the card ends installed
        expect(card.get_by_test_id("install-state")).to_contain_text("已安装", timeout=60_000)
    assert page.progress_frames, "no jobProgress event reached the page"
    last = page.progress_frames[-1]
    assert last["done"] == last["total"] and last["message"] == "安装完成", page.progress_frames
    page.get_by_test_id("app-search").locator("input").fill("")
    page.get_by_test_id("app-search").locator("input").press("Enter")
    expect(page.get_by_test_id("market-app").and_(page.locator("[data-app=referrals]")).get_by_test_id("visibility")).to_be_visible()
    screenshot(page, "marketplace")

    # and its visibility can be narrowed to roles
    page.get_by_test_id("market-app").and_(page.locator("[data-app=referrals]")).get_by_test_id("visibility").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_test_id("visibility-roles").click()
    page.locator(".ant-select-item-option").filter(has_text="医生").first.click()
    page.locator(".ant-select-item-option").filter(has_text="医共体/医院管理员").click()
    dialog.locator(".ant-modal-title").click()  # closes the open dropdown, which would cover the button
    expect(page.locator(".ant-select-dropdown:visible")).to_have_count(0)
    dialog.get_by_role("button", name="保存").click()
    page.get_by_text("可见范围已保存").wait_for()
    expect(page.get_by_role("dialog")).to_have_count(0)

    # and the doctor (a role that sees it) finds it on their workbench
    other = new_page()
    sign_in(other, site, doctor.username, PASSWORD)
    other.get_by_test_id("workbench-app").and_(other.locator("[data-app=referrals]")).wait_for()
    screenshot(other, "workbench-apps")
    assert not page.js_errors and not other.js_errors, page.js_errors + other.js_errors


def test_change_password_shows_a_wrong_current_password_on_its_field(site, province, new_page):
    doctor = province.users["doctor"]
    page = new_page()
    sign_in(page, site, doctor.username, PASSWORD)
    page.get_by_test_id("user-menu").hover()
    page.get_by_role("menuitem", name="修改密码").click()
    # The shell's own queries settle first (in CI, once, the first field came up empty on submit).
    page.wait_for_load_state("networkidle")
    page.get_by_label("原密码").fill("not-my-password-1")
    page.get_by_label("新密码", exact=True).fill("Hz-renmin-2026")
    page.get_by_label("再次输入新密码").fill("Hz-renmin-2026")
    expect(page.get_by_label("原密码")).to_have_value("not-my-password-1")
    page.get_by_test_id("change-password").click()
    error = page.locator(".ant-form-item").filter(has=page.get_by_label("原密码")).locator(".ant-form-item-explain-error")
    expect(error).to_have_text("原密码不正确。")
    screenshot(page, "password")
    page.get_by_label("原密码").fill(PASSWORD)
    page.get_by_test_id("change-password").click()
    page.get_by_text("密码已修改").wait_for()
    # the new password signs in
    fresh = new_page()
    sign_in(fresh, site, doctor.username, "Hz-renmin-2026")
    assert not page.js_errors and not fresh.js_errors, page.js_errors + fresh.js_errors

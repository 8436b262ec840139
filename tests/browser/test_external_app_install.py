"""Installing a province-published external app in a real browser: 安装 opens the consent step
in the page (what the app asks for, in words; what the admin cannot grant is greyed out), and
after consenting the admin sees the app's API token once — no background job that fails; and a
job that does fail stays on its card until the admin has read it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jianlian.marketplace import external
from jianlian.marketplace.models import Installation, InstallJob
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, build_province

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def province(unique):
    return build_province(unique(""))


def test_a_county_admin_installs_an_external_app_after_seeing_its_permissions_and_the_token_once(site, province, new_page):
    # given a bed board published by the province, asking to read the hierarchy and to manage tenants
    external.register_external_app(None, province.root, {
        "key": "bed_board", "name": "床位看板", "version": "1.0.0", "category": "clinical",
        "launchUrl": "https://apps.example.cn/bed-board", "permissions": ["platform.view_hierarchy", "platform.manage_tenants"]})
    admin = province.users["tenant_admin"]
    page = new_page()
    sign_in(page, site, admin.username, PASSWORD)
    page.get_by_role("menuitem", name="应用市场").click()
    card = page.get_by_test_id("market-app").and_(page.locator("[data-app=bed_board]"))

    # when the county admin presses 安装 on it
    card.get_by_test_id("install").click()
    # then the page asks for consent, listing what it requests in words
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("安装外部应用「床位看板」")
    permissions = dialog.get_by_test_id("requested-permission")
    expect(permissions).to_have_count(2)
    expect(permissions.nth(0)).to_contain_text("查看组织层级")
    expect(permissions.nth(1)).to_contain_text("管理租户")
    expect(permissions.nth(1)).to_contain_text("您本人没有此权限")  # she cannot grant what she lacks
    expect(permissions.nth(0).locator("input")).to_be_checked()
    expect(permissions.nth(1).locator("input")).to_be_disabled()
    screenshot(page, "market-external-consent")

    # and after consenting the token is shown, once
    dialog.get_by_test_id("consent-install").click()
    token = dialog.get_by_test_id("api-token")
    expect(token).to_contain_text("jla_")
    shown = token.inner_text().strip()
    screenshot(page, "market-external-token")
    dialog.get_by_test_id("token-done").click()
    expect(page.get_by_test_id("api-token")).to_have_count(0)
    expect(card.get_by_test_id("install-state")).to_contain_text("已安装")
    inst = Installation.objects.get(tenant=province.tenant_a, app__key="bed_board")
    assert inst.granted_permissions == ["platform.view_hierarchy"]
    assert shown not in str(list(inst.tokens.values()))  # kept hashed only: never shown again
    assert not InstallJob.objects.filter(tenant=province.tenant_a, app__key="bed_board").exists()
    assert not page.js_errors, page.js_errors


def test_a_failed_install_job_stays_on_its_card_until_it_is_read(site, province, new_page, job_queue):
    from jianlian.marketplace.models import JobStatus

    # given the admin installing an app, its job queued (no worker takes this test's queue)
    page = new_page()
    sign_in(page, site, province.users["tenant_admin"].username, PASSWORD)
    page.get_by_role("menuitem", name="应用市场").click()
    card = page.get_by_test_id("market-app").and_(page.locator("[data-app=referrals]"))
    card.get_by_test_id("install").click()
    card.get_by_test_id("job-progress").wait_for()

    # when the job fails (as the worker records a rolled-back install)
    InstallJob.objects.filter(tenant=province.tenant_a, app__key="referrals").update(
        status=JobStatus.FAILED, error_code="INSTALL_FAILED", error="安装失败，已回滚：数据库迁移出错")
    failed = card.get_by_test_id("job-failed")
    expect(failed).to_contain_text("安装失败，已回滚：数据库迁移出错", timeout=15_000)
    # then it is still there well after the old 4 s, until she dismisses it
    page.wait_for_timeout(6_000)
    expect(failed).to_be_visible()
    card.get_by_test_id("job-dismiss").click()
    expect(failed).to_have_count(0)
    expect(card.get_by_test_id("install")).to_be_visible()
    assert not page.js_errors, page.js_errors

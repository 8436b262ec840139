"""Publishing an external app from the province console in a real browser, with the form rather
than hand-written JSON: an empty submit marks each missing field (and throws nothing in the
console), the server's errors sit under their fields, and in the JSON editor a category outside
the choice names the allowed values."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from jianlian.marketplace.models import App
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_province_marketplace import _choose
from tests.factories import PASSWORD, build_province

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def province(unique):
    return build_province(unique(""))


def _error(form, label):
    item = form.locator(".ant-form-item").filter(has=form.page.get_by_label(label, exact=True))
    return item.locator(".ant-form-item-explain-error")


def test_a_province_admin_publishes_an_external_app_with_the_form(site, province, new_page):
    page = new_page()
    sign_in(page, site, province.users["province_admin"].username, PASSWORD)
    page.get_by_role("menuitem", name="应用市场").click()
    page.get_by_test_id("open-publish").click()
    form = page.get_by_test_id("publish-form")
    dialog = page.get_by_role("dialog")

    # when she empties the form and submits it
    for label in ("应用名称", "应用标识", "版本号", "应用地址"):
        form.get_by_label(label, exact=True).fill("")
    dialog.get_by_role("button", name="发布").click()
    # then each missing field says so under itself, and nothing is thrown in the console
    for label in ("发布单位", "应用名称", "应用标识", "版本号", "应用地址"):
        expect(_error(form, label)).to_have_text("此项必填")
    assert not page.js_errors, page.js_errors

    # when she fills it in with a version that is not x.y.z
    _choose(page, "publisher", province.root.name)
    form.get_by_label("应用名称", exact=True).fill("床位看板")
    form.get_by_label("应用标识", exact=True).fill("bed_board")
    form.get_by_label("版本号", exact=True).fill("1.0")
    form.get_by_label("应用地址", exact=True).fill("https://apps.example.cn/bed-board")
    form.get_by_label("申请的权限", exact=True).fill("platform.view_hierarchy")
    form.get_by_label("申请的权限", exact=True).press("Enter")
    dialog.get_by_role("button", name="发布").click()
    # then the server's error is under the version
    expect(_error(form, "版本号")).to_have_text("格式不正确。")
    screenshot(page, "province-marketplace-publish-form")

    # and in the JSON editor (what she typed carried over) a bad category names the choices
    page.get_by_test_id("publish-mode").get_by_text("JSON（高级）").click()
    doc = json.loads(page.get_by_test_id("manifest").input_value())
    assert (doc["name"], doc["key"], doc["permissions"]) == ("床位看板", "bed_board", ["platform.view_hierarchy"])
    page.get_by_test_id("manifest").fill(json.dumps({**doc, "version": "1.0.0", "category": "surgery"}, ensure_ascii=False))
    dialog.get_by_role("button", name="发布").click()
    expect(dialog).to_contain_text("category：取值不在允许范围内，可选：administrative、clinical、public_health、management。")

    # once fixed in the form it is published
    page.get_by_test_id("publish-mode").get_by_text("表单").click()
    form.get_by_label("分类", exact=True).click()
    page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter(has_text="临床业务").click()
    dialog.get_by_role("button", name="发布").click()
    page.get_by_text("已发布「床位看板」v1.0.0").wait_for()
    app = App.objects.get(key="bed_board")
    assert (app.category, app.permissions, app.launch_url) == ("clinical", ["platform.view_hierarchy"], "https://apps.example.cn/bed-board")
    assert not page.js_errors, page.js_errors

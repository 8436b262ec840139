"""The province console's marketplace in a real browser against the real server: the province
admin publishes an external app from its manifest document (a bad field is named inline, then
fixed), and mandates the referrals module for a city; a real Celery worker installs it, the
mandate's progress reaches 1/1, and the community's admin finds it installed and mandated, and
narrows who sees it to one person picked from the contacts by pinyin initials; and publishing with
the form rather than hand-written JSON: an empty submit marks each missing field (and throws
nothing in the console), the server's errors sit under their fields, and in the JSON editor a
category outside the choice names the allowed values."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from jianlian.marketplace.models import App
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, build_province
from tests.workers import celery_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def province(unique):
    return build_province(unique(""))


def _manifest(**over) -> str:
    doc = {"key": "bed_board", "name": "床位看板", "version": "1.0.0", "category": "clinical",
           "launchUrl": "https://apps.example.cn/bed-board", "description": "全院床位实时看板"}
    doc.update(over)
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _choose(page, testid: str, option: str) -> None:
    select = page.get_by_test_id(testid)
    select.click()
    page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter(has_text=option).click()
    expect(select).to_contain_text(option)  # the choice took (a failure here says so, not a later step)


# Records whether an open select's list ever shows no option (window.__optionsEmptied).
WATCH_EMPTY_LIST = """() => {
  window.__optionsEmptied = false;
  new MutationObserver(() => {
    const list = document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    if (list && !list.querySelector('.ant-select-item-option')) window.__optionsEmptied = true;
  }).observe(document.body, { childList: true, subtree: true, attributes: true });
}"""


def test_publish_an_external_app_and_mandate_an_app_for_a_city(site, province, new_page, job_queue):
    from tenants.context import tenant_context
    from tests.factories import make_department, make_staff

    with tenant_context(province.tenant_a):
        dept = make_department("NK", "内科", unit=province.lead_a)
        zeng = make_staff("曾国强", unit=province.lead_a, department=dept)
    page = new_page()
    sign_in(page, site, province.users["province_admin"].username, PASSWORD)
    page.get_by_role("menuitem", name="应用市场").click()
    catalogue = page.get_by_test_id("console-app")
    expect(catalogue.and_(page.locator("[data-app=referrals]"))).to_contain_text("内置应用")
    page.get_by_text("还没有统一安装要求").wait_for()

    # when the admin publishes a manifest whose version is not x.y.z
    page.get_by_test_id("open-publish").click()
    _choose(page, "publisher", province.root.name)
    page.get_by_test_id("publish-mode").get_by_text("JSON（高级）").click()  # the document, for advanced use
    page.get_by_test_id("manifest").fill(_manifest(version="1.0"))
    page.get_by_role("dialog").get_by_role("button", name="发布").click()
    # then the server's error names the field, inline under the document
    form = page.get_by_test_id("publish-form")
    error = form.locator(".ant-form-item").filter(has=page.get_by_test_id("manifest")).locator(".ant-form-item-explain-error")
    expect(error).to_have_text("version：格式不正确。")
    screenshot(page, "province-marketplace-publish-error")
    # and once fixed it is on the shelf, as an external app of the province
    page.get_by_test_id("manifest").fill(_manifest())
    page.get_by_role("dialog").get_by_role("button", name="发布").click()
    page.get_by_text("已发布「床位看板」v1.0.0").wait_for()
    expect(page.get_by_role("dialog")).to_have_count(0)
    external = catalogue.and_(page.locator("[data-app=bed_board]"))
    expect(external).to_contain_text("外部应用")
    expect(external).to_contain_text(province.root.name)

    # when the admin mandates referrals for 杭州 (one community, 桐庐), finding the unit by typing
    # while the server is slow: the answer for "市卫生" is held until she presses on an option
    held = []
    narrowed = '"search":"市卫生"'

    def hold(route):
        if narrowed in (route.request.post_data or ""):
            held.append(route)
        else:
            route.continue_()

    page.route("**/graphql/**", hold)
    catalogue.and_(page.locator("[data-app=referrals]")).get_by_test_id("open-mandate").click()
    node = page.get_by_test_id("mandate-node")
    node.click()
    node.locator("input").fill("卫生")
    options = page.locator(".ant-select-dropdown:visible .ant-select-item-option")
    hangzhou = options.filter(has_text=province.city_a.name)
    expect(hangzhou).to_be_visible()  # 省, 杭州, 桐庐, 宁波 …: 杭州 on the second row
    page.evaluate(WATCH_EMPTY_LIST)
    with page.expect_request(lambda r: narrowed in (r.post_data or "")):
        node.locator("input").fill("市卫生")  # 杭州, 宁波: 杭州 moves up a row
    # then the list keeps its options while the answer is on its way (never empty), and a click
    # during which the answer arrives is still a choice of what she pressed, shown by its name
    box = hangzhou.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    with page.expect_response(lambda r: narrowed in (r.request.post_data or "")):
        held[0].continue_()
    expect(node.locator(".anticon-loading")).to_have_count(0)  # the answer is in
    page.mouse.up()
    expect(node).to_contain_text(province.city_a.name)
    assert not page.evaluate("window.__optionsEmptied"), "the option list went empty while she typed"
    page.unroute("**/graphql/**", hold)
    page.get_by_role("dialog").get_by_role("button", name="统一安装").click()
    page.get_by_text("已要求统一安装，正在后台安装").wait_for()
    mandate = page.get_by_test_id("mandate").and_(page.locator("[data-app=referrals]"))
    expect(mandate.get_by_test_id("mandate-progress")).to_contain_text("0/1")
    expect(mandate).to_contain_text(province.city_a.name)

    # then a worker installs it, and the page (reading again while it is under way) shows it done
    with celery_worker(job_queue):
        expect(mandate.get_by_test_id("mandate-progress")).to_contain_text("已完成", timeout=60_000)
    expect(mandate.get_by_test_id("mandate-progress")).to_contain_text("1 个单位均已安装")
    screenshot(page, "province-marketplace")

    # and the community's admin finds it installed, as a mandate they cannot uninstall
    other = new_page()
    sign_in(other, site, province.users["tenant_admin"].username, PASSWORD)
    other.get_by_role("menuitem", name="应用市场").click()
    card = other.get_by_test_id("market-app").and_(other.locator("[data-app=referrals]"))
    expect(card.get_by_test_id("install-state")).to_contain_text("已安装")
    expect(card.get_by_test_id("install-state")).to_contain_text("上级统一要求")
    expect(card.get_by_test_id("uninstall")).to_have_count(0)
    # the external app published for the whole province is on its shelf too
    expect(other.get_by_test_id("market-app").and_(other.locator("[data-app=bed_board]"))).to_be_visible()

    # when the admin narrows it to one person, found by pinyin initials (曾 read as a surname, zeng)
    card.get_by_test_id("visibility").click()
    dialog = other.get_by_role("dialog")
    people = dialog.get_by_test_id("visibility-people")
    people.click()
    people.locator("input").fill("zgq")
    other.locator(".ant-select-dropdown:visible").get_by_test_id("person-option").filter(has_text="曾国强").click()
    dialog.locator(".ant-modal-title").click()  # closes the dropdown, which would cover the button
    dialog.get_by_role("button", name="保存").click()
    other.get_by_text("可见范围已保存").wait_for()
    # then the scope stores their account, and the editor names them when opened again
    from jianlian.marketplace import services

    inst = services.installation(province.tenant_a, "referrals")
    assert inst.visibility == {"users": [zeng.user_id]}
    card.get_by_test_id("visibility").click()
    expect(other.get_by_role("dialog").get_by_test_id("visibility-people")).to_contain_text("曾国强")
    assert not page.js_errors and not other.js_errors, page.js_errors + other.js_errors


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
    expect(form.locator(".ant-select-selection-item, .ant-select-selection-overflow-item").filter(
        has_text="platform.view_hierarchy").first).to_be_visible()
    for label in ("应用名称", "应用标识", "版本号", "应用地址"):
        expect(_error(form, label)).to_have_count(0)  # what she typed cleared the "required" errors
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
    category = form.locator(".ant-form-item").filter(has=page.get_by_label("分类", exact=True))
    expect(category).to_contain_text("临床业务")
    dialog.get_by_role("button", name="发布").click()
    # (what lasts, not the 3-second toast: the dialog closes and the app is on the shelf)
    try:
        expect(dialog).to_have_count(0)
    except AssertionError as e:  # say what the dialog showed instead
        raise AssertionError(f"the dialog stayed open showing: {dialog.inner_text()!r}") from e
    expect(page.get_by_test_id("console-app").and_(page.locator("[data-app=bed_board]"))).to_contain_text("床位看板")
    app = App.objects.get(key="bed_board")
    assert (app.category, app.permissions, app.launch_url) == ("clinical", ["platform.view_hierarchy"], "https://apps.example.cn/bed-board")
    assert not page.js_errors, page.js_errors

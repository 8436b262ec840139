"""The workbench in a real browser against the real server: sign in, switch tenant, a
notification arriving live, read receipts, a validation error inline in the hierarchy form,
tenant lifecycle, the phone layout; with screenshots and the first-load figures."""

from __future__ import annotations

import re
import time

import httpx
import pytest
from graphql_relay import to_global_id
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, record, screenshot, sign_in
from tests.factories import PASSWORD, build_province, make_user, member
from tests.utils import token_for

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_PAGE_JS_BUDGET = 1024 * 1024

SEND = """mutation($to: [ID!]) { sendNotification(input: {title: "今晚8点急诊值班调整", body: "请查看新的排班表",
  kind: ROSTER, userIds: $to}) { notification { id } errors { code message } } }"""


@pytest.fixture
def province(unique):
    return build_province(unique(""))


def _send_notification(settings, site, tenant_slug, sender, recipients):
    # The sender here is the test, not the workbench: its own document is let through.
    settings.GRAPHQL_PERSISTED_ONLY = False
    body = httpx.post(f"{site}/t/{tenant_slug}/graphql/", json={"query": SEND, "variables": {
        "to": [to_global_id("User", u.pk) for u in recipients]}},
        headers={"Authorization": f"Bearer {token_for(sender)}"}, timeout=10).json()
    settings.GRAPHQL_PERSISTED_ONLY = True
    assert body["data"]["sendNotification"]["errors"] == [], body


def _wait_for_subscription(page):
    """The shell subscribes once signed in; the server joins the group right after `subscribe`."""
    deadline = time.monotonic() + 10
    while not getattr(page, "subscribed", False):
        assert time.monotonic() < deadline, "the page never subscribed to notificationReceived"
        page.wait_for_timeout(100)
    page.wait_for_timeout(700)


def _watch_socket(page):
    def on_socket(ws):
        ws.on("framesent", lambda payload: setattr(page, "subscribed", True) if '"subscribe"' in str(payload) else None)
    page.on("websocket", on_socket)


def _interactive_after(page, url: str, ready_js: str) -> float:
    """Milliseconds from navigation start until `ready_js` holds, timed inside the browser
    (checked every animation frame), so Playwright's own round trips are not counted."""
    page.goto(url, wait_until="commit")
    return page.wait_for_function(f"() => ({ready_js}) ? performance.now() : null", polling="raf").json_value()


def test_first_load_is_small_and_becomes_interactive(site, province, new_page):
    # How long it takes is a benchmark (tests/bench/test_bench_first_load.py, target 2 s): a
    # timed assertion here failed whenever the machine was busy. The size budget stays here.
    # given a cold browser (empty cache) on loopback
    page = new_page()
    # when it opens the workbench, signed out: the sign-in form
    sign_in_ms = _interactive_after(page, f"{site}/", "document.querySelector('button[type=submit]:not([disabled])')")
    page.get_by_label("手机号或用户名").fill("x")  # it takes input
    js = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter(e => e.initiatorType === 'script' || e.name.endsWith('.js'))
        .reduce((sum, e) => sum + e.encodedBodySize, 0)""")
    page.get_by_label("手机号或用户名").fill("")
    screenshot(page, "sign-in")
    # then what it downloaded is within budget
    record("first page JavaScript (gzip, as transferred)", f"{js / 1024:.0f} KiB")
    record("sign-in page interactive (cold cache, loopback)", f"{sign_in_ms:.0f} ms")
    assert 0 < js < FIRST_PAGE_JS_BUDGET, f"first page loads {js / 1024:.0f} KiB of gzipped JS; the budget is 1 MiB"

    # and the workbench itself, opened cold by a signed-in user, shows their inbox and responds
    doctor = province.users["doctor"]
    page = new_page()
    page.context.add_init_script(f"localStorage.setItem('jianlian.token', '{token_for(doctor)}');"
                                 f"localStorage.setItem('jianlian.tenant', '{province.tenant_a.slug}');")
    workbench_ms = _interactive_after(page, f"{site}/", "document.querySelector('[data-testid=unread-only]')"
                                      " && document.body.innerText.includes('还没有消息')"
                                      " && document.querySelector('[data-testid=current-workspace]')")
    page.get_by_test_id("unread-only").click()  # it responds
    expect(page.get_by_text("没有未读消息")).to_be_visible()
    record("workbench interactive for a signed-in user (cold cache, loopback)", f"{workbench_ms:.0f} ms")
    assert not page.js_errors, page.js_errors

    # and signing in: how long from the click to a usable home page, and how many frames in between are blank
    page = new_page()
    page.goto(f"{site}/login")
    page.get_by_label("手机号或用户名").fill(doctor.username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.evaluate("""() => {
        window.__frames = [];
        const sample = () => {
            const shown = document.body.innerText.trim().length > 0 || !!document.querySelector('.ant-spin');
            window.__frames.push(shown);
            if (!(document.querySelector('[data-testid=unread-only]') && document.body.innerText.includes('还没有消息'))) {
                requestAnimationFrame(sample);
            } else {
                window.__usable = performance.now();
            }
        };
        document.querySelector('button[type=submit]').addEventListener('click', () => {
            window.__clicked = performance.now();
            requestAnimationFrame(sample);
        });
    }""")
    page.get_by_role("button", name="登录").click()
    page.wait_for_function("() => window.__usable")
    frames, usable_ms = page.evaluate("() => [window.__frames, window.__usable - window.__clicked]")
    record("home page usable after signing in (warm cache, loopback)", f"{usable_ms:.0f} ms")
    # No blank frame: the shell draws at once (navigations are not transitions that keep an emptied
    # sign-in page up while the home page's code loads; issue 17 item 12).
    record("blank frames between signing in and a usable home page", f"{frames.count(False)} of {len(frames)}")
    assert frames.count(False) == 0, f"{frames.count(False)} blank frames of {len(frames)} after signing in"
    assert not page.js_errors, page.js_errors

    # and before any of the workbench's code has arrived, a signed-in person sees its shell, not white
    # (index.html's skeleton); someone signed out does not
    page = new_page(viewport=PHONE)
    page.context.add_init_script(f"localStorage.setItem('jianlian.token', '{token_for(doctor)}');")
    page.route("**/assets/*.js", lambda route: route.abort())
    page.goto(f"{site}/")
    expect(page.get_by_test_id("boot-shell")).to_be_visible()
    page.goto(f"{site}/login")
    expect(page.get_by_test_id("boot-shell")).to_be_hidden()


def test_sign_in_with_a_wrong_password_shows_the_servers_message_then_signs_in(site, province, new_page):
    doctor = province.users["doctor"]
    page = new_page()
    page.goto(f"{site}/login")
    page.get_by_label("手机号或用户名").fill(doctor.username)
    page.get_by_label("密码", exact=True).fill("wrong-password-1")
    page.get_by_role("button", name="登录").click()
    page.get_by_test_id("form-errors").wait_for()
    assert "密码" in page.get_by_test_id("form-errors").inner_text()

    sign_in(page, site, doctor.username, PASSWORD)
    assert page.get_by_test_id("current-workspace").inner_text() == province.tenant_a.name
    assert not page.js_errors, page.js_errors


def test_activation_page_asks_for_id_number_mobile_and_code(site, new_page):
    page = new_page()
    page.goto(f"{site}/login")
    page.get_by_role("link", name="激活账号").click()
    page.get_by_label("身份证号").fill("330122198503120011")
    page.get_by_label("手机号").fill("13900001111")
    page.get_by_role("button", name="获取验证码").click()
    # nobody is pre-registered with these: the server's reason is shown
    page.get_by_test_id("form-errors").or_(page.locator(".ant-form-item-explain-error")).first.wait_for()
    screenshot(page, "activate")


def test_switch_tenant(site, province, new_page):
    # given someone working in a county community and in the provincial hospital
    person = make_user("孙医生")
    member(person, province.tenant_a, province.lead_a)
    member(person, province.tenant_h, province.hospital)
    page = new_page()
    sign_in(page, site, person.username, PASSWORD)
    assert page.get_by_test_id("current-workspace").inner_text() == province.tenant_a.name
    # when they switch to the hospital
    with page.expect_request(re.compile(rf"/t/{province.tenant_h.slug}/graphql/")):
        page.get_by_test_id("workspace-switcher").click()
        page.get_by_test_id(f"workspace-{province.tenant_h.slug}").click()
    # then the workbench is the hospital's
    page.get_by_text("还没有消息").wait_for()
    assert page.get_by_test_id("current-workspace").inner_text() == province.tenant_h.name
    # and the choice survives a reload
    page.reload()
    page.get_by_test_id("current-workspace").wait_for()
    assert page.get_by_test_id("current-workspace").inner_text() == province.tenant_h.name
    # and the sign-in page, once signed in, leads back to the workbench
    page.goto(f"{site}/login")
    expect(page.get_by_test_id("current-workspace")).to_have_text(province.tenant_h.name)
    assert not page.js_errors, page.js_errors


def test_a_notification_arrives_live_and_the_sender_sees_it_read(site, province, new_page, settings):
    doctor, admin = province.users["doctor"], province.users["tenant_admin"]
    slug = province.tenant_a.slug
    # given the doctor's workbench open
    page = new_page()
    _watch_socket(page)
    sign_in(page, site, doctor.username, PASSWORD)
    page.get_by_text("还没有消息").wait_for()
    _wait_for_subscription(page)
    # when the admin sends them a message
    _send_notification(settings, site, slug, admin, [doctor])
    # then it appears without a reload: in the inbox, as a toast, and on the unread badge
    item = page.get_by_test_id("inbox-item").filter(has_text="今晚8点急诊值班调整")
    item.wait_for(timeout=10_000)
    assert item.get_attribute("data-read") == "no"
    page.locator(".ant-notification-notice").filter(has_text="今晚8点急诊值班调整").wait_for()
    expect(page.locator(".ant-badge:has([data-testid=unread-badge]) .ant-badge-count")).to_have_attribute("title", "1")
    screenshot(page, "workbench")

    # and the sender sees who has read it once the doctor marks it read
    sender = new_page()
    sign_in(sender, site, admin.username, PASSWORD)
    sender.get_by_role("tab", name="我发出的").click()
    sender.get_by_test_id("read-count").filter(has_text="0/1 已读").wait_for()
    item.get_by_role("button", name="标为已读").click()
    page.get_by_test_id("inbox-item").and_(page.locator("[data-read=yes]")).wait_for()
    sender.get_by_role("button", name="刷新").click()
    sender.get_by_test_id("read-count").filter(has_text="1/1 已读").wait_for()
    sender.get_by_text("今晚8点急诊值班调整").click()
    sender.locator(".ant-tag-green").filter(has_text=doctor.real_name).wait_for()
    screenshot(sender, "sent-receipts")
    assert not page.js_errors and not sender.js_errors, page.js_errors + sender.js_errors


def test_hierarchy_form_shows_the_servers_validation_errors_inline(site, province, new_page):
    page = new_page()
    sign_in(page, site, province.users["province_admin"].username, PASSWORD)
    page.get_by_role("menuitem", name="组织架构").click()
    page.get_by_test_id("tree-node").filter(has_text="浙江省卫生健康委员会").click()
    page.get_by_test_id("tree-node").filter(has_text="杭州市卫生健康委员会").wait_for()
    page.get_by_test_id("add-child").click()
    form = page.get_by_test_id("unit-form")
    form.get_by_label("单位名称").fill("湖州市卫生健康委员会")
    form.get_by_label("行政区划代码").fill("320500")  # a city of Jiangsu, not under 330000
    page.get_by_role("button", name="保存").click()
    # the server's reason is shown under the division code field itself
    error = form.locator(".ant-form-item").filter(has=page.get_by_label("行政区划代码")).locator(".ant-form-item-explain-error")
    error.wait_for()
    assert "330000" in error.inner_text() or "行政区划" in error.inner_text()
    screenshot(page, "hierarchy-form-error")
    # a valid code adds the city to the tree
    form.get_by_label("行政区划代码").fill("330500")
    page.get_by_role("button", name="保存").click()
    page.get_by_test_id("tree-node").filter(has_text="湖州市卫生健康委员会").wait_for()
    screenshot(page, "hierarchy")
    # and a township centre moves to another medical community, found by name
    page.get_by_test_id("unit-search").locator("input").fill("横村镇")
    page.get_by_test_id("unit-search").locator("input").press("Enter")
    page.get_by_text("桐庐县横村镇卫生院").click()
    page.get_by_test_id("move-unit").click()
    move = page.get_by_test_id("move-form")
    move.get_by_label("新的上级单位").fill("象山县第一")
    page.locator(".ant-select-item-option").filter(has_text="象山县第一人民医院").click()
    move.get_by_label("调整原因").fill("医共体调整")
    page.get_by_role("dialog").get_by_role("button", name="调整隶属").click()
    # the unit now sits under its new community (the search result shows its parent)
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.get_by_text("医共体成员单位 · 象山县第一人民医院").wait_for()
    assert not page.js_errors, page.js_errors


def test_tenant_lifecycle_and_the_phone_layout(site, province, new_page):
    page = new_page(viewport=PHONE)
    sign_in(page, site, province.users["province_admin"].username, PASSWORD)
    # on a phone the menu is a drawer
    page.get_by_test_id("menu-button").click()
    page.get_by_role("menuitem", name="租户管理").click()
    slug = province.tenant_b.slug
    page.get_by_test_id(f"status-{slug}").filter(has_text="使用中").wait_for()
    page.get_by_test_id(f"suspend-{slug}").click()
    page.get_by_test_id("suspend-reason").fill("系统迁移，暂停两天")
    page.get_by_role("dialog").get_by_role("button", name="暂停").click()
    page.get_by_test_id(f"status-{slug}").filter(has_text="已暂停").wait_for()
    page.get_by_test_id("status-chart").wait_for()
    page.set_viewport_size(DESKTOP)
    screenshot(page, "tenants")
    page.get_by_test_id(f"activate-{slug}").click()
    page.get_by_test_id(f"status-{slug}").filter(has_text="使用中").wait_for()
    assert not page.js_errors, page.js_errors


def test_audit_log_updates_live_and_refuses_those_without_the_permission(site, province, new_page):
    # given the province admin's audit log open
    admin = province.users["province_admin"]
    page = new_page()
    _watch_socket(page)
    sign_in(page, site, admin.username, PASSWORD)
    page.get_by_role("menuitem", name="审计日志").click()
    page.get_by_test_id("audit-table").wait_for()
    _wait_for_subscription(page)
    # when a tenant is suspended elsewhere
    other = new_page()
    sign_in(other, site, admin.username, PASSWORD)
    other.goto(f"{site}/province/tenants")
    slug = province.tenant_h.slug
    other.get_by_test_id(f"suspend-{slug}").click()
    other.get_by_test_id("suspend-reason").fill("等级评审期间暂停")
    dialog = other.get_by_role("dialog")
    dialog.get_by_role("button", name="暂停").click()
    try:
        expect(dialog).to_have_count(0)
    except AssertionError as e:  # say what the dialog showed instead (it stayed open once under two workers)
        raise AssertionError(f"the suspend dialog stayed open showing: {dialog.inner_text()!r}") from e
    other.get_by_test_id(f"status-{slug}").filter(has_text="已暂停").wait_for()
    # then the record arrives without a reload
    page.get_by_text("实时新增").wait_for(timeout=10_000)
    screenshot(page, "audit")
    # and a doctor is told, in words, that this is not for them
    doctor = new_page()
    sign_in(doctor, site, province.users["doctor"].username, PASSWORD)
    expect(doctor.locator(".ant-menu").get_by_role("menuitem", name="消息与待办")).to_be_visible()
    expect(doctor.locator(".ant-menu").get_by_role("menuitem", name="审计日志")).to_have_count(0)  # not offered
    doctor.goto(f"{site}/audit")  # and the address says why
    expect(doctor.get_by_test_id("no-access")).to_contain_text("您没有使用这个页面的权限")
    assert not page.js_errors and not other.js_errors and not doctor.js_errors


def test_the_interface_switches_to_english(site, new_page):
    page = new_page()
    page.goto(f"{site}/login")
    page.get_by_test_id("language-switch").click()
    page.get_by_role("button", name="Sign in").wait_for()
    page.get_by_label("Mobile or username").fill("nobody")
    page.get_by_label("Password", exact=True).fill("wrong-password-1")
    page.get_by_role("button", name="Sign in").click()
    # the server answers in the interface's language too (Accept-Language)
    errors = page.get_by_test_id("form-errors")
    errors.wait_for()
    assert not re.search(r"[\u4e00-\u9fff]", errors.inner_text()), errors.inner_text()
    page.reload()
    page.get_by_role("button", name="Sign in").wait_for()  # remembered

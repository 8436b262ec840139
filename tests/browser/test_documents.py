"""Official documents in real browsers (issue 18 Done-when): a 发文 is drafted on the workbench,
goes through 核稿 and 签发 in the approvals pages, gets its number, arrives as 收文 in another
unit (the bus relay runs in a background thread, as its worker does in production), whose office
routes it for 传阅; a reader opens it on a 360 px phone and the office sees the read count."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from playwright.sync_api import expect

from modules.documents.models import Incoming
from tenants.context import tenant_context
from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.documents_world import build
from tests.factories import PASSWORD, build_province, grant

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(unique):
    w = build(build_province(unique("")))
    for name in ("外科主任", "副院长", "院长", "象山医生"):
        user = w.user(name)
        user.set_password(PASSWORD)
        user.save()
    # the people who pick colleagues need the directory (org.view_contacts, in the 职工 role)
    grant(w.user("外科主任"), "staff", w.p.lead_a, w.p.tenant_a)
    grant(w.user("陈文书"), "staff", w.p.lead_b, w.p.tenant_b)
    return w


def pick_person(page, picker, name):
    picker.click()
    picker.locator("input").fill(name)
    option = page.locator(".ant-select-dropdown:visible").get_by_test_id("person-option")
    option.filter(has_text=re.compile(rf"^{name}(\s|$)")).first.click()
    page.keyboard.press("Escape")
    expect(page.locator(".ant-select-dropdown:visible")).to_have_count(0)


def pick_unit(page, picker, tenant):
    """The unit picker searches other units by name; the option shows the name and the code."""
    picker.click()
    picker.locator("input").fill(tenant.name[-4:])
    page.locator(".ant-select-dropdown:visible").get_by_test_id("unit-option").filter(has_text=tenant.slug).click()
    page.keyboard.press("Escape")
    expect(picker).to_contain_text(tenant.name)


def _wait_for_delivery(tenant, title, seconds=30):
    """The relay thread delivers the signed 发文 within a second or two. (Reloading the list until
    it showed checked the list before the reloaded page had fetched it, so it never saw the
    document and always spent its 30 rounds: half of this journey's time.)"""
    deadline = time.monotonic() + seconds
    while True:
        with tenant_context(tenant):
            if Incoming.objects.filter(title=title).exists():
                return
        assert time.monotonic() < deadline, f"the 发文 did not arrive in {tenant.name} within {seconds} s"
        time.sleep(0.2)


def approve_from_the_document(site, new_page, world, who, url):
    page = new_page()
    sign_in(page, site, world.user(who).username, PASSWORD)
    page.goto(url)
    page.get_by_test_id("outgoing-page").wait_for()
    # the document is theirs to read while they decide; the decision is a to-do of the approvals app
    page.goto(f"{site}/todos")
    page.get_by_test_id("todo-item").filter(has_text="发文").first.click()
    drawer = page.get_by_test_id("todo-drawer")
    drawer.get_by_test_id("action-APPROVE").click()
    expect(drawer.get_by_test_id("approval-status")).not_to_have_text("审批中" if who == "院长" else "__")
    return drawer


def test_a_document_is_reviewed_signed_numbered_and_circulated_in_another_unit(site, world, new_page, bus_relay):
    p = world.p
    title = "关于做好冬季院感防控工作的通知"
    number = f"桐卫发〔{dt.date.today().year}〕1号"
    # given the drafter writes a 发文 to the other unit
    drafter = new_page()
    sign_in(drafter, site, world.user("外科主任").username, PASSWORD)
    drafter.goto(f"{site}/documents")
    drafter.get_by_test_id("documents-draft").click()
    drafter.get_by_test_id("draft-series").click()
    drafter.locator(".ant-select-item-option").filter(has_text="桐卫发").click()
    drafter.get_by_test_id("draft-title").fill(title)
    drafter.get_by_test_id("draft-body").fill("入冬以来呼吸道疾病高发。\n请各单位加强预检分诊。")
    pick_unit(drafter, drafter.get_by_test_id("draft-main-units"), p.tenant_b)
    screenshot(drafter, "document-draft")
    drafter.get_by_test_id("draft-save").click()
    page = drafter.get_by_test_id("outgoing-page")
    expect(page.get_by_test_id("outgoing-status")).to_have_text("草稿")
    # and sends it for 核稿 (副院长) and 签发 (院长)
    pick_person(drafter, drafter.get_by_test_id("submit-reviewers"), "副院长")
    pick_person(drafter, drafter.get_by_test_id("submit-signers"), "院长")
    drafter.get_by_test_id("outgoing-submit").click()
    expect(page.get_by_test_id("outgoing-status")).to_have_text("审核中")
    url = drafter.url

    # when 核稿 and 签发 approve it in the approvals pages
    approve_from_the_document(site, new_page, world, "副院长", url)
    signer = approve_from_the_document(site, new_page, world, "院长", url)
    expect(signer.get_by_test_id("approval-status")).to_have_text("已通过")

    # then it has its number
    drafter.reload()
    expect(page.get_by_test_id("outgoing-status")).to_have_text("已签发")
    expect(page.get_by_test_id("document-number")).to_have_text(number)
    screenshot(drafter, "document-outgoing-signed")

    # and arrives as 收文 in the other unit, whose office routes it for 传阅
    office = new_page()
    sign_in(office, site, world.user("陈文书").username, PASSWORD)
    _wait_for_delivery(p.tenant_b, title)
    office.goto(f"{site}/documents")
    office.get_by_test_id("incoming-list").get_by_text(title).click()
    incoming = office.get_by_test_id("incoming-page")
    expect(incoming.get_by_test_id("incoming-status")).to_have_text("待拟办")
    expect(incoming.get_by_test_id("document-number")).to_have_text(number)
    office.get_by_test_id("incoming-step").get_by_text("传阅").click()
    pick_person(office, office.get_by_test_id("incoming-readers"), "象山医生")
    office.get_by_test_id("incoming-go").click()
    expect(incoming.get_by_test_id("incoming-status")).to_have_text("传阅中")
    expect(incoming.get_by_test_id("incoming-read-count")).to_have_text("已读 0 / 1")

    # a reader opens it on a phone (it waits on them), and the office sees it read
    reader = new_page(viewport=PHONE)
    sign_in(reader, site, world.user("象山医生").username, PASSWORD)
    reader.goto(f"{site}/documents")
    reader.get_by_text("待我办理").click()
    reader.get_by_test_id("incoming-list").get_by_text(title).click()
    expect(reader.get_by_test_id("document-title")).to_have_text(title)
    box = reader.get_by_test_id("document-pdf").bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"], "the PDF button is cut off at 360 px"
    screenshot(reader, "document-incoming-reader")
    office.reload()
    expect(incoming.get_by_test_id("incoming-read-count")).to_have_text("已读 1 / 1", timeout=15_000)
    screenshot(office, "document-incoming-office")
    assert not drafter.js_errors and not office.js_errors and not reader.js_errors


def test_a_fresh_unit_sets_up_its_series_on_a_phone_and_drafts_to_a_unit_picked_by_name(site, world, new_page):
    p = world.p
    clerk = new_page(viewport=PHONE)
    sign_in(clerk, site, world.user("陈文书").username, PASSWORD)
    # 象山 has no series yet: the draft page says so, and the office creates one
    clerk.goto(f"{site}/documents/outgoing/new")
    expect(clerk.get_by_test_id("draft-no-series")).to_be_visible()
    clerk.goto(f"{site}/documents")
    clerk.get_by_test_id("documents-series").click()
    clerk.get_by_test_id("series-code").fill("象卫发")
    clerk.get_by_test_id("series-name").fill("象山卫健发文")
    clerk.get_by_test_id("series-save").click()
    expect(clerk.get_by_test_id("series-list")).to_contain_text("象卫发")
    screenshot(clerk, "document-series")
    # and drafts with it to 桐庐, picked by name
    clerk.goto(f"{site}/documents/outgoing/new")
    clerk.get_by_test_id("draft-series").click()
    clerk.locator(".ant-select-item-option").filter(has_text="象卫发").click()
    clerk.get_by_test_id("draft-title").fill("关于开展冬季义诊的通知")
    clerk.get_by_test_id("draft-body").fill("请各单位做好准备。")
    pick_unit(clerk, clerk.get_by_test_id("draft-main-units"), p.tenant_a)
    screenshot(clerk, "document-draft-unit-picker")
    clerk.get_by_test_id("draft-save").click()
    expect(clerk.get_by_test_id("outgoing-page")).to_contain_text(p.tenant_a.name)
    assert not clerk.js_errors

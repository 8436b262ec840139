"""The director's mailbox in real browsers (issue 18 item 3): a nurse writes an anonymous appeal on
a 360 px phone and copies the claim code shown once; the handler answers it from the inbox and
nowhere sees who wrote it; the nurse opens the answer with her code and rates it; the
administrator's statistics count it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jianlian.marketplace import services as market
from tenants.context import tenant_context
from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.factories import PASSWORD, build_province, grant, make_user, member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(unique):
    p = build_province(unique(""))
    with tenant_context(p.tenant_a):
        market.install(None, p.tenant_a, "mailbox")
    nurse, handler = make_user("周护士"), make_user("信箱管理员")
    member(nurse, p.tenant_a, p.lead_a)
    member(handler, p.tenant_a, p.lead_a)
    grant(handler, "mailbox_admin", p.lead_a, p.tenant_a)
    for user in (nurse, handler):
        user.set_password(PASSWORD)
        user.save()
    return nurse, handler


def test_an_anonymous_appeal_is_answered_without_its_writer_and_rated_with_the_claim_code(site, world, new_page):
    nurse, handler = world
    subject = "夜班后次日仍被排白班"
    # the nurse writes anonymously on her phone and is told what that means
    phone = new_page(viewport=PHONE)
    sign_in(phone, site, nurse.username, PASSWORD)
    phone.goto(f"{site}/mailbox")
    phone.get_by_test_id("mailbox-write").get_by_text("职工诉求", exact=True).click()
    phone.get_by_test_id("mailbox-subject").fill(subject)
    phone.get_by_test_id("mailbox-body").fill("急诊科多次夜班后次日又排白班，希望规范排班。")
    phone.get_by_test_id("mailbox-anonymous").click()
    expect(phone.get_by_test_id("mailbox-anonymity-note")).to_contain_text("无法查到是谁写的")
    screenshot(phone, "mailbox-write")
    phone.get_by_test_id("mailbox-send").click()
    # and sees her claim code once, with a copy button
    code_box = phone.get_by_test_id("mailbox-claim-code")
    expect(code_box).to_be_visible()
    expect(code_box.locator(".ant-typography-copy")).to_be_visible()
    code = code_box.inner_text().strip()
    assert len(code) >= 20
    screenshot(phone, "mailbox-claim-code")

    # the handler finds it in the inbox: no sender anywhere on the page
    desk = new_page()
    sign_in(desk, site, handler.username, PASSWORD)
    desk.goto(f"{site}/mailbox/inbox")
    item = desk.get_by_test_id("mailbox-inbox-item").filter(has_text=subject)
    expect(item).to_contain_text("匿名")
    item.click()
    letter = desk.get_by_test_id("mailbox-letter")
    expect(letter.get_by_test_id("mailbox-sender")).to_contain_text("匿名")
    expect(desk.locator("body")).not_to_contain_text(nurse.real_name)
    desk.get_by_test_id("mailbox-reply-text").fill("已转护理部核查排班，下月起夜班后安排休息一天。")
    desk.get_by_test_id("mailbox-reply-send").click()
    expect(letter.get_by_test_id("mailbox-status")).to_have_text("已答复")
    expect(desk.locator("body")).not_to_contain_text(nurse.real_name)
    screenshot(desk, "mailbox-handler-reply")

    # the nurse opens the answer with her claim code and rates it
    phone.get_by_role("tab", name="凭取件码查看").click()
    phone.get_by_test_id("mailbox-code").locator("input").fill(code)
    phone.get_by_test_id("mailbox-code").locator("input").press("Enter")
    mine = phone.get_by_test_id("mailbox-letter")
    expect(mine.get_by_test_id("mailbox-reply")).to_contain_text("夜班后安排休息一天")
    mine.get_by_test_id("mailbox-rate").locator(".ant-rate-star").nth(3).click()
    screenshot(phone, "mailbox-read-and-rate")
    mine.get_by_test_id("mailbox-rate-submit").click()
    expect(mine.get_by_test_id("mailbox-status")).to_have_text("已办结")
    expect(mine.get_by_test_id("mailbox-satisfaction").locator(".ant-rate-star-full")).to_have_count(4)

    # the administrator's statistics count it, anonymous and rated
    desk.goto(f"{site}/mailbox/inbox")
    stats = desk.get_by_test_id("mailbox-statistics")
    expect(stats).to_contain_text("4.0")
    screenshot(desk, "mailbox-statistics", focus="mailbox-statistics")
    assert not phone.js_errors and not desk.js_errors

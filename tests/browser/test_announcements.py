"""Announcements in real browsers against the real server (issue 18 items 1 and 4): a column
administrator publishes a 必读 notice with a poll to two departments; staff read, acknowledge and
vote on a 360 px phone (in Chinese and in English); the administrator's read rate and poll results
rise live, and the reminder goes only to the rest."""

from __future__ import annotations

import base64

import pytest
from playwright.sync_api import expect

from jianlian.identity.models import User
from jianlian.marketplace import services as market
from jianlian.notifications.models import Delivery, Notification, SenderGrant
from modules.announcements import columns
from modules.announcements.models import Column, Post
from tenants.context import tenant_context
from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.browser.test_approvals import _wait_subscribed, _watch_subscriptions
from tests.factories import PASSWORD, build_province, grant, make_department, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

# a 1×1 PNG: the drill route, attached in the form and shown to readers through a signed link
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
STAFF = (("宣传干事", "office"), ("李心", "cardio"), ("王心", "cardio"), ("张骨", "ortho"), ("刘骨", "ortho"), ("院办文员", "office"))


@pytest.fixture
def world(unique):
    p = build_province(unique(""))
    with tenant_context(p.tenant_a):
        market.install(None, p.tenant_a, "announcements")
        depts = {"cardio": make_department("XN", "心内科", unit=p.lead_a), "ortho": make_department("GK", "骨科", unit=p.lead_a),
                 "office": make_department("YB", "院办", unit=p.lead_a)}
        people = {}
        for name, dept in STAFF:
            people[name] = User.objects.get(pk=make_staff(name, unit=p.lead_a, department=depts[dept]).user_id)
        for user in people.values():  # activated accounts with a password
            user.status = "active"
            user.set_password(PASSWORD)
            user.save()
        editor = people["宣传干事"]
        grant(editor, "staff", p.lead_a, p.tenant_a)  # every member's role: the directory, to pick departments
        columns.save_column(_manager(p), column_id=Column.objects.get(key="notices").pk,
                            admin_ids=[editor.pk])
        SenderGrant.objects.create(user_id=editor.pk, unit_id=None)
    return p, people


def _manager(p):
    admin = p.users["tenant_admin"]
    grant(admin, "announcements_admin", p.lead_a, p.tenant_a)
    admin.__dict__.pop("_jl_grants", None)
    return admin


def test_a_required_notice_is_read_at_360px_and_the_rate_rises_live(site, world, new_page):
    p, people = world
    # given the column administrator writes a 必读 notice to 心内科 and 骨科
    admin = new_page()
    _watch_subscriptions(admin)
    sign_in(admin, site, people["宣传干事"].username, PASSWORD)
    admin.goto(f"{site}/announcements")
    admin.get_by_test_id("announcement-new").click()
    admin.get_by_test_id("editor-title").fill("关于冬季消防演练的通知")
    admin.get_by_test_id("editor-body").fill("请各科室周五下午三点参加演练。\n\n注意疏散路线。")
    admin.get_by_test_id("editor-departments").click()
    for name in ("心内科", "骨科"):
        admin.locator(".ant-select-tree-node-content-wrapper", has_text=name).click()
    admin.keyboard.press("Escape")
    admin.get_by_test_id("editor-required").click()
    admin.locator("input[type=file]").set_input_files(files=[{"name": "疏散路线.png", "mimeType": "image/png", "buffer": PNG}])
    admin.get_by_test_id("editor-poll").click()
    admin.get_by_test_id("editor-poll-question").fill("哪个时段参加演练？")
    admin.get_by_test_id("editor-poll-option-0").fill("周五上午")
    admin.get_by_test_id("editor-poll-option-1").fill("周五下午")
    screenshot(admin, "announcements-editor-poll", focus="editor-poll-section")
    screenshot(admin, "announcements-editor")
    admin.get_by_test_id("editor-publish").click()
    rate = admin.get_by_test_id("announcement-read-rate")
    expect(rate).to_have_attribute("data-read", "0")
    expect(rate).to_contain_text("/ 4")
    _wait_subscribed(admin, "AnnouncementReadChanged")

    # when a cardiologist opens it on her phone and acknowledges it
    staff = new_page(viewport=PHONE)
    sign_in(staff, site, people["李心"].username, PASSWORD)
    staff.goto(f"{site}/announcements")
    item = staff.get_by_test_id("announcement-item").filter(has_text="关于冬季消防演练的通知")
    expect(item).to_contain_text("必读")
    screenshot(staff, "announcements-list")
    item.click()
    expect(staff.get_by_test_id("announcement-body")).to_contain_text("注意疏散路线")
    image = staff.get_by_test_id("announcement-image").locator("img")
    expect(image).to_have_count(1)
    staff.wait_for_function("() => { const i = document.querySelector('[data-testid=announcement-image] img');"
                            " return i && i.complete && i.naturalWidth === 1; }")
    staff.get_by_test_id("announcement-acknowledge").click()
    expect(staff.get_by_test_id("announcement-acknowledged")).to_be_visible()
    staff.get_by_test_id("announcement-comment-input").fill("心内科已安排")
    staff.get_by_test_id("announcement-comment-send").click()
    expect(staff.get_by_test_id("announcement-comments")).to_contain_text("心内科已安排")
    # she votes once: the form gives way to the results as bars
    poll = staff.get_by_test_id("announcement-poll")
    poll.get_by_text("周五下午").click()
    screenshot(staff, "announcements-poll-vote", focus="announcement-poll")
    poll.get_by_test_id("poll-submit").click()
    expect(poll.get_by_test_id("poll-results")).to_have_attribute("data-answered", "1")
    expect(poll.get_by_test_id("poll-submit")).to_have_count(0)
    expect(poll.get_by_test_id("poll-mine")).to_contain_text("周五下午")
    width = staff.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the reading page scrolls sideways at 360 px ({width} px)"
    screenshot(staff, "announcements-read")

    # then the administrator's read rate rises without a reload: 1 of 4, 心内科 1 of 2
    expect(rate).to_have_attribute("data-read", "1")
    expect(rate).to_contain_text("1 / 2")
    screenshot(admin, "announcements-read-rate", focus="announcement-read-rate")

    # a colleague votes in English without acknowledging yet; the administrator's results follow live
    other = new_page(viewport=PHONE)
    sign_in(other, site, people["王心"].username, PASSWORD)
    other.evaluate("localStorage.setItem('jianlian.language', 'en')")  # what the language switch keeps
    other.goto(staff.url)
    poll = other.get_by_test_id("announcement-poll")
    expect(poll).to_contain_text("Poll")
    poll.get_by_text("周五下午").click()
    poll.get_by_test_id("poll-submit").click()
    expect(poll.get_by_test_id("poll-results")).to_contain_text("Voted: 2")
    screenshot(other, "announcements-poll-en", focus="announcement-poll")
    results = admin.get_by_test_id("poll-results")
    expect(results).to_have_attribute("data-answered", "2")
    expect(results.get_by_test_id("poll-option").nth(1)).to_have_attribute("data-count", "2")
    screenshot(admin, "announcements-poll", focus="announcement-poll")

    # and the reminder goes to the three who have not read it, and to nobody else
    admin.get_by_test_id("action-REMIND").click()
    expect(admin.get_by_text("已提醒 3 位未读人员")).to_be_visible()
    with tenant_context(p.tenant_a):
        post = Post.objects.get(title="关于冬季消防演练的通知")
        reminder = Notification.objects.filter(title__startswith="请阅读").latest("pk")
        reminded = set(Delivery.objects.filter(notification=reminder).values_list("user_id", flat=True))
    assert reminded == {people[n].pk for n in ("王心", "张骨", "刘骨")}
    assert post.read_count == 1 and post.recipient_count == 4
    assert not admin.js_errors and not staff.js_errors and not other.js_errors


def test_the_announcements_administrator_switches_comments_off_for_a_column(site, world, new_page):
    p, _people = world
    page = new_page()
    sign_in(page, site, p.users["tenant_admin"].username, PASSWORD)
    page.goto(f"{site}/announcements/columns")
    table = page.get_by_test_id("announcement-columns")
    expect(table).to_contain_text("宣传干事")  # 通知公告's administrator
    switch = page.get_by_test_id("column-comments-notices")
    expect(switch).to_have_attribute("aria-checked", "true")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "false")
    screenshot(page, "announcements-columns")
    with tenant_context(p.tenant_a):
        assert Column.objects.get(key="notices").comments_enabled is False

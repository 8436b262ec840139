"""The union's confidential help in a real browser (issue 19, 心理咨询 / 法律帮扶): at 360 px a
member asks for legal help and, after a reload, finds it under 我的求助 awaiting a reply; at
1280 px the lawyer finds it on the counselling desk (in her menu), replies and closes; the
member taps the notice in her inbox and it opens the reply (/union/confidential/<pk>), marked 已结束 (and Closed in English); another member sees
nothing of it, not even through its link. Screenshots: docs/screenshots/union-help-*."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jianlian.notifications.models import Delivery
from tenants.context import tenant_context
from tests.browser.conftest import DESKTOP, PHONE, screenshot, sign_in
from tests.browser.test_union import open_tab
from tests.factories import PASSWORD, build_province
from tests.union_world import build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    p = build_province()
    with tenant_context(p.tenant_a):
        w = build(p)
    for name in ("周舟", "律师", "赵敏"):
        user = w.user(name)
        user.set_password(PASSWORD)
        user.save()
    return w


def _link(w, name: str) -> str:
    """The link of the newest notice to `name`."""
    with tenant_context(w.p.tenant_a):
        return Delivery.objects.filter(user_id=w.user(name).pk).select_related("notification").latest("pk").notification.link


def test_a_member_asks_for_legal_help_the_lawyer_replies_and_closes_and_nobody_else_sees_it(site, world, new_page):
    w = world
    member = new_page(viewport=PHONE)
    sign_in(member, site, w.user("周舟").username, PASSWORD)
    member.goto(f"{site}/union")
    open_tab(member, "我的求助")
    help_tab = member.get_by_test_id("union-help")
    expect(help_tab).to_contain_text("只有分配给您的咨询师或律师能看到")
    form = member.get_by_test_id("union-help-form")
    form.get_by_text("法律帮扶", exact=True).click()
    form.get_by_test_id("union-help-subject").fill("劳动合同到期不续签")
    form.get_by_test_id("union-help-text").fill("合同下月到期，科室说不续签，有没有经济补偿？")
    form.get_by_test_id("union-help-submit").click()
    expect(help_tab.get_by_test_id("union-confidential-item")).to_have_count(1)

    # after a reload it is still there, awaiting the lawyer
    member.goto(f"{site}/union?tab=help")
    item = member.get_by_test_id("union-confidential-item").filter(has_text="劳动合同到期不续签")
    expect(item.get_by_test_id("union-confidential-status")).to_have_text("待回复")
    expect(item).to_contain_text("法律帮扶")
    expect(item).to_contain_text("律师")
    screenshot(member, "union-help-member", focus="union-help")
    assert member.get_by_test_id("union-help").evaluate("e => e.scrollWidth <= e.clientWidth"), "我的求助 is wider than the phone"

    # the lawyer: the desk is in the menu, the request open on it; she replies and closes
    lawyer = new_page(viewport=DESKTOP)
    sign_in(lawyer, site, w.user("律师").username, PASSWORD)
    lawyer.get_by_role("menuitem").filter(has_text="咨询工作台").click()
    desk = lawyer.get_by_test_id("union-counsel").get_by_test_id("union-confidential-item")
    expect(desk).to_contain_text("合同下月到期，科室说不续签")
    screenshot(lawyer, "union-help-desk", focus="union-counsel")
    desk.get_by_test_id("union-confidential-reply-text").fill("不续签且非本人原因的，按工作年限支付经济补偿。可带合同来工会面谈。")
    desk.get_by_test_id("union-confidential-reply-close").click()
    expect(desk.get_by_test_id("union-confidential-status")).to_have_text("已结束")
    expect(desk.get_by_test_id("union-confidential-reply-form")).to_have_count(0)

    # the member taps the notice in her inbox: it opens the reply and counts as read; the list says 已结束
    member.goto(f"{site}/")
    notice = member.get_by_test_id("inbox-item").filter(has_text="您的求助已有回复")
    expect(notice).to_have_attribute("data-read", "no")
    notice.get_by_test_id("inbox-open").click()
    expect(member).to_have_url(f"{site}{_link(w, '周舟')}")
    mine = member.get_by_test_id("union-confidential-page")
    expect(mine.get_by_test_id("union-confidential-reply-shown")).to_contain_text("按工作年限支付经济补偿")
    expect(mine.get_by_test_id("union-confidential-status")).to_have_text("已结束")
    screenshot(member, "union-help-reply")
    member.go_back()
    expect(member.get_by_test_id("inbox-item").filter(has_text="您的求助已有回复")).to_have_attribute("data-read", "yes")
    member.evaluate("localStorage.setItem('jianlian.language', 'en')")
    member.goto(f"{site}/union?tab=help")
    expect(member.get_by_test_id("union-confidential-status")).to_have_text("Closed")
    expect(member.get_by_test_id("union-help")).to_contain_text("My requests")

    # another member: nothing in her list, nothing behind the link, no desk
    other = new_page(viewport=PHONE)
    sign_in(other, site, w.user("赵敏").username, PASSWORD)
    other.goto(f"{site}/union?tab=help")
    expect(other.get_by_test_id("union-help")).to_contain_text("还没有求助")
    expect(other.get_by_test_id("union-confidential-item")).to_have_count(0)
    other.goto(f"{site}{_link(w, '周舟')}")
    expect(other.get_by_test_id("union-confidential-page")).to_contain_text("求助不存在或您无权查看")
    assert "劳动合同" not in other.content()
    assert not member.js_errors and not lawyer.js_errors and not other.js_errors

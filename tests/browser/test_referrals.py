"""Referrals in real browsers against the real server: a township doctor creates a referral
(unit, desk, a day with free slots, an attachment) that appears live on the board of the
receiving doctor in another tenant, who accepts it while the sender's board updates. Between
the tenants the steps travel through the bus relay, run here in a background thread."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from modules.referrals import services
from modules.referrals.models import Status
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, grant, make_user, member
from tests.worlds import FORM
from tests.worlds import ReferralWorld as World
from tenants.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def world(unique):
    return World(unique(""))


# The steps of each side (the buttons the detail may offer, as `action-<STEP>`).
SENDER_STEPS = {"SUBMIT", "APPROVE", "RETURN_TO_DRAFT", "WITHDRAW", "RESUBMIT", "CANCEL"}
RECEIVER_STEPS = {"RECEIVE", "ACCEPT", "REJECT", "HOLD", "BOOK", "ARRIVE", "COMPLETE", "CLOSE"}


def _offered(detail) -> set[str]:
    """The steps the detail offers, once its buttons are drawn."""
    detail.get_by_test_id("referral-timeline").wait_for()
    return {b.get_attribute("data-testid").removeprefix("action-") for b in detail.locator('button[data-testid^="action-"]').all()}


def _watch_board(page):
    page.board_subscribed = False

    def on_socket(ws):
        ws.on("framesent", lambda p: setattr(page, "board_subscribed", True) if '"subscribe"' in str(p) and '"box"' in str(p) else None)

    page.on("websocket", on_socket)


def _wait_subscribed(page):
    deadline = time.monotonic() + 10
    while not page.board_subscribed:
        assert time.monotonic() < deadline, "the board never subscribed to referralChanged"
        page.wait_for_timeout(100)
    page.wait_for_timeout(700)


def test_a_referral_appears_live_for_the_receiver_who_accepts_it_while_the_sender_watches(site, world, new_page, bus_relay):
    # given the receiving cardiologist's incoming board open in one browser context
    receiver = new_page()
    _watch_board(receiver)
    sign_in(receiver, site, world.cardio.username, PASSWORD)
    receiver.get_by_role("menuitem", name="双向转诊").click()
    receiver.get_by_text("没有转入的转诊单").wait_for()
    _wait_subscribed(receiver)

    # when the township doctor, in another context, fills in a new referral
    sender = new_page()
    _watch_board(sender)
    sign_in(sender, site, world.sender.username, PASSWORD)
    sender.get_by_role("menuitem", name="双向转诊").click()
    sender.get_by_test_id("new-referral").click()
    form = sender.get_by_test_id("referral-form")
    form.get_by_label("接收机构").fill("浙江省人民")
    sender.locator(".ant-select-item-option").filter(has_text="浙江省人民医院").click()
    form.get_by_label("接收科室").click()
    sender.locator(".ant-select-item-option").filter(has_text="心血管内科").click()
    slot = form.get_by_test_id("slot-picker").locator("label:not(.ant-radio-button-wrapper-disabled)").first
    slot.click()
    form.get_by_label("患者姓名").fill("陈阿婆")
    form.get_by_label("性别").click()
    sender.locator(".ant-select-item-option").filter(has_text="女").click()
    form.get_by_label("出生日期").fill("1948-05-02")
    form.get_by_label("出生日期").press("Enter")
    form.get_by_label("紧急程度").click()
    sender.locator(".ant-select-item-option").filter(has_text="紧急").click()
    form.get_by_label("诊断编码（ICD-10）").fill("I20.0")
    form.get_by_label("初步印象").fill("不稳定型心绞痛")
    form.get_by_label("转诊原因/主要病史").fill("反复胸闷胸痛3天，心电图示ST段改变")
    form.locator("input[type=file]").set_input_files(files={"name": "心电图.pdf", "mimeType": "application/pdf", "buffer": PDF})
    form.get_by_text("心电图.pdf").wait_for()
    form.get_by_text("已取得患者知情同意").click()
    screenshot(sender, "referral-new")
    sender.get_by_test_id("submit-referral").click()
    # it is submitted and shows on the sender's outgoing board
    outgoing = sender.get_by_test_id("referral-item").filter(has_text="陈阿婆")
    outgoing.wait_for()
    expect(outgoing.get_by_test_id("referral-status")).to_have_text("待接收")
    _wait_subscribed(sender)
    # the sender is offered her own steps only: 撤回, never 接收 / 退回补充资料 / 拒绝
    outgoing.click()
    assert _offered(sender.get_by_test_id("referral-detail")) == {"WITHDRAW"}
    sender.keyboard.press("Escape")

    # then it appears on the receiver's board without a reload
    incoming = receiver.get_by_test_id("referral-item").filter(has_text="陈阿婆")
    incoming.wait_for(timeout=15_000)
    expect(incoming.get_by_test_id("referral-status")).to_have_text("待接收")
    screenshot(receiver, "referrals")

    # and the receiver accepts it for a day with a free slot
    incoming.click()
    detail = receiver.get_by_test_id("referral-detail")
    expect(detail.get_by_test_id("detail-status")).to_have_text("待接收")
    expect(detail).to_contain_text("心电图.pdf")
    # the receiver is offered the receiving steps only, never 撤回 or 取消
    offered = _offered(detail)
    assert "ACCEPT" in offered and offered <= RECEIVER_STEPS, offered
    detail.get_by_test_id("action-ACCEPT").click()
    dialog = receiver.get_by_role("dialog").filter(has=receiver.get_by_test_id("action-form"))
    # the day the sender wished for (the first free one) is already chosen
    wished = dialog.get_by_test_id("slot-picker").locator("label:not(.ant-radio-button-wrapper-disabled)").first
    expect(wished).to_have_class(re.compile("ant-radio-button-wrapper-checked"))
    dialog.get_by_role("button", name="接收").click()
    expect(detail.get_by_test_id("detail-status")).to_have_text("已预约")
    expect(detail.get_by_test_id("referral-timeline")).to_contain_text("接收")
    screenshot(receiver, "referral-detail")

    # while the sender's board updates on its own
    expect(outgoing.get_by_test_id("referral-status")).to_have_text("已预约", timeout=15_000)
    outgoing.click()
    timeline = sender.get_by_test_id("referral-timeline")
    expect(timeline).to_contain_text("提交")
    expect(timeline).to_contain_text("接收")
    # booked: the sender may cancel it; 到诊 and 关闭 are the receiver's
    assert _offered(sender.get_by_test_id("referral-detail")) == {"CANCEL"}
    assert _offered(detail) <= RECEIVER_STEPS and "ARRIVE" in _offered(detail)
    assert not sender.js_errors and not receiver.js_errors, sender.js_errors + receiver.js_errors


def test_internal_review_is_approved_and_returned_from_the_page(site, world, new_page):
    # given two referrals from 分水镇 to its own community's lead hospital, each needing the
    # centre's review before it goes out, and the centre's referral office
    p = world.p
    reviewer = make_user("周审核")
    member(reviewer, p.tenant_a, p.member_a1)
    grant(reviewer, "referral_office", p.member_a1, p.tenant_a)
    with tenant_context(p.tenant_a):
        for name in ("吴阿公", "郑阿婆"):
            draft = services.create_draft(world.sender, from_unit_id=p.member_a1.pk, to_unit_id=p.lead_a.pk,
                                          desk_id=world.desk_a, **{**FORM, "patient_name": name, "needs_review": True})
            assert services.transition(world.sender, draft.pk, "submit").status == Status.REVIEW

    # when the reviewer opens the first on the outgoing board
    page = new_page()
    sign_in(page, site, reviewer.username, PASSWORD)
    page.get_by_role("menuitem", name="双向转诊").click()
    page.get_by_role("tab", name="转出").click()
    first = page.get_by_test_id("referral-item").filter(has_text="吴阿公")
    expect(first.get_by_test_id("referral-status")).to_have_text("待审核")
    first.click()
    detail = page.get_by_test_id("referral-detail")
    # then she is offered the review's two steps, and approving sends it on
    assert _offered(detail) == {"APPROVE", "RETURN_TO_DRAFT"}
    screenshot(page, "referral-review")
    detail.get_by_test_id("action-APPROVE").click()
    page.get_by_role("dialog").filter(has=page.get_by_test_id("action-form")).get_by_role("button", name="审核通过").click()
    expect(detail.get_by_test_id("detail-status")).to_have_text("待接收")
    assert _offered(detail) == set()  # withdrawing is the sending doctor's
    page.keyboard.press("Escape")

    # and the second goes back to its doctor as a draft, with the reason she must give
    second = page.get_by_test_id("referral-item").filter(has_text="郑阿婆")
    second.click()
    detail.get_by_test_id("action-RETURN_TO_DRAFT").click()
    dialog = page.get_by_role("dialog").filter(has=page.get_by_test_id("action-form"))
    dialog.get_by_role("button", name="审核退回").click()
    expect(dialog).to_contain_text("此项必填")
    dialog.get_by_label("原因").fill("诊断依据不足，请补充心电图")
    dialog.get_by_role("button", name="审核退回").click()
    expect(detail.get_by_test_id("detail-status")).to_have_text("草稿")
    expect(detail).to_contain_text("诊断依据不足，请补充心电图")
    assert not page.js_errors, page.js_errors

"""Referrals in real browsers against the real server: a township doctor creates a referral
(unit, desk, a day with free slots, an attachment) that appears live on the board of the
receiving doctor in another tenant, who accepts it while the sender's board updates. Between
the tenants the steps travel through the bus relay, run here in a background thread."""

from __future__ import annotations

import threading
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.worlds import ReferralWorld as World

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def world(unique):
    return World(unique(""))


@pytest.fixture
def bus_relay():
    """What the relay worker does in production: deliver due bus messages, again and again."""
    from django.db import connections

    from jianlian.bus import relay

    stop = threading.Event()

    def loop():
        try:
            while not stop.is_set():
                relay.run_once()
                stop.wait(0.3)
        finally:
            connections.close_all()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(10)


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
    detail.get_by_test_id("action-ACCEPT").click()
    dialog = receiver.get_by_role("dialog").filter(has=receiver.get_by_test_id("action-form"))
    dialog.get_by_test_id("slot-picker").locator("label:not(.ant-radio-button-wrapper-disabled)").first.click()
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
    assert not sender.js_errors and not receiver.js_errors, sender.js_errors + receiver.js_errors

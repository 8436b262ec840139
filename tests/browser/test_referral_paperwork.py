"""Referral paperwork in a real browser: the sending doctor prints the 转出单 in a new tab and the
receiving doctor opens the attachment she received (both through short-lived signed links, as
the workbench's bearer token cannot travel with a plain link); and a new referral submitted
with fields missing or wrong shows each error under its own field, required fields marked."""

from __future__ import annotations

import base64

import pytest
from playwright.sync_api import expect

from jianlian.bus import relay
from modules.referrals import services
from tenants.context import tenant_context
from tests.browser.conftest import SCREENSHOTS, screenshot, sign_in
from tests.factories import PASSWORD
from tests.worlds import FORM
from tests.worlds import ReferralWorld as World

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def world(unique):
    return World(unique(""))


def test_a_doctor_prints_the_referral_form_and_the_receiver_opens_the_attachment(site, world, new_page):
    # given a referral with a lab report, sent from 分水镇 to 浙江省人民医院 and delivered there
    p = world.p
    with tenant_context(p.tenant_a):
        draft = services.create_draft(world.sender, from_unit_id=p.member_a1.pk, to_unit_id=p.hospital.pk,
                                      desk_id=world.desk_h, **FORM)
        services.add_attachment(world.sender, draft.pk, filename="血常规.pdf", content_type="application/pdf",
                                data_base64=base64.b64encode(PDF).decode())
        services.transition(world.sender, draft.pk, "submit")
    relay.run_once()

    # when the sending doctor opens it and prints the 转出单
    sender = new_page()
    sign_in(sender, site, world.sender.username, PASSWORD)
    sender.get_by_role("menuitem", name="双向转诊").click()
    sender.get_by_role("tab", name="转出").click()
    sender.get_by_test_id("referral-item").filter(has_text="陈阿婆").click()
    detail = sender.get_by_test_id("referral-detail")
    expect(detail.get_by_test_id("print-return")).to_have_count(0)  # not completed: no 回转单 yet
    with sender.expect_popup() as popup:
        detail.get_by_test_id("print-outbound").click()
    form = popup.value
    form.wait_for_load_state()
    # then the paper form opens in its tab, signed in as her for this page only
    expect(form.locator("body")).to_contain_text("双向转诊（转出）单")
    expect(form.locator("body")).to_contain_text("陈阿婆")
    expect(form.locator("body")).to_contain_text("存根")
    assert "/print/outbound/?link=" in form.url
    form.screenshot(path=str(SCREENSHOTS / "referral-print-outbound-desktop.png"))

    # and the receiving cardiologist opens the lab report she received
    receiver = new_page()
    sign_in(receiver, site, world.cardio.username, PASSWORD)
    receiver.get_by_role("menuitem", name="双向转诊").click()
    receiver.get_by_test_id("referral-item").filter(has_text="陈阿婆").click()
    link = receiver.get_by_test_id("referral-detail").get_by_test_id("attachment-link")
    expect(link).to_have_text("血常规.pdf")
    screenshot(receiver, "referral-attachments", focus="referral-detail")
    with receiver.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "血常规.pdf"
    with open(download.value.path(), "rb") as f:
        assert f.read() == PDF
    assert not sender.js_errors and not receiver.js_errors, sender.js_errors + receiver.js_errors


def _item(form, label):
    """The form item (label, input and its messages) of the field labelled `label`."""
    return form.locator(".ant-form-item").filter(has=form.page.get_by_label(label, exact=True))


def test_a_referral_submitted_with_fields_missing_shows_each_error_under_its_field(site, world, new_page):
    page = new_page()
    sign_in(page, site, world.sender.username, PASSWORD)
    page.get_by_role("menuitem", name="双向转诊").click()
    page.get_by_test_id("new-referral").click()
    form = page.get_by_test_id("referral-form")
    required = ["接收机构", "患者姓名", "性别", "出生日期", "诊断编码（ICD-10）", "初步印象", "转诊原因/主要病史"]
    # required fields carry the asterisk
    for label in required:
        expect(_item(form, label).locator("label.ant-form-item-required")).to_have_count(1)

    # when she submits the empty form
    page.get_by_test_id("submit-referral").click()
    # then each required field says so under itself, and nothing is summed up at the top
    for label in required:
        expect(_item(form, label).locator(".ant-form-item-explain-error")).to_have_text("此项必填")
    expect(page.get_by_test_id("form-errors")).to_have_count(0)

    # when she fills it in with a diagnosis code and a birth date the server refuses
    form.get_by_label("接收机构").fill("浙江省人民")
    page.locator(".ant-select-item-option").filter(has_text="浙江省人民医院").click()
    form.get_by_label("患者姓名").fill("陈阿婆")
    form.get_by_label("性别").click()
    page.locator(".ant-select-item-option").filter(has_text="女").click()
    form.get_by_label("出生日期").fill("2099-05-02")
    form.get_by_label("出生日期").press("Enter")
    form.get_by_label("诊断编码（ICD-10）").fill("胸痛")
    form.get_by_label("初步印象").fill("不稳定型心绞痛")
    form.get_by_label("转诊原因/主要病史").fill("反复胸闷胸痛3天")
    page.get_by_test_id("submit-referral").click()
    # then the server's errors sit under those two fields, not in a list above the form
    expect(_item(form, "诊断编码（ICD-10）").locator(".ant-form-item-explain-error")).to_contain_text("ICD-10 编码格式不正确")
    expect(_item(form, "出生日期").locator(".ant-form-item-explain-error")).to_have_text("出生日期不正确。")
    expect(page.get_by_test_id("form-errors")).to_have_count(0)
    screenshot(page, "referral-form-errors", focus="referral-form")
    assert not page.js_errors, page.js_errors

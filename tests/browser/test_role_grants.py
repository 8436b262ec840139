"""Issue 17 item 2 in a real browser: 浙江省人民医院's admin grants a doctor the receiving role on
系统管理 → 角色与权限; the doctor then receives, live, a referral from 桐庐's 分水镇 centre and accepts
it, and the sender's copy says it was delivered (已送达) besides its status."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jianlian.identity.models import User, UserStatus
from tenants.context import tenant_context
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_referrals import _wait_subscribed, _watch_board
from tests.factories import PASSWORD, grant, make_department, make_staff, make_user, member
from tests.worlds import ReferralWorld

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(unique):
    w = ReferralWorld(unique(""))
    p = w.p
    w.admin = make_user("吴院管")
    member(w.admin, p.tenant_h, p.hospital)
    grant(w.admin, "tenant_admin", p.hospital, p.tenant_h)
    with tenant_context(p.tenant_h):  # a cardiologist on the staff list, who cannot receive referrals yet
        dept = make_department("XNK", "心血管内科", unit=p.hospital)
        staff = make_staff("冯晓峰", unit=p.hospital, department=dept)
    w.doctor = User.objects.get(pk=staff.user_id)
    w.doctor.status = UserStatus.ACTIVE
    w.doctor.set_password(PASSWORD)
    w.doctor.save()
    grant(w.doctor, "staff", p.hospital, p.tenant_h)
    return w


def test_a_hospital_admin_grants_the_receiving_role_and_the_doctor_accepts_a_referral_live(site, world, new_page, bus_relay):
    # given the hospital's admin on 角色与权限
    admin = new_page()
    sign_in(admin, site, world.admin.username, PASSWORD)
    admin.get_by_role("menuitem", name="角色与权限").click()
    doctor_role = admin.get_by_test_id("role-item").and_(admin.locator('[data-role="doctor"]'))
    expect(admin.locator('[data-role="referral_office"]')).to_contain_text("双向转诊")  # the installed app's role
    # when she grants 医生 to 冯晓峰, picked by name
    doctor_role.get_by_test_id("grant-role").click()
    dialog = admin.get_by_role("dialog")
    dialog.get_by_label("人员").fill("冯晓")
    admin.locator(".ant-select-item-option").filter(has_text="冯晓峰").click()
    dialog.get_by_role("button", name="授予").click()
    # then he is listed as holding it at the hospital
    expect(doctor_role.get_by_test_id("role-holders")).to_contain_text("冯晓峰")
    expect(doctor_role.get_by_test_id("role-holders")).to_contain_text("浙江省人民医院")
    screenshot(admin, "roles")

    # and, signed in, the doctor has the referral board, empty and listening
    doctor = new_page()
    _watch_board(doctor)
    sign_in(doctor, site, world.doctor.username, PASSWORD)
    doctor.get_by_role("menuitem", name="双向转诊").click()
    doctor.get_by_text("没有转入的转诊单").wait_for()
    _wait_subscribed(doctor)

    # when 分水镇's doctor refers a patient up to the hospital
    out = world.refer_up()
    # then it appears on his board without a reload, and he accepts it
    incoming = doctor.get_by_test_id("referral-item").filter(has_text="陈阿婆")
    incoming.wait_for(timeout=15_000)
    incoming.click()
    detail = doctor.get_by_test_id("referral-detail")
    detail.get_by_test_id("action-ACCEPT").click()
    form = doctor.get_by_role("dialog").filter(has=doctor.get_by_test_id("action-form"))
    form.get_by_test_id("slot-picker").locator("label:not(.ant-radio-button-wrapper-disabled)").first.click()
    form.get_by_role("button", name="接收").click()
    expect(detail.get_by_test_id("detail-status")).to_have_text("已预约")

    # and the sender's copy says it was delivered, apart from its status
    sender = new_page()
    sign_in(sender, site, world.sender.username, PASSWORD)
    sender.get_by_role("menuitem", name="双向转诊").click()
    sender.get_by_role("tab", name="转出").click()
    mine = sender.get_by_test_id("referral-item").filter(has_text="陈阿婆")
    expect(mine.get_by_test_id("referral-status")).to_have_text("已预约", timeout=15_000)
    mine.click()
    expect(sender.get_by_test_id("detail-delivery")).to_contain_text("已送达")
    assert world.in_a(out.uid).status == "booked"
    assert not admin.js_errors and not doctor.js_errors and not sender.js_errors

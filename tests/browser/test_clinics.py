"""Outpatient schedules in real browsers (issue 21 item 5): a doctor sees the week's sessions with
an approved 停诊 marked and can open the request form for her open one; the public lobby screen
shows the 停诊 to anyone, without signing in, at 360 px."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django.utils.module_loading import import_string
from playwright.sync_api import expect

from jianlian.identity.models import User
from jianlian.marketplace import services as market
from tenants.context import tenant_context
from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.factories import PASSWORD, build_province, grant, make_department, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(unique):
    from modules.clinics import changes, services

    p = build_province(unique(""))
    with tenant_context(p.tenant_a):
        market.install(None, p.tenant_a, "approvals")
        market.install(None, p.tenant_a, "clinics")
        dept = make_department(unique("XNK"), "心内科", unit=p.lead_a)
        doctors = [make_staff(n, unit=p.lead_a, department=dept) for n in ("王医生", "李医生")]
        User.objects.filter(pk__in=[d.user_id for d in doctors]).update(status="active")
        wang, li = (User.objects.get(pk=d.user_id) for d in doctors)
        wang.set_password(PASSWORD)
        wang.save()
        admin = p.users["tenant_admin"]
        grant(admin, "clinic_scheduler", p.lead_a, p.tenant_a)
        day = timezone.localdate()
        stop = services.create_session(admin, department_id=dept.pk, day=day, half="am", doctor_id=li.pk, room="201诊室", quota=30)
        services.create_session(admin, department_id=dept.pk, day=day, half="pm", doctor_id=wang.pk, room="202诊室", quota=20)
        change = changes.request(admin, session_id=stop.pk, kind="stop", reason="外出会诊", head_ids=[admin.pk], office_ids=[admin.pk])
        approve = import_string("modules.approvals.hooks.approve_owned")
        approve(admin, change.approval_id, "同意")
        approve(admin, change.approval_id, "同意")
    return {"p": p, "wang": wang, "day": day}


def test_the_week_marks_an_approved_stop_and_the_public_lobby_shows_it_at_360px(site, world, new_page):
    doctor = new_page()
    sign_in(doctor, site, world["wang"].username, PASSWORD)
    doctor.goto(f"{site}/clinics")
    week = doctor.get_by_test_id("clinics-week")
    expect(week.locator("tr", has_text="李医生")).to_contain_text("停诊")
    mine = week.locator("tr", has_text="王医生")
    expect(mine).to_contain_text("出诊")
    mine.get_by_role("button", name="申请停诊/替诊").click()
    expect(doctor.get_by_role("dialog")).to_contain_text("科室主任")
    screenshot(doctor, "clinics-request")

    lobby = new_page(viewport=PHONE)
    lobby.goto(f"{site}/t/{world['p'].tenant_a.slug}/apps/clinics/lobby/?day={world['day'].isoformat()}")
    expect(lobby.locator("tr", has_text="李医生")).to_contain_text("停诊")
    expect(lobby.locator("tr", has_text="王医生")).to_contain_text("出诊")
    screenshot(lobby, "clinics-lobby")
    assert not doctor.js_errors and not lobby.js_errors, (doctor.js_errors, lobby.js_errors)

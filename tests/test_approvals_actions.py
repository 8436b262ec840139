"""Approvals actions (issue 16): return to an earlier node, withdraw, forward, add-sign, urge,
comments, timeouts with controlled time, hand-over on leave and transfer, editing a template
while instances run, field rights, bad input refused per field with nothing written, and who may
see an instance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jianlian.core.errors import DomainError
from jianlian.org import services as org
from jianlian.todos import services as todo_services
from jianlian.todos.models import TodoItem
from modules.approvals import access, actions, templates, timeouts
from modules.approvals.models import Action, Instance
from tests.approvals_world import FORM, approver, users
from tests.test_approvals_flow import approve, pending, status, task_of, w, world  # noqa: F401 (fixtures)


def codes(fn, *args, **kwargs):
    with pytest.raises(DomainError) as e:
        fn(*args, **kwargs)
    return [(p.field, p.code) for p in e.value.problems]


def three_steps(w):
    return w.template(approver("a", users(w.user("钱进")), child=approver("b", users(w.user("孙立")),
                                                                          child=approver("c", users(w.user("院长"))))))


# --- return, withdraw, resubmit -----------------------------------------------------------------------

def test_return_to_an_earlier_node_makes_it_approve_again(w):
    inst = actions.submit(w.user("赵敏"), three_steps(w).pk, {"reason": "x"})
    approve(w, inst, "钱进")
    approve(w, inst, "孙立")
    task = task_of(inst, w.user("院长"))
    assert codes(actions.return_to, w.user("院长"), task.pk, "c", comment="再看看") == [("node", "INVALID_RETURN_TARGET")]
    actions.return_to(w.user("院长"), task.pk, "a", comment="材料不全")
    assert pending(inst) == ["钱进"]
    approve(w, inst, "钱进")
    assert pending(inst) == ["孙立"]  # the nodes after it approve again too


def test_return_to_the_submitter_then_resubmit(w):
    inst = actions.submit(w.user("赵敏"), three_steps(w).pk, {"reason": "x"})
    actions.return_to(w.user("钱进"), task_of(inst, w.user("钱进")).pk, "start", comment="事由写清楚")
    assert status(inst) == "returned" and pending(inst) == []
    assert TodoItem.objects.filter(user_id=w.user("赵敏").pk, kind="resubmit", state="pending").exists()
    actions.resubmit(w.user("赵敏"), inst.pk, {"reason": "家中老人住院"})
    assert status(inst) == "running" and pending(inst) == ["钱进"]
    assert Instance.objects.get(pk=inst.pk).data["reason"] == "家中老人住院"


def test_withdraw_by_the_submitter_only(w):
    inst = actions.submit(w.user("赵敏"), three_steps(w).pk, {"reason": "x"})
    with pytest.raises(DomainError):
        actions.withdraw(w.user("钱进"), inst.pk)
    actions.withdraw(w.user("赵敏"), inst.pk, reason="不请了")
    assert status(inst) == "withdrawn" and pending(inst) == []
    assert not TodoItem.objects.filter(key__startswith="approvals:task:", state="pending", user_id=w.user("钱进").pk).exists()
    assert codes(actions.withdraw, w.user("赵敏"), inst.pk) == [("instance", "INSTANCE_NOT_RUNNING")]


# --- forward and add-sign ------------------------------------------------------------------------------

def test_forward_hands_the_task_over_in_place(w):
    inst = actions.submit(w.user("赵敏"), three_steps(w).pk, {"reason": "x"})
    actions.forward(w.user("钱进"), task_of(inst, w.user("钱进")).pk, w.user("李想").pk, comment="请李医生处理")
    assert pending(inst) == ["李想"]
    assert TodoItem.objects.get(user_id=w.user("钱进").pk, role="assignee").outcome == "forwarded"
    approve(w, inst, "李想")
    assert pending(inst) == ["孙立"]
    assert access.may_view(w.user("李想"), Instance.objects.get(pk=inst.pk))


def test_add_sign_before_and_after(w):
    inst = actions.submit(w.user("赵敏"), three_steps(w).pk, {"reason": "x"})
    actions.add_sign(w.user("钱进"), task_of(inst, w.user("钱进")).pk, [w.user("周到").pk], position="before")
    assert pending(inst) == ["周到"]
    approve(w, inst, "周到")
    assert pending(inst) == ["钱进"]  # back to the one who added
    actions.add_sign(w.user("钱进"), task_of(inst, w.user("钱进")).pk, [w.user("李想").pk], position="after", comment="同意")
    assert pending(inst) == ["李想"]
    approve(w, inst, "李想")
    assert pending(inst) == ["孙立"]


def test_add_sign_after_in_an_any_node_waits_for_the_added(w):
    t = w.template(approver("a", users(w.user("钱进"), w.user("孙立")), "any", child=approver("b", users(w.user("院长")))))
    inst = actions.submit(w.user("赵敏"), t.pk, {"reason": "x"})
    actions.add_sign(w.user("钱进"), task_of(inst, w.user("钱进")).pk, [w.user("李想").pk], position="after")
    assert pending(inst) == ["李想"]  # 孙立's alternative task is no longer needed
    approve(w, inst, "李想")
    assert pending(inst) == ["院长"]


# --- urge, comments -----------------------------------------------------------------------------------

def test_urge_is_rate_limited(w):
    inst = actions.submit(w.user("赵敏"), three_steps(w).pk, {"reason": "x"})
    now = timezone.now()
    actions.urge(w.user("赵敏"), inst.pk, now=now)
    assert codes(actions.urge, w.user("赵敏"), inst.pk, now=now + timedelta(minutes=3)) == [("instance", "URGE_TOO_SOON")]
    actions.urge(w.user("赵敏"), inst.pk, now=now + timedelta(minutes=11))
    assert Action.objects.filter(instance=inst, kind="urge").count() == 2


def test_comment_with_attachments(w):
    inst = actions.submit(w.user("赵敏"), three_steps(w).pk, {"reason": "x"})
    actions.comment(w.user("钱进"), inst.pk, "请补充诊断证明", attachments=[{"name": "样例.pdf", "url": "/files/1"}])
    assert codes(actions.comment, w.user("钱进"), inst.pk, "x", attachments=[{"name": "a"}]) == [("attachments.0", "INVALID")]
    with pytest.raises(DomainError):
        actions.comment(w.user("外科主任"), inst.pk, "路过")  # not a participant: cannot see it
    assert Action.objects.get(instance=inst, kind="comment").attachments[0]["name"] == "样例.pdf"


# --- timeouts -------------------------------------------------------------------------------------------

def test_timeouts_remind_then_pass_or_reject(w):
    timeout = {"hours": 24, "remindEveryHours": 8, "maxReminders": 2, "action": "pass"}
    t = w.template(approver("a", users(w.user("钱进")), timeout=timeout, child=approver("b", users(w.user("孙立")),
                                                                                      timeout={**timeout, "action": "reject"})))
    start = timezone.now()
    inst = actions.submit(w.user("赵敏"), t.pk, {"reason": "x"}, now=start)
    assert timeouts.check_timeouts(start + timedelta(hours=7))["reminded"] == 0
    assert timeouts.check_timeouts(start + timedelta(hours=8))["reminded"] == 1
    assert timeouts.check_timeouts(start + timedelta(hours=16))["reminded"] == 1
    assert timeouts.check_timeouts(start + timedelta(hours=23))["reminded"] == 0  # at most two reminders
    assert timeouts.check_timeouts(start + timedelta(hours=24))["passed"] == 1
    assert pending(inst) == ["孙立"]
    timeouts.check_timeouts(start + timedelta(hours=49))
    assert status(inst) == "rejected"


# --- hand-over -------------------------------------------------------------------------------------------

def test_hand_over_on_leave_and_on_transfer(w):
    inst = actions.submit(w.user("赵敏"), three_steps(w).pk, {"reason": "x"})
    task = task_of(inst, w.user("钱进"))
    org.schedule_leave(None, w.staff["钱进"].pk, effective_at=timezone.now(), successor_user_id=w.user("李想").pk)
    assert pending(inst) == ["李想"]
    assert TodoItem.objects.get(key=f"approvals:task:{task.pk}", state="pending").user_id == w.user("李想").pk
    approve(w, inst, "李想")
    # 孙立 moves to 内科 (an epidemic-duty transfer): their pending task goes to the 外科 head
    org.schedule_transfer(None, w.staff["孙立"].pk, effective_at=timezone.now(), department_id=w.depts["internal"].pk)
    assert pending(inst) == ["外科主任"]


def test_an_uninstalled_approvals_app_keeps_its_tasks_where_they_were_when_staff_leave(w):
    from jianlian.marketplace.models import Installation
    from tenants.context import current_tenant

    inst = actions.submit(w.user("赵敏"), three_steps(w).pk, {"reason": "x"})
    installation = Installation.objects.get(tenant_id=current_tenant().pk, app__key="approvals")
    installation.status = "disabled"  # uninstalled, data kept
    installation.save(update_fields=["status"])
    try:
        event = org.schedule_leave(None, w.staff["钱进"].pk, effective_at=timezone.now(),
                                   successor_user_id=w.user("李想").pk)
        event.refresh_from_db()
        assert event.status == "applied"  # the leave itself goes through
        assert pending(inst) == ["钱进"]  # frozen with the app: reinstalling brings it back as it was
    finally:
        installation.status = "installed"
        installation.save(update_fields=["status"])


# --- templates while instances run ---------------------------------------------------------------------------

def test_editing_a_template_keeps_running_instances_on_their_version(w):
    t = w.template(approver("a", users(w.user("钱进"))))
    old = actions.submit(w.user("赵敏"), t.pk, {"reason": "x"})
    form = {**FORM, "required": ["reason", "days"]}
    templates.publish_version(w.user("admin"), t.pk, form_schema=form, flow_tree={
        "id": "start", "type": "start", "child": approver("z", users(w.user("孙立")))})
    new = actions.submit(w.user("赵敏"), t.pk, {"reason": "y", "days": 1})
    assert pending(new) == ["孙立"] and new.version.number == 2
    approve(w, old, "钱进")
    assert status(old) == "approved" and Instance.objects.get(pk=old.pk).version.number == 1
    assert codes(templates.publish_version, w.user("钱进"), t.pk, form_schema=form, flow_tree={}) == [(None, "PERMISSION_DENIED")]


def test_sub_administrators_by_department(w):
    t = w.template(approver("a", users(w.user("钱进"))))
    templates.update_settings(w.user("admin"), t.pk, managers={"department_ids": [w.depts["surgery"].pk]})
    templates.update_settings(w.user("孙立"), t.pk, name="外科请假")  # a member of 外科 manages it now
    with pytest.raises(DomainError):
        templates.update_settings(w.user("钱进"), t.pk, name="内科请假")


def test_audience_decides_who_may_start(w):
    t = w.template(approver("a", users(w.user("钱进"))), audience={"department_ids": [w.depts["surgery"].pk]})
    assert codes(actions.submit, w.user("赵敏"), t.pk, {"reason": "x"}) == [("template", "TEMPLATE_NOT_STARTABLE")]
    actions.submit(w.user("孙立"), t.pk, {"reason": "x"})


def test_field_rights_let_a_node_edit_only_its_fields(w):
    t = w.template(approver("a", users(w.user("钱进")), fieldRights={"days": "editable", "secret": "hidden"}))
    inst = actions.submit(w.user("赵敏"), t.pk, {"reason": "x", "days": 2, "secret": "s"})
    rights = actions.field_rights(w.user("钱进"), inst)
    assert rights == {"reason": "readonly", "days": "editable", "secret": "hidden"}
    task = task_of(inst, w.user("钱进"))
    assert codes(actions.approve, w.user("钱进"), task.pk, edits={"reason": "改"}) == [("edits.reason", "FIELD_NOT_EDITABLE")]
    assert codes(actions.approve, w.user("钱进"), task.pk, edits={"days": -1}) == [("edits.days", "INVALID")]
    actions.approve(w.user("钱进"), task.pk, edits={"days": 1.5})
    assert Instance.objects.get(pk=inst.pk).data["days"] == 1.5


# --- bad input --------------------------------------------------------------------------------------------

def test_every_bad_field_of_a_submission_is_reported_and_nothing_is_written(w):
    from modules.approvals.models import Template

    leave = Template.objects.get(key="leave")
    expense = Template.objects.get(key="expense")
    before = (Instance.objects.count(), TodoItem.objects.count(), Action.objects.count())
    assert codes(actions.submit, w.user("赵敏"), leave.pk, {"leaveType": "旅游假", "range": {"start": "2026-13-01", "end": "2026-12-03"},
                                                          "reason": "x" * 501, "attachments": [{"name": "a"}]}) == [
        ("data.attachments.0.url", "REQUIRED"), ("data.leaveType", "INVALID"), ("data.range.start", "INVALID"),
        ("data.reason", "TOO_LONG")]
    assert codes(actions.submit, w.user("赵敏"), leave.pk, {"leaveType": "年假", "range": {"start": "2026-12-05", "end": "2026-12-03"},
                                                          "reason": "x"}) == [("data.range.end", "INVALID")]
    assert codes(actions.submit, w.user("赵敏"), leave.pk, {}) == [
        ("data.leaveType", "REQUIRED"), ("data.range", "REQUIRED"), ("data.reason", "REQUIRED")]
    assert codes(actions.submit, w.user("赵敏"), expense.pk, {"reason": "差旅", "items": [{"kind": "交通费", "amount": -1},
                                                                                      {"kind": "飞船", "amount": 1.234}]}) == [
        ("data.items.0.amount", "INVALID"), ("data.items.1.amount", "INVALID"), ("data.items.1.kind", "INVALID")]
    assert (Instance.objects.count(), TodoItem.objects.count(), Action.objects.count()) == before
    ok = actions.submit(w.user("赵敏"), expense.pk, {"reason": "差旅", "items": [{"kind": "交通费", "amount": 120.5},
                                                                               {"kind": "住宿费", "amount": 380}]})
    assert ok.data["total"] == 500.5
    ok = actions.submit(w.user("赵敏"), leave.pk, {"leaveType": "年假", "range": {"start": "2026-12-01", "end": "2026-12-03",
                                                                                 "endHalf": "am"}, "reason": "探亲"})
    assert ok.data["range"]["days"] == 2.5 and "请假时间" in ok.summary


def test_conditional_field_required_only_for_substitution(w):
    from modules.approvals.models import Template

    change = Template.objects.get(key="clinic_change")
    base = {"change": "替诊", "date": "2026-12-08", "session": "上午", "reason": "外出会诊"}
    assert ("data.substitute", "REQUIRED") in codes(actions.submit, w.user("钱进"), change.pk, base)
    assert codes(actions.submit, w.user("钱进"), change.pk, {**base, "substitute": [123456789]}) == [("data.substitute.0", "INVALID")]
    actions.submit(w.user("钱进"), change.pk, {**base, "change": "停诊"})
    actions.submit(w.user("钱进"), change.pk, {**base, "substitute": [w.user("李想").pk]})


# --- visibility ----------------------------------------------------------------------------------------------

def test_who_sees_an_instance(w):
    flow = {"id": "cc", "type": "cc", "assignee": users(w.user("周到")), "child": approver("a", users(w.user("钱进")))}
    inst = Instance.objects.get(pk=actions.submit(w.user("赵敏"), w.template(flow).pk, {"reason": "x"}).pk)
    for name, sees in (("赵敏", True), ("钱进", True), ("周到", True), ("admin", True), ("孙立", False), ("院长", False)):
        assert access.may_view(w.user(name), inst) is sees, name
        assert access.visible_instances(w.user(name)).filter(pk=inst.pk).exists() is sees, name


def test_todo_views_and_counts(w):
    inst = actions.submit(w.user("赵敏"), three_steps(w).pk, {"reason": "请假三天"})
    qian, zhao = w.user("钱进"), w.user("赵敏")
    assert [i.title for i in todo_services.items(qian, "pending", search="赵敏")] == [inst.title]
    assert todo_services.counts(qian.pk).pending == 1 and todo_services.counts(zhao.pk).started_running == 1
    approve(w, inst, "钱进")
    assert todo_services.counts(qian.pk).pending == 0
    assert [i.outcome for i in todo_services.items(qian, "done")] == ["approved"]
    assert todo_services.items(zhao, "started").count() == 1
    assert codes(todo_services.items, qian, "everything") == [("view", "INVALID_TODO_VIEW")]


# --- daily collection forms -----------------------------------------------------------------------------

def test_daily_collection_opens_each_morning_once_and_takes_one_report_a_day(w):
    import datetime as dt

    from modules.approvals import collections
    from modules.approvals.models import Template

    daily = Template.objects.get(key="epidemic_daily")
    morning = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(7, 0)))
    assert collections.open_due(morning) == 0  # not yet eight o'clock
    given = collections.open_due(morning + timedelta(hours=1, minutes=1))
    zhao = w.user("赵敏")
    assert given >= 9 and collections.open_due(morning + timedelta(hours=2)) == 0  # once a day
    key = collections.todo_key(daily.pk, timezone.localdate())
    assert TodoItem.objects.get(user_id=zhao.pk, key=key).state == "pending"
    now = morning + timedelta(hours=2)
    inst = actions.submit(zhao, daily.pk, {"temperature": 36.6, "healthCode": "绿码", "symptoms": ["无"]}, now=now)
    assert Instance.objects.get(pk=inst.pk).status == "approved"  # a report, not a request: no approver
    assert TodoItem.objects.get(user_id=zhao.pk, key=key).state == "done"
    assert codes(actions.submit, zhao, daily.pk, {"temperature": 36.6, "healthCode": "绿码"}, now=now) == [
        ("template", "COLLECTION_CLOSED")]
    odd = actions.submit(w.user("钱进"), daily.pk, {"temperature": 38.2, "healthCode": "黄码"}, now=now)
    assert TodoItem.objects.filter(user_id=w.user("admin").pk, role="cc", key=f"approvals:instance:{odd.pk}").exists()


def test_rebuild_restores_a_persons_list_from_the_module_sources(w):
    inst = actions.submit(w.user("赵敏"), three_steps(w).pk, {"reason": "x"})
    qian = w.user("钱进")
    TodoItem.objects.filter(user_id=qian.pk).delete()  # lost (a restore from before the task)
    todo_services.create_todo([qian.pk], source="approvals", kind="approve", key="approvals:task:0", title="早已结束的")
    assert todo_services.rebuild(qian)["approvals"] == 1
    assert [i.title for i in todo_services.items(qian, "pending")] == [inst.title]
    assert TodoItem.objects.get(user_id=qian.pk, key="approvals:task:0").outcome == "stale"

"""Approvals stay fast as the hospital grows (issue 16: submit and approve p95 ≤ 50 ms on a
1,000-staff tenant): a submit and an approval take a fixed, small number of queries, whatever
the number of staff; and checking named people reads only their own memberships."""

from __future__ import annotations

from jianlian.access.models import Membership
from jianlian.org.audience import Targets, resolve_audience
from modules.approvals import actions
from modules.approvals.models import Task
from tests.factories import make_staff, make_user, member
from tests.test_approvals_flow import w, world  # noqa: F401 (fixtures)

SUBMIT_QUERIES = 23  # template, audience, department | instance, action, 2 to-dos, head, node, task, audit, notice …
APPROVE_QUERIES = 19  # lock, task | task, to-do, action, node, finish, instance, audit, notice …


def _submit_and_approve(w, template, django_assert_max_num_queries):
    for u in w.people.values():
        u.__dict__.pop("_jl_grants", None)
    with django_assert_max_num_queries(SUBMIT_QUERIES):
        inst = actions.submit(w.user("赵敏"), template.pk, {"reason": "家中有事", "days": 2})
    task = Task.objects.get(instance=inst, status="pending")
    assert task.assignee_id == w.user("内科主任").pk
    with django_assert_max_num_queries(APPROVE_QUERIES):
        actions.approve(w.user("内科主任"), task.pk, comment="同意")
    inst.refresh_from_db()
    assert inst.status == "approved"


def test_submit_and_approve_take_the_same_few_queries_however_many_staff(w, django_assert_max_num_queries):
    template = w.template({"id": "head", "type": "approver", "mode": "any", "assignee": {"kind": "department_head"}})
    actions.submit(w.user("钱进"), template.pk, {"reason": "先热身"})  # first-use caches (permissions, catalog)
    _submit_and_approve(w, template, django_assert_max_num_queries)
    for i in range(30):
        make_staff(f"新职工{i}", unit=w.p.lead_a, department=w.depts["internal"])
    _submit_and_approve(w, template, django_assert_max_num_queries)


def test_named_people_are_checked_against_their_own_active_memberships(w):
    outsider, gone = make_user("外单位"), make_user("已离开")
    member(outsider, w.p.tenant_b, w.p.lead_b)
    Membership.objects.filter(pk=member(gone, w.p.tenant_a, w.p.lead_a).pk).update(is_active=False)
    here = w.user("赵敏").pk
    assert resolve_audience(Targets(user_ids=[here, outsider.pk, gone.pk, str(here)])) == {here}
    assert resolve_audience(Targets(user_ids=[])) == set()

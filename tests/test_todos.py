"""The to-do centre (issue 16): the contract modules call, the four views with search and
filters, live counts after commit, hand-over with the person, and the feeds from referrals
(waiting to be received) and supervision (reports to approve)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jianlian.todos import services as todos
from jianlian.todos.models import TodoItem
from tenants.context import tenant_context
from tests.factories import make_user, member


@pytest.fixture
def people(province):
    p = province
    a, b = make_user("甲"), make_user("乙")
    for u in (a, b):
        member(u, p.tenant_a, p.lead_a)
    return p, a, b


def test_contract_create_complete_remove_and_views(people):
    p, a, b = people
    with tenant_context(p.tenant_a):
        todos.create_todo([a.pk, b.pk], source="demo", kind="approve", key="demo:1", title="赵敏的请假", started_by="赵敏",
                          due_at=timezone.now() - timedelta(hours=1))
        todos.create_todo([a.pk], source="demo", kind="approve", key="demo:2", title="孙立的报销", urgent=True)
        todos.create_todo([a.pk], source="demo", kind="cc", key="demo:3", title="抄送：用印", role="cc")
        todos.create_todo([a.pk], source="demo", kind="started", key="demo:4", title="我的出差", role="submitter")
        assert todos.counts(a.pk) == todos.Counts(pending=2, cc_unread=1, started_running=1)
        assert [i.key for i in todos.items(a, "pending", search="请假")] == ["demo:1"]
        assert [i.key for i in todos.items(a, "pending", urgent=True)] == ["demo:2"]
        assert [i.key for i in todos.items(a, "pending", overdue=True)] == ["demo:1"]
        todos.complete_todo("demo:1", user_ids=[a.pk], outcome="approved")
        assert [i.key for i in todos.items(a, "done")] == ["demo:1"]
        assert [i.key for i in todos.items(b, "pending")] == ["demo:1"]
        todos.remove_todo("demo:1")
        assert not todos.items(b, "pending").exists()
        assert todos.mark_read(a) == 1 and todos.counts(a.pk).cc_unread == 0
        todos.create_todo([a.pk], source="demo", kind="approve", key="demo:2", title="孙立的报销（已修改）")
        assert TodoItem.objects.filter(user_id=a.pk, key="demo:2").count() == 1  # refreshed, not doubled


@pytest.mark.django_db(transaction=True)
def test_counts_are_announced_after_commit_only(unique):
    import asyncio

    from asgiref.sync import async_to_sync, sync_to_async
    from channels.layers import get_channel_layer
    from django.db import connection, transaction

    from jianlian.realtime.events import user_group
    from tests.factories import build_province

    p = build_province(unique("td"))
    a = make_user("丙")
    member(a, p.tenant_a, p.lead_a)
    group = f"{p.tenant_a.schema_name}.user.{a.pk}"
    assert group == user_group(a.pk, p.tenant_a.schema_name)

    def writes():
        try:
            with tenant_context(p.tenant_a):
                with pytest.raises(RuntimeError), transaction.atomic():
                    todos.create_todo([a.pk], source="demo", kind="approve", key="demo:x", title="回滚的")
                    raise RuntimeError
                with transaction.atomic():
                    todos.create_todo([a.pk], source="demo", kind="approve", key="demo:y", title="一")
                    todos.create_todo([a.pk], source="demo", kind="approve", key="demo:z", title="二")
        finally:
            connection.close()

    async def scenario():
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        await sync_to_async(writes, thread_sensitive=False)()
        first = await asyncio.wait_for(layer.receive(channel), 5)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(layer.receive(channel), 0.5)
        return first

    message = async_to_sync(scenario)()
    assert message["name"] == "todos.counts" and message["payload"]["pending"] == 2  # one message, after commit


def test_hand_over_moves_pending_items(people):
    from jianlian.org import handover

    p, a, b = people
    with tenant_context(p.tenant_a):
        todos.create_todo([a.pk], source="demo", kind="approve", key="demo:h1", title="待办")
        todos.create_todo([a.pk], source="demo", kind="approve", key="demo:h2", title="已办")
        todos.complete_todo("demo:h2")
        assert handover.hand_over(a.pk, b.pk, reason="leave")["todos.items"] == 1
        assert [i.key for i in todos.items(b, "pending")] == ["demo:h1"]
        assert [i.key for i in todos.items(a, "done")] == ["demo:h2"]  # history stays with the person


def test_referral_waiting_to_be_received_is_on_the_receivers_list(db):
    from modules.referrals import services
    from tests.worlds import FORM, TOMORROW, ReferralWorld as World

    w = World("")
    p = w.p
    office = p.users["tenant_admin"]  # holds referrals.accept at 桐庐 (referral office)
    with tenant_context(p.tenant_a):
        r = services.create_draft(w.sender, from_unit_id=p.member_a1.pk, to_unit_id=p.lead_a.pk, desk_id=w.desk_a, **FORM)
        services.transition(w.sender, r.pk, "submit")
        key = f"referrals:{r.pk}"
        assert TodoItem.objects.get(user_id=office.pk, key=key).state == "pending"
        assert TodoItem.objects.get(user_id=w.lead_doctor.pk, key=key).urgent is True
        services.transition(w.lead_doctor, r.pk, "receive")
        assert TodoItem.objects.get(user_id=office.pk, key=key).state == "pending"  # seen, not yet accepted
        services.transition(w.lead_doctor, r.pk, "accept", appointment_date=TOMORROW)
        assert set(TodoItem.objects.filter(key=key).values_list("state", flat=True)) == {"done"}


def test_supervision_report_to_approve_is_on_the_community_approvers_list(db):
    from modules.supervision import services
    from tests.worlds import JAN, SupervisionWorld as World

    w = World()
    p = w.p
    w.put(p.member_a1, "beds", JAN, 10)
    a = services.submit(w.reporter, p.member_a1.pk, JAN)
    with tenant_context(p.tenant_a):
        item = TodoItem.objects.get(user_id=w.officer.pk, key=f"supervision:approval:{a.pk}")
        assert item.state == "pending" and "监管数据待审核" in item.title
    services.approve(w.officer, p.member_a1.pk, JAN)
    with tenant_context(p.tenant_a):
        assert TodoItem.objects.get(user_id=w.officer.pk, key=f"supervision:approval:{a.pk}").state == "done"
    services.unapprove(w.officer, p.member_a1.pk, JAN, "请核对")
    with tenant_context(p.tenant_a):
        assert TodoItem.objects.get(user_id=w.officer.pk, key=f"supervision:approval:{a.pk}").state == "pending"


@pytest.mark.django_db(transaction=True)
def test_a_supervision_step_committed_on_the_console_announces_counts_in_the_approvers_tenant(unique):
    """A supervision step runs on the public schema and feeds to-do lists in the approvers'
    tenants; the live counts are read after commit, and must be read in that tenant (they were
    read on the console, where there is no to-do table, and the step failed at commit)."""
    from modules.supervision import services
    from tests.worlds import JAN, SupervisionWorld as World

    w = World(unique(""))
    p = w.p
    w.put(p.member_a1, "beds", JAN, 10)
    a = services.submit(w.reporter, p.member_a1.pk, JAN)  # commits
    with tenant_context(p.tenant_a):
        assert TodoItem.objects.get(user_id=w.officer.pk, key=f"supervision:approval:{a.pk}").state == "pending"

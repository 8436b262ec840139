"""Official documents committed for real (the relay reads the database's clock, and threads need
committed rows): a 发文 sent to another unit is registered there as 收文 exactly once with the relay
stopped and restarted mid-way, and twenty concurrent 签发 of one series get 1..20 without a gap
or a duplicate."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from jianlian.bus import relay
from jianlian.bus.models import InboxMessage
from jianlian.todos.models import TodoItem
from modules.approvals import actions as approvals
from modules.approvals.models import Task
from modules.documents import incoming, outgoing
from modules.documents.models import Counter, InStatus, Incoming, OutStatus, Outgoing
from tenants.context import tenant_context
from tests.documents_world import build
from tests.factories import build_province

N = 20


def submitted(w, title, main_to):
    doc = outgoing.save_draft(w.user("外科主任"), title=title, series_id=w.series.pk, body="正文。", main_to=main_to)
    return outgoing.submit(w.user("外科主任"), doc.pk, reviewers=[w.user("副院长").pk], signers=[w.user("院长").pk])


def approve(w, doc, name):
    user = w.user(name)
    task = Task.objects.get(instance_id=doc.approval_id, assignee_id=user.pk, status="pending")
    approvals.approve(user, task.pk, comment="同意")


def signed(w, title, main_to):
    doc = submitted(w, title, main_to)
    approve(w, doc, "副院长")
    approve(w, doc, "院长")
    return Outgoing.objects.get(pk=doc.pk)


@pytest.mark.django_db(transaction=True)
def test_a_document_sent_to_another_unit_is_registered_there_exactly_once_with_the_relay_stopped_mid_way():
    p = build_province()
    w = build(p)
    to_b = [{"kind": "tenant", "slug": "xiangshan"}]
    with tenant_context(p.tenant_a):
        docs = [signed(w, title, to_b) for title in ("来文一", "来文二")]
    # the relay delivers both into B's inbox, then stops before applying them
    with tenant_context(relay._public()):
        relay._deliver(p.tenant_a.schema_name, 500, set(relay.bus_schemas()), relay.RelayStats())
    with tenant_context(p.tenant_b):
        assert InboxMessage.objects.filter(status="pending").count() == 2 and not Incoming.objects.exists()
    with tenant_context(p.tenant_a):  # a third is signed while it is stopped
        docs.append(signed(w, "来文三", to_b))
    relay.run_once()  # restarted
    relay.run_once()  # and again: nothing twice
    with tenant_context(p.tenant_b):
        rows = list(Incoming.objects.order_by("pk"))
        assert sorted(r.title for r in rows) == sorted(["来文一", "来文二", "来文三"])
        assert sorted(r.number for r in rows) == sorted(d.number for d in docs)
        assert all(r.issuer == "桐庐县第一人民医院" and r.status == InStatus.REGISTERED and r.source_tenant == p.tenant_a.schema_name
                   for r in rows)
        # the same message applied once more (a redelivery) registers nothing new
        message = InboxMessage.objects.get(id=rows[0].source_message)
        assert incoming.receive(message).pk == rows[0].pk
        assert Incoming.objects.count() == 3
        # each waits on B's office as one to-do
        assert TodoItem.objects.filter(user_id=w.user("陈文书").pk, source="documents", state="pending").count() == 3
    with tenant_context(p.tenant_a):
        from jianlian.bus.models import OutboxMessage

        assert set(OutboxMessage.objects.filter(type="documents.dispatched").values_list("status", flat=True)) == {"acked"}


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_signings_number_one_to_twenty_without_a_gap_or_a_duplicate():
    p = build_province()
    w = build(p)
    with tenant_context(p.tenant_a):
        docs = [submitted(w, f"并发{i}", [{"kind": "user", "id": w.user("内科主任").pk}]) for i in range(N)]
        for d in docs:
            approve(w, d, "副院长")
        tasks = [Task.objects.get(instance_id=d.approval_id, status="pending").pk for d in docs]
    signer = w.user("院长")
    barrier = threading.Barrier(N)
    errors: list[str] = []

    def sign(task_id):
        try:
            with tenant_context(p.tenant_a):
                barrier.wait()
                approvals.approve(signer, task_id, comment="签发")
        except Exception as e:  # noqa: BLE001 — reported below
            errors.append(repr(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(t,)) for t in tasks]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    with tenant_context(p.tenant_a):
        rows = Outgoing.objects.filter(pk__in=[d.pk for d in docs])
        assert {r.status for r in rows} == {OutStatus.SENT}
        assert sorted(r.sequence for r in rows) == list(range(1, N + 1))
        assert len({r.number for r in rows}) == N
        assert Counter.objects.get(series=w.series).last == N

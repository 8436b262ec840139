"""Two approvers of a 或签 acting at the same instant, on two real connections: exactly one
decides, the other is told it was already handled, and the flow moves on once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from jianlian.core.errors import DomainError
from modules.approvals import actions
from modules.approvals.models import Action, Instance, Task
from tenants.context import tenant_context
from tests.approvals_world import approver, build, users
from tests.factories import build_province


@pytest.mark.django_db(transaction=True)
def test_concurrent_any_sign_decides_exactly_once(unique):
    p = build_province(unique("c"))
    with tenant_context(p.tenant_a):
        w = build(p)
        t = w.template(approver("a", users(w.user("钱进"), w.user("孙立")), "any", child=approver("b", users(w.user("院长")))))
        last = w.template(approver("a", users(w.user("钱进"), w.user("孙立")), "any"))  # the decision ends it
        insts = [actions.submit(w.user("赵敏"), (t if i % 2 else last).pk, {"reason": f"并发{i}"}) for i in range(6)]
    for inst in insts:
        barrier = threading.Barrier(2)
        results = []

        def act(name):
            try:
                with tenant_context(p.tenant_a):
                    task = Task.objects.get(instance=inst, assignee_id=w.user(name).pk)
                    barrier.wait()
                    actions.approve(w.user(name), task.pk)
                    results.append("ok")
            except DomainError as e:
                results.append(e.code)
            finally:
                connection.close()

        threads = [threading.Thread(target=act, args=(n,)) for n in ("钱进", "孙立")]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert sorted(results) == ["TASK_NOT_PENDING", "ok"]
        with tenant_context(p.tenant_a):
            assert Action.objects.filter(instance=inst, kind="approve").count() == 1
            after = list(Task.objects.filter(instance=inst, node__node_id="b").values_list("status", flat=True))
            assert after == (["pending"] if inst.template_id == t.pk else [])
            assert Instance.objects.get(pk=inst.pk).status == ("running" if inst.template_id == t.pk else "approved")

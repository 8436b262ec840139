"""Benchmark: approvals and the to-do centre in a tenant with 1,000 staff and 100,000 past
approvals (issue 16).

Printed, each beside a naive baseline measured in the same run:
- the to-do list (`todos(view: PENDING)`) p95 over HTTP against a uvicorn process (target ≤ 30 ms),
  beside the same list computed live from the approval tables (`approvalInstances(view: TODO)`,
  what a system without a to-do table does);
- submit and approve p95 as actions, committed (target ≤ 50 ms each), beside the bare rows the
  same write needs (an instance and a task inserted, nothing else: the floor);
- 1,000 或签 approvals decided concurrently by two approvers each (2,000 attempts on 8 threads):
  lost and decided-twice counts (target 0 and 0), beside a naive check-then-write without the row
  lock on the same workload.
BENCH_APPROVALS_PAST lowers the 100,000.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import pytest

from tests.bench.conftest import Row, assert_clean_start, build_county, delete_tree, percentile, print_table
from tests.bench.test_bench_3_api import _serve

STAFF = 1000
PAST = int(os.environ.get("BENCH_APPROVALS_PAST", 100_000))
DEPTS = 20
SAMPLES = 200
CONCURRENT = int(os.environ.get("BENCH_APPROVALS_CONCURRENT", 1000))
TODOS = "query { todos(view: PENDING, first: 20) { edges { node { id title summary link urgent dueAt } } } }"
NAIVE_TODOS = "query { approvalInstances(view: TODO, first: 20) { edges { node { id title summary } } } }"


def _staff(tenant, unit, n: int = STAFF, prefix: str = "bench.appr", seed: int = 16):
    """`n` accounts, memberships and staff profiles in 20 departments (each with a head), by COPY
    (the learning benchmark builds its hospital with it too)."""
    from django.utils import timezone

    from jianlian.access.models import Membership
    from jianlian.demo.seed import _People, copy_rows, insert_rows, insert_users
    from jianlian.org.models import DepartmentMembership, StaffProfile
    from jianlian.org.pinyin import name_keys
    from jianlian.org.services import create_department
    from tenants.context import tenant_context

    people = _People(seed=seed)
    rows = [people.user(f"{prefix}.{i}", f"职工{i:04d}", False, "330122", people.unusable_password) for i in range(n)]
    ids = insert_users(rows)
    now = timezone.now()
    copy_rows(Membership, [{"user_id": u, "tenant_id": tenant.pk, "unit_id": unit.pk, "staff_no": f"B{i:05d}",
                            "is_primary": True, "is_active": True, "joined_at": now} for i, u in enumerate(ids)])
    with tenant_context(tenant):
        depts = [create_department(None, unit_id=unit.pk, code=f"D{i:02d}", name=f"科室{i:02d}") for i in range(DEPTS)]
        profiles = []
        for i, u in enumerate(ids):
            pinyin, initials = name_keys(f"职工{i:04d}")
            profiles.append({"user_id": u, "staff_no": f"B{i:05d}", "name": f"职工{i:04d}", "name_pinyin": pinyin,
                             "name_initials": initials, "mobile": "", "mobile_reversed": "", "unit_id": unit.pk,
                             "status": "active", "employment_type": "own", "created_at": now, "updated_at": now})
        pids = insert_rows(StaffProfile, profiles)
        copy_rows(DepartmentMembership, [{"staff_id": p, "department_id": depts[i % DEPTS].pk, "is_primary": True}
                                         for i, p in enumerate(pids)])
        from jianlian.org.models import Department

        for i, d in enumerate(depts):
            Department.objects.filter(pk=d.pk).update(head_id=pids[i])
    return ids, {depts[i % DEPTS].pk: ids[i] for i in range(DEPTS)}, [ids[i] for i in range(n) if i >= DEPTS]


def _past(template, ids):
    """PAST approved instances, each with its node, task, timeline and to-do items, by COPY."""
    from django.utils import timezone

    from jianlian.demo.seed import copy_rows, insert_rows
    from jianlian.todos.models import TodoItem
    from modules.approvals.models import Action, Instance, NodeRun, Task

    rng = random.Random(16)
    now = timezone.now()
    version = template.current_version
    for start in range(0, PAST, 10_000):
        n = min(10_000, PAST - start)
        inst_rows, meta = [], []
        for k in range(n):
            i = start + k
            n_sub = DEPTS + rng.randrange(STAFF - DEPTS)
            sub, head = ids[n_sub], ids[n_sub % DEPTS]  # person i works in department i % DEPTS, headed by person i % DEPTS
            at = now - timedelta(days=365) + timedelta(seconds=rng.randrange(365 * 86400))
            data = {"reason": "过往请假", "days": rng.randint(1, 5)}
            inst_rows.append({"template_id": template.pk, "version_id": version.pk, "number": f"P{i:09d}",
                              "title": f"职工的请假{i}", "summary": "事由：过往请假", "submitter_id": sub, "submitter_name": "职工",
                              "department_id": None, "department_name": "", "unit_id": None, "data": json.dumps(data),
                              "chosen": "{}", "status": "approved", "urgent": False, "participants": json.dumps([head]),
                              "created_at": at, "updated_at": at + timedelta(hours=3), "finished_at": at + timedelta(hours=3),
                              "last_urged_at": None})
            meta.append((sub, head, at))
        iids = insert_rows(Instance, inst_rows)
        nids = insert_rows(NodeRun, [{"instance_id": iid, "node_id": "head", "name": "部门负责人", "kind": "approver", "mode": "any",
                                      "round": 1, "status": "approved", "note": "", "branches_done": "[]", "entered_at": at,
                                      "finished_at": at + timedelta(hours=3), "due_at": None, "auto_at": None, "remind_at": None,
                                      "reminders": 0} for iid, (_s, _h, at) in zip(iids, meta)])
        tids = insert_rows(Task, [{"instance_id": iid, "node_id": nid, "assignee_id": head, "assignee_name": "主任",
                                   "status": "approved", "after_id": None, "added": False, "automatic": "", "comment": "同意",
                                   "created_at": at, "decided_at": at + timedelta(hours=3)}
                                  for iid, nid, (_s, head, at) in zip(iids, nids, meta)])
        copy_rows(Action, [{"instance_id": iid, "task_id": tid, "node_id": "head", "kind": "approve", "actor_id": head,
                            "actor_name": "主任", "comment": "同意", "attachments": "[]", "signature": "", "extra": "{}",
                            "at": at + timedelta(hours=3)} for iid, tid, (_s, head, at) in zip(iids, tids, meta)])
        items = []
        for iid, tid, (sub, head, at) in zip(iids, tids, meta):
            common = {"source": "approvals", "title": "职工的请假", "summary": "事由：过往请假", "link": f"/approvals/instances/{iid}",
                      "started_by": "职工", "urgent": False, "due_at": None, "created_at": at, "updated_at": at + timedelta(hours=3),
                      "done_at": at + timedelta(hours=3), "state": "done"}
            items.append({**common, "user_id": head, "key": f"approvals:task:{tid}", "kind": "approve", "role": "assignee",
                          "outcome": "approved"})
            items.append({**common, "user_id": sub, "key": f"approvals:instance:{iid}", "kind": "started", "role": "submitter",
                          "outcome": "approved"})
        copy_rows(TodoItem, items)


@pytest.fixture(scope="module")
def hospital(bench_db):
    from django.db import connection

    from jianlian.access.models import Role, RoleGrant
    from jianlian.identity.models import User
    from jianlian.marketplace.services import install, sync_catalog
    from modules.approvals import templates
    from tenants.context import tenant_context
    from tenants.provisioning import create_tenant, ensure_template

    assert_clean_start()
    ensure_template()
    sync_catalog()
    root, [lead] = build_county(1, prefix="审批基准")
    tenant = create_tenant(None, lead, "benchappr")
    install(None, tenant, "approvals")
    ids, heads, members = _staff(tenant, lead)
    User.objects.filter(pk__in=ids).update(status="active")
    with tenant_context(tenant):
        form = {"type": "object", "required": ["reason"], "properties": {
            "reason": {"type": "string", "title": "事由", "maxLength": 200}, "days": {"type": "number", "title": "天数", "minimum": 0}}}
        head = templates.create_template(None, key="bench_leave", name="请假", form_schema=form, flow_tree={
            "id": "start", "type": "start", "child": {"id": "head", "type": "approver", "mode": "any",
                                                      "assignee": {"kind": "department_head"}}})
        t0 = time.perf_counter()
        _past(head, ids)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        load = time.perf_counter() - t0
    admin = RoleGrant.objects.create(user_id=ids[DEPTS], node=lead, role=Role.objects.get(tenant=tenant, code="approvals_admin"))
    yield {"tenant": tenant, "lead": lead, "template": head, "ids": ids, "members": members, "heads": heads,
           "users": {u.pk: u for u in User.objects.filter(pk__in=ids)}, "load": load, "admin": admin}
    connection.set_schema_to_public()
    delete_tree(root)
    User.objects.filter(pk__in=ids).delete()


@pytest.fixture(scope="module")
def server(hospital):
    yield from _serve(1)


def _p95_http(base, token, query, n=SAMPLES) -> list[float]:
    times = []
    with httpx.Client(base_url=f"http://{base}", headers={"Authorization": f"Bearer {token}", "X-Tenant": "benchappr"},
                      timeout=30) as c:
        for _ in range(10):  # warm-up: connections, caches
            c.post("/graphql/", json={"query": query})
        for _ in range(n):
            t = time.perf_counter()
            r = c.post("/graphql/", json={"query": query})
            times.append(time.perf_counter() - t)
            assert r.status_code == 200 and "errors" not in r.json(), r.text[:300]
    return times


def test_todo_list_submit_approve_and_concurrent_any_sign(hospital, server):
    from django.db import transaction
    from django.db.models import Count

    from jianlian.core.errors import DomainError
    from jianlian.identity.services import issue_token
    from modules.approvals import actions, templates
    from modules.approvals.models import Action, Instance, Task
    from tenants.context import tenant_context

    h = hospital
    tenant, template, users = h["tenant"], h["template"], h["users"]
    rng = random.Random(7)
    approver_id = next(iter(h["heads"].values()))
    with tenant_context(tenant):
        # --- submit p95, with pending work for the approvers -----------------------------------------
        submit_times, submitted = [], []
        for i in range(SAMPLES):
            who = users[h["members"][rng.randrange(len(h["members"]))]]
            t = time.perf_counter()
            submitted.append(actions.submit(who, template.pk, {"reason": f"基准请假{i}", "days": 2}))
            submit_times.append(time.perf_counter() - t)
        floor_times = []
        for i in range(SAMPLES):
            t = time.perf_counter()
            with transaction.atomic():
                inst = Instance.objects.create(template=template, version=template.current_version, number=f"F{i:08d}",
                                               title="基准", submitter_id=h["members"][0], submitter_name="职工",
                                               data={"reason": "x"}, created_at=submitted[0].created_at,
                                               updated_at=submitted[0].created_at)
                node = inst.nodes.create(node_id="head", name="部门负责人", kind="approver", mode="any",
                                         entered_at=inst.created_at)
                Task.objects.create(instance=inst, node=node, assignee_id=approver_id, assignee_name="主任",
                                    created_at=inst.created_at)
            floor_times.append(time.perf_counter() - t)
        Instance.objects.filter(number__startswith="F").delete()
        # --- approve p95 -----------------------------------------------------------------------------------
        approve_times = []
        pending = list(Task.objects.filter(instance__in=submitted, status="pending"))
        for task in pending[: SAMPLES // 2]:
            t = time.perf_counter()
            actions.approve(users[task.assignee_id], task.pk, comment="同意")
            approve_times.append(time.perf_counter() - t)
        busiest = (Task.objects.filter(status="pending").values("assignee_id").order_by()
                   .annotate(n=Count("id")).order_by("-n").first())
    token = issue_token(users[busiest["assignee_id"]], "bench")[1]
    todo_times = _p95_http(server, token, TODOS)
    naive_times = _p95_http(server, token, NAIVE_TODOS)

    # --- 1,000 或签 decided concurrently ---------------------------------------------------------------------
    with tenant_context(tenant):
        pair_template = templates.create_template(
            None, key="bench_any", name="或签", form_schema=template.current_version.form_schema, flow_tree={
                "id": "start", "type": "start", "child": {"id": "any", "type": "approver", "mode": "any",
                                                          "assignee": {"kind": "chosen"}}})
        pairs = []
        for i in range(CONCURRENT):
            a, b = rng.sample(h["members"], 2)
            inst = actions.submit(users[h["members"][i % len(h["members"])]], pair_template.pk, {"reason": f"或签{i}"},
                                  chosen={"any": [a, b]})
            pairs.append(list(Task.objects.filter(instance=inst).values_list("pk", "assignee_id")))
    outcomes = {"ok": 0, "TASK_NOT_PENDING": 0, "other": 0}
    lock = threading.Lock()

    def decide(task_id, user_id):
        from django.db import connection

        try:
            with tenant_context(tenant):
                actions.approve(users[user_id], task_id)
            key = "ok"
        except DomainError as e:
            key = "TASK_NOT_PENDING" if e.code == "TASK_NOT_PENDING" else "other"
        finally:
            connection.close()
        with lock:
            outcomes[key] += 1

    attempts = [t for pair in pairs for t in pair]
    random.Random(3).shuffle(attempts)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda t: decide(*t), attempts))
    concurrent_s = time.perf_counter() - t0
    with tenant_context(tenant):
        decided = dict(Action.objects.filter(instance__template=pair_template, kind="approve").values("instance_id").order_by()
                       .annotate(n=Count("id")).values_list("instance_id", "n"))
        lost = Instance.objects.filter(template=pair_template).exclude(status="approved").count()
        twice = sum(1 for n in decided.values() if n > 1)
        # the naive baseline: read the task, then write, without the row lock (same workload, new instances)
        naive_pairs = []
        for i in range(CONCURRENT):
            a, b = rng.sample(h["members"], 2)
            inst = actions.submit(users[h["members"][i % len(h["members"])]], pair_template.pk, {"reason": f"对照{i}"},
                                  chosen={"any": [a, b]})
            naive_pairs.append(list(Task.objects.filter(instance=inst).values_list("pk", flat=True)))
    naive_wins = {}

    def naive_decide(task_id, instance_key):
        from django.db import connection

        try:
            with tenant_context(tenant):
                task = Task.objects.get(pk=task_id)
                if task.status == "pending" and not Task.objects.filter(instance_id=task.instance_id, status="approved").exists():
                    time.sleep(0.002)  # a real handler does work here (form checks, notifications)
                    Task.objects.filter(pk=task_id).update(status="approved")
                    with lock:
                        naive_wins[instance_key] = naive_wins.get(instance_key, 0) + 1
        finally:
            connection.close()

    naive_attempts = [(t, i) for i, pair in enumerate(naive_pairs) for t in pair]
    random.Random(3).shuffle(naive_attempts)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda a: naive_decide(*a), naive_attempts))
    naive_twice = sum(1 for n in naive_wins.values() if n > 1)

    ms = lambda s: f"{s * 1000:.1f} ms"  # noqa: E731
    todo_p95, submit_p95, approve_p95 = percentile(todo_times, 95), percentile(submit_times, 95), percentile(approve_times, 95)
    print_table(f"审批 (approvals): 1 tenant, {STAFF:,} staff, {PAST:,} past approvals (loaded in {h['load']:.0f} s)", [
        Row("to-do list p95 over HTTP (todos, PENDING, 20)", ms(todo_p95), "≤ 30 ms", todo_p95 <= 0.030, headline=True),
        Row("  naive: computed from approval tables", ms(percentile(naive_times, 95)), "≤ 30 ms",
            percentile(naive_times, 95) <= 0.030, ref=True),
        Row("submit p95 (startApproval action, committed)", ms(submit_p95), "≤ 50 ms", submit_p95 <= 0.050, headline=True),
        Row("approve p95 (approve action, committed)", ms(approve_p95), "≤ 50 ms", approve_p95 <= 0.050, headline=True),
        Row("  naive floor: bare instance + node + task rows", ms(percentile(floor_times, 95)), "≤ 50 ms",
            percentile(floor_times, 95) <= 0.050, ref=True),
        Row(f"{CONCURRENT:,} 或签 decided concurrently (8 threads, 2 approvers each)",
            f"{lost} lost, {twice} twice, {concurrent_s:.1f} s", "0 and 0", lost == 0 and twice == 0, headline=True),
        Row("  naive: check-then-write without the row lock", f"{naive_twice} decided twice", "0", naive_twice == 0, ref=True),
    ], notes=[f"attempts: {outcomes['ok']} decided, {outcomes['TASK_NOT_PENDING']} told already handled, {outcomes['other']} other",
              "HTTP: one uvicorn process on loopback, sequential requests after 10 warm-up requests"])
    assert outcomes["other"] == 0 and outcomes["ok"] == CONCURRENT
    assert lost == 0 and twice == 0

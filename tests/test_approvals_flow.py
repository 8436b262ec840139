"""Approvals engine (issue 16): each node mode, conditions on form values and on the submitter,
parallel branches, every resolution rule and policy, cc nodes."""

from __future__ import annotations

import pytest

from jianlian.todos.models import TodoItem
from modules.approvals import actions
from modules.approvals.models import Instance, Task, TaskStatus
from tenants.context import tenant_context
from tests.approvals_world import approver, users


@pytest.fixture
def world(db, _module_approvals_world):
    held, world = _module_approvals_world
    assert held in held.open, "the module's transaction was closed for a transactional test"
    return world


@pytest.fixture
def w(db, world):
    for u in world.people.values():
        u.__dict__.pop("_jl_grants", None)
    with tenant_context(world.p.tenant_a):
        yield world


def pending(inst) -> list[str]:
    return sorted(Task.objects.filter(instance=inst, status=TaskStatus.PENDING).values_list("assignee_name", flat=True))


def task_of(inst, user):
    return Task.objects.get(instance=inst, assignee_id=user.pk, status=TaskStatus.PENDING)


def approve(w, inst, name, **kw):
    return actions.approve(w.user(name), task_of(inst, w.user(name)).pk, **kw)


def status(inst) -> str:
    return Instance.objects.get(pk=inst.pk).status


# --- node modes -------------------------------------------------------------------------------------

def test_sequential_node_asks_one_after_another(w):
    t = w.template(approver("a", users(w.user("钱进"), w.user("孙立")), "seq"))
    inst = actions.submit(w.user("赵敏"), t.pk, {"reason": "家中有事"})
    assert pending(inst) == ["钱进"]
    approve(w, inst, "钱进")
    assert pending(inst) == ["孙立"]
    approve(w, inst, "孙立")
    assert status(inst) == "approved"


def test_all_sign_needs_everyone(w):
    t = w.template(approver("a", users(w.user("钱进"), w.user("孙立")), "all"))
    inst = actions.submit(w.user("赵敏"), t.pk, {"reason": "会签"})
    assert pending(inst) == ["孙立", "钱进"]
    approve(w, inst, "孙立")
    assert status(inst) == "running" and pending(inst) == ["钱进"]
    approve(w, inst, "钱进")
    assert status(inst) == "approved"


def test_any_sign_first_approval_decides_and_clears_the_others_lists(w):
    t = w.template(approver("a", users(w.user("钱进"), w.user("孙立")), "any"))
    inst = actions.submit(w.user("赵敏"), t.pk, {"reason": "或签"})
    other = task_of(inst, w.user("孙立"))
    approve(w, inst, "钱进")
    assert status(inst) == "approved"
    assert Task.objects.get(pk=other.pk).status == "cancelled"
    assert not TodoItem.objects.filter(key=f"approvals:task:{other.pk}").exists()


def test_reject_in_any_mode_ends_the_approval(w):
    t = w.template(approver("a", users(w.user("钱进"), w.user("孙立")), "all", child=approver("b", users(w.user("院长")))))
    inst = actions.submit(w.user("赵敏"), t.pk, {"reason": "x"})
    actions.reject(w.user("钱进"), task_of(inst, w.user("钱进")).pk, comment="不同意")
    assert status(inst) == "rejected" and pending(inst) == []


# --- conditions and parallel branches -----------------------------------------------------------------

def _days_condition(w):
    return {"id": "c", "type": "condition", "branches": [
        {"id": "long", "when": {"all": [{"field": "days", "op": "gt", "value": 3}]}, "child": approver("dean", users(w.user("院长")))},
        {"id": "surgeons", "when": {"any": [{"subject": "department", "op": "in", "value": [w.depts["surgery"].pk]}]},
         "child": approver("surg", users(w.user("外科主任")))},
        {"id": "doctors", "when": {"all": [{"subject": "post", "op": "in", "value": ["医师"]}]},
         "child": approver("doc", users(w.user("副院长")))},
        {"id": "else", "default": True}],
        "child": approver("last", users(w.user("李想")))}


@pytest.mark.parametrize("who,days,first", [("赵敏", 5, "院长"), ("孙立", 1, "外科主任"), ("钱进", 1, "副院长"),
                                            ("赵敏", 1, "李想")])
def test_condition_branches_on_form_values_department_and_post(w, who, days, first):
    t = w.template(_days_condition(w))
    inst = actions.submit(w.user(who), t.pk, {"reason": "x", "days": days})
    assert pending(inst) == [first]


def test_condition_on_submitter_tag(w):
    cond = {"id": "c", "type": "condition", "branches": [
        {"id": "dir", "when": {"all": [{"subject": "tag", "op": "in", "value": ["director"]}]},
         "child": approver("dean", users(w.user("院长")))},
        {"id": "else", "default": True, "child": approver("head", {"kind": "department_head"})}]}
    t = w.template(cond)
    assert pending(actions.submit(w.user("外科主任"), t.pk, {"reason": "x"})) == ["院长"]
    assert pending(actions.submit(w.user("钱进"), t.pk, {"reason": "x"})) == ["内科主任"]


def test_parallel_branches_join_before_going_on(w):
    par = {"id": "p", "type": "parallel", "branches": [
        {"id": "p1", "child": approver("a", users(w.user("钱进")))},
        {"id": "p2", "child": approver("b", users(w.user("孙立")), child=approver("b2", users(w.user("李想"))))}],
        "child": approver("end", users(w.user("院长")))}
    inst = actions.submit(w.user("赵敏"), w.template(par).pk, {"reason": "x"})
    assert pending(inst) == ["孙立", "钱进"]
    approve(w, inst, "孙立")
    approve(w, inst, "钱进")
    assert pending(inst) == ["李想"]  # branch p2 not through yet
    approve(w, inst, "李想")
    assert pending(inst) == ["院长"]
    approve(w, inst, "院长")
    assert status(inst) == "approved"


# --- resolution rules --------------------------------------------------------------------------------

@pytest.mark.parametrize("assignee,expected", [
    ({"kind": "department_head"}, ["内科主任"]),
    ({"kind": "department_head", "level": 2}, ["副院长"]),
    ({"kind": "department_head", "level": 3}, ["院长"]),
    ({"kind": "role", "role": "approvals_admin"}, ["张院管"]),
    ({"kind": "submitter"}, ["赵敏"]),
])
def test_resolution_rules(w, assignee, expected):
    inst = actions.submit(w.user("赵敏"), w.template(approver("a", assignee, "all")).pk, {"reason": "x"})
    assert pending(inst) == expected


def test_tag_and_group_resolution(w):
    inst = actions.submit(w.user("赵敏"), w.template(approver("a", {"kind": "tag", "tagId": w.tag.pk}, "all")).pk, {"reason": "x"})
    assert pending(inst) == ["内科主任", "外科主任"]
    inst = actions.submit(w.user("赵敏"), w.template(approver("a", {"kind": "group", "groupId": w.group.pk}, "all")).pk,
                          {"reason": "x"})
    assert pending(inst) == ["周到", "李想"]


def test_chosen_by_submitter_is_required_and_checked(w):
    t = w.template(approver("pick", {"kind": "chosen"}))
    with pytest.raises(Exception) as e:
        actions.submit(w.user("赵敏"), t.pk, {"reason": "x"})
    assert e.value.problems[0].code == "APPROVER_REQUIRED" and e.value.problems[0].field == "chosen.pick"
    inst = actions.submit(w.user("赵敏"), t.pk, {"reason": "x"}, chosen={"pick": [w.user("孙立").pk]})
    assert pending(inst) == ["孙立"]


def test_department_head_is_resolved_when_the_node_is_entered(w):
    from jianlian.org import services as org

    t = w.template(approver("a", users(w.user("钱进")), child=approver("head", {"kind": "department_head"})))
    inst = actions.submit(w.user("赵敏"), t.pk, {"reason": "x"})
    org.set_department_head(None, w.depts["internal"].pk, w.staff["李想"].pk)  # a new head after submission
    approve(w, inst, "钱进")
    assert pending(inst) == ["李想"]


# --- policies ------------------------------------------------------------------------------------------

def test_nobody_resolved_passes_by_default(w):
    t = w.template(approver("a", {"kind": "users", "userIds": [99999999]}, child=approver("b", users(w.user("钱进")))))
    inst = actions.submit(w.user("赵敏"), t.pk, {"reason": "x"})
    assert pending(inst) == ["钱进"]
    assert inst.actions.filter(kind="auto", extra__note="未找到审批人，自动通过").exists()


def test_nobody_resolved_goes_to_admin_or_to_a_named_person(w):
    nobody = {"kind": "users", "userIds": [99999999]}
    inst = actions.submit(w.user("赵敏"), w.template(approver("a", nobody), policies={"on_empty": "admin"}).pk, {"reason": "x"})
    assert pending(inst) == ["张院管"]
    t = w.template(approver("a", nobody), policies={"on_empty": "user", "empty_user_id": w.user("周到").pk})
    assert pending(actions.submit(w.user("赵敏"), t.pk, {"reason": "x"})) == ["周到"]


@pytest.mark.parametrize("policy,expected", [("skip", ["钱进"]), ("self", ["赵敏"]), ("superior", ["内科主任"])])
def test_approver_is_the_submitter(w, policy, expected):
    t = w.template(approver("a", users(w.user("赵敏")), child=approver("b", users(w.user("钱进")))),
                   policies={"on_submitter": policy})
    assert pending(actions.submit(w.user("赵敏"), t.pk, {"reason": "x"})) == expected


def test_same_approver_twice_in_a_row_passes_automatically(w):
    flow = approver("a", users(w.user("钱进")), child=approver("b", users(w.user("钱进"), w.user("孙立")), "all"))
    inst = actions.submit(w.user("赵敏"), w.template(flow).pk, {"reason": "x"})
    approve(w, inst, "钱进")
    assert pending(inst) == ["孙立"]  # 钱进's second task passed by itself
    t2 = w.template(approver("a", users(w.user("钱进")), child=approver("b", users(w.user("钱进")))), policies={"dedupe": False})
    inst2 = actions.submit(w.user("赵敏"), t2.pk, {"reason": "x"})
    approve(w, inst2, "钱进")
    assert pending(inst2) == ["钱进"]


def test_cc_nodes_at_start_and_finish_copy_people(w):
    flow = {"id": "cc1", "type": "cc", "assignee": users(w.user("李想")), "child": approver("a", users(w.user("钱进")))}
    t = w.template(flow, policies={"cc_on_finish": users(w.user("周到"))})
    inst = actions.submit(w.user("赵敏"), t.pk, {"reason": "x"})
    assert TodoItem.objects.filter(user_id=w.user("李想").pk, role="cc", key=f"approvals:instance:{inst.pk}").exists()
    assert not TodoItem.objects.filter(user_id=w.user("周到").pk, role="cc").exists()
    approve(w, inst, "钱进")
    assert TodoItem.objects.filter(user_id=w.user("周到").pk, role="cc", key=f"approvals:instance:{inst.pk}").exists()

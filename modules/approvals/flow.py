"""Flows as a DingTalk-style node tree (not BPMN): each node has an optional `child` (the next
node); a `condition` or `parallel` node has `branches`, each with its own `child` chain, and the
flow continues with the gateway's own `child` once the branch (condition: the first that matches)
or all branches (parallel) are through.

    {"id": "start", "type": "start", "child":
      {"id": "head", "type": "approver", "name": "部门负责人", "mode": "seq",
       "assignee": {"kind": "department_head", "level": 1},
       "fieldRights": {"reason": "readonly"}, "timeout": {"hours": 24, "remindEveryHours": 6, "action": "pass"},
       "child": {"id": "days", "type": "condition", "branches": [
           {"id": "long", "name": "3天以上", "when": {"all": [{"field": "range.days", "op": "gt", "value": 3}]},
            "child": {"id": "dean", "type": "approver", "assignee": {"kind": "role", "role": "tenant_admin"}}},
           {"id": "other", "name": "其他", "default": true}],
         "child": {"id": "hr", "type": "cc", "assignee": {"kind": "tag", "tagId": 3}}}}}

Approver modes: `seq` 依次, `all` 会签, `any` 或签. Assignee kinds: `users` (userIds), `role`
(role code), `tag` (tagId), `group` (groupId), `department_head` (level 1 = the submitter's own
department, 2 = one up …), `chosen` (the submitter picks at submission), `submitter`.
Condition rules: `{"field": <data path>, "op": eq|ne|gt|gte|lt|lte|in|contains, "value": …}` on
form values, or `{"subject": department|post|position|tag, "op": "in", "value": [...]}` on the
submitter (departments include their sub-departments); combined with `all` / `any`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from jianlian.core.errors import DomainError

NODE_TYPES = ("start", "approver", "cc", "condition", "parallel")
MODES = ("seq", "all", "any")
ASSIGNEE_KINDS = ("users", "role", "tag", "group", "department_head", "chosen", "submitter")
OPS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "contains")
SUBJECTS = ("department", "post", "position", "tag")
RIGHTS = ("hidden", "readonly", "editable")
TIMEOUT_ACTIONS = ("pass", "reject", "remind")
ID_RE = re.compile(r"^[A-Za-z0-9-]{1,40}$")  # no "_": ids appear in camelCase error paths
MAX_NODES = 200


@dataclass
class Index:
    """The flow looked up by node id: each node, the (gateway, branch) it sits in, and the order
    in which a walk meets the approver nodes."""

    nodes: dict = field(default_factory=dict)
    container: dict = field(default_factory=dict)  # node id -> (gateway id, branch id) | None
    order: list = field(default_factory=list)
    branches: dict = field(default_factory=dict)  # gateway id -> [branch ids]


def index(flow: dict) -> Index:
    idx = Index()

    def walk(node, where):
        while node:
            idx.nodes[node["id"]] = node
            idx.container[node["id"]] = where
            idx.order.append(node["id"])
            if node["type"] in ("condition", "parallel"):
                idx.branches[node["id"]] = [b["id"] for b in node["branches"]]
                for b in node["branches"]:
                    walk(b.get("child"), (node["id"], b["id"]))
            node = node.get("child")

    walk(flow, None)
    return idx


def check_flow(flow, form_schema: dict, field_name: str = "flow") -> dict:
    """A flow the engine can run against this form; INVALID_FLOW naming the node otherwise."""
    seen: set[str] = set()
    props = (form_schema or {}).get("properties", {})

    def bad(message, node_id=""):
        raise DomainError("INVALID_FLOW", message, f"{field_name}.{node_id}" if node_id else field_name)

    if not isinstance(flow, dict) or flow.get("type") != "start":
        bad(_("流程须以发起人节点（start）开始。"))

    def check(node, top):
        while node is not None:
            if not isinstance(node, dict):
                bad(_("流程节点格式不正确。"))
            nid = node.get("id")
            if not isinstance(nid, str) or not ID_RE.match(nid) or nid in seen:
                bad(_("每个节点须有唯一的编号（字母、数字或 -）。"), str(nid or ""))
            seen.add(nid)
            if len(seen) > MAX_NODES:
                bad(_("流程节点过多。"))
            kind = node.get("type")
            if kind not in NODE_TYPES or (kind == "start") != top:
                bad(_("节点类型不正确。"), nid)
            top = False
            if kind in ("approver", "cc"):
                _check_assignee(node, bad)
            if kind == "approver":
                if node.get("mode", "seq") not in MODES:
                    bad(_("多人审批方式只能是依次、会签或或签。"), nid)
                rights = node.get("fieldRights") or {}
                if not isinstance(rights, dict) or any(k not in props or v not in RIGHTS for k, v in rights.items()):
                    bad(_("字段权限只能针对表单中的字段设为隐藏、只读或可编辑。"), nid)
                _check_timeout(node, bad)
            if kind in ("condition", "parallel"):
                branches = node.get("branches")
                if not isinstance(branches, list) or len(branches) < 2:
                    bad(_("条件或并行分支至少要有两个分支。"), nid)
                for b in branches:
                    bid = b.get("id") if isinstance(b, dict) else None
                    if not isinstance(bid, str) or not ID_RE.match(bid) or bid in seen:
                        bad(_("每个分支须有唯一的编号。"), nid)
                    seen.add(bid)
                    if kind == "condition" and not b.get("default"):
                        _check_when(b.get("when"), props, bad, bid)
                    check(b.get("child"), False)
                if kind == "condition" and not any(b.get("default") for b in branches):
                    bad(_("条件分支须有一个默认分支（其他情况）。"), nid)
            node = node.get("child")

    check(flow, True)
    return flow


def _check_assignee(node, bad) -> None:
    a = node.get("assignee")
    if not isinstance(a, dict) or a.get("kind") not in ASSIGNEE_KINDS:
        bad(_("请设置审批人或抄送人。"), node["id"])
    kind = a["kind"]
    need = {"users": "userIds", "role": "role", "tag": "tagId", "group": "groupId"}.get(kind)
    if need and not a.get(need):
        bad(_("请选择具体的人员、角色、标签或群组。"), node["id"])
    if kind == "department_head" and not (isinstance(a.get("level", 1), int) and 1 <= a.get("level", 1) <= 10):
        bad(_("部门负责人的层级须在1到10之间。"), node["id"])


def _check_timeout(node, bad) -> None:
    t = node.get("timeout")
    if t is None:
        return
    ok = isinstance(t, dict) and isinstance(t.get("hours"), (int, float)) and t["hours"] > 0 \
        and t.get("action", "remind") in TIMEOUT_ACTIONS
    if not ok:
        bad(_("超时设置不正确：须有正数小时数，超时后提醒、自动通过或自动拒绝。"), node["id"])


def _check_when(when, props, bad, bid) -> None:
    if not isinstance(when, dict) or not any(isinstance(when.get(k), list) and when[k] for k in ("all", "any")):
        bad(_("请为分支设置条件。"), bid)
    for rule in (when.get("all") or []) + (when.get("any") or []):
        if not isinstance(rule, dict) or rule.get("op") not in OPS:
            bad(_("条件的比较方式不正确。"), bid)
        if "field" in rule:
            if str(rule["field"]).split(".")[0] not in props:
                bad(_("条件引用了表单中不存在的字段。"), bid)
        elif rule.get("subject") not in SUBJECTS:
            bad(_("条件只能针对表单字段，或发起人的部门、岗位、职务、标签。"), bid)


# --- evaluation --------------------------------------------------------------------------------------

def _lookup(data: dict, path: str):
    value = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _num(v):
    try:
        return Decimal(str(v))
    except (InvalidOperation, ValueError):
        return None


def _compare(actual, op: str, expected) -> bool:
    if op in ("gt", "gte", "lt", "lte"):
        a, b = _num(actual), _num(expected)
        if a is None or b is None:
            return False
        return {"gt": a > b, "gte": a >= b, "lt": a < b, "lte": a <= b}[op]
    if op == "eq":
        return actual == expected or (_num(actual) is not None and _num(actual) == _num(expected))
    if op == "ne":
        return not _compare(actual, "eq", expected)
    if op == "in":
        values = expected if isinstance(expected, list) else [expected]
        if isinstance(actual, list):
            return any(a in values for a in actual)
        return actual in values
    if op == "contains":
        return isinstance(actual, (list, str)) and expected in actual
    return False


@dataclass
class Submitter:
    """What conditions may ask about the submitter."""

    department_ids: set = field(default_factory=set)  # their departments and every ancestor
    post: str = ""
    position: str = ""
    tag_ids: set = field(default_factory=set)
    tag_codes: set = field(default_factory=set)


def _subject(rule: dict, who: Submitter) -> bool:
    values = rule.get("value") if isinstance(rule.get("value"), list) else [rule.get("value")]
    s = rule["subject"]
    if s == "department":
        return bool(who.department_ids & {v for v in values if isinstance(v, int)})
    if s == "tag":
        return bool((who.tag_ids | who.tag_codes) & set(values))
    return (who.post if s == "post" else who.position) in values


def matches(when: dict, data: dict, who: Submitter) -> bool:
    def one(rule):
        if "field" in rule:
            return _compare(_lookup(data, rule["field"]), rule["op"], rule.get("value"))
        return _subject(rule, who)

    if when.get("all") and not all(one(r) for r in when["all"]):
        return False
    if when.get("any") and not any(one(r) for r in when["any"]):
        return False
    return True


def choose_branch(node: dict, data: dict, who: Submitter) -> dict:
    """The first branch whose condition holds, else the default branch."""
    for b in node["branches"]:
        if not b.get("default") and matches(b["when"], data, who):
            return b
    return next(b for b in node["branches"] if b.get("default"))


def chosen_nodes(flow: dict) -> list[dict]:
    """Approver and cc nodes whose people the submitter picks (shown on the start form)."""
    return [n for n in index(flow).nodes.values() if (n.get("assignee") or {}).get("kind") == "chosen"]

"""The approvals API over HTTP (issue 16): start with per-field errors, the approver's to-do
list and availableActions, approving, the submitter's view, statistics and the Excel export,
templates for admins only."""

from __future__ import annotations

import io
import json

from graphql_relay import to_global_id

from modules.approvals.models import Template
from tests.approvals_world import approver
from tests.test_approvals_flow import w, world  # noqa: F401 (fixtures)
from tests.utils import error_code, gql, token_for

START = """mutation($input: StartApprovalInput!) { startApproval(input: $input) {
  instance { id number status title availableActions nodes { name status tasks { assigneeName status } } }
  errors { field code message } } }"""
TODOS = """query($view: TodoView) { todoCounts { pending ccUnread startedRunning }
  todos(view: $view, first: 10) { totalCount edges { node { title source kind link state urgent } } } }"""
TASKS = """{ approvalTasks(first: 5) { edges { node { id nodeName availableActions
  instance { id title formData fieldRights availableActions returnTargets { nodeId name } } } } } }"""
APPROVE = """mutation($input: ApproveApprovalTaskInput!) { approveApprovalTask(input: $input) {
  instance { status availableActions timeline { kind actorName comment } } errors { field code message } } }"""
INSTANCES = """query($view: ApprovalInstanceView) { approvalInstances(view: $view, first: 10) {
  edges { node { title status version availableActions } } } }"""
STATS = """query($t: ID!) { approvalStatistics(template: $t) { total overdue exportUrl
  counts { status count } nodes { nodeId medianSeconds p90Seconds } } }"""


def call(client, w, who, query, variables=None):
    status, body = gql(client, query, variables, user=w.user(who), HTTP_X_TENANT="tonglu")
    assert status == 200, body
    return body


def test_start_approve_and_the_lists_over_graphql(client, w):
    leave = Template.objects.get(key="leave")
    tid = to_global_id("ApprovalTemplate", leave.pk)
    bad = call(client, w, "赵敏", START, {"input": {"template": tid, "data": json.dumps({"leaveType": "x", "range": {"start": "2026-12-01"}})}})
    assert bad["data"]["startApproval"]["instance"] is None
    assert [(e["field"], e["code"]) for e in bad["data"]["startApproval"]["errors"]] == [
        ("data.leaveType", "INVALID"), ("data.range.end", "REQUIRED"), ("data.reason", "REQUIRED")]
    good = call(client, w, "赵敏", START, {"input": {"template": tid, "data": json.dumps({
        "leaveType": "年假", "range": {"start": "2026-12-21", "end": "2026-12-25"}, "reason": "回老家"})}})["data"]["startApproval"]
    assert good["errors"] == [] and good["instance"]["status"] == "RUNNING"
    assert good["instance"]["availableActions"] == ["WITHDRAW", "URGE", "COMMENT"]
    assert good["instance"]["nodes"] == [{"name": "部门负责人", "status": "ACTIVE", "tasks": [{"assigneeName": "内科主任", "status": "PENDING"}]}]

    todos = call(client, w, "内科主任", TODOS)["data"]
    assert todos["todoCounts"]["pending"] == 1
    [item] = [e["node"] for e in todos["todos"]["edges"]]
    assert item["title"] == "赵敏的请假" and item["source"] == "approvals" and item["link"].startswith("/approvals/instances/")

    [task] = [e["node"] for e in call(client, w, "内科主任", TASKS)["data"]["approvalTasks"]["edges"]]
    assert task["availableActions"] == ["APPROVE", "REJECT", "RETURN", "FORWARD", "ADD_SIGN", "COMMENT"]
    assert json.loads(task["instance"]["formData"])["range"]["days"] == 5
    assert task["instance"]["returnTargets"] == [{"nodeId": "start", "name": "发起人"}]
    done = call(client, w, "内科主任", APPROVE, {"input": {"task": task["id"], "comment": "同意"}})["data"]["approveApprovalTask"]
    assert done["errors"] == [] and done["instance"]["status"] == "RUNNING"  # 5 days: the 分管领导 too
    again = call(client, w, "内科主任", APPROVE, {"input": {"task": task["id"]}})["data"]["approveApprovalTask"]
    assert [e["code"] for e in again["errors"]] == ["TASK_NOT_PENDING"]
    assert call(client, w, "内科主任", TODOS, {"view": "DONE"})["data"]["todos"]["totalCount"] == 1

    mine = call(client, w, "赵敏", INSTANCES, {"view": "STARTED"})["data"]["approvalInstances"]["edges"]
    assert [(e["node"]["title"], e["node"]["version"]) for e in mine] == [("赵敏的请假", 1)]
    assert call(client, w, "孙立", INSTANCES, {"view": "ALL"})["data"]["approvalInstances"]["edges"] == []
    stats = call(client, w, "admin", STATS, {"t": tid})["data"]["approvalStatistics"]
    assert stats["total"] == 1 and stats["nodes"][0]["nodeId"] == "head"
    assert error_code(call(client, w, "赵敏", STATS, {"t": tid})) == "PERMISSION_DENIED"

    response = client.get(stats["exportUrl"], HTTP_AUTHORIZATION=f"Bearer {token_for(w.user('admin'))}", HTTP_X_TENANT="tonglu")
    assert response.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("审批编号", "标题", "审批类型") and rows[1][1] == "赵敏的请假" and "请假时间" in rows[0]
    denied = client.get(stats["exportUrl"], HTTP_AUTHORIZATION=f"Bearer {token_for(w.user('赵敏'))}", HTTP_X_TENANT="tonglu")
    assert denied.status_code == 403


CREATE = """mutation($input: CreateApprovalTemplateInput!) { createApprovalTemplate(input: $input) {
  template { key name canManage currentVersion { number chosenNodes { nodeId } } } errors { field code } } }"""


def test_only_admins_create_templates_and_bad_flows_are_refused(client, w):
    form = {"type": "object", "properties": {"reason": {"type": "string", "title": "事由"}}}
    flow = {"id": "start", "type": "start", "child": approver("pick", {"kind": "chosen"})}
    data = {"key": "gql_made", "name": "接口建的", "formSchema": json.dumps(form), "flow": json.dumps(flow)}
    assert error_code(call(client, w, "赵敏", CREATE, {"input": data})) == "PERMISSION_DENIED"
    made = call(client, w, "admin", CREATE, {"input": data})["data"]["createApprovalTemplate"]
    assert made["template"]["currentVersion"]["chosenNodes"] == [{"nodeId": "pick"}] and made["template"]["canManage"]
    broken = {**data, "key": "gql_bad", "flow": json.dumps({"id": "start", "type": "start", "child": {"id": "x", "type": "teleport"}})}
    assert call(client, w, "admin", CREATE, {"input": broken})["data"]["createApprovalTemplate"]["errors"] == [
        {"field": "flow.x", "code": "INVALID_FLOW"}]


def test_gated_where_the_app_is_not_installed(client, w, shared_province):
    body = gql(client, "{ approvalTemplates { name } }", user=shared_province.users["doctor_b"], HTTP_X_TENANT="xiangshan")[1]
    assert error_code(body) == "APP_NOT_INSTALLED"

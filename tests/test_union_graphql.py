"""The union over GraphQL and HTTP (issue 19 items 2-6): a member checks in and sees points and
rank; welfare tallies equal the choices and export per supplier; confidential requests are
readable by their counsellor and by no officer through any API; participation and leaderboards
stay inside the officer's subtree; step counts come in through the device-token endpoint."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.utils import timezone
from graphql_relay import to_global_id

from modules.union import activities, confidential, welfare
from modules.union.confidential_models import Confidential
from tenants.context import tenant_context
from tests.conftest import _built_for_the_module
from tests.factories import build_province
from tests.union_world import build
from tests.utils import error_code, gql

ME = "{ unionMe { isMember nodeName balance earned rank nodeRank streak checkedInToday isOfficer isAdmin } }"
CHECK_IN = "mutation { checkInUnion(input: {confirm: true}) { me { balance streak checkedInToday } errors { code message } } }"
CAMPAIGNS = "{ unionWelfareCampaigns { id title isOpen canManage chosen myOptionId options { id name supplier count } } }"
CHOOSE = """mutation($input: ChooseUnionWelfareInput!) { chooseUnionWelfare(input: $input) {
  campaign { myOptionId } errors { code } } }"""
SUBMIT = """mutation($input: SubmitUnionConfidentialInput!) { submitUnionConfidential(input: $input) {
  request { id subject text counsellorName isMine } errors { code } } }"""
REQUESTS = "{ unionConfidentialRequests { id subject text reply isMine } }"
COUNTS = "{ unionConfidentialCounts { kind status count } }"
PARTICIPATION = """query($node: ID) { unionParticipation(node: $node) { node { name memberCount }
  rows { name members checkedIn signedUp rate } trend { day count } } }"""
BOARD = "query($node: ID, $kind: UnionLeaderboardKind) { unionLeaderboard(node: $node, kind: $kind) { rank name nodeName value isMe } }"


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    def make():
        p = build_province()
        with tenant_context(p.tenant_a):
            return build(p)

    yield from _built_for_the_module(django_db_blocker, make)


@pytest.fixture
def w(db, _world):
    held, world = _world
    for u in world.people.values():
        u.__dict__.pop("_jl_grants", None)
        u.__dict__.pop("_jl_union_admin", None)
    with tenant_context(world.p.tenant_a):
        yield world


def call(client, w, who, query, variables=None):
    status, body = gql(client, query, variables, user=w.user(who), HTTP_X_TENANT="tonglu")
    assert status == 200, body
    return body


def test_a_member_checks_in_once_and_sees_points_and_rank(client, w):
    done = call(client, w, "赵敏", CHECK_IN)["data"]["checkInUnion"]
    assert done["errors"] == [] and done["me"] == {"balance": 5, "streak": 1, "checkedInToday": True}
    again = call(client, w, "赵敏", CHECK_IN)["data"]["checkInUnion"]
    assert again["errors"][0]["code"] == "UNION_ALREADY_CHECKED_IN" and "明天" in again["errors"][0]["message"]
    me = call(client, w, "赵敏", ME)["data"]["unionMe"]
    assert me == {"isMember": True, "nodeName": "内科分工会", "balance": 5, "earned": 5, "rank": 1, "nodeRank": 1,
                  "streak": 1, "checkedInToday": True, "isOfficer": False, "isAdmin": False}
    outsider = call(client, w, "心理老师", CHECK_IN)["data"]["checkInUnion"]  # staff, not a member
    assert outsider["errors"][0]["code"] == "UNION_NOT_MEMBER"


def test_welfare_tallies_equal_the_choices_and_export_per_supplier(client, w):
    campaign = welfare.create_campaign(w.user("admin"), w.nodes["工会"].pk, title="2027年春节慰问品",
                                       closes_at=timezone.now() + dt.timedelta(days=7),
                                       options=[{"name": "大米礼盒", "supplier": "五常粮油"}, {"name": "坚果礼盒", "supplier": "杭州坚果"},
                                                {"name": "食用油", "supplier": "五常粮油"}])
    cid = to_global_id("UnionWelfareCampaign", campaign.pk)
    opts = [to_global_id("UnionWelfareOption", o.pk) for o in campaign.options.order_by("sort")]
    picks = {"赵敏": 0, "钱进": 1, "孙立": 1, "李想": 2, "周舟": 0}
    for name, i in picks.items():
        assert call(client, w, name, CHOOSE, {"input": {"campaign": cid, "option": opts[i]}})["data"]["chooseUnionWelfare"]["errors"] == []
    # 赵敏 changes her mind before the close: still one choice
    call(client, w, "赵敏", CHOOSE, {"input": {"campaign": cid, "option": opts[2]}})
    mine = call(client, w, "赵敏", CAMPAIGNS)["data"]["unionWelfareCampaigns"][0]
    assert mine["myOptionId"] == opts[2] and mine["chosen"] is None and {o["count"] for o in mine["options"]} == {None}
    admin = call(client, w, "admin", CAMPAIGNS)["data"]["unionWelfareCampaigns"][0]
    assert [o["count"] for o in admin["options"]] == [1, 2, 2] and admin["chosen"] == 5
    # the sub-union's officer cannot see the union-wide tally
    chair = call(client, w, "王主席", CAMPAIGNS)["data"]["unionWelfareCampaigns"][0]
    assert chair["canManage"] is False and chair["chosen"] is None

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(welfare.export_xlsx(w.user("admin"), campaign.pk)))
    assert book.sheetnames == ["汇总", "五常粮油", "杭州坚果"]
    assert sum(r[2] for r in book["汇总"].iter_rows(min_row=2, values_only=True)) == 5
    assert sorted(r[1] for r in book["五常粮油"].iter_rows(min_row=2, values_only=True)) == ["周舟", "李想", "赵敏"]
    Campaign = type(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    late = call(client, w, "钱进", CHOOSE, {"input": {"campaign": cid, "option": opts[0]}})["data"]["chooseUnionWelfare"]
    assert late["errors"] == [{"code": "UNION_CAMPAIGN_CLOSED"}]


def test_confidential_requests_are_unreadable_by_officers_by_any_api(client, w):
    sent = call(client, w, "孙立", SUBMIT, {"input": {"kind": "counselling", "subject": "失眠与焦虑",
                                                       "text": "夜班后睡不着，想找人聊聊"}})["data"]["submitUnionConfidential"]
    assert sent["errors"] == [] and sent["request"]["counsellorName"] == "心理老师" and sent["request"]["isMine"]
    rid = sent["request"]["id"]
    # stored encrypted: the words are nowhere in the row
    row = Confidential.objects.get()
    assert "失眠".encode() not in bytes(row.sealed) and "失眠" not in json.dumps(str(row.__dict__), ensure_ascii=False)
    with connection.cursor() as cur:
        cur.execute("SELECT sealed::text FROM union_confidential")
        assert "失眠" not in cur.fetchone()[0]
    # the counsellor reads and replies
    seen = call(client, w, "心理老师", REQUESTS)["data"]["unionConfidentialRequests"]
    assert [(r["subject"], r["isMine"]) for r in seen] == [("失眠与焦虑", False)]
    reply = """mutation($input: ReplyUnionConfidentialInput!) { replyUnionConfidential(input: $input) {
      request { reply } errors { code } } }"""
    assert call(client, w, "心理老师", reply, {"input": {"request": rid, "text": "周三下午来心理门诊"}})["data"][
        "replyUnionConfidential"]["request"]["reply"] == "周三下午来心理门诊"
    # the admin and the sub-union's chair: not in their lists, not by node(id:), not by replying
    for officer in ("admin", "王主席", "律师"):
        assert call(client, w, officer, REQUESTS)["data"]["unionConfidentialRequests"] == []
        assert call(client, w, officer, "query($id: ID!) { node(id: $id) { id } }", {"id": rid})["data"]["node"] is None
        answer = call(client, w, officer, reply, {"input": {"request": rid, "text": "偷看"}})
        assert answer["data"]["replyUnionConfidential"] is None and error_code(answer) == "NOT_FOUND"
    # the only aggregate: counts without names or words
    counts = call(client, w, "admin", COUNTS)
    assert counts["data"]["unionConfidentialCounts"] == [{"kind": "counselling", "status": "answered", "count": 1}]
    assert "孙立" not in json.dumps(counts, ensure_ascii=False)
    assert error_code(call(client, w, "赵敏", COUNTS)) == "PERMISSION_DENIED"
    # and the audit trail names the request, not its words
    from jianlian.audit.models import AuditRecord

    assert not any("失眠" in json.dumps(r.after or {}, ensure_ascii=False) for r in AuditRecord.objects.all())
    assert confidential.unseal(row)["text"] == "夜班后睡不着，想找人聊聊"


def test_participation_and_leaderboards_stay_inside_the_officers_subtree(client, w):
    from modules.union import points

    points.check_in(w.user("钱进"))
    points.check_in(w.user("李想"))
    chair = call(client, w, "王主席", PARTICIPATION)["data"]["unionParticipation"]
    assert chair["node"]["name"] == "内科分工会"
    assert [(r["name"], r["members"], r["checkedIn"]) for r in chair["rows"]] == [("内科分工会（本级）", 4, 1), ("内科一组", 0, 0)]
    assert chair["trend"][-1]["count"] == 1  # 钱进 only, not 外科's 李想
    other = call(client, w, "王主席", PARTICIPATION, {"node": to_global_id("UnionNode", w.nodes["外科"].pk)})
    assert error_code(other) == "PERMISSION_DENIED"
    union = call(client, w, "admin", PARTICIPATION)["data"]["unionParticipation"]
    assert {r["name"]: (r["members"], r["checkedIn"]) for r in union["rows"]} == {"内科分工会": (4, 1), "外科分工会": (3, 1)}
    assert error_code(call(client, w, "赵敏", PARTICIPATION)) == "PERMISSION_DENIED"
    board = call(client, w, "王主席", BOARD, {"node": to_global_id("UnionNode", w.nodes["内科"].pk)})["data"]["unionLeaderboard"]
    assert [r["name"] for r in board] == ["钱进"]
    peek = call(client, w, "赵敏", BOARD, {"node": to_global_id("UnionNode", w.nodes["外科"].pk)})
    assert error_code(peek) == "PERMISSION_DENIED"


def test_step_counts_through_the_device_token_endpoint(client, w):
    token = call(client, w, "周舟", "mutation { issueUnionDeviceToken(input: {confirm: true}) { token errors { code } } }")[
        "data"]["issueUnionDeviceToken"]["token"]
    url, today = "/t/tonglu/apps/union/steps/", timezone.localdate().isoformat()
    assert client.post(url, {"date": today, "steps": 100}, content_type="application/json").status_code == 401
    ok = client.post(url, {"date": today, "steps": 8421}, content_type="application/json", HTTP_X_UNION_DEVICE_TOKEN=token)
    assert ok.status_code == 200 and ok.json() == {"date": today, "steps": 8421}
    lower = client.post(url, {"date": today, "steps": 300}, content_type="application/json", HTTP_X_UNION_DEVICE_TOKEN=token)
    assert lower.json()["steps"] == 8421  # the day keeps its highest count
    bad = client.post(url, {"date": today, "steps": "很多"}, content_type="application/json", HTTP_X_UNION_DEVICE_TOKEN=token)
    assert bad.status_code == 400
    board = call(client, w, "周舟", BOARD, {"kind": "STEPS"})["data"]["unionLeaderboard"]
    assert board == [{"rank": 1, "name": "周舟", "nodeName": "外科分工会", "value": 8421, "isMe": True}]


def test_activity_with_approval_and_qr_check_in_over_graphql(client, w):
    start = timezone.now() + dt.timedelta(minutes=30)
    act = activities.create_activity(w.user("王主席"), w.nodes["内科"].pk, title="健步走", start_at=start,
                                     end_at=start + dt.timedelta(hours=2), quota=1, needs_approval=True,
                                     form=[{"key": "size", "label": "T恤尺码", "required": True, "options": ["M", "L"]}])
    aid = to_global_id("UnionActivity", act.pk)
    sign = """mutation($input: SignUpUnionActivityInput!) { signUpUnionActivity(input: $input) {
      activity { myStatus myWaitingPosition availableActions taken waiting checkInCode } errors { field code } } }"""
    missing = call(client, w, "赵敏", sign, {"input": {"activity": aid}})["data"]["signUpUnionActivity"]
    assert missing["errors"] == [{"field": "answers", "code": "REQUIRED"}]
    got = call(client, w, "赵敏", sign, {"input": {"activity": aid, "answers": json.dumps({"size": "M"})}})["data"]["signUpUnionActivity"]
    assert got["activity"]["myStatus"] == "PENDING" and got["activity"]["checkInCode"] is None
    wait = call(client, w, "钱进", sign, {"input": {"activity": aid, "answers": json.dumps({"size": "L"})}})["data"]["signUpUnionActivity"]
    assert wait["activity"]["myStatus"] == "WAITING" and wait["activity"]["myWaitingPosition"] == 1
    # 外科's member cannot even see 内科's activity
    outsider = call(client, w, "李想", sign, {"input": {"activity": aid, "answers": json.dumps({"size": "L"})}})
    assert outsider["data"]["signUpUnionActivity"] is None and error_code(outsider) == "NOT_FOUND"
    one = "query($id: ID!) { unionActivity(id: $id) { checkInCode availableActions signups { id name status } } }"
    seen = call(client, w, "王主席", one, {"id": aid})["data"]["unionActivity"]
    assert "REVIEW" in seen["availableActions"] and seen["checkInCode"]
    review = """mutation($input: ReviewUnionSignupInput!) { reviewUnionSignup(input: $input) { activity { taken } errors { code } } }"""
    assert call(client, w, "王主席", review, {"input": {"signup": seen["signups"][0]["id"], "approve": False}})[
        "data"]["reviewUnionSignup"]["errors"] == []
    # the rejection freed the place: 钱进 moved up (pending approval), then is approved
    seen = call(client, w, "王主席", one, {"id": aid})["data"]["unionActivity"]
    assert [(s["name"], s["status"]) for s in seen["signups"]] == [("赵敏", "REJECTED"), ("钱进", "PENDING")]
    call(client, w, "王主席", review, {"input": {"signup": seen["signups"][1]["id"], "approve": True}})
    qr = """mutation($input: CheckInUnionActivityInput!) { checkInUnionActivity(input: $input) { activity { attended } errors { code } } }"""
    assert call(client, w, "钱进", qr, {"input": {"activity": aid, "code": "wrong"}})["data"]["checkInUnionActivity"][
        "errors"] == [{"code": "UNION_BAD_CHECK_IN_CODE"}]
    for _ in range(2):
        done = call(client, w, "钱进", qr, {"input": {"activity": aid, "code": seen["checkInCode"]}})["data"]["checkInUnionActivity"]
        assert done["activity"]["attended"] is True
    assert call(client, w, "钱进", ME)["data"]["unionMe"]["balance"] == 10  # the activity's points, once


def test_pushes_reach_the_members_of_a_node_and_the_weekly_digest_goes_once(client, w):
    from jianlian.notifications.models import Delivery, Notification
    from modules.union import pushes

    push = """mutation($input: PushUnionMessageInput!) { pushUnionMessage(input: $input) { recipients errors { code } } }"""
    inp = {"node": to_global_id("UnionNode", w.nodes["内科"].pk), "title": "羽毛球赛报名开始", "body": "见附件海报",
           "link": "https://example.org/poster.jpg"}
    assert call(client, w, "王主席", push, {"input": inp})["data"]["pushUnionMessage"] == {"recipients": 4, "errors": []}
    note = Notification.objects.get(title="羽毛球赛报名开始")
    assert set(Delivery.objects.filter(notification=note).values_list("user_id", flat=True)) == {
        w.user(n).pk for n in ("赵敏", "钱进", "孙立", "王主席")}
    # an ordinary member, and the chair outside their sub-union, may not push
    assert error_code(call(client, w, "赵敏", push, {"input": inp})) == "PERMISSION_DENIED"
    other = {**inp, "node": to_global_id("UnionNode", w.nodes["外科"].pk)}
    assert error_code(call(client, w, "王主席", push, {"input": other})) == "PERMISSION_DENIED"
    # the digest: 内科's chair gets one this week, however often the task runs
    assert pushes.weekly_digest() == 1 and pushes.weekly_digest() == 0
    digest = Notification.objects.get(title="内科分工会 工会周报")
    assert "会员 4 人" in digest.body


def test_confidential_requests_stay_readable_when_the_field_key_is_rotated(client, w, settings):
    from cryptography.fernet import Fernet

    sent = call(client, w, "孙立", SUBMIT, {"input": {"kind": "counselling", "subject": "夜班",
                                                       "text": "轮转后一直睡不好"}})["data"]["submitUnionConfidential"]
    assert sent["errors"] == []
    # the operator puts a new key first and keeps the old one after it (README: rotation)
    settings.FIELD_ENCRYPTION_KEY = f"{Fernet.generate_key().decode()},{settings.FIELD_ENCRYPTION_KEY}"
    seen = call(client, w, "心理老师", REQUESTS)["data"]["unionConfidentialRequests"]
    assert [r["subject"] for r in seen] == ["夜班"]
    later = call(client, w, "赵敏", SUBMIT, {"input": {"kind": "counselling", "subject": "新的",
                                                       "text": "新密钥下写的"}})["data"]["submitUnionConfidential"]
    assert later["errors"] == []
    assert sorted(r["subject"] for r in call(client, w, "心理老师", REQUESTS)["data"]["unionConfidentialRequests"]) == ["夜班", "新的"]


def test_counsellors_are_told_apart_and_both_notices_open_the_request(client, w):
    """unionMe.isCounsellor shows the counselling desk to the lawyer and the counsellor only; the
    notices to the lawyer (new request) and to the member (reply) link to the request's page."""
    from graphql_relay import from_global_id

    from jianlian.notifications.models import Delivery

    who = "{ unionMe { isCounsellor } }"
    assert {n: call(client, w, n, who)["data"]["unionMe"]["isCounsellor"] for n in ("律师", "心理老师", "周舟", "admin")} == {
        "律师": True, "心理老师": True, "周舟": False, "admin": False}
    sent = call(client, w, "周舟", SUBMIT, {"input": {"kind": "legal", "subject": "劳动合同续签", "text": "合同到期不续签有补偿吗"}})
    rid = sent["data"]["submitUnionConfidential"]["request"]["id"]
    link = f"/union/confidential/{from_global_id(rid)[1]}"
    reply = """mutation($input: ReplyUnionConfidentialInput!) { replyUnionConfidential(input: $input) {
      request { status reply } errors { code } } }"""
    done = call(client, w, "律师", reply, {"input": {"request": rid, "text": "有，按工作年限计算", "close": True}})
    assert done["data"]["replyUnionConfidential"]["request"] == {"status": "closed", "reply": "有，按工作年限计算"}
    for name in ("律师", "周舟"):
        notices = Delivery.objects.filter(user_id=w.user(name).pk).select_related("notification")
        assert [d.notification.link for d in notices] == [link]

"""Announcements and news (issue 18 item 1): the audience and nobody else can read a post by any
API; receipts count once; the reminder reaches only the unread; the body is sanitised; columns,
the sender whitelist, scheduling, expiry, comments and likes."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.utils import timezone
from graphql_relay import to_global_id

from jianlian.notifications.models import Delivery, Notification, Priority
from jianlian.todos.models import State, TodoItem
from modules.announcements import actions, attachments, polls, social
from modules.announcements.models import Column, Post, Status
from tenants.context import tenant_context
from tests.announcements_world import build, notice
from tests.factories import make_user, member
from tests.utils import gql

INSIDERS = ("内科主任", "赵敏", "钱进", "李想", "周到", "外科主任", "孙立")  # 内科 and 外科
OUTSIDERS = ("院长", "副院长")  # 院领导 and 临床 (the parent of both): not in the audience


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    from tests.conftest import _built_for_the_module, build_province

    def make():
        p = build_province()
        with tenant_context(p.tenant_a):
            return build(p)

    yield from _built_for_the_module(django_db_blocker, make)


@pytest.fixture
def w(db, _module_world):
    held, world = _module_world
    for u in world.people.values():
        u.__dict__.pop("_jl_grants", None)
    with tenant_context(world.p.tenant_a):
        yield world


def call(client, w, who, query, variables=None):
    user = w.user(who) if isinstance(who, str) else who
    status, body = gql(client, query, variables, user=user, HTTP_X_TENANT="tonglu")
    assert status == 200, body
    return body


LIST = """query($search: String, $view: AnnouncementView) { announcements(search: $search, view: $view, first: 20) {
  totalCount edges { node { id title required availableActions } } } }"""
ONE = """query($id: ID!) { announcement(id: $id) { id title body readAt readCount recipientCount availableActions
  attachments { url } readByDepartment { name total read rate } } }"""
NODE = """query($id: ID!) { node(id: $id) { id } }"""
READ = """mutation($id: ID!) { readAnnouncement(input: {id: $id}) { announcement { readCount readAt availableActions }
  errors { code } } }"""
COMMENT = """mutation($id: ID!) { commentOnAnnouncement(input: {id: $id, text: "收到"}) { comment { text } errors { code } } }"""
LIKE = """mutation($id: ID!) { likeAnnouncement(input: {id: $id}) { announcement { likeCount } errors { code } } }"""


def test_only_the_audience_reads_a_post_by_any_api(client, w):
    post = notice(w, publish=False)
    att = attachments.add_attachment(w.user("外科主任"), post.pk, filename="演练路线.png", content_type="image/png",
                                     data_base64=base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * 20).decode())
    actions.publish_post(w.user("外科主任"), post.pk)
    gid = to_global_id("Announcement", post.pk)
    bare = make_user("孙干事")  # a member of 桐庐 in no department
    member(bare, w.p.tenant_a, w.p.member_a1)
    assert sorted(Delivery.objects.filter(notification_id=Post.objects.get(pk=post.pk).notification_id)
                  .values_list("user_id", flat=True)) == sorted(w.user(n).pk for n in INSIDERS)

    for who in INSIDERS:
        assert call(client, w, who, ONE, {"id": gid})["data"]["announcement"]["title"] == "关于开展消防演练的通知"
        assert call(client, w, who, NODE, {"id": gid})["data"]["node"] == {"id": gid}
        titles = [e["node"]["title"] for e in call(client, w, who, LIST, {"search": "消防"})["data"]["announcements"]["edges"]]
        assert titles == ["关于开展消防演练的通知"]
    client.force_login(w.user("赵敏"))
    assert client.get(attachments.url(att), HTTP_X_TENANT="tonglu").status_code == 200

    for who in (*[w.user(n) for n in OUTSIDERS], bare, w.p.users["doctor_b"]):
        if who == w.p.users["doctor_b"]:  # another tenant's member is refused at the door
            assert gql(client, ONE, {"id": gid}, user=who, HTTP_X_TENANT="tonglu")[0] == 403
            continue
        assert call(client, w, who, ONE, {"id": gid})["data"]["announcement"] is None
        assert call(client, w, who, NODE, {"id": gid})["data"]["node"] is None
        for search in (None, "消防", "周五"):
            assert call(client, w, who, LIST, {"search": search})["data"]["announcements"]["totalCount"] == 0
        for m in (READ, COMMENT, LIKE):
            assert call(client, w, who, m, {"id": gid})["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        client.force_login(who)
        assert client.get(attachments.url(att), HTTP_X_TENANT="tonglu").status_code == 404
    # the editor sees the statistics; a reader does not
    assert call(client, w, "赵敏", ONE, {"id": gid})["data"]["announcement"]["readByDepartment"] is None


def test_a_receipt_counts_once_and_the_read_rate_is_by_department(client, w):
    post = notice(w)
    gid = to_global_id("Announcement", post.pk)
    first = call(client, w, "赵敏", READ, {"id": gid})["data"]["readAnnouncement"]
    assert first["errors"] == [] and first["announcement"]["readCount"] == 1 and first["announcement"]["readAt"]
    assert "ACKNOWLEDGE" not in first["announcement"]["availableActions"]
    again = call(client, w, "赵敏", READ, {"id": gid})["data"]["readAnnouncement"]
    assert again["announcement"]["readCount"] == 1 and again["announcement"]["readAt"] == first["announcement"]["readAt"]
    call(client, w, "孙立", READ, {"id": gid})
    todo = TodoItem.objects.get(key=actions.todo_key(post.pk), user_id=w.user("赵敏").pk)
    assert todo.state == State.DONE and todo.source == "announcements"
    assert TodoItem.objects.get(key=actions.todo_key(post.pk), user_id=w.user("钱进").pk).state == State.PENDING
    rates = call(client, w, "外科主任", ONE, {"id": gid})["data"]["announcement"]["readByDepartment"]
    assert rates == [{"name": "内科", "total": 5, "read": 1, "rate": 0.2}, {"name": "外科", "total": 2, "read": 1, "rate": 0.5}]


def test_the_reminder_reaches_only_the_unread(client, w):
    post = notice(w)
    for who in ("赵敏", "钱进", "外科主任"):
        actions.read_post(w.user(who), post.pk)
    before = Notification.objects.count()
    body = call(client, w, "外科主任", """mutation($id: ID!) { remindAnnouncementUnread(input: {id: $id, urgent: true}) {
      reminded errors { code } } }""", {"id": to_global_id("Announcement", post.pk)})["data"]["remindAnnouncementUnread"]
    assert body == {"reminded": 4, "errors": []}
    reminder = Notification.objects.order_by("-pk").first()
    assert Notification.objects.count() == before + 1 and reminder.priority == Priority.URGENT
    assert sorted(Delivery.objects.filter(notification=reminder).values_list("user_id", flat=True)) == sorted(
        w.user(n).pk for n in ("内科主任", "李想", "周到", "孙立"))
    # a reader may not remind
    assert call(client, w, "赵敏", """mutation($id: ID!) { remindAnnouncementUnread(input: {id: $id}) { reminded } }""",
                {"id": to_global_id("Announcement", post.pk)})["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


SAVE = """mutation($input: SaveAnnouncementInput!) { saveAnnouncement(input: $input) {
  announcement { id body status availableActions } errors { field code } } }"""


def test_the_body_is_sanitised_on_the_server(client, w):
    dirty = ('<p onclick="steal()">通知<script>alert(1)</script><img src="x" onerror="alert(2)">'
             '<a href="javascript:alert(3)">点我</a><a href="https://example.org">官网</a>'
             '<iframe src="https://evil.example"></iframe><svg onload="alert(4)"></svg></p>')
    body = call(client, w, "外科主任", SAVE, {"input": {
        "column": to_global_id("AnnouncementColumn", Column.objects.get(key="notices").pk), "title": "净化", "body": dirty,
        "audience": {"departments": [to_global_id("Department", w.depts["surgery"].pk)]}}})["data"]["saveAnnouncement"]
    assert body["errors"] == []
    html = body["announcement"]["body"]
    for bad in ("script", "onclick", "onerror", "onload", "javascript:", "iframe", "alert"):
        assert bad not in html, html
    assert '<a href="https://example.org" rel="noopener noreferrer">官网</a>' in html and '<img src="x">' in html
    assert body["announcement"]["availableActions"] == ["EDIT", "PUBLISH"]


def test_who_may_publish_and_the_sender_whitelist(client, w):
    column = to_global_id("AnnouncementColumn", Column.objects.get(key="notices").pk)
    audience = {"departments": [to_global_id("Department", w.depts["internal"].pk)]}
    refused = call(client, w, "赵敏", SAVE, {"input": {"column": column, "title": "x", "audience": audience}})
    assert refused["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    bad = call(client, w, "外科主任", SAVE, {"input": {"column": column, "title": " ", "audience": {}}})["data"]["saveAnnouncement"]
    assert {(e["field"], e["code"]) for e in bad["errors"]} == {("title", "REQUIRED")}
    # a column administrator who is not whitelisted may not push to a department
    from jianlian.notifications.models import SenderGrant

    SenderGrant.objects.filter(user_id=w.user("外科主任").pk).delete()
    post = notice(w, publish=False)
    published = call(client, w, "外科主任", """mutation($id: ID!) { publishAnnouncement(input: {id: $id}) {
      announcement { status } errors { code } } }""", {"id": to_global_id("Announcement", post.pk)})["data"]["publishAnnouncement"]
    assert published == {"announcement": None, "errors": [{"code": "SENDER_NOT_WHITELISTED"}]}
    assert Post.objects.get(pk=post.pk).status == Status.DRAFT


def test_scheduled_posts_go_out_when_due_and_expired_ones_disappear(client, w):
    now = timezone.now()
    post = notice(w, publish=False, required=False, column="news", title="院庆三十周年")
    actions.publish_post(w.user("外科主任"), post.pk, publish_at=now + dt.timedelta(hours=1))
    assert Post.objects.get(pk=post.pk).status == Status.SCHEDULED
    assert call(client, w, "赵敏", LIST)["data"]["announcements"]["totalCount"] == 0
    assert actions.publish_due(now + dt.timedelta(minutes=30)) == 0
    assert actions.publish_due(now + dt.timedelta(hours=1, minutes=1)) == 1
    [edge] = call(client, w, "赵敏", LIST)["data"]["announcements"]["edges"]
    assert edge["node"]["title"] == "院庆三十周年" and "READ" in edge["node"]["availableActions"]
    Post.objects.filter(pk=post.pk).update(expires_at=now - dt.timedelta(minutes=1))
    assert call(client, w, "赵敏", LIST)["data"]["announcements"]["totalCount"] == 0
    assert call(client, w, "外科主任", LIST, {"view": "EDITABLE"})["data"]["announcements"]["totalCount"] == 1


def test_pinned_first_and_required_unread_view(client, w):
    older = notice(w, title="旧闻", required=False, column="news")
    notice(w, title="新的必读")
    actions.set_pinned(w.user("外科主任"), older.pk, True)
    titles = [e["node"]["title"] for e in call(client, w, "赵敏", LIST)["data"]["announcements"]["edges"]]
    assert titles == ["旧闻", "新的必读"]
    todo = [e["node"]["title"] for e in call(client, w, "赵敏", LIST, {"view": "REQUIRED_UNREAD"})["data"]["announcements"]["edges"]]
    assert todo == ["新的必读"]


def test_comments_likes_and_moderation(client, w):
    post = notice(w)
    gid = to_global_id("Announcement", post.pk)
    assert call(client, w, "赵敏", COMMENT, {"id": gid})["data"]["commentOnAnnouncement"]["errors"] == []
    assert call(client, w, "赵敏", LIKE, {"id": gid})["data"]["likeAnnouncement"]["announcement"]["likeCount"] == 1
    assert call(client, w, "赵敏", LIKE, {"id": gid})["data"]["likeAnnouncement"]["announcement"]["likeCount"] == 1
    c = post.comments.get()
    assert call(client, w, "钱进", """mutation($c: ID!) { hideAnnouncementComment(input: {comment: $c}) { errors { code } } }""",
                {"c": to_global_id("AnnouncementComment", c.pk)})["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    social.hide_comment(w.user("外科主任"), c.pk)
    comments = "query($id: ID!) { announcement(id: $id) { comments { text hidden } } }"
    assert call(client, w, "钱进", comments, {"id": gid})["data"]["announcement"]["comments"] == []
    assert call(client, w, "外科主任", comments, {"id": gid})["data"]["announcement"]["comments"] == [{"text": "收到", "hidden": True}]
    Column.objects.filter(key="notices").update(comments_enabled=False, likes_enabled=False)
    assert call(client, w, "钱进", COMMENT, {"id": gid})["data"]["commentOnAnnouncement"]["errors"] == [{"code": "COMMENTS_DISABLED"}]
    assert call(client, w, "钱进", LIKE, {"id": gid})["data"]["likeAnnouncement"]["errors"] == [{"code": "LIKES_DISABLED"}]
    actions_now = call(client, w, "钱进", ONE, {"id": gid})["data"]["announcement"]["availableActions"]
    assert actions_now == ["ACKNOWLEDGE"]


def test_unread_required_posts_are_to_dos_until_read_and_a_withdrawn_post_is_gone(client, w):
    from modules.announcements.todo_source import unread_required

    post = notice(w)
    zhao = w.user("赵敏")
    assert [i["key"] for i in unread_required(zhao)] == [actions.todo_key(post.pk)]
    actions.read_post(zhao, post.pk)
    assert list(unread_required(zhao)) == []
    actions.withdraw_post(w.user("外科主任"), post.pk)
    assert not TodoItem.objects.filter(key=actions.todo_key(post.pk), state=State.PENDING).exists()
    assert call(client, w, "钱进", ONE, {"id": to_global_id("Announcement", post.pk)})["data"]["announcement"] is None
    assert call(client, w, "外科主任", ONE, {"id": to_global_id("Announcement", post.pk)})["data"]["announcement"]["availableActions"] == []


def test_people_who_muted_notices_still_get_the_post_and_drafts_stay_with_their_editors(client, w):
    from jianlian.core.errors import DomainError
    from jianlian.notifications.models import Preference

    Preference.objects.create(user_id=w.user("钱进").pk, kind="notice", receive=False)
    draft = notice(w, publish=False)
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n0000").decode()
    with pytest.raises(DomainError) as refused:
        attachments.add_attachment(w.user("外科主任"), draft.pk, filename="a.pdf", content_type="application/pdf", data_base64=png)
    assert refused.value.code == "ATTACHMENT_TYPE"
    att = attachments.add_attachment(w.user("外科主任"), draft.pk, filename="a.png", content_type="image/png", data_base64=png)
    client.force_login(w.user("赵敏"))  # in the audience-to-be, but a draft is its editors' only
    assert client.get(attachments.url(att), HTTP_X_TENANT="tonglu").status_code == 404
    assert call(client, w, "赵敏", ONE, {"id": to_global_id("Announcement", draft.pk)})["data"]["announcement"] is None
    actions.publish_post(w.user("外科主任"), draft.pk)
    # muting 通知公告 does not take a person out of the audience: the copy is their access and receipt
    assert call(client, w, "钱进", ONE, {"id": to_global_id("Announcement", draft.pk)})["data"]["announcement"]["title"]
    assert Post.objects.get(pk=draft.pk).recipient_count == len(INSIDERS)
    assert client.get(attachments.url(att), HTTP_X_TENANT="tonglu").status_code == 200


def test_a_signed_link_opens_an_attachment_only_for_a_reader(client, w):
    from jianlian.identity.signed_links import create_link

    draft = notice(w, publish=False)
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n0000").decode()
    att = attachments.add_attachment(w.user("外科主任"), draft.pk, filename="a.png", content_type="image/png", data_base64=png)
    actions.publish_post(w.user("外科主任"), draft.pk)
    client.logout()
    reader = create_link(w.user("赵敏"), w.p.tenant_a, attachments.url(att))
    assert client.get(reader).status_code == 200
    outsider = create_link(w.user("院长"), w.p.tenant_a, attachments.url(att))
    assert client.get(outsider).status_code == 404
    assert client.get(attachments.url(att), HTTP_X_TENANT="tonglu").status_code == 401


FORM = """mutation($id: ID!, $schema: JSONString) { setAnnouncementForm(input: {id: $id, formSchema: $schema}) {
  announcement { formSchema } errors { code field } } }"""
ANSWER = """mutation($id: ID!, $data: JSONString!) { answerAnnouncementForm(input: {id: $id, data: $data}) {
  announcement { myFormAnswer } errors { code field } } }"""
RESULTS = """query($id: ID!) { announcement(id: $id) { formSchema myFormAnswer
  formResults { answered fields { key answered options { value count } } } } }"""


def test_a_quick_poll_is_checked_on_the_server_answered_once_and_counted_for_the_editors(client, w):
    import json

    poll = {"type": "object", "required": ["choice"], "properties": {
        "choice": {"title": "演练时间", "enum": ["周五上午", "周五下午"]},
        "note": {"title": "备注", "type": "string", "maxLength": 20}}}
    post = notice(w, title="消防演练时间投票", publish=False)
    gid = to_global_id("Announcement", post.pk)
    bad = call(client, w, "外科主任", FORM, {"id": gid, "schema": json.dumps({"type": "string"})})
    assert bad["data"]["setAnnouncementForm"]["errors"][0]["code"] == "INVALID_FORM_SCHEMA"
    assert call(client, w, "赵敏", FORM, {"id": gid, "schema": json.dumps(poll)})["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert call(client, w, "外科主任", FORM, {"id": gid, "schema": json.dumps(poll)})["data"]["setAnnouncementForm"]["errors"] == []
    actions.publish_post(w.user("外科主任"), post.pk)

    wrong = call(client, w, "赵敏", ANSWER, {"id": gid, "data": json.dumps({"choice": "周六", "note": "x" * 30})})
    assert {(e["code"], e["field"]) for e in wrong["data"]["answerAnnouncementForm"]["errors"]} == {
        ("INVALID", "data.choice"), ("TOO_LONG", "data.note")}
    for who, choice in (("赵敏", "周五上午"), ("钱进", "周五下午"), ("李想", "周五上午")):
        ok = call(client, w, who, ANSWER, {"id": gid, "data": json.dumps({"choice": choice})})["data"]["answerAnnouncementForm"]
        assert ok["errors"] == [] and json.loads(ok["announcement"]["myFormAnswer"]) == {"choice": choice}
    again = call(client, w, "赵敏", ANSWER, {"id": gid, "data": json.dumps({"choice": "周五下午"})})
    assert again["data"]["answerAnnouncementForm"]["errors"][0]["code"] == "FORM_ALREADY_ANSWERED"
    outsider = call(client, w, "院长", ANSWER, {"id": gid, "data": json.dumps({"choice": "周五下午"})})
    assert outsider["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    results = call(client, w, "外科主任", RESULTS, {"id": gid})["data"]["announcement"]["formResults"]
    assert results["answered"] == 3
    assert {f["key"]: f for f in results["fields"]}["choice"] == {"key": "choice", "answered": 3, "options": [{"value": "周五上午", "count": 2},
                                                                                 {"value": "周五下午", "count": 1}]}
    assert call(client, w, "钱进", RESULTS, {"id": gid})["data"]["announcement"]["formResults"]["answered"] == 3  # after voting
    assert call(client, w, "周到", RESULTS, {"id": gid})["data"]["announcement"]["formResults"] is None  # not before


POLL = {"type": "object", "required": ["choice"], "properties": {
    "choice": {"title": "培训科目", "type": "array", "uniqueItems": True, "minItems": 1, "items": {"enum": ["心肺复苏", "院感", "急救"]}}}}
STATE = """query($id: ID!) { announcement(id: $id) { availableActions formClosesAt formClosed myFormAnswer
  formResults { answered fields { options { value count } } } } }"""


def test_a_poll_with_a_deadline_offers_the_vote_until_it_closes_then_shows_everyone_the_results(client, w):
    import json

    post = notice(w, title="培训科目投票（可多选）", publish=False, required=False)
    gid = to_global_id("Announcement", post.pk)
    past = call(client, w, "外科主任", FORM.replace("$schema: JSONString)", "$schema: JSONString, $at: DateTime)")
                .replace("formSchema: $schema}", "formSchema: $schema, closesAt: $at}"),
                {"id": gid, "schema": json.dumps(POLL), "at": "2020-01-01T00:00:00+08:00"})["data"]["setAnnouncementForm"]
    assert [(e["code"], e["field"]) for e in past["errors"]] == [("INVALID_DATE", "closesAt")]
    polls.set_form(w.user("外科主任"), post.pk, POLL, timezone.now() + dt.timedelta(days=2))
    actions.publish_post(w.user("外科主任"), post.pk)

    before = call(client, w, "赵敏", STATE, {"id": gid})["data"]["announcement"]
    assert "ANSWER" in before["availableActions"] and before["formClosed"] is False and before["formClosesAt"]
    assert before["formResults"] is None
    vote = call(client, w, "赵敏", ANSWER, {"id": gid, "data": json.dumps({"choice": ["心肺复苏", "急救"]})})
    assert vote["data"]["answerAnnouncementForm"]["errors"] == []
    after = call(client, w, "赵敏", STATE, {"id": gid})["data"]["announcement"]
    assert "ANSWER" not in after["availableActions"]  # once: no changing the vote
    assert after["formResults"]["fields"][0]["options"] == [
        {"value": "心肺复苏", "count": 1}, {"value": "院感", "count": 0}, {"value": "急救", "count": 1}]
    assert call(client, w, "院长", STATE, {"id": gid})["data"]["announcement"] is None  # outside the audience: nothing

    Post.objects.filter(pk=post.pk).update(form_closes_at=timezone.now() - dt.timedelta(minutes=1))  # the deadline passes
    late = call(client, w, "钱进", STATE, {"id": gid})["data"]["announcement"]
    assert late["formClosed"] is True and "ANSWER" not in late["availableActions"]
    assert late["formResults"]["answered"] == 1  # closed: the results are everyone's
    closed = call(client, w, "钱进", ANSWER, {"id": gid, "data": json.dumps({"choice": ["院感"]})})
    assert closed["data"]["answerAnnouncementForm"]["errors"][0]["code"] == "FORM_CLOSED"

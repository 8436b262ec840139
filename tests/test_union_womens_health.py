"""Issue 19, 育龄期女职工健康: articles only for active members who are women aged 18–49 by their ID
number (and union administrators); the green-channel request sealed like any confidential request,
read only by the member and the maternity coordinator; bad clinic or date give field errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.utils import timezone

from jianlian.identity.models import User
from modules.union import confidential, womens_health
from modules.union.confidential_models import Confidential
from tenants.context import tenant_context
from tests import union_world
from tests.factories import build_province
from tests.union_world import call, entered, id_number
from tests.utils import error_code

OVERVIEW = "{ unionWomensHealth { eligible clinics { value label } articles { id title body clinic } } }"
FAST = """mutation($input: RequestUnionFastTrackInput!) { requestUnionFastTrack(input: $input) {
  request { id kind clinic preferredDate text counsellorName isMine } errors { field code message } } }"""
ARTICLE = """mutation($input: CreateUnionHealthArticleInput!) { createUnionHealthArticle(input: $input) {
  article { id title } errors { field code } } }"""
REQUESTS = "{ unionConfidentialRequests { id kind clinic preferredDate text reply isMine } }"
REPLY = """mutation($input: ReplyUnionConfidentialInput!) { replyUnionConfidential(input: $input) {
  request { reply status } errors { code } } }"""


def build():
    p = build_province()
    with tenant_context(p.tenant_a):
        w = union_world.build(p)
        # 赵敏 a woman of 30, 钱进 a man of 30, 孙立 a woman of 55, 心理老师 a woman of 30 who never joined
        for i, (name, age, female) in enumerate((("赵敏", 30, True), ("钱进", 30, False), ("孙立", 55, True),
                                                  ("心理老师", 30, True))):
            u = User.objects.get(pk=w.user(name).pk)
            u.id_number = id_number(age, female, 40 + i)
            u.save()
            w.people[name] = u
        confidential.add_counsellor(w.user("admin"), w.user("吴桐").pk, "maternity", intro="绿色通道协调员")
        return w


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    from tests.conftest import _built_for_the_module

    yield from _built_for_the_module(django_db_blocker, build)


@pytest.fixture
def w(db, _world):
    yield from entered(_world)


def test_eligibility_follows_membership_sex_and_age_from_the_id_number(w):
    assert womens_health.eligible(w.user("赵敏"))
    assert not any(womens_health.eligible(w.user(n)) for n in ("钱进", "孙立", "心理老师"))
    broken = w.user("周舟")
    broken.id_number = "110101" + "20000230" + "0020"  # no such birth date
    assert not womens_health.eligible(broken)


def test_an_eligible_member_reads_articles_and_the_coordinator_answers_her_fast_track(client, w):
    made = call(client, w, "admin", ARTICLE, {"input": {"title": "孕早期营养", "body": "补充叶酸……", "clinic": "nutrition"}})
    assert made["data"]["createUnionHealthArticle"]["errors"] == []
    officer = call(client, w, "王主席", ARTICLE, {"input": {"title": "x", "body": "y", "clinic": "nutrition"}})
    assert officer["data"]["createUnionHealthArticle"] is None and error_code(officer) == "PERMISSION_DENIED"
    aid = made["data"]["createUnionHealthArticle"]["article"]["id"]
    seen = call(client, w, "赵敏", OVERVIEW)["data"]["unionWomensHealth"]
    assert seen["eligible"] and [a["title"] for a in seen["articles"]] == ["孕早期营养"]
    assert [c["label"] for c in seen["clinics"]] == ["职工保健科", "妇产科", "儿科", "营养科", "口腔科", "心理医学科"]
    for other in ("钱进", "孙立", "心理老师", "王主席"):
        body = call(client, w, other, OVERVIEW)
        assert body["data"]["unionWomensHealth"]["articles"] == [] and not body["data"]["unionWomensHealth"]["eligible"]
        assert call(client, w, other, "query($id: ID!) { node(id: $id) { id } }", {"id": aid})["data"]["node"] is None
    assert "id_number" not in json.dumps(seen) and "age" not in seen

    day = timezone.localdate() + dt.timedelta(days=5)
    sent = call(client, w, "赵敏", FAST, {"input": {"clinic": "obstetrics", "preferredDate": day.isoformat(),
                                                     "text": "孕12周，想约产检", "contact": "分机 8123"}})
    req = sent["data"]["requestUnionFastTrack"]
    assert req["errors"] == [] and req["request"]["counsellorName"] == "吴桐"
    assert (req["request"]["kind"], req["request"]["clinic"], req["request"]["preferredDate"]) == (
        "maternity", "obstetrics", day.isoformat())
    with connection.cursor() as cur:
        cur.execute("SELECT sealed::text, kind FROM union_confidential")
        sealed, kind = cur.fetchone()
    assert kind == "maternity" and "产检" not in sealed and "obstetrics" not in sealed
    rid = req["request"]["id"]
    mine = call(client, w, "吴桐", REQUESTS)["data"]["unionConfidentialRequests"]
    assert [(r["text"], r["clinic"], r["isMine"]) for r in mine] == [("孕12周，想约产检", "obstetrics", False)]
    answered = call(client, w, "吴桐", REPLY, {"input": {"request": rid, "text": "周四上午妇产科绿色通道"}})
    assert answered["data"]["replyUnionConfidential"]["request"]["reply"] == "周四上午妇产科绿色通道"
    assert call(client, w, "赵敏", REQUESTS)["data"]["unionConfidentialRequests"][0]["reply"] == "周四上午妇产科绿色通道"
    # an officer, the administrator, another counsellor: not in lists, not by node id, not by replying
    for other in ("王主席", "admin", "心理老师"):
        assert call(client, w, other, REQUESTS)["data"]["unionConfidentialRequests"] == []
        assert call(client, w, other, "query($id: ID!) { node(id: $id) { id } }", {"id": rid})["data"]["node"] is None
        assert error_code(call(client, w, other, REPLY, {"input": {"request": rid, "text": "x"}})) == "NOT_FOUND"
    counts = call(client, w, "王主席", "{ unionConfidentialCounts { kind status count } }")
    assert counts["data"]["unionConfidentialCounts"] == [{"kind": "maternity", "status": "answered", "count": 1}]
    assert "赵敏" not in json.dumps(counts, ensure_ascii=False)


def test_others_are_refused_and_bad_fields_are_named(client, w):
    day = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    for other in ("钱进", "孙立", "心理老师"):
        body = call(client, w, other, FAST, {"input": {"clinic": "obstetrics", "preferredDate": day, "text": "想约"}})
        assert body["data"]["requestUnionFastTrack"] is None and error_code(body) == "PERMISSION_DENIED"
        assert "女职工" in body["errors"][0]["message"]
    # the green channel cannot be reached through the general confidential request either
    sneak = call(client, w, "钱进", """mutation($input: SubmitUnionConfidentialInput!) { submitUnionConfidential(input: $input) {
      errors { field code } } }""", {"input": {"kind": "maternity", "subject": "x", "text": "y"}})
    assert sneak["data"]["submitUnionConfidential"]["errors"] == [{"field": "kind", "code": "INVALID"}]
    cases = [({"clinic": "cardiology", "preferredDate": day}, "clinic"),
             ({"clinic": "dental", "preferredDate": (timezone.localdate() - dt.timedelta(days=1)).isoformat()}, "preferredDate"),
             ({"clinic": "dental", "preferredDate": (timezone.localdate() + dt.timedelta(days=61)).isoformat()}, "preferredDate")]
    for fields, field in cases:
        body = call(client, w, "赵敏", FAST, {"input": {**fields, "text": "牙疼"}})
        errors = body["data"]["requestUnionFastTrack"]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [(field, "INVALID")] and errors[0]["message"]
    assert not Confidential.objects.filter(kind="maternity").exists()


EDITOR = "{ unionHealthArticles { id title body clinic published availableActions } }"
UPDATE = """mutation($input: UpdateUnionHealthArticleInput!) { updateUnionHealthArticle(input: $input) {
  article { id title published availableActions } errors { field code message } } }"""
PUBLISH = """mutation($input: SetUnionHealthArticlePublishedInput!) { setUnionHealthArticlePublished(input: $input) {
  article { published availableActions } errors { code } } }"""
DELETE = """mutation($input: DeleteUnionHealthArticleInput!) { deleteUnionHealthArticle(input: $input) {
  deletedId errors { code } } }"""


def _member_titles(client, w):
    return [a["title"] for a in call(client, w, "赵敏", OVERVIEW)["data"]["unionWomensHealth"]["articles"]]


def test_the_administrator_edits_publishes_and_deletes_and_members_never_see_drafts(client, w):
    made = call(client, w, "admin", ARTICLE, {"input": {"title": "产假政策", "body": "草稿……", "clinic": "obstetrics",
                                                         "published": False}})
    aid = made["data"]["createUnionHealthArticle"]["article"]["id"]
    listed = call(client, w, "admin", EDITOR)["data"]["unionHealthArticles"]
    assert [(a["title"], a["published"], a["availableActions"]) for a in listed] == [
        ("产假政策", False, ["EDIT", "PUBLISH", "DELETE"])]
    assert _member_titles(client, w) == []  # a draft: not for members
    # the editor list and every change are the administrator's only
    assert error_code(call(client, w, "王主席", EDITOR)) == "PERMISSION_DENIED"
    for query, extra in ((UPDATE, {"title": "x", "body": "y", "clinic": "dental"}), (PUBLISH, {"published": True}), (DELETE, {})):
        body = call(client, w, "赵敏", query, {"input": {"id": aid, **extra}})
        assert error_code(body) == "PERMISSION_DENIED"

    # every bad field is named at once, in Chinese, with a stable code; nothing changes
    bad = call(client, w, "admin", UPDATE, {"input": {"id": aid, "title": " ", "body": "长" * 20001, "clinic": "cardiology"}})
    errors = bad["data"]["updateUnionHealthArticle"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("title", "REQUIRED"), ("body", "TOO_LONG"), ("clinic", "INVALID")]
    assert [e["message"] for e in errors] == ["请填写标题。", "正文最多20000字。", "请选择绿色通道的合作科室。"]
    long_title = call(client, w, "admin", UPDATE, {"input": {"id": aid, "title": "题" * 101, "body": "", "clinic": "dental"}})
    assert [(e["field"], e["code"]) for e in long_title["data"]["updateUnionHealthArticle"]["errors"]] == [
        ("title", "TOO_LONG"), ("body", "REQUIRED")]

    edited = call(client, w, "admin", UPDATE, {"input": {"id": aid, "title": "产假与哺乳假", "body": "产假158天。", "clinic": "staff_health"}})
    assert edited["data"]["updateUnionHealthArticle"]["article"]["published"] is False
    published = call(client, w, "admin", PUBLISH, {"input": {"id": aid, "published": True}})["data"]["setUnionHealthArticlePublished"]
    assert published["article"] == {"published": True, "availableActions": ["EDIT", "UNPUBLISH", "DELETE"]}
    seen = call(client, w, "赵敏", OVERVIEW)["data"]["unionWomensHealth"]["articles"]
    assert [(a["title"], a["body"], a["clinic"]) for a in seen] == [("产假与哺乳假", "产假158天。", "staff_health")]
    assert call(client, w, "赵敏", "{ unionWomensHealth { articles { availableActions } } }")["data"][
        "unionWomensHealth"]["articles"] == [{"availableActions": []}]

    call(client, w, "admin", PUBLISH, {"input": {"id": aid, "published": False}})
    assert _member_titles(client, w) == []  # taken back to a draft: gone for members at once
    gone = call(client, w, "admin", DELETE, {"input": {"id": aid}})["data"]["deleteUnionHealthArticle"]
    assert gone == {"deletedId": aid, "errors": []}
    assert call(client, w, "admin", EDITOR)["data"]["unionHealthArticles"] == []
    again = call(client, w, "admin", PUBLISH, {"input": {"id": aid, "published": True}})
    assert again["data"]["setUnionHealthArticlePublished"] is None and error_code(again) == "NOT_FOUND"

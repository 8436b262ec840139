"""Module data in the reader's language (issue 17 item 11): app names and descriptions from the
manifest, indicator names from their definition and the system's own name in the audit log follow
the request's Accept-Language, and stay Chinese for a Chinese reader."""

from __future__ import annotations

from jianlian.audit import service as audit
from jianlian.org.models import Department
from tenants.context import tenant_context
from tests.utils import gql

APPS = """query { apps(search: "supervision", first: 5) { edges { node { key name displayName displayDescription } } } }"""
INDICATORS = """query { supervisionIndicators { code name displayName } }"""
AUDIT = """query { auditRecords(first: 5, action: "org.apply_onboard") { edges { node { actorLabel } } } }"""


def test_app_and_indicator_names_follow_the_request_language(client, supervision_world):
    w = supervision_world
    admin = w.reporter
    answers = {}
    for language in ("zh-Hans", "en"):
        _, apps = gql(client, APPS, user=admin, HTTP_X_TENANT="tonglu", HTTP_ACCEPT_LANGUAGE=language)
        [app] = [e["node"] for e in apps["data"]["apps"]["edges"] if e["node"]["key"] == "supervision"]
        _, ind = gql(client, INDICATORS, user=admin, HTTP_X_TENANT="tonglu", HTTP_ACCEPT_LANGUAGE=language)
        rate = next(i for i in ind["data"]["supervisionIndicators"] if i["code"] == "referral_acceptance_rate")
        answers[language] = (app, rate)
    (app_zh, rate_zh), (app_en, rate_en) = answers["zh-Hans"], answers["en"]
    assert (app_zh["displayName"], rate_zh["displayName"]) == ("监管在线", "转诊接收率")
    assert (app_en["displayName"], rate_en["displayName"]) == ("Supervision online", "Referral acceptance rate")
    assert app_en["displayDescription"] and app_en["displayDescription"] != app_zh["displayDescription"]
    assert app_en["displayDescription"].isascii()
    # the stored (Chinese) name stays what it is for the editors
    assert app_en["name"] == "监管在线" and rate_en["name"] == "转诊接收率"


def test_the_system_names_itself_in_the_readers_language_in_the_audit_log(client, db, shared_province):
    p = shared_province
    with tenant_context(p.tenant_a):
        dept = Department.objects.create(unit_id=p.lead_a.pk, code="AU-1", name="院办")
        audit.record("org.apply_onboard", target=dept, actor_label="系统（定时任务）")
    labels = {}
    for language in ("zh-Hans", "en"):
        _, body = gql(client, AUDIT, user=p.users["tenant_admin"], HTTP_X_TENANT="tonglu", HTTP_ACCEPT_LANGUAGE=language)
        labels[language] = [e["node"]["actorLabel"] for e in body["data"]["auditRecords"]["edges"]]
    assert labels == {"zh-Hans": ["系统（定时任务）"], "en": ["System (scheduled task)"]}


INBOX = """query { myNotifications(first: 5) { edges { node { notification { title body senderName } } } } }"""


def _inbox(client, user, language):
    _, body = gql(client, INBOX, user=user, HTTP_X_TENANT="tonglu", HTTP_ACCEPT_LANGUAGE=language)
    return [e["node"]["notification"] for e in body["data"]["myNotifications"]["edges"]]


def test_notifications_read_in_the_readers_language(client, supervision_world):
    """A notice an app sends (here: supervision data submitted for review) is stored in both
    languages and read in the reader's; a row stored before (Chinese only) stays readable, its
    sender named in English where the name is a catalogue entry; what a person typed stays as typed."""
    from jianlian.notifications import services as notices
    from modules.supervision import services as supervision
    from tests.worlds import JAN

    w = supervision_world
    p = w.p
    w.put(p.member_a1, "beds", JAN, 10)
    supervision.submit(w.reporter, p.member_a1.pk, JAN)
    with tenant_context(p.tenant_a):
        notices.notify([w.officer.pk], sender_name="审批", title="旧消息：请审批", body="")  # as rows were stored before
        notices.send(w.reporter, title="交班提醒", body="今晚值班", audience=notices.Audience(user_ids=[w.officer.pk]))
    typed, old, fresh = _inbox(client, w.officer, "en")
    assert fresh["title"] == "Supervision data to review" and fresh["senderName"] == "Supervision online"
    assert fresh["body"].isascii() is False and "submitted" in fresh["body"]  # the unit's name stays Chinese
    assert old == {"title": "旧消息：请审批", "body": "", "senderName": "Approvals"}
    assert typed["title"] == "交班提醒" and typed["body"] == "今晚值班"
    typed, old, fresh = _inbox(client, w.officer, "zh-Hans")
    assert (fresh["title"], fresh["senderName"]) == ("监管数据待审核", "监管在线")
    assert fresh["body"].startswith(p.member_a1.name) and "请审核" in fresh["body"]
    assert old["senderName"] == "审批"

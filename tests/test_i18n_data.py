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

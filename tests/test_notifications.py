"""The notification centre: audiences, the sender whitelist, preferences and read receipts."""

import pytest
from graphql_relay import to_global_id
from django.test import override_settings

from jianlian.core.errors import DomainError, PermissionDeniedError
from jianlian.identity.sms import LocmemSMSBackend
from jianlian.notifications import services
from jianlian.notifications.models import Delivery, Notification
from tenants.context import tenant_context
from tests.factories import make_user, member
from tests.utils import gql

RECEIPTS = """query($id: ID!) { node(id: $id) { ... on Notification { title recipientCount readCount
  read: receipts(read: true) { totalCount edges { node { userName readAt } } }
  unread: receipts(read: false) { totalCount edges { node { userName } } } } } }"""


def _audience(**kw):
    return services.Audience(**kw)


def test_a_member_messages_named_colleagues_and_sees_who_has_read(client, province):
    admin, doctor = province.users["tenant_admin"], province.users["doctor"]
    colleague = make_user("孙护士")
    member(colleague, province.tenant_a, province.member_a1)
    with tenant_context(province.tenant_a):
        note = services.send(doctor, title="交班提醒", audience=_audience(user_ids=[admin.pk, colleague.pk]))
        assert services.unread_count(admin) == 1
        services.mark_read(admin, [note.pk])
        assert services.unread_count(admin) == 0
    # the sender sees the read receipts over the API
    _, body = gql(client, RECEIPTS, {"id": to_global_id("Notification", note.pk)}, user=doctor, HTTP_X_TENANT="tonglu")
    data = body["data"]["node"]
    assert data["recipientCount"] == 2 and data["readCount"] == 1
    assert [e["node"]["userName"] for e in data["read"]["edges"]] == ["张院管"]
    assert data["read"]["edges"][0]["node"]["readAt"]
    assert [e["node"]["userName"] for e in data["unread"]["edges"]] == ["孙护士"]


def test_receipts_are_private_to_the_sender_and_admins(client, province):
    doctor, admin = province.users["doctor"], province.users["tenant_admin"]
    colleague = make_user("吴护士")
    member(colleague, province.tenant_a, province.member_a2)
    with tenant_context(province.tenant_a):
        note = services.send(doctor, title="私事", audience=_audience(user_ids=[colleague.pk]))
    _, body = gql(client, RECEIPTS, {"id": to_global_id("Notification", note.pk)}, user=colleague, HTTP_X_TENANT="tonglu")
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    _, body = gql(client, RECEIPTS, {"id": to_global_id("Notification", note.pk)}, user=admin, HTTP_X_TENANT="tonglu")
    assert body["data"]["node"]["recipientCount"] == 1


def test_only_whitelisted_senders_push_to_the_tenant_or_a_range(province):
    doctor, admin = province.users["doctor"], province.users["tenant_admin"]
    with tenant_context(province.tenant_a):
        for audience in (_audience(whole_tenant=True), _audience(unit_ids=[province.member_a1.pk]),
                         _audience(role_codes=["doctor"])):
            with pytest.raises(DomainError) as e:
                services.send(doctor, title="全院通知", audience=audience)
            assert e.value.code == "SENDER_NOT_WHITELISTED"
        assert Notification.objects.count() == 0
        # a doctor cannot whitelist themselves; the tenant admin can, for a unit's subtree
        with pytest.raises(PermissionDeniedError):
            services.grant_sender(doctor, doctor.pk, province.member_a1.pk)
        services.grant_sender(admin, doctor.pk, province.member_a1.pk)
        note = services.send(doctor, title="分水镇流感疫苗接种报名", audience=_audience(unit_ids=[province.member_a1.pk]))
        assert set(note.deliveries.values_list("user_id", flat=True)) == {doctor.pk}
        # the grant covers that subtree only
        with pytest.raises(DomainError) as e:
            services.send(doctor, title="越权", audience=_audience(unit_ids=[province.member_a2.pk]))
        assert e.value.code == "SENDER_NOT_WHITELISTED"
        services.grant_sender(admin, doctor.pk, None)
        note = services.send(doctor, title="全院通知", audience=_audience(whole_tenant=True))
        assert note.recipient_count == 2  # the tenant's two members


def test_recipients_must_belong_to_the_tenant(province):
    with tenant_context(province.tenant_a):
        with pytest.raises(DomainError) as e:
            services.send(province.users["doctor"], title="串门", audience=_audience(user_ids=[province.users["doctor_b"].pk]))
    assert e.value.code == "UNKNOWN_RECIPIENT"


@override_settings(SMS_BACKEND="jianlian.identity.sms.LocmemSMSBackend")
def test_preferences_mute_a_type_but_urgent_always_arrives_and_texts(province, django_capture_on_commit_callbacks):
    LocmemSMSBackend.outbox.clear()
    doctor, admin = province.users["doctor"], province.users["tenant_admin"]
    with tenant_context(province.tenant_a):
        services.set_preference(admin, "training", receive=False)
        with pytest.raises(DomainError) as e:
            services.send(doctor, title="培训", kind="training", audience=_audience(user_ids=[admin.pk]))
        assert e.value.code == "NO_RECIPIENTS"
        with django_capture_on_commit_callbacks(execute=True):
            services.send(doctor, title="紧急培训", kind="training", priority="urgent", audience=_audience(user_ids=[admin.pk]))
        assert Delivery.objects.filter(user_id=admin.pk).count() == 1
    assert LocmemSMSBackend.outbox == [(admin.mobile, "【健联】赵医生：紧急培训")]


def test_bad_input_is_refused_field_by_field(client, province):
    q = """mutation { sendNotification(input: {title: "", link: "javascript:alert(1)", userIds: ["bad"]}) {
      errors { field code } } }"""
    _, body = gql(client, q, user=province.users["doctor"], HTTP_X_TENANT="tonglu")
    assert body["data"]["sendNotification"]["errors"] == [{"field": "userIds", "code": "INVALID_ID"}]
    q = q.replace('userIds: ["bad"]', f'userIds: ["{to_global_id("User", province.users["tenant_admin"].pk)}"]')
    _, body = gql(client, q, user=province.users["doctor"], HTTP_X_TENANT="tonglu")
    assert {(e["field"], e["code"]) for e in body["data"]["sendNotification"]["errors"]} == {
        ("title", "INVALID_NAME"), ("link", "INVALID_LINK")}

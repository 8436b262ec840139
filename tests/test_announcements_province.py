"""A province-wide announcement (issue 18 item 1): the province publishes once, every tenant with
the app receives its own copy for every active member — once, however often the task runs — and
only a whitelisted holder of announcements.manage at the root may send it."""

from __future__ import annotations

import pytest

from jianlian.access.models import Membership, Role, RoleGrant
from jianlian.core.errors import DomainError, PermissionDeniedError
from jianlian.marketplace import services as market
from jianlian.notifications.models import Delivery, SenderGrant
from jianlian.todos.models import TodoItem
from modules.announcements import province
from modules.announcements.models import Post
from tenants.context import tenant_context
from tests.factories import build_province, make_user


@pytest.fixture
def p(db):
    p = build_province()
    for t in (p.tenant_a, p.tenant_b):  # zjph does not have the app
        with tenant_context(t):
            market.install(None, t, "announcements")
    return p


def _announcer(p, *, whitelisted=True):
    user = make_user("省宣传处")
    role = Role.objects.create(tenant=None, code="province_announcer", name="省级公告发布", permissions=["announcements.manage"])
    RoleGrant.objects.create(user=user, role=role, node=p.root)
    if whitelisted:
        SenderGrant.objects.create(user_id=user.pk, unit_id=None)
    return user


def test_every_member_of_every_tenant_with_the_app_gets_it_once(p):
    sender = _announcer(p)
    spec = province.prepare(sender, title="关于做好冬季防火工作的通知", body='<p onclick="x()">请落实。</p><script>alert(1)</script>',
                            required=True)
    assert [t.pk for t in province.province_tenants(p.root)] == sorted([p.tenant_a.pk, p.tenant_b.pk])
    for t in (p.tenant_a, p.tenant_b):
        with tenant_context(t):
            post = province.receive_in_tenant(spec)
            assert province.receive_in_tenant(spec).pk == post.pk  # a retried task adds nothing
            members = set(Membership.objects.filter(tenant=t, is_active=True).values_list("user_id", flat=True))
            copies = list(Delivery.objects.filter(notification_id=post.notification_id).values_list("user_id", flat=True))
            assert sorted(copies) == sorted(members) and post.recipient_count == len(members) > 0
            assert Post.objects.count() == 1 and post.column.key == "notices"
            assert "<script" not in post.body and "onclick" not in post.body
            assert set(TodoItem.objects.filter(key=f"announcements:post:{post.pk}").values_list("user_id", flat=True)) == members


def test_only_a_whitelisted_province_announcer_may_send(p):
    with pytest.raises(PermissionDeniedError):
        province.prepare(p.users["province_admin"], title="通知")
    with pytest.raises(DomainError) as e:
        province.prepare(_announcer(p, whitelisted=False), title="通知")
    assert e.value.code == "SENDER_NOT_WHITELISTED"

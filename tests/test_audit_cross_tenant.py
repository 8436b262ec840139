"""A secondment into another tenant is recorded in the receiving tenant's own audit chain (an
incoming referral: tests/test_audit_anchor.py)."""

from django.utils import timezone

from jianlian.audit.models import AuditRecord
from jianlian.audit.service import verify_chain
from jianlian.org import services as org_services
from tenants.context import tenant_context
from tests.factories import grant
from tests.test_org import org, province  # noqa: F401 (fixtures)


def _actions(tenant) -> list[str]:
    with tenant_context(tenant):
        assert verify_chain().ok
        return list(AuditRecord.objects.order_by("seq").values_list("action", flat=True))


def test_a_secondment_into_another_tenant_is_recorded_there(province, org):  # noqa: F811
    p, admin, nurse = province, province.users["tenant_admin"], org["nurse"]
    grant(admin, "tenant_admin", p.lead_b, p.tenant_b)  # manages both tenants: no consent to wait for
    now = timezone.now()
    with tenant_context(p.tenant_a):
        org_services.schedule_transfer(admin, nurse.pk, effective_at=now, tenant_slug=p.tenant_b.slug,
                                       unit_id=p.member_b1.pk)
        org_services.schedule_transfer(admin, nurse.pk, effective_at=now, end_secondment=True)
    actions = _actions(p.tenant_b)
    assert actions[-2:] == ["org.secondment_received", "org.secondment_ended"]
    with tenant_context(p.tenant_b):
        rec = AuditRecord.objects.get(action="org.secondment_received")
    assert rec.after["from_tenant"] == p.tenant_a.slug and rec.after["unit_id"] == p.member_b1.pk

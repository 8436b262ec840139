"""Official documents for the demo province (only the demo seed calls this). In 桐庐 (tonglu):
a series 桐医共发, one 发文 signed and sent (to 淳安's community and to two colleagues, numbered
桐医共发〔年〕1号), one waiting for 核稿 by tonglu_doctor (杨文斌, a to-do), and a paper 收文
registered and waiting for 拟办. In 淳安 (chunan): its admin is the office, a 收文 from the county
health bureau is being handled, and 桐庐's 发文 arrives through the bus. Written once per tenant."""

from __future__ import annotations

from django.db import transaction
from django.utils.module_loading import import_string

from jianlian.identity.models import User

SENDER, RECEIVER = "tonglu", "chunan"
BODY = ("入冬以来，我县流感等呼吸道传染病进入高发期。为切实保障人民群众身体健康，现就有关工作通知如下：\n"
        "一、加强发热门诊和预检分诊管理，落实首诊负责制。\n"
        "二、各成员单位每日报送发热患者就诊情况，发现聚集性病例及时报告。\n"
        "三、做好重点人群疫苗接种宣传，医务人员带头接种。")


def _clerk(tenant, admin) -> None:
    from jianlian.access.models import Role, RoleGrant

    role = Role.objects.filter(code="documents_clerk", tenant=tenant).first()
    if role is not None:
        RoleGrant.objects.get_or_create(user=admin, role=role, node=tenant.org_unit)
        admin.__dict__.pop("_jl_grants", None)


def seed_sender(tenant) -> int:
    from modules.documents import incoming, outgoing
    from modules.documents.models import Outgoing, Series

    admin = User.objects.filter(username=f"{tenant.slug}_admin").first()
    if Outgoing.objects.exists() or admin is None:
        return 0
    doctor = User.objects.filter(username=f"{tenant.slug}_doctor").first()
    staff = User.objects.filter(username=f"{tenant.slug}_staff").first()
    approve = import_string("modules.approvals.hooks.approve_owned")
    with transaction.atomic():
        _clerk(tenant, admin)
        series = Series.objects.create(code="桐医共发", name="医共体发文", issuer=tenant.org_unit.name)
        people = [{"kind": "user", "id": u.pk} for u in (doctor, staff) if u]
        sent = outgoing.save_draft(admin, title="关于做好2026年冬季呼吸道传染病防控工作的通知", series_id=series.pk, body=BODY,
                                   main_to=[{"kind": "tenant", "slug": RECEIVER}, *people[:1]], copy_to=people[1:],
                                   urgency="urgent")
        sent = outgoing.submit(admin, sent.pk, reviewers=[admin.pk], signers=[admin.pk])
        approve(admin, sent.approval_id, "同意")
        approve(admin, sent.approval_id, "签发")
        made = 1
        if doctor:
            draft = outgoing.save_draft(admin, title="关于开展医共体成员单位院感质控督查的通知", series_id=series.pk,
                                        body="为进一步规范院感管理，定于下月对各成员单位开展院感质控督查。\n请各单位做好自查。",
                                        main_to=people)
            outgoing.submit(admin, draft.pk, reviewers=[doctor.pk], signers=[admin.pk])
            made += 1
        incoming.register(admin, issuer="桐庐县卫生健康局", number="桐卫〔2026〕45号", title="关于印发县域医共体绩效考核方案的通知",
                          urgency="normal", body="现将县域医共体绩效考核方案印发给你们，请认真贯彻执行。")
    return made + 1


def seed_receiver(tenant) -> int:
    from modules.documents import incoming
    from modules.documents.models import Incoming

    admin = User.objects.filter(username=f"{tenant.slug}_admin").first()
    if admin is None or Incoming.objects.filter(source_message__isnull=True).exists():
        return 0
    with transaction.atomic():
        _clerk(tenant, admin)
        doc = incoming.register(admin, issuer="淳安县卫生健康局", number="淳卫〔2026〕12号", title="关于做好基层医疗机构药品供应保障的通知",
                                urgency="urgent", body="请各医共体做好基层常用药品的采购与配送，确保不断供。")
        incoming.propose(admin, doc.pk, opinion="拟请院长阅示，药剂科承办。", leader_id=admin.pk)
    return 1


def seed(say=print) -> int:
    """Both tenants, once each; the 发文 to 淳安 is delivered by the bus relay (the worker of `make run`)."""
    from jianlian.marketplace.services import is_installed
    from tenants.context import tenant_context
    from tenants.models import Tenant

    made = 0
    tenants = {t.slug: t for t in Tenant.objects.select_related("org_unit").filter(slug__in=[SENDER, RECEIVER])}
    for slug, fn in ((RECEIVER, seed_receiver), (SENDER, seed_sender)):
        tenant = tenants.get(slug)
        if tenant is None or not is_installed(tenant, "documents"):
            continue
        with tenant_context(tenant):
            made += fn(tenant)
    if made:
        say(f"公文：{made} 份演示发文与收文。")
    return made

"""Announcements for the demo province (only the demo seed calls this): in 桐庐, tonglu_admin
(陈志刚, the announcements administrator, whitelisted for the whole hospital) publishes a post in
each column — one of them a 必读 with a deadline, so tonglu_staff (赵敏) finds it among her
to-dos, with a poll to vote in — and tonglu_doctor (杨文斌) administers 新闻动态. Written once per tenant."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jianlian.identity.models import User

# the drill's poll: one choice, open for two days (the reader votes, then sees the bars)
POLL = {"type": "object", "required": ["choice"], "properties": {
    "choice": {"title": "本科室参加演练的时段", "type": "string", "enum": ["周五下午3点（第一批）", "周五下午4点（第二批）", "无法参加，另行补训"]}}}

POSTS = (
    ("affairs", "2026年第四季度院务公开：药品与耗材集中采购情况", "<p>本季度药品集中采购金额、耗材使用排名及重点监控药品情况公示如下，"
     "如有疑问请向院办反映。</p><ul><li>集采药品使用占比 78.6%</li><li>高值耗材同比下降 6.2%</li></ul>", {}),
    ("notices", "关于开展2026年冬季消防安全演练的通知", "<p>为提高全院职工火灾应急处置能力，定于本周五下午3点开展冬季消防安全演练。"
     "请各科室<strong>认真阅读疏散路线</strong>并组织本科室人员参加。</p><p>联系人：保卫科 王科长</p>",
     {"required": True, "deadline_days": 3, "poll": POLL}),
    ("news", "我院远程会诊中心正式启用", "<p>远程会诊中心今日正式启用，分水镇卫生院等成员单位可通过平台申请省级专家会诊，"
     "患者不出县即可享受优质医疗资源。</p>", {"pinned": True, "videos": ["https://www.example.org/video/remote-consult.mp4"]}),
    ("topics", "医共体建设专题：县乡一体化管理", "<p>本专题汇集医共体建设的政策文件、经验交流与典型案例，持续更新。</p>", {}),
)


def seed_tenant(tenant) -> int:
    from jianlian.notifications.models import SenderGrant
    from modules.announcements import actions, columns, polls
    from modules.announcements.models import Column, Post

    admin = User.objects.filter(username=f"{tenant.slug}_admin").first()
    if Post.objects.exists() or admin is None:
        return 0
    doctor = User.objects.filter(username=f"{tenant.slug}_doctor").first()
    now = timezone.now()
    with transaction.atomic():
        SenderGrant.objects.get_or_create(user_id=admin.pk, unit_id=None)
        for c in Column.objects.all():
            ids = [admin.pk] + ([doctor.pk] if doctor and c.key == "news" else [])
            Column.objects.filter(pk=c.pk).update(admin_ids=ids)
        made = 0
        for key, title, body, extra in POSTS:
            column = Column.objects.filter(key=key).first()
            if column is None:
                continue
            deadline = now + dt.timedelta(days=extra["deadline_days"]) if extra.get("deadline_days") else None
            post = actions.save_post(admin, column_id=column.pk, title=title, body=body, audience={"whole_tenant": True},
                                     required=bool(extra.get("required")), read_deadline=deadline,
                                     pinned=bool(extra.get("pinned")), video_links=extra.get("videos"))
            if extra.get("poll"):
                polls.set_form(admin, post.pk, extra["poll"], now + dt.timedelta(days=2))
            actions.publish_post(admin, post.pk)
            made += 1
    columns.install_defaults()  # nothing if they are there; keeps a hand-emptied tenant usable
    return made


DEMO_TENANTS = ("tonglu",)  # the anchor hospital of the sign-in sheet; every post goes to its whole staff


def seed(say=print) -> int:
    """桐庐 (where the demo accounts work), once: publishing to a whole hospital writes a receipt
    per person, which the full 300,000-staff seed need not pay in every tenant."""
    from jianlian.marketplace.services import is_installed
    from tenants.context import tenant_context
    from tenants.models import Tenant

    made = 0
    for tenant in Tenant.objects.select_related("org_unit").order_by("pk"):
        if tenant.slug not in DEMO_TENANTS or not is_installed(tenant, "announcements"):
            continue
        with tenant_context(tenant):
            made += seed_tenant(tenant)
    if made:
        say(f"公告与新闻：发布 {made} 篇演示公告。")
    return made

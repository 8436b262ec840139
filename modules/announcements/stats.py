"""Read rate of a post by department, from its notification's recipient copies (the receipts):
one grouped query over the recipients' primary departments; people without one count under
"未分配科室"."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from jianlian.notifications.models import Delivery
from jianlian.org.models import DepartmentMembership
from modules.announcements.models import Post


def read_rate_by_department(post: Post) -> list[dict]:
    if not post.notification_id:
        return []
    copies = Delivery.objects.filter(notification_id=post.notification_id)
    read = copies.filter(read_at__isnull=False)
    rows = list(DepartmentMembership.objects.filter(is_primary=True, staff__user_id__in=copies.values("user_id"))
                .values("department_id", "department__name")
                .annotate(total=Count("staff__user_id", distinct=True),
                          read=Count("staff__user_id", distinct=True, filter=Q(staff__user_id__in=read.values("user_id"))))
                .order_by("department__name"))
    out = [{"department_id": r["department_id"], "name": r["department__name"], "total": r["total"], "read": r["read"]}
           for r in rows]
    total, done = copies.count(), read.count()
    rest_total, rest_read = total - sum(r["total"] for r in out), done - sum(r["read"] for r in out)
    if rest_total > 0:
        out.append({"department_id": None, "name": _("未分配科室"), "total": rest_total, "read": rest_read})
    return out

"""育龄期女职工健康: restricted articles and the green channel (绿色通道), a fast-track appointment
request to one of the union's partner clinics.

Eligibility is derived from the national ID number (no sex field exists): the 17th digit is even
for women and digits 7–14 are the birth date. Eligible = an active union member, female, aged
18–49 today. Neither the ID number nor the age ever leaves this module: callers get a bool.

A fast-track request is a confidential request of kind "maternity" (confidential.py): sealed,
assigned to a coordinator, readable only by the requester and the coordinator.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.core.errors import DomainError, PermissionDeniedError
from jianlian.core.validators import validate_id_number
from modules.union import access, confidential
from modules.union.confidential_models import Confidential, ConfidentialKind
from modules.union.health_models import Clinic, HealthArticle
from modules.union.models import Member, MemberStatus

MIN_AGE, MAX_AGE = 18, 49
AHEAD_DAYS = 60


def _female_age(id_number: str, today: dt.date) -> tuple[bool, int] | None:
    try:
        v = validate_id_number(id_number or "")
    except ValidationError:
        return None
    born = dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return int(v[16]) % 2 == 0, age


def eligible(user) -> bool:
    """An active union member, female, aged 18–49 today (by the ID number; invalid = not eligible)."""
    if getattr(user, "pk", None) is None:
        return False
    if not Member.objects.filter(user_id=user.pk, status=MemberStatus.ACTIVE).exists():
        return False
    derived = _female_age(getattr(user, "id_number", ""), timezone.localdate())
    return derived is not None and derived[0] and MIN_AGE <= derived[1] <= MAX_AGE


def articles(user) -> list[HealthArticle]:
    """Published articles for eligible members, all of them for administrators, none for anyone else."""
    if access.is_admin(user):
        return list(HealthArticle.objects.order_by("-created_at")[:100])
    if eligible(user):
        return list(HealthArticle.objects.filter(published=True).order_by("-created_at")[:100])
    return []


def _clinic(value: str) -> str:
    if value not in Clinic.values:
        raise DomainError("INVALID", _("请选择绿色通道的合作科室。"), "clinic")
    return value


def create_article(actor, *, title: str, body: str, clinic: str, published: bool = True) -> HealthArticle:
    """A union administrator writes an article."""
    if not access.is_admin(actor):
        raise PermissionDeniedError(_("只有工会管理员可以发布女职工健康文章。"))
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise DomainError("REQUIRED", _("请填写标题和正文。"), "body" if title else "title")
    if len(title) > 100 or len(body) > 20000:
        raise DomainError("TOO_LONG", _("标题最多100字，正文最多20000字。"), "body" if len(title) <= 100 else "title")
    return HealthArticle.objects.create(title=title, body=body, clinic=_clinic(clinic), created_by=actor.pk,
                                        published=published)


def request_fast_track(user, clinic: str, preferred_date: dt.date, text: str, contact: str) -> Confidential:
    """An eligible member asks for a fast-track appointment; sealed like any confidential request
    and assigned to a maternity coordinator."""
    if not eligible(user):
        raise PermissionDeniedError(_("绿色通道仅向18至49岁的在会女职工开放。"))
    _clinic(clinic)
    today = timezone.localdate()
    if preferred_date is None or not today <= preferred_date <= today + dt.timedelta(days=AHEAD_DAYS):
        raise DomainError("INVALID", _("期望日期须在今天至60天内。"), "preferred_date")
    label = str(Clinic(clinic).label)
    return confidential.submit(user, ConfidentialKind.MATERNITY, subject=_("绿色通道：%(clinic)s") % {"clinic": label},
                               text=text, contact=contact,
                               extra={"clinic": clinic, "preferred_date": preferred_date.isoformat()})

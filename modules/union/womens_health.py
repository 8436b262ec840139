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
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError, PermissionDeniedError
from jianlian.core.validators import validate_id_number
from modules.union import access, confidential
from modules.union.confidential_models import Confidential, ConfidentialKind
from modules.union.health_models import Clinic, HealthArticle
from modules.union.models import Member, MemberStatus

MIN_AGE, MAX_AGE = 18, 49
AHEAD_DAYS = 60
TITLE_MAX, BODY_MAX = 100, 20000


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
    """Published articles for eligible members, none for anyone else (drafts only in `managed_articles`)."""
    if eligible(user):
        return list(HealthArticle.objects.filter(published=True).order_by("-created_at")[:100])
    return []


def managed_articles(actor) -> list[HealthArticle]:
    """Every article, drafts included, for the union administrator's editor."""
    _require_admin(actor)
    return list(HealthArticle.objects.order_by("-created_at")[:200])


def available_actions(user, article: HealthArticle) -> list[str]:
    """What `user` may do with the article now (the editor offers nothing else)."""
    if not access.is_admin(user):
        return []
    return ["EDIT", "UNPUBLISH" if article.published else "PUBLISH", "DELETE"]


def _clinic(value: str) -> str:
    if value not in Clinic.values:
        raise DomainError("INVALID", _("请选择绿色通道的合作科室。"), "clinic")
    return value


def _require_admin(actor) -> None:
    if not access.is_admin(actor):
        raise PermissionDeniedError(_("只有工会管理员可以发布女职工健康文章。"))


def _cleaned(title: str, body: str, clinic: str) -> dict:
    """The article's fields, or every problem at once, each under its field."""
    title, body = (title or "").strip(), (body or "").strip()
    problems = []
    if not title:
        problems.append(DomainError("REQUIRED", _("请填写标题。"), "title"))
    elif len(title) > TITLE_MAX:
        problems.append(DomainError("TOO_LONG", _("标题最多100字。"), "title"))
    if not body:
        problems.append(DomainError("REQUIRED", _("请填写正文。"), "body"))
    elif len(body) > BODY_MAX:
        problems.append(DomainError("TOO_LONG", _("正文最多20000字。"), "body"))
    try:
        _clinic(clinic)
    except DomainError as e:
        problems.append(e)
    if problems:
        raise DomainError.many(problems)
    return {"title": title, "body": body, "clinic": clinic}


def _article(actor, article_id) -> HealthArticle:
    _require_admin(actor)
    found = HealthArticle.objects.filter(pk=article_id).first()
    if found is None:
        raise NotFoundError(_("文章不存在或已删除。"))
    return found


def create_article(actor, *, title: str, body: str, clinic: str, published: bool = True) -> HealthArticle:
    """A union administrator writes an article (a draft unless `published`)."""
    _require_admin(actor)
    fields = _cleaned(title, body, clinic)
    with transaction.atomic():
        a = HealthArticle.objects.create(created_by=actor.pk, published=published, **fields)
        audit.record("union.create_health_article", actor=actor, target=a, after={"title": a.title, "published": published})
    return a


def update_article(actor, article_id, *, title: str, body: str, clinic: str) -> HealthArticle:
    """Change an article's title, body and clinic (its published state stays)."""
    fields = _cleaned(title, body, clinic)
    with transaction.atomic():
        a = _article(actor, article_id)
        for field, value in fields.items():
            setattr(a, field, value)
        a.save(update_fields=["title", "body", "clinic"])
        audit.record("union.update_health_article", actor=actor, target=a, after={"title": a.title, "clinic": a.clinic})
    return a


def set_published(actor, article_id, published: bool) -> HealthArticle:
    """Publish (members see it at once) or take back to a draft (members no longer see it)."""
    with transaction.atomic():
        a = _article(actor, article_id)
        a.published = bool(published)
        a.save(update_fields=["published"])
        audit.record("union.publish_health_article", actor=actor, target=a, after={"published": a.published})
    return a


def delete_article(actor, article_id) -> int:
    with transaction.atomic():
        a = _article(actor, article_id)
        audit.record("union.delete_health_article", actor=actor, target=a, before={"title": a.title})
        pk = a.pk
        a.delete()
    return pk


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

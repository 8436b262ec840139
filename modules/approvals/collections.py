"""Daily collection forms (seed 001's epidemic daily report): each morning at the template's
hour the form opens for its audience — everyone gets a to-do "fill in today's report" — and a
person's submission that day closes theirs. One submission per person and day."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian import todos
from jianlian.core.errors import DomainError
from modules.approvals.models import Instance, Template, TemplateKind


def todo_key(template_id: int, day) -> str:
    return f"approvals:collect:{template_id}:{day.isoformat()}"


def audience_ids(template: Template) -> set[int]:
    from jianlian.access.models import Membership
    from jianlian.org.audience import resolve_audience
    from jianlian.access.helpers import require_tenant
    from modules.approvals.access import _targets

    if any(template.audience.values()):
        return resolve_audience(_targets(template.audience))
    return set(Membership.objects.filter(tenant=require_tenant(), is_active=True, user__is_active=True)
               .values_list("user_id", flat=True))


def open_due(now=None) -> int:
    """Open every collection form whose hour has come today and that is not open yet. Returns
    how many people got a to-do."""
    now = timezone.localtime(now or timezone.now())
    today, given = now.date(), 0
    for template in Template.objects.filter(kind=TemplateKind.COLLECTION, is_active=True, opens_at__isnull=False,
                                            current_version__isnull=False).exclude(opened_on=today):
        if now.time() < template.opens_at:
            continue
        with transaction.atomic():
            if not Template.objects.select_for_update().filter(pk=template.pk).exclude(opened_on=today).update(opened_on=today):
                continue  # another beat opened it
            due = timezone.make_aware(datetime.combine(today, time(23, 59)))
            ids = audience_ids(template)
            given += todos.create_todo(ids, source="approvals", kind="collect", key=todo_key(template.pk, today),
                                       title=_("今日%(name)s") % {"name": template.name}, due_at=due,
                                       link=f"/approvals/start/{template.pk}")
    return given


def check_once_a_day(user, template: Template, now) -> None:
    today = timezone.localtime(now).date()
    start = timezone.make_aware(datetime.combine(today, time.min))
    if Instance.objects.filter(template=template, submitter_id=user.pk, created_at__gte=start,
                               created_at__lt=start + timedelta(days=1)).exists():
        raise DomainError("COLLECTION_CLOSED", _("今天已经填报过了。"), "template")


def filled(user, template: Template, now) -> None:
    todos.complete_todo(todo_key(template.pk, timezone.localtime(now).date()), user_ids=[user.pk], outcome="filled")

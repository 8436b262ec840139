"""Who may see and do what in the learning centre. Each helper fetches and checks in one call;
a missing object and a forbidden one answer alike (NOT_FOUND)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.access.checks import has_perm
from jianlian.access.helpers import require_tenant
from jianlian.core.errors import NotFoundError, PermissionDeniedError
from modules.learning.models import AssignedPerson, Attempt, Exam

MANAGE = "learning.manage"
MARK = "learning.mark"


def is_manager(user) -> bool:
    return has_perm(user, MANAGE, require_tenant().org_unit)


def is_marker(user) -> bool:
    node = require_tenant().org_unit
    return has_perm(user, MARK, node) or has_perm(user, MANAGE, node)


def require_manager(user) -> None:
    if not is_manager(user):
        raise PermissionDeniedError()


def require_marker(user) -> None:
    if not is_marker(user):
        raise PermissionDeniedError()


def is_closed(exam: Exam) -> bool:
    """Closed by hand or past its end: from then on takers see the key and their marked answers."""
    return exam.closed or (exam.closes_at is not None and exam.closes_at <= timezone.now())


def is_assigned(user_id: int, exam_id: int) -> bool:
    return AssignedPerson.objects.filter(user_id=user_id, assignment__exam_id=exam_id).exists()


def may_see_exam(user, exam: Exam) -> bool:
    return is_assigned(user.pk, exam.pk) or is_manager(user)


def access_exam(user, exam_id: int, *, manage: bool = False) -> Exam:
    exam = Exam.objects.filter(pk=exam_id).first()
    if exam is None or not (is_manager(user) if manage else may_see_exam(user, exam)):
        raise NotFoundError(_("考试不存在或您无权查看。"), field="exam")
    return exam


def may_see_attempt(user, attempt: Attempt) -> bool:
    """The person who sits it; managers see its status and score (not its answers, see types)."""
    return attempt.user_id == user.pk or is_manager(user)


def access_attempt(user, attempt_id: int, *, own: bool = False, for_update: bool = False) -> Attempt:
    qs = Attempt.objects.select_for_update(of=("self",)) if for_update else Attempt.objects  # the attempt, not its exam
    attempt = qs.select_related("exam").filter(pk=attempt_id).first()
    if attempt is None or not (attempt.user_id == user.pk if own else may_see_attempt(user, attempt)):
        raise NotFoundError(_("答卷不存在或您无权查看。"), field="attempt")
    return attempt

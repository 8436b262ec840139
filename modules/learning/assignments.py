"""Assigning an exam or a course to an audience (the organisation's resolver) with a deadline: each person
gets a to-do; completion by department is counted from AssignedPerson and announced live
(`learning.completion`, to learning managers of the tenant) whenever someone finishes."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from graphql_relay import to_global_id

from jianlian import todos
from jianlian.access.helpers import require_tenant
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from jianlian.org.audience import Targets, resolve_audience
from modules.learning import access
from modules.learning.models import AssignedPerson, Assignment, Attempt

APP = "learning"
COMPLETION = "learning.completion"
AUDIENCE_KEYS = ("user_ids", "unit_ids", "role_codes", "department_ids", "tag_ids", "group_ids")


def todo_key(assignment_id: int) -> str:
    return f"learning:assignment:{assignment_id}"


def link(assignment: Assignment) -> str:
    if assignment.course_id:
        return f"/learning/courses/{to_global_id('LearningCourse', assignment.course_id)}"
    return f"/learning/exams/{to_global_id('LearningExam', assignment.exam_id)}"


def title(assignment: Assignment) -> str:
    return assignment.course.title if assignment.course_id else assignment.exam.title


def _targets(audience: dict) -> Targets:
    if not isinstance(audience, dict) or set(audience) - set(AUDIENCE_KEYS) or not any(audience.get(k) for k in AUDIENCE_KEYS):
        raise DomainError("INVALID", _("请选择考试范围（人员、单位、角色、科室、标签或分组）。"), "audience")
    return Targets(**{k: list(audience.get(k) or []) for k in AUDIENCE_KEYS})


def _departments(user_ids) -> dict[int, tuple[int, str]]:
    """user id → (primary department id, name), from the organisation."""
    from jianlian.org.models import DepartmentMembership

    return {uid: (dept, name) for uid, dept, name in DepartmentMembership.objects.filter(
        staff__user_id__in=list(user_ids), is_primary=True).values_list("staff__user_id", "department_id", "department__name")}


def assign(actor, exam_id: int | None, audience: dict, deadline, *, course_id: int | None = None) -> Assignment:
    """Assign the exam (or, with `course_id`, the course) to everyone in `audience` now, with a
    to-do each until they finish. Who: `learning.manage`. Audited."""
    access.require_manager(actor)
    if deadline <= timezone.now():
        raise DomainError("INVALID", _("截止时间须晚于现在。"), "deadline")
    if course_id is not None:
        from modules.learning.courses import access_course
        from modules.learning.models import CourseCompletion

        exam, course = None, access_course(actor, course_id)
        if not course.is_published:
            raise DomainError("INVALID", _("课程还没有发布，不能布置。"), "course")
        summary = _("学分%(c)s") % {"c": course.credits}
    else:
        exam, course = access.access_exam(actor, exam_id, manage=True), None
        if access.is_closed(exam):
            raise DomainError("EXAM_NOT_OPEN", _("考试已结束，不能再布置。"), "exam")
        summary = _("限时%(m)s分钟，及格线%(p)s%%") % {"m": exam.time_limit_minutes, "p": exam.pass_percent}
    user_ids = sorted(resolve_audience(_targets(audience)))
    if not user_ids:
        raise DomainError("INVALID", _("所选范围内没有人员。"), "audience")
    depts = _departments(user_ids)
    with transaction.atomic():
        a = Assignment.objects.create(exam=exam, course=course, audience=audience, deadline=deadline, created_by_id=actor.pk)
        if course is not None:
            done = dict(CourseCompletion.objects.filter(course=course, user_id__in=user_ids).values_list("user_id", "completed_at"))
        else:
            done = dict(Attempt.objects.filter(exam=exam, user_id__in=user_ids, ended_at__isnull=False)
                        .values_list("user_id", "ended_at"))
        AssignedPerson.objects.bulk_create([
            AssignedPerson(assignment=a, user_id=u, department_id=depts.get(u, (None, ""))[0],
                           department_name=depts.get(u, (None, ""))[1], completed_at=done.get(u)) for u in user_ids])
        todos.create_todo([u for u in user_ids if u not in done], source=APP, kind="course" if course else "exam",
                          key=todo_key(a.pk), title=title(a), summary=summary, link=link(a), due_at=deadline,
                          started_by=getattr(actor, "real_name", "") or "")
        audit.record("learning.assign_course" if course else "learning.assign_exam", actor=actor, target=a,
                     after={"course" if course else "exam": (course or exam).pk, "people": len(user_ids)})
    return a


def course_finished(course_id: int, user_id: int, when) -> None:
    """The person completed the course: done in every assignment of it still open for them."""
    people = list(AssignedPerson.objects.filter(assignment__course_id=course_id, user_id=user_id, completed_at__isnull=True))
    for p in people:
        p.completed_at, p.passed = when, True
        todos.complete_todo(todo_key(p.assignment_id), user_ids=[user_id], outcome="done")
    if people:  # the same values for each: one plain UPDATE, not bulk_update's CASE per row
        AssignedPerson.objects.filter(pk__in=[p.pk for p in people]).update(completed_at=when, passed=True)
    _announce({p.assignment_id for p in people})


REMIND_BEFORE_HOURS = 24


def remind_due() -> int:
    """Remind, once, the people of each assignment due within REMIND_BEFORE_HOURS who are not
    done yet (a notice from the learning centre). Returns how many people were reminded."""
    import datetime as dt

    from jianlian.notifications.services import notify

    now, n = timezone.now(), 0
    due = Assignment.objects.filter(reminded_at__isnull=True, deadline__gt=now,
                                    deadline__lte=now + dt.timedelta(hours=REMIND_BEFORE_HOURS))
    for a in due.select_related("exam", "course"):
        with transaction.atomic():
            if Assignment.objects.filter(pk=a.pk, reminded_at__isnull=True).update(reminded_at=now) != 1:
                continue
            people = list(a.people.filter(completed_at__isnull=True).values_list("user_id", flat=True))
            if people:
                local = timezone.localtime(a.deadline).strftime("%m-%d %H:%M")
                notify(people, sender_name=_("学习中心"), link=link(a),
                       title=lambda a=a: _("学习提醒：%(t)s") % {"t": title(a)},
                       body=lambda local=local: _("请在 %(d)s 前完成。") % {"d": local})
                n += len(people)
    return n


def person_finished(attempt: Attempt) -> None:
    """The person ended an attempt: done in every assignment of the exam still open for them."""
    people = list(AssignedPerson.objects.filter(assignment__exam_id=attempt.exam_id, user_id=attempt.user_id,
                                                completed_at__isnull=True))
    for p in people:
        p.completed_at, p.passed = attempt.ended_at, attempt.passed
        todos.complete_todo(todo_key(p.assignment_id), user_ids=[attempt.user_id], outcome="done")
    if people:  # the same values for each: one plain UPDATE, not bulk_update's CASE per row
        AssignedPerson.objects.filter(pk__in=[p.pk for p in people]).update(completed_at=attempt.ended_at, passed=attempt.passed)
    _announce({p.assignment_id for p in people})


def person_marked(attempt: Attempt) -> None:
    """Manual marking gave the attempt its result: a pass counts in every assignment of the exam."""
    n = AssignedPerson.objects.filter(assignment__exam_id=attempt.exam_id, user_id=attempt.user_id).filter(
        Q(passed__isnull=True) | Q(passed=False)).update(passed=attempt.passed)
    if n:
        _announce(set(AssignedPerson.objects.filter(assignment__exam_id=attempt.exam_id, user_id=attempt.user_id)
                      .values_list("assignment_id", flat=True)))


def _announce(assignment_ids) -> None:
    from jianlian.realtime import events

    node = require_tenant().org_unit_id
    for aid in assignment_ids:
        events.publish(COMPLETION, {"assignment": aid}, groups=[events.tenant_group()], perm=access.MANAGE, node_id=node)


def completion(assignment: Assignment) -> list[dict]:
    """Per department (by the people's primary department when assigned): assigned, done, passed."""
    rows = (AssignedPerson.objects.filter(assignment=assignment).values("department_id", "department_name")
            .annotate(total=Count("id"), done=Count("id", filter=Q(completed_at__isnull=False)),
                      passed=Count("id", filter=Q(passed=True))).order_by("department_name"))
    return [{"department_id": r["department_id"], "department_name": r["department_name"] or str(_("未分科室")),
             "total": r["total"], "done": r["done"], "passed": r["passed"]} for r in rows]


def my_assignments(user):
    """The person's assignments, newest first, with whether they are done."""
    return (AssignedPerson.objects.filter(user_id=user.pk).select_related("assignment__exam", "assignment__course")
            .order_by("-assignment__created_at"))

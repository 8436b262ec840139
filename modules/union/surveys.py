"""调查问卷: an officer publishes a survey to a node (its members, sub-nodes included); the form is
checked and every answer validated by the approvals module's form engine (reached by dotted name:
modules never import each other); each member answers once; officers of the node see counts per
question (choices tallied, numbers averaged, texts listed)."""

from __future__ import annotations

from collections import Counter

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian import forms
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError
from modules.union import access
from modules.union.models import Member
from modules.union.survey_models import Survey, SurveyResponse, SurveyTaken


def create_survey(actor, node_id: int, *, title: str, form_schema: dict, closes_at, anonymous: bool = False) -> Survey:
    node = access.access_node(actor, node_id)
    title = (title or "").strip()
    if not title:
        raise DomainError("REQUIRED", _("请填写标题。"), "title")
    if len(title) > 100:
        raise DomainError("TOO_LONG", _("标题不能超过100个字。"), "title")
    if closes_at <= timezone.now():
        raise DomainError("INVALID", _("截止时间须在将来。"), "closesAt")
    forms.check_form_schema(form_schema, "formSchema")
    with transaction.atomic():
        survey = Survey.objects.create(node=node, title=title, form_schema=form_schema, anonymous=bool(anonymous),
                                       closes_at=closes_at, created_by=actor.pk)
        audit.record("union.create_survey", actor=actor, target=survey, after={"title": title, "anonymous": anonymous})
    return survey


def access_survey(user, survey_id: int, *, manage: bool = False) -> Survey:
    survey = Survey.objects.select_related("node").filter(pk=survey_id).first()
    if survey is not None:
        if access.manages_path(user, survey.node.path):
            return survey
        member = None if manage else Member.objects.filter(user_id=user.pk, status="active").first()
        if member is not None and member.path.startswith(survey.node.path):
            return survey
    raise NotFoundError(_("问卷不存在或您无权查看。"), field="survey")


def visible(user) -> list[Survey]:
    """Surveys the caller may answer or manages, newest first."""
    return list(Survey.objects.filter(access.scope_q(user)).select_related("node").order_by("-created_at", "-pk")[:50])


def has_answered(user, survey: Survey) -> bool:
    return SurveyTaken.objects.filter(survey=survey, member__user_id=user.pk).exists()


def answer(user, survey_id: int, answers, *, now=None) -> Survey:
    """The caller's answers (validated by the form engine; once per member; before it closes)."""
    now = now or timezone.now()
    survey = access_survey(user, survey_id)
    member = access.member_of(user)
    if now >= survey.closes_at:
        raise DomainError("UNION_SURVEY_CLOSED", _("问卷已截止。"), "survey")
    clean = forms.validate_data(survey.form_schema, answers, field="answers")
    try:
        with transaction.atomic():
            SurveyTaken.objects.create(survey=survey, member=member)
            SurveyResponse.objects.create(survey=survey, member=None if survey.anonymous else member, answers=clean)
    except IntegrityError:
        raise DomainError("UNION_SURVEY_ANSWERED", _("您已经答过这份问卷。"), "survey") from None
    audit.record("union.answer_survey", actor=user, target=survey, after={})
    return survey


def statistics(actor, survey_id: int) -> list[dict]:
    """Per question (officers of the survey's node): {key, title, answered, counts [{value, count}],
    average (numbers), texts (free text, named surveys and anonymous alike — the words, no names)}."""
    survey = access_survey(actor, survey_id, manage=True)
    rows = list(SurveyResponse.objects.filter(survey=survey).values_list("answers", flat=True))
    out = []
    for key, prop in survey.form_schema["properties"].items():
        values = [r[key] for r in rows if r.get(key) not in (None, "", [])]
        item = {"key": key, "title": prop.get("title", key), "answered": len(values), "counts": [], "average": None,
                "texts": []}
        choices = prop.get("enum") or (prop.get("items") or {}).get("enum")
        if choices:
            tally = Counter(v for val in values for v in (val if isinstance(val, list) else [val]))
            item["counts"] = [{"value": str(c), "count": tally.get(c, 0)} for c in choices]
        elif prop.get("type") in ("number", "integer"):
            item["average"] = round(sum(values) / len(values), 2) if values else None
        else:
            item["texts"] = [str(v)[:500] for v in values[:200]]
        out.append(item)
    return out

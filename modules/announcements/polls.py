"""A form or quick poll attached to a post: a JSON Schema form (the platform's form engine,
`jianlian.forms`, the one approvals uses), validated on the server with `jsonschema`; each reader
answers once; the editors see the results (choices counted per option).

A quick poll is a form with one choice field: `{"type": "object", "required": ["choice"],
"properties": {"choice": {"title": "…", "enum": ["A", "B"]}}}` (an array of an enum with
`uniqueItems` for several choices). `form_closes_at` (optional) closes it: no answers after it.

Who sees the results: the editors always (live: each answer pings their read-rate page), a reader
once they answered or once the poll closed.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian import forms
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from modules.announcements import access
from modules.announcements.actions import EDITABLE, tell_editors
from modules.announcements.models import FormAnswer, Post, Status


def set_form(user, post_id: int, form_schema: dict | None, closes_at=None) -> Post:
    """Attach (or, with None, remove) the form of a draft or scheduled post, open until `closes_at`
    (None: while the post is published). Who: its editors."""
    if form_schema is not None:
        forms.check_form_schema(form_schema)
    if form_schema is None:
        closes_at = None
    if closes_at is not None and closes_at <= timezone.now():
        raise DomainError("INVALID_DATE", _("投票截止时间应晚于现在。"), "closesAt")
    with transaction.atomic():
        post = access.access_post(user, post_id, edit=True, for_update=True)
        if post.status not in EDITABLE:
            raise DomainError("POST_NOT_EDITABLE", _("已发布的公告不能再修改表单。"))
        post.form_schema, post.form_closes_at = form_schema, closes_at
        post.save(update_fields=["form_schema", "form_closes_at", "updated_at"])
        audit.record("announcements.form", actor=user, target=post,
                     after={"fields": sorted((form_schema or {}).get("properties", {})),
                            "closes_at": closes_at.isoformat() if closes_at else None})
    return post


def is_closed(post: Post, now=None) -> bool:
    return post.form_closes_at is not None and (now or timezone.now()) >= post.form_closes_at


def may_answer(user, post: Post) -> bool:
    """The ANSWER action: a recipient of the published post who has not answered its open form."""
    return (bool(post.form_schema) and post.status == Status.PUBLISHED and not is_closed(post)
            and access.is_recipient(user, post) and not FormAnswer.objects.filter(post=post, user_id=user.pk).exists())


def may_see_results(user, post: Post) -> bool:
    if not post.form_schema:
        return False
    if access.may_edit(user, post):
        return True
    return (post.status == Status.PUBLISHED and access.is_recipient(user, post)
            and (is_closed(post) or FormAnswer.objects.filter(post=post, user_id=user.pk).exists()))


def answer(user, post_id: int, data, now=None) -> FormAnswer:
    """The reader's answer, checked against the form; once per person (FORM_ALREADY_ANSWERED),
    before it closes (FORM_CLOSED). Who: the post's audience while it is published."""
    post = access.access_post(user, post_id)
    if post.status != Status.PUBLISHED or not access.is_recipient(user, post):
        raise DomainError("POST_NOT_PUBLISHED", _("您不在该公告的发布范围内，或公告尚未发布。"))
    if not post.form_schema:
        raise DomainError("NO_FORM", _("该公告没有附带表单或投票。"))
    if is_closed(post, now):
        raise DomainError("FORM_CLOSED", _("投票已截止。"))
    clean = forms.validate_data(post.form_schema, data)
    try:
        with transaction.atomic():
            row = FormAnswer.objects.create(post=post, user_id=user.pk, data=clean)
            audit.record("announcements.answer", actor=user, target=post)
            tell_editors(post)  # their results re-read themselves
    except IntegrityError:
        raise DomainError("FORM_ALREADY_ANSWERED", _("您已填写过，每人只能填写一次。")) from None
    return row


def my_answer(user, post: Post) -> dict | None:
    row = FormAnswer.objects.filter(post=post, user_id=getattr(user, "pk", None)).first()
    return row.data if row else None


def results(post: Post) -> dict:
    """How many answered, and per field: each option's count (choice fields) or how many filled it."""
    schema = post.form_schema or {}
    answers = list(FormAnswer.objects.filter(post=post).values_list("data", flat=True))
    out = []
    for key, prop in (schema.get("properties") or {}).items():
        options = prop.get("enum") or (prop.get("items") or {}).get("enum") if isinstance(prop, dict) else None
        values = [a.get(key) for a in answers if a.get(key) not in (None, "", [])]
        counts = None
        if options:
            picked = [v for x in values for v in (x if isinstance(x, list) else [x])]
            counts = [{"value": str(o), "count": picked.count(o)} for o in options]
        out.append({"key": key, "title": str(prop.get("title") or key), "answered": len(values), "options": counts})
    return {"answered": len(answers), "fields": out}

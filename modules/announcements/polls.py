"""A form or quick poll attached to a post: a JSON Schema form (the platform's form engine,
`jianlian.forms`, the one approvals uses), validated on the server with `jsonschema`; each reader
answers once; the editors see the results (choices counted per option).

A quick poll is a form with one choice field: `{"type": "object", "required": ["choice"],
"properties": {"choice": {"title": "…", "enum": ["A", "B"]}}}` (an array of an enum with
`uniqueItems` for several choices).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jianlian import forms
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from modules.announcements import access
from modules.announcements.actions import EDITABLE
from modules.announcements.models import FormAnswer, Post, Status


def set_form(user, post_id: int, form_schema: dict | None) -> Post:
    """Attach (or, with None, remove) the form of a draft or scheduled post. Who: its editors."""
    if form_schema is not None:
        forms.check_form_schema(form_schema)
    with transaction.atomic():
        post = access.access_post(user, post_id, edit=True, for_update=True)
        if post.status not in EDITABLE:
            raise DomainError("POST_NOT_EDITABLE", _("已发布的公告不能再修改表单。"))
        post.form_schema = form_schema
        post.save(update_fields=["form_schema", "updated_at"])
        audit.record("announcements.form", actor=user, target=post,
                     after={"fields": sorted((form_schema or {}).get("properties", {}))})
    return post


def answer(user, post_id: int, data) -> FormAnswer:
    """The reader's answer, checked against the form; once per person (FORM_ALREADY_ANSWERED).
    Who: the post's audience while it is published."""
    post = access.access_post(user, post_id)
    if post.status != Status.PUBLISHED or not access.is_recipient(user, post):
        raise DomainError("POST_NOT_PUBLISHED", _("您不在该公告的发布范围内，或公告尚未发布。"))
    if not post.form_schema:
        raise DomainError("NO_FORM", _("该公告没有附带表单或投票。"))
    clean = forms.validate_data(post.form_schema, data)
    try:
        with transaction.atomic():
            row = FormAnswer.objects.create(post=post, user_id=user.pk, data=clean)
            audit.record("announcements.answer", actor=user, target=post)
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

"""The union's to-do source (manifest `todo_sources`): sign-ups waiting for this officer's approval."""

from __future__ import annotations


def open_items(user):
    from modules.union import access
    from modules.union.activities import link, review_key
    from modules.union.activity_models import Signup, SignupStatus
    from modules.union.models import Officer

    paths = list(Officer.objects.filter(user_id=user.pk).values_list("node__path", flat=True))
    if not paths:
        return
    pending = Signup.objects.filter(status=SignupStatus.PENDING).select_related("activity__node", "member")
    for s in pending[:500]:
        if any(s.activity.node.path.startswith(p) for p in paths):
            yield {"key": review_key(s), "kind": "signup_review", "title": f"活动报名待审核：{s.activity.title} · {s.member.name}",
                   "link": link(s.activity), "started_by": s.member.name}
    del access

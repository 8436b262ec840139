"""A hospital for the announcements tests: the approvals hospital (桐庐 with 院领导 → 临床 →
内科/外科 and their people), announcements installed, 外科主任 administrating 通知公告 and
whitelisted to push to the whole hospital, the tenant admin holding announcements.manage."""

from __future__ import annotations

from jianlian.marketplace import services as market
from jianlian.notifications.models import SenderGrant
from modules.announcements import actions, columns
from modules.announcements.models import Column
from tests import approvals_world
from tests.factories import grant


def build(p):
    """Call inside tenant_context(p.tenant_a)."""
    w = approvals_world.build(p)
    market.install(None, p.tenant_a, "announcements")
    grant(p.users["tenant_admin"], "announcements_admin", p.lead_a, p.tenant_a)
    editor = w.user("外科主任")
    for key in ("notices", "news"):
        columns.save_column(p.users["tenant_admin"], column_id=Column.objects.get(key=key).pk, admin_ids=[editor.pk])
    SenderGrant.objects.create(user_id=editor.pk, unit_id=None)
    return w


def notice(w, *, title="关于开展消防演练的通知", body="<p>请各科室于周五参加。</p>", departments=("internal", "surgery"),
           required=True, column="notices", publish=True, **kw):
    """A post by 外科主任 to departments (default 内科 and 外科, with their people)."""
    post = actions.save_post(w.user("外科主任"), column_id=Column.objects.get(key=column).pk, title=title, body=body,
                             audience={"department_ids": [w.depts[d].pk for d in departments]}, required=required, **kw)
    return actions.publish_post(w.user("外科主任"), post.pk) if publish else post

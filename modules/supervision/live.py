"""Live supervision events: every write of a unit's period of a data set (a value saved or
imported, a submission, an approval, a return, a reopening) is announced after it commits as
`supervision.changed`, so the approval and entry pages update without a reload
(`supervisionChanged`).

Supervision data lives in the public schema but is read from two places: the province console
(public) and the workspace of the tenant the unit belongs to (its community's or hospital's). The
event goes to the `supervision` group of both; each subscriber gets it only if they may see the
unit (`access.VIEW_PERMS` there), checked by the real-time hub before anything is sent. The
payload names the unit, data set, period and what happened — nothing a permitted reader could not
read anyway — and the pages refetch what they show.
"""

from __future__ import annotations

import datetime as dt

from graphql_relay import to_global_id

from jianlian.hierarchy.models import OrgUnit
from jianlian.realtime import events
from modules.supervision.access import VIEW_PERMS
from modules.supervision.models import DataSet

CHANGED = "supervision.changed"


def group(schema: str) -> str:
    """The group of supervision events in one schema (the province console is "public")."""
    return f"{schema}.supervision"


def _schemas(unit: OrgUnit) -> list[str]:
    from tenants.models import Tenant

    above = unit.get_ancestors(include_self=True).values_list("pk", flat=True)
    return ["public", *Tenant.objects.filter(org_unit_id__in=list(above)).exclude(schema_name="public")
            .order_by("schema_name").values_list("schema_name", flat=True)]


def announce(ds: DataSet, unit: OrgUnit, start: dt.date, action: str, step: int | None = None) -> None:
    """Announce, once the current transaction commits, that `action` (save, submit, approve,
    unapprove, reopen) happened to the unit's period of the data set starting at `start`; `step`
    is the approval step it left the period at (None when it did not change it). Who: the
    actions, inside their transaction."""
    from modules.supervision.datasets import period_label

    payload = {"unitId": unit.pk, "unit": to_global_id("OrgUnit", unit.pk), "dataSet": ds.code,
               "period": period_label(ds, start), "action": action, "step": None if step is None else int(step)}
    events.publish(CHANGED, payload, groups=[group(s) for s in _schemas(unit)], perm=VIEW_PERMS, node_id=unit.pk)

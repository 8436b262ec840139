"""Automatic collection: inside a tenant, every installed app's data elements for a month are
sent to the province through the bus (`supervision.values` to "public", committed with nothing
else) and applied there once by unit / element / option / period. A stopped worker delays values
without losing them; a submitted period is left as approved (the lock date does not block)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from jianlian.core.errors import DomainError
from jianlian.hierarchy.models import OrgUnit
from modules.supervision.definitions import catalogue
from modules.supervision.models import Origin
from modules.supervision.periods import last_month, parse_month
from modules.supervision.values import Row, WriteResult, approval_locked, parse_value, upsert

VALUES_MESSAGE = "supervision.values"


def collect(month: dt.date | None = None) -> int:
    """In the current tenant: gather every installed app's data elements for `month` (default
    last month) from its `stats.monthly(period)` and send them to the province through the bus,
    in one message. Who: the periodic task `collect` (and operators). Returns the rows sent."""
    from importlib import import_module

    from django.db import connection

    from jianlian import bus
    from jianlian.marketplace import manifest as manifests
    from jianlian.marketplace.services import installed_keys
    from tenants.models import Tenant

    month = (month or last_month()).replace(day=1)
    tenant = Tenant.objects.filter(schema_name=connection.schema_name).first()
    if tenant is None:
        return 0
    installed = installed_keys(tenant)
    rows = []
    for key, m in manifests.registry().items():
        if key not in installed or not m.data_elements:
            continue
        try:
            stats = import_module(f"{m.app_name}.stats")
        except ModuleNotFoundError:
            continue
        wanted = set(m.data_elements)
        for r in stats.monthly(month):
            if r["element"] in wanted:
                rows.append({"unit": r["unit_id"], "element": r["element"], "option": r.get("option", ""),
                             "value": str(r["value"])})
    with transaction.atomic():
        bus.send("public", VALUES_MESSAGE, {"period": month.strftime("%Y-%m"), "apps": sorted(installed), "rows": rows},
                 conversation=f"collect:{month:%Y-%m}")
    return len(rows)


def apply_collected(sender_schema: str, payload: dict) -> WriteResult:
    """In public (the bus handler): apply a tenant's collected values. A row counts only for a
    unit that tenant owns and an element the catalogue knows; a locked month is left as approved
    (reported in the result, not an error of the message). Idempotent by the value key."""
    from tenants.models import Tenant

    result = WriteResult()
    tenant = Tenant.objects.select_related("org_unit").filter(schema_name=sender_schema).first()
    if tenant is None:
        return result
    month = parse_month(payload.get("period"))
    own = set(tenant.org_unit.get_descendants(include_self=True).values_list("pk", flat=True))
    elements = catalogue()
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=own)}
    paths: dict = {}
    for n, raw in enumerate(payload.get("rows") or [], start=1):
        unit, el = units.get(raw.get("unit")), elements.get(raw.get("element"))
        if unit is None or el is None:
            result.errors.append({"row": n, "field": "unit" if unit is None else "element", "code": "UNKNOWN_UNIT" if unit is None else "UNKNOWN_ELEMENT", "message": ""})
            continue
        if approval_locked(unit.pk, month, el):
            result.errors.append({"row": n, "field": "period", "code": "DATA_LOCKED", "message": ""})
            continue
        try:
            value = parse_value(raw.get("value"), el)
        except DomainError as e:
            result.errors.append({"row": n, "field": "value", "code": e.code, "message": ""})
            continue
        outcome = upsert(Row(unit, el, raw.get("option") or "", month, value, ""), Origin.AUTO,
                          source_tenant=sender_schema, paths=paths)
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result

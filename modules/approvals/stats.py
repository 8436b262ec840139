"""Statistics per template (counts by status, median and 90th-percentile time per node, overdue
tasks) and the Excel export of instances. Read-only; who may read is checked by the callers
(`approvals.manage`, `approvals.view_all`, or the template's sub-administrators)."""

from __future__ import annotations

import io

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from modules.approvals.models import Instance, Status, Task, TaskStatus, Template

NODE_TIMES_SQL = """
SELECT n.node_id, max(n.name), count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM n.finished_at - n.entered_at)),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM n.finished_at - n.entered_at))
FROM approvals_noderun n JOIN approvals_instance i ON i.id = n.instance_id
WHERE i.template_id = %s AND n.kind = 'approver' AND n.status = 'approved' AND n.finished_at IS NOT NULL
  AND i.created_at >= %s AND i.created_at < %s
GROUP BY n.node_id ORDER BY min(n.id)
"""


def template_stats(template: Template, start, end, now=None) -> dict:
    """{"counts": {status: n}, "nodes": [{nodeId, name, decided, medianSeconds, p90Seconds}],
    "overdue": n, "total": n} for instances started in [start, end)."""
    now = now or timezone.now()
    instances = Instance.objects.filter(template=template, created_at__gte=start, created_at__lt=end)
    counts = dict(instances.values("status").order_by().annotate(n=Count("id")).values_list("status", "n"))
    with connection.cursor() as cursor:
        cursor.execute(NODE_TIMES_SQL, [template.pk, start, end])
        nodes = [{"node_id": nid, "name": name, "decided": n, "median_seconds": round(med or 0), "p90_seconds": round(p90 or 0)}
                 for nid, name, n, med, p90 in cursor.fetchall()]
    overdue = Task.objects.filter(instance__in=instances, status=TaskStatus.PENDING, node__due_at__lt=now).count()
    return {"counts": {s: counts.get(s, 0) for s in Status.values}, "total": sum(counts.values()), "nodes": nodes,
            "overdue": overdue}


def export_xlsx(instances, template: Template | None = None) -> bytes:
    """The instances as one sheet: the fixed columns, then the form's fields (of the template's
    current version when one template is exported), values flattened for reading."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(template.name if template else "审批")
    fields = list(template.current_version.form_schema["properties"].items()) if template and template.current_version else []
    head = ["审批编号", "标题", "审批类型", "发起人", "发起部门", "状态", "发起时间", "完成时间"] + [p.get("title", k) for k, p in fields]
    ws.append(head)
    labels = dict(Status.choices)
    for inst in instances.select_related("template").order_by("-created_at", "-id").iterator(chunk_size=2000):
        row = [inst.number, inst.title, inst.template.name, inst.submitter_name, inst.department_name,
               str(labels.get(inst.status, inst.status)), timezone.localtime(inst.created_at).replace(tzinfo=None),
               timezone.localtime(inst.finished_at).replace(tzinfo=None) if inst.finished_at else None]
        row += [_cell(inst.data.get(k)) for k, _p in fields]
        ws.append(row)
    for i in range(1, len(head) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 18
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(value):
    if value is None or isinstance(value, (int, float, str)):
        return value
    if isinstance(value, dict) and "start" in value:
        return f"{value.get('start')} ~ {value.get('end')}" + (f"（{value['days']}天）" if "days" in value else "")
    if isinstance(value, list):
        return "；".join(_cell(v) if not isinstance(v, dict) else "，".join(f"{k}:{x}" for k, x in v.items()) for v in value)
    return str(value)



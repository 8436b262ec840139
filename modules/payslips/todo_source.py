"""The payslips app's to-do source (manifest `todo_sources`): for the payroll office, the
questions people raised and nobody answered yet."""

from __future__ import annotations


def open_questions(user):
    from modules.payslips import access, services
    from modules.payslips.models import BatchStatus, Payslip, SlipStatus

    if not access.is_office(user):
        return
    for slip in Payslip.objects.filter(status=SlipStatus.QUESTIONED, batch__status=BatchStatus.PUBLISHED).select_related("batch"):
        yield {"key": services.question_key(slip.pk), "kind": "question", "title": f"{slip.name} · {slip.batch.title}",
               "summary": slip.question[:200], "link": f"/payslips/batches/{services._gid('PayslipBatch', slip.batch_id)}",
               "started_by": slip.name}

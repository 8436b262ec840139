"""Periodic and background work of the organisation app (Celery, `tenants.tasks.TenantTask`)."""

from __future__ import annotations

from jianlian.celery_app import app
from tenants.tasks import TenantTask


@app.task(name="org.apply_due_events_everywhere", ignore_result=True)
def apply_due_events_everywhere():
    """Beat's entry point: queue `org.apply_due_events` inside every active tenant."""
    from tenants.models import Tenant, TenantStatus

    for tenant in Tenant.objects.filter(status=TenantStatus.ACTIVE).only("schema_name"):
        apply_due_events.delay_in(tenant)


@app.task(base=TenantTask, bind=True, name="org.apply_due_events", ignore_result=True)
def apply_due_events(self):
    """Apply the tenant's lifecycle events whose effective time has come (idempotent: an applied
    event is never applied again)."""
    from jianlian.org.services import apply_due_events as apply

    return apply()


@app.task(base=TenantTask, bind=True, name="org.import_workbook", max_retries=0)
def import_workbook(self, job_id: int):
    """Run a stored import job, reporting progress to `jobProgress(taskId)`."""
    from jianlian.org.importer import run_job

    return run_job(job_id, progress=self.report_progress)

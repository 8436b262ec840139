"""The marketplace's Celery tasks: install jobs, mandates, and the periodic-task dispatcher."""

from __future__ import annotations

import logging

from jianlian.celery_app import app
from tenants.tasks import TenantTask

logger = logging.getLogger(__name__)


@app.task(base=TenantTask, bind=True, name="marketplace.run_job", max_retries=0)
def run_job(self, job_id):
    """Run an install job inside its tenant; progress goes to `jobProgress(taskId: job_id)`."""
    from jianlian.marketplace import services

    job = services.run_job(job_id, progress=self.report_progress)
    return job.status


@app.task(base=TenantTask, bind=True, name="marketplace.apply_mandate", max_retries=0)
def apply_mandate_task(self, mandate_id):
    from jianlian.marketplace import services

    return services.apply_mandate(mandate_id, progress=self.report_progress)


@app.task(name="marketplace.dispatch_periodic", ignore_result=True)
def dispatch_periodic():
    """Beat runs this every minute: each module's periodic task that is due is queued once in
    every tenant that has the module installed (and nowhere else)."""
    from jianlian.marketplace.composition import dispatch_periodic_tasks

    return dispatch_periodic_tasks()

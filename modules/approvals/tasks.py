from jianlian.celery_app import app
from tenants.tasks import TenantTask


@app.task(base=TenantTask, bind=True, name="modules.approvals.tasks.check_timeouts", max_retries=2)
def check_timeouts(self):
    """Every minute, in each tenant with the app installed: remind, then pass or reject overdue nodes."""
    from modules.approvals.timeouts import check_timeouts as run

    return run()


@app.task(base=TenantTask, bind=True, name="modules.approvals.tasks.open_collections", max_retries=2)
def open_collections(self):
    """Every few minutes: open today's daily collection forms for their audiences once their hour has come."""
    from modules.approvals.collections import open_due

    return open_due()

from jianlian.celery_app import app
from tenants.tasks import TenantTask


@app.task(base=TenantTask, bind=True, name="modules.referrals.tasks.check_sla", max_retries=2)
def check_sla(self):
    """Every minute, in each tenant with the app installed: remind, then escalate, waiting referrals."""
    from modules.referrals.services import check_sla as run

    return run()

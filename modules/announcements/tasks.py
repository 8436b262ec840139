from jianlian.celery_app import app
from tenants.tasks import TenantTask


@app.task(base=TenantTask, bind=True, name="modules.announcements.tasks.publish_due", max_retries=2)
def publish_due(self):
    """Every minute, in each tenant with the app installed: publish the scheduled posts that are due."""
    from modules.announcements.actions import publish_due as run

    return run()


@app.task(base=TenantTask, bind=True, name="modules.announcements.tasks.receive_province_post")
def receive_province_post(self, spec: dict):
    """A province-wide post arriving in one tenant (queued once per tenant by publish_to_province)."""
    from modules.announcements.province import receive_in_tenant

    return receive_in_tenant(spec).pk

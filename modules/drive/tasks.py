from jianlian.celery_app import app
from tenants.tasks import TenantTask


@app.task(base=TenantTask, bind=True, name="modules.drive.tasks.expire_uploads", max_retries=2)
def expire_uploads(self):
    """Every hour, in each tenant with the app installed: delete uploads abandoned for a day (their
    staged bytes and reserved quota)."""
    from modules.drive.actions import expire_uploads as expire

    return expire()

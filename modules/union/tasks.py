from jianlian.celery_app import app
from tenants.tasks import TenantTask


@app.task(base=TenantTask, bind=True, name="modules.union.tasks.sync_members", max_retries=2)
def sync_members(self):
    """Every minute, where the union is installed: members who left the organisation leave the
    union; transfers into departments tied to a node move the member (membership.sync_members)."""
    from modules.union.membership import sync_members as run

    return run()

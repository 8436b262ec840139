from jianlian.celery_app import app
from tenants.tasks import TenantTask


@app.task(base=TenantTask, bind=True, name="modules.supervision.tasks.collect", max_retries=3)
def collect(self, period: str = ""):
    """Daily, in each tenant with the app installed: send last month's (or `period`'s) data
    elements of the installed apps to the province."""
    from modules.supervision.collection import collect as run
    from modules.supervision.periods import parse_month

    return run(parse_month(period) if period else None)


@app.task(base=TenantTask, bind=True, name="modules.supervision.tasks.rollup", max_retries=3)
def rollup(self):
    """Every few minutes: roll up the months whose values changed (public tables; the first
    tenant's run takes the work, the others find nothing stale)."""
    from modules.supervision.rollup import rollup as run

    return [m.isoformat() for m in run()]

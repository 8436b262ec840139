from jianlian.celery_app import app
from tenants.tasks import TenantTask


@app.task(base=TenantTask, bind=True, name="modules.learning.tasks.expire_attempts", max_retries=2)
def expire_attempts(self):
    """Every 30 seconds, in each tenant with the app installed: hand in attempts past their time."""
    from modules.learning.attempts import expire_due

    return expire_due()


@app.task(base=TenantTask, bind=True, name="modules.learning.tasks.remind_assignments", max_retries=2)
def remind_assignments(self):
    """Every 10 minutes, in each tenant with the app installed: remind people of assignments due within a day."""
    from modules.learning.assignments import remind_due

    return remind_due()

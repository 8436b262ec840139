from jianlian.celery_app import app
from tenants.tasks import TenantTask


@app.task(base=TenantTask, bind=True, name="modules.meetings.tasks.send_reminders", max_retries=2)
def send_reminders(self):
    """Every minute, in each tenant with the app installed: remind people of meetings about to start."""
    from modules.meetings.timers import send_reminders as run

    return run()


@app.task(base=TenantTask, bind=True, name="modules.meetings.tasks.release_no_shows", max_retries=2)
def release_no_shows(self):
    """Every minute: free the rooms of meetings nobody checked in to within 15 minutes of the start."""
    from modules.meetings.timers import release_no_shows as run

    return run()

from jianlian.celery_app import app
from tenants.tasks import TenantTask


@app.task(base=TenantTask, bind=True, name="modules.union.tasks.sync_members", max_retries=2)
def sync_members(self):
    """Every minute, where the union is installed: members who left the organisation leave the
    union; transfers into departments tied to a node move the member (membership.sync_members)."""
    from modules.union.membership import sync_members as run

    return run()


@app.task(base=TenantTask, bind=True, name="modules.union.tasks.weekly_digest", max_retries=2)
def weekly_digest(self):
    """Hourly, where the union is installed: from Monday 08:00 on, each sub-union's officers get
    the week's digest once (pushes.weekly_digest keeps it to once per sub-union and week)."""
    from django.utils import timezone

    from modules.union.pushes import weekly_digest as run

    now = timezone.localtime()
    return run(now) if now.isoweekday() == 1 and now.hour >= 8 else 0


@app.task(base=TenantTask, bind=True, name="modules.union.tasks.announce_closed_surveys", max_retries=2)
def announce_closed_surveys(self):
    """Every minute, where the union is installed: `union.survey_closed` to subscribed external
    apps, once per survey that has passed its closing time (events.announce_closed_surveys)."""
    from modules.union.events import announce_closed_surveys as run

    return run()

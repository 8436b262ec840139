from jianlian.celery_app import app
from tenants.tasks import TenantTask


@app.task(base=TenantTask, bind=True, name="tests.sample_modules.notes.tasks.tick")
def tick(self):
    from tests.sample_modules.notes.models import TickMark

    TickMark.objects.create()
    return TickMark.objects.count()

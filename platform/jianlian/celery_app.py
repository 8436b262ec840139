"""The Celery application. Tasks that touch tenant data carry their tenant (issue 3)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianlian.settings")

app = Celery("jianlian")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

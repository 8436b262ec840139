from django.db import models


class Note(models.Model):
    title = models.CharField(max_length=100)
    owner_id = models.BigIntegerField()
    read = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)  # added in 1.1.0 (migration 0002)


class TickMark(models.Model):
    at = models.DateTimeField(auto_now_add=True)

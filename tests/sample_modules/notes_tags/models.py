from django.db import models


class Tag(models.Model):
    note = models.ForeignKey("notes.Note", on_delete=models.CASCADE)
    label = models.CharField(max_length=30)


class TagTotal(models.Model):
    """A province-wide aggregate: its one table lives in the public schema (manifest public_models)."""

    tenant_slug = models.CharField(max_length=40)
    label = models.CharField(max_length=30)
    total = models.PositiveIntegerField(default=0)

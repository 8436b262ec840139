from django.db import models


class Tag(models.Model):
    note = models.ForeignKey("notes.Note", on_delete=models.CASCADE)
    label = models.CharField(max_length=30)

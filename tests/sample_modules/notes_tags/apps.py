from django.apps import AppConfig


class NotesTagsConfig(AppConfig):
    name = "tests.sample_modules.notes_tags"
    label = "notes_tags"
    verbose_name = "Note tags (sample module)"
    default_auto_field = "django.db.models.BigAutoField"

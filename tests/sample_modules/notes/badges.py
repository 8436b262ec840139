from tests.sample_modules.notes.models import Note


def unread(user) -> int:
    return Note.objects.filter(owner_id=user.pk, read=False).count()

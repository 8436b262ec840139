import graphene
from django.db import transaction

from jianlian.api.base import BaseMutation, require_user
from jianlian.marketplace.services import badge_changed


class Query(graphene.ObjectType):
    note_count = graphene.Int(required=True, description="本人的便签数。")

    @staticmethod
    def resolve_note_count(root, info):
        from tests.sample_modules.notes.models import Note

        return Note.objects.filter(owner_id=require_user(info).pk).count()


class AddNoteInput(graphene.InputObjectType):
    """A note for someone."""

    title = graphene.String(required=True, description="标题。")
    owner = graphene.Int(description="收件人的用户ID；默认本人。")


class AddNote(BaseMutation):
    """写一张便签。"""

    count = graphene.Int(description="收件人的便签数。")

    class Arguments:
        input = AddNoteInput(required=True)

    @classmethod
    def perform(cls, info, input):
        from tests.sample_modules.notes.models import Note

        owner = input.get("owner") or info.context.user.pk
        with transaction.atomic():
            Note.objects.create(title=input["title"], owner_id=owner)
            badge_changed("notes", [owner])
        return cls(count=Note.objects.filter(owner_id=owner).count(), errors=[])


class Mutation(graphene.ObjectType):
    add_note = AddNote.Field(description=AddNote.__doc__)

import graphene
from django.db import transaction

from jianlian.api.base import BaseMutation, PermissionField
from jianlian.core.errors import DomainError
from jianlian.api.permissions import SIGNED_IN
from jianlian.marketplace.services import badge_changed


class Query(graphene.ObjectType):
    note_count = PermissionField(graphene.Int, required=True, permissions=SIGNED_IN, description="本人的便签数。")

    @staticmethod
    def resolve_note_count(root, info):
        from tests.sample_modules.notes.models import Note

        return Note.objects.filter(owner_id=info.context.user.pk).count()


class AddNoteInput(graphene.InputObjectType):
    """A note for someone."""

    title = graphene.String(required=True, description="标题。")
    owner = graphene.Int(description="收件人的用户ID；默认本人。")


class AddNote(BaseMutation):
    class Meta:
        description = "写一张便签。"
        permissions = SIGNED_IN

    count = graphene.Int(description="收件人的便签数。")

    class Arguments:
        input = AddNoteInput(required=True)

    @classmethod
    def perform(cls, info, input):
        from tests.sample_modules.notes.models import Note

        if not input["title"] or len(input["title"]) > 100:
            raise DomainError("INVALID", "标题不能为空，且不超过100个字。", "title")
        owner = input.get("owner") or info.context.user.pk
        with transaction.atomic():
            Note.objects.create(title=input["title"], owner_id=owner)
            badge_changed("notes", [owner])
        return cls(count=Note.objects.filter(owner_id=owner).count(), errors=[])


class Mutation(graphene.ObjectType):
    add_note = AddNote.Field()

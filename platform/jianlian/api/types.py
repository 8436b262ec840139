"""The base for every model-backed GraphQL type: Relay node, and a description on every field.

A type that implements `Node` says who may read an object by ID in `access_node(info, viewer, pk)`;
`get_node` is not overridden: it runs the one access check in `jianlian.api.node` first.

graphene-django describes a model field by its help_text, which most fields do not have; the
contract wants every field described, so fields without one take the model field's verbose name.
"""

from __future__ import annotations

from graphene_django import DjangoObjectType


class ModelType(DjangoObjectType):
    class Meta:
        abstract = True

    @classmethod
    def get_node(cls, info, id):
        from jianlian.api.node import access_node

        return access_node(cls, info, id)

    @classmethod
    def __init_subclass_with_meta__(cls, **options):
        super().__init_subclass_with_meta__(**options)
        model = cls._meta.model
        for name, field in cls._meta.fields.items():
            if getattr(field, "description", None):
                continue
            try:
                model_field = model._meta.get_field(name)
            except Exception:  # not a model field: a custom one must describe itself
                continue
            label = getattr(model_field, "verbose_name", None) or name
            field.description = str(label)

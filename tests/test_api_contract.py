"""The module contract, checked over the composed schema (platform, modules and the sample
modules in tests/sample_modules): every root field declares who may use it and says so in the
SDL, and every mutation names its errors by the camelCase fields of its own input."""

import enum

import graphene
import pytest
from graphene.utils.str_converters import to_camel_case
from graphql_relay import to_global_id

from jianlian.api.base import BaseMutation, GlobalID, clean_input, unwrap_type
from jianlian.api.schema import Mutation, Query, schema
from jianlian.core.error_codes import REGISTRY
from jianlian.core.errors import DomainError
from tests.factories import make_user
from tests.utils import gql

SDL = schema.graphql_schema


def _mutations():
    return sorted((to_camel_case(name), field.type) for name, field in Mutation._meta.fields.items())


def test_every_query_declares_its_permission_and_the_sdl_names_it():
    for name, field in Query._meta.fields.items():
        declared = getattr(field, "permissions", None)
        assert declared is not None, f"Query.{to_camel_case(name)} declares no permissions (use PermissionField)"
        description = SDL.query_type.fields[to_camel_case(name)].description or ""
        assert declared.describe() in description, f"Query.{to_camel_case(name)}: SDL does not state its permission"
        assert description.split("\n")[0].strip(), f"Query.{to_camel_case(name)} has no description"


def test_every_mutation_declares_description_permission_and_registered_error_codes():
    for name, mutation in _mutations():
        assert issubclass(mutation, BaseMutation), name
        meta = mutation._meta
        assert meta.description and meta.permissions is not None, name
        description = SDL.mutation_type.fields[name].description
        assert description.startswith(meta.description.strip()), name
        assert meta.permissions.describe() in description, f"{name}: SDL does not state its permission"
        for code in getattr(meta.permissions, "codes", ()):
            assert code in description
        for code in meta.error_codes:
            assert code in REGISTRY, f"{name} declares unregistered error code {code}"
            assert code in description, f"{name}: SDL does not list error code {code}"


def test_every_relay_id_in_a_mutation_input_names_its_type():
    """IDs are decoded and type-checked in one place: an ID input field must be a GlobalID."""
    untyped = []
    for name, mutation in _mutations():
        input_cls = mutation.input_type()
        if not issubclass(input_cls, graphene.InputObjectType):
            continue
        for field_name, field in input_cls._meta.fields.items():
            if unwrap_type(field.type) is graphene.ID and not isinstance(field, GlobalID):
                untyped.append(f"{name}.{to_camel_case(field_name)}")
    assert not untyped, f"ID inputs without a declared type (use GlobalID): {untyped}"


# --- the cleaner, one place -------------------------------------------------------------------------

class _Colour(enum.Enum):
    RED = "red"


class _Inner(graphene.InputObjectType):
    unit = GlobalID("OrgUnit")


class _Sample(graphene.InputObjectType):
    name = graphene.String()
    colour = graphene.Enum.from_enum(_Colour)()
    unit = GlobalID("OrgUnit")
    units = GlobalID("OrgUnit", many=True)
    inner = graphene.InputField(_Inner)


def test_the_cleaner_trims_unwraps_decodes_and_refuses_nul():
    cleaned = clean_input({"name": "  王医生 ", "colour": _Colour.RED, "unit": to_global_id("OrgUnit", 7),
                           "units": [to_global_id("OrgUnit", 8)], "inner": {"unit": to_global_id("OrgUnit", 9)}}, _Sample)
    assert cleaned == {"name": "王医生", "colour": "red", "unit": 7, "units": [8], "inner": {"unit": 9}}
    with pytest.raises(DomainError) as e:
        clean_input({"name": "a\x00b", "unit": to_global_id("Tenant", 7), "inner": {"unit": "garbage"}}, _Sample)
    assert sorted((p.code, p.field) for p in e.value.problems) == [
        ("INVALID_CHARACTER", "name"), ("INVALID_ID", "inner.unit"), ("INVALID_ID", "unit")]


# --- bad input to every mutation ----------------------------------------------------------------------

def _bad_value(field, variant: str, province):
    """A value of the field's type that an action should refuse (or at least question)."""
    t = unwrap_type(field.type)
    many = isinstance(field.type, graphene.List) or isinstance(getattr(field.type, "of_type", None), graphene.List)
    if isinstance(field, GlobalID):
        value = to_global_id(field.id_type, province.lead_a.pk if field.id_type == "OrgUnit" else 999_999)
    elif t in (graphene.String, graphene.ID):
        value = "" if variant == "empty" else "？" * 5001
    elif t is graphene.Int:
        value = -1 if variant == "empty" else 10**9
    elif t is graphene.Float:
        value = -1.5
    elif t is graphene.Boolean:
        value = variant == "empty"
    elif t is graphene.Date:
        value = "1900-01-01" if variant == "empty" else "2999-12-31"
    elif t is graphene.DateTime:
        value = "1900-01-01T00:00:00+00:00" if variant == "empty" else "2999-12-31T00:00:00+00:00"
    elif t is graphene.JSONString:
        value = "{}" if variant == "empty" else '{"key": 1}'
    elif isinstance(t, type) and issubclass(t, graphene.Enum):
        value = list(t._meta.enum.__members__)[0 if variant == "empty" else -1]
    elif isinstance(t, type) and issubclass(t, graphene.InputObjectType):
        value = {n: _bad_value(f, variant, province) for n, f in t._meta.fields.items()}
    else:
        return None
    return [value] if many and not isinstance(value, list) else value


def _input_fields(mutation) -> set[str]:
    return {to_camel_case(n) for n in mutation.input_type()._meta.fields}


@pytest.fixture
def everything_installed(province):
    from jianlian.marketplace import services as market

    for key in ("referrals", "notes"):
        market.install(None, province.tenant_a, key)
    return province


@pytest.mark.parametrize("where", ["console", "tenant"])
def test_bad_input_to_every_mutation_names_only_fields_of_its_input(client, everything_installed, where):
    p = everything_installed
    root = make_user("超级管理员", is_superuser=True)
    headers = {"HTTP_X_TENANT": p.tenant_a.slug} if where == "tenant" else {}
    checked, wrong, crashed = 0, [], []
    for name, mutation in _mutations():
        input_cls = mutation.input_type()
        if name in ("signOut", "changePassword") or not issubclass(input_cls, graphene.InputObjectType):
            continue  # signing out or changing the password would end the session the walk uses
        type_name = SDL.mutation_type.fields[name].args["input"].type.of_type.name
        fields = _input_fields(mutation)
        for variant in ("empty", "long"):
            value = {to_camel_case(n): _bad_value(f, variant, p) for n, f in input_cls._meta.fields.items()}
            doc = f"mutation($input: {type_name}!) {{ {name}(input: $input) {{ errors {{ field code message }} }} }}"
            status, body = gql(client, doc, {"input": value}, user=root, **headers)
            assert status == 200, (name, body)
            crashed += [(name, variant) for e in body.get("errors") or [] if e["extensions"]["code"] == "INTERNAL_ERROR"]
            for e in ((body.get("data") or {}).get(name) or {}).get("errors") or []:
                checked += 1
                field = e["field"]
                if field is not None and field.split(".")[0] not in fields:
                    wrong.append((name, variant, field, e["code"]))
    assert not crashed, f"bad input answered INTERNAL_ERROR: {crashed}"
    assert checked > 40  # the walk reached the actions
    assert not wrong, f"errors naming fields that are not in the input (camelCase): {wrong}"


# --- missing and forbidden answer alike -------------------------------------------------------------

MOVE = "mutation($input: MoveOrgUnitInput!) { moveOrgUnit(input: $input) { errors { field code } } }"
NEW_TENANT = "mutation($input: CreateTenantInput!) { createTenant(input: $input) { errors { field code } } }"


def test_hierarchy_and_tenant_mutations_answer_a_missing_unit_like_a_forbidden_one(client, province):
    p = province
    gone = to_global_id("OrgUnit", 10**8)
    answers = []
    for user, unit in ((p.users["doctor"], to_global_id("OrgUnit", p.member_a2.pk)), (p.users["province_admin"], gone)):
        _, body = gql(client, MOVE, {"input": {"id": unit, "newParent": to_global_id("OrgUnit", p.lead_b.pk)}}, user=user)
        answers.append((body["errors"][0]["extensions"]["code"], body["errors"][0]["message"], body["data"]["moveOrgUnit"]))
    _, body = gql(client, NEW_TENANT, {"input": {"orgUnit": gone, "slug": "nowhere"}}, user=p.users["province_admin"])
    answers.append((body["errors"][0]["extensions"]["code"], body["errors"][0]["message"], body["data"]["createTenant"]))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == "PERMISSION_DENIED" and answers[0][2] is None

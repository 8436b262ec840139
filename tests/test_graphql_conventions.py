"""The API conventions of graphql/README.md, as a frontend team relies on them."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

from jianlian.api.persisted import document_hash
from jianlian.api.schema import schema
from jianlian.hierarchy.services import create_unit
from tenants.provisioning import create_tenant
from tests.utils import error_code, gql

TENANTS_Q = """query($first: Int, $after: String) { tenants(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { slug status orgUnit { name tenantSlug parent { name parent { name } } } } } } }"""


def _add_hospitals(province, n):
    for i in range(n):
        unit = create_unit(None, parent=province.city_a, level="hospital", name=f"杭州市第{i + 2}人民医院",
                           unit_type="general_hospital")
        create_tenant(None, unit, f"hz{i + 2}")


def _count_queries(client, user, query, variables=None):
    """SQL statements one request runs (search-path switches are connection bookkeeping)."""
    from tests.utils import token_for

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}"}
    with CaptureQueriesContext(connection) as ctx:
        status, body = gql(client, query, variables, **auth)
    assert status == 200, body
    statements = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith("SET search_path")]
    return len(statements), body


def test_nested_list_runs_a_constant_number_of_queries(client, province):
    admin = province.users["province_admin"]
    few, body = _count_queries(client, admin, TENANTS_Q, {"first": 100})
    assert body["data"]["tenants"]["totalCount"] == 3
    _add_hospitals(province, 4)
    many, body = _count_queries(client, admin, TENANTS_Q, {"first": 100})
    assert body["data"]["tenants"]["totalCount"] == 7
    assert many == few, f"{few} queries for 3 tenants but {many} for 7"


def test_keyset_pages_walk_every_row_once(client, province):
    _add_hospitals(province, 4)
    admin = province.users["province_admin"]
    seen, after = [], None
    while True:
        _, body = gql(client, TENANTS_Q, {"first": 3, "after": after}, user=admin)
        page = body["data"]["tenants"]
        seen += [e["node"]["slug"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 7


def test_total_count_is_not_computed_unless_asked(client, province):
    admin = province.users["province_admin"]
    q = "query { tenants(first: 5) { edges { node { slug } } } }"
    with CaptureQueriesContext(connection) as ctx:
        gql(client, q, user=admin)
    assert not any("COUNT(" in c["sql"].upper() for c in ctx.captured_queries)


@pytest.mark.parametrize("first", [0, 101, -1])
def test_page_size_is_capped(client, province, first):
    _, body = gql(client, TENANTS_Q, {"first": first}, user=province.users["province_admin"])
    assert error_code(body) == "INVALID_PAGINATION"


def test_bad_cursor_is_a_clear_error(client, province):
    _, body = gql(client, TENANTS_Q, {"first": 2, "after": "not-a-cursor"}, user=province.users["province_admin"])
    assert error_code(body) == "INVALID_PAGINATION"


def test_cost_is_reported_in_extensions(client, province):
    _, body = gql(client, TENANTS_Q, {"first": 10}, user=province.users["province_admin"])
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] > 10 and cost["maximumAvailable"] >= cost["requestedQueryCost"]


def test_depth_limit(client, province, settings):
    settings.GRAPHQL_MAX_DEPTH = 4
    deep = "query { orgUnits(first: 1) { edges { node { parent { parent { parent { name } } } } } } }"
    status, body = gql(client, deep, user=province.users["province_admin"])
    # refused before it runs: no `data` (HTTP 200 for application/json, GraphQL over HTTP)
    assert status == 200 and error_code(body) == "QUERY_TOO_DEEP" and "data" not in body
    assert "嵌套过深" in body["errors"][0]["message"]


def test_cost_limit_counts_page_sizes(client, province, settings):
    settings.GRAPHQL_MAX_COST = 500
    q = """query { orgUnits(first: 100) { edges { node { children(first: 100) { edges { node { name } } } } } } }"""
    status, body = gql(client, q, user=province.users["province_admin"])
    assert status == 200 and error_code(body) == "QUERY_TOO_COSTLY" and "data" not in body
    small = q.replace("first: 100", "first: 5")
    status, body = gql(client, small, user=province.users["province_admin"])
    assert status == 200 and "errors" not in body


def test_alias_limit(client, province, settings):
    settings.GRAPHQL_MAX_ALIASES = 3
    q = "query { " + " ".join(f"a{i}: me {{ username }}" for i in range(4)) + " }"
    _, body = gql(client, q, user=province.users["doctor"])
    assert error_code(body) == "TOO_MANY_ALIASES"


def test_mutations_per_request_limit(client, db, settings):
    settings.GRAPHQL_MAX_MUTATIONS = 2
    one = 'signIn(input: {identifier: "x", password: "y"}) { errors { code } }'
    q = "mutation { " + " ".join(f"m{i}: {one}" for i in range(3)) + " }"
    _, body = gql(client, q)
    assert error_code(body) == "TOO_MANY_MUTATIONS"


def test_syntax_and_validation_errors_carry_codes(client, db):
    _, body = gql(client, "query { me { ")
    assert error_code(body) == "GRAPHQL_PARSE_FAILED"
    _, body = gql(client, "query { me { noSuchField } }")
    assert error_code(body) == "GRAPHQL_VALIDATION_FAILED"


def test_business_errors_use_the_error_code_enum(client, db):
    code_enum = schema.graphql_schema.get_type("ErrorCode")
    assert isinstance(code_enum, GraphQLEnumType)
    assert {"INVALID_CREDENTIALS", "TENANT_SUSPENDED", "LEVEL_VIOLATION"} <= set(code_enum.values)
    assert all(v.description for v in code_enum.values.values())


def test_authorisation_errors_do_not_reveal_existence(client, province):
    doctor = province.users["doctor"]
    q = 'mutation($id: ID!) { setTenantStatus(input: {id: $id, status: SUSPENDED}) { errors { code } } }'
    from graphql_relay import to_global_id

    _, real = gql(client, q, {"id": to_global_id("Tenant", province.tenant_b.pk)}, user=doctor)
    _, fake = gql(client, q, {"id": to_global_id("Tenant", 999999)}, user=doctor)
    assert error_code(real) == error_code(fake) == "PERMISSION_DENIED"
    assert real["errors"][0]["message"] == fake["errors"][0]["message"]


def test_unauthenticated_queries_get_a_top_level_code(client, db):
    _, body = gql(client, "query { tenants(first: 1) { totalCount } }")
    assert error_code(body) == "UNAUTHENTICATED"


def test_persisted_only_mode(client, province, settings, tmp_path):
    doc = "query Me { me { username } }"
    manifest = tmp_path / "persisted.json"
    manifest.write_text(json.dumps({f"sha256:{document_hash(doc)}": doc}))
    settings.GRAPHQL_PERSISTED_DOCUMENTS = str(manifest)
    settings.GRAPHQL_PERSISTED_ONLY = True
    doctor = province.users["doctor"]
    from tests.utils import token_for

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(doctor)}"}
    # a registered document, by id (graphql-codegen) and by APQ hash (Apollo)
    r = client.post("/graphql/", {"documentId": f"sha256:{document_hash(doc)}"}, content_type="application/json", **auth)
    assert r.json()["data"]["me"]["username"] == doctor.username
    r = client.post("/graphql/", {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": document_hash(doc)}}},
                    content_type="application/json", **auth)
    assert r.json()["data"]["me"]["username"] == doctor.username
    # the same text sent raw is accepted (its hash is registered); any other text is not
    _, body = gql(client, doc, user=doctor)
    assert body["data"]["me"]["username"] == doctor.username
    _, body = gql(client, "query { me { realName } }", user=doctor)
    assert error_code(body) == "PERSISTED_QUERY_REQUIRED"
    r = client.post("/graphql/", {"documentId": "sha256:" + "0" * 64}, content_type="application/json", **auth)
    assert error_code(r.json()) == "PERSISTED_QUERY_NOT_FOUND"


def test_every_type_and_field_has_a_description():
    missing = []
    for name, t in schema.graphql_schema.type_map.items():
        if name.startswith("__") or name in ("String", "Boolean", "Int", "Float", "ID"):
            continue
        if not t.description:
            missing.append(name)
        if isinstance(t, (GraphQLObjectType, GraphQLInputObjectType)):
            for field_name, field in t.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
    assert not missing, "undescribed: " + ", ".join(missing)

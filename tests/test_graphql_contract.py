"""The checked-in SDL is the contract the frontend's codegen reads: it must match the code."""

from pathlib import Path

from graphql import print_schema

from jianlian.api.schema import schema

SDL = Path(__file__).resolve().parents[1] / "graphql" / "schema.graphql"


def test_checked_in_schema_matches_the_code():
    current = print_schema(schema.graphql_schema).strip()
    assert SDL.read_text(encoding="utf-8").strip() == current, (
        "graphql/schema.graphql is out of date: run `make schema` and commit the result."
    )


def test_graphiql_only_when_debug(client, settings, db):
    settings.DEBUG = False
    off = client.get("/graphql/", HTTP_ACCEPT="text/html")
    settings.DEBUG = True
    on = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert "graphiql" not in off.content.decode().lower()
    assert on.status_code == 200 and "graphiql" in on.content.decode().lower()

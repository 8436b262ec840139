"""The checked-in SDL is the contract the frontend's codegen reads: it must match the code."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SDL = ROOT / "graphql" / "schema.graphql"

PRINT_SCHEMA = ("import django; django.setup(); from graphql import print_schema; "
                "from jianlian.api.schema import schema; print(print_schema(schema.graphql_schema))")


def test_checked_in_schema_matches_the_code():
    # The product's schema, built with the real settings: the suite's own settings add the
    # sample modules (tests/sample_modules), whose fields are not part of the contract.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jianlian.settings", "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"}
    result = subprocess.run([sys.executable, "-c", PRINT_SCHEMA], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert SDL.read_text(encoding="utf-8").strip() == result.stdout.strip(), (
        "graphql/schema.graphql is out of date: run `make schema` and commit the result."
    )


def test_graphiql_only_when_debug(client, settings, db):
    settings.DEBUG = False
    off = client.get("/graphql/", HTTP_ACCEPT="text/html")
    settings.DEBUG = True
    on = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert "graphiql" not in off.content.decode().lower()
    assert on.status_code == 200 and "graphiql" in on.content.decode().lower()

"""Every model change ships with its migration (a tenant that installs an app later runs exactly
the migrations in the repository, so a missing one would silently give it other tables)."""

import io

from django.core.management import call_command


def test_no_model_change_lacks_a_migration(db):
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as e:
        raise AssertionError(f"models changed without a migration: run makemigrations\n{out.getvalue()}") from e

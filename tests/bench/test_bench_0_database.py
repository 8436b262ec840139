"""Not a benchmark: the guard that makes the benchmarks run in a test database of their own.

pytest-django creates the test database only when some collected test asks for it; the
benchmarks use committed data through `bench_db` (no test transaction), so without this marked
test the session would stay on the development database. `bench_db` refuses to run without it.
"""

import pytest


@pytest.mark.django_db
def test_benchmarks_use_their_own_test_database():
    from django.db import connection

    name = connection.settings_dict["NAME"]
    assert name.startswith("test_") and "_bench_" in name, name
    print(f"\n[bench] database: {name}")

"""Gapless document numbers: 机关代字〔年份〕N号, per tenant (the schema), series and year.

`next_number` must run inside the transaction that signs the document (签发): it takes the
series' counter row for the year with `SELECT … FOR UPDATE`, so concurrent signings queue on that
row and each gets last + 1; a signing that rolls back releases the row without having used its
number, so no number is skipped or given twice. The row is created on first use with
`INSERT … ON CONFLICT DO NOTHING` (two first signings of a year must not both create it).
"""

from __future__ import annotations

from django.db import connection

from modules.documents.models import Counter, Series


def format_number(series: Series, year: int, sequence: int) -> str:
    return f"{series.code}〔{year}〕{sequence}号"


def next_number(series: Series, year: int) -> int:
    """The next sequence of `series` in `year`. Caller: the 签发 transaction (connection must be
    in an atomic block; the counter row stays locked until it commits)."""
    assert connection.in_atomic_block, "next_number must run inside the signing transaction"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Counter._meta.db_table} (series_id, year, last) VALUES (%s, %s, 0) "
            "ON CONFLICT (series_id, year) DO NOTHING",
            [series.pk, year],
        )
    counter = Counter.objects.select_for_update().get(series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last

"""Date and time input, the same everywhere: graphene's `DateTime` and `Date` scalars are taught
two rules before the schema is built (`install`, called by jianlian.api.schema):

- a date-time without a zone means the hospital's time (settings.TIME_ZONE), as a person typing
  "08:00" means it — resolvers always get aware datetimes, never a mix of naive and aware;
- a year outside 1900–2999 is a client mistake with a clear message, not arithmetic that
  overflows in a resolver (INTERNAL_ERROR).

The scalars keep their names and wire format; only what a resolver receives changes."""

from __future__ import annotations

import datetime

from django.utils import timezone
from graphql import GraphQLError

YEARS = (1900, 2999)


def _checked_year(value):
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise GraphQLError(f"日期的年份须在 {YEARS[0]}–{YEARS[1]} 之间：{value.isoformat()}")
    return value


def _datetime(parse):
    def parse_value(value):
        result = _checked_year(parse(value))
        if isinstance(result, datetime.datetime) and timezone.is_naive(result):
            result = timezone.make_aware(result)
        return result

    return staticmethod(parse_value)


def _date(parse):
    return staticmethod(lambda value: _checked_year(parse(value)))


def install() -> None:
    from graphene.types.datetime import Date, DateTime

    if getattr(DateTime, "_jianlian", False):
        return
    DateTime.parse_value = _datetime(DateTime.parse_value)
    Date.parse_value = _date(Date.parse_value)
    DateTime._jianlian = Date._jianlian = True

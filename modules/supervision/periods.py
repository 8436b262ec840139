"""Periods of supervision data: a month "2026-03", a quarter "2026Q1" or a year "2026", and the
month arithmetic every other part uses. A period is stored at its first month (see models.py)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.core.errors import DomainError

PERIOD_RE = re.compile(r"^(\d{4})(?:-(\d{2})|Q([1-4]))?$")
MAX_MONTHS = 36  # the longest span a trend or heat map reads


@dataclass(frozen=True)
class Period:
    label: str  # "2026-03", "2026Q1", "2026"
    start: dt.date
    end: dt.date  # exclusive

    @property
    def months(self) -> list[dt.date]:
        out, d = [], self.start
        while d < self.end:
            out.append(d)
            d = next_month(d)
        return out

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def next_month(d: dt.date) -> dt.date:
    return (d.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def month_label(d: dt.date) -> str:
    return d.strftime("%Y-%m")


def month_end(month: dt.date) -> dt.datetime:
    """The last moment of `month` in the active time zone (where a unit sat "that month")."""
    return timezone.make_aware(dt.datetime.combine(next_month(month), dt.time.min)) - dt.timedelta(microseconds=1)


def parse_period(text, field_name: str = "period") -> Period:
    """A month "YYYY-MM", a quarter "YYYYQn" or a year "YYYY"; a date means its month."""
    if isinstance(text, dt.date):
        text = text.strftime("%Y-%m")
    m = PERIOD_RE.match(str(text or "").strip())
    if not m or not 2000 <= int(m.group(1)) <= 2100 or (m.group(2) and not 1 <= int(m.group(2)) <= 12):
        raise DomainError("INVALID_PERIOD", _("期间格式不正确，应为 2026-03（月）、2026Q1（季）或 2026（年）。"), field_name)
    year = int(m.group(1))
    if m.group(2):
        start = dt.date(year, int(m.group(2)), 1)
        return Period(start.strftime("%Y-%m"), start, next_month(start))
    if m.group(3):
        q = int(m.group(3))
        start = dt.date(year, 3 * q - 2, 1)
        end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
        return Period(f"{year}Q{q}", start, end)
    return Period(str(year), dt.date(year, 1, 1), dt.date(year + 1, 1, 1))


def parse_month(text, field_name: str = "period") -> dt.date:
    p = parse_period(text, field_name)
    if len(p.months) != 1:
        raise DomainError("INVALID_PERIOD", _("数据按月填报，期间应为 2026-03 这样的月份。"), field_name)
    return p.start


def last_month(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def months_back(until: dt.date, count: int) -> list[dt.date]:
    """`count` months ending with `until`'s month, oldest first."""
    out, d = [], until.replace(day=1)
    for _i in range(count):
        out.append(d)
        d = (d - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(out))


def month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """The months from `first` to `last`, at most MAX_MONTHS."""
    out, d = [], first.replace(day=1)
    while d <= last and len(out) < MAX_MONTHS:
        out.append(d)
        d = next_month(d)
    return out

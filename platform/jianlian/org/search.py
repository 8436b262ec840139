"""Contact search: the profiles that match what a person typed, one index per way of matching.

A query matches a profile by the start of its full pinyin (`zhangs`), of its initials (`zs`), of
its staff number, by the last 4–11 digits of its mobile (through the blind indexes of its
suffixes: the number is encrypted) or by part of its name in characters. Contacts are listed by
pinyin, so each way of matching is a branch that a page can read in that order and stop early
(`jianlian.core.branches.BranchUnion`):

- pinyin: a range scan of the (name_pinyin, id) index (`name_pinyin` has the "C" collation, so a
  plain btree serves both `LIKE 'zh%'` and the order);
- initials: two or three letters are an equality on `left(name_initials, 2)` or `…, 3)`, whose
  indexes continue with (name_pinyin, id), so the page is again a range scan in order (a fourth
  letter filters it); one letter adds nothing to the pinyin branch (a name's pinyin and initials
  start with the same letter);
- staff number (as typed and upper-case): few rows.

Each branch excludes the earlier ones, so no one is listed twice. Digits match a staff number or
a mobile suffix (a few rows; the suffix look-up runs first, as the planner cannot estimate an
array containment and would otherwise walk the pinyin index), and other text a part of the name.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.db.models.functions import Left

from jianlian.core.branches import BranchUnion
from jianlian.identity.models import mobile_suffix_index

MAX_QUERY = 50
INITIALS_ORDERED = 3  # left(name_initials, 2) and left(name_initials, 3) have (name_pinyin, id) indexes


def normalise(query: str) -> str:
    return "".join((query or "").split())[:MAX_QUERY]


def matching(profiles: QuerySet, query: str) -> QuerySet:
    """The profiles of `profiles` that match `query` (not blank; spaces are ignored)."""
    q = normalise(query)
    if q.isdigit():
        by_no = Q(staff_no__startswith=q)
        if 4 <= len(q) <= 11:  # the last digits of a mobile, through their blind index
            ids = list(profiles.filter(mobile_suffixes__contains=[mobile_suffix_index(q)]).values_list("pk", flat=True))
            return profiles.filter(by_no | Q(pk__in=ids))
        return profiles.filter(by_no)
    if not q.isascii():
        return profiles.filter(name__contains=q)  # a surname or any part of a given name
    low = q.lower()
    by_pinyin = Q(name_pinyin__startswith=low)
    by_initials = Q(name_initials__startswith=low)
    by_no = Q(staff_no__startswith=q) | Q(staff_no__startswith=q.upper()) if q.upper() != q else Q(staff_no__startswith=q)
    branches = [profiles.filter(by_pinyin)]
    if len(low) >= 2:  # the start of the initials as an equality, then the pinyin order
        n = min(len(low), INITIALS_ORDERED)
        by_start = profiles.alias(initials_start=Left("name_initials", n)).filter(initials_start=low[:n])
        branches.append((by_start.filter(by_initials) if len(low) > n else by_start).exclude(by_pinyin))
    branches.append(profiles.filter(by_no).exclude(by_pinyin | by_initials))
    return BranchUnion.of(branches)

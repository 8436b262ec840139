"""A search made of disjoint branches, each served by its own index, that pages like one queryset.

A condition such as `a LIKE 'zh%' OR b LIKE 'zh%'` ordered by `a` makes PostgreSQL collect every
match of every side (a bitmap OR) and sort them all for the first page: at 300,000 rows, 20,000
matches fetched and sorted to show 21. Written as a UNION ALL of disjoint branches, with the
page's ORDER BY and LIMIT repeated inside each branch, each branch stops after one page of its own
index (a range scan in sort order) and only those few rows are merged: the first `n` rows of a
union are among the first `n` rows of its branches. PostgreSQL 16 does not push a LIMIT into the
branches of a top-level UNION by itself, so `BranchUnion` does it.

`BranchUnion` supports what paging and callers need: `filter`/`exclude` apply to every branch,
`order_by` plus a slice (`qs.order_by(...)[a:b]`) are pushed into every branch, and `count`,
`values_list` and iteration work as on any union. The branches must be disjoint (a row in at most
one branch), which the caller ensures by excluding earlier branches' conditions.
"""

from __future__ import annotations

from django.db.models import QuerySet


class BranchUnion(QuerySet):
    @classmethod
    def of(cls, branches: list[QuerySet]) -> QuerySet:
        """UNION ALL of `branches` (disjoint querysets of one model); one branch is returned as is."""
        first, *rest = branches
        if not rest:
            return first
        union = first.union(*rest, all=True)
        return cls(model=first.model, query=union.query, using=union._db)

    def _in_each_branch(self, change) -> BranchUnion:
        clone = self._chain()
        clone.query.combined_queries = tuple(
            change(QuerySet(model=self.model, query=part.chain(), using=self._db)).query
            for part in self.query.combined_queries
        )
        return clone

    def filter(self, *args, **kwargs):
        if not self.query.combinator:
            return super().filter(*args, **kwargs)
        return self._in_each_branch(lambda branch: branch.filter(*args, **kwargs))

    def exclude(self, *args, **kwargs):
        if not self.query.combinator:
            return super().exclude(*args, **kwargs)
        return self._in_each_branch(lambda branch: branch.exclude(*args, **kwargs))

    def __getitem__(self, k):
        if (isinstance(k, slice) and k.stop is not None and (k.start or 0) >= 0 and k.stop >= 0
                and self._result_cache is None and self.query.combinator and self.query.order_by
                and not self.query.is_sliced):
            order, stop = self.query.order_by, int(k.stop)
            return super(BranchUnion, self._in_each_branch(lambda branch: branch.order_by(*order)[:stop])).__getitem__(k)
        return super().__getitem__(k)

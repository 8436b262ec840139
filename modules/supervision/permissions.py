"""What supervision's GraphQL fields declare (see docs/modules.md). The actions check the exact
unit; these say which codes a caller needs before they run."""

from jianlian.api.permissions import Checked, Perm

VIEW = Perm("supervision.view_aggregates", "supervision.report",
            at=Checked("`unit` 所指单位：监管员看辖区汇总，填报单位看本单位"))
WATCH = Perm("supervision.view_aggregates", at=Checked("`node` 所指单位"))

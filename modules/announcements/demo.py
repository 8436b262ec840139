"""Demo data: a column administrator in each demo hospital, a few posts per column, one 必读."""

from __future__ import annotations


def seed(say) -> int:
    return 0

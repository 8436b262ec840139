"""Demo drive for 桐庐: three folders (one restricted to 医务科) with a few small files."""

from __future__ import annotations


def seed(say) -> int:
    return 0

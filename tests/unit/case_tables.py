"""Checks shared by the sentence-check test tables (rows of (family, …) cases to reject and to accept)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def assert_enough_cases_both_ways(reject: Sequence[tuple], accept: Sequence[tuple], *, rejects: int = 4,
                                  accepts: int = 3) -> None:
    """Every family has cases both ways: at least `rejects` the check must reject and `accepts` it must keep."""
    rejected = Counter(r[0] for r in reject)
    accepted = Counter(a[0] for a in accept)
    assert set(rejected) == set(accepted)
    assert all(n >= rejects for n in rejected.values()), rejected
    assert all(n >= accepts for n in accepted.values()), accepted

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


def sentence_verdicts(small_facts: Sequence, vocabulary):
    """`verdict(fact_set, text, facts, kind="statement", before=None)` for a test table: the sentence checked against
    only the facts it cites (1-based, numbered as the writer's prompt numbers them) of a captured fact set of
    tests/data/writer_adversarial/facts/, or of `small_facts` (made up in the test file) when fact_set is "small";
    `before` is the sentence before it, which a pronoun may stand for."""
    from functools import cache

    from bench.writer_eval import load_fact_set, numbered_facts
    from service.writers.sentence_check import check_sentence, fact_profiles, profile

    @cache
    def profiles(fact_set: str) -> tuple:
        facts = small_facts if fact_set == "small" else numbered_facts(load_fact_set(fact_set))
        return tuple(fact_profiles(facts, vocabulary))

    def verdict(fact_set: str, text: str, facts: list[int], kind: str = "statement", before: str | None = None):
        every = profiles(fact_set)
        return check_sentence(text, kind, [every[n - 1] for n in facts], vocabulary, answer_facts=list(every),
                              antecedent=profile(before, vocabulary) if before else None)

    return verdict

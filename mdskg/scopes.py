"""Whom a trial criterion is about, and how it combines with its neighbours: the words the ETL writes on a
Criterion (scope, group) and the trial matcher reads back. Shared by etl/ and service/.

Scopes: None (the trial's own patients), "donor", "cohort:AML" (another disease's cohort) and "arm:<name>"
(one part of the trial: "arm:phase 2", "arm:cohorts c1 and c2"; a patient needs to fit one part, not all).
Groups: "any:<n>" (alternatives: one of them is enough) and "if:<n>" (lines that hold only in a case the
record names but the extractor could not read: they never rule a patient out on their own).
"""

from __future__ import annotations

ARM_PREFIX = "arm:"
ANY_OF_GROUP = "any:"
CONDITIONAL_GROUP = "if:"


def is_arm(scope: str | None) -> bool:
    return bool(scope) and str(scope).startswith(ARM_PREFIX)


def is_conditional(group: str | None) -> bool:
    return bool(group) and str(group).startswith(CONDITIONAL_GROUP)

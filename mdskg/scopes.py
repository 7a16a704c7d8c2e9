"""Whom a trial criterion is about, and how it combines with its neighbours: the words the ETL writes on a
Criterion (scope, group) and the trial matcher reads back. Shared by etl/ and service/.

Scopes: None (the trial's own patients), "donor", "cohort:AML" (another disease's cohort) and "arm:<name>"
(one part of the trial: "arm:phase 2", "arm:cohorts c1 and c2"; a patient needs to fit one part, not all).
Groups: "any:<n>" (alternatives: one of them is enough) and "if:<n>" (lines that hold only in a case the
record names but the extractor could not read: they never rule a patient out on their own).

A group is a path: its steps are joined by "/" (a "/" followed by "any:", "all:" or "if:"; any other "/" belongs to
a step's name), each step a kind and a name ("any:<n>", "all:<n>"), so an any-of
may hold an all-of ("one of the following: A; or B together with C" is any:120 {A, any:120/all:150 {B, C}}) and
that all-of another any-of ("... as shown by any of: c1, c2": any:120/all:150/any:170). A criterion's group is
the deepest step it belongs to; every step above it is implied. An all-of is met when all its members are met,
not met when one is not met; an any-of is met when one member is met, not met when all are not met; otherwise
unknown. Only a top-level step may be conditional ("if:<n>"). One criterion may stand in several places of one
trial (on its own and as an alternative, or in two groups): the study's HAS_CRITERION edge keeps them all
(`group`: null when it also stands on its own, else its first group; `groups`: every group path), and the
matcher judges it in each place (service/patient/trials.py).
"""

from __future__ import annotations

import re

ARM_PREFIX = "arm:"
ANY_OF_GROUP = "any:"
ALL_OF_GROUP = "all:"
CONDITIONAL_GROUP = "if:"
GROUP_STEP = "/"  # joins the steps of a group path: "any:120/all:150"
# A step starts only where "/" is followed by a kind: a group's own name may hold a "/" (a concept id,
# "any:78:failed-or-ineligible:MDSKG:drug/azacitidine" is one step).
_STEP_START = re.compile(re.escape(GROUP_STEP) + r"(?=(?:any|all|if):)")


def is_arm(scope: str | None) -> bool:
    return bool(scope) and str(scope).startswith(ARM_PREFIX)


def is_conditional(group: str | None) -> bool:
    return bool(group) and str(group).startswith(CONDITIONAL_GROUP)


def group_steps(group: str | None) -> list[str]:
    """The nested groups a criterion belongs to, outermost first, each as its path from the top:
    "any:120/all:150" -> ["any:120", "any:120/all:150"]; None -> []."""
    if not group:
        return []
    parts = _STEP_START.split(str(group))
    return [GROUP_STEP.join(parts[: i + 1]) for i in range(len(parts))]


def last_step(group: str) -> str:
    """The innermost step of a group path: "any:120/all:150" -> "all:150"."""
    return _STEP_START.split(group)[-1]


def nested_group(parent: str, kind: str, name: object) -> str:
    """The path of a group inside another: nested_group("any:120", ALL_OF_GROUP, 150) == "any:120/all:150"."""
    return f"{parent}{GROUP_STEP}{kind}{name}"

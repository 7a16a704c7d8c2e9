"""Trial matching: each loaded trial's own eligibility criteria checked against a patient, with the same
evaluator as the therapy verdicts (eligibility.evaluate_criterion). Pure; nothing is logged or stored.

A trial with an exclusion met or an inclusion not met is not eligible, naming the criterion; with any
criterion unknown it is UNKNOWN, naming the missing values; otherwise it is a possible match (POSSIBLE).
A trial with no criteria the extractor could read is UNKNOWN: its record must be read by a person.

Inclusion criteria of one any-of group ("creatinine ≤ 1.5 × ULN or clearance ≥ 50 mL/min") count as one:
met when one of them is met, not met only when all are not met, unknown otherwise. Groups nest (a path,
"any:120/all:150": see mdskg/scopes.py): an all-of member of an any-of is met when all its members are met, not met
when one is not met, unknown otherwise. A criterion the record states in several places (on its own and as an
alternative, or in two groups; the graph's edge lists them in `groups`) is judged in each place. Criteria written for
someone else than the patient (a stem-cell donor, another disease's cohort) are not checked against the
patient; the reasons say how many were left aside. Criteria written for one part of the trial (a cohort, a
phase) are checked per part: a patient who fits one part's criteria fits the trial, and is ruled out only
when every part rules them out. A line the record makes depend on a case the extractor could not read
("if untreated AML, …") never rules a patient out: it is UNKNOWN, for the study team to judge.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mdskg.scopes import ALL_OF_GROUP, group_steps, is_arm, is_conditional, last_step

from .eligibility import CriterionStatus, evaluate_criterion

INCLUSION, EXCLUSION = "required", "excludes"
CONDITIONAL = "CONDITIONAL"  # the `missing` of such a line when it would otherwise decide against the patient


@dataclass(frozen=True)
class TrialCriterionCheck:
    id: str
    text: str
    variable: str
    operator: str
    value: Any
    unit: str | None
    role: str  # required (inclusion) | excludes (exclusion)
    status: str
    missing: str | None
    group: str | None = None  # any-of group within the trial (its path); None: the criterion stands on its own
    arm: str | None = None  # the part of the trial (cohort, phase) the criterion is written for; None: all
    # every place the criterion stands in (None: on its own; a group path); () reads as (group,)
    places: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class TrialMatch:
    id: str
    nct_id: str
    name: str
    title: str | None
    phase: str | None
    status: str | None
    url: str | None
    source_id: str | None
    verdict: str  # POSSIBLE | UNKNOWN | NOT_ELIGIBLE
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    checks: tuple[TrialCriterionCheck, ...]
    therapies: tuple[str, ...] = ()
    # Lines of the record no criterion was read from: (role, text), role required or excludes.
    unchecked: tuple[tuple[str, str], ...] = ()


def _value(raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def _places(c: Mapping[str, Any]) -> tuple[str | None, ...]:
    """Where a criterion row stands in its trial: None (on its own) and/or group paths. A row from the graph lists
    them in `groups` (its `group` is null when it also stands on its own); any other row has its one `group`."""
    groups = c.get("groups")
    if isinstance(groups, (list, tuple)) and groups:
        named = tuple(dict.fromkeys(str(g) for g in groups if g))
        return ((None,) if c.get("group") is None else ()) + named
    return (c.get("group") or None,)


def _check(c: Mapping[str, Any], values: Mapping[str, Any]) -> TrialCriterionCheck:
    value = _value(c.get("value_json"))
    st: CriterionStatus = evaluate_criterion({"variable": c["variable"], "operator": c["operator"],
                                              "value": value, "unit": c.get("unit"), "role": c["role"]}, values)
    status, missing = st.status, ((st.missing or c["variable"]) if st.status == "UNKNOWN" else None)
    places = _places(c)
    if None in places:
        # Standing on its own, it decides by itself: a conditional place of the same line adds nothing to that.
        places = tuple(p for p in places if not is_conditional(p))
    group = next((p for p in places if p is not None), None) if None not in places else None
    if places and all(is_conditional(p) for p in places) and (
            (c["role"] == INCLUSION and status == "NOT_MET") or (c["role"] == EXCLUSION and status == "MET")):
        # The record makes this line depend on a case it names but that could not be read ("if untreated
        # AML, …"): against the patient it decides nothing; the study team knows whether the case applies.
        status, missing = "UNKNOWN", CONDITIONAL
    arm = c.get("scope") if is_arm(c.get("scope")) else None
    return TrialCriterionCheck(id=c.get("id") or "", text=c.get("text") or c["variable"], variable=c["variable"],
                               operator=c["operator"], value=value, unit=c.get("unit"), role=c["role"],
                               status=status, missing=missing,
                               group=group if c["role"] == INCLUSION and not is_conditional(group) else None,
                               arm=arm.split(":", 1)[1] if arm else None,
                               places=places if c["role"] == INCLUSION else (None,))


def _judge(checks: Sequence[TrialCriterionCheck]) -> tuple[list[str], list[TrialCriterionCheck]]:
    """(what rules the patient out, what is unknown) for checks that must all hold."""
    out = [f"excluded by: {c.text}" for c in checks if c.role == EXCLUSION and c.status == "MET"]
    unknown: list[TrialCriterionCheck] = []
    for unit in _inclusion_units(checks):
        status = unit.status()
        if status == "NOT_MET":
            out.append("not met: " + unit.describe())
        elif status == "UNKNOWN":
            unknown += [c for c in unit.unknown_leaves() if c not in unknown]
    unknown += [c for c in checks if c.role == EXCLUSION and c.status == "UNKNOWN"]
    return out, unknown


def _unknown_reason(c: TrialCriterionCheck) -> str:
    if c.missing == CONFLICT:
        return f"the record's conditions on this conflict, check with the study team: {c.text}"
    if c.missing == CONDITIONAL:
        return f"applies only in a case the record names, check with the study team: {c.text}"
    return f"not known yet: {c.text}"


def match_trial(row: Mapping[str, Any], values: Mapping[str, Any]) -> TrialMatch:
    checks: list[TrialCriterionCheck] = []
    set_aside = 0
    for c in row.get("criteria") or []:
        if not c or c.get("role") not in {INCLUSION, EXCLUSION}:
            continue
        if c.get("scope") and not is_arm(c.get("scope")):
            set_aside += 1  # about a donor or another disease's cohort, not this patient
            continue
        checks.append(_check(c, values))
    common = _conflicts_unknown([c for c in checks if c.arm is None])
    arms: dict[str, list[TrialCriterionCheck]] = {}
    for c in checks:
        if c.arm is not None:
            arms.setdefault(c.arm, []).append(c)
    arms = {name: _conflicts_unknown(members) for name, members in arms.items()}
    checks = common + [c for members in arms.values() for c in members]

    ruled_out, unknown = _judge(common)
    # A patient needs to fit one part of the trial (a cohort, a phase), not all of them.
    arm_verdicts = {name: _judge(members) for name, members in arms.items()}
    fitting = [name for name, (out, unk) in arm_verdicts.items() if not out and not unk]
    open_arms = [name for name, (out, _) in arm_verdicts.items() if not out]
    if arms and not open_arms:
        ruled_out += [f"{reason} (for {name})" for name, (out, _) in arm_verdicts.items() for reason in out]
    elif arms and not fitting:
        unknown += [c for name in open_arms for c in arm_verdicts[name][1]]
    missing = tuple(dict.fromkeys(c.missing for c in unknown if c.missing and c.missing not in (CONFLICT, CONDITIONAL)))
    if ruled_out:
        verdict, reasons = "NOT_ELIGIBLE", tuple(ruled_out)
    elif unknown or not checks:
        verdict = "UNKNOWN"
        reasons = tuple(_unknown_reason(c) for c in unknown) or (
            "no eligibility criteria could be read from this record; check it with the study team",)
    else:
        verdict = "POSSIBLE"
        reasons = ("every criterion read from the record is met; the study team decides eligibility",)
        if arms:
            reasons += ("fits the criteria written for: " + "; ".join(fitting),)
    if set_aside:
        reasons += (f"{set_aside} criteria about donors or another disease's cohort were not checked against you",)
    unchecked = tuple((INCLUSION, str(t)) for t in row.get("unchecked_inclusion") or ()) + tuple(
        (EXCLUSION, str(t)) for t in row.get("unchecked_exclusion") or ())
    if unchecked and verdict != "NOT_ELIGIBLE":
        excluding = sum(1 for role, _ in unchecked if role == EXCLUSION)
        reasons += (f"{len(unchecked)} lines of the record could not be checked by machine"
                    + (f", {excluding} of them exclusions" if excluding else "")
                    + "; the study team checks them (listed with the trial)",)
    return TrialMatch(id=row["id"], nct_id=row["nct_id"], name=row.get("name") or row["nct_id"],
                      title=row.get("title"), phase=row.get("phase"), status=row.get("status"), url=row.get("url"),
                      source_id=row.get("source_id"), verdict=verdict, reasons=reasons, missing=missing,
                      checks=tuple(checks), therapies=tuple(row.get("therapies") or ()), unchecked=unchecked)


_FLIP = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}
CONFLICT = "CONFLICT"  # the `missing` of a check whose record states conditions that cannot all hold


def _interval(operator: str, value: Any) -> tuple[float, bool, float, bool] | None:
    """(low, low_open, high, high_open) of the values a numeric condition allows; None if not numeric."""
    inf = float("inf")
    try:
        if operator == "between" and isinstance(value, (list, tuple)) and len(value) == 2:
            return float(value[0]), False, float(value[1]), False
        v = float(value)
    except (TypeError, ValueError):
        return None
    return {"<": (-inf, True, v, True), "<=": (-inf, True, v, False), ">": (v, True, inf, True),
            ">=": (v, False, inf, True), "==": (v, False, v, False)}.get(operator)


def _satisfiable(intervals: Sequence[tuple[float, bool, float, bool]]) -> bool:
    low = max(i[0] for i in intervals)
    low_open = any(i[1] for i in intervals if i[0] == low)
    high = min(i[2] for i in intervals)
    high_open = any(i[3] for i in intervals if i[2] == high)
    return low < high or (low == high and not low_open and not high_open)


def _conflicts_unknown(checks: list[TrialCriterionCheck]) -> list[TrialCriterionCheck]:
    """Ungrouped numeric conditions on one variable that cannot all hold ("age > 16" and "age <= 16" in a
    record whose lines each belong to a group it names elsewhere) decide nothing: each becomes UNKNOWN, so a
    patient is neither offered nor refused the trial on a reading of the record that cannot be right."""
    by_variable: dict[str, list[tuple[int, tuple[float, bool, float, bool]]]] = {}
    for index, check in enumerate(checks):
        if check.group is not None:
            continue
        operator = check.operator if check.role == INCLUSION else _FLIP.get(check.operator)
        bounds = _interval(operator, check.value) if operator else None
        if bounds is not None:
            by_variable.setdefault(check.variable, []).append((index, bounds))
    conflicting = {index for items in by_variable.values() if len(items) > 1
                   and not _satisfiable([b for _, b in items]) for index, _ in items}
    if not conflicting:
        return checks
    return [replace(c, status="UNKNOWN", missing=CONFLICT) if i in conflicting else c for i, c in enumerate(checks)]


@dataclass(eq=False)
class Unit:
    """A unit of judgement: one check standing in one place (`check`), or a group of units (`kind` "any" or
    "all"; a conditional line stands as a single check)."""
    kind: str  # "leaf" | "any" | "all"
    check: TrialCriterionCheck | None = None
    status_of_leaf: str | None = None
    members: list[Unit] = field(default_factory=list)

    def status(self) -> str:
        if self.kind == "leaf":
            return self.status_of_leaf or "UNKNOWN"
        statuses = [m.status() for m in self.members]
        if not statuses:
            return "UNKNOWN"
        decided, other = ("MET", "NOT_MET") if self.kind == "any" else ("NOT_MET", "MET")
        if decided in statuses:
            return decided
        return other if all(st == other for st in statuses) else "UNKNOWN"

    def describe(self, nested: bool = False) -> str:
        if self.kind == "leaf":
            return self.check.text if self.check is not None else ""
        words = " or " if self.kind == "any" else " and "
        text = words.join(m.describe(nested=True) for m in self.members)
        return f"({text})" if nested and len(self.members) > 1 else text

    def unknown_leaves(self) -> list[TrialCriterionCheck]:
        if self.status() != "UNKNOWN":
            return []
        if self.kind == "leaf":
            return [self.check] if self.check is not None else []
        return [c for m in self.members for c in m.unknown_leaves()]


def _place_status(check: TrialCriterionCheck, place: str | None) -> str:
    """The check's status in one of its places: a conditional place never rules the patient out by itself (the
    check's own status says so already when all its places are conditional)."""
    if is_conditional(place) and check.status == "NOT_MET":
        return "UNKNOWN"
    return check.status


def _inclusion_units(checks: Sequence[TrialCriterionCheck]) -> list[Unit]:
    """Inclusion checks as units of judgement: one per criterion standing on its own (or in a conditional
    place), one per top-level group, with its nested groups inside (a path "any:120/all:150", mdskg/scopes.py)."""
    top: dict[str, Unit] = {}
    nodes: dict[str, Unit] = {}
    for index, check in enumerate(checks):
        if check.role != INCLUSION:
            continue
        for place in check.places or (check.group,):
            leaf = Unit("leaf", check=check, status_of_leaf=_place_status(check, place))
            if place is None or is_conditional(place):
                top[f"#{index}:{place}"] = leaf
                continue
            parent: Unit | None = None
            for step in group_steps(place):
                node = nodes.get(step)
                if node is None:
                    kind = "all" if last_step(step).startswith(ALL_OF_GROUP) else "any"
                    node = nodes[step] = Unit(kind)
                    if parent is None:
                        top[step] = node
                    else:
                        parent.members.append(node)
                parent = node
            if parent is not None:
                parent.members.append(leaf)
    return list(top.values())


ORDER = {"POSSIBLE": 0, "UNKNOWN": 1, "NOT_ELIGIBLE": 2}


def match_trials(rows: Sequence[Mapping[str, Any]], values: Mapping[str, Any]) -> list[TrialMatch]:
    """Possible matches first, then those that cannot be judged yet, then the ones ruled out."""
    matches = [match_trial(r, values) for r in rows]
    return sorted(matches, key=lambda m: (ORDER[m.verdict], len(m.missing), m.nct_id))

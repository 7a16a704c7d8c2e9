"""Trial matching: each loaded trial's own eligibility criteria checked against a patient, with the same
evaluator as the therapy verdicts (eligibility.evaluate_criterion). Pure; nothing is logged or stored.

A trial with an exclusion met or an inclusion not met is not eligible, naming the criterion; with any
criterion unknown it is UNKNOWN, naming the missing values; otherwise it is a possible match (POSSIBLE).
A trial with no criteria the extractor could read is UNKNOWN: its record must be read by a person.

Inclusion criteria of one any-of group ("creatinine ≤ 1.5 × ULN or clearance ≥ 50 mL/min") count as one:
met when one of them is met, not met only when all are not met, unknown otherwise. Criteria written for
someone else than the patient (a stem-cell donor, another disease's cohort) are not checked against the
patient; the reasons say how many were left aside. Criteria written for one part of the trial (a cohort, a
phase) are checked per part: a patient who fits one part's criteria fits the trial, and is ruled out only
when every part rules them out. A line the record makes depend on a case the extractor could not read
("if untreated AML, …") never rules a patient out: it is UNKNOWN, for the study team to judge.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from mdskg.scopes import is_arm, is_conditional

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
    group: str | None = None  # any-of group within the trial
    arm: str | None = None  # the part of the trial (cohort, phase) the criterion is written for; None: all


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


def _check(c: Mapping[str, Any], values: Mapping[str, Any]) -> TrialCriterionCheck:
    value = _value(c.get("value_json"))
    st: CriterionStatus = evaluate_criterion({"variable": c["variable"], "operator": c["operator"],
                                              "value": value, "unit": c.get("unit"), "role": c["role"]}, values)
    status, missing = st.status, ((st.missing or c["variable"]) if st.status == "UNKNOWN" else None)
    group = c.get("group")
    if is_conditional(group) and (
            (c["role"] == INCLUSION and status == "NOT_MET") or (c["role"] == EXCLUSION and status == "MET")):
        # The record makes this line depend on a case it names but that could not be read ("if untreated
        # AML, …"): against the patient it decides nothing; the study team knows whether the case applies.
        status, missing = "UNKNOWN", CONDITIONAL
    arm = c.get("scope") if is_arm(c.get("scope")) else None
    return TrialCriterionCheck(id=c.get("id") or "", text=c.get("text") or c["variable"], variable=c["variable"],
                               operator=c["operator"], value=value, unit=c.get("unit"), role=c["role"],
                               status=status, missing=missing,
                               group=group if c["role"] == INCLUSION and not is_conditional(group) else None,
                               arm=arm.split(":", 1)[1] if arm else None)


def _judge(checks: Sequence[TrialCriterionCheck]) -> tuple[list[str], list[TrialCriterionCheck]]:
    """(what rules the patient out, what is unknown) for checks that must all hold."""
    out = [f"excluded by: {c.text}" for c in checks if c.role == EXCLUSION and c.status == "MET"]
    unknown: list[TrialCriterionCheck] = []
    for members in _inclusion_units(checks):
        statuses = {m.status for m in members}
        if "MET" in statuses:
            continue
        if statuses == {"NOT_MET"}:
            out.append("not met: " + " or ".join(m.text for m in members))
        else:
            unknown += [m for m in members if m.status == "UNKNOWN"]
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


def _inclusion_units(checks: Sequence[TrialCriterionCheck]) -> list[list[TrialCriterionCheck]]:
    """Inclusion checks as units of judgement: one per ungrouped criterion, one per any-of group."""
    units: dict[str, list[TrialCriterionCheck]] = {}
    for index, check in enumerate(checks):
        if check.role == INCLUSION:
            units.setdefault(check.group or f"#{index}", []).append(check)
    return list(units.values())


ORDER = {"POSSIBLE": 0, "UNKNOWN": 1, "NOT_ELIGIBLE": 2}


def match_trials(rows: Sequence[Mapping[str, Any]], values: Mapping[str, Any]) -> list[TrialMatch]:
    """Possible matches first, then those that cannot be judged yet, then the ones ruled out."""
    matches = [match_trial(r, values) for r in rows]
    return sorted(matches, key=lambda m: (ORDER[m.verdict], len(m.missing), m.nct_id))

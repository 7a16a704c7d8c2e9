"""Patient-specific guidance: every recommendation's criteria checked against one patient.

Criteria come from two places, both in the graph: the criteria a source states for a
recommendation (HAS_CRITERION), and what the recommendation's population implies (a
lower-risk group requires lower risk; "hypocellular MDS" requires a hypocellular marrow).
Each is MET, NOT_MET or UNKNOWN (naming the missing value); the verdict rules are in
service.patient.eligibility. Patient values are never logged or stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.db import Graph
from service.criteria_text import describe, parse_value
from service.patient.assess import Assessment
from service.patient.eligibility import CriterionStatus, evaluate_criterion, therapy_verdict

VERDICT_ORDER = {"FAVOURED": 0, "POSSIBLE": 1, "UNKNOWN": 2, "POSSIBLE_LESS_LIKELY": 3, "NOT_ELIGIBLE": 4,
                 "NOT_RECOMMENDED": 5}
NEGATIVE = {"not_recommended", "not_established"}


@dataclass(frozen=True)
class CriterionCheck:
    criterion_id: str
    text: str
    variable: str
    operator: str
    threshold: Any
    unit: str | None
    role: str
    status: str
    patient_value: Any
    missing: str | None
    citations: tuple[str, ...]
    origin: str  # "source" (stated by a source) | "population" (implied by who the recommendation is for)
    sentence: str | None = None


@dataclass(frozen=True)
class TherapyOutcome:
    recommendation_id: str
    therapy_id: str
    therapy_name: str
    therapy_label: str
    strength: str
    populations: tuple[dict, ...]
    verdict: str
    missing: tuple[str, ...]
    reasons: tuple[str, ...]
    checks: tuple[CriterionCheck, ...]
    citations: tuple[str, ...]
    line: str | None = None
    after_therapy_id: str | None = None
    next_if_fails: tuple[dict, ...] = field(default_factory=tuple)
    rank: int = 0


def population_criteria(graph: Graph, population_ids: list[str], timeout_s: float | None) -> dict[str, list[dict]]:
    rows = graph.read("population_conditions", timeout_s=timeout_s, population_ids=population_ids)
    out: dict[str, list[dict]] = {}
    for row in rows:
        crits: list[dict] = []
        groups = {g for g in ([row["own_group"]] if row["own_group"] else []) + list(row["parent_groups"]) if g}
        if len(groups) == 1:
            crits.append({"id": f"{row['id']}#risk_group", "variable": "risk_group", "operator": "==",
                          "value": groups.pop(), "unit": None, "role": "required", "citations": []})
        for marker in row["markers"]:
            if not marker.get("variable"):
                continue
            value = marker.get("value")
            operator = marker.get("operator")
            if value is None:
                value, operator = _marker_default(marker)
                if value is None:
                    continue
            crits.append({"id": f"{row['id']}#{marker['id']}", "variable": marker["variable"],
                          "operator": operator or "==", "value": value, "unit": None, "role": "required",
                          "citations": marker.get("citations") or []})
        out[row["id"]] = crits
    return out


def _marker_default(marker: dict) -> tuple[Any, str | None]:
    """A defining marker with no explicit value: booleans mean present; genes mean mutated."""
    variable = marker["variable"]
    if variable in {"pnh_clone", "hla_dr15", "stat3_t_cell_clone", "transfusion_dependent"}:
        return True, "=="
    if variable == "mutated_genes":
        symbol = marker["id"].split("/")[-1].split(":")[-1]
        return (marker.get("name") or symbol).split()[0].upper(), "contains"
    return None, None


def evaluate_patient(graph: Graph, assessment: Assessment, therapy_ids: list[str] | None = None,
                     timeout_s: float | None = None) -> list[TherapyOutcome]:
    rows = graph.read("all_recommendations", timeout_s=timeout_s, therapy_ids=therapy_ids or None)
    rows = [r for r in rows if r["strength"] not in NEGATIVE]
    population_ids = sorted({p["id"] for r in rows for p in r["populations"] if p.get("id")})
    implied = population_criteria(graph, population_ids, timeout_s) if population_ids else {}
    values = assessment.criterion_values
    outcomes: list[TherapyOutcome] = []
    for row in rows:
        checks: list[CriterionCheck] = []
        statuses: list[CriterionStatus] = []
        seen: set[tuple] = set()
        for pop in row["populations"]:
            for c in implied.get(pop.get("id"), []):
                key = (c["variable"], c["operator"], str(c["value"]), c["role"])
                if key in seen:
                    continue
                seen.add(key)
                checks.append(_check(c, values, "population", statuses))
        for c in row["criteria"]:
            value = parse_value(c["value_json"])
            key = (c["variable"], c["operator"], str(value), c["role"])
            if key in seen:
                continue
            seen.add(key)
            checks.append(_check({**c, "value": value}, values, "source", statuses))
        verdict = therapy_verdict(statuses)
        outcomes.append(TherapyOutcome(
            recommendation_id=row["rec_id"], therapy_id=row["therapy_id"], therapy_name=row["therapy_name"],
            therapy_label=row["therapy_label"], strength=row["strength"],
            populations=tuple(p for p in row["populations"] if p.get("id")), verdict=verdict.verdict,
            missing=tuple(verdict.missing), reasons=tuple(verdict.reasons), checks=tuple(checks),
            citations=tuple(row["citations"] or ()), line=row["line"], after_therapy_id=row["after_therapy_id"]))
    return rank(outcomes, rows)


def _check(c: dict, values: dict, origin: str, statuses: list[CriterionStatus]) -> CriterionCheck:
    criterion = {"variable": c["variable"], "operator": c["operator"], "value": c["value"], "unit": c.get("unit"),
                 "role": c["role"]}
    status = evaluate_criterion(criterion, values)
    statuses.append(status)
    patient_value = status.patient_value
    if isinstance(patient_value, (set, frozenset)):
        patient_value = sorted(patient_value)
    return CriterionCheck(
        criterion_id=c.get("id") or "", text=describe(c["variable"], c["operator"], c["value"], c.get("unit")),
        variable=c["variable"], operator=c["operator"], threshold=c["value"], unit=c.get("unit"), role=c["role"],
        status=status.status, patient_value=patient_value, missing=status.missing,
        citations=tuple(c.get("citations") or ()), origin=origin, sentence=c.get("sentence"))


def rank(outcomes: list[TherapyOutcome], rows: list[dict]) -> list[TherapyOutcome]:
    """Best fit first; each outcome lists what the sources offer if it fails."""
    after: dict[str, list[dict]] = {}
    for o in outcomes:
        if o.after_therapy_id:
            after.setdefault(o.after_therapy_id, []).append(
                {"id": o.therapy_id, "name": o.therapy_name, "verdict": o.verdict, "recommendationId": o.recommendation_id})

    def key(o: TherapyOutcome):
        favours_met = sum(1 for c in o.checks if c.role == "favours" and c.status == "MET")
        unknown = sum(1 for c in o.checks if c.status == "UNKNOWN")
        return (VERDICT_ORDER.get(o.verdict, 9), -favours_met, unknown, o.therapy_name)

    ranked = sorted(outcomes, key=key)
    from dataclasses import replace

    return [replace(o, rank=i + 1, next_if_fails=tuple(after.get(o.therapy_id, ()))) for i, o in enumerate(ranked)]

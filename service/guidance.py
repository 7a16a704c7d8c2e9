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
from ontology import load_ontology
from service.criteria_text import describe, parse_value
from service.patient.assess import Assessment
from service.patient.eligibility import CriterionStatus, evaluate_criterion, therapy_verdict

VERDICT_ORDER = {"FAVOURED": 0, "POSSIBLE": 1, "UNKNOWN": 2, "POSSIBLE_LESS_LIKELY": 3, "NOT_ELIGIBLE": 4,
                 "NOT_RECOMMENDED": 5}
NEGATIVE = {"not_recommended", "not_established"}
MDS_ID = "NCIT:C3247"


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


def population_criteria(population_ids: list[str]) -> dict[str, list[dict]]:
    """What membership of each population implies, from the ontology's machine-readable
    definitions: a PatientGroup's `criteria` (with `any_of` alternatives), a RiskCategory's
    variable and value (lower-risk MDS → risk_group == lower; IPSS int-1 → ipss_category)."""
    onto = load_ontology()
    out: dict[str, list[dict]] = {}
    for pid in population_ids:
        concept = onto.concepts.get(pid)
        if concept is None:
            continue
        props = concept.properties or {}
        crits: list[dict] = []
        if concept.label == "PatientGroup":
            for i, entry in enumerate(props.get("criteria") or []):
                crit = dict(entry)
                crit.setdefault("operator", "==")
                crits.append({**crit, "id": f"{pid}#{i}", "role": "required", "citations": list(concept.sources)})
        elif concept.label == "RiskCategory" and props.get("variable") and props.get("value") is not None:
            crits.append({"id": f"{pid}#category", "variable": props["variable"], "operator": "==",
                          "value": props["value"], "unit": None, "role": "required",
                          "citations": list(concept.sources)})
        out[pid] = crits
    return out


def is_mds_population(population: dict) -> bool:
    """Recommendations written for other diseases (AML, aplastic anemia) are not checked
    against an MDS patient."""
    label = population.get("label")
    if label == "Disease":
        return population.get("id") == MDS_ID
    return label in {"PatientGroup", "RiskCategory", "Subtype"}


def evaluate_patient(graph: Graph, assessment: Assessment, therapy_ids: list[str] | None = None,
                     timeout_s: float | None = None) -> list[TherapyOutcome]:
    rows = graph.read("all_recommendations", timeout_s=timeout_s, therapy_ids=therapy_ids or None)
    rows = [r for r in rows if r["strength"] not in NEGATIVE
            and any(is_mds_population(p) for p in r["populations"] if p.get("id"))]
    population_ids = sorted({p["id"] for r in rows for p in r["populations"] if p.get("id")})
    implied = population_criteria(population_ids)
    values = assessment.criterion_values
    outcomes: list[TherapyOutcome] = []
    for row in rows:
        checks: list[CriterionCheck] = []
        statuses: list[CriterionStatus] = []
        seen: set[tuple] = set()
        for pop in row["populations"]:
            for c in implied.get(pop.get("id"), []):
                key = (c.get("variable"), c.get("operator"), str(c.get("value", c.get("any_of"))), c["role"])
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
    if c.get("any_of"):
        return _check_any_of(c, values, origin, statuses)
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


def _check_any_of(c: dict, values: dict, origin: str, statuses: list[CriterionStatus]) -> CriterionCheck:
    """Met when any alternative is met; not met when all are not met; otherwise unknown."""
    parts = []
    for alt in c["any_of"]:
        crit = {"variable": alt["variable"], "operator": alt.get("operator", "=="), "value": alt["value"],
                "unit": alt.get("unit"), "role": c["role"]}
        parts.append((alt, evaluate_criterion(crit, values)))
    kinds = [st.status for _, st in parts]
    if "MET" in kinds:
        status = "MET"
    elif all(k == "NOT_MET" for k in kinds):
        status = "NOT_MET"
    else:
        status = "UNKNOWN"
    missing = ", ".join(st.missing for _, st in parts if st.status == "UNKNOWN" and st.missing) or None
    statuses.append(CriterionStatus(status=status, patient_value=None, missing=missing if status == "UNKNOWN" else None,
                                    variable="|".join(a["variable"] for a, _ in parts), role=c["role"]))
    text = " or ".join(describe(a["variable"], a.get("operator", "=="), a["value"], a.get("unit")) for a, _ in parts)
    values_seen = {a["variable"]: st.patient_value for a, st in parts if st.patient_value is not None}
    return CriterionCheck(
        criterion_id=c.get("id") or "", text=text, variable="|".join(a["variable"] for a, _ in parts),
        operator="any_of", threshold=[{"variable": a["variable"], "operator": a.get("operator", "=="), "value": a["value"]}
                                      for a, _ in parts],
        unit=None, role=c["role"], status=status,
        patient_value={k: sorted(v) if isinstance(v, (set, frozenset)) else v for k, v in values_seen.items()} or None,
        missing=missing if status == "UNKNOWN" else None, citations=tuple(c.get("citations") or ()), origin=origin)


def rank(outcomes: list[TherapyOutcome], rows: list[dict]) -> list[TherapyOutcome]:
    """Best fit first; each outcome lists what the sources offer if it fails."""
    after: dict[str, list[dict]] = {}
    for o in outcomes:
        if o.after_therapy_id:
            after.setdefault(o.after_therapy_id, []).append(
                {"id": o.therapy_id, "name": o.therapy_name, "verdict": o.verdict, "recommendationId": o.recommendation_id})

    def key(o: TherapyOutcome):
        # Within a verdict, a recommendation whose specific conditions this patient meets (a
        # named group, a risk group) comes before one written for everyone with MDS.
        required_met = sum(1 for c in o.checks if c.role == "required" and c.status == "MET")
        favours_met = sum(1 for c in o.checks if c.role == "favours" and c.status == "MET")
        unknown = sum(1 for c in o.checks if c.status == "UNKNOWN")
        return (VERDICT_ORDER.get(o.verdict, 9), -required_met, -favours_met, unknown, o.therapy_name)

    ranked = sorted(outcomes, key=key)
    from dataclasses import replace

    return [replace(o, rank=i + 1, next_if_fails=tuple(after.get(o.therapy_id, ()))) for i, o in enumerate(ranked)]

"""A patient's treatment plan from the graph: curated recommendations in, ranked plan out.

The graph holds the curated guideline logic (loaded from ontology/data/recommendations by
`mdskg graph init --with-ontology` and `mdskg etl`); this module reads it (through the answer read
cache when one is given) and hands it to the pure planner in `plan.py`. Only curated
recommendations drive verdicts; recommendations extracted from literature stay evidence.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graph import reads as typed_reads
from graph.reads import CuratedRecommendationRow, TherapyFamily
from ontology import load_ontology
from ontology.criteria_text import describe
from ontology.guidance import CuratedRecommendation, Evidence, Group, load_vocabulary, node_from

from .assess import Assessment
from .plan import INPUT_FIELD, RISK_VARIABLES, LeafCheck, TherapyFamilies, TreatmentPlan, build_plan


@dataclass(frozen=True)
class CuratedSet:
    recommendations: tuple[CuratedRecommendation, ...]
    families: TherapyFamilies
    names: Mapping[str, str]


def curated_from_rows(rec_rows: Sequence[CuratedRecommendationRow], family_rows: Sequence[TherapyFamily]) -> CuratedSet:
    recs = []
    for row in rec_rows:
        logic = json.loads(row.logic_json or "{}")
        problems: list = []
        requires = node_from(logic.get("requires") or [], row.id, problems)
        if not isinstance(requires, Group):
            requires = Group("all_of", (requires,) if requires else ())
        excludes = tuple(n for n in (node_from(x, row.id, problems) for x in logic.get("excludes") or []) if n)
        favours = tuple(n for n in (node_from(x, row.id, problems) for x in logic.get("favours") or []) if n)
        recs.append(CuratedRecommendation(
            id=row.id, therapy=row.therapy_id, name=row.name, summary=row.summary or "",
            line=row.line or "any", strength=row.strength,
            evidence=Evidence(row.evidence_level or "", row.evidence_basis or ""),
            requires=requires, excludes=excludes, favours=favours, citations=tuple(row.citations or ()),
            after_failure_of=tuple(row.after_failure_of or ()),
            allowed_after_class_failure=bool(row.allowed_after_class_failure),
            populations=tuple(row.population_ids or ()), file=row.guidance_file or "",
            version=row.guidance_version or ""))
    families = TherapyFamilies.from_edges((r.id, d) for r in family_rows for d in (r.drugs or ()))
    names = {r.id: r.name for r in family_rows}
    return CuratedSet(tuple(recs), families, names)


_PARSED: OrderedDict[tuple[int, ...], tuple[object, object, CuratedSet]] = OrderedDict()
_PARSED_MAX = 8
_PARSED_LOCK = threading.Lock()


def read_curated(reads, timeout_s: float | None = None) -> CuratedSet:
    """`reads` is a Graph, a transaction's reads or the answer read cache (graph/reads.py's read source).

    The read cache hands back the same typed row objects for one graph version, so their parse is kept
    too (keyed by the rows' identities, holding the rows so that no identity can be reused)."""
    rec_rows = tuple(typed_reads.curated_recommendations(reads, timeout_s=timeout_s))
    family_rows = tuple(typed_reads.therapy_families(reads, timeout_s=timeout_s))
    key = (len(rec_rows), *map(id, rec_rows), *map(id, family_rows))
    with _PARSED_LOCK:
        hit = _PARSED.get(key)
        if hit is not None and hit[0] == rec_rows and hit[1] == family_rows:
            _PARSED.move_to_end(key)
            return hit[2]
    curated = curated_from_rows(rec_rows, family_rows)
    with _PARSED_LOCK:
        _PARSED[key] = (rec_rows, family_rows, curated)
        while len(_PARSED) > _PARSED_MAX:
            _PARSED.popitem(last=False)
    return curated


def check_text(check: LeafCheck, names: Mapping[str, str] | None = None) -> str:
    """A leaf criterion in plain words (therapy ids become names)."""
    if check.label:
        return check.label
    value = check.value
    if check.variable in {"failed_therapies", "prior_therapies"} and names:
        items = value if isinstance(value, list) else [value]
        value = [names.get(str(v), str(v)) for v in items]
        value = value if len(value) > 1 else value[0]
        verb = "earlier treatment with" if check.variable == "prior_therapies" else \
            "treatment that did not work, stopped working or was not tolerated:"
        joined = " or ".join(value) if isinstance(value, list) else value
        return f"{verb} {joined}" if check.operator in {"contains", "in", "=="} else f"no {verb} {joined}"
    return describe(check.variable, check.operator, value, check.unit)


def missing_fields(plan_missing: tuple[str, ...], assessment: Assessment | None) -> list[str]:
    """Criterion variables that are missing, as the PatientInput fields a form should point at."""
    out: list[str] = []

    def add(name: str) -> None:
        if name not in out:
            out.append(name)

    for variable in plan_missing:
        if variable in RISK_VARIABLES and assessment is not None:
            inputs = list(assessment.ipssr.missing) or list(assessment.ipss.missing)
            for name in inputs:
                add(INPUT_FIELD.get(name, "karyotype" if name == "cytogenetics" else name))
            if not inputs:
                add("mutations")
            continue
        add(INPUT_FIELD.get(variable, variable))
    return out


def plan_for_patient(assessment: Assessment, curated: CuratedSet) -> TreatmentPlan:
    return build_plan(curated.recommendations, assessment.criterion_values, curated.families, curated.names,
                      lambda c: check_text(c, curated.names), load_vocabulary())


def default_curated() -> CuratedSet:
    """The curated set straight from the ontology's data (no graph): for the CLI's offline checks
    and for tests of the planner."""
    from ontology.guidance import load_guidance

    onto = load_ontology()
    recs = load_guidance().recommendations
    families = TherapyFamilies.from_edges((e.subject, e.object) for e in onto.edges if e.type == "INCLUDES_DRUG")
    names = {c.id: c.name for c in onto.concepts.values() if c.label in {"Therapy", "Drug"}}
    return CuratedSet(recs, families, names)

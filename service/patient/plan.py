"""A patient's treatment plan from the curated guideline logic, decided once.

Pure functions over curated recommendations (ontology.guidance) and a patient's criterion values
(record.to_criterion_values); nothing here reads the graph, logs or stores patient values.

Rules (docs/guidance-contract.md):
- Leaves are MET / NOT_MET / UNKNOWN (a missing value is UNKNOWN, never a pass); all_of / any_of /
  none_of combine them in three-valued logic.
- One recommendation: an `excludes` MET -> NOT_RECOMMENDED; `requires` NOT_MET -> NOT_ELIGIBLE;
  `requires` or an `excludes` UNKNOWN -> UNKNOWN; otherwise FAVOURED / POSSIBLE /
  POSSIBLE_LESS_LIKELY by the `favours` criteria. Favours never lift a therapy its requirements
  do not allow.
- A therapy that failed or was not tolerated, or one of its class, is ruled out unless the
  recommendation says the source allows it (`allowed_after_class_failure`).
- A `not_recommended` recommendation whose requirements are met rules its therapy out; with its
  requirements unknown the therapy is at best UNKNOWN.
- A therapy's verdict is its best positive recommendation's; the plan ranks offered therapies by
  strength, then verdict (orders from ontology/data/vocabulary.yaml).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ontology.guidance import CuratedRecommendation, Group, GuidanceVocabulary, Leaf, Node, load_vocabulary

from .eligibility import CriterionStatus, evaluate_criterion
from .record import UNKNOWN_MEMBERS_SUFFIX

MET, NOT_MET, UNKNOWN = "MET", "NOT_MET", "UNKNOWN"
FORCED = "__forced_status__"

# The PatientInput field (GraphQL name) a form should point at when a criterion variable is missing.
INPUT_FIELD = {
    "age": "age", "marrow_blasts_pct": "marrowBlastsPct", "peripheral_blasts_pct": "peripheralBlastsPct",
    "marrow_cellularity": "marrowCellularity", "marrow_cellularity_pct": "marrowCellularityPct",
    "hemoglobin_g_dl": "hemoglobin", "platelets_10e9_l": "platelets", "anc_10e9_l": "anc",
    "serum_epo_mu_ml": "serumEpo", "serum_ferritin_ng_ml": "serumFerritin",
    "transfusion_units_per_8wk": "transfusionUnitsPer8wk", "transfusion_dependent": "transfusionDependent",
    "rbc_units_total": "rbcUnitsTotal", "ring_sideroblasts_pct": "ringSideroblastsPct",
    "mutated_genes": "mutations", "karyotype_findings": "karyotype", "karyotype_abnormality_count": "karyotype",
    "ipssr_cytogenetic_group": "karyotype", "pnh_clone": "pnhClone", "hla_dr15": "hlaDr15",
    "stat3_t_cell_clone": "stat3TCellClone", "prior_therapies": "priorTherapies",
    "failed_therapies": "priorTherapies", "ecog": "ecog", "hct_ci": "hctCi",
    "transplant_candidate": "transplantCandidate", "donor_available": "donorAvailable",
    "wants_transplant": "wantsTransplant", "creatinine_clearance_ml_min": "creatinineClearanceMlMin",
    "esa_status": "esaStatus", "anemia_symptoms": "anemiaSymptoms", "bleeding": "bleeding",
    "platelet_transfusions": "plateletTransfusions", "recurrent_infections": "recurrentInfections",
    "auer_rods": "auerRods",
}
# Risk variables are computed: what is missing is the score's inputs (filled in by the caller).
RISK_VARIABLES = frozenset({"risk_group", "ipss_category", "ipssr_category", "ipssm_category", "ipssr_score"})


@dataclass(frozen=True)
class LeafCheck:
    """One leaf criterion evaluated for the patient."""

    role: str  # required | excludes | favours
    path: str  # where the leaf sits in the rule, e.g. "requires.any_of[1]"
    variable: str
    operator: str
    value: Any
    unit: str | None
    label: str | None
    status: str
    patient_value: Any
    missing: str | None
    citations: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class RuleOutcome:
    """One curated recommendation evaluated for the patient."""

    recommendation: CuratedRecommendation
    verdict: str
    requires_status: str
    excluded_by: tuple[LeafCheck, ...]
    unmet: tuple[LeafCheck, ...]
    unknown: tuple[LeafCheck, ...]
    favoured_by: tuple[LeafCheck, ...]
    checks: tuple[LeafCheck, ...]
    failed_before: tuple[str, ...] = ()  # failed therapies (same therapy or class) that rule it out
    failure_unknown: tuple[str, ...] = ()  # therapies of the family whose outcome is unknown

    @property
    def missing(self) -> tuple[str, ...]:
        names: list[str] = []
        for c in self.unknown:
            name = c.missing or c.variable
            if name not in names:
                names.append(name)
        if self.failure_unknown and "prior_therapies" not in names:
            names.append("prior_therapies")
        return tuple(names)


@dataclass(frozen=True)
class TherapyPlanItem:
    """One therapy's place in the plan: its verdict, the recommendation that decides it, and why."""

    therapy_id: str
    therapy_name: str
    verdict: str
    strength: str
    deciding: RuleOutcome
    considered: tuple[RuleOutcome, ...]
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    ruled_out_by: tuple[LeafCheck, ...] = ()
    ruled_out_by_recommendation: CuratedRecommendation | None = None
    rank: int = 0


@dataclass(frozen=True)
class PlanChange:
    """A value that would change the plan: which way, and what it would do to which therapy."""

    variable: str
    input_field: str
    criterion: LeafCheck
    therapy_id: str
    therapy_name: str
    now: str  # the therapy's verdict now
    would_be: str  # its verdict if this criterion went the other way (or, if unknown, became known)
    direction: str  # "if met" | "if not met"


@dataclass(frozen=True)
class TreatmentPlan:
    items: tuple[TherapyPlanItem, ...]  # every therapy with a curated recommendation, ranked
    preferred: tuple[TherapyPlanItem, ...]
    options: tuple[TherapyPlanItem, ...]  # offered, after the preferred ones
    unknown: tuple[TherapyPlanItem, ...]
    ruled_out: tuple[TherapyPlanItem, ...]
    changes: tuple[PlanChange, ...]
    next_if_fails: Mapping[str, tuple[TherapyPlanItem, ...]] = field(default_factory=dict)
    missing: tuple[str, ...] = ()


# ---- three-valued logic ----------------------------------------------------------------------

def combine(kind: str, statuses: Sequence[str]) -> str:
    if kind == "all_of":
        if NOT_MET in statuses:
            return NOT_MET
        return UNKNOWN if UNKNOWN in statuses else MET
    if kind == "any_of":
        if MET in statuses:
            return MET
        return NOT_MET if statuses and all(s == NOT_MET for s in statuses) else UNKNOWN
    if kind == "none_of":
        if MET in statuses:
            return NOT_MET
        return MET if all(s == NOT_MET for s in statuses) else UNKNOWN
    raise ValueError(kind)


def evaluate_node(node: Node, values: Mapping[str, Any], role: str, path: str,
                  out: list[LeafCheck]) -> str:
    """The node's status; every leaf's check is appended to `out`."""
    if isinstance(node, Leaf) and node.variable == FORCED:
        return str(node.value)  # a what-if leaf (plan_changes): its status is given
    if isinstance(node, Leaf):
        st: CriterionStatus = evaluate_criterion(
            {"variable": node.variable, "operator": node.operator, "value": node.value, "unit": node.unit,
             "role": role}, values)
        patient_value = st.patient_value
        if isinstance(patient_value, (set, frozenset)):
            patient_value = sorted(patient_value)
        missing = st.missing if st.status == UNKNOWN else None
        if st.status == UNKNOWN and missing is None:
            missing = node.variable  # an unknown without a named missing value still names the variable
        out.append(LeafCheck(role=role, path=path, variable=node.variable, operator=node.operator, value=node.value,
                             unit=node.unit, label=node.label, status=st.status, patient_value=patient_value,
                             missing=missing, citations=node.citations, note=node.note or st.note))
        return st.status
    statuses = [evaluate_node(item, values, role, f"{path}.{node.kind}[{i}]", out)
                for i, item in enumerate(node.items)]
    return combine(node.kind, statuses)


def node_status(node: Node, path: str, by_path: Mapping[str, LeafCheck]) -> str:
    if isinstance(node, Leaf):
        check = by_path.get(path)
        return check.status if check else UNKNOWN
    return combine(node.kind, [node_status(item, f"{path}.{node.kind}[{i}]", by_path)
                               for i, item in enumerate(node.items)])


def culprits(node: Node, path: str, by_path: Mapping[str, LeafCheck], want: str) -> list[tuple[LeafCheck, bool]]:
    """The leaves that make `node` come out `want` (NOT_MET or UNKNOWN), each with a flag that is True
    when the leaf counts because it is present (a leaf under none_of that is met)."""
    if isinstance(node, Leaf):
        check = by_path.get(path)
        return [(check, False)] if check and check.status == want else []
    out: list[tuple[LeafCheck, bool]] = []
    for i, item in enumerate(node.items):
        here = f"{path}.{node.kind}[{i}]"
        status = node_status(item, here, by_path)
        if node.kind == "none_of":
            if want == NOT_MET and status == MET:
                out.extend((c, True) for c in _leaf_checks(item, here, by_path) if c.status == MET)
            elif want == UNKNOWN and status == UNKNOWN:
                out.extend(culprits(item, here, by_path, UNKNOWN))
        elif status == want:
            out.extend(culprits(item, here, by_path, want))
    return out


def _leaf_checks(node: Node, path: str, by_path: Mapping[str, LeafCheck]) -> list[LeafCheck]:
    if isinstance(node, Leaf):
        return [by_path[path]] if path in by_path else []
    return [c for i, item in enumerate(node.items) for c in _leaf_checks(item, f"{path}.{node.kind}[{i}]", by_path)]


# ---- therapy families (the class rule) ---------------------------------------------------------

@dataclass(frozen=True)
class TherapyFamilies:
    """Which therapies share a class (a class and its drugs; drugs of one class with each other)."""

    classes_of: Mapping[str, frozenset[str]]
    members_of: Mapping[str, frozenset[str]]

    @classmethod
    def from_edges(cls, includes_drug: Iterable[tuple[str, str]]) -> TherapyFamilies:
        classes: dict[str, set[str]] = {}
        members: dict[str, set[str]] = {}
        for therapy, drug in includes_drug:
            classes.setdefault(drug, set()).add(therapy)
            members.setdefault(therapy, set()).add(drug)
        return cls({k: frozenset(v) for k, v in classes.items()}, {k: frozenset(v) for k, v in members.items()})

    def same(self, therapy_id: str) -> frozenset[str]:
        """The therapy itself, its drugs, its classes and their other drugs."""
        family = {therapy_id, *self.members_of.get(therapy_id, ())}
        for parent in self.classes_of.get(therapy_id, ()):
            family.add(parent)
            family |= self.members_of.get(parent, set())
        return frozenset(family)


def _failure(therapy_id: str, values: Mapping[str, Any], families: TherapyFamilies,
             allowed_class: bool) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """(failed ones that rule it out, ones of unknown outcome, history unknown)."""
    # With the class allowed, only the therapy itself (and the drugs it is made of) count.
    family = {therapy_id, *families.members_of.get(therapy_id, ())} if allowed_class else families.same(therapy_id)
    failed = values.get("failed_therapies")
    if failed is None:
        return (), (), True
    failed_hits = tuple(sorted(set(failed) & family))
    unknown_hits = tuple(sorted(set(values.get("failed_therapies" + UNKNOWN_MEMBERS_SUFFIX) or ()) & family))
    return failed_hits, unknown_hits, False


# ---- one recommendation ------------------------------------------------------------------------

def evaluate_recommendation(rec: CuratedRecommendation, values: Mapping[str, Any],
                            families: TherapyFamilies) -> RuleOutcome:
    checks: list[LeafCheck] = []
    requires_status = evaluate_node(rec.requires, values, "required", "requires", checks)
    excl_statuses = []
    for i, node in enumerate(rec.excludes):
        start = len(checks)
        st = evaluate_node(node, values, "excludes", f"excludes[{i}]", checks)
        excl_statuses.append((st, checks[start:]))
    fav_statuses = []
    for i, node in enumerate(rec.favours):
        start = len(checks)
        st = evaluate_node(node, values, "favours", f"favours[{i}]", checks)
        fav_statuses.append((st, checks[start:]))

    by_path = {c.path: c for c in checks}
    excluded_by = tuple(c for st, cs in excl_statuses if st == MET for c in cs if c.status == MET)
    unmet: tuple[LeafCheck, ...] = ()
    present: tuple[LeafCheck, ...] = ()
    if requires_status == NOT_MET:
        found = culprits(rec.requires, "requires", by_path, NOT_MET)
        unmet = tuple(c for c, is_present in found if not is_present)
        present = tuple(c for c, is_present in found if is_present)
    unknown: tuple[LeafCheck, ...] = ()
    if requires_status == UNKNOWN:
        unknown = tuple(c for c, _ in culprits(rec.requires, "requires", by_path, UNKNOWN))
    for i, (st, _) in enumerate(excl_statuses):
        if st == UNKNOWN:
            unknown += tuple(c for c, _ in culprits(rec.excludes[i], f"excludes[{i}]", by_path, UNKNOWN))
    favoured_by = tuple(c for st, cs in fav_statuses if st == MET for c in cs if c.status == MET)

    failed_hits: tuple[str, ...] = ()
    unknown_hits: tuple[str, ...] = ()
    if rec.positive:
        failed_hits, unknown_hits, history_unknown = _failure(rec.therapy, values, families,
                                                              rec.allowed_after_class_failure)
        if history_unknown:
            unknown_hits = ("prior_therapies",)

    if excluded_by or failed_hits:
        verdict = "NOT_RECOMMENDED"
    elif requires_status == NOT_MET:
        verdict = "NOT_ELIGIBLE"
    elif requires_status == UNKNOWN or any(st == UNKNOWN for st, _ in excl_statuses) or unknown_hits:
        verdict = "UNKNOWN"
    elif any(st == MET for st, _ in fav_statuses):
        verdict = "FAVOURED"
    elif fav_statuses and all(st == NOT_MET for st, _ in fav_statuses):
        verdict = "POSSIBLE_LESS_LIKELY"
    else:
        verdict = "POSSIBLE"
    return RuleOutcome(rec, verdict, requires_status, excluded_by + present, unmet, unknown, favoured_by,
                       tuple(checks), failed_hits, unknown_hits)


# ---- one therapy, then the plan ----------------------------------------------------------------

def _reasons(o: RuleOutcome, describe, therapy_name) -> list[str]:
    rec = o.recommendation
    out: list[str] = []
    if not rec.positive:
        if o.requires_status == MET:
            met = [c for c in o.checks if c.role == "required" and c.status == MET]
            why = "; ".join(dict.fromkeys(describe(c) for c in met))
            return [f"our sources advise against it here: {rec.summary or rec.name}"
                    + (f" (applies because of: {why})" if why else "")]
        if o.requires_status == UNKNOWN:
            return [f"not known yet: {describe(c)}" for c in o.unknown]
        return []
    if o.failed_before:
        names = ", ".join(therapy_name(t) for t in o.failed_before)
        out.append(f"already tried without lasting benefit or not tolerated: {names}")
    out.extend(f"rules it out: {describe(c)}" for c in o.excluded_by)
    if o.verdict == "NOT_ELIGIBLE":
        out.extend(f"needed but not met: {describe(c)}" for c in o.unmet)
    if o.verdict == "UNKNOWN":
        out.extend(f"not known yet: {describe(c)}" for c in o.unknown)
        if o.failure_unknown:
            out.append("not known yet: whether it (or a drug of the same class) was tried before and how it went")
    if o.verdict in {"FAVOURED", "POSSIBLE", "POSSIBLE_LESS_LIKELY"}:
        met = [c for c in o.checks if c.role == "required" and c.status == MET]
        if met:
            out.append("fits: " + "; ".join(dict.fromkeys(describe(c) for c in met)))
        out.extend(f"makes a response more likely: {describe(c)}" for c in o.favoured_by)
    return out


def decide_therapy(therapy_id: str, therapy_name: str, outcomes: Sequence[RuleOutcome],
                   vocab: GuidanceVocabulary, describe, name_of) -> TherapyPlanItem:
    verdict_rank = vocab.order("verdicts")
    strength_rank = vocab.order("strengths")
    positive = [o for o in outcomes if o.recommendation.positive]
    negative = [o for o in outcomes if not o.recommendation.positive]
    blocking = [o for o in negative if o.requires_status == MET]
    doubtful = [o for o in negative if o.requires_status == UNKNOWN]

    def key(o: RuleOutcome):
        offered = o.verdict in vocab.offered_verdicts
        return (0 if offered else 1, strength_rank.get(o.recommendation.strength, 99) if offered else 0,
                verdict_rank.get(o.verdict, 99), strength_rank.get(o.recommendation.strength, 99))

    if blocking:
        deciding = blocking[0]
        reasons = _reasons(deciding, describe, name_of)
        return TherapyPlanItem(therapy_id, therapy_name, "NOT_RECOMMENDED", deciding.recommendation.strength,
                               deciding, tuple(outcomes), tuple(reasons), (),
                               ruled_out_by=tuple(c for c in deciding.checks if c.role == "required" and c.status == MET),
                               ruled_out_by_recommendation=deciding.recommendation)
    if not positive:
        # Only advice against it, none of which applies: nothing offers it in this situation.
        deciding = (doubtful or list(outcomes))[0]
        reasons = _reasons(deciding, describe, name_of) if doubtful else [
            "no curated recommendation offers it in your situation"]
        return TherapyPlanItem(therapy_id, therapy_name, "UNKNOWN" if doubtful else "NOT_ELIGIBLE",
                               deciding.recommendation.strength, deciding, tuple(outcomes),
                               tuple(reasons), deciding.missing)
    best = sorted(positive, key=key)[0]
    verdict = best.verdict
    missing = list(best.missing)
    reasons = _reasons(best, describe, name_of)
    if doubtful and verdict in vocab.offered_verdicts:
        # A source advises against it for a group the patient may be in: not offered until that is known.
        verdict = "UNKNOWN"
        for o in doubtful:
            for c in o.checks:
                if c.status == UNKNOWN and (c.missing or c.variable) not in missing:
                    missing.append(c.missing or c.variable)
            reasons.append(f"not known yet whether this applies: {o.recommendation.name}")
    ruled_by: tuple[LeafCheck, ...] = ()
    if verdict in vocab.ruled_out_verdicts:
        ruled_by = best.excluded_by or best.unmet
    return TherapyPlanItem(therapy_id, therapy_name, verdict, best.recommendation.strength, best, tuple(outcomes),
                           tuple(reasons), tuple(missing), ruled_out_by=ruled_by)


def build_plan(recommendations: Sequence[CuratedRecommendation], values: Mapping[str, Any],
               families: TherapyFamilies, names: Mapping[str, str], describe,
               vocab: GuidanceVocabulary | None = None, with_next: bool = True) -> TreatmentPlan:
    vocab = vocab or load_vocabulary()
    name_of = lambda tid: names.get(tid, tid.rsplit("/", 1)[-1].replace("-", " "))  # noqa: E731
    by_therapy: dict[str, list[RuleOutcome]] = {}
    for rec in recommendations:
        by_therapy.setdefault(rec.therapy, []).append(evaluate_recommendation(rec, values, families))
    items = [decide_therapy(tid, name_of(tid), outs, vocab, describe, name_of) for tid, outs in by_therapy.items()]
    items = [i if i.verdict == "UNKNOWN" else replace(i, missing=()) for i in items]
    ranked = rank_items(items, vocab)
    offered = [i for i in ranked if i.verdict in vocab.offered_verdicts]
    preferred: list[TherapyPlanItem] = []
    if offered:
        strength_rank = vocab.order("strengths")
        top = min(strength_rank.get(i.strength, 99) for i in offered)
        preferred = [i for i in offered if strength_rank.get(i.strength, 99) == top]
    options = [i for i in offered if i not in preferred]
    unknown = [i for i in ranked if i.verdict == "UNKNOWN"]
    ruled_out = [i for i in ranked if i.verdict in vocab.ruled_out_verdicts]
    missing: list[str] = []
    for i in unknown:
        for m in i.missing:
            if m not in missing:
                missing.append(m)
    changes = plan_changes(ranked, values, families, vocab)
    next_if_fails: dict[str, tuple[TherapyPlanItem, ...]] = {}
    if with_next:
        for item in preferred + options[:3]:
            failed_values = dict(values)
            # A failed drug also puts its class among the failed therapies (as record import does).
            failed = {item.therapy_id, *families.classes_of.get(item.therapy_id, ())}
            failed_values["failed_therapies"] = set(values.get("failed_therapies") or ()) | failed
            failed_values["prior_therapies"] = set(values.get("prior_therapies") or ()) | failed
            after = build_plan(recommendations, failed_values, families, names, describe, vocab, with_next=False)
            next_if_fails[item.therapy_id] = tuple(after.preferred) + tuple(after.options)
    return TreatmentPlan(tuple(ranked), tuple(preferred), tuple(options), tuple(unknown), tuple(ruled_out),
                         tuple(changes), next_if_fails, tuple(missing))


def rank_items(items: Sequence[TherapyPlanItem], vocab: GuidanceVocabulary) -> list[TherapyPlanItem]:
    verdict_rank = vocab.order("verdicts")
    strength_rank = vocab.order("strengths")

    def key(i: TherapyPlanItem):
        offered = i.verdict in vocab.offered_verdicts
        return (0 if offered else (1 if i.verdict == "UNKNOWN" else 2),
                strength_rank.get(i.strength, 99) if offered or i.verdict == "UNKNOWN" else 0,
                verdict_rank.get(i.verdict, 99), strength_rank.get(i.strength, 99), i.therapy_name.lower())

    return [replace(i, rank=n + 1) for n, i in enumerate(sorted(items, key=key))]


def plan_changes(items: Sequence[TherapyPlanItem], values: Mapping[str, Any], families: TherapyFamilies,
                 vocab: GuidanceVocabulary) -> list[PlanChange]:
    """For each therapy's deciding rule, the single criteria whose flip would change its verdict."""
    out: list[PlanChange] = []
    seen: set[tuple] = set()
    for item in items:
        rec_outcome = item.deciding
        rec = rec_outcome.recommendation
        if not rec.positive:
            continue
        for check in rec_outcome.checks:
            if check.role == "favours" or (check.variable in RISK_VARIABLES and check.status != UNKNOWN):
                continue
            flips = [MET, NOT_MET] if check.status == UNKNOWN else [NOT_MET if check.status == MET else MET]
            for flipped in flips:
                would = _verdict_with(rec, values, families, check, flipped)
                if would == item.verdict or would == rec_outcome.verdict:
                    continue
                key = (check.variable, check.operator, str(check.value), item.therapy_id, flipped)
                if key in seen:
                    continue
                seen.add(key)
                out.append(PlanChange(variable=check.variable, input_field=INPUT_FIELD.get(check.variable, check.variable),
                                      criterion=check, therapy_id=item.therapy_id, therapy_name=item.therapy_name,
                                      now=item.verdict, would_be=would,
                                      direction="if met" if flipped == MET else "if not met"))
    return out


def _verdict_with(rec: CuratedRecommendation, values: Mapping[str, Any], families: TherapyFamilies,
                  check: LeafCheck, status: str) -> str:
    """The recommendation's verdict with one leaf forced to `status` (what-if)."""
    forced = _force(rec, check.path, status)
    return evaluate_recommendation(forced, values, families).verdict


def _force(rec: CuratedRecommendation, path: str, status: str) -> CuratedRecommendation:
    const = Leaf(variable=FORCED, operator="==", value=status)

    def walk(node: Node, here: str) -> Node:
        if isinstance(node, Leaf):
            return const if here == path else node
        return Group(node.kind, tuple(walk(item, f"{here}.{node.kind}[{i}]") for i, item in enumerate(node.items)))

    requires = walk(rec.requires, "requires")
    excludes = tuple(walk(n, f"excludes[{i}]") for i, n in enumerate(rec.excludes))
    return replace(rec, requires=requires if isinstance(requires, Group) else Group("all_of", (requires,)),
                   excludes=excludes)

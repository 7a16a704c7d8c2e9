"""The patient feature's GraphQL: PatientInput, assessRisk, eligibility, treatmentPlan, trials,
guidanceVocabulary, importPatient, and the patient's part of `ask`.

Patient values are used for the request only: never stored, never logged. Impossible values
are a GraphQL error naming the field; missing values are never guessed (UNKNOWN, with the
missing value named). The conversions themselves are in inputs.py (shared with the CLI).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import graphene

from graph.reads import trials_with_criteria
from mdskg.records import Answer as AnswerRecord
from ontology.guidance import load_vocabulary
from service.errors import UserFacingError
from service.extensions import get_answer_graph, get_graph, get_settings, get_writer, request_sources
from service.graphql_types import Citation

from . import record as patient_record
from .answer import answer_for_patient
from .api_fields import api_fields
from .guidance import check_text, missing_fields, plan_for_patient, read_curated
from .inputs import MAX_LIST, assess_record, import_record, patient_record_to_input, to_patient_record
from .plan import INPUT_FIELD
from .trials import match_trials

MAX_RECORD_CHARS = 2_000_000


class JSONString(graphene.Scalar):
    """JSON as a string (or, in variables, as a value); a malformed one is a clear request error."""
    class Meta:
        name = "JSONString"

    @staticmethod
    def serialize(value):
        return json.dumps(value, default=str)

    @staticmethod
    def parse_literal(node, _variables=None):
        from graphql import GraphQLError
        from graphql.language import StringValueNode

        if not isinstance(node, StringValueNode):
            raise GraphQLError("JSONString must be a string holding JSON.")
        return JSONString.parse_value(node.value)

    @staticmethod
    def parse_value(value):
        from graphql import GraphQLError

        if isinstance(value, (dict, list)):
            return value
        if not isinstance(value, str):
            raise GraphQLError("JSONString must be a string holding JSON.")
        if len(value) > MAX_RECORD_CHARS:
            raise GraphQLError(f"The JSON is too large (at most {MAX_RECORD_CHARS} characters).")
        try:
            return json.loads(value)
        except ValueError as exc:
            raise GraphQLError(f"Badly formed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).") from None


# ---- input ----------------------------------------------------------------------------------------

_SCALARS = {float: graphene.Float, int: graphene.Int, bool: graphene.Boolean, str: graphene.String}


@cache
def input_type(record: type) -> type[graphene.InputObjectType]:
    """The GraphQL input type of a patient dataclass, built from its `api(...)` fields (api_fields.py).

    Named after the dataclass, with `Input` appended unless it ends so already; field names are
    camelCase (graphene's); the type of a field is that of its first non-None type, a nested
    dataclass becoming its own input type; a tuple is a list of non-null items; a field whose
    annotation does not allow None is required; an optional single nested input defaults to null.
    """
    attrs: dict[str, graphene.InputField] = {}
    for f in api_fields(record):
        of: Any = _SCALARS.get(f.base) or input_type(f.base)
        if f.many:
            of = graphene.List(graphene.NonNull(of))
        options: dict[str, Any] = {"description": f.description}
        if f.required:
            options["required"] = True
        elif not f.many and f.base not in _SCALARS:
            options["default_value"] = None  # printed `= null`, as the hand-written inputs had it
        attrs[f.name] = graphene.InputField(of, **options)
    name = record.__name__ if record.__name__.endswith("Input") else f"{record.__name__}Input"
    return type(name, (graphene.InputObjectType,), attrs)


QuantityInput = input_type(patient_record.Quantity)
MutationInput = input_type(patient_record.Mutation)
PriorTherapyInput = input_type(patient_record.PriorTherapy)
PatientInput = input_type(patient_record.PatientInput)


# ---- risk -----------------------------------------------------------------------------------------

class ScoreComponent(graphene.ObjectType):
    name = graphene.String(required=True)
    value = graphene.String(description="The patient's value (JSON), null when missing.")
    points = graphene.Float(description="Points or contribution; null when the value is missing.")


class RiskScore(graphene.ObjectType):
    scheme = graphene.String(required=True, description="IPSS | IPSS-R | IPSS-RA | IPSS-M")
    score = graphene.Float(description="Null when missing inputs leave it undetermined.")
    category = graphene.String(description="Null when missing inputs span more than one category.")
    score_min = graphene.Float(description="Lowest (best) score the missing inputs allow.")
    score_max = graphene.Float(description="Highest (worst) score the missing inputs allow.")
    category_best = graphene.String()
    category_worst = graphene.String()
    risk_group = graphene.String(description="lower | higher (treatment group), null when undetermined.")
    components = graphene.List(graphene.NonNull(ScoreComponent), required=True)
    missing = graphene.List(graphene.NonNull(graphene.String), required=True)


class KaryotypeInfo(graphene.ObjectType):
    findings = graphene.List(graphene.NonNull(graphene.String), required=True)
    abnormality_count = graphene.Int()
    ipssr_group = graphene.String()
    ipss_group = graphene.String()
    warnings = graphene.List(graphene.NonNull(graphene.String), required=True)


class RiskAssessment(graphene.ObjectType):
    ipss = graphene.Field(RiskScore, required=True)
    ipssr = graphene.Field(RiskScore, required=True)
    ipssr_age_adjusted = graphene.Field(RiskScore)
    ipssm = graphene.Field(RiskScore, required=True)
    risk_group = graphene.String(description="The lower/higher-risk group used for treatment choices, when determined.")
    risk_group_basis = graphene.String(description="Which score the risk group comes from.")
    karyotype = graphene.Field(KaryotypeInfo)
    warnings = graphene.List(graphene.NonNull(graphene.String), required=True)


def _components(components) -> list[ScoreComponent]:
    return [ScoreComponent(name=c.name, value=None if c.value is None else json.dumps(c.value, default=str),
                           points=c.points) for c in components]


def risk_to_graphql(a) -> RiskAssessment:
    ipss, r, m = a.ipss, a.ipssr, a.ipssm
    age_adj = None
    if r.age_adjusted_score is not None or r.age_adjusted_min is not None:
        age_adj = RiskScore(scheme="IPSS-RA", score=r.age_adjusted_score, category=r.age_adjusted_category,
                            score_min=r.age_adjusted_min, score_max=r.age_adjusted_max, components=[],
                            missing=list(r.missing) + ([] if a.normalised.age_years is not None else ["age"]))
    values = a.criterion_values
    basis = None
    if "risk_group" in values:
        basis = "IPSS-M" if m.risk_group else ("IPSS-R" if r.risk_group else "IPSS")
    k = a.karyotype
    return RiskAssessment(
        ipss=RiskScore(scheme="IPSS", score=ipss.score, category=ipss.category, score_min=ipss.score_min,
                       score_max=ipss.score_max, risk_group=ipss.risk_group, components=_components(ipss.components),
                       missing=list(ipss.missing)),
        ipssr=RiskScore(scheme="IPSS-R", score=r.score, category=r.category, score_min=r.score_min,
                        score_max=r.score_max, category_best=r.category_min or None,
                        category_worst=r.category_max or None, risk_group=r.risk_group,
                        components=_components(r.components), missing=list(r.missing)),
        ipssr_age_adjusted=age_adj,
        ipssm=RiskScore(scheme="IPSS-M", score=m.score, category=m.category, score_min=m.score_best,
                        score_max=m.score_worst, category_best=m.category_best, category_worst=m.category_worst,
                        risk_group=m.risk_group, components=_components(m.components), missing=list(m.missing)),
        risk_group=values.get("risk_group"), risk_group_basis=basis,
        karyotype=None if k is None else KaryotypeInfo(
            findings=sorted(k.findings), abnormality_count=k.abnormality_count, ipssr_group=k.ipssr_group,
            ipss_group=k.ipss_group, warnings=list(k.warnings)),
        warnings=list(a.warnings))


# ---- eligibility ----------------------------------------------------------------------------------

class CriterionResult(graphene.ObjectType):
    criterion_id = graphene.ID(required=True)
    text = graphene.String(required=True, description="The criterion in plain words.")
    variable = graphene.String(required=True)
    operator = graphene.String(required=True)
    threshold = graphene.String(required=True, description="The criterion's value (JSON).")
    unit = graphene.String()
    role = graphene.String(required=True, description="required | favours | excludes")
    status = graphene.String(required=True, description="MET | NOT_MET | UNKNOWN")
    patient_value = graphene.String(description="The patient's value (JSON); null when missing.")
    missing = graphene.String(description="With UNKNOWN: the value that is missing.")
    origin = graphene.String(required=True, description="source (stated by a source) | population (implied by who it is for)")
    citations = graphene.List(graphene.NonNull(Citation), required=True)


class NextOption(graphene.ObjectType):
    therapy_id = graphene.ID(required=True)
    name = graphene.String(required=True)
    verdict = graphene.String(required=True)
    recommendation_id = graphene.ID(required=True)


class EligibilityResult(graphene.ObjectType):
    rank = graphene.Int(required=True, description="1 = best fit for this patient.")
    therapy_id = graphene.ID(required=True)
    therapy_name = graphene.String(required=True)
    recommendation_id = graphene.ID(required=True)
    strength = graphene.String(required=True)
    populations = graphene.List(graphene.NonNull(graphene.String), required=True)
    verdict = graphene.String(required=True, description="FAVOURED | POSSIBLE | UNKNOWN | POSSIBLE_LESS_LIKELY | NOT_ELIGIBLE | NOT_RECOMMENDED")
    missing = graphene.List(graphene.NonNull(graphene.String), required=True)
    reasons = graphene.List(graphene.NonNull(graphene.String), required=True)
    criteria = graphene.List(graphene.NonNull(CriterionResult), required=True)
    citations = graphene.List(graphene.NonNull(Citation), required=True)
    next_if_fails = graphene.List(graphene.NonNull(NextOption), required=True)


def _therapy_ids(ids):
    if ids is None:
        return None
    if len(ids) > MAX_LIST:
        raise UserFacingError(f"`therapyIds` has more than {MAX_LIST} items.")
    return [str(i) for i in ids]


# ---- import ---------------------------------------------------------------------------------------

class ProvenanceEntry(graphene.ObjectType):
    field = graphene.String(required=True)
    source = graphene.String(required=True)


class ImportedPatient(graphene.ObjectType):
    format = graphene.String(required=True, description="fhir | phenopacket")
    patient = graphene.Field(JSONString, required=True, description="A PatientInput, ready to send back.")
    provenance = graphene.List(graphene.NonNull(ProvenanceEntry), required=True)
    unmapped = graphene.List(graphene.NonNull(graphene.String), required=True)
    notes = graphene.List(graphene.NonNull(graphene.String), required=True)


class PatientQueries:
    assess_risk = graphene.Field(RiskAssessment, required=True, patient=PatientInput(required=True))
    eligibility = graphene.List(graphene.NonNull(EligibilityResult), required=True,
                                patient=PatientInput(required=True), therapy_ids=graphene.List(graphene.NonNull(graphene.ID)))

    def resolve_assess_risk(root, info, patient):
        return risk_to_graphql(assess_record(to_patient_record(patient)))

    def resolve_eligibility(root, info, patient, therapy_ids=None):
        plan, assessment, curated = patient_plan(patient, get_settings().request_deadline_s)
        wanted = set(_therapy_ids(therapy_ids) or ())
        return [item_to_eligibility(i, plan, curated, assessment) for i in plan.items
                if not wanted or i.therapy_id in wanted or _in_family(i.therapy_id, wanted, curated)]


def _in_family(therapy_id: str, wanted: set[str], curated) -> bool:
    """A question about a class covers its drugs, and one about a drug covers its class."""
    return bool(curated.families.same(therapy_id) & wanted)


def item_to_eligibility(item, plan, curated, assessment) -> EligibilityResult:
    """One therapy of the plan in the eligibility shape (one row per therapy, the plan's verdict)."""
    rec = item.deciding.recommendation
    names = curated.names
    onto_names = [names.get(p, p) for p in rec.populations]
    return EligibilityResult(
        rank=item.rank, therapy_id=item.therapy_id, therapy_name=item.therapy_name, recommendation_id=rec.id,
        strength=item.strength, populations=onto_names or [rec.name], verdict=item.verdict,
        missing=missing_fields(item.missing, assessment), reasons=list(item.reasons),
        criteria=[CriterionResult(
            criterion_id=f"{rec.id}#{c.path}", text=check_text(c, names), variable=c.variable, operator=c.operator,
            threshold=json.dumps(c.value, default=str), unit=c.unit, role=c.role, status=c.status,
            patient_value=None if c.patient_value is None else json.dumps(c.patient_value, default=str),
            missing=c.missing, origin="curated", citations=[Citation.from_id(x) for x in (c.citations or rec.citations)])
            for c in item.deciding.checks],
        citations=[Citation.from_id(x) for x in rec.citations],
        next_if_fails=[NextOption(therapy_id=n.therapy_id, name=n.therapy_name, verdict=n.verdict,
                                  recommendation_id=n.deciding.recommendation.id)
                       for n in plan.next_if_fails.get(item.therapy_id, ())])


class ImportPatient(graphene.Mutation):
    """Turn a FHIR R4 Bundle or a GA4GH Phenopacket v2 into a PatientInput. Nothing is stored."""
    class Arguments:
        record = JSONString(required=True)

    Output = ImportedPatient

    def mutate(root, info, record):
        kind, result = import_record(record)
        return ImportedPatient(format=kind, patient=patient_record_to_input(result.patient),
                               provenance=[ProvenanceEntry(field=k, source=v) for k, v in result.provenance.items()],
                               unmapped=list(result.unmapped), notes=list(getattr(result, "notes", []) or []))


class PatientMutations:
    import_patient = ImportPatient.Field()


@dataclass(frozen=True)
class PatientAnswerParts:
    """What `ask` with a patient returns, before the root schema turns it into its Answer type."""
    answer: AnswerRecord
    eligibility: list
    treatment_plan: TreatmentPlan


def patient_answer(question: str, patient: dict | None, deadline_s: float, record=None) -> PatientAnswerParts:
    """ask(question, patient): the answer leads with the patient's treatment plan. `record` instead of
    `patient`: a PatientInput already built (from values typed into the question)."""
    result = answer_for_patient(get_graph(), get_answer_graph(deadline_s), question,
                                record if record is not None else to_patient_record(patient), get_settings(), deadline_s,
                                writer=get_writer(), sources=request_sources())
    plan, assessment, curated = result.plan, result.assessment, result.curated
    focus = set(result.question.focus_ids)
    eligibility = [item_to_eligibility(i, plan, curated, assessment) for i in plan.items
                   if not focus or _in_family(i.therapy_id, focus, curated)]
    return PatientAnswerParts(result.answer, eligibility, plan_to_graphql(plan, assessment, curated))


# ---- treatment plan (curated guideline logic) -----------------------------------------------------

def _vocab():
    return load_vocabulary()


Verdict = graphene.Enum("Verdict", [(t.id, t.id) for t in _vocab().verdicts],
                        description="What one therapy is for one patient, best first (ontology/data/vocabulary.yaml).")
Strength = graphene.Enum("Strength", [(t.id.upper(), t.id) for t in _vocab().strengths],
                         description="How strongly the curated guideline logic backs a therapy, strongest first.")
CriterionStatusEnum = graphene.Enum("CriterionStatus", [(t.id, t.id) for t in _vocab().criterion_statuses],
                                    description="MET, NOT_MET, or UNKNOWN when a value it needs is missing.")
CriterionRole = graphene.Enum("CriterionRole", [(t.id.upper(), t.id) for t in _vocab().criterion_roles],
                              description="What a criterion does: needed, rules a therapy out, or favours it.")


class VocabularyTerm(graphene.ObjectType):
    id = graphene.String(required=True, description="The value as the API sends it.")
    words = graphene.String(required=True, description="Plain words for a patient.")
    rank = graphene.Int(required=True, description="0 = best / strongest; the order every client should use.")


class GuidanceVocabulary(graphene.ObjectType):
    verdicts = graphene.List(graphene.NonNull(VocabularyTerm), required=True, description="Best first.")
    strengths = graphene.List(graphene.NonNull(VocabularyTerm), required=True, description="Strongest first.")
    root_concept = graphene.ID(required=True, description="The disease every MDS population descends from.")


def vocabulary_to_graphql() -> GuidanceVocabulary:
    v = _vocab()
    return GuidanceVocabulary(
        verdicts=[VocabularyTerm(id=t.id, words=t.words, rank=i) for i, t in enumerate(v.verdicts)],
        strengths=[VocabularyTerm(id=t.id.upper(), words=t.words, rank=i) for i, t in enumerate(v.strengths)],
        root_concept=v.root_concept)


class PlanCriterion(graphene.ObjectType):
    text = graphene.String(required=True, description="The criterion in plain words.")
    variable = graphene.String(required=True, description="The criterion variable (ontology/data/model.yaml).")
    input_field = graphene.String(required=True, description="The PatientInput field that gives this value.")
    operator = graphene.String(required=True)
    threshold = graphene.String(required=True, description="The criterion's value (JSON).")
    unit = graphene.String()
    role = graphene.Field(CriterionRole, required=True)
    status = graphene.Field(CriterionStatusEnum, required=True)
    patient_value = graphene.String(description="The patient's value (JSON); null when missing.")
    group_path = graphene.String(required=True, description="Where the criterion sits in the rule, e.g. requires.any_of[1].")
    citations = graphene.List(graphene.NonNull(Citation), required=True)


class PlanNext(graphene.ObjectType):
    therapy_id = graphene.ID(required=True)
    therapy_name = graphene.String(required=True)
    verdict = graphene.Field(Verdict, required=True)
    strength = graphene.Field(Strength, required=True)


class PlanOption(graphene.ObjectType):
    rank = graphene.Int(required=True, description="The server's ranking: 1 = first to discuss.")
    therapy_id = graphene.ID(required=True)
    therapy_name = graphene.String(required=True)
    verdict = graphene.Field(Verdict, required=True)
    strength = graphene.Field(Strength, required=True, description="Of the curated recommendation that decides the verdict.")
    recommendation_id = graphene.ID(required=True)
    recommendation_name = graphene.String(required=True)
    summary = graphene.String(description="The recommendation in plain words.")
    line = graphene.String(description="first_line | after_failure | any | supportive")
    evidence_level = graphene.String(description="high | moderate | low | regulatory")
    evidence_basis = graphene.String()
    reasons = graphene.List(graphene.NonNull(graphene.String), required=True, description="Why, in plain words.")
    missing = graphene.List(graphene.NonNull(graphene.String), required=True,
                            description="With UNKNOWN: the PatientInput fields that would decide it.")
    ruled_out_by = graphene.List(graphene.NonNull(PlanCriterion), required=True,
                                 description="With NOT_ELIGIBLE / NOT_RECOMMENDED: the criteria that rule it out.")
    criteria = graphene.List(graphene.NonNull(PlanCriterion), required=True)
    citations = graphene.List(graphene.NonNull(Citation), required=True)
    next_if_fails = graphene.List(graphene.NonNull(PlanNext), required=True,
                                  description="What the plan offers if this therapy fails or is not tolerated.")


class PlanChange(graphene.ObjectType):
    input_field = graphene.String(required=True, description="The PatientInput field whose value would change the plan.")
    variable = graphene.String(required=True)
    criterion = graphene.String(required=True, description="The criterion in plain words.")
    therapy_id = graphene.ID(required=True)
    therapy_name = graphene.String(required=True)
    now = graphene.Field(Verdict, required=True)
    would_be = graphene.Field(Verdict, required=True)
    direction = graphene.String(required=True, description="'if met' or 'if not met': which way the value would have to go.")
    text = graphene.String(required=True, description="The change in plain words.")


class TreatmentPlan(graphene.ObjectType):
    risk_group = graphene.String(description="lower | higher, when determined.")
    risk_group_basis = graphene.String()
    preferred = graphene.List(graphene.NonNull(PlanOption), required=True,
                              description="The option(s) to discuss first: offered, at the strongest strength offered.")
    options = graphene.List(graphene.NonNull(PlanOption), required=True, description="Other options, ranked.")
    unknown = graphene.List(graphene.NonNull(PlanOption), required=True,
                            description="Cannot be judged yet: each names the missing values.")
    ruled_out = graphene.List(graphene.NonNull(PlanOption), required=True,
                              description="Ruled out for this patient, each with the criterion that rules it out.")
    ranking = graphene.List(graphene.NonNull(PlanOption), required=True,
                            description="Every therapy in the server's order (the order clients must show).")
    changes = graphene.List(graphene.NonNull(PlanChange), required=True,
                            description="Values that would change the plan, and in which direction.")
    missing = graphene.List(graphene.NonNull(graphene.String), required=True,
                            description="PatientInput fields that would settle the UNKNOWN options.")
    guidance_version = graphene.String(required=True, description="Version of the curated guideline logic used.")
    warnings = graphene.List(graphene.NonNull(graphene.String), required=True)


def _plan_criterion(c, names) -> PlanCriterion:
    return PlanCriterion(text=check_text(c, names), variable=c.variable, input_field=INPUT_FIELD.get(c.variable, c.variable),
                         operator=c.operator, threshold=json.dumps(c.value, default=str), unit=c.unit, role=c.role,
                         status=c.status, patient_value=None if c.patient_value is None else json.dumps(
                             c.patient_value, default=str), group_path=c.path,
                         citations=[Citation.from_id(x) for x in c.citations])


def _plan_option(item, plan, names, assessment) -> PlanOption:
    rec = item.deciding.recommendation
    return PlanOption(
        rank=item.rank, therapy_id=item.therapy_id, therapy_name=item.therapy_name, verdict=item.verdict,
        strength=item.strength, recommendation_id=rec.id, recommendation_name=rec.name, summary=rec.summary or None,
        line=rec.line, evidence_level=rec.evidence.level or None, evidence_basis=rec.evidence.basis or None,
        reasons=list(item.reasons), missing=missing_fields(item.missing, assessment),
        ruled_out_by=[_plan_criterion(c, names) for c in item.ruled_out_by],
        criteria=[_plan_criterion(c, names) for c in item.deciding.checks],
        citations=[Citation.from_id(x) for x in (item.ruled_out_by_recommendation or rec).citations],
        next_if_fails=[PlanNext(therapy_id=n.therapy_id, therapy_name=n.therapy_name, verdict=n.verdict,
                                strength=n.strength) for n in plan.next_if_fails.get(item.therapy_id, ())])


SHORT_VERDICT = {"FAVOURED": "a good fit", "POSSIBLE": "an option", "POSSIBLE_LESS_LIKELY": "an option with a lower chance of response",
                 "UNKNOWN": "undecided", "NOT_ELIGIBLE": "not a fit", "NOT_RECOMMENDED": "ruled out"}


def change_text(change, names) -> str:
    """"Serum EPO above 500 mU/mL (now: not the case): ESA would go from an option to not a fit"."""
    criterion = check_text(change.criterion, names)
    now_status = {"MET": "true now", "NOT_MET": "not true now", "UNKNOWN": "not known yet"}[change.criterion.status]
    turn = "turned out true" if change.direction == "if met" else "turned out not true"
    if change.criterion.status == "MET":
        turn = "stopped being true"
    elif change.criterion.status == "NOT_MET":
        turn = "became true"
    return (f"“{criterion}” ({now_status}): if that {turn}, {change.therapy_name} would go from "
            f"{SHORT_VERDICT.get(change.now, change.now)} to {SHORT_VERDICT.get(change.would_be, change.would_be)}.")


def plan_to_graphql(plan, assessment, curated) -> TreatmentPlan:
    names = curated.names
    option = lambda i: _plan_option(i, plan, names, assessment)  # noqa: E731
    values = assessment.criterion_values
    m, r = assessment.ipssm, assessment.ipssr
    basis = ("IPSS-M" if m.risk_group else ("IPSS-R" if r.risk_group else "IPSS")) if "risk_group" in values else None
    versions = sorted({i.deciding.recommendation.version for i in plan.items if i.deciding.recommendation.version})
    return TreatmentPlan(
        risk_group=values.get("risk_group"), risk_group_basis=basis,
        preferred=[option(i) for i in plan.preferred], options=[option(i) for i in plan.options],
        unknown=[option(i) for i in plan.unknown], ruled_out=[option(i) for i in plan.ruled_out],
        ranking=[option(i) for i in plan.items],
        changes=[PlanChange(input_field=c.input_field, variable=c.variable,
                            criterion=_plan_criterion(c.criterion, names).text, therapy_id=c.therapy_id,
                            therapy_name=c.therapy_name, now=c.now, would_be=c.would_be, direction=c.direction,
                            text=change_text(c, names)) for c in plan.changes],
        missing=missing_fields(plan.missing, assessment), guidance_version="+".join(versions) or "none",
        warnings=list(assessment.warnings))


def patient_plan(patient: dict, deadline_s: float | None):
    """(plan, assessment, curated) for a GraphQL PatientInput."""
    assessment = assess_record(to_patient_record(patient))
    curated = read_curated(get_answer_graph(deadline_s), deadline_s)
    plan = plan_for_patient(assessment, curated)
    return plan, assessment, curated


class PlanQueries:
    treatment_plan = graphene.Field(TreatmentPlan, required=True, patient=PatientInput(required=True),
                                    description="The patient's ranked treatment plan from the curated guideline logic.")
    guidance_vocabulary = graphene.Field(GuidanceVocabulary, required=True,
                                         description="Verdicts and strengths in the order every client should use.")

    def resolve_treatment_plan(root, info, patient):
        plan, assessment, curated = patient_plan(patient, get_settings().request_deadline_s)
        return plan_to_graphql(plan, assessment, curated)

    def resolve_guidance_vocabulary(root, info):
        return vocabulary_to_graphql()


# ---- trial matching -----------------------------------------------------------------------------

class TrialCriterionResult(graphene.ObjectType):
    text = graphene.String(required=True, description="The criterion as read from the trial record, in plain words.")
    variable = graphene.String(required=True)
    input_field = graphene.String(required=True, description="The PatientInput field that gives this value.")
    operator = graphene.String(required=True)
    threshold = graphene.String(required=True, description="The criterion's value (JSON).")
    unit = graphene.String()
    role = graphene.String(required=True, description="required (inclusion) | excludes (exclusion)")
    status = graphene.Field(CriterionStatusEnum, required=True)
    missing = graphene.String(description="With UNKNOWN: the value that is missing.")


class TrialMatchResult(graphene.ObjectType):
    nct_id = graphene.String(required=True)
    name = graphene.String(required=True)
    title = graphene.String()
    phase = graphene.String()
    status = graphene.String(description="Recruitment status as recorded.")
    url = graphene.String()
    verdict = graphene.Field(Verdict, required=True,
                             description="POSSIBLE (every criterion read is met), UNKNOWN or NOT_ELIGIBLE.")
    reasons = graphene.List(graphene.NonNull(graphene.String), required=True)
    missing = graphene.List(graphene.NonNull(graphene.String), required=True,
                            description="PatientInput fields that would settle the unknown criteria.")
    criteria = graphene.List(graphene.NonNull(TrialCriterionResult), required=True)
    therapies = graphene.List(graphene.NonNull(graphene.String), required=True, description="What the trial tests.")


MAX_TRIALS = 500


def trials_for_patient(patient: dict, nct_ids=None):
    deadline = get_settings().request_deadline_s
    assessment = assess_record(to_patient_record(patient))
    if nct_ids is not None and len(nct_ids) > MAX_LIST:
        raise UserFacingError(f"`nctIds` has more than {MAX_LIST} items.")
    rows = trials_with_criteria(get_answer_graph(deadline), nct_ids=list(nct_ids) if nct_ids else None,
                                limit=MAX_TRIALS, timeout_s=deadline)
    out = []
    for m in match_trials([r.as_dict() for r in rows], assessment.criterion_values):
        out.append(TrialMatchResult(
            nct_id=m.nct_id, name=m.name, title=m.title, phase=m.phase, status=m.status, url=m.url,
            verdict=m.verdict, reasons=list(m.reasons),
            missing=[INPUT_FIELD.get(x, x) for x in m.missing],
            criteria=[TrialCriterionResult(text=c.text, variable=c.variable, input_field=INPUT_FIELD.get(c.variable, c.variable),
                                           operator=c.operator, threshold=json.dumps(c.value, default=str), unit=c.unit,
                                           role=c.role, status=c.status, missing=c.missing) for c in m.checks],
            therapies=list(m.therapies)))
    return out


class TrialQueries:
    trials = graphene.List(graphene.NonNull(TrialMatchResult), required=True, patient=PatientInput(required=True),
                           nct_ids=graphene.List(graphene.NonNull(graphene.String),
                                                 description="Only these trials (NCT ids); all loaded trials when absent."),
                           description="The loaded trials, each criterion checked against the patient with the same "
                                       f"evaluator as the therapy verdicts (at most {MAX_TRIALS}).")

    def resolve_trials(root, info, patient, nct_ids=None):
        return trials_for_patient(patient, nct_ids)

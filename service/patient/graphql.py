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
from mdskg.scopes import is_conditional
from ontology.guidance import load_vocabulary
from service.errors import UserFacingError
from service.extensions import get_answer_graph, get_graph, get_settings, get_writer, request_sources
from service.graphql_types import (
    Citation,
    CriterionRole,
    CytogeneticGroup,
    PatientField,
    RiskCategory,
    RiskGroup,
    RiskScheme,
    TypedValue,
    connection_types,
    described_enum,
    offset_connection,
    page_bounds,
    patient_fields,
    typed_value,
)

from . import record as patient_record
from .answer import answer_for_patient
from .api_fields import api_fields
from .guidance import check_text, missing_fields, plan_for_patient, read_curated
from .inputs import MAX_LIST, assess_record, import_record, patient_record_to_input, to_patient_record
from .plan import INPUT_FIELD
from .record import BEST_RESPONSES, CELLULARITY_VALUES, ESA_STATUSES, RESPONSES
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
    attrs: dict[str, Any] = {"__doc__": _INPUT_DOCS.get(record.__name__)}
    for f in api_fields(record):
        of: Any = _SCALARS.get(f.base) or input_type(f.base)
        if f.many:
            of = graphene.List(graphene.NonNull(of))
        description = f.description or _INPUT_WORDS.get(f.name)
        if f.name in _ENUM_OF_INPUT:
            lead = description if not description or description.endswith(".") else f"{description}."
            description = (f"{lead} " if lead else "") + (
                f"Values of the {_ENUM_OF_INPUT[f.name]} enum, in any case (e.g. as importPatient returns them).")
        options: dict[str, Any] = {"description": description}
        if f.required:
            options["required"] = True
        elif not f.many and f.base not in _SCALARS:
            options["default_value"] = None  # printed `= null`, as the hand-written inputs had it
        attrs[f.name] = graphene.InputField(of, **options)
    name = record.__name__ if record.__name__.endswith("Input") else f"{record.__name__}Input"
    return type(name, (graphene.InputObjectType,), attrs)


_INPUT_DOCS = {
    "PatientInput": "A patient's values, each optional: what is not given is never guessed (verdicts that need it are "
                    "UNKNOWN, naming the field). Units are stated per field; a QuantityInput carries its own unit.",
    "Mutation": "A gene variant found in the patient's marrow or blood.",
    "Quantity": "A value with its unit; the unit is converted (a unit the service does not know is an error).",
    "PriorTherapy": "A treatment the patient had before, and how it went.",
}
_INPUT_WORDS = {
    "sex": "Sex: male, female or other.",
    "marrow_blasts_pct": "Bone-marrow blasts, % (0-100).",
    "marrow_cellularity_pct": "Bone-marrow cellularity, % (0-100), not adjusted for age.",
    "mutations": "Gene variants found; give `sequencedGenes` too so a gene that was tested and not found counts as "
                 "not mutated.",
    "sequenced_genes": "HGNC symbols of the genes the sequencing panel covered.",
    "hemoglobin": "Hemoglobin, e.g. {value: 9.1, unit: \"g/dL\"} (g/dL, g/L, mmol/L).",
    "platelets": "Platelet count, e.g. {value: 85, unit: \"10^9/L\"} (10^9/L, /uL).",
    "anc": "Absolute neutrophil count, e.g. {value: 1.2, unit: \"10^9/L\"} (10^9/L, /uL).",
    "serum_epo": "Serum erythropoietin, e.g. {value: 120, unit: \"mU/mL\"} (mU/mL = U/L).",
    "transfusion_units_per_8wk": "Red-cell units transfused in the last 8 weeks (0 or more).",
    "transfusion_dependent": "Needs regular red-cell transfusions.",
    "ring_sideroblasts_pct": "Ring sideroblasts among erythroid precursors, % (0-100).",
    "pnh_clone": "A PNH clone was found by flow cytometry.",
    "hla_dr15": "Carries HLA-DR15.",
    "stat3_t_cell_clone": "A STAT3-mutant T-cell clone was found.",
    "prior_therapies": "Treatments so far, each with how it went.",
    "transplant_candidate": "Fit for, willing to have, and with a donor for an allogeneic transplant.",
    "ecog": "ECOG performance status, a whole number from 0 to 5.",
    "value": "The number, in `unit`.",
}
# Input fields that take the values of an enum as strings.
_ENUM_OF_INPUT = {"sex": "Sex", "marrow_cellularity": "Cellularity", "esa_status": "EsaStatus",
                  "ipssr_cytogenetic_group": "CytogeneticGroup", "risk_group": "RiskGroup", "response": "TherapyResponse",
                  "best_response": "BestResponse", "origin": "MutationOrigin"}

QuantityInput = input_type(patient_record.Quantity)
MutationInput = input_type(patient_record.Mutation)
PriorTherapyInput = input_type(patient_record.PriorTherapy)
PatientInput = input_type(patient_record.PatientInput)

# ---- closed vocabularies of patient values --------------------------------------------------------------
# PatientInput takes these as strings (any case, so an enum name such as HYPOCELLULAR is accepted as is); the
# typed patient importPatient returns (PatientValues) uses the enums, so it can be sent back unchanged.

Sex = described_enum("Sex", ["male", "female", "other"], "Sex as recorded.", lambda v: v.capitalize() + ".")
Cellularity = described_enum(
    "Cellularity", list(CELLULARITY_VALUES), "Bone-marrow cellularity for age (ontology/data/model.yaml).",
    lambda v: {"hypocellular": "Fewer marrow cells than usual for the age.", "normocellular": "As usual for the age.",
               "hypercellular": "More marrow cells than usual for the age."}[v])
EsaStatus = described_enum(
    "EsaStatus", list(ESA_STATUSES), "Experience with erythropoiesis-stimulating agents (ontology/data/model.yaml).",
    lambda v: {"naive": "Never had one.", "responding": "Responding now.",
               "responded_then_lost": "Responded, then lost the response.", "refractory": "No response.",
               "intolerant": "Not tolerated.", "ineligible": "Not suitable."}[v])
TherapyResponse = described_enum(
    "TherapyResponse", list(RESPONSES), "How an earlier treatment went.",
    lambda v: {"response": "It worked.", "no_response": "It did not work.", "relapse": "It worked, then stopped working.",
               "intolerant": "It was not tolerated."}[v])
BestResponse = described_enum(
    "BestResponse", list(BEST_RESPONSES), "The best response an earlier treatment reached (IWG response criteria).",
    lambda v: v.replace("_", " ").capitalize() + ".")
MutationOrigin = described_enum("MutationOrigin", ["somatic", "germline"], "Where a variant comes from.",
                                lambda v: {"somatic": "Acquired (in the disease's cells).",
                                           "germline": "Inherited (in every cell)."}[v])
RecordFormat = described_enum("RecordFormat", ["fhir", "phenopacket"], "The format of an imported record.",
                              lambda v: {"fhir": "A FHIR R4 Bundle.", "phenopacket": "A GA4GH Phenopacket v2."}[v])

# Output enums of the typed patient, by dataclass field.
_VALUE_ENUMS: dict[str, Any] = {"sex": Sex, "marrow_cellularity": Cellularity, "esa_status": EsaStatus,
                                "ipssr_cytogenetic_group": CytogeneticGroup, "risk_group": RiskGroup,
                                "response": TherapyResponse, "best_response": BestResponse, "origin": MutationOrigin}


def _canonical(name: str, value: str) -> str | None:
    """A category value as its id, with the aliases PatientInput accepts ('hypo', 'low', 'M') resolved by the
    record's own reading of the field."""
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    if name in {"sex", "marrow_cellularity", "esa_status", "ipssr_cytogenetic_group", "risk_group"}:
        try:
            normalised = patient_record.normalise(patient_record.PatientInput(**{name: value}))
        except (patient_record.PatientValueError, TypeError, ValueError):
            return None
        return getattr(normalised, name, None)
    return key


@cache
def output_type(record: type) -> type[graphene.ObjectType]:
    """The output twin of input_type(record): the same field names and shapes, closed vocabularies as enums,
    so a client can send the object back as the input (after dropping `__typename`)."""
    attrs: dict[str, Any] = {"__doc__": f"The values of a {input_type(record)._meta.name}, as the API read them: "
                                        "send them back as that input unchanged."}
    for f in api_fields(record):
        of: Any = _VALUE_ENUMS.get(f.name) or _SCALARS.get(f.base) or output_type(f.base)
        if f.many:
            of = graphene.List(graphene.NonNull(of))
        attrs[f.name] = graphene.Field(of, required=f.required, description=f.description or _OUT_WORDS.get(f.name)
                                       or "As in the input.")
    name = record.__name__.removesuffix("Input")
    return type("PatientValues" if name == "Patient" else f"{name}Value", (graphene.ObjectType,), attrs)


_OUT_WORDS = {"value": "The number, in `unit`."}


def patient_values(data: dict[str, Any] | None):
    """A camelCase PatientInput mapping → the typed PatientValues (enums for closed vocabularies)."""
    if data is None:
        return None
    from .fields import camel

    names = {camel(f.name): f.name for record in (patient_record.PatientInput, patient_record.Mutation,
                                                   patient_record.PriorTherapy, patient_record.Quantity)
             for f in api_fields(record)}

    def to_snake_case(key: str) -> str:
        return names.get(key, key)

    def enum_value(name, value):
        if name in _VALUE_ENUMS and isinstance(value, str):
            key = _canonical(name, value)
            return key if key in {m.value for m in _VALUE_ENUMS[name]._meta.enum} else None
        return value

    def walk(value, name=None):
        if isinstance(value, dict):
            return {to_snake_case(k): walk(v, to_snake_case(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, name) for v in value]
        return enum_value(name, value)

    return walk(data)


# ---- risk -----------------------------------------------------------------------------------------

class ScoreComponent(graphene.ObjectType):
    """One input of a score and what it contributes."""

    name = graphene.String(required=True, description="The input as the score names it (IPSS-M: the reference "
                                                       "implementation's names, e.g. HB1, TP53multi).")
    value = graphene.String(description="The patient's value (JSON), null when missing.",
                            deprecation_reason="Use `observed` (typed, no JSON parsing).")
    observed = graphene.Field(TypedValue, description="The patient's value, typed; null when missing.")
    points = graphene.Float(description="Points or contribution; null when the value is missing.")

    def resolve_observed(self, info):
        return typed_value(getattr(self, "_raw", None))


class RiskScore(graphene.ObjectType):
    """One prognostic score for the patient, with the range the missing values leave open."""

    scheme = graphene.String(required=True, description="IPSS | IPSS-R | IPSS-RA | IPSS-M",
                             deprecation_reason="Use `scoringSystem` (an enum: IPSS_R for IPSS-R).")
    scoring_system = graphene.Field(RiskScheme, required=True, description="Which score this is.")
    score = graphene.Float(description="Null when missing inputs leave it undetermined.")
    category = graphene.String(description="Null when missing inputs span more than one category.",
                               deprecation_reason="Use `riskCategory` (an enum).")
    risk_category = graphene.Field(RiskCategory, description="Null when missing inputs span more than one category.")
    score_min = graphene.Float(description="Lowest (best) score the missing inputs allow.")
    score_max = graphene.Float(description="Highest (worst) score the missing inputs allow.")
    category_best = graphene.String(description="Best category the missing inputs allow.",
                                    deprecation_reason="Use `riskCategoryBest` (an enum).")
    category_worst = graphene.String(description="Worst category the missing inputs allow.",
                                     deprecation_reason="Use `riskCategoryWorst` (an enum).")
    risk_category_best = graphene.Field(RiskCategory, description="Best category the missing inputs allow.")
    risk_category_worst = graphene.Field(RiskCategory, description="Worst category the missing inputs allow.")
    risk_group = graphene.String(description="lower | higher (treatment group), null when undetermined.",
                                 deprecation_reason="Use `treatmentGroup` (an enum).")
    treatment_group = graphene.Field(RiskGroup, description="Lower- or higher-risk treatment group; null when "
                                                            "undetermined.")
    components = graphene.List(graphene.NonNull(ScoreComponent), required=True, description="What each input adds.")
    missing = graphene.List(graphene.NonNull(graphene.String), required=True,
                            description="Inputs the score lacks, in the score's own names.",
                            deprecation_reason="Use `missingFields` (named by PatientInput field).")
    missing_fields = graphene.List(graphene.NonNull(PatientField), required=True,
                                   description="PatientInput fields that would settle the score (genes as `detail` "
                                               "of `mutations`).")

    def resolve_scoring_system(self, info):
        return self.scheme

    def resolve_risk_category(self, info):
        return self.category

    def resolve_risk_category_best(self, info):
        return self.category_best

    def resolve_risk_category_worst(self, info):
        return self.category_worst

    def resolve_treatment_group(self, info):
        return self.risk_group

    def resolve_missing_fields(self, info):
        return patient_fields(self.missing)


class KaryotypeInfo(graphene.ObjectType):
    """What the karyotype (ISCN) was read as."""

    findings = graphene.List(graphene.NonNull(graphene.String), required=True,
                             description="Findings recognised (ids of the karyotype_findings variable: del5q, plus8, …).")
    abnormality_count = graphene.Int(description="Number of abnormalities, when the whole karyotype was understood.")
    ipssr_group = graphene.String(description="IPSS-R cytogenetic group.",
                                  deprecation_reason="Use `ipssrCytogeneticGroup` (an enum).")
    ipssr_cytogenetic_group = graphene.Field(CytogeneticGroup, description="IPSS-R cytogenetic group.")
    ipss_group = graphene.String(description="IPSS cytogenetic group: good | intermediate | poor.")
    warnings = graphene.List(graphene.NonNull(graphene.String), required=True,
                             description="Parts of the karyotype that could not be read, in plain words.")

    def resolve_ipssr_cytogenetic_group(self, info):
        return self.ipssr_group


class RiskAssessment(graphene.ObjectType):
    """The patient's prognostic scores and treatment risk group."""

    ipss = graphene.Field(RiskScore, required=True, description="IPSS.")
    ipssr = graphene.Field(RiskScore, required=True, description="IPSS-R.")
    ipssr_age_adjusted = graphene.Field(RiskScore, description="IPSS-R adjusted for age, when the age is given.")
    ipssm = graphene.Field(RiskScore, required=True, description="IPSS-M.")
    risk_group = graphene.String(description="The lower/higher-risk group used for treatment choices, when determined.",
                                 deprecation_reason="Use `treatmentGroup` (an enum).")
    treatment_group = graphene.Field(RiskGroup, description="The risk group used for treatment choices, when "
                                                            "determined.")
    risk_group_basis = graphene.String(description="Which score the risk group comes from.",
                                       deprecation_reason="Use `treatmentGroupBasis` (an enum).")
    treatment_group_basis = graphene.Field(RiskScheme, description="Which score the treatment group comes from.")
    karyotype = graphene.Field(KaryotypeInfo, description="The karyotype as read, when one was given.")
    warnings = graphene.List(graphene.NonNull(graphene.String), required=True,
                             description="Values to check (e.g. a hemoglobin outside 4-20 g/dL), in plain words.")

    def resolve_treatment_group(self, info):
        return self.risk_group

    def resolve_treatment_group_basis(self, info):
        return self.risk_group_basis


def _components(components) -> list[ScoreComponent]:
    out = []
    for c in components:
        component = ScoreComponent(name=c.name, value=None if c.value is None else json.dumps(c.value, default=str),
                                   points=c.points)
        component._raw = c.value
        out.append(component)
    return out


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
    """One criterion of the recommendation that decides a therapy's verdict, checked for the patient."""

    criterion_id = graphene.ID(required=True, description="The recommendation's id and where the criterion sits in "
                                                          "its rule (not a Node id).")
    text = graphene.String(required=True, description="The criterion in plain words.")
    variable = graphene.String(required=True, description="The criterion variable (ontology/data/model.yaml).")
    patient_field = graphene.Field(PatientField, required=True, description="The PatientInput field that gives it.")
    operator = graphene.String(required=True, description="Comparison operator (see CriterionInfo.operator).")
    threshold = graphene.String(required=True, description="The criterion's value (JSON).",
                                deprecation_reason="Use `value` (typed, no JSON parsing).")
    value = graphene.Field(TypedValue, required=True, description="The criterion's value, typed.")
    unit = graphene.String(description="Unit of the value, when it has one.")
    role = graphene.String(required=True, description="required | favours | excludes",
                           deprecation_reason="Use `criterionRole` (an enum).")
    criterion_role = graphene.Field(CriterionRole, required=True, description="What the criterion does.")
    status = graphene.Field(lambda: CriterionStatusEnum, required=True, description="MET | NOT_MET | UNKNOWN")
    patient_value = graphene.String(description="The patient's value (JSON); null when missing.",
                                    deprecation_reason="Use `observed` (typed, no JSON parsing).")
    observed = graphene.Field(TypedValue, description="The patient's value, typed; null when missing.")
    missing = graphene.String(description="With UNKNOWN: the value that is missing.",
                              deprecation_reason="Use `patientField` (named by PatientInput field).")
    origin = graphene.String(required=True, description="curated (the project's curated guideline logic)")
    citations = graphene.List(graphene.NonNull(Citation), required=True, description="Sources of the criterion.")


class NextOption(graphene.ObjectType):
    """A therapy the plan offers if this one fails or is not tolerated."""

    therapy_id = graphene.ID(required=True, description="Id of the therapy (an Entity).")
    name = graphene.String(required=True, description="Name of the therapy.")
    verdict = graphene.Field(lambda: Verdict, required=True, description="Its verdict for this patient.")
    recommendation_id = graphene.ID(required=True, description="Id of the recommendation that decides it.")


class EligibilityResult(graphene.ObjectType):
    """One therapy for one patient: one row per therapy, with the verdict of the treatment plan."""

    rank = graphene.Int(required=True, description="1 = best fit for this patient.")
    therapy_id = graphene.ID(required=True, description="Id of the therapy (an Entity).")
    therapy_name = graphene.String(required=True, description="Name of the therapy.")
    recommendation_id = graphene.ID(required=True, description="The curated recommendation that decides the verdict.")
    strength = graphene.String(required=True, description="Strength of that recommendation (lower case).",
                               deprecation_reason="Use `recommendationStrength` (an enum).")
    recommendation_strength = graphene.Field(lambda: Strength, required=True,
                                             description="Strength of that recommendation.")
    populations = graphene.List(graphene.NonNull(graphene.String), required=True,
                                description="Who the recommendation is for, in words.")
    verdict = graphene.Field(lambda: Verdict, required=True, description="The therapy's one verdict for this patient.")
    missing = graphene.List(graphene.NonNull(graphene.String), required=True,
                            description="With UNKNOWN: the PatientInput fields that would decide it.",
                            deprecation_reason="Use `missingFields` (with labels).")
    missing_fields = graphene.List(graphene.NonNull(PatientField), required=True,
                                   description="With UNKNOWN: the PatientInput fields that would decide it.")
    reasons = graphene.List(graphene.NonNull(graphene.String), required=True,
                            description="Why, in plain words; `criteria` has the machine-readable checks.")
    criteria = graphene.List(graphene.NonNull(CriterionResult), required=True,
                             description="Each criterion of the deciding recommendation, checked.")
    citations = graphene.List(graphene.NonNull(Citation), required=True, description="Sources of the recommendation.")
    next_if_fails = graphene.List(graphene.NonNull(NextOption), required=True,
                                  description="What the plan offers if this therapy fails or is not tolerated.")

    def resolve_recommendation_strength(self, info):
        return self.strength

    def resolve_missing_fields(self, info):
        return patient_fields(self.missing)


def _therapy_ids(ids):
    if ids is None:
        return None
    if len(ids) > MAX_LIST:
        raise UserFacingError(f"`therapyIds` has more than {MAX_LIST} items.")
    return [str(i) for i in ids]


# ---- import ---------------------------------------------------------------------------------------

class ProvenanceEntry(graphene.ObjectType):
    """Where one imported value came from in the record."""

    field = graphene.String(required=True, description="The patient value (a record field name).")
    source = graphene.String(required=True, description="Where in the record it was read (resource, code).")


class ImportedPatient(graphene.ObjectType):
    """A patient read from a FHIR Bundle or a Phenopacket; nothing is stored."""

    format = graphene.String(required=True, description="fhir | phenopacket",
                             deprecation_reason="Use `recordFormat` (an enum).")
    record_format = graphene.Field(RecordFormat, required=True, description="The format the record was read as.")
    patient = graphene.Field(JSONString, required=True, description="A PatientInput as JSON in a string.",
                             deprecation_reason="Use `values`: the same patient typed, to send back as PatientInput "
                                                "without JSON parsing.")
    values = graphene.Field(lambda: PatientValues, required=True,
                            description="The patient, typed: send it back as `PatientInput` unchanged (drop "
                                        "`__typename`).")
    provenance = graphene.List(graphene.NonNull(ProvenanceEntry), required=True,
                               description="Where each value came from.")
    unmapped = graphene.List(graphene.NonNull(graphene.String), required=True,
                             description="Parts of the record that were not used, in plain words.")
    notes = graphene.List(graphene.NonNull(graphene.String), required=True, description="Things to check, in plain words.")

    def resolve_record_format(self, info):
        return self.format

    def resolve_values(self, info):
        return patient_values(self.patient)


_PATIENT_ARG = "The patient's values (POST only; used for this request, never stored or logged)."


class PatientQueries:
    assess_risk = graphene.Field(RiskAssessment, required=True, patient=PatientInput(required=True, description=_PATIENT_ARG),
                                 description="IPSS, IPSS-R and IPSS-M for a patient, with what is missing. POST only.")
    eligibility = graphene.List(
        graphene.NonNull(EligibilityResult), required=True, patient=PatientInput(required=True, description=_PATIENT_ARG),
        therapy_ids=graphene.List(graphene.NonNull(graphene.ID), description=f"Only these therapies (and their classes "
                                  f"or drugs); at most {MAX_LIST}."),
        description="One row per therapy with the treatment plan's verdict (the same as `treatmentPlan { ranking }`). "
                    "POST only.")

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
            criterion_id=f"{rec.id}#{c.path}", text=check_text(c, names), variable=c.variable,
            patient_field=patient_fields([c.variable])[0], operator=c.operator,
            threshold=json.dumps(c.value, default=str), value=typed_value(c.value, c.operator), unit=c.unit,
            role=c.role, criterion_role=c.role, status=c.status,
            patient_value=None if c.patient_value is None else json.dumps(c.patient_value, default=str),
            observed=typed_value(c.patient_value), missing=c.missing, origin="curated",
            citations=[Citation.from_id(x) for x in (c.citations or rec.citations)])
            for c in item.deciding.checks],
        citations=[Citation.from_id(x) for x in rec.citations],
        next_if_fails=[NextOption(therapy_id=n.therapy_id, name=n.therapy_name, verdict=n.verdict,
                                  recommendation_id=n.deciding.recommendation.id)
                       for n in plan.next_if_fails.get(item.therapy_id, ())])


class ImportPatient(graphene.Mutation):
    """Turn a FHIR R4 Bundle or a GA4GH Phenopacket v2 into a PatientInput. Nothing is stored."""
    class Arguments:
        record = JSONString(required=True, description="The record: FHIR R4 Bundle or Phenopacket v2 JSON (a string, "
                                                       f"or an object in variables; at most {MAX_RECORD_CHARS} characters).")

    Output = ImportedPatient

    def mutate(root, info, record):
        kind, result = import_record(record)
        return ImportedPatient(format=kind, patient=patient_record_to_input(result.patient),
                               provenance=[ProvenanceEntry(field=k, source=v) for k, v in result.provenance.items()],
                               unmapped=list(result.unmapped), notes=list(getattr(result, "notes", []) or []))


PatientValues = output_type(patient_record.PatientInput)


class PatientMutations:
    import_patient = ImportPatient.Field(description="Read a FHIR R4 Bundle or a GA4GH Phenopacket v2 into a patient; "
                                                     "nothing is stored. POST only.")


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


def _vocabulary_enum(name: str, kind: str, description: str, upper: bool):
    terms = getattr(_vocab(), kind)
    words = {t.id: t.words for t in terms}
    return graphene.Enum(name, [(t.id.upper() if upper else t.id, t.id) for t in terms],
                         description=lambda m: description if m is None else words[m.value][:1].upper() + words[m.value][1:]
                         + ("" if words[m.value].endswith(".") else "."))


Verdict = _vocabulary_enum("Verdict", "verdicts", "What one therapy is for one patient, best first "
                                                  "(ontology/data/vocabulary.yaml).", upper=False)
Strength = _vocabulary_enum("Strength", "strengths", "How strongly the curated guideline logic backs a therapy, "
                                                     "strongest first.", upper=True)
CriterionStatusEnum = _vocabulary_enum("CriterionStatus", "criterion_statuses",
                                       "MET, NOT_MET, or UNKNOWN when a value it needs is missing.", upper=False)
TherapyLine = _vocabulary_enum("TherapyLine", "lines", "When in the course of treatment a recommendation applies.",
                               upper=True)
EvidenceLevel = _vocabulary_enum("EvidenceLevel", "evidence_levels", "What kind of evidence backs a recommendation.",
                                 upper=True)


class VocabularyTerm(graphene.ObjectType):
    """One term of a guidance vocabulary, with its words and order."""

    id = graphene.String(required=True, description="The value as the API sends it.")
    words = graphene.String(required=True, description="Plain words for a patient.")
    rank = graphene.Int(required=True, description="0 = best / strongest; the order every client should use.")


class GuidanceVocabulary(graphene.ObjectType):
    """The words and order of verdicts and strengths, so no client needs its own table."""

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
    """One criterion of a recommendation, checked for the patient."""

    text = graphene.String(required=True, description="The criterion in plain words.")
    variable = graphene.String(required=True, description="The criterion variable (ontology/data/model.yaml).")
    input_field = graphene.String(required=True, description="The PatientInput field that gives this value.")
    patient_field = graphene.Field(PatientField, required=True, description="The PatientInput field, with its label.")
    operator = graphene.String(required=True, description="Comparison operator (see CriterionInfo.operator).")
    threshold = graphene.String(required=True, description="The criterion's value (JSON).",
                                deprecation_reason="Use `value` (typed, no JSON parsing).")
    value = graphene.Field(TypedValue, required=True, description="The criterion's value, typed.")
    unit = graphene.String(description="Unit of the value, when it has one.")
    role = graphene.Field(CriterionRole, required=True, description="What the criterion does.")
    status = graphene.Field(CriterionStatusEnum, required=True, description="Whether the patient meets it.")
    patient_value = graphene.String(description="The patient's value (JSON); null when missing.",
                                    deprecation_reason="Use `observed` (typed, no JSON parsing).")
    observed = graphene.Field(TypedValue, description="The patient's value, typed; null when missing.")
    group_path = graphene.String(required=True, description="Where the criterion sits in the rule, e.g. requires.any_of[1].")
    citations = graphene.List(graphene.NonNull(Citation), required=True, description="Sources of the criterion.")


class PlanNext(graphene.ObjectType):
    """A therapy the plan offers next."""

    therapy_id = graphene.ID(required=True, description="Id of the therapy (an Entity).")
    therapy_name = graphene.String(required=True, description="Name of the therapy.")
    verdict = graphene.Field(Verdict, required=True, description="Its verdict for this patient.")
    strength = graphene.Field(Strength, required=True, description="Strength of its deciding recommendation.")


class PlanOption(graphene.ObjectType):
    """One therapy of the treatment plan: one verdict, the recommendation that decides it, and why."""

    rank = graphene.Int(required=True, description="The server's ranking: 1 = first to discuss.")
    therapy_id = graphene.ID(required=True, description="Id of the therapy (an Entity).")
    therapy_name = graphene.String(required=True, description="Name of the therapy.")
    verdict = graphene.Field(Verdict, required=True, description="The therapy's one verdict for this patient.")
    strength = graphene.Field(Strength, required=True, description="Of the curated recommendation that decides the verdict.")
    recommendation_id = graphene.ID(required=True, description="Id of the deciding recommendation (an Entity).")
    recommendation_name = graphene.String(required=True, description="Name of the deciding recommendation.")
    summary = graphene.String(description="The recommendation in plain words.")
    line = graphene.String(description="first_line | after_failure | any | supportive",
                           deprecation_reason="Use `lineOfTherapy` (an enum).")
    line_of_therapy = graphene.Field(TherapyLine, description="When in the course of treatment it applies.")
    evidence_level = graphene.String(description="high | moderate | low | regulatory",
                                     deprecation_reason="Use `evidence` (an enum).")
    evidence = graphene.Field(EvidenceLevel, description="What kind of evidence backs the recommendation.")
    evidence_basis = graphene.String(description="The evidence in a sentence (trials, approvals).")
    reasons = graphene.List(graphene.NonNull(graphene.String), required=True, description="Why, in plain words.")
    missing = graphene.List(graphene.NonNull(graphene.String), required=True,
                            description="With UNKNOWN: the PatientInput fields that would decide it.")
    missing_fields = graphene.List(graphene.NonNull(PatientField), required=True,
                                   description="With UNKNOWN: the PatientInput fields that would decide it, labelled.")

    def resolve_line_of_therapy(self, info):
        return self.line

    def resolve_evidence(self, info):
        return self.evidence_level

    def resolve_missing_fields(self, info):
        return patient_fields(self.missing)
    ruled_out_by = graphene.List(graphene.NonNull(PlanCriterion), required=True,
                                 description="With NOT_ELIGIBLE / NOT_RECOMMENDED: the criteria that rule it out.")
    criteria = graphene.List(graphene.NonNull(PlanCriterion), required=True,
                             description="Each criterion of the deciding recommendation, checked.")
    citations = graphene.List(graphene.NonNull(Citation), required=True, description="Sources of the decision.")
    next_if_fails = graphene.List(graphene.NonNull(PlanNext), required=True,
                                  description="What the plan offers if this therapy fails or is not tolerated.")


class PlanChange(graphene.ObjectType):
    """A value that would change a therapy's verdict."""

    input_field = graphene.String(required=True, description="The PatientInput field whose value would change the plan.")
    patient_field = graphene.Field(PatientField, required=True, description="The same field, with its label.")
    variable = graphene.String(required=True, description="The criterion variable.")
    criterion = graphene.String(required=True, description="The criterion in plain words.")
    therapy_id = graphene.ID(required=True, description="Id of the therapy.")
    therapy_name = graphene.String(required=True, description="Name of the therapy.")
    now = graphene.Field(Verdict, required=True, description="Its verdict now.")
    would_be = graphene.Field(Verdict, required=True, description="Its verdict after the change.")
    direction = graphene.String(required=True, description="'if met' or 'if not met': which way the value would have to go.")
    text = graphene.String(required=True, description="The change in plain words.")


class TreatmentPlan(graphene.ObjectType):
    """The patient's ranked treatment plan from the curated guideline logic: one verdict per therapy."""

    risk_group = graphene.String(description="lower | higher, when determined.",
                                 deprecation_reason="Use `treatmentGroup` (an enum).")
    treatment_group = graphene.Field(RiskGroup, description="The treatment risk group, when determined.")
    risk_group_basis = graphene.String(description="Which score the risk group comes from.",
                                       deprecation_reason="Use `treatmentGroupBasis` (an enum).")
    treatment_group_basis = graphene.Field(RiskScheme, description="Which score the treatment group comes from.")
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
    missing_fields = graphene.List(graphene.NonNull(PatientField), required=True,
                                   description="PatientInput fields that would settle the UNKNOWN options, labelled.")
    guidance_version = graphene.String(required=True, description="Version of the curated guideline logic used.")
    warnings = graphene.List(graphene.NonNull(graphene.String), required=True,
                             description="Values to check, in plain words.")

    def resolve_treatment_group(self, info):
        return self.risk_group

    def resolve_treatment_group_basis(self, info):
        return self.risk_group_basis

    def resolve_missing_fields(self, info):
        return patient_fields(self.missing)


def _plan_criterion(c, names) -> PlanCriterion:
    return PlanCriterion(text=check_text(c, names), variable=c.variable, input_field=INPUT_FIELD.get(c.variable, c.variable),
                         patient_field=patient_fields([c.variable])[0], operator=c.operator,
                         threshold=json.dumps(c.value, default=str), value=typed_value(c.value, c.operator), unit=c.unit,
                         role=c.role, status=c.status, patient_value=None if c.patient_value is None else json.dumps(
                             c.patient_value, default=str), observed=typed_value(c.patient_value), group_path=c.path,
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
        changes=[PlanChange(input_field=c.input_field, patient_field=patient_fields([c.input_field])[0], variable=c.variable,
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


FieldKind = described_enum(
    "PatientFieldKind", ["NUMBER", "WHOLE_NUMBER", "QUANTITY", "FLAG", "TEXT", "CHOICE", "LIST"],
    "What a PatientInput field takes.",
    lambda v: {"NUMBER": "A number.", "WHOLE_NUMBER": "A whole number.",
               "QUANTITY": "A QuantityInput: a number and one of `units`.", "FLAG": "true or false.",
               "TEXT": "Text (e.g. an ISCN karyotype).", "CHOICE": "One of `values`.",
               "LIST": "A list (of genes, mutations or treatments)."}[v])


class PatientFieldInfo(graphene.ObjectType):
    """One PatientInput field, described for a form: so no client needs its own tables."""

    field = graphene.String(required=True, description="The PatientInput field (camelCase).")
    label = graphene.String(required=True, description="A short label to show.")
    kind = graphene.Field(FieldKind, required=True, description="What the field takes.")
    description = graphene.String(description="The field's description (units, ranges).")
    units = graphene.List(graphene.NonNull(graphene.String), required=True,
                          description="With QUANTITY: the units the service converts (case-insensitive).")
    values = graphene.List(graphene.NonNull(graphene.String), required=True,
                           description="With CHOICE: the allowed values (the ids; the enum names are accepted too).")
    loinc_codes = graphene.List(graphene.NonNull(graphene.String), required=True,
                                description="LOINC codes importPatient reads into this field from a FHIR Bundle.")


def patient_field_infos() -> list[PatientFieldInfo]:
    from graphene.utils.str_converters import to_camel_case

    from .fields import field_infos

    choices = {to_camel_case(name): tuple(m.value for m in enum._meta.enum) for name, enum in _VALUE_ENUMS.items()
               if name in {"sex", "marrow_cellularity", "esa_status", "ipssr_cytogenetic_group", "risk_group"}}
    inputs = input_type(patient_record.PatientInput)._meta.fields
    described = {to_camel_case(f.name): inputs[f.name].description for f in api_fields(patient_record.PatientInput)}
    return [PatientFieldInfo(field=i.field, label=i.label, kind=i.kind, units=list(i.units), values=list(i.values),
                             loinc_codes=list(i.loinc_codes), description=described.get(i.field) or i.description)
            for i in field_infos(choices)]


class PlanQueries:
    patient_fields = graphene.List(graphene.NonNull(PatientFieldInfo), required=True,
                                   description="Every PatientInput field with its label, kind, units, allowed values "
                                               "and LOINC codes, in the input's order.")

    def resolve_patient_fields(root, info):
        return patient_field_infos()

    treatment_plan = graphene.Field(TreatmentPlan, required=True, patient=PatientInput(required=True, description=_PATIENT_ARG),
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
    """One eligibility criterion of a trial, checked for the patient."""

    text = graphene.String(required=True, description="The criterion as read from the trial record, in plain words.")
    variable = graphene.String(required=True, description="The criterion variable (ontology/data/model.yaml).")
    input_field = graphene.String(required=True, description="The PatientInput field that gives this value.")
    patient_field = graphene.Field(PatientField, required=True, description="The PatientInput field, with its label.")
    operator = graphene.String(required=True, description="Comparison operator (see CriterionInfo.operator).")
    threshold = graphene.String(required=True, description="The criterion's value (JSON).",
                                deprecation_reason="Use `value` (typed, no JSON parsing).")
    value = graphene.Field(TypedValue, required=True, description="The criterion's value, typed.")
    unit = graphene.String(description="Unit of the value, when it has one.")
    role = graphene.String(required=True, description="required (inclusion) | excludes (exclusion)",
                           deprecation_reason="Use `criterionRole` (an enum).")
    criterion_role = graphene.Field(CriterionRole, required=True, description="REQUIRED (inclusion) or EXCLUDES "
                                                                               "(exclusion).")
    status = graphene.Field(CriterionStatusEnum, required=True, description="Whether the patient meets it.")
    missing = graphene.String(description="With UNKNOWN: the value that is missing.")
    arm = graphene.String(description="The part of the trial (a cohort, a phase) the criterion is written for, as "
                                      "the record names it; null when it applies to every participant. A patient "
                                      "needs to fit the criteria of one part, not of all parts.")
    groups = graphene.List(graphene.NonNull(graphene.String),
                           description="The groups of alternatives this inclusion criterion stands in within the "
                                       "trial, each as a path: \"any:120\" (one member of the group is enough), "
                                       "\"any:120/all:150\" (all members of this part are needed, and the part is "
                                       "one alternative of any:120). Criteria with the same path are judged "
                                       "together. Null when the criterion is in no group (it must hold on its own); "
                                       "a criterion both required on its own and listed as an alternative has "
                                       "its groups here and is judged in each place.")


class UncheckedCriterion(graphene.ObjectType):
    """An eligibility line of the trial record that no criterion could be read from: not checked for the patient."""

    text = graphene.String(required=True, description="The line as the record writes it (whitespace tidied).")
    criterion_role = graphene.Field(CriterionRole, required=True,
                                    description="REQUIRED (from the inclusion list) or EXCLUDES (from the exclusion "
                                                "list).")


class TrialMatchResult(graphene.ObjectType):
    """One loaded trial, its criteria checked for the patient (only the study team can confirm eligibility)."""

    nct_id = graphene.String(required=True, description="ClinicalTrials.gov id (NCT…).")
    name = graphene.String(required=True, description="Short name of the trial.")
    title = graphene.String(description="Official title.")
    phase = graphene.String(description="Phase as recorded (e.g. PHASE2).")
    status = graphene.String(description="Recruitment status as recorded.")
    url = graphene.String(description="The trial's ClinicalTrials.gov page.")
    verdict = graphene.Field(Verdict, required=True,
                             description="POSSIBLE (every criterion read is met), UNKNOWN or NOT_ELIGIBLE.")
    reasons = graphene.List(graphene.NonNull(graphene.String), required=True, description="Why, in plain words.")
    missing = graphene.List(graphene.NonNull(graphene.String), required=True,
                            description="PatientInput fields that would settle the unknown criteria.")
    missing_fields = graphene.List(graphene.NonNull(PatientField), required=True,
                                   description="The same fields, with their labels.")
    criteria = graphene.List(graphene.NonNull(TrialCriterionResult), required=True,
                             description="Each criterion read from the record, checked.")
    unchecked_criteria = graphene.List(
        graphene.NonNull(UncheckedCriterion), required=True,
        description="Eligibility lines of the record that no criterion could be read from, so they were not "
                    "checked for the patient (lines about consent, contraception and study visits are left out). "
                    "A POSSIBLE trial may still rule the patient out on one of these: the study team checks them.")

    def resolve_missing_fields(self, info):
        return patient_fields(self.missing)
    therapies = graphene.List(graphene.NonNull(graphene.String), required=True, description="What the trial tests.")


MAX_TRIALS = 500


def _check_groups(check) -> list[str] | None:
    """The group paths an inclusion check stands in (conditional places left out, as in its `group`)."""
    if check.role != "required":
        return None
    groups = [p for p in (check.places or (check.group,)) if p and not is_conditional(p)]
    return groups or None


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
                                           patient_field=patient_fields([c.variable])[0], operator=c.operator,
                                           threshold=json.dumps(c.value, default=str),
                                           value=typed_value(c.value, c.operator), unit=c.unit, role=c.role,
                                           criterion_role=c.role, status=c.status, missing=c.missing, arm=c.arm,
                                           groups=_check_groups(c))
                      for c in m.checks],
            therapies=list(m.therapies),
            unchecked_criteria=[UncheckedCriterion(text=text, criterion_role=role) for role, text in m.unchecked]))
    return out


TrialMatchEdge, TrialMatchConnection = connection_types(
    "TrialMatch", TrialMatchResult, edge_doc="One trial checked for the patient.",
    node_doc="The trial and its checked criteria.", cursor_noun="trials",
    connection_doc="The loaded trials checked for the patient, in the service's order (possible matches first), "
                   "a page at a time.",
    edges_doc="The trials of this page.", total_doc=f"How many trials were checked (at most {MAX_TRIALS}).")


class TrialQueries:
    trials = graphene.List(graphene.NonNull(TrialMatchResult), required=True,
                           patient=PatientInput(required=True, description=_PATIENT_ARG),
                           nct_ids=graphene.List(graphene.NonNull(graphene.String),
                                                 description="Only these trials (NCT ids); all loaded trials when absent."),
                           description="The loaded trials, each criterion checked against the patient with the same "
                                       f"evaluator as the therapy verdicts (at most {MAX_TRIALS}).")
    trials_connection = graphene.Field(
        TrialMatchConnection, required=True, patient=PatientInput(required=True, description=_PATIENT_ARG),
        nct_ids=graphene.List(graphene.NonNull(graphene.String), description="Only these trials (NCT ids)."),
        first=graphene.Int(default_value=20, description=f"Page size, 1 to {MAX_TRIALS}."),
        after=graphene.String(description="`pageInfo.endCursor` of the previous page."),
        description="`trials` as a cursor connection. POST only.")

    def resolve_trials(root, info, patient, nct_ids=None):
        return trials_for_patient(patient, nct_ids)

    def resolve_trials_connection(root, info, patient, nct_ids=None, first=20, after=None):
        start, first = page_bounds(first, after, MAX_TRIALS)
        matches = trials_for_patient(patient, nct_ids)
        return offset_connection(TrialMatchConnection, TrialMatchEdge, matches, start, first, len(matches))

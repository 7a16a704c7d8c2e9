"""A patient's values in and out of the service: the API's PatientInput (a JSON mapping, snake_case)
→ the one patient record (record.PatientInput) and back, a FHIR Bundle or Phenopacket → a record,
and the record's risk assessment. GraphQL (graphql.py), the CLI and the answer all use these.

Patient values are used for the request only: never stored, never logged. Impossible values are a
UserFacingError naming the field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields, replace
from typing import Any

from ontology import load_ontology
from service.errors import UserFacingError
from service.understand import link_entities

from .api_fields import api_fields, not_in_api_names
from .assess import assess
from .fields import camel
from .importers import import_fhir_bundle, import_phenopacket
from .record import Mutation, PatientInput, PatientValueError, PriorTherapy, Quantity, convert, normalise

MAX_LIST = 200
# Record fields the API's PatientInput does not take (each says so: `not_in_api(...)` in record.py).
NOT_IN_API = not_in_api_names(PatientInput)
# The fields the API takes as a QuantityInput (a value with its unit).
QUANTITY_FIELDS = tuple(f.name for f in api_fields(PatientInput) if f.base is Quantity and not f.many)


# ---- field-level errors ---------------------------------------------------------------------------
# The reasons an invalid patient value gives in `extensions.reason` (docs/api.md lists them).
OUT_OF_RANGE = "OUT_OF_RANGE"
NOT_A_NUMBER = "NOT_A_NUMBER"
UNKNOWN_UNIT = "UNKNOWN_UNIT"
NOT_ALLOWED_VALUE = "NOT_ALLOWED_VALUE"
MISSPELT_GENE = "MISSPELT_GENE"
EMPTY_VALUE = "EMPTY_VALUE"
TOO_MANY_ITEMS = "TOO_MANY_ITEMS"
INVALID_VALUE = "INVALID_VALUE"
REASONS = (OUT_OF_RANGE, NOT_A_NUMBER, UNKNOWN_UNIT, NOT_ALLOWED_VALUE, MISSPELT_GENE, EMPTY_VALUE, TOO_MANY_ITEMS,
           INVALID_VALUE)

_REASON_WORDS = (
    (MISSPELT_GENE, ("did you mean",)),
    (UNKNOWN_UNIT, ("unknown unit", "a unit is required", "cannot read a value and a unit")),
    (NOT_A_NUMBER, ("expected a number", "not a finite number")),
    (EMPTY_VALUE, ("is empty", "with a therapy")),
    (NOT_ALLOWED_VALUE, ("expected one of", "expected male", "expected hypocellular", "expected somatic",
                         "expected lower or higher", "expected true or false", "expected a list")),
    (OUT_OF_RANGE, ("between", "negative", "more than", "not possible", "whole number", "not plausible")),
)


@dataclass(frozen=True)
class FieldProblem:
    """One invalid value: where it is in the PatientInput (camelCase names, list indexes), what is wrong
    (never the value itself: patient values stay out of messages and logs), and a reason code."""

    path: tuple[str | int, ...]
    message: str
    reason: str

    @property
    def field(self) -> str:
        return str(self.path[0])


class PatientInputError(UserFacingError):
    """Every invalid value of one PatientInput at once; the API answers one error per problem."""

    def __init__(self, problems: list[FieldProblem], argument: str = "patient"):
        self.problems = problems
        self.argument = argument
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{argument}.{_dotted(first.path)}: {first.message}{more}", "BAD_INPUT")


def _dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _reason(text: str) -> str:
    for reason, words in _REASON_WORDS:
        if any(w in text for w in words):
            return reason
    return INVALID_VALUE


def _problem(exc: Exception, index_shift: int = 0) -> FieldProblem:
    """A PatientValueError's "name[0].part: what" as a FieldProblem with a camelCase path."""
    text = str(exc)
    name, _, what = text.partition(": ")
    if not what:
        name, what = "patient", text
    path: list[str | int] = []
    for piece in re.findall(r"[A-Za-z_0-9]+|\[\d+\]", name):
        if piece.startswith("["):
            path.append(int(piece[1:-1]) + index_shift)
        else:
            path.append(camel(piece))
    return FieldProblem(tuple(path) or ("patient",), what, _reason(what))


def _check_one(key: str, value: Any, index_shift: int = 0) -> list[FieldProblem]:
    try:
        normalise(PatientInput(**{key: value}))
    except PatientValueError as exc:
        return [_problem(exc, index_shift)]
    except (TypeError, ValueError) as exc:
        return [FieldProblem((camel(key),), type(exc).__name__, INVALID_VALUE)]
    return []


def field_problems(kwargs: dict[str, Any]) -> list[FieldProblem]:
    """Every invalid value of a patient, each checked on its own (list items one by one)."""
    out: list[FieldProblem] = []
    for key, value in kwargs.items():
        if key in ("mutations", "prior_therapies", "sequenced_genes") and isinstance(value, tuple):
            for i, item in enumerate(value):
                found = _check_one(key, (item,), index_shift=i)
                if key == "sequenced_genes":  # its messages name the list, not the item
                    found = [replace(p, path=(p.path[0], i, *p.path[1:])) for p in found]
                out += found
        else:
            out += _check_one(key, value)
    return out


def to_patient_record(data: dict[str, Any]):
    """The API's PatientInput (snake_case keys) → the patient record; every impossible value at once is a
    PatientInputError (one FieldProblem per value)."""

    data = dict(data or {})
    problems: list[FieldProblem] = []
    for key in ("mutations", "sequenced_genes", "prior_therapies"):
        if data.get(key) is not None and len(data[key]) > MAX_LIST:
            problems.append(FieldProblem((camel(key),), f"more than {MAX_LIST} items", TOO_MANY_ITEMS))
            data.pop(key)
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        try:
            if key in QUANTITY_FIELDS:
                kwargs[key] = Quantity(float(value["value"]), str(value["unit"]))
            elif key == "mutations":
                kwargs[key] = tuple(Mutation(gene=m["gene"], vaf=m.get("vaf"), kind=m.get("kind"),
                                             origin=m.get("origin")) for m in value)
            elif key == "prior_therapies":
                kwargs[key] = tuple(PriorTherapy(therapy=p["therapy"], response=p.get("response"),
                                                 cycles=p.get("cycles"), best_response=p.get("best_response"))
                                    for p in value)
            elif key == "sequenced_genes":
                kwargs[key] = tuple(value)
            else:
                kwargs[key] = value
        except (TypeError, ValueError, KeyError) as exc:
            problems.append(FieldProblem((camel(key),), f"cannot read this value ({type(exc).__name__})",
                                         INVALID_VALUE))
    try:
        record = PatientInput(**kwargs)
        normalise(record)
    except (PatientValueError, TypeError, ValueError):
        problems += field_problems(kwargs)
        if not problems:  # a problem only the whole record shows
            problems.append(FieldProblem(("patient",), "the values do not fit together", INVALID_VALUE))
    if problems:
        raise PatientInputError(problems)
    warn_unknown_names(record)
    return record


def warn_unknown_names(record) -> None:
    """Genes no score or rule reads, and prior therapies that name no therapy we know, are kept but count for
    nothing: the response says so in `extensions.warnings` (UNKNOWN_GENE, UNKNOWN_THERAPY)."""
    from service.errors import add_warning

    from .record import _known_genes

    known = _known_genes()
    for i, m in enumerate(record.mutations or ()):
        gene = str(m.gene).strip().upper()
        if gene not in known:
            add_warning("UNKNOWN_GENE", f"{gene} is not a gene any score or rule here reads: it is kept, but counts "
                        "for nothing in the scores and verdicts.", ["patient", "mutations", i, "gene"])
    for i, gene in enumerate(record.sequenced_genes or ()):
        if str(gene).strip().upper() not in known:
            add_warning("UNKNOWN_GENE", f"{str(gene).strip().upper()} is not a gene any score or rule here reads.",
                        ["patient", "sequencedGenes", i])
    onto = load_ontology()
    for i, prior in enumerate(record.prior_therapies or ()):
        name = str(prior.therapy).strip()
        if name in onto.concepts or any(e.label in {"Therapy", "Drug"} for e in link_entities(name)):
            continue
        add_warning("UNKNOWN_THERAPY", f"“{name[:80]}” is not a therapy we know: no criterion about earlier "
                    "treatments can use it (write a drug or class name, e.g. 'azacitidine' or 'ESA').",
                    ["patient", "priorTherapies", i, "therapy"])


def assess_record(record):
    try:
        assessment = assess(_with_therapy_ids(record))
    except PatientValueError as exc:
        raise PatientInputError([_problem(exc)]) from None
    return assessment


def therapy_classes() -> dict[str, list[str]]:
    """The classes each therapy belongs to in the ontology (azacitidine → hypomethylating agents)."""
    classes: dict[str, list[str]] = {}
    for edge in load_ontology().edges:
        if edge.type in {"INCLUDES_DRUG", "PART_OF_CLASS"}:
            member, parent = (edge.object, edge.subject) if edge.type == "INCLUDES_DRUG" else (edge.subject, edge.object)
            classes.setdefault(member, []).append(parent)
    return classes


def _with_therapy_ids(record):
    """Prior therapies named in words become concept ids, plus the classes they belong to
    (a failed epoetin alfa is a failed ESA), so criteria about either can be checked."""
    if not record.prior_therapies:
        return record
    onto = load_ontology()
    classes = therapy_classes()
    out = []
    for prior in record.prior_therapies:
        ids = [prior.therapy] if prior.therapy in onto.concepts else [
            e.id for e in link_entities(prior.therapy) if e.label in {"Therapy", "Drug"}]
        if not ids:
            out.append(prior)
            continue
        for cid in ids:
            for therapy_id in [cid, *classes.get(cid, [])]:
                out.append(replace(prior, therapy=therapy_id))
    return replace(record, prior_therapies=tuple(out))


def import_record(document: Any):
    """(format, ImportResult) of a FHIR R4 Bundle or a GA4GH Phenopacket v2, given as JSON text or a mapping."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError as exc:
            raise UserFacingError(f"the record is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(document, dict):
        raise UserFacingError("the record must be a JSON object (a FHIR Bundle or a Phenopacket).")
    if document.get("resourceType") == "Bundle":
        kind, importer = "fhir", import_fhir_bundle
    elif "subject" in document or "phenotypicFeatures" in document or "metaData" in document:
        kind, importer = "phenopacket", import_phenopacket
    else:
        raise UserFacingError("unknown record format: expected a FHIR R4 Bundle or a GA4GH Phenopacket v2.")
    try:
        return kind, importer(document)
    except UserFacingError:
        raise
    except (TypeError, AttributeError, KeyError, ValueError, IndexError) as exc:
        # A record whose structure does not follow the standard (say, `entry` not a list).
        what = "FHIR R4 Bundle" if kind == "fhir" else "GA4GH Phenopacket v2"
        raise UserFacingError(f"the record is not a well-formed {what}: {type(exc).__name__}") from None


def _vaf_fraction(vaf: Any) -> Any:
    return convert(vaf.value, vaf.unit, "fraction", "vaf") if isinstance(vaf, Quantity) else vaf


def patient_record_to_input(record) -> dict[str, Any]:
    """A patient record → the JSON shape of the GraphQL PatientInput (camelCase)."""
    out: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if value is None or f.name in NOT_IN_API:
            continue
        camel = "".join(p if i == 0 else p[:1].upper() + p[1:] for i, p in enumerate(f.name.split("_")))
        if f.name in QUANTITY_FIELDS:
            out[camel] = {"value": value.value, "unit": value.unit}
        elif f.name == "mutations":
            # A VAF quantity travels as a fraction: a bare 1 would read as 100%, not 1%.
            out[camel] = [{k: v for k, v in {"gene": m.gene, "vaf": _vaf_fraction(m.vaf),
                                              "kind": m.kind, "origin": m.origin}.items() if v is not None} for m in value]
        elif f.name == "prior_therapies":
            out[camel] = [{k: v for k, v in {"therapy": p.therapy, "response": p.response, "cycles": p.cycles,
                                             "bestResponse": p.best_response}.items() if v is not None}
                          for p in value]
        elif f.name == "creatinine_clearance_ml_min" and isinstance(value, Quantity):
            out[camel] = convert(value.value, value.unit, "mL/min", "clearance")  # GraphQL takes mL/min
        elif f.name == "age" and isinstance(value, Quantity):
            out[camel] = round(convert(value.value, value.unit, "years", "age"), 2)  # 840 months is 70 years
        elif isinstance(value, tuple):
            out[camel] = list(value)
        else:
            out[camel] = value
    return out

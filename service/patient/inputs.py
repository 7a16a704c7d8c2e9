"""A patient's values in and out of the service: the API's PatientInput (a JSON mapping, snake_case)
→ the one patient record (record.PatientInput) and back, a FHIR Bundle or Phenopacket → a record,
and the record's risk assessment. GraphQL (graphql.py), the CLI and the answer all use these.

Patient values are used for the request only: never stored, never logged. Impossible values are a
UserFacingError naming the field.
"""

from __future__ import annotations

import json
from dataclasses import fields, replace
from typing import Any

from ontology import load_ontology
from service.errors import UserFacingError
from service.understand import link_entities

from .api_fields import api_fields, not_in_api_names
from .assess import assess
from .importers import import_fhir_bundle, import_phenopacket
from .record import Mutation, PatientInput, PatientValueError, PriorTherapy, Quantity, convert

MAX_LIST = 200
# Record fields the API's PatientInput does not take (each says so: `not_in_api(...)` in record.py).
NOT_IN_API = not_in_api_names(PatientInput)
# The fields the API takes as a QuantityInput (a value with its unit).
QUANTITY_FIELDS = tuple(f.name for f in api_fields(PatientInput) if f.base is Quantity and not f.many)


def to_patient_record(data: dict[str, Any]):
    """The API's PatientInput (snake_case keys) → the patient record (a clear error for impossible values)."""

    data = dict(data or {})
    for key in ("mutations", "sequenced_genes", "prior_therapies"):
        if data.get(key) is not None and len(data[key]) > MAX_LIST:
            raise UserFacingError(f"`{key}` has more than {MAX_LIST} items.")
    try:
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if value is None:
                continue
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
        return PatientInput(**kwargs)
    except PatientValueError as exc:
        raise UserFacingError(f"patient: {exc}") from None
    except (TypeError, ValueError) as exc:
        raise UserFacingError(f"patient: {exc}") from None


def assess_record(record):
    try:
        assessment = assess(_with_therapy_ids(record))
    except PatientValueError as exc:
        raise UserFacingError(f"patient: {exc}") from None
    return assessment


def _with_therapy_ids(record):
    """Prior therapies named in words become concept ids, plus the classes they belong to
    (a failed epoetin alfa is a failed ESA), so criteria about either can be checked."""
    if not record.prior_therapies:
        return record
    onto = load_ontology()
    classes: dict[str, list[str]] = {}
    for edge in onto.edges:
        if edge.type in {"INCLUDES_DRUG", "PART_OF_CLASS"}:
            member, parent = (edge.object, edge.subject) if edge.type == "INCLUDES_DRUG" else (edge.subject, edge.object)
            classes.setdefault(member, []).append(parent)
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

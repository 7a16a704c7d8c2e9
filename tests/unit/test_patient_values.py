"""PatientValues (what importPatient returns) is PatientInput's twin: every field, same names, shapes a client can send
back unchanged; enum values are accepted by the input's string fields; and the PatientInput field vocabulary."""

from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, GraphQLScalarType, get_named_type

from service.patient.fields import INPUT_FIELDS, LABELS, field_refs
from service.patient.graphql import patient_values
from service.patient.inputs import patient_record_to_input, to_patient_record
from service.schema import schema


def _compatible(output, input_) -> bool:
    out, into = get_named_type(output), get_named_type(input_)
    if isinstance(into, GraphQLScalarType) and isinstance(out, GraphQLEnumType):
        return into.name == "String"
    if isinstance(into, GraphQLInputObjectType) and isinstance(out, GraphQLObjectType):
        return set(out.fields) == set(into.fields) and all(
            _compatible(out.fields[name].type, into.fields[name].type) for name in into.fields)
    return out.name == into.name


def test_patient_values_has_every_input_field_in_a_shape_the_input_takes():
    types = schema.graphql_schema.type_map
    values, inputs = types["PatientValues"], types["PatientInput"]
    assert list(values.fields) == list(inputs.fields)
    for name, field in inputs.fields.items():
        assert _compatible(values.fields[name].type, field.type), name


FULL = {"age": 70, "sex": "male", "marrow_blasts_pct": 4, "marrow_cellularity_pct": 20, "marrow_cellularity": "hypo",
        "karyotype": "46,XY", "ipssr_cytogenetic_group": "good",
        "mutations": [{"gene": "SF3B1", "vaf": 0.3, "origin": "somatic"}], "sequenced_genes": ["SF3B1", "TP53"],
        "hemoglobin": {"value": 9, "unit": "g/dL"}, "platelets": {"value": 100, "unit": "10^9/L"},
        "anc": {"value": 1.5, "unit": "10^9/L"}, "serum_epo": {"value": 100, "unit": "mU/mL"},
        "serum_ferritin": {"value": 800, "unit": "ng/mL"}, "transfusion_units_per_8wk": 3,
        "transfusion_dependent": True, "ring_sideroblasts_pct": 20, "pnh_clone": False, "hla_dr15": False,
        "stat3_t_cell_clone": False,
        "prior_therapies": [{"therapy": "ESA", "response": "no_response", "cycles": 3,
                             "best_response": "stable_disease"}],
        "transplant_candidate": False, "risk_group": "low", "ecog": 1, "esa_status": "refractory",
        "anemia_symptoms": True, "bleeding": False, "platelet_transfusions": False, "recurrent_infections": False,
        "rbc_units_total": 12, "peripheral_blasts_pct": 0, "hct_ci": 2, "donor_available": False,
        "wants_transplant": False, "creatinine_clearance_ml_min": 70}


def test_every_field_survives_the_round_trip_with_enum_names_accepted():
    from service.patient.record import normalise

    camel = patient_record_to_input(to_patient_record(FULL))
    typed = patient_values(camel)
    assert set(typed) == set(FULL)  # nothing dropped on the way out
    # aliases the input took ('hypo', 'low') come out as the enum's ids
    assert (typed["sex"], typed["marrow_cellularity"], typed["risk_group"]) == ("male", "hypocellular", "lower")
    # a client sends back the enum *names* (upper case); the record reads them as the same values
    upper = {"sex", "marrow_cellularity", "esa_status", "ipssr_cytogenetic_group", "risk_group"}
    sent = {k: (v.upper() if k in upper else v) for k, v in typed.items()}
    sent["prior_therapies"] = [{k: (v.upper() if k in {"response", "best_response"} else v) for k, v in t.items()}
                               for t in typed["prior_therapies"]]
    sent["mutations"] = [{**m, "origin": m["origin"].upper()} for m in typed["mutations"]]
    assert normalise(to_patient_record(sent)) == normalise(to_patient_record(FULL))


def test_missing_values_are_named_by_patient_input_fields_with_labels():
    assert set(INPUT_FIELDS) == set(LABELS)
    refs = field_refs(["HB", "BM_BLAST", "SF3B1", "del5q", "serum_epo_mu_ml", "mutated_genes", "failed_therapies",
                       "cytogenetics", "hemoglobin_g_dl"])
    assert [(r.field, r.detail) for r in refs] == [
        ("hemoglobin", None), ("marrowBlastsPct", None), ("mutations", "SF3B1"), ("karyotype", "del5q"),
        ("serumEpo", None), ("mutations", None), ("priorTherapies", None), ("karyotype", None)]
    assert all(r.field in INPUT_FIELDS and r.label == LABELS[r.field] for r in refs)

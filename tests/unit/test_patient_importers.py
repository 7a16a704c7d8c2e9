"""Phenopacket v2 (real files from ../shared/data/phenopackets) and FHIR R4 bundle import."""

import copy
import json
from datetime import date

import pytest

from service.patient.assess import assess
from service.patient.importers import import_fhir_bundle, import_phenopacket, iso8601_duration_years
from service.patient.record import normalise, to_criterion_values
from tests.shared_data import requires_shared, shared_path

PP = shared_path("data/phenopackets/notebooks")
EXCLUDED_MDS = PP / "WRN" / "phenopackets" / "PMID_30568144_Case_Report.json"
OBSERVED_MDS = PP / "SAMD9L" / "phenopackets" / "PMID_29217778_P5_D637.json"


def load(p):
    return json.loads(p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text,years", [("P38Y", 38), ("P7M", 7 / 12), ("P7Y7M", 7 + 7 / 12), ("P2W", 14 / 365.25),
                                        ("P10D", 10 / 365.25), ("garbage", None), ("P", None)])
def test_iso8601_durations(text, years):
    got = iso8601_duration_years(text)
    assert got == (None if years is None else pytest.approx(years, abs=1e-4))


@requires_shared(EXCLUDED_MDS)
def test_phenopacket_with_excluded_myelodysplasia():
    r = import_phenopacket(load(EXCLUDED_MDS))
    p = r.patient
    assert p.age == 38 and p.sex == "male"
    assert r.provenance["age"] == "subject.timeAtLastEncounter.age.iso8601duration"
    mds = [c for c in p.phenotypes if c.id == "HP:0002863"]
    assert len(mds) == 1 and mds[0].excluded is True and mds[0].label == "Myelodysplasia"
    assert any(c.id == "HP:0000518" and not c.excluded for c in p.phenotypes)  # cataract observed
    assert [d.id for d in p.diagnoses] == ["OMIM:277700"]
    # the two WRN variants are constitutional (germline) findings of the subject
    assert [m.gene for m in p.mutations] == ["WRN", "WRN"]
    assert {m.origin for m in p.mutations} == {"germline"}
    assert p.mutations[0].hgvs == "NM_000553.6:c.1720+1G>A"
    # germline variants do not make a somatic mutation list
    v = to_criterion_values(normalise(p))
    assert "mutated_genes" not in v and v["age"] == 38


@requires_shared(OBSERVED_MDS)
def test_phenopacket_with_observed_myelodysplasia_and_months():
    r = import_phenopacket(load(OBSERVED_MDS))
    p = r.patient
    assert p.age == pytest.approx(7 + 7 / 12, abs=1e-3)
    mds = [c for c in p.phenotypes if c.id == "HP:0002863"]
    assert mds and mds[0].excluded is False
    assert [m.gene for m in p.mutations] == ["SAMD9L"]


@requires_shared(PP)
@pytest.mark.parametrize("path", sorted(PP.glob("*/phenopackets/*.json")), ids=lambda p: p.name)
def test_every_shared_phenopacket_imports(path):
    r = import_phenopacket(load(path))
    assert r.patient.phenotypes
    normalise(r.patient)  # no impossible values


@requires_shared(OBSERVED_MDS)
def test_phenopacket_measurements():
    """No shared phenopacket has measurements, so one is added to a real file."""
    obj = copy.deepcopy(load(OBSERVED_MDS))
    obj["measurements"] = [
        {"assay": {"id": "LOINC:718-7", "label": "Hemoglobin [Mass/volume] in Blood"},
         "value": {"quantity": {"unit": {"id": "UCUM:g/L", "label": "g/L"}, "value": 88}}},
        {"assay": {"id": "LOINC:26515-7", "label": "Platelets [#/volume] in Blood"},
         "value": {"quantity": {"unit": {"id": "UCUM:10*9/L", "label": "10*9/L"}, "value": 42}}},
        {"assay": {"id": "LOINC:751-8", "label": "Neutrophils [#/volume] in Blood by Automated count"},
         "value": {"quantity": {"unit": {"id": "UCUM:10*3/uL", "label": "10*3/uL"}, "value": 0.6}}},
        {"assay": {"id": "NCIT:C00000", "label": "Blasts in bone marrow"},
         "value": {"quantity": {"unit": {"id": "UCUM:%", "label": "%"}, "value": 7}}},
        {"assay": {"id": "LOINC:2345-7", "label": "Glucose"},
         "value": {"quantity": {"unit": {"id": "UCUM:mg/dL", "label": "mg/dL"}, "value": 90}}},
        {"assay": {"id": "LOINC:15061-5", "label": "Erythropoietin"},
         "value": {"quantity": {"unit": {"id": "UCUM:kg", "label": "kg"}, "value": 90}}},
    ]
    r = import_phenopacket(obj)
    n = normalise(r.patient)
    assert n.hemoglobin_g_dl == 8.8 and n.platelets_10e9_l == 42 and n.anc_10e9_l == 0.6
    assert n.marrow_blasts_pct == 7 and "display text" in r.provenance["marrow_blasts_pct"]
    assert r.provenance["hemoglobin"] == "measurements[0] LOINC:718-7"
    assert any("Glucose" in u for u in r.unmapped)
    assert any("unit 'kg'" in u for u in r.unmapped) and n.serum_epo_mu_ml is None


# ---- FHIR -----------------------------------------------------------------------------

def obs(loinc, display, value=None, unit=None, when="2025-03-01", **extra):
    o = {"resourceType": "Observation", "status": "final",
         "code": {"coding": [{"system": "http://loinc.org", "code": loinc, "display": display}] if loinc else [],
                  "text": display},
         "effectiveDateTime": when}
    if value is not None:
        o["valueQuantity"] = {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit}
    o.update(extra)
    return {"resource": o}


def variant(gene, vaf=None, source=None, change=None):
    comps = [{"code": {"coding": [{"system": "http://loinc.org", "code": "48018-6"}]},
              "valueCodeableConcept": {"coding": [{"system": "http://www.genenames.org/geneId", "display": gene}]}}]
    if vaf is not None:
        comps.append({"code": {"coding": [{"system": "http://loinc.org", "code": "81258-6"}]},
                      "valueQuantity": {"value": vaf, "system": "http://unitsofmeasure.org", "code": "1"}})
    if source:
        comps.append({"code": {"coding": [{"system": "http://loinc.org", "code": "48002-0"}]},
                      "valueCodeableConcept": {"coding": [{"system": "http://loinc.org", "code": source}]}})
    if change:
        comps.append({"code": {"coding": [{"system": "http://loinc.org", "code": "48005-3"}]},
                      "valueCodeableConcept": {"coding": [{"code": change}]}})
    return {"resource": {"resourceType": "Observation", "status": "final",
                         "code": {"coding": [{"system": "http://loinc.org", "code": "69548-6"}]},
                         "valueCodeableConcept": {"coding": [{"system": "http://loinc.org", "code": "LA9633-4",
                                                              "display": "Present"}]},
                         "component": comps}}


BUNDLE = {
    "resourceType": "Bundle", "type": "collection",
    "entry": [
        {"resource": {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1953-06-15"}},
        obs("718-7", "Hemoglobin [Mass/volume] in Blood", 8.9, "g/dL", when="2025-01-10"),
        obs("718-7", "Hemoglobin [Mass/volume] in Blood", 91, "g/L", when="2025-03-01"),
        obs("777-3", "Platelets [#/volume] in Blood by Automated count", 88, "10*3/uL"),
        obs("751-8", "Neutrophils [#/volume] in Blood by Automated count", 1500, "/uL"),
        obs("15061-5", "Erythropoietin (EPO) [Units/volume] in Serum or Plasma", 320, "m[IU]/mL"),
        obs(None, "Blasts/100 cells in Bone marrow", 4, "%"),
        obs(None, "Karyotype", valueString="46,XX,del(5)(q13q33)[20]"),
        obs("2345-7", "Glucose [Mass/volume] in Serum or Plasma", 95, "mg/dL"),
        variant("SF3B1", 0.38, "LA6684-0", "p.K700E"),
        variant("DDX41", 0.5, "LA6683-2"),
        {"resource": {"resourceType": "Condition",
                      "code": {"coding": [{"system": "http://snomed.info/sct", "code": "109995007",
                                           "display": "Myelodysplastic syndrome"}]},
                      "verificationStatus": {"coding": [{"code": "confirmed"}]}}},
        {"resource": {"resourceType": "Condition",
                      "code": {"text": "Aplastic anaemia"},
                      "verificationStatus": {"coding": [{"code": "refuted"}]}}},
        {"resource": {"resourceType": "MedicationStatement", "status": "completed"}},
    ],
}


def test_fhir_bundle_import():
    r = import_fhir_bundle(BUNDLE, as_of=date(2025, 6, 1))
    p = r.patient
    assert p.sex == "female" and p.age == 71.0
    assert "as of 2025-06-01" in r.provenance["age"]
    n = normalise(p)
    assert n.hemoglobin_g_dl == 9.1  # the latest of two, converted from g/L
    assert any("several values" in x for x in r.notes)
    assert n.platelets_10e9_l == 88 and n.anc_10e9_l == 1.5 and n.serum_epo_mu_ml == 320
    assert n.marrow_blasts_pct == 4 and "display text" in r.provenance["marrow_blasts_pct"]
    assert p.karyotype == "46,XX,del(5)(q13q33)[20]" and "display text" in r.provenance["karyotype"]
    assert [(m.gene, m.origin) for m in n.mutations] == [("SF3B1", "somatic"), ("DDX41", "germline")]
    assert n.mutations[0].vaf == 0.38 and n.mutations[0].hgvs == "p.K700E"
    assert [(d.label, d.excluded) for d in p.diagnoses] == [("Myelodysplastic syndrome", False),
                                                            ("Aplastic anaemia", True)]
    assert any("Glucose" in u for u in r.unmapped)
    assert any("MedicationStatement" in u for u in r.unmapped)
    a = assess(p)
    assert a.criterion_values["mutated_genes"] == {"SF3B1"}
    assert a.criterion_values["karyotype_findings"] == {"del5q"}
    # good 1 + blasts 1 + hb 1 + plt 0.5 + anc 0
    assert a.ipssr.score == 3.5 and a.ipssr.category == "intermediate" and a.ipssr.risk_group == "lower"


def test_fhir_unknown_unit_is_unmapped_not_guessed():
    b = {"resourceType": "Bundle", "entry": [obs("718-7", "Hemoglobin", 9, "furlong")]}
    r = import_fhir_bundle(b)
    assert r.patient.hemoglobin is None and any("furlong" in u for u in r.unmapped)


def test_fhir_year_only_birth_date_gives_no_age():
    b = {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient", "birthDate": "1950"}}]}
    r = import_fhir_bundle(b)
    assert r.patient.age is None and r.unmapped


def test_not_a_bundle():
    r = import_fhir_bundle({"resourceType": "Patient"})
    assert r.unmapped == ["not a FHIR Bundle"]


@requires_shared(EXCLUDED_MDS)
def test_importers_do_not_log(caplog):
    with caplog.at_level("DEBUG"):
        import_fhir_bundle(BUNDLE, as_of=date(2025, 6, 1))
        import_phenopacket(load(EXCLUDED_MDS))
    assert caplog.records == []


def test_fhir_ferritin():
    b = {"resourceType": "Bundle", "entry": [obs("2276-4", "Ferritin [Mass/volume] in Serum or Plasma", 1500, "ng/mL")]}
    r = import_fhir_bundle(b)
    assert normalise(r.patient).serum_ferritin_ng_ml == 1500


# ---- new fields: peripheral blasts, creatinine clearance, prior therapies -------------------------

def test_fhir_peripheral_blasts_and_creatinine_clearance():
    b = {"resourceType": "Bundle", "entry": [
        obs("709-6", "Blasts/100 leukocytes in Blood by Manual count", 3, "%"),
        obs("2164-2", "Creatinine renal clearance in 24 hour Urine and Serum or Plasma", 48, "mL/min"),
        obs(None, "Blasts/100 cells in Bone marrow", 12, "%"),
    ]}
    r = import_fhir_bundle(b)
    n = normalise(r.patient)
    assert n.peripheral_blasts_pct == 3 and r.provenance["peripheral_blasts_pct"] == "entry[0] Observation.valueQuantity (LOINC 709-6)"
    assert n.creatinine_clearance_ml_min == 48 and "2164-2" in r.provenance["creatinine_clearance_ml_min"]
    assert n.marrow_blasts_pct == 12  # marrow blasts are not peripheral blasts
    v = to_criterion_values(n)
    assert v["peripheral_blasts_pct"] == 3 and v["creatinine_clearance_ml_min"] == 48


def test_fhir_peripheral_blasts_other_code_and_bad_units():
    b = {"resourceType": "Bundle", "entry": [
        obs("26446-5", "Blasts/100 leukocytes in Blood", 7, "%"),
        obs("2164-2", "Creatinine renal clearance in 24 hour Urine and Serum or Plasma", 60, "mL/min/{1.73_m2}"),
    ]}
    r = import_fhir_bundle(b)
    assert r.patient.peripheral_blasts_pct == 7
    assert r.patient.creatinine_clearance_ml_min is None
    assert any("mL/min/{1.73_m2}" in u for u in r.unmapped)


def test_fhir_clearance_in_ml_per_second_round_trips_as_ml_per_minute():
    from service.patient.inputs import patient_record_to_input

    b = {"resourceType": "Bundle", "entry": [obs("2164-2", "Creatinine renal clearance", 1.2, "mL/s")]}
    r = import_fhir_bundle(b)
    assert normalise(r.patient).creatinine_clearance_ml_min == 72
    assert patient_record_to_input(r.patient)["creatinineClearanceMlMin"] == 72


def med(status, text=None, ref=None):
    res = {"resourceType": "MedicationStatement", "status": status}
    if text:
        res["medicationCodeableConcept"] = {"text": text}
    if ref:
        res["medicationReference"] = {"reference": ref}
    return {"resource": res}


def test_fhir_therapy_history():
    b = {"resourceType": "Bundle", "entry": [
        med("completed", "Epoetin alfa"),
        med("not-taken", "Luspatercept"),
        med("entered-in-error", "Lenalidomide"),
        med("completed", ref="Medication/m1"),
        {"fullUrl": "urn:uuid:x", "resource": {"resourceType": "Medication", "id": "m1",
                                               "code": {"coding": [{"display": "Azacitidine"}]}}},
        {"resource": {"resourceType": "MedicationAdministration", "status": "completed",
                      "medicationCodeableConcept": {"coding": [{"display": "Darbepoetin alfa"}]}}},
        {"resource": {"resourceType": "MedicationStatement", "status": "active",
                      "contained": [{"resourceType": "Medication", "id": "c1", "code": {"text": "Luspatercept"}}],
                      "medicationReference": {"reference": "#c1"}}},
        {"resource": {"resourceType": "Procedure", "status": "completed",
                      "code": {"text": "Allogeneic hematopoietic stem cell transplantation"}}},
        {"resource": {"resourceType": "Procedure", "status": "completed", "code": {"text": "Bone marrow biopsy"}}},
        {"resource": {"resourceType": "Procedure", "status": "not-done",
                      "code": {"text": "Red blood cell transfusion"}}},
    ]}
    r = import_fhir_bundle(b)
    pts = r.patient.prior_therapies
    assert [p.therapy for p in pts] == ["Epoetin alfa", "Azacitidine", "Darbepoetin alfa", "Luspatercept",
                                        "Allogeneic hematopoietic stem cell transplantation"]
    assert all(p.response is None and p.cycles is None and p.best_response is None for p in pts)
    assert any("not-taken" in u for u in r.unmapped) and any("entered-in-error" in u for u in r.unmapped)
    assert any("not recognised as a therapy" in u for u in r.unmapped)
    assert any("not-done" in u for u in r.unmapped)
    assert any("complete treatment history" in x for x in r.notes)
    # names in words: the ESA status is not guessed from them (the GraphQL path links them first)
    v = to_criterion_values(normalise(r.patient))
    assert "esa_status" not in v and v["failed_therapies__unknown"]


def test_fhir_without_therapies_has_no_therapy_note():
    r = import_fhir_bundle({"resourceType": "Bundle", "entry": [obs("718-7", "Hemoglobin", 9, "g/dL")]})
    assert r.patient.prior_therapies is None and not any("treatment history" in x for x in r.notes)


def test_phenopacket_new_measurements_and_best_response():
    obj = {"id": "x", "subject": {"id": "p"}, "measurements": [
        {"assay": {"id": "LOINC:709-6", "label": "Blasts/100 leukocytes in Blood by Manual count"},
         "value": {"quantity": {"unit": {"id": "UCUM:%", "label": "%"}, "value": 4}}},
        {"assay": {"id": "LOINC:2164-2", "label": "Creatinine renal clearance"},
         "value": {"quantity": {"unit": {"id": "UCUM:mL/min", "label": "mL/min"}, "value": 80}}},
    ], "medicalActions": [
        {"treatment": {"agent": {"id": "MDSKG:drug/azacitidine", "label": "azacitidine"}},
         "responseToTreatment": {"id": "NCIT:C0", "label": "Stable Disease"}},
        {"treatment": {"agent": {"label": "epoetin alfa"}},
         "responseToTreatment": {"id": "NCIT:C1", "label": "Favorable"}},
    ]}
    r = import_phenopacket(obj)
    n = normalise(r.patient)
    assert n.peripheral_blasts_pct == 4 and r.provenance["peripheral_blasts_pct"] == "measurements[0] LOINC:709-6"
    assert n.creatinine_clearance_ml_min == 80
    assert [(p.therapy, p.response, p.best_response) for p in n.prior_therapies] == [
        ("MDSKG:drug/azacitidine", None, "stable_disease"), ("epoetin alfa", None, None)]
    assert any("medicalActions[1].responseToTreatment" in u for u in r.unmapped)
    assert any("complete treatment history" in x for x in r.notes)

"""Units, impossible values and the mapping to model.yaml criterion variables."""

from pathlib import Path

import pytest
import yaml

from service.patient.assess import assess
from service.patient.eligibility import evaluate_criterion
from service.patient.karyotype import parse_karyotype
from service.patient.record import (
    Mutation,
    PatientInput,
    PatientValueError,
    PriorTherapy,
    Quantity,
    convert,
    normalise,
    to_criterion_values,
)

MODEL = yaml.safe_load((Path(__file__).resolve().parents[2] / "ontology" / "data" / "model.yaml").read_text())
VARIABLES = set(MODEL["criterion_variables"])


# ---- units ---------------------------------------------------------------------------

@pytest.mark.parametrize("q,expected", [
    (Quantity(9.5, "g/dL"), 9.5), (Quantity(95, "g/L"), 9.5), (Quantity(95, "g/l"), 9.5),
    ((95, "g/L"), 9.5), ("9,5 g/dl", 9.5), ("95 g/L", 9.5), (Quantity(6.2, "mmol/L"), 9.99099),
])
def test_hemoglobin_units(q, expected):
    assert normalise(PatientInput(hemoglobin=q)).hemoglobin_g_dl == pytest.approx(expected, abs=1e-5)


@pytest.mark.parametrize("q,expected", [
    (Quantity(45, "10^9/L"), 45), (Quantity(45, "x10^9/L"), 45), (Quantity(45, "10*9/L"), 45),
    (Quantity(45, "G/L"), 45), (Quantity(45, "10^3/µL"), 45), (Quantity(45, "K/uL"), 45),
    (Quantity(45000, "/µL"), 45), (Quantity(45000, "/mm3"), 45), (Quantity(45, "10*3/uL"), 45),
])
def test_platelet_units(q, expected):
    assert normalise(PatientInput(platelets=q)).platelets_10e9_l == pytest.approx(expected)


def test_anc_and_epo_units():
    n = normalise(PatientInput(anc=Quantity(800, "/uL"), serum_epo=Quantity(150, "IU/L")))
    assert n.anc_10e9_l == 0.8 and n.serum_epo_mu_ml == 150
    assert normalise(PatientInput(serum_epo=Quantity(0.15, "IU/mL"))).serum_epo_mu_ml == 150
    assert normalise(PatientInput(serum_epo="500 mU/mL")).serum_epo_mu_ml == 500


def test_conversion_is_exact_at_boundaries():
    assert convert(100, "g/L", "g/dL", "hemoglobin") == 10.0
    assert convert(800, "/uL", "10^9/L", "count") == 0.8
    assert convert(100000, "/uL", "10^9/L", "count") == 100.0


def test_vaf_forms():
    n = normalise(PatientInput(mutations=[Mutation("TP53", 0.45), Mutation("SF3B1", 35),
                                          Mutation("ASXL1", Quantity(12, "%")), Mutation("RUNX1", Quantity(0.2, "fraction"))]))
    assert [m.vaf for m in n.mutations] == [0.45, 0.35, 0.12, 0.2]
    assert [m.gene for m in n.mutations] == ["TP53", "SF3B1", "ASXL1", "RUNX1"]


def test_missing_stays_missing():
    n = normalise(PatientInput())
    assert all(getattr(n, f) is None for f in ("age_years", "hemoglobin_g_dl", "mutations", "ecog"))
    assert to_criterion_values(n) == {}


# ---- impossible values ---------------------------------------------------------------

@pytest.mark.parametrize("kwargs,field", [
    (dict(platelets=Quantity(-5, "10^9/L")), "platelets"),
    (dict(anc=Quantity(-0.1, "10^9/L")), "anc"),
    (dict(hemoglobin=Quantity(-1, "g/dL")), "hemoglobin"),
    (dict(marrow_blasts_pct=101), "marrow_blasts_pct"),
    (dict(marrow_blasts_pct=-1), "marrow_blasts_pct"),
    (dict(ring_sideroblasts_pct=150), "ring_sideroblasts_pct"),
    (dict(age=131), "age"),
    (dict(age=-2), "age"),
    (dict(mutations=[Mutation("TP53", 1.5e2)]), "vaf"),
    (dict(mutations=[Mutation("TP53", -0.1)]), "vaf"),
    (dict(mutations=[Mutation("TP53", Quantity(120, "%"))]), "vaf"),
    (dict(hemoglobin=Quantity(9, "furlongs")), "hemoglobin"),
    (dict(platelets=Quantity(45, "g/dL")), "platelets"),
    (dict(hemoglobin=9.5), "hemoglobin"),  # a bare number has no unit
    (dict(ecog=7), "ecog"),
    (dict(ecog=1.5), "ecog"),
    (dict(transfusion_units_per_8wk=-1), "transfusion_units_per_8wk"),
    (dict(ipssr_cytogenetic_group="excellent"), "ipssr_cytogenetic_group"),
    (dict(marrow_cellularity="very"), "marrow_cellularity"),
    (dict(prior_therapies=[PriorTherapy("ESA", "partial")]), "response"),
    (dict(sex="x"), "sex"),
])
def test_impossible_values_raise_with_field_name(kwargs, field):
    with pytest.raises(PatientValueError) as e:
        normalise(PatientInput(**kwargs))
    assert field in str(e.value)


def test_error_message_does_not_echo_value():
    with pytest.raises(PatientValueError) as e:
        normalise(PatientInput(age=987))
    assert "987" not in str(e.value)


def test_implausible_hemoglobin_is_a_note_not_an_error():
    n = normalise(PatientInput(hemoglobin=Quantity(95, "g/dL")))  # probably g/L
    assert n.hemoglobin_g_dl == 95 and n.notes


# ---- criterion values ------------------------------------------------------------------

def full_patient(**over):
    d = dict(age=72, sex="female", marrow_blasts_pct=3, marrow_cellularity="hypocellular",
             karyotype="46,XX,del(5)(q13q33)[20]", mutations=[Mutation("SF3B1", 0.3)],
             hemoglobin=Quantity(92, "g/L"), platelets=Quantity(150, "10^9/L"),
             anc=Quantity(1.2, "10^9/L"), serum_epo=Quantity(180, "IU/L"),
             transfusion_units_per_8wk=3, ring_sideroblasts_pct=20, pnh_clone=False, hla_dr15=True,
             stat3_t_cell_clone=False, prior_therapies=[PriorTherapy("MDSKG:ESA", "no_response"),
                                                        PriorTherapy("MDSKG:LEN")],
             transplant_candidate=False, ecog=1)
    d.update(over)
    return PatientInput(**d)


def test_criterion_values_use_model_yaml_names():
    a = assess(full_patient())
    v = a.criterion_values
    names = {k for k in v if "__" not in k}
    assert names <= VARIABLES, names - VARIABLES
    assert v["hemoglobin_g_dl"] == 9.2 and v["serum_epo_mu_ml"] == 180
    assert v["mutated_genes"] == {"SF3B1"}
    assert v["karyotype_findings"] == {"del5q"}
    assert v["ipssr_cytogenetic_group"] == "good"
    assert v["marrow_cellularity"] == "hypocellular"
    assert v["transfusion_dependent"] is True
    assert v["prior_therapies"] == {"MDSKG:ESA", "MDSKG:LEN"}
    assert v["failed_therapies"] == {"MDSKG:ESA"}
    assert v["failed_therapies__unknown"] == {"MDSKG:LEN"}
    assert v["ipssr_category"] == a.ipssr.category
    assert v["risk_group"] == "lower"


@pytest.mark.parametrize("pct,age,expected", [
    (15, None, "hypocellular"),   # below both cut-offs: the age does not matter
    (19.9, 85, "hypocellular"),
    (25, 60, "hypocellular"),     # < 30 % under 70
    (29.9, 69.9, "hypocellular"),
    (25, 70, None),               # 20-30 % at 70 or older: not hypocellular, category not settled
    (25, 75, None),
    (20, 80, None),
    (25, None, None),             # 20-30 % with no age: undecided
    (30, 50, None),               # not hypocellular; normo/hyper not given by the source
    (60, 50, None),
])
def test_cellularity_derived_from_percentage_and_age(pct, age, expected):
    v = to_criterion_values(normalise(PatientInput(marrow_cellularity_pct=pct, age=age)))
    assert v.get("marrow_cellularity") == expected
    assert v["marrow_cellularity_pct"] == pct


def test_given_cellularity_category_always_wins():
    v = to_criterion_values(normalise(PatientInput(marrow_cellularity_pct=10, age=50, marrow_cellularity="normo")))
    assert v["marrow_cellularity"] == "normocellular"


def test_transfusion_dependence_derived_only_from_a_burden():
    assert to_criterion_values(normalise(PatientInput(transfusion_units_per_8wk=0)))["transfusion_dependent"] is False
    assert to_criterion_values(normalise(PatientInput(transfusion_units_per_8wk=1)))["transfusion_dependent"] is True
    v = to_criterion_values(normalise(PatientInput(transfusion_units_per_8wk=0, transfusion_dependent=True)))
    assert v["transfusion_dependent"] is True


def test_empty_mutation_list_means_tested_none_found():
    assert to_criterion_values(normalise(PatientInput(mutations=[])))["mutated_genes"] == set()
    assert "mutated_genes" not in to_criterion_values(normalise(PatientInput()))
    # germline-only variants say nothing about a somatic panel
    v = to_criterion_values(normalise(PatientInput(mutations=[Mutation("WRN", origin="germline")])))
    assert "mutated_genes" not in v
    v = to_criterion_values(normalise(PatientInput(mutations=[Mutation("sf3b1")], sequenced_genes=["SF3B1", "TP53"])))
    assert v["mutated_genes"] == {"SF3B1"} and v["mutated_genes__tested"] == {"SF3B1", "TP53"}


def test_incomplete_karyotype_gives_no_findings_set():
    n = normalise(PatientInput(karyotype="46,XY,foo(3)[20]"))
    k = parse_karyotype(n.karyotype)
    v = to_criterion_values(n, k)
    assert "karyotype_findings" not in v and "ipssr_cytogenetic_group" not in v


def test_ipssm_category_only_when_scenarios_agree():
    a = assess(full_patient(mutations=None))  # no mutation data: best != worst
    assert a.ipssm.category_best != a.ipssm.category_worst
    assert "ipssm_category" not in a.criterion_values
    a = assess(full_patient())
    assert a.criterion_values["ipssm_category"] == a.ipssm.category_best == a.ipssm.category_worst


def test_risk_group_prefers_ipssm_then_ipssr():
    v = to_criterion_values(normalise(PatientInput()), None,
                            {"ipssr": {"risk_group": "higher", "category": "high"},
                             "ipssm": {"risk_group": "lower", "category_best": "low", "category_worst": "low"}})
    assert v["risk_group"] == "lower" and v["ipssm_category"] == "low" and v["ipssr_category"] == "high"
    v = to_criterion_values(normalise(PatientInput()), None,
                            {"ipssr": {"risk_group": "higher"}, "ipssm": {"risk_group": None}})
    assert v["risk_group"] == "higher"


def test_ferritin_units_and_criterion_value():
    n = normalise(PatientInput(serum_ferritin=Quantity(1200, "ug/L")))
    assert n.serum_ferritin_ng_ml == 1200
    assert to_criterion_values(n)["serum_ferritin_ng_ml"] == 1200
    assert "serum_ferritin_ng_ml" in VARIABLES


# ---- fields for the curated guideline logic (docs/guidance-contract.md) ----------------------

NEW_VARIABLES = {"esa_status", "anemia_symptoms", "bleeding", "platelet_transfusions", "recurrent_infections",
                 "donor_available", "wants_transplant", "rbc_units_total", "peripheral_blasts_pct", "hct_ci",
                 "creatinine_clearance_ml_min", "marrow_cellularity_pct", "ipssr_score",
                 "karyotype_abnormality_count"}


def test_new_variables_are_declared_in_model_yaml():
    cv = MODEL["criterion_variables"]
    assert NEW_VARIABLES <= VARIABLES, NEW_VARIABLES - VARIABLES
    for name in NEW_VARIABLES:
        assert cv[name]["type"] in ("number", "category", "boolean") and cv[name].get("description"), name
        if cv[name]["type"] == "number":
            assert "unit" in cv[name], name
    assert cv["esa_status"]["values"] == ["naive", "responding", "responded_then_lost", "refractory", "intolerant",
                                          "ineligible"]
    assert cv["creatinine_clearance_ml_min"]["unit"] == "mL/min"
    assert cv["peripheral_blasts_pct"]["unit"] == "%"


@pytest.mark.parametrize("kwargs,field", [
    (dict(esa_status="sometimes"), "esa_status"),
    (dict(anemia_symptoms="maybe"), "anemia_symptoms"),
    (dict(bleeding=2), "bleeding"),
    (dict(platelet_transfusions="often"), "platelet_transfusions"),
    (dict(recurrent_infections="x"), "recurrent_infections"),
    (dict(donor_available="perhaps"), "donor_available"),
    (dict(wants_transplant="later"), "wants_transplant"),
    (dict(rbc_units_total=-1), "rbc_units_total"),
    (dict(rbc_units_total="many"), "rbc_units_total"),
    (dict(peripheral_blasts_pct=101), "peripheral_blasts_pct"),
    (dict(peripheral_blasts_pct=-0.5), "peripheral_blasts_pct"),
    (dict(hct_ci=-1), "hct_ci"),
    (dict(hct_ci=2.5), "hct_ci"),
    (dict(hct_ci=31), "hct_ci"),
    (dict(creatinine_clearance_ml_min=0), "creatinine_clearance_ml_min"),
    (dict(creatinine_clearance_ml_min=-20), "creatinine_clearance_ml_min"),
    (dict(creatinine_clearance_ml_min=501), "creatinine_clearance_ml_min"),
    (dict(creatinine_clearance_ml_min=Quantity(60, "mL/min/1.73m2")), "creatinine_clearance_ml_min"),
    (dict(prior_therapies=[PriorTherapy("MDSKG:drug/azacitidine", cycles=-1)]), "prior_therapies[0].cycles"),
    (dict(prior_therapies=[PriorTherapy("MDSKG:drug/azacitidine", cycles=4.5)]), "prior_therapies[0].cycles"),
    (dict(prior_therapies=[PriorTherapy("MDSKG:drug/azacitidine", best_response="great")]),
     "prior_therapies[0].best_response"),
])
def test_new_fields_impossible_values_name_the_field(kwargs, field):
    with pytest.raises(PatientValueError) as e:
        normalise(PatientInput(**kwargs))
    assert str(e.value).startswith(field + ":")


@pytest.mark.parametrize("kwargs", [
    dict(hct_ci=987), dict(creatinine_clearance_ml_min=987), dict(rbc_units_total=-987),
    dict(peripheral_blasts_pct=987), dict(esa_status="zz987"),
    dict(prior_therapies=[PriorTherapy("MDSKG:drug/azacitidine", cycles=-987)]),
    dict(prior_therapies=[PriorTherapy("MDSKG:drug/azacitidine", best_response="zz987")]),
])
def test_new_fields_errors_do_not_echo_the_value(kwargs):
    with pytest.raises(PatientValueError) as e:
        normalise(PatientInput(**kwargs))
    assert "987" not in str(e.value)


def test_new_fields_accepted_forms():
    n = normalise(PatientInput(esa_status="Responded then lost", anemia_symptoms="yes", bleeding=False,
                               platelet_transfusions=1, recurrent_infections="no", donor_available=True,
                               wants_transplant="true", rbc_units_total=24, peripheral_blasts_pct="3,5",
                               hct_ci=3.0, creatinine_clearance_ml_min=Quantity(1.5, "mL/s"),
                               prior_therapies=[PriorTherapy("MDSKG:drug/azacitidine", "no_response", 6.0,
                                                             "Stable disease")]))
    assert n.esa_status == "responded_then_lost"
    assert (n.anemia_symptoms, n.bleeding, n.platelet_transfusions, n.recurrent_infections) == (True, False, True,
                                                                                                False)
    assert n.donor_available is True and n.wants_transplant is True
    assert n.rbc_units_total == 24 and n.peripheral_blasts_pct == 3.5
    assert n.hct_ci == 3 and isinstance(n.hct_ci, int)
    assert n.creatinine_clearance_ml_min == 90
    assert normalise(PatientInput(creatinine_clearance_ml_min=45)).creatinine_clearance_ml_min == 45
    assert n.prior_therapies == (PriorTherapy("MDSKG:drug/azacitidine", "no_response", 6, "stable_disease"),)


def test_new_fields_missing_stay_missing():
    n = normalise(PatientInput())
    for f in ("esa_status", "anemia_symptoms", "bleeding", "platelet_transfusions", "recurrent_infections",
              "donor_available", "wants_transplant", "rbc_units_total", "peripheral_blasts_pct", "hct_ci",
              "creatinine_clearance_ml_min"):
        assert getattr(n, f) is None, f
    assert to_criterion_values(n) == {}


def test_new_fields_become_criterion_values():
    v = to_criterion_values(normalise(PatientInput(
        anemia_symptoms=True, bleeding=False, platelet_transfusions=True, recurrent_infections=False,
        donor_available=True, wants_transplant=True, rbc_units_total=30, peripheral_blasts_pct=2,
        hct_ci=4, creatinine_clearance_ml_min=55, esa_status="ineligible")))
    assert v == {"anemia_symptoms": True, "bleeding": False, "platelet_transfusions": True,
                 "recurrent_infections": False, "donor_available": True, "wants_transplant": True,
                 "rbc_units_total": 30, "peripheral_blasts_pct": 2, "hct_ci": 4, "creatinine_clearance_ml_min": 55,
                 "esa_status": "ineligible"}
    assert set(v) <= VARIABLES


# ESA status

ESA = "MDSKG:therapy/esa"
EPO = "MDSKG:drug/epoetin-alfa"
DARBE = "MDSKG:drug/darbepoetin-alfa"


@pytest.mark.parametrize("therapy", [ESA, EPO, DARBE])
@pytest.mark.parametrize("response,status,failed", [
    ("response", "responding", False), ("no_response", "refractory", True),
    ("relapse", "responded_then_lost", True), ("intolerant", "intolerant", True),
])
def test_esa_status_from_prior_therapies(therapy, response, status, failed):
    v = to_criterion_values(normalise(PatientInput(prior_therapies=[PriorTherapy(therapy, response),
                                                                    PriorTherapy("MDSKG:drug/azacitidine")])))
    assert v["esa_status"] == status
    assert ESA in v["prior_therapies"] and therapy in v["prior_therapies"]
    assert (ESA in v["failed_therapies"]) is failed
    assert (therapy in v["failed_therapies"]) is failed


def test_esa_status_naive_when_a_given_list_has_no_esa():
    assert to_criterion_values(normalise(PatientInput(prior_therapies=[])))["esa_status"] == "naive"
    v = to_criterion_values(normalise(PatientInput(prior_therapies=[PriorTherapy("MDSKG:drug/azacitidine",
                                                                                 "no_response")])))
    assert v["esa_status"] == "naive" and ESA not in v["failed_therapies"] and ESA not in v["prior_therapies"]


@pytest.mark.parametrize("prior", [
    [PriorTherapy(EPO)],                                             # response not recorded
    [PriorTherapy(EPO, "response"), PriorTherapy(DARBE, "no_response")],  # entries disagree
    [PriorTherapy("Aranesp", "no_response")],                        # a name in words, not linked
    [PriorTherapy("MDSKG:drug/azacitidine"), PriorTherapy("something given elsewhere")],
])
def test_esa_status_left_missing_when_the_list_does_not_settle_it(prior):
    v = to_criterion_values(normalise(PatientInput(prior_therapies=prior)))
    assert "esa_status" not in v


def test_esa_status_unknown_without_any_information():
    assert "esa_status" not in to_criterion_values(normalise(PatientInput(age=70)))


def test_given_esa_status_wins_and_a_failed_esa_goes_into_failed_therapies():
    v = to_criterion_values(normalise(PatientInput(esa_status="refractory",
                                                   prior_therapies=[PriorTherapy("MDSKG:drug/azacitidine",
                                                                                 "response")])))
    assert v["esa_status"] == "refractory"
    assert v["failed_therapies"] == {ESA}
    assert v["prior_therapies"] == {ESA, "MDSKG:drug/azacitidine"}
    # an ESA entry with no recorded response stays "unknown" for the drug; the class has failed
    v = to_criterion_values(normalise(PatientInput(esa_status="intolerant", prior_therapies=[PriorTherapy(EPO)])))
    assert ESA in v["failed_therapies"] and v["failed_therapies__unknown"] == {EPO}
    v = to_criterion_values(normalise(PatientInput(esa_status="responding", prior_therapies=[])))
    assert v["prior_therapies"] == {ESA} and v["failed_therapies"] == set()


@pytest.mark.parametrize("status,prior,failed", [
    ("refractory", {ESA}, {ESA}), ("responded_then_lost", {ESA}, {ESA}), ("intolerant", {ESA}, {ESA}),
    ("responding", {ESA}, set()), ("naive", set(), set()),
])
def test_esa_status_without_a_therapy_list_leaves_other_therapies_unknown(status, prior, failed):
    v = to_criterion_values(normalise(PatientInput(esa_status=status)))
    assert v["prior_therapies"] == prior and v["failed_therapies"] == failed
    assert v["prior_therapies__tested"] == v["failed_therapies__tested"] == {ESA}

    def check(var, op, value):
        return evaluate_criterion({"variable": var, "operator": op, "value": value, "role": "required"}, v).status

    assert check("failed_therapies", "contains", ESA) == ("MET" if failed else "NOT_MET")
    assert check("prior_therapies", "contains", ESA) == ("MET" if prior else "NOT_MET")
    assert check("failed_therapies", "contains", "MDSKG:therapy/hma") == "UNKNOWN"
    assert check("prior_therapies", "not_contains", "MDSKG:therapy/hma") == "UNKNOWN"


def test_esa_status_ineligible_says_nothing_about_therapies():
    v = to_criterion_values(normalise(PatientInput(esa_status="ineligible")))
    assert "prior_therapies" not in v and "failed_therapies" not in v


# transplant candidate

@pytest.mark.parametrize("kwargs,expected", [
    (dict(transplant_candidate=True, wants_transplant=False), True),  # as given
    (dict(transplant_candidate=False, wants_transplant=True, donor_available=True), False),
    (dict(wants_transplant=False), False),
    (dict(donor_available=False), False),
    (dict(wants_transplant=False, donor_available=True), False),
    (dict(wants_transplant=True, donor_available=True), None),  # fitness is not known
    (dict(wants_transplant=True), None),
    (dict(), None),
])
def test_transplant_candidate_derivation(kwargs, expected):
    v = to_criterion_values(normalise(PatientInput(**kwargs)))
    assert v.get("transplant_candidate") is expected


# karyotype abnormality count, IPSS-R score

def test_karyotype_abnormality_count_only_when_fully_understood():
    n = normalise(PatientInput(karyotype="46,XY,del(5)(q13q33),+8[20]"))
    k = parse_karyotype(n.karyotype)
    assert k.complete and k.abnormality_count == 2
    assert to_criterion_values(n, k)["karyotype_abnormality_count"] == 2
    n = normalise(PatientInput(karyotype="46,XX[20]"))
    assert to_criterion_values(n, parse_karyotype(n.karyotype))["karyotype_abnormality_count"] == 0
    n = normalise(PatientInput(karyotype="46,XY,foo(3)[20]"))
    assert "karyotype_abnormality_count" not in to_criterion_values(n, parse_karyotype(n.karyotype))
    assert "karyotype_abnormality_count" not in to_criterion_values(n, ["del5q"])  # a bare findings list


def test_ipssr_score_only_when_determined():
    a = assess(full_patient())
    assert a.ipssr.score is not None and a.criterion_values["ipssr_score"] == a.ipssr.score
    a = assess(full_patient(platelets=None))
    assert a.ipssr.score is None and "ipssr_score" not in a.criterion_values


def test_all_criterion_values_of_a_full_patient_are_model_variables():
    a = assess(full_patient(esa_status="refractory", anemia_symptoms=True, bleeding=False, rbc_units_total=12,
                            peripheral_blasts_pct=1, hct_ci=2, creatinine_clearance_ml_min=70, donor_available=False,
                            wants_transplant=True, marrow_cellularity=None, marrow_cellularity_pct=15,
                            transplant_candidate=None))
    v = a.criterion_values
    assert {k for k in v if "__" not in k} <= VARIABLES
    assert v["marrow_cellularity"] == "hypocellular" and v["transplant_candidate"] is False
    assert v["karyotype_abnormality_count"] == 1 and ESA in v["failed_therapies"]


# GraphQL round trip

def test_graphql_round_trip_of_the_new_fields():
    import json

    import graphene

    from service.patient.graphql import JSONString, PatientInput as PatientInputType
    from service.patient.inputs import patient_record_to_input, to_patient_record

    record = PatientInput(age=72, esa_status="refractory", anemia_symptoms=True, bleeding=False,
                          platelet_transfusions=True, recurrent_infections=False, rbc_units_total=18.0,
                          peripheral_blasts_pct=2.0, hct_ci=3, donor_available=True, wants_transplant=False,
                          creatinine_clearance_ml_min=62.5, transplant_candidate=False,
                          prior_therapies=[PriorTherapy("epoetin alfa", "no_response", 6, "no_response"),
                                           PriorTherapy("MDSKG:drug/azacitidine", None, None, "stable_disease")])
    data = patient_record_to_input(record)
    assert data["esaStatus"] == "refractory" and data["hctCi"] == 3 and data["creatinineClearanceMlMin"] == 62.5
    assert data["priorTherapies"][0] == {"therapy": "epoetin alfa", "response": "no_response", "cycles": 6,
                                         "bestResponse": "no_response"}
    for key in ("anemiaSymptoms", "bleeding", "plateletTransfusions", "recurrentInfections", "rbcUnitsTotal",
                "peripheralBlastsPct", "donorAvailable", "wantsTransplant"):
        assert key in data, key

    class Query(graphene.ObjectType):
        echo = graphene.Field(JSONString, patient=PatientInputType(required=True))

        def resolve_echo(root, info, patient):
            back = to_patient_record(patient)
            assert back == record
            return patient_record_to_input(back)

    result = graphene.Schema(query=Query).execute("query ($p: PatientInput!) { echo(patient: $p) }",
                                                  variables={"p": data})
    assert result.errors is None, result.errors
    assert json.loads(result.data["echo"]) == data


def test_graphql_input_impossible_value_is_a_clear_error_without_the_value():
    from service.errors import UserFacingError
    from service.patient.inputs import assess_record, to_patient_record

    with pytest.raises(UserFacingError) as e:
        assess_record(to_patient_record({"hct_ci": 987}))
    assert "hctCi" in str(e.value) and "987" not in str(e.value)  # named as the API field


def test_esa_status_through_the_graphql_path_links_names_first():
    from service.patient.inputs import assess_record, to_patient_record

    v = assess_record(to_patient_record({"prior_therapies": [{"therapy": "epoetin alfa", "response": "no_response"},
                                                             {"therapy": "azacitidine", "response": "response"}]}
                                        )).criterion_values
    assert v["esa_status"] == "refractory" and ESA in v["failed_therapies"]
    v = assess_record(to_patient_record({"prior_therapies": [{"therapy": "azacitidine", "response": "response"}]}
                                        )).criterion_values
    assert v["esa_status"] == "naive" and ESA not in v["failed_therapies"]


# The patient's fields are declared once, in the dataclasses; the GraphQL inputs are built from them.

# The fields the API deliberately does not take. Changing this is a decision about the API.
LEFT_OUT = {"PatientInput": {"tp53_loh", "phenotypes", "diagnoses"}, "Mutation": {"hgvs"}, "PriorTherapy": set(),
            "Quantity": set()}


def test_every_field_of_the_patient_dataclasses_is_in_the_api_or_left_out_by_decision():
    import dataclasses

    from service.patient import record as rec
    from service.patient.api_fields import api_fields, not_in_api_names
    from service.patient.inputs import NOT_IN_API

    for name, left_out in LEFT_OUT.items():
        cls = getattr(rec, name)
        taken = [f.name for f in api_fields(cls)]  # a TypeError names a field without a decision
        assert not_in_api_names(cls) == left_out, name
        assert set(taken) | left_out == {f.name for f in dataclasses.fields(cls)} and not set(taken) & left_out
    assert NOT_IN_API == LEFT_OUT["PatientInput"]


def test_a_field_without_a_decision_is_an_error():
    from dataclasses import dataclass

    from service.patient.api_fields import api, api_fields
    from service.patient.graphql import input_type

    @dataclass(frozen=True)
    class Undecided:
        age: float | None = api("Years.")
        weight: float | None = None

    with pytest.raises(TypeError, match=r"Undecided\.weight"):
        api_fields(Undecided)
    with pytest.raises(TypeError, match=r"Undecided\.weight"):
        input_type(Undecided)


def test_the_graphql_inputs_are_built_from_the_dataclasses():
    from dataclasses import dataclass

    import graphene

    from service.patient import graphql
    from service.patient.api_fields import api, not_in_api
    from service.patient.inputs import QUANTITY_FIELDS

    @dataclass(frozen=True)
    class Part:
        code: str = api("A code.", required=True)
        note: str | None = not_in_api("internal")

    @dataclass(frozen=True)
    class Sample:
        level: float | Quantity | None = api("The first type of a union decides.")
        count_per_8wk: int | None = api()
        flag: bool | None = api()
        parts: tuple[Part, ...] | None = api()
        names: tuple[str, ...] | None = api("Names.")
        dose: Quantity | None = api()
        secret: str | None = not_in_api("set elsewhere")

    class Query(graphene.ObjectType):
        echo = graphene.String(sample=graphql.input_type(Sample)(required=True))

    printed = str(graphene.Schema(query=Query))
    assert '''input SampleInput {
  """The first type of a union decides."""
  level: Float
  countPer8wk: Int
  flag: Boolean
  parts: [PartInput!]

  """Names."""
  names: [String!]
  dose: QuantityInput = null
}''' in printed
    assert '''input PartInput {
  """A code."""
  code: String!
}''' in printed
    assert graphql.input_type(Sample) is graphql.input_type(Sample)  # one class per dataclass
    # the types the schema uses are the generated ones
    assert graphql.PatientInput is graphql.input_type(PatientInput)
    assert graphql.QuantityInput is graphql.input_type(Quantity)
    assert graphql.MutationInput is graphql.input_type(Mutation)
    assert graphql.PriorTherapyInput is graphql.input_type(PriorTherapy)
    assert QUANTITY_FIELDS == ("hemoglobin", "platelets", "anc", "serum_epo", "serum_ferritin")


def test_an_imported_record_keeps_its_units_when_turned_into_the_api_input():
    # 840 months is 70 years; a VAF of 1% must not travel as a bare 1 (which the API reads as 100%).
    from service.patient.inputs import patient_record_to_input
    from service.patient.record import Mutation, PatientInput, Quantity

    out = patient_record_to_input(PatientInput(age=Quantity(840, "months"),
                                               mutations=(Mutation(gene="TP53", vaf=Quantity(1, "%")),)))
    assert out["age"] == 70.0
    assert out["mutations"] == [{"gene": "TP53", "vaf": 0.01}]


@pytest.mark.parametrize(("symbol", "near"), [
    ("SF3B", "SF3B1"), ("TP35", "TP53"), ("ASXL", "ASXL1"), ("IDH", "IDH1 or IDH2"),
    ("SF3B1", None), ("HRAS", None), ("NF2", None), ("TET1", None), ("PTPN1", None), ("PHF6", None),
])
def test_a_misspelt_gene_is_caught_and_a_real_neighbour_is_not(symbol, near):
    from service.patient.record import near_miss_gene

    assert near_miss_gene(symbol) == near


def test_a_misspelt_gene_is_a_clear_error_not_a_silent_unmutated_gene():
    from service.patient.record import Mutation, PatientInput, PatientValueError, normalise

    with pytest.raises(PatientValueError, match=r"mutations\[0\]\.gene: 'SF3B' .* did you mean SF3B1"):
        normalise(PatientInput(mutations=(Mutation(gene="SF3B"),)))


# ---- Auer rods: the finding that places low-blast MDS in the higher increased-blasts subtype -------------------

def test_auer_rods_is_a_yes_no_value_that_reaches_the_criteria():
    assert MODEL["criterion_variables"]["auer_rods"]["type"] == "boolean"
    assert to_criterion_values(normalise(PatientInput(auer_rods="yes"))) == {"auer_rods": True}
    assert to_criterion_values(normalise(PatientInput(auer_rods=False))) == {"auer_rods": False}
    assert normalise(PatientInput()).auer_rods is None
    with pytest.raises(PatientValueError) as e:
        normalise(PatientInput(auer_rods="a few"))
    assert str(e.value).startswith("auer_rods:")


def test_a_trial_asking_for_raeb_2_judges_a_low_blast_patient_by_the_auer_rods_given():
    from etl.extract import RuleExtractor
    from service.patient.trials import match_trial
    from tests.unit.test_trial_logic import _rows
    from tests.unit.trial_text import trial_criteria

    row = _rows(trial_criteria(RuleExtractor(), "Inclusion Criteria:\n\n- MDS subtype RAEB-2\n"))
    low_blasts = dict(marrow_blasts_pct=4, peripheral_blasts_pct=1)

    def verdict(**extra):
        return match_trial(row, to_criterion_values(normalise(PatientInput(**low_blasts, **extra)))).verdict

    assert verdict(auer_rods=True) == "POSSIBLE"
    assert verdict(auer_rods=False) == "NOT_ELIGIBLE"
    assert verdict() == "UNKNOWN"  # Auer rods alone would make it RAEB-2: not known, not ruled out

"""Units, impossible values and the mapping to model.yaml criterion variables."""

from pathlib import Path

import pytest
import yaml

from service.patient.assess import assess
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


def test_cellularity_not_derived_from_percentage():
    n = normalise(PatientInput(marrow_cellularity_pct=15))
    assert "marrow_cellularity" not in to_criterion_values(n)


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

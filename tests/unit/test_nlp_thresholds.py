"""Threshold parsing: every phrase → exact variable/operator/value/unit, with offsets."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from etl.nlp.thresholds import VARIABLE_UNITS, find_quantities, parse_thresholds

MODEL = yaml.safe_load((Path(__file__).resolve().parents[2] / "ontology" / "data" / "model.yaml").read_text())

CASES = [
    ("≤60 years", "age", "<=", 60, "years"),
    ("aged 60 years or younger", "age", "<=", 60, "years"),
    ("age 18 years or older", "age", ">=", 18, "years"),
    ("18 years or older", "age", ">=", 18, "years"),
    ("younger than 65 years", "age", "<", 65, "years"),
    ("blasts <5%", "marrow_blasts_pct", "<", 5, "%"),
    ("bone marrow blasts of 5% or less", "marrow_blasts_pct", "<=", 5, "%"),
    ("less than 20% blasts", "marrow_blasts_pct", "<", 20, "%"),
    ("5% to 9% blasts in the bone marrow", "marrow_blasts_pct", "between", [5, 9], "%"),
    ("platelets <20 × 10⁹/L", "platelets_10e9_l", "<", 20, "10^9/L"),
    ("platelet count ≥ 50,000/µL", "platelets_10e9_l", ">=", 50, "10^9/L"),
    ("Platelets < 50,000/uL", "platelets_10e9_l", "<", 50, "10^9/L"),
    ("platelet counts lower than 10,000/mm3", "platelets_10e9_l", "<", 10, "10^9/L"),
    ("platelets < 30,000/mm³", "platelets_10e9_l", "<", 30, "10^9/L"),
    ("serum EPO ≤500 mU/mL", "serum_epo_mu_ml", "<=", 500, "mU/mL"),
    ("below 500 U/L", "serum_epo_mu_ml", "<", 500, "mU/mL"),
    ("serum erythropoietin level lower than 200 IU/L", "serum_epo_mu_ml", "<", 200, "mU/mL"),
    ("sEPO > 500 mIU/mL", "serum_epo_mu_ml", ">", 500, "mU/mL"),
    ("≥15% ring sideroblasts", "ring_sideroblasts_pct", ">=", 15, "%"),
    ("at least 15% of marrow red cell precursors are ring sideroblasts", "ring_sideroblasts_pct", ">=", 15, "%"),
    ("5% or more with an SF3B1 mutation", "ring_sideroblasts_pct", ">=", 5, "%"),
    ("hemoglobin < 10 g/dL", "hemoglobin_g_dl", "<", 10, "g/dL"),
    ("Hb below 100 g/L", "hemoglobin_g_dl", "<", 10, "g/dL"),
    ("haemoglobin ≤ 9.5", "hemoglobin_g_dl", "<=", 9.5, "g/dL"),
    ("ANC < 0.8 × 10^9/L", "anc_10e9_l", "<", 0.8, "10^9/L"),
    ("Absolute neutrophil count (ANC) < 500/uL", "anc_10e9_l", "<", 0.5, "10^9/L"),
    ("ECOG performance status 0-2", "ecog", "between", [0, 2], None),
    ("ECOG PS ≤ 2", "ecog", "<=", 2, None),
    ("creatinine ≤ 2.0 mg/dL", "creatinine_mg_dl", "<=", 2.0, "mg/dL"),
    ("serum creatinine < 177 µmol/L", "creatinine_mg_dl", "<", 2.002, "mg/dL"),
    ("bilirubin ≤ 1.5 × ULN", "bilirubin_x_uln", "<=", 1.5, "x ULN"),
    ("total bilirubin ≤ 2 times the upper limit of normal", "bilirubin_x_uln", "<=", 2, "x ULN"),
    ("IPSS low or intermediate-1", "ipss_category", "in", ["low", "intermediate_1"], None),
    ("IPSS-R very low, low or intermediate", "ipssr_category", "in", ["very_low", "low", "intermediate"], None),
    ("IPSS risk groups of intermediate-2 or high", "ipss_category", "in", ["intermediate_2", "high"], None),
    ("low or intermediate-1 risk MDS", "ipss_category", "in", ["low", "intermediate_1"], None),
    ("IPSS low to intermediate-1", "ipss_category", "in", ["low", "intermediate_1"], None),
    ("IPSS-M moderate high", "ipssm_category", "==", "moderate_high", None),
    ("transfusion-dependent", "transfusion_dependent", "==", True, None),
    ("anemia that requires red blood cell transfusions", "transfusion_dependent", "==", True, None),
    ("patients who did not yet require a transfusion", "transfusion_dependent", "==", False, None),
    ("≥ 2 units of RBC per 8 weeks", "transfusion_units_per_8wk", ">=", 2, "units/8 weeks"),
    ("<2 units of packed red blood cells every month", "transfusion_units_per_8wk", "<", 4, "units/8 weeks"),
    ("at least 4 units of RBCs in 16 weeks", "transfusion_units_per_8wk", ">=", 2, "units/8 weeks"),
]


@pytest.mark.parametrize("phrase,variable,operator,value,unit", CASES, ids=[c[0] for c in CASES])
def test_phrase(phrase, variable, operator, value, unit):
    found = [t for t in parse_thresholds(phrase) if t.variable == variable]
    assert found, f"no {variable} in {parse_thresholds(phrase)}"
    threshold = found[0]
    assert threshold.operator == operator
    if isinstance(value, float):
        assert threshold.value == pytest.approx(value, abs=0.01)
    else:
        assert threshold.value == value
    assert threshold.unit == unit
    assert phrase[threshold.start : threshold.end] == threshold.text


@pytest.mark.parametrize("phrase", [
    "free of the disease for ≥ 5 years",  # a duration, not an age
    "within the past 3 years",
    "Approximately 50% of patients have a detectable cytogenetic abnormality",
    "in patients with a median age younger than 50 years",  # describes a cohort
    "Median survival varies from 2 years to 5 years",
    "RAEB-1 and RAEB-2",
    "del(5q) and T1b prostate cancer",
    "transfusion independence in 67%",
    "low serum erythropoietin level and low transfusion needs",  # no number, no scheme
    "[PMID:9401087]",
])
def test_not_a_threshold(phrase):
    assert parse_thresholds(phrase) == []


@pytest.mark.parametrize(("phrase", "expected"), [
    ("creatinine clearance (CrC1)<40 mL/min", ("creatinine_clearance_ml_min", "<", 40, "mL/min")),
    ("Aspartate aminotransferase (AST) or alanine aminotransferase (ALT) > 3X upper limit of normal",
     ("ast_alt_x_uln", ">", 3, "x ULN")),
    ("ALT no more than 2.5 times the upper limit of normal", ("alt_x_uln", "<=", 2.5, "x ULN")),
    ("SGOT ≤ 2 × ULN", ("ast_x_uln", "<=", 2, "x ULN")),
    ("transaminases up to 3 x ULN", ("ast_alt_x_uln", "<=", 3, "x ULN")),
    ("estimated GFR of at least 45 mL/min/1.73 m2", ("creatinine_clearance_ml_min", ">=", 45, "mL/min")),
    ("left ventricular ejection fraction of 50% or more", ("lvef_pct", ">=", 50, "%")),
    ("DLCO corrected for haemoglobin > 55% of predicted", ("dlco_pct_predicted", ">", 55, "%")),
    ("arterial oxygen pressure below 65 mmHg", ("pao2_mmhg", "<", 65, "mmHg")),
    ("QTcF greater than 470 msec", ("qtc_ms", ">", 470, "ms")),
    ("Karnofsky score of at least 60%", ("karnofsky", ">=", 60, None)),
    ("expected survival of more than 8 weeks", ("life_expectancy_months", ">", 2, "months")),
    ("ferritin above 1,000 ng/mL", ("serum_ferritin_ng_ml", ">", 1000, "ng/mL")),
    ("conjugated bilirubin < 2 mg/dL", ("direct_bilirubin_mg_dl", "<", 2, "mg/dL")),
    ("IPSS score of 1.5 or higher", ("ipss_score", ">=", 1.5, None)),
])
def test_trial_labs_and_scores(phrase, expected):
    found = [(t.variable, t.operator, t.value, t.unit) for t in parse_thresholds(phrase)]
    assert found == [expected]


@pytest.mark.parametrize("phrase", [
    "ECOG performance status 0-2",  # not Karnofsky
    "Karnofsky performance status ≥ 70",
])
def test_performance_scales_kept_apart(phrase):
    variables = {t.variable for t in parse_thresholds(phrase)}
    assert variables == ({"ecog"} if "ECOG" in phrase else {"karnofsky"})


def test_offsets_in_a_sentence():
    text = "Response to IST is more likely in patients aged 60 years or younger with bone marrow blasts of 5% or less [PMID:9401087]."
    thresholds = parse_thresholds(text)
    assert [(t.variable, t.operator, t.value) for t in thresholds] == [
        ("age", "<=", 60), ("marrow_blasts_pct", "<=", 5)]
    for t in thresholds:
        assert text[t.start : t.end] == t.text
    assert thresholds[1].text == "bone marrow blasts of 5% or less"


def test_follow_on_quantity_inherits_variable():
    text = "ring sideroblasts ≥15%, or ≥5% if SF3B1 is mutated"
    assert [(t.variable, t.operator, t.value) for t in parse_thresholds(text)] == [
        ("ring_sideroblasts_pct", ">=", 15), ("ring_sideroblasts_pct", ">=", 5)]


def test_two_blast_ranges_keep_marrow_and_blood_apart():
    text = "RAEB-1 is characterized by 5% to 9% blasts in the bone marrow and less than 5% blasts in the blood."
    assert [(t.variable, t.operator, t.value) for t in parse_thresholds(text)] == [
        ("marrow_blasts_pct", "between", [5, 9]), ("peripheral_blasts_pct", "<", 5)]


@pytest.mark.parametrize("operator_text,expected", [
    ("<=", "<="), ("=<", "<="), ("≤", "<="), ("≦", "<="), ("at most", "<="), ("up to", "<="),
    ("no more than", "<="), (">=", ">="), ("≥", ">="), ("at least", ">="), ("<", "<"), ("below", "<"),
    ("under", "<"), ("less than", "<"), (">", ">"), ("more than", ">"), ("greater than", ">"),
    ("exceeding", ">"), ("above", ">"),
])
def test_operator_words(operator_text, expected):
    [threshold] = parse_thresholds(f"platelets {operator_text} 50 × 10^9/L")
    assert threshold.operator == expected


@pytest.mark.parametrize("suffix,expected", [("or less", "<="), ("or younger", "<="), ("or more", ">="),
                                              ("or older", ">="), ("or greater", ">="), ("or lower", "<=")])
def test_postfix_operator_words(suffix, expected):
    [threshold] = parse_thresholds(f"aged 60 years {suffix}")
    assert (threshold.variable, threshold.operator) == ("age", expected)


def test_quantities_skip_names_with_digits():
    assert find_quantities("RAEB-1, T1b, del(5q), IPSS-R, PMID:123") == []


def test_variables_and_values_exist_in_model_yaml():
    variables = MODEL["criterion_variables"]
    for name, unit in VARIABLE_UNITS.items():
        assert name in variables, name
        assert variables[name].get("unit") == unit or variables[name]["type"] != "number", name
    for phrase, variable, operator, value, _ in CASES:
        assert variable in variables
        assert operator in MODEL["criterion_operators"]
        allowed = variables[variable].get("values")
        if allowed and isinstance(value, (list, str)):
            values = value if isinstance(value, list) else [value]
            assert set(values) <= set(allowed), phrase


def test_category_list_starts_at_a_word_start():
    from etl.nlp.thresholds import _CATEGORY_LIST

    for inside in ("follow", "below", "thigh"):
        assert _CATEGORY_LIST.search(inside) is None, inside
    assert _CATEGORY_LIST.search("shallow and high").group("list") == "high"
    assert _CATEGORY_LIST.search("low, intermediate-1 or high risk").group("list").startswith("low")


@pytest.mark.parametrize(("phrase", "expected"), [
    ("Participants must be 21 years or older", ("age", ">=", 21, "years")),  # "participants" is not a count here
    ("platelets at least 40 thou/mm3", ("platelets_10e9_l", ">=", 40, "10^9/L")),
    ("neutrophils 1.5 K/uL or more", ("anc_10e9_l", ">=", 1.5, "10^9/L")),
    ("platelet count ≤ 75 x 109/L", ("platelets_10e9_l", "<=", 75, "10^9/L")),  # a superscript lost in the record
    ("ECOG performance status less than or equal to (</=) 1", ("ecog", "<=", 1, None)),
    ("at least 6 month life expectancy", ("life_expectancy_months", ">=", 6, "months")),
    ("IPSS intermediate-1 (0.5-1.0 points) or low (0 points)", ("ipss_category", "in", ["low", "intermediate_1"], None)),
    ("MDS in the high intermediate or high risk group", ("ipss_category", "in", ["intermediate_2", "high"], None)),
    ("bilirubin no more than 3 times the laboratory upper limit of normal", ("bilirubin_x_uln", "<=", 3, "x ULN")),
    ("creatinine not > 2 times normal", ("creatinine_x_uln", "<=", 2, "x ULN")),
    ("Bilirubin within normal institutional limits", ("bilirubin_x_uln", "<=", 1, "x ULN")),
])
def test_registry_spellings(phrase, expected):
    found = [(t.variable, t.operator, t.value, t.unit) for t in parse_thresholds(phrase)]
    assert expected in found, found


def test_one_limit_after_a_list_of_analytes_holds_for_each():
    found = {(t.variable, t.operator, t.value) for t in parse_thresholds("SGOT, SGPT and bilirubin below 2 x ULN")}
    assert found == {("ast_alt_x_uln", "<", 2), ("bilirubin_x_uln", "<", 2)}


def test_the_same_limit_for_ast_and_alt_is_one_criterion():
    found = [(t.variable, t.operator, t.value) for t in parse_thresholds("AST ≤ 3 x ULN and ALT ≤ 3 x ULN")]
    assert found == [("ast_alt_x_uln", "<=", 3)]


@pytest.mark.parametrize("text", [
    "NHL after progression if stage I/II < 1 year",  # a time since progression, not an age
    "relapse within 2 years of the first remission",
])
def test_short_time_spans_without_an_age_word_are_not_ages(text):
    from etl.nlp.thresholds import parse_thresholds

    assert [t for t in parse_thresholds(text) if t.variable == "age"] == []


def test_blasts_in_the_blood_are_peripheral_blasts_not_marrow_blasts():
    found = parse_thresholds("less than 1% blasts in the blood")
    assert [(t.variable, t.operator, t.value) for t in found] == [("peripheral_blasts_pct", "<", 1)]

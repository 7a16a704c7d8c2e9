"""Eligibility lines whose sense turns on an exception, a permission with an exception, a "neither … nor", an exclusion
written inside the inclusion list, or European number writing (issue 15, session 10). Every line here is made up for
this file; each rule has a line it must read and a similar line it must not misread. The verdicts are what a careful
reader of the one line would give."""

from __future__ import annotations

import json

import pytest

from etl.nlp.thresholds import european_numbers, parse_thresholds
from service.patient.trials import match_trial
from tests.unit.trial_text import trial_criteria


@pytest.fixture(scope="module")
def extractor():
    from etl.extract import RuleExtractor

    return RuleExtractor()


def _row(criteria) -> dict:
    return {"id": "MDSKG:study/t", "nct_id": "NCT00000001", "criteria": [
        {"id": f"c{i}", "variable": c.variable, "operator": c.operator, "value_json": json.dumps(c.value),
         "unit": c.unit, "role": c.role, "text": c.text, "scope": c.scope, "group": c.group}
        for i, c in enumerate(criteria)]}


def _check_line(extractor, line: str, patient: dict, ruled_out: bool, must_read: bool = False) -> None:
    """One made-up line ("I|..." under Inclusion, "E|..." under Exclusion) read as a one-line trial: the patient is
    ruled out exactly when a careful reader would rule them out (the helper of tests/unit/test_trial_logic.py)."""
    section, text = line.split("|", 1)
    heading = "Inclusion Criteria:" if section == "I" else "Exclusion Criteria:"
    row = _row(trial_criteria(extractor, f"{heading}\n\n- {text}\n"))
    assert row["criteria"] or not must_read, "nothing read"
    assert (match_trial(row, patient).verdict == "NOT_ELIGIBLE") == ruled_out, row["criteria"]


# ---- European decimal commas, thousands points and giga-per-litre units ---------------------------------------------

@pytest.mark.parametrize(("text", "variable", "operator", "value"), [
    ("Neutrophils at least 1,2 G/l", "anc_10e9_l", ">=", 1.2),
    ("Haemoglobin below 8,5 g/dL", "hemoglobin_g_dl", "<", 8.5),
    ("Creatinine up to 1,8 x ULN", "creatinine_x_uln", "<=", 1.8),
    ("Thrombocytes of 30.000/µl or more", "platelets_10e9_l", ">=", 30),
    ("Platelet count under 1.500.000/mm3", "platelets_10e9_l", "<", 1500),
    ("Thrombocytes above 75 Gpt/l", "platelets_10e9_l", ">", 75),
    ("Neutrophils >= 0.8 G/L", "anc_10e9_l", ">=", 0.8),
])
def test_european_number_writing(text, variable, operator, value):
    found = [(t.variable, t.operator, t.value) for t in parse_thresholds(text)]
    assert found == [(variable, operator, value)]


@pytest.mark.parametrize("text", [
    "ECOG performance status 0,1 or 2",  # a list, not a decimal: no unit follows
    "Platelets 12.5/µL",  # one decimal place is no thousands point
    "Hb 1,5,7",  # a list of numbers
])
def test_commas_and_points_that_are_not_european_numbers_stay(text):
    assert european_numbers(text) == text


def test_a_bare_list_is_still_a_list():
    assert [(t.variable, t.operator, t.value) for t in parse_thresholds("ECOG 0,1 or 2")] == [("ecog", "in", [0, 1, 2])]


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Absolute neutrophil count of at least 1,5 G/l", {"anc_10e9_l": 1.2}, True),
    ("I|Absolute neutrophil count of at least 1,5 G/l", {"anc_10e9_l": 1.7}, False),
    ("I|Thrombocytes >= 40.000/µL", {"platelets_10e9_l": 30}, True),
    ("I|Thrombocytes >= 40.000/µL", {"platelets_10e9_l": 45}, False),
])
def test_european_limits_rule_out(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


# ---- an exclusion written in the inclusion list, on a yes/no finding -------------------------------------------------

@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|People who do not need regular red-cell transfusions (transfusion independent) are not eligible",
     {"transfusion_dependent": False}, True),
    ("I|People who do not need regular red-cell transfusions (transfusion independent) are not eligible",
     {"transfusion_dependent": True}, False),
    ("I|Patients who are transfusion-dependent will not be enrolled", {"transfusion_dependent": True}, True),
    ("I|Patients who are transfusion-dependent will not be enrolled", {"transfusion_dependent": False}, False),
    # the same finding as a requirement stays one
    ("I|Transfusion independent at study entry", {"transfusion_dependent": True}, True),
    ("I|Transfusion independent at study entry", {"transfusion_dependent": False}, False),
    # under the exclusion heading the words already exclude
    ("E|Transfusion-independent patients are excluded", {"transfusion_dependent": False}, True),
    ("E|Transfusion-independent patients are excluded", {"transfusion_dependent": True}, False),
])
def test_a_yes_no_finding_said_excluded_in_the_inclusion_list(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


# ---- "Y unless X" under the exclusion heading: the exception's own polarity ----------------------------------------

UNFIT = {"intensive_chemo_candidate": False, "ineligible_therapies": ["MDSKG:therapy/intensive-chemotherapy"]}
FIT = {"intensive_chemo_candidate": True, "ineligible_therapies": []}


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("E|Younger than 55 years, unless not a candidate for intensive chemotherapy", {"age": 45, **FIT}, True),
    ("E|Younger than 55 years, unless not a candidate for intensive chemotherapy", {"age": 45, **UNFIT}, False),
    ("E|Younger than 55 years, unless not a candidate for intensive chemotherapy", {"age": 70, **FIT}, False),
    ("E|Younger than 55 years, unless unfit for intensive chemotherapy", {"age": 45, **FIT}, True),
    ("E|Younger than 55 years, unless unfit for intensive chemotherapy", {"age": 45, **UNFIT}, False),
    # the exception's own "no": an earlier transplant is out only with graft-versus-host disease
    ("E|Earlier allogeneic transplant, unless there is no active graft-versus-host disease",
     {"prior_therapies": ["MDSKG:therapy/allo-hsct"], "active_gvhd": True}, True),
    ("E|Earlier allogeneic transplant, unless there is no active graft-versus-host disease",
     {"prior_therapies": ["MDSKG:therapy/allo-hsct"], "active_gvhd": False}, False),
    # a positive exception is kept as written
    ("E|Serum creatinine above 2.5 mg/dL, unless HIV positive", {"creatinine_mg_dl": 3.0, "hiv_positive": False}, True),
    ("E|Serum creatinine above 2.5 mg/dL, unless HIV positive", {"creatinine_mg_dl": 3.0, "hiv_positive": True}, False),
])
def test_the_exception_after_unless_keeps_its_own_polarity(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


# ---- "X is not exclusionary / is allowed, unless Y": only X with Y is out --------------------------------------------

def _karyotype(*findings: str) -> dict:
    return {"karyotype_findings": list(findings), "karyotype_abnormality_count": len(findings)}


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("E|Trisomy 8 does not exclude a patient unless it occurs within a complex karyotype",
     _karyotype("plus8", "minus7", "del20q", "complex"), True),
    ("E|Trisomy 8 does not exclude a patient unless it occurs within a complex karyotype", _karyotype("plus8"), False),
    ("E|Trisomy 8 does not exclude a patient unless it occurs within a complex karyotype",
     _karyotype("minus7", "del20q", "del5q", "complex"), False),
    ("E|Trisomy 8 does not exclude a patient unless it occurs within a complex karyotype", _karyotype("normal"), False),
    ("I|Earlier ESA treatment is permitted unless the patient now needs regular transfusions",
     {"prior_therapies": ["MDSKG:drug/epoetin-alfa", "MDSKG:therapy/esa"], "transfusion_dependent": True}, True),
    ("I|Earlier ESA treatment is permitted unless the patient now needs regular transfusions",
     {"prior_therapies": ["MDSKG:drug/epoetin-alfa", "MDSKG:therapy/esa"], "transfusion_dependent": False}, False),
    ("I|Earlier ESA treatment is permitted unless the patient now needs regular transfusions",
     {"prior_therapies": [], "transfusion_dependent": True}, False),
    # the same words without the permission: "Y unless X" excludes Y without X
    ("E|Trisomy 8, unless it occurs within a complex karyotype", _karyotype("plus8"), True),
    ("E|Trisomy 8, unless it occurs within a complex karyotype", _karyotype("plus8", "minus7", "del20q", "complex"),
     False),
])
def test_a_permission_with_an_exception(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_a_permission_whose_case_was_not_read_rules_no_one_out_on_its_exception(extractor):
    # the case allowed ("secondary MDS") is not read; the exception alone must not exclude everyone with TP53
    line = "E|Secondary MDS is acceptable unless a TP53 mutation is present"
    _check_line(extractor, line, {"mutated_genes": ["TP53"], "mutated_genes__tested": ["TP53"]}, False)
    _check_line(extractor, line, {"mutated_genes": [], "mutated_genes__tested": ["TP53"]}, False)


# ---- a reaction named inside an exception for patients ---------------------------------------------------------------

LEN = ["MDSKG:drug/lenalidomide", "MDSKG:therapy/imids"]


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("E|Earlier lenalidomide, except for patients with a 5q deletion who had to stop it for toxicity",
     {"prior_therapies": LEN, "failed_therapies": [], **_karyotype("normal")}, True),
    ("E|Earlier lenalidomide, except for patients with a 5q deletion who had to stop it for toxicity",
     {"prior_therapies": LEN, "failed_therapies": LEN, **_karyotype("del5q")}, False),
    ("E|Earlier lenalidomide, except for patients with a 5q deletion who had to stop it for toxicity",
     {"prior_therapies": [], "failed_therapies": [], **_karyotype("normal")}, False),
])
def test_a_reaction_inside_an_exception_leaves_the_history(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_a_reaction_to_a_therapy_is_still_no_history(extractor):
    # "toxicity from earlier X" names no history of X to require or exclude
    _check_line(extractor, "E|Lingering toxicity from earlier lenalidomide", {"prior_therapies": LEN}, False)


# ---- "neither … nor" -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # excluded: only a patient with neither is out
    ("E|Neither dependent on transfusions nor symptomatic due to anaemia",
     {"transfusion_dependent": False, "anemia_symptoms": False}, True),
    ("E|Neither dependent on transfusions nor symptomatic due to anaemia",
     {"transfusion_dependent": True, "anemia_symptoms": False}, False),
    ("E|Neither dependent on transfusions nor symptomatic due to anaemia",
     {"transfusion_dependent": False, "anemia_symptoms": True}, False),
    ("E|Neither therapy-related disease nor earlier AML", {"therapy_related": False, "prior_aml": False}, True),
    ("E|Neither therapy-related disease nor earlier AML", {"therapy_related": True, "prior_aml": False}, False),
    # required: each one is denied
    ("I|Neither transfusion-dependent nor symptomatic due to anaemia",
     {"transfusion_dependent": True, "anemia_symptoms": False}, True),
    ("I|Neither transfusion-dependent nor symptomatic due to anaemia",
     {"transfusion_dependent": False, "anemia_symptoms": False}, False),
    ("I|Neither an ANC under 0.8 x 10^9/L nor a platelet count under 30 x 10^9/L",
     {"anc_10e9_l": 0.5, "platelets_10e9_l": 100}, True),
    ("I|Neither an ANC under 0.8 x 10^9/L nor a platelet count under 30 x 10^9/L",
     {"anc_10e9_l": 2.0, "platelets_10e9_l": 20}, True),
    ("I|Neither an ANC under 0.8 x 10^9/L nor a platelet count under 30 x 10^9/L",
     {"anc_10e9_l": 2.0, "platelets_10e9_l": 100}, False),
])
def test_neither_nor(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_a_plain_exclusion_still_excludes_each_condition(extractor):
    # no "neither": each one excludes on its own
    line = "E|Therapy-related disease or earlier AML"
    _check_line(extractor, line, {"therapy_related": True, "prior_aml": False}, True)
    _check_line(extractor, line, {"therapy_related": False, "prior_aml": False}, False)


# ---- "stopped it because of toxicity" inside an exception: both parts of the exception must hold ---------------------

AZA = ["MDSKG:drug/azacitidine", "MDSKG:therapy/hma"]


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("E|Earlier azacitidine, except for patients with a TP53 mutation who discontinued it due to side effects",
     {"prior_therapies": AZA, "failed_therapies": [], "mutated_genes": ["TP53"], "mutated_genes__tested": ["TP53"]},
     True),  # still on it and tolerating it: the exception does not hold
    ("E|Earlier azacitidine, except for patients with a TP53 mutation who discontinued it due to side effects",
     {"prior_therapies": AZA, "failed_therapies": AZA, "mutated_genes": ["TP53"], "mutated_genes__tested": ["TP53"]},
     False),
    ("E|Earlier azacitidine, except for patients with a TP53 mutation who discontinued it due to side effects",
     {"prior_therapies": AZA, "failed_therapies": AZA, "mutated_genes": [], "mutated_genes__tested": ["TP53"]}, True),
    ("E|Earlier azacitidine, except for patients with a TP53 mutation who discontinued it due to side effects",
     {"prior_therapies": [], "failed_therapies": [], "mutated_genes": [], "mutated_genes__tested": ["TP53"]}, False),
    # without the words about stopping, the gene alone is the exception
    ("E|Earlier azacitidine, except for patients with a TP53 mutation",
     {"prior_therapies": AZA, "failed_therapies": [], "mutated_genes": ["TP53"], "mutated_genes__tested": ["TP53"]},
     False),
])
def test_an_exception_that_also_asks_the_drug_was_stopped_for_toxicity(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


# ---- a count of earlier lines written as "exactly" / "only" ----------------------------------------------------------

@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Has had exactly two prior lines of therapy", {"prior_therapy_lines": 3}, True),
    ("I|Has had exactly two prior lines of therapy", {"prior_therapy_lines": 1}, True),
    ("I|Has had exactly two prior lines of therapy", {"prior_therapy_lines": 2}, False),
    ("I|Only one previous regimen, which must have been azacitidine",
     {"prior_therapy_lines": 2, "prior_therapies": AZA}, True),
    ("I|Only one previous regimen, which must have been azacitidine",
     {"prior_therapy_lines": 1, "prior_therapies": AZA}, False),
    # "at least" keeps its own sense
    ("I|Has had at least two prior lines of therapy", {"prior_therapy_lines": 3}, False),
])
def test_an_exact_count_of_earlier_lines(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


# ---- symptoms of anaemia together with a haemoglobin limit -----------------------------------------------------------

@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Symptomatic anemia and a hemoglobin below 9.5 g/dL", {"hemoglobin_g_dl": 8.0, "anemia_symptoms": False}, True),
    ("I|Symptomatic anemia with a hemoglobin below 9.5 g/dL", {"hemoglobin_g_dl": 8.0, "anemia_symptoms": False}, True),
    ("I|Symptomatic anemia with a hemoglobin below 9.5 g/dL", {"hemoglobin_g_dl": 8.0, "anemia_symptoms": True}, False),
    ("I|Symptomatic anemia with a hemoglobin below 9.5 g/dL", {"hemoglobin_g_dl": 10.5, "anemia_symptoms": True}, True),
    # a definition with alternatives: the symptoms hold with one of them, and are not read as an alternative of
    # their own (a patient with symptoms but neither alternative stays out)
    ("I|Symptomatic anemia with a hemoglobin below 9.5 g/dL or a need for red-cell transfusions",
     {"hemoglobin_g_dl": 8.0, "transfusion_dependent": False, "anemia_symptoms": True}, False),
    ("I|Symptomatic anemia with a hemoglobin below 9.5 g/dL or a need for red-cell transfusions",
     {"hemoglobin_g_dl": 10.5, "transfusion_dependent": False, "anemia_symptoms": True}, True),
])
def test_symptoms_of_anaemia_with_a_haemoglobin_limit(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_symptoms_with_a_limit_as_one_alternative_of_a_list_are_read_by_the_limit(extractor):
    text = ("Inclusion Criteria:\n\n- Any one of the following:\n\n  - Symptomatic anemia with a hemoglobin below "
            "9.5 g/dL\n\n  - ANC below 0.8 x 10^9/L\n")
    row = _row(trial_criteria(extractor, text))
    assert "anemia_symptoms" not in {c["variable"] for c in row["criteria"]}
    assert match_trial(row, {"hemoglobin_g_dl": 8.0, "anemia_symptoms": False, "anc_10e9_l": 2.0}).verdict \
        != "NOT_ELIGIBLE"


# ---- a limit for each age group --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Creatinine clearance of 40 mL/min or more in patients aged 70 or older; 55 mL/min or more for those under 70",
     {"age": 60, "creatinine_clearance_ml_min": 48}, True),
    ("I|Creatinine clearance of 40 mL/min or more in patients aged 70 or older; 55 mL/min or more for those under 70",
     {"age": 60, "creatinine_clearance_ml_min": 60}, False),
    ("I|Creatinine clearance of 40 mL/min or more in patients aged 70 or older; 55 mL/min or more for those under 70",
     {"age": 75, "creatinine_clearance_ml_min": 48}, False),
    ("I|Creatinine clearance of 40 mL/min or more in patients aged 70 or older; 55 mL/min or more for those under 70",
     {"age": 75, "creatinine_clearance_ml_min": 35}, True),
    ("I|Comorbidity index (HCT-CI) of 3 or less if aged 60 or over; HCT-CI of 5 or less if younger",
     {"age": 45, "hct_ci": 6}, True),
    ("I|Comorbidity index (HCT-CI) of 3 or less if aged 60 or over; HCT-CI of 5 or less if younger",
     {"age": 45, "hct_ci": 4}, False),
    ("I|Comorbidity index (HCT-CI) of 3 or less if aged 60 or over; HCT-CI of 5 or less if younger",
     {"age": 66, "hct_ci": 4}, True),
])
def test_a_limit_for_each_age_group(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_a_second_clause_for_an_older_group_is_not_read_as_the_younger_one(extractor):
    # "… if older" after a limit for those 60 or over names no other group: not read as the younger patients' limit
    line = "I|HCT-CI of 3 or less if aged 60 or over; HCT-CI of 5 or less if older"
    _check_line(extractor, line, {"age": 45, "hct_ci": 6}, False)


# ---- a limit lifted for a case, and a case written as a denial -------------------------------------------------------

@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Serum EPO below 400 mU/mL; no EPO limit for patients whose ESA failed",
     {"serum_epo_mu_ml": 600, "prior_therapies": [], "failed_therapies": []}, True),
    ("I|Serum EPO below 400 mU/mL; no EPO limit for patients whose ESA failed",
     {"serum_epo_mu_ml": 600, "prior_therapies": ["MDSKG:therapy/esa"], "failed_therapies": ["MDSKG:therapy/esa"]},
     False),
    ("I|Serum EPO below 400 mU/mL; no EPO limit for patients whose ESA failed",
     {"serum_epo_mu_ml": 200, "prior_therapies": [], "failed_therapies": []}, False),
    # "… if HMA-naive": the limit binds only those never given an HMA
    ("I|Platelets at least 30 x 10^9/L if HMA-naive", {"platelets_10e9_l": 20, "prior_therapies": []}, True),
    ("I|Platelets at least 30 x 10^9/L if HMA-naive", {"platelets_10e9_l": 20, "prior_therapies": AZA}, False),
    ("I|Platelets at least 30 x 10^9/L if HMA-naive", {"platelets_10e9_l": 40, "prior_therapies": []}, False),
])
def test_a_limit_lifted_for_a_case_and_a_denied_case(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_a_limit_lifted_for_an_unnamed_analyte_is_not_tied_to_another_limit(extractor):
    # "no upper limit" names no analyte: the platelet floor stays for everyone
    line = "I|Platelets at least 50 x 10^9/L; no upper limit for patients with marrow blasts above 10%"
    _check_line(extractor, line, {"platelets_10e9_l": 30, "marrow_blasts_pct": 15}, True)


# ---- the scheme's name before a score, and lettered alternatives that deny each other --------------------------------

@pytest.mark.parametrize(("text", "variable", "operator", "value"), [
    ("IPSS-R > 4.5", "ipssr_score", ">", 4.5),
    ("revised IPSS score of at least 3", "ipssr_score", ">=", 3),
    ("IPSS >= 1.5", "ipss_score", ">=", 1.5),
])
def test_a_scheme_named_right_before_a_score_limit(text, variable, operator, value):
    assert [(t.variable, t.operator, t.value) for t in parse_thresholds(text)] == [(variable, operator, value)]


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Either (a) IPSS-R above 4.5, or (b) IPSS-R of 4.5 or less with a platelet count below 30 x 10^9/L",
     {"ipssr_score": 3.0, "platelets_10e9_l": 80}, True),
    ("I|Either (a) IPSS-R above 4.5, or (b) IPSS-R of 4.5 or less with a platelet count below 30 x 10^9/L",
     {"ipssr_score": 3.0, "platelets_10e9_l": 20}, False),
    ("I|Either (a) IPSS-R above 4.5, or (b) IPSS-R of 4.5 or less with a platelet count below 30 x 10^9/L",
     {"ipssr_score": 6.0, "platelets_10e9_l": 80}, False),
])
def test_lettered_alternatives_where_one_part_only_denies_the_other(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


# ---- "A, or if above this, B" and an "or" after the words naming A's scheme ------------------------------------------

@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Bilirubin <= 1.5 mg/dL, or if higher, direct bilirubin <= 0.5 mg/dL",
     {"bilirubin_mg_dl": 2.0, "direct_bilirubin_mg_dl": 0.3}, False),
    ("I|Serum creatinine of 2.0 mg/dL or less, or if above this, a clearance of at least 40 mL/min",
     {"creatinine_mg_dl": 2.5, "creatinine_clearance_ml_min": 45}, False),
    ("I|Serum creatinine of 2.0 mg/dL or less, or if above this, a clearance of at least 40 mL/min",
     {"creatinine_mg_dl": 2.5, "creatinine_clearance_ml_min": 30}, True),
    ("I|Serum creatinine of 2.0 mg/dL or less, or if above this, a clearance of at least 40 mL/min",
     {"creatinine_mg_dl": 1.0, "creatinine_clearance_ml_min": 30}, False),
    # "by IPSS" and "at any VAF" say how A is measured; the "or" after them still joins A and B
    ("I|Intermediate-2 or high risk by IPSS, or IPSS-R above 3.5",
     {"ipss_category": "intermediate_1", "ipssr_score": 4.0}, False),
    ("I|Intermediate-2 or high risk by IPSS, or IPSS-R above 3.5",
     {"ipss_category": "intermediate_1", "ipssr_score": 3.0}, True),
    ("I|A TP53 mutation at any VAF, or a complex karyotype",
     {"mutated_genes": [], "mutated_genes__tested": ["TP53"], **_karyotype("del5q", "minus7", "plus8", "complex")},
     False),
    ("I|A TP53 mutation at any VAF, or a complex karyotype",
     {"mutated_genes": [], "mutated_genes__tested": ["TP53"], **_karyotype("normal")}, True),
    # "and" still joins nothing
    ("I|A TP53 mutation and a complex karyotype",
     {"mutated_genes": [], "mutated_genes__tested": ["TP53"], **_karyotype("del5q", "minus7", "plus8", "complex")},
     True),
])
def test_alternatives_with_words_between(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


# ---- "except in X", "wild-type for", treatment-naive wordings, "unable to receive" -----------------------------------

@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Platelets at least 30 x 10^9/L, except in therapy-related MDS",
     {"platelets_10e9_l": 20, "therapy_related": True}, False),
    ("I|Platelets at least 30 x 10^9/L, except in therapy-related MDS",
     {"platelets_10e9_l": 20, "therapy_related": False}, True),
    ("I|Wild-type for both IDH1 and IDH2",
     {"mutated_genes": ["IDH2"], "mutated_genes__tested": ["IDH1", "IDH2"]}, True),
    ("I|Wild-type for both IDH1 and IDH2", {"mutated_genes": [], "mutated_genes__tested": ["IDH1", "IDH2"]}, False),
    ("I|Mutated IDH1 and IDH2", {"mutated_genes": [], "mutated_genes__tested": ["IDH1", "IDH2"]}, True),
    ("I|Previously untreated MDS", {"prior_therapy_lines": 1}, True),
    ("I|Previously untreated MDS", {"prior_therapy_lines": 0}, False),
    ("I|Untreated for MDS (earlier transfusions or G-CSF are allowed)", {"prior_therapy_lines": 1}, True),
    ("I|Untreated for MDS (earlier transfusions or G-CSF are allowed)", {"prior_therapy_lines": 0}, False),
    ("I|Unable to receive a hypomethylating agent", {"ineligible_therapies": [], "failed_therapies": []}, True),
    ("I|Unable to receive a hypomethylating agent", {"ineligible_therapies": ["MDSKG:therapy/hma"],
                                                     "failed_therapies": []}, False),
])
def test_more_wordings_read(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_an_exception_for_an_allowed_drug_is_not_read_as_untreated(extractor):
    # an exception for a disease-directed drug is no "untreated" line
    line = "I|Untreated (earlier lenalidomide is allowed)"
    _check_line(extractor, line, {"prior_therapy_lines": 1, "prior_therapies": LEN}, False)


# ---- a rule for older patients after the line's own requirement ------------------------------------------------------

@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Aged 18 or over; those older than 70 years must have a Karnofsky score of at least 80",
     {"age": 60, "karnofsky": 60}, False),
    ("I|Aged 18 or over; those older than 70 years must have a Karnofsky score of at least 80",
     {"age": 75, "karnofsky": 60}, True),
    ("I|Aged 18 or over; those older than 70 years must have a Karnofsky score of at least 80",
     {"age": 75, "karnofsky": 90}, False),
    ("I|Aged 18 or over; those older than 70 years must have a Karnofsky score of at least 80",
     {"age": 16, "karnofsky": 90}, True),
    # opening the line, the age is the trial's own requirement, as "Patients with X must …" is
    ("I|Patients aged 18 or older must have a Karnofsky score of at least 70", {"age": 16, "karnofsky": 90}, True),
    ("I|Patients aged 18 or older must have a Karnofsky score of at least 70", {"age": 40, "karnofsky": 60}, True),
    ("I|Patients aged 18 or older must have a Karnofsky score of at least 70", {"age": 40, "karnofsky": 80}, False),
])
def test_a_performance_limit_for_older_patients_only(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


# ---- transfusion dependence denied, and its definition in a bracket --------------------------------------------------

@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|No red-cell transfusion dependence", {"transfusion_dependent": True}, True),
    ("I|No red-cell transfusion dependence", {"transfusion_dependent": False}, False),
    ("I|Not transfusion dependent (under 3 units of red cells in the past 8 weeks)",
     {"transfusion_dependent": False, "transfusion_units_per_8wk": 1}, False),
    ("I|Not transfusion dependent (under 3 units of red cells in the past 8 weeks)",
     {"transfusion_dependent": True, "transfusion_units_per_8wk": 4}, True),
    ("I|Red-cell transfusion dependence", {"transfusion_dependent": False}, True),
])
def test_transfusion_dependence_denied(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


# ---- a cycle count under the exclusion heading, a "who" clause, a drug allowed only in some patients -----------------

HMA = ["MDSKG:drug/decitabine", "MDSKG:therapy/hma"]


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # the number of cycles is not held: fewer cycles are no exclusion, so the line rules no one out on its own
    ("E|More than four cycles of decitabine", {"prior_therapies": HMA}, False),
    ("E|Four or more courses of a hypomethylating agent", {"prior_therapies": HMA}, False),
    # without a count, the history excludes
    ("E|Earlier decitabine", {"prior_therapies": HMA}, True),
    # a "who" clause narrows the patients excluded
    ("E|Patients with a 5q deletion who have never had lenalidomide",
     {**_karyotype("del5q"), "prior_therapies": [], "failed_therapies": []}, True),
    ("E|Patients with a 5q deletion who have never had lenalidomide",
     {**_karyotype("del5q"), "prior_therapies": LEN, "failed_therapies": LEN}, False),
    ("E|Patients with a 5q deletion who have never had lenalidomide",
     {**_karyotype("normal"), "prior_therapies": [], "failed_therapies": []}, False),
    ("E|Patients with a 5q deletion", {**_karyotype("del5q"), "prior_therapies": LEN, "failed_therapies": LEN}, True),
    # a drug allowed only in some patients
    ("I|Earlier lenalidomide is permitted only in patients without a 5q deletion",
     {**_karyotype("del5q"), "prior_therapies": LEN}, True),
    ("I|Earlier lenalidomide is permitted only in patients without a 5q deletion",
     {**_karyotype("del5q"), "prior_therapies": []}, False),
    ("I|Earlier lenalidomide is permitted only in patients without a 5q deletion",
     {**_karyotype("normal"), "prior_therapies": LEN}, False),
    ("E|Earlier lenalidomide is permitted only in patients without a 5q deletion",
     {**_karyotype("del5q"), "prior_therapies": LEN}, True),
    ("E|Earlier lenalidomide is permitted only in patients without a 5q deletion",
     {**_karyotype("normal"), "prior_therapies": LEN}, False),
])
def test_cycles_who_clauses_and_drugs_allowed_only_in_some_patients(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


# ---- wanting a transplant --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Agrees to proceed to an allogeneic stem cell transplant", {"wants_transplant": False}, True),
    ("I|Agrees to proceed to an allogeneic stem cell transplant", {"wants_transplant": True}, False),
    ("I|Not willing to undergo a stem cell transplant", {"wants_transplant": True}, True),
    ("I|Not willing to undergo a stem cell transplant", {"wants_transplant": False}, False),
    # another procedure is not a transplant
    ("I|Willing to undergo a bone marrow biopsy", {"wants_transplant": False}, False),
    # "if a donor becomes available" is a time to come, not a case: the willingness is asked now
    ("I|Willing to have an allogeneic transplant should it be needed, if a donor becomes available",
     {"wants_transplant": False, "donor_available": False}, True),
    ("I|Willing to have an allogeneic transplant should it be needed, if a donor becomes available",
     {"wants_transplant": True, "donor_available": False}, False),
])
def test_wanting_a_transplant(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


# ---- session 10 (helper I): readings found wrong on the held-out trials, each in made-up words --------------------

@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # pregnancy during the study is a time to come: no condition on who may join, and never a requirement to be pregnant
    ("I|Men and women must use birth control; if a participant becomes pregnant during treatment she must tell the "
     "study doctor", {"pregnant_or_breastfeeding": False}, False),
    ("I|Birth control is required; should a participant suspect that she is pregnant she must tell the team",
     {"pregnant_or_breastfeeding": False}, False),
    ("E|Women who are pregnant", {"pregnant_or_breastfeeding": True}, True),
    # "excluding patients with X" inside a requirement: X is left out, not asked for
    ("I|Adults with AML who decline intensive chemotherapy, excluding patients with acute promyelocytic leukemia",
     {"apl": True}, True),
    ("I|Adults with AML who decline intensive chemotherapy, excluding patients with acute promyelocytic leukemia",
     {"apl": False}, False),
])
def test_pregnancy_to_come_and_people_excluded_by_name(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a donor of partial match at least is any donor (a haploidentical relative qualifies), not a matched donor
    ("I|Must have a related donor who is at least a 4 of 6 antigen match (HLA-A, -B, -DR)",
     {"donor_available": True, "matched_donor_available": False}, False),
    ("I|Must have a related donor who is at least a 4 of 6 antigen match (HLA-A, -B, -DR)",
     {"donor_available": False, "matched_donor_available": False}, True),
    ("I|Must have a related donor matched at HLA-A, -B and -DR",
     {"donor_available": True, "matched_donor_available": False}, True),
    # the degree of matching in brackets is still a matched donor; having one excludes, having only a haplo donor not
    ("E|A matched (9/10 or 10/10) sibling or unrelated donor is available",
     {"donor_available": True, "matched_donor_available": False}, False),
    ("E|A matched (9/10 or 10/10) sibling or unrelated donor is available",
     {"donor_available": True, "matched_donor_available": True}, True),
])
def test_donors_matched_in_part_or_in_brackets(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a short life from other causes is a comorbidity the study team judges, not a life-expectancy limit
    ("E|Subjects with a life expectancy below 3 months for reasons other than their leukemia",
     {"life_expectancy_months": 2}, False),
    ("E|Life expectancy under 3 months", {"life_expectancy_months": 2}, True),
    # a count that calls for treatment first is a plan, not a limit on who may join
    ("I|Patients with a white blood cell count above 50,000/uL may receive hydroxyurea before enrolment",
     {"wbc_10e9_l": 8}, False),
    ("I|Patients with a white blood cell count above 50,000/uL are excluded", {"wbc_10e9_l": 80}, True),
    ("I|White blood cell count below 30,000/uL (hydroxyurea may be given to reach it)", {"wbc_10e9_l": 45}, True),
])
def test_limits_that_are_not_about_who_may_join(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # the exclusion of a low score in older patients: excluded only when both hold
    ("E|Karnofsky score below 70% for participants aged 65 or older", {"karnofsky": 60, "age": 70}, True),
    ("E|Karnofsky score below 70% for participants aged 65 or older", {"karnofsky": 60, "age": 50}, False),
    ("E|Karnofsky score below 70% for participants aged 65 or older", {"karnofsky": 90, "age": 70}, False),
    ("E|HCT-CI score above 3 for patients 60 years or older", {"hct_ci": 2, "age": 70}, False),
    ("E|HCT-CI score above 3 for patients 60 years or older", {"hct_ci": 5, "age": 70}, True),
    ("E|HCT-CI score above 3 for patients 60 years or older", {"hct_ci": 5, "age": 40}, False),
    # an age that only picks a scale the reader cannot read is no requirement of its own
    ("I|Performance status: Lansky 60 or more for children up to 12 years old and Karnofsky 60% or more for those "
     "over 12 years old", {"age": 30, "karnofsky": 80}, False),
    ("I|Performance status: Lansky 60 or more for children up to 12 years old and Karnofsky 60% or more for those "
     "over 12 years old", {"age": 30, "karnofsky": 40}, True),
    ("E|Performance status under 70% (Zubrod scale) for patients 65 years or older", {"age": 70}, False),
    # an age a limit is written for, and an age that is a requirement, stay as they were
    ("I|Creatinine below 1.5 mg/dL in patients aged 70 or more", {"age": 50, "creatinine_mg_dl": 2.0}, False),
    ("I|Creatinine below 1.5 mg/dL in patients aged 70 or more", {"age": 75, "creatinine_mg_dl": 2.0}, True),
    ("I|AML diagnosed at least 3 months earlier in patients over 60 years", {"age": 50}, True),
    # the Karnofsky scale named in a bracket after a performance-status percentage
    ("I|Performance status >= 70% (Karnofsky scale)", {"karnofsky": 60}, True),
    ("I|Performance status >= 70% (Karnofsky scale)", {"karnofsky": 80}, False),
    ("I|Performance status > or = 70% (site Karnofsky) for patients > or = 65 years old",
     {"karnofsky": 60, "age": 50}, False),
    ("I|Performance status > or = 70% (site Karnofsky) for patients > or = 65 years old",
     {"karnofsky": 60, "age": 70}, True),
])
def test_age_groups_in_exclusions_and_unread_scales(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


def test_millilitres_are_not_an_age_and_ml_per_minute_is_a_clearance():
    assert [t.variable for t in parse_thresholds("For younger donors, no more than 15 mL of marrow may be collected "
                                                 "per kg")] == []
    found = parse_thresholds("Creatinine clearance of 60 ml per minute or more")
    assert [(t.variable, t.operator, t.value) for t in found] == [("creatinine_clearance_ml_min", ">=", 60)]


def test_a_line_opening_with_another_disease_keeps_its_limits_to_itself(extractor):
    text = ("Inclusion Criteria:\n\n- Higher-risk MDS\n- Primary myelofibrosis that is untreated with a haemoglobin "
            "below 10 g/dL or platelets below 100 x 10^9/L\n- ECOG 0-2\n")
    row = _row(trial_criteria(extractor, text))
    assert {c["variable"] for c in row["criteria"]} >= {"ecog"}
    assert not {"hemoglobin_g_dl", "platelets_10e9_l"} & {c["variable"] for c in row["criteria"]}, row["criteria"]
    assert match_trial(row, {"hemoglobin_g_dl": 12.5, "platelets_10e9_l": 150, "ecog": 1}).verdict != "NOT_ELIGIBLE"
    # the same limits on a line about the trial's own patients are kept
    own = _row(trial_criteria(extractor, "Inclusion Criteria:\n\n- MDS with a haemoglobin below 10 g/dL\n"))
    assert match_trial(own, {"hemoglobin_g_dl": 12.5}).verdict == "NOT_ELIGIBLE"


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "IULN" is the institution's upper limit of normal
    ("I|AST (SGOT)/ALT (SGPT) < 3 x IULN", {"ast_alt_x_uln": 3.5}, True),
    ("I|AST (SGOT)/ALT (SGPT) < 3 x IULN", {"ast_alt_x_uln": 2}, False),
    ("I|Total bilirubin ≤ 1.5 x IULN", {"bilirubin_x_uln": 2}, True),
    # "Karnofsky or Lansky performance status": the Karnofsky limit; the Lansky scale alone is not Karnofsky or ECOG
    ("I|Karnofsky or Lansky performance status >= 80", {"karnofsky": 70}, True),
    ("I|Karnofsky or Lansky performance status >= 80", {"karnofsky": 90}, False),
    ("I|Lansky performance status >= 50", {"karnofsky": 40, "ecog": 3}, False),
])
def test_institutional_uln_and_a_paediatric_scale_beside_karnofsky(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


@pytest.mark.parametrize(("text", "expected"), [
    # one limit for two tests joined by "and": the test with a variable has it
    ("DLCO and FEV1 above 65% predicted", [("dlco_pct_predicted", ">", 65)]),
    ("DLCO or FEV1 above 65% predicted", []),  # either test may meet it: not one limit on DLCO
    ("Marrow blasts and monocytes above 10%", []),  # a combined count is not a blast limit
    # the test's method between the name and the number
    ("Ejection fraction measured by echocardiogram or nuclear scan of 45% or more", [("lvef_pct", ">=", 45)]),
    ("LVEF, as assessed by echocardiogram, of at least 45%", [("lvef_pct", ">=", 45)]),
])
def test_a_limit_shared_by_two_tests_or_after_the_method(text, expected):
    assert [(t.variable, t.operator, t.value) for t in parse_thresholds(text)] == expected


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a long list of infection kinds is still an active infection
    ("E|Ongoing serious bacterial, fungal, viral, or other infection", {"active_infection": True}, True),
    ("E|Ongoing serious bacterial, fungal, viral, or other infection", {"active_infection": False}, False),
    # the examples of an exception are people let in, not excluded
    ("E|Ongoing serious infection unless it is controlled (for example chronic hepatitis B or HIV on therapy)",
     {"active_infection": False, "hiv_positive": True}, False),
    ("E|Known HIV infection (e.g. positive serology)", {"hiv_positive": True}, True),
    # a case that ends at a comma: what follows is asked of those patients (no GVHD, or no earlier transplant)
    ("I|For patients who had a prior HSCT, there should be no evidence of active GVHD",
     {"active_gvhd": True, "prior_therapies": ["MDSKG:therapy/allo-hsct"]}, True),
    ("I|For patients who had a prior HSCT, there should be no evidence of active GVHD",
     {"active_gvhd": False, "prior_therapies": ["MDSKG:therapy/allo-hsct"]}, False),
    ("I|Creatinine clearance > 50 mL/min for patients with creatinine above 1.5 mg/dL",
     {"creatinine_mg_dl": 1.0, "creatinine_clearance_ml_min": 40}, False),
    ("I|Creatinine clearance > 50 mL/min for patients with creatinine above 1.5 mg/dL",
     {"creatinine_mg_dl": 2.0, "creatinine_clearance_ml_min": 40}, True),
])
def test_infection_lists_examples_of_exceptions_and_cases_ending_at_a_comma(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # two age groups, the second group's limit not read: the first limit is not the second group's, and the second
    # age alone asks nothing (read before, it required every patient to be in the second group)
    ("I|HCT-CI score of 3 or less for patients 65 years or older, or 4 or less for patients younger than 65",
     {"age": 70, "hct_ci": 2}, False),
    ("I|HCT-CI score of 3 or less for patients 65 years or older, or 4 or less for patients younger than 65",
     {"age": 70, "hct_ci": 5}, True),
    ("I|HCT-CI score of 3 or less for patients 65 years or older, or 4 or less for patients younger than 65",
     {"age": 50, "hct_ci": 4}, False),
    ("I|Creatinine below 1.5 mg/dL in patients aged 70 or more and below 2 mg/dL in patients younger than 70",
     {"age": 75, "creatinine_mg_dl": 1.0}, False),
    ("I|Creatinine below 1.5 mg/dL in patients aged 70 or more and below 2 mg/dL in patients younger than 70",
     {"age": 75, "creatinine_mg_dl": 1.8}, True),
])
def test_a_second_age_group_whose_limit_was_not_read(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)

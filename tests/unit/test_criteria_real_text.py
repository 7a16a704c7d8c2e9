"""Eligibility criteria written the way registry records write them (issue 15, item 2).

Every sentence here is written for this test in the style of ClinicalTrials.gov eligibility text;
none is copied from a record. Covers category lists and ranges, operator spellings, units and
their conversion (with implausible values rejected, not stored), time spans that are not ages,
and the scope of criteria for donors or another cohort.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from etl.nlp.thresholds import (
    PENDING_VARIABLES,
    PLAUSIBLE_RANGES,
    VARIABLE_UNITS,
    parse_thresholds,
    parse_thresholds_reporting,
)
from etl.readers.ctgov import TrialFields, trial_document
from etl.readers.eligibility import criteria_items, eligibility_parts, line_scope, scope_of, split_eligibility
from tests.unit.trial_text import trial_criteria

MODEL = yaml.safe_load((Path(__file__).resolve().parents[2] / "ontology" / "data" / "model.yaml").read_text())


def only(text: str):
    found = [(t.variable, t.operator, t.value, t.unit) for t in parse_thresholds(text)]
    assert len(found) == 1, found
    return found[0]


# ---- risk-category lists and ranges ---------------------------------------------------------

IPSS = "ipss_category"
IPSSR = "ipssr_category"


@pytest.mark.parametrize(("text", "variable", "values"), [
    ("MDS with IPSS int-1, int-2 or high risk disease", IPSS, ["intermediate_1", "intermediate_2", "high"]),
    ("IPSS risk category of intermediate-2 or higher", IPSS, ["intermediate_2", "high"]),
    ("IPSS ≥ intermediate-2", IPSS, ["intermediate_2", "high"]),
    ("IPSS score >/= Int-2 at screening", IPSS, ["intermediate_2", "high"]),
    ("MDS classified as int-2 or above by IPSS", IPSS, ["intermediate_2", "high"]),
    ("IPSS risk of at least intermediate-1", IPSS, ["intermediate_1", "intermediate_2", "high"]),
    ("IPSS score ≤ intermediate-1", IPSS, ["low", "intermediate_1"]),
    ("IPSS-R high or very high risk MDS", IPSSR, ["high", "very_high"]),
    ("IPSS-R high risk or higher", IPSSR, ["high", "very_high"]),
    ("IPSS-R category higher than intermediate", IPSSR, ["high", "very_high"]),
    ("IPSS-R very low, low or intermediate risk", IPSSR, ["very_low", "low", "intermediate"]),
])
def test_category_lists_and_ranges(text, variable, values):
    assert only(text) == (variable, "in", values, None)


def test_or_higher_before_a_lab_noun_is_not_a_category_range():
    found = parse_thresholds("IPSS low risk and higher platelet counts at baseline")
    assert [(t.variable, t.operator, t.value) for t in found] == [(IPSS, "==", "low")]


# ---- operator spellings ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "operator", "value"), [
    ("Platelet count </= 50 x 10^9/L", "<=", 50),
    ("Platelet count <= 50 x 10^9/L", "<=", 50),
    ("Platelet count ≤ 50 x 10^9/L", "<=", 50),
    ("Platelet count =< 50 x 10^9/L", "<=", 50),
    ("Platelet count < or = 50 x 10^9/L", "<=", 50),
    ("Platelet count >/= 50 x 10^9/L", ">=", 50),
    ("Platelet count ≥ 50 x 10^9/L", ">=", 50),
    ("Platelet count greater than or equal to 50 x 10^9/L", ">=", 50),
    ("Platelet count equal to or greater than 50 x 10^9/L", ">=", 50),
    ("Platelet count of at least 50 x 10^9/L", ">=", 50),
    ("Platelet count no more than 50 x 10^9/L", "<=", 50),
    ("Platelet count not more than 50 x 10^9/L", "<=", 50),
    ("Platelet count less than 50 x 10^9/L", "<", 50),
    ("Platelet count below 50 x 10^9/L", "<", 50),
    ("Platelet count exceeding 50 x 10^9/L", ">", 50),
    ("Platelet count up to 50 x 10^9/L", "<=", 50),
    ("Bone marrow blasts </= 10%", "<=", 10),
    ("Hemoglobin >/= 8.0 g/dL", ">=", 8),
])
def test_operator_spellings_are_never_equality(text, operator, value):
    _, found_operator, found_value, _ = only(text)
    assert (found_operator, found_value) == (operator, value)


# ---- units and conversion -------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Platelets ≥ 100,000/microliter", ("platelets_10e9_l", ">=", 100, "10^9/L")),
    ("Platelets ≥ 100,000/µL", ("platelets_10e9_l", ">=", 100, "10^9/L")),
    ("Platelets ≥ 100,000/mm3", ("platelets_10e9_l", ">=", 100, "10^9/L")),
    ("Platelets ≥ 100 x 10^9/L", ("platelets_10e9_l", ">=", 100, "10^9/L")),
    ("Platelets ≥ 100 x10e9/L", ("platelets_10e9_l", ">=", 100, "10^9/L")),
    ("Platelets ≥ 100 x 10^3/µL", ("platelets_10e9_l", ">=", 100, "10^9/L")),
    ("ANC ≥ 1,000/microliter", ("anc_10e9_l", ">=", 1, "10^9/L")),
    ("ANC ≥ 500/µL", ("anc_10e9_l", ">=", 0.5, "10^9/L")),
    ("Absolute neutrophil count ≥ 1.5 x10e9/L", ("anc_10e9_l", ">=", 1.5, "10^9/L")),
    ("Hemoglobin < 9.5 g/dL", ("hemoglobin_g_dl", "<", 9.5, "g/dL")),
    ("Hemoglobin < 95 g/L", ("hemoglobin_g_dl", "<", 9.5, "g/dL")),
    ("Serum EPO level ≤ 500 mU/mL", ("serum_epo_mu_ml", "<=", 500, "mU/mL")),
    ("Serum EPO level ≤ 500 IU/L", ("serum_epo_mu_ml", "<=", 500, "mU/mL")),
    ("Serum creatinine ≤ 2.0 mg/dL", ("creatinine_mg_dl", "<=", 2, "mg/dL")),
    ("Serum creatinine ≤ 176.8 µmol/L", ("creatinine_mg_dl", "<=", 2, "mg/dL")),
    ("Total bilirubin ≤ 1.5 x ULN", ("bilirubin_x_uln", "<=", 1.5, "x ULN")),
    ("Total bilirubin ≤ 1.5 times the upper limit of normal", ("bilirubin_x_uln", "<=", 1.5, "x ULN")),
])
def test_units_are_converted_to_the_variable_unit(text, expected):
    assert only(text) == expected


@pytest.mark.parametrize(("text", "variable", "value"), [
    # 200 IU/mL is 200,000 mU/mL: not a believable EPO level, so the unit was written loosely.
    ("Serum EPO ≤ 200 IU/mL", "serum_epo_mu_ml", 200000),
    ("Platelets ≥ 100/µL", "platelets_10e9_l", 0.1),  # 0.1 x 10^9/L
    ("Platelets ≥ 75/microliter", "platelets_10e9_l", 0.075),
    ("Hemoglobin ≥ 90 g/dL", "hemoglobin_g_dl", 90),
    ("Bone marrow blasts < 150%", "marrow_blasts_pct", 150),
    ("ANC ≥ 80 x 10^9/L", "anc_10e9_l", 80),
])
def test_implausible_values_are_rejected_and_reported(text, variable, value):
    kept, rejected = parse_thresholds_reporting(text)
    assert kept == []
    assert [(r.variable, r.values, r.reason) for r in rejected] == [(variable, (value,), "implausible")]


def test_plausible_ranges_cover_the_brief_and_exist_in_the_model():
    assert PLAUSIBLE_RANGES["serum_epo_mu_ml"] == (1, 10000)
    assert PLAUSIBLE_RANGES["platelets_10e9_l"] == (1, 2000)
    assert PLAUSIBLE_RANGES["anc_10e9_l"] == (0, 50)
    assert PLAUSIBLE_RANGES["hemoglobin_g_dl"] == (3, 20)
    assert PLAUSIBLE_RANGES["marrow_blasts_pct"] == (0, 100)
    assert PLAUSIBLE_RANGES["age"] == (0, 120)
    names = set(MODEL["criterion_variables"]) | set(PENDING_VARIABLES)
    assert set(PLAUSIBLE_RANGES) <= names


@pytest.mark.parametrize(("text", "variable", "value"), [
    ("Serum creatinine ≤ 1.5 x ULN", "creatinine_x_uln", 1.5),
    ("Creatinine no more than 2 times the institutional upper limit of normal", "creatinine_x_uln", 2),
    ("Total bilirubin ≤ 2 mg/dL", "bilirubin_mg_dl", 2),
    ("Total bilirubin < 34.2 µmol/L", "bilirubin_mg_dl", 2),
])
def test_creatinine_multiples_and_bilirubin_in_mg_dl_get_their_own_variables(text, variable, value):
    kept, rejected = parse_thresholds_reporting(text)
    # never bilirubin_x_uln for creatinine, never creatinine_mg_dl for bilirubin
    assert [(t.variable, t.value) for t in kept] == [(variable, pytest.approx(value, abs=0.01))]
    assert rejected == []


def test_creatinine_and_bilirubin_in_one_line_keep_their_own_variables():
    kept, rejected = parse_thresholds_reporting("Creatinine ≤ 1.5 mg/dL and total bilirubin ≤ 1.5 x ULN")
    assert [(t.variable, t.value) for t in kept] == [("creatinine_mg_dl", 1.5), ("bilirubin_x_uln", 1.5)]
    assert rejected == []


def test_pending_variables_are_not_yet_in_model_yaml():
    # When model.yaml gains one of these, move it from PENDING_VARIABLES to VARIABLE_UNITS.
    for name, unit in PENDING_VARIABLES.items():
        assert name not in MODEL["criterion_variables"], f"{name} is in model.yaml now: move it to VARIABLE_UNITS"
        assert name not in VARIABLE_UNITS and unit


# ---- time spans are not ages ----------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "> 5 years since another cancer",
    "Other malignancy allowed if disease-free for > 3 years",
    "No other cancer within the past 5 years",
    "At least 4 weeks since prior therapy",
    "Treatment must start within 28 days of randomisation",
    "More than 2 years after prior transplant",
    "Prior malignancy treated with curative intent ≥ 3 years before enrolment",
    "Life expectancy of at least 2 years",
    "Prior cancer diagnosed > 5 years",
])
def test_durations_are_never_age(text):
    assert [t for t in parse_thresholds(text) if t.variable == "age"] == []


@pytest.mark.parametrize(("text", "operator", "value"), [
    ("Age ≥ 18 years", ">=", 18),
    ("Aged 18 years or older", ">=", 18),
    ("Patients at least 60 years of age", ">=", 60),
    ("Patients ≥ 65 years old at the time of consent", ">=", 65),
])
def test_ages_are_still_ages(text, operator, value):
    assert only(text) == ("age", operator, value, "years")


# ---- scope: donors and other cohorts --------------------------------------------------------

SCOPED = """Inclusion Criteria:

- Diagnosis of MDS with IPSS int-2 or high risk
- Bone marrow blasts ≥ 20% (AML cohort only)
- For the AML cohort: no prior induction chemotherapy
- ECOG performance status 0-2

Donors:

- Age 18 to 70 years
- HLA-identical sibling of the patient

Exclusion Criteria:

- Prior allogeneic transplant
- Donors must not be pregnant or breast-feeding

Donor Inclusion Criteria:

- Weight ≥ 40 kg
- Hemoglobin ≥ 12 g/dL

Inclusion Criteria for the AML cohort:

- Blasts ≥ 20% in the marrow
"""


@pytest.mark.parametrize(("label", "scope"), [
    ("Donor Inclusion Criteria", "donor"),
    ("Inclusion criteria for donors", "donor"),
    ("Inclusion criteria (related donor)", "donor"),
    ("Inclusion criteria for the AML cohort", "cohort:AML"),
    ("Inclusion Criteria - patients with acute myeloid leukemia", "cohort:AML"),
    ("Inclusion criteria for patients with MDS or AML", None),
    ("Inclusion Criteria for recipients", None),
    ("Inclusion criteria for donors and recipients", None),
    ("Exclusion Criteria (all arms)", None),
])
def test_scope_of_headings(label, scope):
    assert scope_of(label) == scope


@pytest.mark.parametrize(("line", "scope"), [
    ("Bone marrow blasts ≥ 20% (AML cohort only)", "cohort:AML"),
    ("For the CMML cohort: monocytes ≥ 1 x 10^9/L", "cohort:CMML"),
    ("Donors must be 18 years or older", "donor"),
    ("Donor: age 18 to 60 years", "donor"),
    ("HLA-matched sibling or unrelated donor available", None),
    ("Patients in the MDS cohort must have IPSS-R high risk", None),
    ("ECOG performance status 0-2", None),
])
def test_scope_of_lines(line, scope):
    assert line_scope(line) == scope


def test_scoped_parts_are_split_out_and_marked():
    parts = [(p.kind, p.criteria_kind, p.scope, SCOPED[p.start : p.end].splitlines()[0])
             for p in eligibility_parts(SCOPED)]
    assert parts == [
        ("inclusion", "inclusion", None, "- Diagnosis of MDS with IPSS int-2 or high risk"),
        ("body", "inclusion", "cohort:AML", "- Bone marrow blasts ≥ 20% (AML cohort only)"),
        ("inclusion", "inclusion", None, "- ECOG performance status 0-2"),
        ("body", "inclusion", "donor", "Donors:"),
        ("exclusion", "exclusion", None, "- Prior allogeneic transplant"),
        ("body", "exclusion", "donor", "- Donors must not be pregnant or breast-feeding"),
        ("body", "inclusion", "donor", "- Weight ≥ 40 kg"),
        ("body", "inclusion", "cohort:AML", "- Blasts ≥ 20% in the marrow"),
    ]
    headings = [p.heading for p in eligibility_parts(SCOPED) if p.scope]
    assert headings[0] == "Inclusion Criteria [scope: cohort:AML]" and "Donor Inclusion Criteria" in headings


def test_items_carry_their_scope():
    items = {str(i): i.scope for i in criteria_items(SCOPED)}
    assert items["Diagnosis of MDS with IPSS int-2 or high risk"] is None
    assert items["Bone marrow blasts ≥ 20% (AML cohort only)"] == "cohort:AML"
    assert items["Age 18 to 70 years"] == "donor"
    assert items["Prior allogeneic transplant"] is None  # a new heading ends the 'Donors:' list
    assert items["Donors must not be pregnant or breast-feeding"] == "donor"
    assert items["Weight ≥ 40 kg"] == "donor"
    assert items["Blasts ≥ 20% in the marrow"] == "cohort:AML"


def test_split_eligibility_leaves_scoped_criteria_out():
    inclusion, exclusion = split_eligibility(SCOPED)
    assert inclusion == "- Diagnosis of MDS with IPSS int-2 or high risk\n\n- ECOG performance status 0-2"
    assert exclusion == "- Prior allogeneic transplant"


def test_trial_document_sections_for_scoped_parts_carry_their_scope():
    doc = trial_document(TrialFields("NCT00000000", brief_title="A test record", eligibility_criteria=SCOPED))
    kinds = {(s.kind, s.title, s.scope) for s in doc.sections}
    assert ("inclusion", "Donor Inclusion Criteria", "donor") in kinds
    assert ("inclusion", "Inclusion Criteria [scope: donor]", "donor") in kinds
    for section in doc.sections:
        if section.kind in ("inclusion", "exclusion") and section.scope is None:
            body = doc.text[section.start : section.end]
            assert "Donor" not in body and "AML" not in body


# ---- through the rule extractor -------------------------------------------------------------


@pytest.fixture(scope="module")
def extractor():
    from etl.extract import RuleExtractor

    return RuleExtractor()


def test_donor_and_other_cohort_criteria_are_not_applied_to_patients(extractor):
    criteria = trial_criteria(extractor, SCOPED)
    patients = [(c.variable, c.operator, c.value) for c in criteria if c.scope is None]
    assert ("ipss_category", "in", ["intermediate_2", "high"]) in patients
    assert ("hemoglobin_g_dl", ">=", 12) not in patients  # donor
    assert ("age", "between", [18, 70]) not in patients  # donor
    assert not any(v == "marrow_blasts_pct" for v, _, _ in patients)  # AML cohort
    # They are kept, with whom they are about, for analysts and for the donor's own checks.
    scoped = [(c.variable, c.operator, c.value, c.scope) for c in criteria if c.scope]
    assert ("hemoglobin_g_dl", ">=", 12, "donor") in scoped
    assert ("age", "between", [18, 70], "donor") in scoped
    assert ("marrow_blasts_pct", ">=", 20, "cohort:AML") in scoped


def test_real_style_thresholds_through_the_extractor(extractor):
    criteria = """Inclusion Criteria:

- IPSS int-1, int-2 or high risk MDS
- Platelet count </= 50 x 10^9/L
- Serum EPO ≤ 200 IU/mL
- More than 5 years since another cancer
"""
    found = [(c.role, c.variable, c.operator, c.value) for c in trial_criteria(extractor, criteria)]
    assert ("required", "ipss_category", "in", ["intermediate_1", "intermediate_2", "high"]) in found
    assert ("required", "platelets_10e9_l", "<=", 50) in found
    assert not any(v in ("serum_epo_mu_ml", "age") for _, v, _, _ in found)


# Polarity of prior-therapy criteria (decided in etl/nlp/relations/).

def test_no_prior_transplant_in_inclusion_is_an_exclusion(extractor):
    found = [(c.role, c.variable, c.value) for c in trial_criteria(extractor, "Inclusion Criteria:\n\n"
                                                                   "- No prior allogeneic transplant\n")]
    assert found == [("excludes", "prior_therapies", "MDSKG:therapy/allo-hsct")]


def test_permissive_prior_transplant_is_neither_required_nor_excluded(extractor):
    found = trial_criteria(extractor, "Inclusion Criteria:\n\n- Prior allogeneic transplant allowed if relapse "
                                      "occurred more than 6 months after transplant\n")
    assert [c for c in found if c.variable == "prior_therapies"] == []


def test_failed_or_ineligible_for_azacitidine(extractor):
    found = trial_criteria(extractor, "Inclusion Criteria:\n\n- Patients must have failed or be ineligible for "
                                      "azacitidine\n")
    got = {(c.role, c.variable, c.value) for c in found}
    assert got == {("required", "failed_therapies", "MDSKG:drug/azacitidine"),
                   ("required", "ineligible_therapies", "MDSKG:drug/azacitidine")}
    assert len({c.group for c in found}) == 1 and found[0].group  # either one will do


def test_no_history_of_prior_hma_in_an_exclusion_list_stays_an_exclusion(extractor):
    found = [(c.role, c.variable, c.operator) for c in trial_criteria(
        extractor, "Exclusion Criteria:\n\n- Prior treatment with azacitidine\n") if c.variable == "prior_therapies"]
    assert found and all(role == "excludes" and op == "contains" for role, _, op in found)


def test_prior_transplant_required_when_the_inclusion_says_so(extractor):
    found = [(c.role, c.operator) for c in trial_criteria(
        extractor, "Inclusion Criteria:\n\n- Prior allogeneic stem cell transplant\n") if c.variable == "prior_therapies"]
    assert found == [("required", "contains")]

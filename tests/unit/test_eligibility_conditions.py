"""Named eligibility conditions, scope and any-of groups of trial criteria, and trial matching with them.

Every sentence here is written for these tests (none is taken from a registry record)."""

from __future__ import annotations

import pytest

from etl.nlp.conditions import parse_conditions
from service.patient.trials import match_trial
from tests.unit.trial_text import trial_criteria


def found(text: str) -> list[tuple]:
    return [(t.variable, t.operator, t.value) for t in parse_conditions(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Women who are pregnant or nursing", [("pregnant_or_breastfeeding", "==", True)]),
    ("Must not be breast-feeding", [("pregnant_or_breastfeeding", "==", False)]),
    ("Known infection with HIV", [("hiv_positive", "==", True)]),
    ("HIV-negative on screening", [("hiv_positive", "==", False)]),
    ("Seronegative for HIV", [("hiv_positive", "==", False)]),
    ("No antiretroviral therapy for HIV infection", []),  # a therapy ban, not the infection
    ("Severe bacterial or fungal infection not responding to treatment", [("active_infection", "==", True)]),
    ("No uncontrolled infection", [("active_infection", "==", False)]),
    ("Autoimmune disease that needed systemic treatment in the last year", [("active_autoimmune_disease", "==", True)]),
    ("AML of any subtype other than APL", [("apl", "==", False)]),
    ("MDS arising after chemotherapy, that is therapy-related disease", [("therapy_related", "==", True)]),
    ("Judged unfit for intensive induction chemotherapy", [("intensive_chemo_candidate", "==", False)]),
    ("Not a candidate for an allogeneic stem cell transplant", [("transplant_candidate", "==", False)]),
    ("Has an HLA-identical sibling donor available", [("matched_sibling_donor_available", "==", True)]),
    ("Has an HLA-matched related or unrelated donor", [("matched_donor_available", "==", True)]),
    ("Lacks a matched related or unrelated donor", [("matched_donor_available", "==", False)]),
    ("A haploidentical family donor is available", [("haplo_donor_available", "==", True)]),
    ("Requires platelet transfusions", [("platelet_transfusions", "==", True)]),
    ("At most three prior treatment regimens", [("prior_therapy_lines", "<=", 3)]),
    ("Second cancer diagnosed in the past 4 years, apart from skin cancer", [("other_cancer_years", "<", 4)]),
    ("Free of any other malignancy for at least two years", [("other_cancer_years", "<", 2)]),
    ("A previous cancer of any kind", [("other_cancer_history", "==", True)]),
    ("Concurrent active malignancy", [("other_active_cancer", "==", True)]),
])
def test_named_conditions(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "Negative pregnancy test within a week of starting",  # a test, not the condition
    "Must use contraception to avoid pregnancy",
    "Must agree to follow the pregnancy precautions of the protocol",
    "HIV testing will be offered",
    "Active hepatitis C infection",  # hepatitis is not a general active infection here
    "Previous cancer therapy stopped 4 weeks before",  # a therapy, not a cancer
    "Treatment-related toxicities resolved to grade 1",  # toxicities, not therapy-related MDS
    "Eligible for an autologous transplant",  # says nothing about an allogeneic one
    "2 prior regimens were given",  # a description, no bound
    "Relapsed or refractory disease",  # disease status is not read (too often another disease's definition)
])
def test_not_named_conditions(text):
    assert found(text) == []


def test_uncontrolled_illness_lists_are_not_denied_by_not_limited_to():
    assert found("Uncontrolled illness including, but not limited to, ongoing or active infection") == [
        ("active_infection", "==", True)]


# ---- through the extractor: polarity, scope and groups -------------------------------------

@pytest.fixture(scope="module")
def extractor():
    from etl.extract import RuleExtractor

    return RuleExtractor()


def test_exclusion_lists_that_repeat_no_keep_their_meaning(extractor):
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n- MDS\n\nExclusion Criteria:\n\n"
                                         "- No pregnancy or breastfeeding\n- No prior azacitidine\n")
    got = {(c.role, c.variable, c.operator, c.value) for c in criteria}
    assert ("excludes", "pregnant_or_breastfeeding", "==", True) in got
    assert ("excludes", "prior_therapies", "contains", "MDSKG:drug/azacitidine") in got


def test_an_item_opening_with_no_denies_its_labs(extractor):
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n"
                                         "- No liver disease with bilirubin > 3 x ULN\n")
    assert [(c.role, c.variable, c.operator, c.value) for c in criteria] == [
        ("required", "bilirubin_x_uln", "<=", 3)]


def test_another_cancer_window_excludes_from_either_list(extractor):
    for text in ("Inclusion Criteria:\n\n- No other cancer in the last 3 years\n",
                 "Exclusion Criteria:\n\n- Another cancer within 3 years\n"):
        criteria = [(c.role, c.variable, c.operator, c.value) for c in trial_criteria(extractor, text)]
        assert criteria == [("excludes", "other_cancer_years", "<", 3)]


def test_or_alternatives_in_one_item_share_a_group(extractor):
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n"
                                         "- Creatinine ≤ 2 x ULN or creatinine clearance ≥ 40 mL/min\n"
                                         "- Bilirubin ≤ 1.5 x ULN and AST ≤ 3 x ULN\n")
    groups = {c.variable: c.group for c in criteria}
    assert groups["creatinine_x_uln"] and groups["creatinine_x_uln"] == groups["creatinine_clearance_ml_min"]
    assert groups["bilirubin_x_uln"] is None and groups["ast_x_uln"] is None  # "and": both required


def test_sub_items_of_another_disease_take_its_scope(extractor):
    text = ("Inclusion Criteria:\n\n"
            "  -  Diagnosis of one of these:\n\n"
            "       -  AML with one of the following:\n\n"
            "            -  Marrow blasts at least 20%\n\n"
            "       -  MDS with IPSS intermediate-2 or high\n\n"
            "  -  Age ≥ 18 years\n")
    criteria = {(c.variable, c.scope) for c in trial_criteria(extractor, text)}
    assert ("marrow_blasts_pct", "cohort:AML") in criteria
    assert ("ipss_category", None) in criteria
    assert ("age", None) in criteria


# ---- trial matching with groups and scope ---------------------------------------------------

def row(*criteria):
    return {"id": "MDSKG:study/nct00000001", "nct_id": "NCT00000001", "criteria": list(criteria)}


def crit(variable, operator, value, role="required", group=None, scope=None, unit=None):
    import json

    return {"id": variable, "variable": variable, "operator": operator, "value_json": json.dumps(value),
            "unit": unit, "role": role, "text": f"{variable} {operator} {value}", "group": group, "scope": scope}


def test_an_any_of_group_is_met_by_one_member():
    r = row(crit("creatinine_x_uln", "<=", 2, group="g"), crit("creatinine_clearance_ml_min", ">=", 40, group="g"))
    assert match_trial(r, {"creatinine_x_uln": 3, "creatinine_clearance_ml_min": 55}).verdict == "POSSIBLE"
    assert match_trial(r, {"creatinine_x_uln": 3, "creatinine_clearance_ml_min": 30}).verdict == "NOT_ELIGIBLE"
    unknown = match_trial(r, {"creatinine_x_uln": 3})
    assert unknown.verdict == "UNKNOWN" and unknown.missing == ("creatinine_clearance_ml_min",)
    assert match_trial(r, {"creatinine_x_uln": 1}).verdict == "POSSIBLE"  # one met: the other is not needed


def test_donor_and_cohort_criteria_are_not_checked_against_the_patient():
    r = row(crit("age", ">=", 18), crit("age", "<=", 60, scope="donor"),
            crit("marrow_blasts_pct", ">=", 20, scope="cohort:AML"))
    match = match_trial(r, {"age": 72, "marrow_blasts_pct": 8})
    assert match.verdict == "POSSIBLE"
    assert [c.variable for c in match.checks] == ["age"]
    assert any("2 criteria about donors" in reason for reason in match.reasons)


def test_a_denied_pair_joined_by_and_becomes_alternatives(extractor):
    # not (pO2 < 70 and DLCO < 60%) = pO2 >= 70 or DLCO >= 60%
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n"
                                         "- No severe lung disease with pO2 < 70 mm Hg and DLCO < 60% of predicted\n")
    got = {(c.variable, c.operator, c.value, c.role) for c in criteria}
    assert got == {("pao2_mmhg", ">=", 70, "required"), ("dlco_pct_predicted", ">=", 60, "required")}
    groups = {c.group for c in criteria}
    assert len(groups) == 1 and None not in groups


def test_sub_items_of_a_denying_parent_are_exclusions(extractor):
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n"
                                         "  -  Age 18 or over\n\n"
                                         "  -  No uncontrolled illness, including any of these:\n\n"
                                         "       -  Active infection\n\n"
                                         "       -  LVEF below 40%\n")
    got = {(c.role, c.variable, c.operator, c.value) for c in criteria}
    assert ("required", "age", ">=", 18) in got
    assert ("excludes", "active_infection", "==", True) in got
    assert ("excludes", "lvef_pct", "<", 40) in got


@pytest.mark.parametrize(("item", "kept"), [
    ("RAEB-2, defined as 10-19% blasts in the marrow", False),  # a category's definition
    ("First remission (CR; defined as fewer than 5% marrow blasts)", False),
    ("Platelets at least 20 x 10^9/L (transfusions allowed to bring platelets to > 20)", True),  # the first is kept
    ("Total bilirubin ≤ 1.5 x ULN (isolated bilirubin > 1.5 x ULN is acceptable with Gilbert's syndrome)", True),
    ("Patients with fewer than 5% marrow blasts must meet one of the following criteria:", False),  # a sub-list header
])
def test_numbers_that_are_not_conditions(extractor, item, kept):
    criteria = trial_criteria(extractor, f"Inclusion Criteria:\n\n- {item}\n")
    if kept:
        assert len(criteria) == 1, criteria  # only the real condition, not the exception
    else:
        assert criteria == ()


def test_sub_items_of_one_of_the_following_are_alternatives(extractor):
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n"
                                         "  -  Unfit for a transplant, as shown by any of the following:\n\n"
                                         "       -  LVEF below 40%\n\n"
                                         "       -  DLCO below 50% of predicted\n")
    groups = {c.variable: c.group for c in criteria}
    assert groups["lvef_pct"] and groups["lvef_pct"] == groups["dlco_pct_predicted"]


def test_sub_items_of_two_or_more_of_the_following_are_left_out(extractor):
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n"
                                         "  -  Two or more of the following risk features:\n\n"
                                         "       -  Age over 60 years\n\n"
                                         "       -  LVEF below 45%\n\n"
                                         "  -  ECOG 0 to 2\n")
    assert [c.variable for c in criteria] == ["ecog"]  # a count of conditions cannot be stored; never half of it


def test_an_or_inside_a_bracket_or_an_analyte_list_does_not_make_alternatives(extractor):
    item = "- Bilirubin ≤ 2 x ULN (unless Gilbert's or haemolysis), ALT and/or AST ≤ 3 x ULN\n"
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n" + item)
    assert {c.variable: c.group for c in criteria} == {"bilirubin_x_uln": None, "ast_alt_x_uln": None}


@pytest.mark.parametrize(("text", "expected"), [
    ("Symptomatic congestive heart failure or unstable angina", [("significant_cardiac_disease", "==", True)]),
    ("No cardiac insufficiency that needs treatment", [("significant_cardiac_disease", "==", False)]),
    ("Heart attack (myocardial infarction) in the last 3 months", [("significant_cardiac_disease", "==", True)]),
    ("Absence of decompensated heart failure", [("significant_cardiac_disease", "==", False)]),
    ("Heart disease of NYHA class III or IV", [("significant_cardiac_disease", "==", True)]),
    ("Uncontrolled atrial arrhythmia", [("significant_cardiac_disease", "==", True)]),
])
def test_heart_disease_that_limits_treatment(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "People with past heart disease must have an echocardiogram before entry",  # a test, not a ban
    "Heart function within normal limits on echocardiography",
    "Cardiac ejection fraction of at least 45%",
])
def test_heart_tests_are_not_the_heart_disease_condition(text):
    assert [v for v, _, _ in found(text) if v == "significant_cardiac_disease"] == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Relapsed or refractory myelodysplastic syndrome after one prior regimen",
     [("disease_status", "in", ["relapsed", "refractory"])]),
    ("AML in first complete remission", [("disease_status", "==", "remission")]),
    ("Newly diagnosed MDS of any IPSS-R group", [("disease_status", "==", "newly_diagnosed")]),
    ("Acute leukemia in remission or in relapse", [("disease_status", "in", ["remission", "relapsed"])]),
    ("AML that is not in remission", [("disease_status", "!=", "remission")]),
])
def test_disease_status_bound_to_a_disease(text, expected):
    assert [f for f in found(text) if f[0] == "disease_status"] == expected


@pytest.mark.parametrize("text", [
    "Refractory anemia with ring sideroblasts",  # an MDS subtype name
    "Disease refractory to two prior hypomethylating agents",  # a failed therapy, read elsewhere
    "Disease may be relapsed or refractory or de novo",  # every status allowed
    "A score that predicts early death after induction in newly diagnosed AML",  # a tool's definition
    "Relapsed or refractory",  # no disease named: nothing to bind the status to
    "Remission induction chemotherapy within 30 days",  # a treatment
])
def test_not_a_disease_status(text):
    assert [f for f in found(text) if f[0] == "disease_status"] == []


def test_another_diseases_status_takes_its_scope(extractor):
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n- Relapsed or refractory acute myeloid leukemia\n"
                                         "- Relapsed or refractory acute lymphoblastic leukemia\n"
                                         "- Relapsed or refractory MDS after azacitidine\n")
    statuses = sorted((c.scope or "patients") for c in criteria if c.variable == "disease_status")
    assert statuses == ["cohort:AML", "patients"]  # the ALL item is another disease's, left out

"""The logic of a trial's eligibility lines beyond single conditions (issue 15): parts of a trial (cohorts,
phases), lines that hold only on a condition ("X are allowed only if Y", "If X, Y", "Y if X"), permissions
that require nothing ("people whose MDS is therapy-related can also join"), and how the trial matcher judges
them. Every record here is made up; the verdicts are what a careful reader of the text would give."""

from __future__ import annotations

import json

import pytest

from etl.readers.eligibility import line_scope, scope_of
from service.patient.trials import match_trial
from tests.unit.trial_text import trial_criteria


@pytest.fixture(scope="module")
def extractor():
    from etl.extract import RuleExtractor

    return RuleExtractor()


def _rows(criteria) -> dict:
    return {"id": "MDSKG:study/t", "nct_id": "NCT00000001", "criteria": [
        {"id": f"c{i}", "variable": c.variable, "operator": c.operator, "value_json": json.dumps(c.value),
         "unit": c.unit, "role": c.role, "text": c.text, "scope": c.scope, "group": c.group}
        for i, c in enumerate(criteria)]}


# ---- parts of a trial ------------------------------------------------------------------------

@pytest.mark.parametrize(("label", "scope"), [
    ("For patients enrolled in Cohorts 1 and 2", "arm:cohorts 1 and 2"),
    ("Arm B only", "arm:arm b"),
    ("Phase II portion", "arm:phase ii"),
    ("Dose-expansion cohort", "arm:dose-expansion cohort"),
    ("Group 3 in Part 1 of the study", "arm:group 3 in part 1"),
    ("For the AML cohort", "cohort:AML"),  # another disease's cohort stays that
    ("All patients", None),
    ("Stage III disease", None),  # a disease stage is not a part of the trial
    ("the study arm", None),  # a part without a name could be the whole trial
])
def test_labels_that_name_a_part_of_the_trial(label, scope):
    assert scope_of(label) == scope


@pytest.mark.parametrize(("line", "scope"), [
    ("Patients in phase 2 must have a platelet count below 50", "arm:phase 2"),
    ("For part B, at least one prior line of therapy", "arm:part b"),
    ("ECOG 0 or 1 (cohort C only)", "arm:cohort c"),
    ("No participation in phase 1 studies in the last month", None),
    ("Chronic phase CML", None),
])
def test_lines_that_name_a_part_of_the_trial(line, scope):
    assert line_scope(line) == scope


TWO_COHORTS = """Inclusion Criteria:

- Adults 18 years or older with MDS

For patients in Cohort A:

- Disease that progressed on azacitidine or decitabine

For patients in Cohort B:

- No earlier treatment with a hypomethylating agent
- IPSS-R high or very high risk

Exclusion Criteria:

- Pregnancy
"""


def test_criteria_under_a_cohort_label_belong_to_that_cohort(extractor):
    criteria = trial_criteria(extractor, TWO_COHORTS)
    by_scope = {(c.variable, c.scope) for c in criteria}
    assert ("age", None) in by_scope and ("pregnant_or_breastfeeding", None) in by_scope
    assert ("failed_therapies", "arm:cohort a") in by_scope
    assert ("prior_therapies", "arm:cohort b") in by_scope and ("ipssr_category", "arm:cohort b") in by_scope


def test_a_patient_needs_to_fit_one_cohort_not_all_of_them(extractor):
    row = _rows(trial_criteria(extractor, TWO_COHORTS))
    failed_hma = {"age": 70, "pregnant_or_breastfeeding": False, "prior_therapies": ["MDSKG:drug/azacitidine"],
                  "failed_therapies": ["MDSKG:drug/azacitidine"], "ipssr_category": "low"}
    untreated_high = {"age": 70, "pregnant_or_breastfeeding": False, "prior_therapies": [], "failed_therapies": [],
                      "ipssr_category": "very_high"}
    untreated_low = {**untreated_high, "ipssr_category": "low"}
    assert match_trial(row, failed_hma).verdict == "POSSIBLE"
    got = match_trial(row, untreated_high)
    assert got.verdict == "POSSIBLE" and any("cohort b" in r for r in got.reasons)
    ruled_out = match_trial(row, untreated_low)
    assert ruled_out.verdict == "NOT_ELIGIBLE"
    assert any("(for cohort a)" in r for r in ruled_out.reasons)
    assert any("(for cohort b)" in r for r in ruled_out.reasons)
    # the common criteria still rule out on their own
    assert match_trial(row, {**failed_hma, "age": 15}).verdict == "NOT_ELIGIBLE"


def test_a_cohort_that_cannot_be_judged_yet_keeps_the_trial_unknown(extractor):
    row = _rows(trial_criteria(extractor, TWO_COHORTS))
    got = match_trial(row, {"age": 70, "pregnant_or_breastfeeding": False, "prior_therapies": [],
                            "failed_therapies": []})  # cohort A ruled out, cohort B needs the IPSS-R category
    assert got.verdict == "UNKNOWN" and "ipssr_category" in got.missing


def test_conflicting_cohorts_are_not_a_conflict_of_the_record(extractor):
    # cohort A needs an HMA history and cohort B forbids one: that is two parts, not a contradiction
    row = _rows(trial_criteria(extractor, TWO_COHORTS))
    got = match_trial(row, {"age": 70, "pregnant_or_breastfeeding": False, "prior_therapies": [],
                            "failed_therapies": [], "ipssr_category": "high"})
    assert got.verdict == "POSSIBLE" and not any("conflict" in r for r in got.reasons)


# ---- conditions and permissions on a line ------------------------------------------------------

def _found(extractor, text):
    return [(c.role, c.variable, c.operator, c.value, c.group) for c in trial_criteria(extractor, text)]


def _check_line(extractor, line: str, patient: dict, ruled_out: bool, must_read: bool = False) -> None:
    """One made-up line ("I|..." under Inclusion, "E|..." under Exclusion) read as a one-line trial: the patient is
    ruled out exactly when a careful reader would rule them out."""
    section, text = line.split("|", 1)
    heading = "Inclusion Criteria:" if section == "I" else "Exclusion Criteria:"
    row = _rows(trial_criteria(extractor, f"{heading}\n\n- {text}\n"))
    assert row["criteria"] or not must_read, "nothing read"
    assert (match_trial(row, patient).verdict == "NOT_ELIGIBLE") == ruled_out, row["criteria"]


def test_a_group_allowed_only_on_a_condition_is_not_a_requirement(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- Patients with a 5q deletion may enrol only if they "
                              "relapsed after lenalidomide\n- ECOG 0-2\n")
    conditional = [f for f in found if f[1] in ("karyotype_findings", "failed_therapies")]
    assert {(v, op) for _, v, op, _, _ in conditional} == {("karyotype_findings", "not_contains"),
                                                           ("failed_therapies", "contains")}
    assert len({g for *_, g in conditional}) == 1 and conditional[0][4]  # one any-of group: not del(5q), or failed


def test_the_conditional_line_is_judged_as_not_x_or_y(extractor):
    row = _rows(trial_criteria(extractor, "Inclusion Criteria:\n\n- Participants whose MDS has a 5q deletion are "
                                          "eligible only if lenalidomide has failed\n"))
    assert match_trial(row, {"karyotype_findings": [], "failed_therapies": []}).verdict == "POSSIBLE"
    assert match_trial(row, {"karyotype_findings": ["del5q"], "failed_therapies": []}).verdict == "NOT_ELIGIBLE"
    assert match_trial(row, {"karyotype_findings": ["del5q"],
                             "failed_therapies": ["MDSKG:drug/lenalidomide"]}).verdict == "POSSIBLE"


def test_an_age_band_admitted_on_a_comorbidity_condition(extractor):
    row = _rows(trial_criteria(extractor, "Inclusion Criteria:\n\n- Patients aged 66 to 72 years are eligible if "
                                          "their HCT-CI score is 2 or less\n"))
    assert match_trial(row, {"age": 50, "hct_ci": 5}).verdict == "POSSIBLE"  # outside the band: no condition
    assert match_trial(row, {"age": 70, "hct_ci": 4}).verdict == "NOT_ELIGIBLE"
    assert match_trial(row, {"age": 70, "hct_ci": 1}).verdict == "POSSIBLE"


def test_a_permission_with_no_condition_requires_nothing(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- Confirmed MDS (people whose MDS followed chemotherapy "
                              "or radiotherapy, that is therapy-related MDS, are eligible)\n- Age 18 or over\n")
    assert not any(v == "therapy_related" for _, v, *_ in found)
    assert ("required", "age", ">=", 18, None) in found


def test_a_requirement_that_also_admits_stays_a_requirement(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- Patients must be 18 years or older; those over 80 are "
                              "eligible too\n")
    assert any(v == "age" and op == ">=" and val == 18 for _, v, op, val, _ in found)


def test_a_line_that_opens_with_a_case_never_rules_out_on_its_own(extractor):
    # the case (a central line in place) is not something the model reads: what it demands is conditional
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n- If a central venous line is in place, the "
                                         "platelet count must be 50 x 10^9/L or more\n- Age 18 years or older\n")
    conditional = [c for c in criteria if c.group and c.group.startswith("if:")]
    assert [(c.variable, c.operator, c.value) for c in conditional] == [("platelets_10e9_l", ">=", 50)]
    got = match_trial(_rows(criteria), {"age": 40, "platelets_10e9_l": 30})
    assert got.verdict == "UNKNOWN" and any("applies only in a case" in r for r in got.reasons)
    assert match_trial(_rows(criteria), {"age": 40, "platelets_10e9_l": 80}).verdict == "POSSIBLE"


def test_a_line_whose_case_is_another_disease_belongs_to_that_cohort(extractor):
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n- If previously untreated AML, the patient must "
                                         "be 65 years or older\n- Age 18 years or older\n")
    assert [(c.variable, c.value, c.scope) for c in criteria if c.variable == "age"] == [
        ("age", 65, "cohort:AML"), ("age", 18, None)]
    assert match_trial(_rows(criteria), {"age": 40}).verdict == "POSSIBLE"  # an MDS patient is not in that case


def test_an_exclusion_that_applies_in_a_case_only(extractor):
    criteria = trial_criteria(extractor, "Exclusion Criteria:\n\n- Younger than 18 years, or if the patient has "
                                         "untreated AML younger than 55 years\n")
    plain = [(c.variable, c.operator, c.value) for c in criteria if not c.group]
    conditional = [(c.variable, c.operator, c.value) for c in criteria if c.group and c.group.startswith("if:")]
    assert plain == [("age", "<", 18)] and conditional == [("age", "<", 55)]
    assert match_trial(_rows(criteria), {"age": 16}).verdict == "NOT_ELIGIBLE"
    assert match_trial(_rows(criteria), {"age": 50}).verdict == "UNKNOWN"
    assert match_trial(_rows(criteria), {"age": 60}).verdict == "POSSIBLE"


def test_a_threshold_with_its_own_condition_in_brackets(extractor):
    # the case (liver involvement) is not read: whether the patient is in it is unknown, so the looser limit rules out
    # and the stricter one only makes a patient between the two limits unknown (session 9: it used to rule them out)
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n- ALT no higher than 2.5 x ULN (no higher than "
                                         "5 x ULN if the liver is involved by leukemia)\n")
    plain = {(c.variable, c.operator, c.value) for c in criteria if not c.group}
    assert ("ast_alt_x_uln", "<=", 5) in plain or ("alt_x_uln", "<=", 5) in plain
    assert not any(c.value == 2.5 and not (c.group or "").startswith("if:") for c in criteria)
    row = _rows(criteria)
    assert match_trial(row, {"alt_x_uln": 4, "ast_alt_x_uln": 4}).verdict == "UNKNOWN"
    assert match_trial(row, {"alt_x_uln": 6, "ast_alt_x_uln": 6}).verdict == "NOT_ELIGIBLE"
    assert match_trial(row, {"alt_x_uln": 1, "ast_alt_x_uln": 1}).verdict == "POSSIBLE"


def test_with_or_without_is_no_condition(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- Anemia with hemoglobin below 9 g/dL with or without "
                              "red blood cell transfusion dependence\n")
    assert not any(v == "transfusion_dependent" for _, v, *_ in found)
    assert any(v == "hemoglobin_g_dl" for _, v, *_ in found)


@pytest.mark.parametrize("text", [
    "- Patients must use contraception even if they are postmenopausal",
    "- Bone marrow biopsy, if clinically indicated, within 28 days",
])
def test_ifs_that_are_not_conditions_change_nothing(extractor, text):
    for c in trial_criteria(extractor, "Inclusion Criteria:\n\n" + text + "\n- Age 18 years or older\n"):
        assert not (c.group or "").startswith("if:")


# ---- lines that name no condition on the patient ---------------------------------------------

@pytest.mark.parametrize(("text", "variable"), [
    ("- Primary or secondary MDS by WHO 2016 criteria", "secondary_mds"),
    ("- MDS, de novo or therapy-related", "therapy_related"),
    ("- MDS (secondary or de novo)", "secondary_mds"),
])
def test_both_ways_of_getting_mds_require_neither(extractor, text, variable):
    assert not any(v == variable for _, v, *_ in _found(extractor, "Inclusion Criteria:\n\n" + text + "\n"))


def test_one_kind_or_another_kind_still_names_a_kind(extractor):
    # "secondary or therapy-related" are two kinds, not both ways: the line is about those kinds
    found = _found(extractor, "Inclusion Criteria:\n\n- MDS that is secondary or therapy-related\n")
    assert any(v == "therapy_related" for _, v, *_ in found)


@pytest.mark.parametrize("text", [
    "- Planned conditioning regimen of fludarabine and busulfan",
    "- Currently receiving a conditioning regimen with cyclosporine",
    "- Scheduled for an allogeneic stem cell transplant from a matched donor",
    "- No post-transplant growth factors while on study",
])
def test_the_trials_own_treatment_is_not_a_treatment_history(extractor, text):
    found = _found(extractor, "Inclusion Criteria:\n\n" + text + "\n")
    assert not any(v in ("prior_therapies", "failed_therapies") for _, v, *_ in found), found


def test_acute_promyelocytic_leukemia_is_the_aml_cohort():
    assert scope_of("Relapsed acute promyelocytic leukemia") == "cohort:AML"
    assert scope_of("APL in second relapse") == "cohort:AML"


def test_a_bracketed_semicolon_does_not_cut_the_clause(extractor):
    # "t(15;17)" must not split "APL with t(15;17) is allowed only if ...": the case stays the case
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n- Relapsed AML of any of these types:\n\n"
                                         "  - Acute promyelocytic leukemia with t(15;17) is allowed only "
                                         "if arsenic trioxide failed\n")
    assert not any(c.variable == "apl" and c.operator == "==" and c.value is True and not c.group
                   for c in criteria)


def test_every_condition_of_a_long_line_is_read(extractor):
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n- Patients aged 66 to 72 years are eligible if "
                                         "their HCT-CI score is 2 or less. Patients on dialysis are eligible only "
                                         "if the creatinine clearance is 20 mL/min or more\n")
    grouped = [c for c in criteria if c.group]
    assert {c.variable for c in grouped} >= {"age", "hct_ci"}
    assert not any(c.variable == "age" and c.operator == "between" for c in criteria)


def test_a_rule_for_patients_with_x_applies_to_them_only(extractor):
    text = ("Inclusion Criteria:\n\n- MDS of any risk. Patients with IPSS low or int-1 disease must have failed "
            "lenalidomide. Patients with IPSS int-2 or high disease must have failed azacitidine.\n")
    row = _rows(trial_criteria(extractor, text))
    low = {"ipss_category": "low", "failed_therapies": []}
    assert match_trial(row, low).verdict == "NOT_ELIGIBLE"
    assert match_trial(row, {**low, "failed_therapies": ["MDSKG:drug/lenalidomide"]}).verdict == "POSSIBLE"
    high = {"ipss_category": "high", "failed_therapies": ["MDSKG:drug/lenalidomide"]}
    assert match_trial(row, high).verdict == "NOT_ELIGIBLE"  # the lower-risk rule is not theirs; theirs is unmet
    assert match_trial(row, {**high, "failed_therapies": ["MDSKG:drug/azacitidine"]}).verdict == "POSSIBLE"


def test_a_therapy_named_with_non_is_every_other_therapy(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- Failure of at least one non-hypomethylating agent therapy\n")
    assert not any(val == "MDSKG:therapy/hma" for _, _, _, val, _ in found)


def test_a_risk_group_with_its_definition_is_read_by_the_definition(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- Higher-risk MDS (10% or more marrow blasts)\n")
    assert ("required", "marrow_blasts_pct", ">=", 10, None) in found
    assert not any(v == "risk_group" for _, v, *_ in found)
    bare = _found(extractor, "Inclusion Criteria:\n\n- Higher-risk MDS\n")
    assert any(v == "risk_group" for _, v, *_ in bare)  # with nothing to define it, the group is the criterion


@pytest.mark.parametrize(("text", "variable"), [
    ("- MDS that was caused by earlier chemotherapy or radiation", "therapy_related"),
    ("- Leukemia induced by alkylating agents", "therapy_related"),
    ("- Previous or current cancer", "other_cancer_history"),
])
def test_other_ways_of_naming_an_exclusion(extractor, text, variable):
    found = _found(extractor, "Exclusion Criteria:\n\n" + text + "\n")
    assert any(v == variable and role == "excludes" and val is True for role, v, _, val, _ in found), found


def test_relapse_after_chemotherapy_is_not_therapy_related(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- Relapse after chemotherapy for MDS\n")
    assert not any(v == "therapy_related" for _, v, *_ in found)


def test_a_limit_whose_exception_the_line_spells_out(extractor):
    row = _rows(trial_criteria(extractor, "Inclusion Criteria:\n\n- Serum creatinine below 1.5 mg/dL; if serum "
                                          "creatinine is above 1.5 mg/dL, then creatinine clearance must be over "
                                          "50 mL/min\n"))
    assert match_trial(row, {"creatinine_mg_dl": 1.2}).verdict == "POSSIBLE"
    assert match_trial(row, {"creatinine_mg_dl": 1.9, "creatinine_clearance_ml_min": 70}).verdict == "POSSIBLE"
    assert match_trial(row, {"creatinine_mg_dl": 1.9, "creatinine_clearance_ml_min": 30}).verdict == "NOT_ELIGIBLE"


def test_relapsed_promyelocytic_leukemia_in_a_list_of_diseases_is_the_aml_cohort(extractor):
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n- Confirmed diagnosis of one of the following:\n\n"
                                         "  - Relapsed acute promyelocytic leukemia\n  - MDS with IPSS int-2 or "
                                         "high risk\n")
    assert all(c.scope == "cohort:AML" for c in criteria if c.variable == "apl")


def test_lines_no_criterion_was_read_from_are_kept_for_the_study_team(extractor):
    from etl.readers.ctgov import TrialFields, trial_document

    doc = trial_document(TrialFields("NCT00000000", brief_title="A made-up trial", conditions=["MDS"],
                                     eligibility_criteria="Inclusion Criteria:\n\n- Age 18 years or older\n"
                                     "- Adequate organ function as judged by the investigator\n- Able to give "
                                     "written informed consent\n- One of the following:\n\n  - ECOG 0 or 1\n\n"
                                     "Exclusion Criteria:\n\n- A mental illness that would make keeping to the "
                                     "study schedule hard\n- Donors:\n\n  - Donor unable to undergo "
                                     "apheresis for any reason\n- Active hepatitis of unknown cause with "
                                     "jaundice\n"))
    lines = [(u.kind, u.text) for u in extractor.extract(doc).unchecked_lines]
    assert ("inclusion", "Adequate organ function as judged by the investigator") in lines
    assert ("exclusion", "Active hepatitis of unknown cause with jaundice") in lines
    assert not any("consent" in t or "compliance" in t or "apheresis" in t or t.endswith(":") or "ECOG" in t
                   or "Age 18" in t for _, t in lines)


def test_a_possible_match_names_how_many_lines_were_not_checked():
    row = {"id": "s", "nct_id": "NCT00000001", "criteria": [
        {"id": "c", "variable": "age", "operator": ">=", "value_json": "18", "role": "required", "text": "age 18+"}],
        "unchecked_inclusion": ["Adequate organ function"], "unchecked_exclusion": ["Serious illness", "Hepatitis"]}
    got = match_trial(row, {"age": 50})
    assert got.verdict == "POSSIBLE"
    assert any("3 lines of the record could not be checked by machine, 2 of them exclusions" in r for r in got.reasons)
    assert got.unchecked == (("required", "Adequate organ function"), ("excludes", "Serious illness"),
                             ("excludes", "Hepatitis"))


@pytest.mark.parametrize("text", [
    "- Only patients with IPSS-R high or very high risk MDS are eligible",
    "- Patients with IPSS-R high or very high risk MDS are eligible",
])
def test_an_inclusion_line_that_says_who_is_eligible_is_a_requirement(extractor, text):
    found = _found(extractor, "Inclusion Criteria:\n\n" + text + "\n")
    assert ("required", "ipssr_category", "in", ["high", "very_high"], None) in found


def test_a_lone_rule_for_patients_with_x_may_state_who_the_trial_is_for(extractor):
    # read as "X and Y", not "if X then Y": the stricter reading never offers the trial to someone without X
    found = _found(extractor, "Inclusion Criteria:\n\n- Patients with IPSS-R high risk MDS must have failed "
                              "azacitidine\n")
    assert any(role == "required" and v == "ipssr_category" and val in ("high", ["high"]) and group is None
               for role, v, _, val, group in found)
    assert ("required", "failed_therapies", "contains", "MDSKG:drug/azacitidine", None) in found


@pytest.mark.parametrize(("text", "variable", "value"), [
    ("- SGPT no more than 3 times the Upper Limit of Normal", "alt_x_uln", 3),
    ("- SGOT (the serum glutamic oxaloacetic transaminase) and SGPT (the pyruvic one) each at 2.5 times "
     "the Upper Limit of Normal or less", "ast_alt_x_uln", 2.5),
    ("- Total bilirubin up to 1.5 times the Upper Limit Of Normal", "bilirubin_x_uln", 1.5),
])
def test_limits_written_in_capitals_are_read(extractor, text, variable, value):
    found = _found(extractor, "Inclusion Criteria:\n\n" + text + "\n")
    assert ("required", variable, "<=", value, None) in found, found


@pytest.mark.parametrize(("line", "scope"), [
    ("Acute myelogenous leukemia: second remission (after earlier myelodysplastic syndrome (MDS))", "cohort:AML"),
    ("Chronic myelogenous leukemia that no longer responds to imatinib", "cohort:CML"),
    ("Acute lymphocytic leukemia in first remission with high-risk features", "cohort:ALL"),
    ("AML or MDS with 10% or more marrow blasts", None),  # both the trial's patients
])
def test_a_disease_line_is_about_the_disease_it_opens_with(line, scope):
    from etl.readers.eligibility import leading_disease_scope

    assert leading_disease_scope(line) == scope


def test_criteria_of_another_disease_in_a_flat_disease_list_are_not_the_mds_patients(extractor):
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n- One of these diseases:\n\n  - Acute myelogenous "
                                         "leukemia: first remission with a complex karyotype (after earlier MDS)\n"
                                         "- Chronic myelogenous leukemia that stopped responding to imatinib\n"
                                         "- MDS with IPSS int-2 or high risk\n")
    mine = [(c.variable, c.value) for c in criteria if c.scope is None]
    assert ("ipss_category", ["intermediate_2", "high"]) in mine
    assert not any(v in ("karyotype_findings", "failed_therapies") for v, _ in mine), mine


def test_a_label_asking_for_a_donor_keeps_only_donor_lines_as_the_donors(extractor):
    # flat registry text: the donor's typing, then (at the same level) the patient's own organ function
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n- Age under 60 years\n\nMust have a related donor "
                                         "who is:\n\n- HLA haploidentical to the patient\n- Serum bilirubin below "
                                         "2.0 mg/dL\n- Ejection fraction above 45%\n\nDONOR:\n\n- Age 70 years or "
                                         "younger\n")
    scopes = {c.variable: c.scope for c in criteria}
    assert scopes.get("bilirubin_mg_dl") is None and scopes.get("lvef_pct") is None  # the patient's own limits
    assert any(c.variable == "age" and c.scope == "donor" and c.value == 70 for c in criteria)


@pytest.mark.parametrize("head", ["No serious organ dysfunction", "Without major organ failure", "No organ damage"])
def test_limits_listed_after_a_denied_heading_are_each_required(extractor, head):
    # the limits after the colon say what "no dysfunction" means: each one holds, none is an alternative
    # (joining them would let a bilirubin of 4 x ULN pass on a normal ALT)
    text = (f"Inclusion Criteria:\n\n- {head}: creatinine at most 2 x ULN; bilirubin at most 3 x ULN; "
            "AST and ALT up to 4 x ULN\n")
    criteria = trial_criteria(extractor, text)
    found = {c.variable: c for c in criteria}
    assert {"creatinine_x_uln", "bilirubin_x_uln", "ast_alt_x_uln"} <= set(found), found
    assert all(c.group is None and c.role == "required" for c in criteria), criteria
    patient = {"bilirubin_x_uln": 4.0, "ast_alt_x_uln": 1.0, "creatinine_x_uln": 1.0}
    assert match_trial(_rows(criteria), patient).verdict == "NOT_ELIGIBLE"


def test_a_denied_pair_of_findings_in_one_clause_stays_a_pair(extractor):
    # "no (A and B)" is "not A or not B": both low together is what the line rules out
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n- No hypoxaemia with pO2 under 65 mmHg and DLCO "
                                         "under 60%\n")
    groups = {c.variable: c.group for c in criteria}
    assert groups["pao2_mmhg"] is not None and groups["pao2_mmhg"] == groups["dlco_pct_predicted"]


# ---- wordings met on real records (rules 0.6.4); the sentences are made up ------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    ("- Aged from birth to 65 years", ("required", "age", "<=", 65, None)),
    ("- Children and adults, birth through 40 years old", ("required", "age", "<=", 40, None)),
    ("- Lung diffusion capacity above 45 percent", ("required", "dlco_pct_predicted", ">", 45, None)),
])
def test_limits_worded_without_a_usual_operator_or_name(extractor, line, expected):
    assert expected in _found(extractor, "Inclusion Criteria:\n\n" + line + "\n")


@pytest.mark.parametrize(("line", "variable", "value"), [
    # the whole clause after "No patients for whom" is denied, however long
    ("- No patients for whom a fully HLA-identical sibling can be found (A, B, C and DRB1 typing)",
     "matched_sibling_donor_available", False),
    # sibling OR unrelated: either kind of matched donor, not only a sibling
    ("- No HLA-matched sibling and no matched unrelated donor has been found", "matched_donor_available", False),
    ("- Lacks a matched sibling or a suitably matched volunteer unrelated donor", "matched_donor_available", False),
    ("- A healthy donor is available and willing to donate", "donor_available", True),
    ("- Has an identified suitable related donor", "donor_available", True),
])
def test_donor_availability_wordings(extractor, line, variable, value):
    found = _found(extractor, "Inclusion Criteria:\n\n" + line + "\n")
    assert ("required", variable, "==", value, None) in found, found
    assert not any(v.endswith("donor_available") and v != variable for _, v, *_ in found), found


def test_a_matched_sibling_or_unrelated_donor_rules_out_a_patient_with_only_an_unrelated_one(extractor):
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n- No HLA-matched sibling and no matched unrelated "
                                         "donor is identified\n")
    patient = {"matched_donor_available": True, "matched_sibling_donor_available": False}
    assert match_trial(_rows(criteria), patient).verdict == "NOT_ELIGIBLE"


@pytest.mark.parametrize(("line", "therapy"), [
    ("- Must have failed previous at least one line of therapy with decitabine", "MDSKG:drug/decitabine"),
    ("- Disease that failed two or more cycles of azacitidine", "MDSKG:drug/azacitidine"),
    ("- Has failed prior treatment with lenalidomide", "MDSKG:drug/lenalidomide"),
])
def test_failure_after_counting_words_is_a_failed_therapy(extractor, line, therapy):
    found = _found(extractor, "Inclusion Criteria:\n\n" + line + "\n")
    assert ("required", "failed_therapies", "contains", therapy, None) in found, found
    assert not any(v == "prior_therapies" for _, v, *_ in found), found


def test_a_drug_name_ending_a_sentence_with_a_capital_is_read(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- Relapsed after decitabine or Ara-C.\n")
    assert any(v == "failed_therapies" and "MDSKG:drug/cytarabine" in (val if isinstance(val, list) else [val])
               for _, v, _, val, _ in found), found


@pytest.mark.parametrize("word", ["ATG", "antithymocyte globulin", "anti-lymphocyte globulin"])
def test_an_ambiguous_drug_word_stands_for_each_drug_it_may_mean(extractor, word):
    # "no earlier ATG" rules out horse and rabbit ATG alike; "failed ATG" is met by either one
    excluded = trial_criteria(extractor, f"Exclusion Criteria:\n\n- Earlier treatment with {word}\n")
    row = _rows(excluded)
    for drug in ("MDSKG:drug/horse-atg", "MDSKG:drug/rabbit-atg"):
        assert match_trial(row, {"prior_therapies": [drug]}).verdict == "NOT_ELIGIBLE"
    assert match_trial(row, {"prior_therapies": ["MDSKG:drug/azacitidine"]}).verdict != "NOT_ELIGIBLE"
    failed = _rows(trial_criteria(extractor, f"Inclusion Criteria:\n\n- Disease refractory to {word}\n"))
    assert match_trial(failed, {"failed_therapies": ["MDSKG:drug/rabbit-atg"]}).verdict != "NOT_ELIGIBLE"
    assert match_trial(failed, {"failed_therapies": []}).verdict == "NOT_ELIGIBLE"


@pytest.mark.parametrize("text", [
    "- Bilirubin below 2 mg/dL in teenagers (patients 13 to 17 years old)\n- Bilirubin below 1.5 mg/dL for adult "
    "patients aged 18 years or more\n",
    "- Adults 18 years and over (adult group): bilirubin below 1.5 mg/dL\n- Bilirubin below 2 mg/dL for "
    "children aged under 18 years\n",
])
def test_an_age_naming_who_a_limit_is_for_is_not_a_requirement(extractor, text):
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n" + text)
    assert not any(c.variable == "age" and c.group is None for c in criteria), criteria  # no age requirement
    bilirubin = [c for c in criteria if c.variable == "bilirubin_mg_dl"]
    assert bilirubin and all(c.group for c in bilirubin), bilirubin  # each limit holds for its age group only
    # read as two age requirements, 13-17 and 18+ would rule everyone out
    row = _rows(criteria)
    assert match_trial(row, {"age": 40, "bilirubin_mg_dl": 1.0}).verdict != "NOT_ELIGIBLE"
    assert match_trial(row, {"age": 15, "bilirubin_mg_dl": 1.0}).verdict != "NOT_ELIGIBLE"
    assert match_trial(row, {"age": 15, "bilirubin_mg_dl": 2.5}).verdict == "NOT_ELIGIBLE"


@pytest.mark.parametrize(("line", "creatinine", "clearance", "verdict"), [
    ("- Clearance of 60 mL/min or more in patients with creatinine above 1.5 mg/dL", 1.2, None, "ok"),
    ("- Clearance of 60 mL/min or more in patients with creatinine above 1.5 mg/dL", 2.0, 45, "NOT_ELIGIBLE"),
    ("- For patients with creatinine of 1.5 mg/dL or more, clearance above 50 mL/min", 2.0, 55, "ok"),
    ("- For patients with creatinine of 1.5 mg/dL or more, clearance above 50 mL/min", 2.0, 40, "NOT_ELIGIBLE"),
])
def test_a_limit_for_patients_with_a_finding_holds_only_for_them(extractor, line, creatinine, clearance, verdict):
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n" + line + "\n")
    assert not any(c.variable == "creatinine_mg_dl" and c.group is None for c in criteria), criteria
    patient = {"creatinine_mg_dl": creatinine, "creatinine_clearance_ml_min": clearance}
    got = match_trial(_rows(criteria), {k: v for k, v in patient.items() if v is not None}).verdict
    assert (got == "NOT_ELIGIBLE") == (verdict == "NOT_ELIGIBLE"), got


@pytest.mark.parametrize(("line", "value"), [
    ("- Serum creatinine of 1.8 or less", 1.8),
    ("- Creatinine below 160", round(160 / 88.4, 3)),  # µmol/L: no mg/dL limit is that high
])
def test_a_creatinine_limit_without_a_unit_is_read_by_its_size(extractor, line, value):
    found = _found(extractor, "Inclusion Criteria:\n\n" + line + "\n")
    assert any(v == "creatinine_mg_dl" and val == pytest.approx(value, abs=0.01) for _, v, _, val, _ in found), found


def test_an_age_requirement_on_its_own_line_stays_one(extractor):
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n- Patients aged 18 to 65 years\n- Bilirubin below "
                                         "2 mg/dL\n")
    assert any(c.variable == "age" and c.group is None for c in criteria)
    assert match_trial(_rows(criteria), {"age": 70, "bilirubin_mg_dl": 1.0}).verdict == "NOT_ELIGIBLE"


def test_a_rule_for_a_case_in_brackets_or_after_a_note_holds_for_that_case(extractor):
    text = ("Inclusion Criteria:\n\n- Creatinine of 2.5 mg/dL or less. Note: all patients whose creatinine is above "
            "1.3 must have a creatinine clearance above 45 mL/min.\n")
    row = _rows(trial_criteria(extractor, text))
    assert match_trial(row, {"creatinine_mg_dl": 1.0}).verdict != "NOT_ELIGIBLE"  # the clearance is not asked
    assert match_trial(row, {"creatinine_mg_dl": 1.8, "creatinine_clearance_ml_min": 30}).verdict == "NOT_ELIGIBLE"


def test_a_case_read_only_in_part_never_lets_the_unread_part_through(extractor):
    # "(A or B) must Y": with only A read, (not A) or Y would pass a patient with B and no Y
    text = ("Inclusion Criteria:\n\n- Creatinine of 2.5 mg/dL or less (people with a creatinine above 1.3 or an "
            "earlier kidney illness must have a clearance above 45 mL/min)\n")
    criteria = trial_criteria(extractor, text)
    assert not any(c.variable == "creatinine_mg_dl" and c.group for c in criteria), criteria
    row = _rows(criteria)
    assert match_trial(row, {"creatinine_mg_dl": 1.0, "creatinine_clearance_ml_min": 30}).verdict != "POSSIBLE"


@pytest.mark.parametrize(("text", "expected"), [
    ("Exclusion Criteria:\n\n- Acute GVHD of grade II to IV, or extensive chronic GVHD\n",
     ("excludes", "acute_gvhd_grade", ">=", 2, None)),
    ("Exclusion Criteria:\n\n- People with grade 3 or higher acute graft-versus-host disease cannot join\n",
     ("excludes", "acute_gvhd_grade", ">=", 3, None)),
    ("Inclusion Criteria:\n\n- Without grade III-IV acute graft versus host disease\n",
     ("required", "acute_gvhd_grade", "<", 3, None)),
    ("Exclusion Criteria:\n\n- Uncontrolled chronic graft-versus-host disease\n",
     ("excludes", "active_gvhd", "==", True, None)),
])
def test_graft_versus_host_disease_after_a_transplant(extractor, text, expected):
    assert expected in _found(extractor, text)


def test_no_ongoing_gvhd_is_met_by_no_transplant_too(extractor):
    # (session 10) GVHD follows an allogeneic transplant: "no ongoing GVHD" is one any-of group with "no earlier
    # allogeneic transplant"
    found = _found(extractor, "Inclusion Criteria:\n\n- No sign of ongoing GvHD\n")
    assert {f[:4] for f in found} == {("required", "active_gvhd", "==", False),
                                      ("required", "prior_therapies", "not_contains", "MDSKG:therapy/allo-hsct")}
    assert len({f[4] for f in found}) == 1 and found[0][4]


def test_gvhd_prevention_is_not_gvhd(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- Will get standard GVHD prophylaxis with tacrolimus\n")
    assert not any(v in ("active_gvhd", "acute_gvhd_grade") for _, v, *_ in found), found


@pytest.mark.parametrize("text", [
    "- Aged 18 to 65 years; people older than or equal to 65 but not more than 72 years can take part if their "
    "HCT-CI is 2 or less\n",
    "- Age up to 65 years; patients 66 to 72 years are eligible if HCT-CI is 2 or less\n",
])
def test_an_age_range_extended_on_a_condition_admits_the_extension(extractor, text):
    row = _rows(trial_criteria(extractor, "Inclusion Criteria:\n\n" + text))
    assert match_trial(row, {"age": 50, "hct_ci": 4}).verdict != "NOT_ELIGIBLE"
    assert match_trial(row, {"age": 70, "hct_ci": 1}).verdict != "NOT_ELIGIBLE"
    assert match_trial(row, {"age": 70, "hct_ci": 4}).verdict == "NOT_ELIGIBLE"
    assert match_trial(row, {"age": 75, "hct_ci": 0}).verdict == "NOT_ELIGIBLE"


def test_a_lower_and_an_upper_bound_make_one_range(extractor):
    assert ("required", "age", "between", [60, 75], None) in _found(
        extractor, "Inclusion Criteria:\n\n- Age of at least 60 and at most 75 years\n")


def test_growth_factors_in_criteria_mean_either_kind(extractor):
    row = _rows(trial_criteria(extractor, "Inclusion Criteria:\n\n- Disease that has failed earlier therapy "
                                          "other than a hypomethylating agent (e.g. haematopoietic growth factors "
                                          "or lenalidomide)\n"))
    assert match_trial(row, {"failed_therapies": ["MDSKG:therapy/esa"]}).verdict != "NOT_ELIGIBLE"
    assert match_trial(row, {"failed_therapies": ["MDSKG:therapy/myeloid-growth-factors"]}).verdict != "NOT_ELIGIBLE"
    assert match_trial(row, {"failed_therapies": ["MDSKG:drug/lenalidomide"]}).verdict != "NOT_ELIGIBLE"
    assert match_trial(row, {"failed_therapies": []}).verdict == "NOT_ELIGIBLE"


def test_lettered_alternatives_joined_by_or_are_one_choice(extractor):
    text = ("Inclusion Criteria:\n\n- Higher-risk disease, meaning (a) marrow blasts of 10% or more, or (b) MDS after "
            "earlier chemotherapy (therapy-related), or (c) a poor karyotype such as -7 or a complex karyotype\n")
    criteria = trial_criteria(extractor, text)
    groups = {c.group for c in criteria if c.variable in ("marrow_blasts_pct", "therapy_related", "karyotype_findings")}
    assert len(groups) == 1 and None not in groups, criteria
    row = _rows(criteria)
    assert match_trial(row, {"marrow_blasts_pct": 12, "therapy_related": False,
                             "karyotype_findings": ["normal"]}).verdict != "NOT_ELIGIBLE"
    assert match_trial(row, {"marrow_blasts_pct": 3, "therapy_related": False,
                             "karyotype_findings": ["normal"]}).verdict == "NOT_ELIGIBLE"


def test_numbered_conditions_joined_by_and_stay_each_required(extractor):
    criteria = trial_criteria(extractor, "Inclusion Criteria:\n\n- Both (1) marrow blasts under 10% and (2) a "
                                         "platelet count of 50 or more\n")
    assert all(c.group is None for c in criteria) and len(criteria) == 2, criteria


def test_a_risk_group_glued_to_the_next_word_is_read(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- Lower-risk MDS: IPSS low or Intermediate-1risk\n")
    assert ("required", "ipss_category", "in", ["low", "intermediate_1"], None) in found, found


def test_a_time_span_between_the_name_and_the_limit_does_not_hide_it(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- Neutrophil count within 3 weeks of entry of at least "
                              "0.5 x 10^9/L\n")
    assert ("required", "anc_10e9_l", ">=", 0.5, None) in found, found


@pytest.mark.parametrize("line", [
    "- No earlier failure of azacitidine",
    "- Must not have failed treatment with azacitidine",
    "- Not resistant to azacitidine",
    "- Without documented intolerance or resistance to azacitidine",
])
def test_a_denied_failure_rules_out_the_failure(extractor, line):
    # read the other way round, a patient whose azacitidine failed would be offered the trial
    row = _rows(trial_criteria(extractor, "Inclusion Criteria:\n\n" + line + "\n"))
    assert match_trial(row, {"failed_therapies": ["MDSKG:drug/azacitidine"]}).verdict == "NOT_ELIGIBLE"
    assert match_trial(row, {"failed_therapies": []}).verdict != "NOT_ELIGIBLE"


@pytest.mark.parametrize("line", ["- Disease that has not responded to azacitidine",
                                  "- Intolerance of, or resistance to, azacitidine"])
def test_a_failure_worded_with_not_or_intolerance_is_a_failure(extractor, line):
    row = _rows(trial_criteria(extractor, "Inclusion Criteria:\n\n" + line + "\n"))
    assert match_trial(row, {"failed_therapies": []}).verdict == "NOT_ELIGIBLE"
    assert match_trial(row, {"failed_therapies": ["MDSKG:drug/azacitidine"]}).verdict != "NOT_ELIGIBLE"


@pytest.mark.parametrize("line", [
    "- Must not have been treated with azacitidine",
    "- Never received azacitidine",
    "- Naive to azacitidine",
    "- Untreated with azacitidine",
])
def test_a_denied_earlier_treatment_rules_it_out(extractor, line):
    row = _rows(trial_criteria(extractor, "Inclusion Criteria:\n\n" + line + "\n"))
    assert match_trial(row, {"prior_therapies": ["MDSKG:drug/azacitidine"]}).verdict == "NOT_ELIGIBLE"
    assert match_trial(row, {"prior_therapies": []}).verdict != "NOT_ELIGIBLE"


@pytest.mark.parametrize("line", [
    "- Has had at least four cycles of azacitidine and has not responded",
    "- Had six cycles of azacitidine with no response",
    "- Treated with azacitidine but then lost the response",
])
def test_a_failure_told_after_the_treatment_is_a_failure(extractor, line):
    # read as mere earlier treatment, a patient who responded to azacitidine would pass
    row = _rows(trial_criteria(extractor, "Inclusion Criteria:\n\n" + line + "\n"))
    assert match_trial(row, {"prior_therapies": ["MDSKG:drug/azacitidine"],
                             "failed_therapies": []}).verdict == "NOT_ELIGIBLE"


# ---- polarity probes (made-up lines; each was read the wrong way round before rules 0.6.9) ------------------

@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Not transfusion dependent", {"transfusion_dependent": True}, True),
    ("I|Not transfusion dependent", {"transfusion_dependent": False}, False),
    ("I|Red cell transfusion independent", {"transfusion_dependent": True}, True),
    ("I|TP53 wild-type", {"mutated_genes": ["TP53"]}, True),
    ("I|TP53 wild-type", {"mutated_genes": ["SF3B1"], "mutated_genes__tested": ["TP53", "SF3B1"]}, False),
    ("I|NPM1-unmutated disease", {"mutated_genes": ["NPM1"]}, True),
    ("I|Patients with more than 20% marrow blasts are excluded", {"marrow_blasts_pct": 25}, True),
    ("I|Patients with more than 20% marrow blasts are excluded", {"marrow_blasts_pct": 8}, False),
    ("I|Prior allogeneic transplant is not allowed", {"prior_therapies": ["MDSKG:therapy/allo-hsct"]}, True),
    ("I|Prior allogeneic transplant is not allowed", {"prior_therapies": []}, False),
    ("E|Earlier allogeneic transplant not permitted", {"prior_therapies": ["MDSKG:therapy/allo-hsct"]}, True),
    ("I|Lower-risk MDS with or without del(5q)", {"karyotype_findings": ["normal"], "risk_group": "lower"}, False),
])
def test_polarity_probes(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Has not had an allogeneic stem cell transplant", {"prior_therapies": ["MDSKG:therapy/allo-hsct"]}, True),
    ("I|Has not had an allogeneic stem cell transplant", {"prior_therapies": []}, False),
    ("I|IPSS-R very high risk excluded", {"ipssr_category": "very_high"}, True),
    ("I|IPSS-R very high risk excluded", {"ipssr_category": "high"}, False),
    ("I|Any risk group, excluding IPSS-R very high", {"ipssr_category": "very_high"}, True),
    ("I|Disease progression while being treated with decitabine",
     {"prior_therapies": ["MDSKG:drug/decitabine"], "failed_therapies": []}, True),
])
def test_polarity_probes_second_batch(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "Y unless X"
    ("E|Creatinine above 2 mg/dL, unless creatinine clearance is at least 50 mL/min",
     {"creatinine_mg_dl": 2.4, "creatinine_clearance_ml_min": 60}, False),
    ("E|Creatinine above 2 mg/dL, unless creatinine clearance is at least 50 mL/min",
     {"creatinine_mg_dl": 2.4, "creatinine_clearance_ml_min": 40}, True),
    ("E|Creatinine above 2 mg/dL, unless creatinine clearance is at least 50 mL/min",
     {"creatinine_mg_dl": 1.0, "creatinine_clearance_ml_min": 90}, False),
    # an exception we cannot check leaves the limit as written (the patient sees it named)
    ("I|Bilirubin of 2 mg/dL or less unless caused by Gilbert syndrome", {"bilirubin_mg_dl": 3.5}, True),
    # the scheme of "either IPSS ..." is IPSS, not IPSS-R (the r of "either" is no R-IPSS)
    ("I|Either IPSS low or int-1", {"ipss_category": "low", "ipssr_category": "high"}, False),
    ("I|Either IPSS low or int-1", {"ipss_category": "high", "ipssr_category": "low"}, True),
    # an alternative in brackets
    ("I|ECOG 0 to 2 (or Karnofsky 60 or more)", {"ecog": 3, "karnofsky": 70}, False),
    ("I|ECOG 0 to 2 (or Karnofsky 60 or more)", {"ecog": 3, "karnofsky": 40}, True),
    # one of the following, written on the line
    ("I|One of these: haemoglobin under 10 g/dL, platelets under 100 x 10^9/L or ANC under 1.8 x 10^9/L",
     {"hemoglobin_g_dl": 12, "platelets_10e9_l": 80, "anc_10e9_l": 3}, False),
    ("I|One of these: haemoglobin under 10 g/dL, platelets under 100 x 10^9/L or ANC under 1.8 x 10^9/L",
     {"hemoglobin_g_dl": 12, "platelets_10e9_l": 180, "anc_10e9_l": 3}, True),
])
def test_polarity_probes_third_batch(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize("text", [
    "- At least two of the following: haemoglobin under 10 g/dL, platelets under 100 x 10^9/L, ANC under "
    "1.8 x 10^9/L\n",
    "- Two or more of the following:\n\n  - haemoglobin under 10 g/dL\n  - platelets under 100 x 10^9/L\n"
    "  - ANC under 1.8 x 10^9/L\n",
])
def test_two_of_several_conditions_are_left_for_the_patient_to_check(extractor, text):
    # neither reading fits: any-of would pass a patient with one, all-of would rule out a patient with two
    from etl.readers.ctgov import TrialFields, trial_document

    assert not trial_criteria(extractor, "Inclusion Criteria:\n\n" + text)
    doc = trial_document(TrialFields("NCT00000000", brief_title="A trial of a new drug in MDS",
                                     conditions=["Myelodysplastic Syndromes"],
                                     eligibility_criteria="Inclusion Criteria:\n\n" + text))
    unchecked = " ".join(u.text for u in extractor.extract(doc).unchecked_lines)
    assert "platelets under 100" in unchecked, unchecked


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # an exclusion said inside the inclusion list
    ("I|People with an active, uncontrolled infection cannot take part", {"active_infection": True}, True),
    ("I|Ineligible: neutrophil counts under 0.3 x 10^9/L", {"anc_10e9_l": 0.2}, True),
    ("I|Ineligible: neutrophil counts under 0.3 x 10^9/L", {"anc_10e9_l": 1.2}, False),
    # a literal "not" in the exclusion list (not the registry's repeated "no")
    ("E|Patients who are not fit for an allogeneic transplant", {"transplant_candidate": False}, True),
    ("E|Patients who are not fit for an allogeneic transplant", {"transplant_candidate": True}, False),
    ("E|Patients who have never had a hypomethylating agent", {"prior_therapies": []}, True),
    ("E|Patients who have never had a hypomethylating agent",
     {"prior_therapies": ["MDSKG:drug/decitabine", "MDSKG:therapy/hma"]}, False),
    ("E|No active infection", {"active_infection": True}, True),  # the registry's repeated "no" stays
    # an inclusion rule written in the exclusion list
    ("E|Patients older than 80 can take part only if their ECOG is 0 or 1", {"age": 84, "ecog": 2}, True),
    ("E|Patients older than 80 can take part only if their ECOG is 0 or 1", {"age": 84, "ecog": 1}, False),
    ("E|Patients older than 80 can take part only if their ECOG is 0 or 1", {"age": 60, "ecog": 2}, False),
    # the second case after ", or" is not denied
    ("I|Not fit for intensive chemotherapy, or aged 70 or older",
     {"intensive_chemo_candidate": True, "age": 72}, False),
    ("I|Not fit for intensive chemotherapy, or aged 70 or older",
     {"intensive_chemo_candidate": True, "age": 55}, True),
    # an exception listing several therapies
    ("E|Any earlier treatment for MDS, excluding blood transfusions and growth factors",
     {"prior_therapies": ["MDSKG:therapy/esa"]}, False),
])
def test_polarity_probes_fourth_batch(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Sole del(5q) abnormality", {"karyotype_findings": ["del5q", "plus8"], "karyotype_abnormality_count": 2}, True),
    ("I|Sole del(5q) abnormality", {"karyotype_findings": ["del5q"], "karyotype_abnormality_count": 1}, False),
    ("I|del(5q), alone or with one further abnormality",
     {"karyotype_findings": ["del5q", "plus8"], "karyotype_abnormality_count": 2}, False),
    ("I|del(5q), alone or with one further abnormality",
     {"karyotype_findings": ["del5q", "plus8", "del20q", "complex"], "karyotype_abnormality_count": 3}, True),
    ("I|People whose MDS carries a TP53 mutation cannot take part",
     {"mutated_genes": ["TP53"], "mutated_genes__tested": ["TP53"]}, True),
    ("I|Between 3 and 8 RBC units given every 8 weeks", {"transfusion_units_per_8wk": 10}, True),
    ("I|Between 3 and 8 RBC units given every 8 weeks", {"transfusion_units_per_8wk": 4}, False),
    ("I|Must rely on red blood cell transfusions", {"transfusion_dependent": False}, True),
    ("I|When only a mismatched unrelated donor can be found, the patient must be 60 or younger",
     {"age": 66, "haplo_donor_available": False, "matched_donor_available": True}, False),
    ("I|An earlier autologous or allogeneic transplant is permitted provided there is no ongoing GVHD",
     {"prior_therapies": ["MDSKG:therapy/allo-hsct"], "active_gvhd": True}, True),
    ("I|An earlier autologous or allogeneic transplant is permitted provided there is no ongoing GVHD",
     {"prior_therapies": [], "active_gvhd": False}, False),
])
def test_polarity_probes_fifth_batch(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Blasts in the blood of 2% or less", {"peripheral_blasts_pct": 4, "marrow_blasts_pct": 3}, True),
    ("I|Blasts in the blood of 2% or less", {"peripheral_blasts_pct": 1, "marrow_blasts_pct": 12}, False),
    ("I|Bone marrow blasts under 20% and circulating blasts under 5%",
     {"marrow_blasts_pct": 8, "peripheral_blasts_pct": 7}, True),
    ("I|10-19% blasts in the bone marrow or 5-19% in the blood",
     {"marrow_blasts_pct": 6, "peripheral_blasts_pct": 8}, False),
    ("I|An HLA-DR15 allele on typing, or a PNH clone", {"hla_dr15": False, "pnh_clone": True}, False),
])
def test_blood_blasts_and_qualified_alternatives(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Creatinine of 1.5 x ULN or less or, if above that, a clearance of 50 mL/min or more",
     {"creatinine_x_uln": 2.0, "creatinine_clearance_ml_min": 30}, True),
    ("I|Creatinine of 1.5 x ULN or less or, if above that, a clearance of 50 mL/min or more",
     {"creatinine_x_uln": 2.0, "creatinine_clearance_ml_min": 70}, False),
    ("I|Circulating blasts under 2% and marrow blasts of 5 to 19%",
     {"marrow_blasts_pct": 8, "peripheral_blasts_pct": 0}, False),
    ("E|Patients must have a neutrophil count of at least 0.5 x 10^9/L", {"anc_10e9_l": 0.2}, True),
    ("E|Patients not needing transfusions (transfusion independent)", {"transfusion_dependent": False}, True),
    ("E|Lack of a matched donor", {"matched_donor_available": False}, True),
    ("I|Anyone who has received a hypomethylating agent before is excluded",
     {"prior_therapies": ["MDSKG:drug/azacitidine", "MDSKG:therapy/hma"]}, True),
    ("E|Any 3q abnormality such as inv(3)", {"karyotype_findings": ["inv3"], "karyotype_abnormality_count": 1}, True),
    ("I|An earlier allogeneic transplant does not exclude as long as there is no active GVHD",
     {"prior_therapies": ["MDSKG:therapy/allo-hsct"], "active_gvhd": True}, True),
])
def test_polarity_probes_sixth_batch(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


# ---- one criterion per condition (rules 0.7.6): how many criteria a trial has in the graph ----------------------

def _graph_criteria(extractor, text: str) -> set[str]:
    """The trial's Criterion nodes as the ETL writes them (one per distinct id)."""
    from etl.rows import criterion_id

    return {criterion_id(c) for c in trial_criteria(extractor, text)}


@pytest.mark.parametrize("text", [
    "Exclusion Criteria:\n\n- Earlier treatment with azacitidine, decitabine or lenalidomide\n",
    "Exclusion Criteria:\n\n- Any earlier exposure to lenalidomide, decitabine or azacitidine\n",
    "Inclusion Criteria:\n\n- No earlier azacitidine, decitabine or lenalidomide\n",
    "Inclusion Criteria:\n\n- Must never have received decitabine, lenalidomide or azacitidine\n",
])
def test_treatments_one_line_rules_out_are_one_criterion(extractor, text):
    criteria = trial_criteria(extractor, text)
    assert [(c.role, c.variable, c.operator) for c in criteria] == [("excludes", "prior_therapies", "in")], criteria
    assert set(criteria[0].value) == {"MDSKG:drug/azacitidine", "MDSKG:drug/decitabine", "MDSKG:drug/lenalidomide"}
    row = _rows(criteria)
    for drug in ("MDSKG:drug/azacitidine", "MDSKG:drug/decitabine", "MDSKG:drug/lenalidomide"):
        assert match_trial(row, {"prior_therapies": [drug]}).verdict == "NOT_ELIGIBLE", drug
    assert match_trial(row, {"prior_therapies": ["MDSKG:therapy/esa"]}).verdict != "NOT_ELIGIBLE"
    assert match_trial(row, {}).verdict == "UNKNOWN"  # no history given: never an offer


def test_treatments_excluded_on_separate_lines_stay_separate_criteria(extractor):
    criteria = trial_criteria(extractor, "Exclusion Criteria:\n\n- Earlier decitabine\n\n- Earlier azacitidine\n")
    assert sorted(c.value for c in criteria) == ["MDSKG:drug/azacitidine", "MDSKG:drug/decitabine"], criteria


@pytest.mark.parametrize("text", [
    "Inclusion Criteria:\n\n- Disease that progressed on azacitidine or decitabine\n",
    "Inclusion Criteria:\n\n- Resistant to or relapsed after decitabine or azacitidine\n",
])
def test_alternative_treatments_that_must_have_failed_are_one_criterion(extractor, text):
    criteria = trial_criteria(extractor, text)
    assert [(c.role, c.variable, c.operator) for c in criteria] == [("required", "failed_therapies", "in")], criteria
    assert set(criteria[0].value) == {"MDSKG:drug/azacitidine", "MDSKG:drug/decitabine"}
    row = _rows(criteria)
    assert match_trial(row, {"failed_therapies": ["MDSKG:drug/decitabine"]}).verdict != "NOT_ELIGIBLE"
    assert match_trial(row, {"failed_therapies": ["MDSKG:drug/azacitidine"]}).verdict != "NOT_ELIGIBLE"
    assert match_trial(row, {"failed_therapies": ["MDSKG:drug/lenalidomide"]}).verdict == "NOT_ELIGIBLE"


def test_a_list_of_alternatives_keeps_its_other_members(extractor):
    # "failed X or Y, or blasts of 10% or more": the two treatments become one member, the blasts stay the other
    text = "Inclusion Criteria:\n\n- Failure of azacitidine or decitabine, or marrow blasts of 10% or more\n"
    row = _rows(trial_criteria(extractor, text))
    assert match_trial(row, {"failed_therapies": [], "marrow_blasts_pct": 12}).verdict != "NOT_ELIGIBLE"
    assert match_trial(row, {"failed_therapies": ["MDSKG:drug/decitabine"], "marrow_blasts_pct": 3}).verdict \
        != "NOT_ELIGIBLE"
    assert match_trial(row, {"failed_therapies": [], "marrow_blasts_pct": 3}).verdict == "NOT_ELIGIBLE"


@pytest.mark.parametrize("text", [
    "Inclusion Criteria:\n\n- Aged 21 or older\n\nExclusion Criteria:\n\n- Younger than 21 years\n",
    "Inclusion Criteria:\n\n- No serious heart disease\n\nExclusion Criteria:\n\n- Heart failure\n\n"
    "- A heart attack (myocardial infarction) in the last year\n",
    "Inclusion Criteria:\n\n- ECOG performance status 0 to 2\n\nExclusion Criteria:\n\n- ECOG of 3 or more\n",
    "Inclusion Criteria:\n\n- Free of active infection\n\nExclusion Criteria:\n\n- An uncontrolled infection\n",
])
def test_one_condition_said_in_both_lists_is_one_criterion(extractor, text):
    assert len(_graph_criteria(extractor, text)) == 1, trial_criteria(extractor, text)


def test_a_limit_and_a_different_limit_in_the_other_list_stay_two(extractor):
    text = "Inclusion Criteria:\n\n- Aged 21 or older\n\nExclusion Criteria:\n\n- Older than 80 years\n"
    assert len(_graph_criteria(extractor, text)) == 2


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("E|A past diagnosis of acute myeloid leukaemia", {"prior_aml": True}, True),
    ("E|A past diagnosis of acute myeloid leukaemia", {"prior_aml": False}, False),
    ("I|No previous AML", {"prior_aml": True}, True),
    ("E|History of acute myelogenous leukemia", {}, False),  # not known: UNKNOWN, never ruled out
    ("E|CMML of the proliferative type (MP-CMML)", {"cmml_proliferative": True}, True),
    ("E|Myeloproliferative CMML", {"cmml_proliferative": False}, False),
    ("I|Dysplastic CMML; myeloproliferative chronic myelomonocytic leukemia is not eligible",
     {"cmml_proliferative": True}, True),
])
def test_an_earlier_aml_and_proliferative_cmml_are_read(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize("text", [
    "Inclusion Criteria:\n\n- Relapsed AML, defined as 5% marrow blasts or more in a patient with a known history "
    "of AML, or relapsed MDS\n",
    "Inclusion Criteria:\n\n- Earlier treatment for AML is allowed\n",
    "Inclusion Criteria:\n\n- Non-proliferative CMML\n",
])
def test_a_definition_or_a_treatment_is_not_an_earlier_aml_or_proliferative_cmml(extractor, text):
    assert not [c for c in trial_criteria(extractor, text) if c.variable in ("prior_aml", "cmml_proliferative")
                and c.role == "required" and c.value is True]


@pytest.mark.parametrize(("line", "scope"), [
    ("Earlier azacitidine, in the dose-expansion phase 2 part only", "arm:phase 2"),
    ("Earlier azacitidine during the expansion phase II portion only", "arm:phase ii"),
    ("No participation during phase 1 trials in the last month", None),
])
def test_a_part_of_the_trial_named_with_during_or_an_adjective(line, scope):
    assert line_scope(line) == scope


def test_a_subscript_written_apart_is_still_arterial_oxygen(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- PO _2 of 75 mm Hg or more\n")
    assert ("required", "pao2_mmhg", ">=", 75, None) in found, found


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a cancer present now is the condition; the years in its exceptions belong to the cancers excepted
    ("E|Concurrent cancer, except a skin cancer removed more than 4 years ago",
     {"other_active_cancer": True, "other_cancer_years": 12}, True),
    ("E|Concurrent cancer, except a skin cancer removed more than 4 years ago",
     {"other_active_cancer": False}, False),
    ("E|Another active malignancy other than a breast cancer treated over 6 years ago",
     {"other_active_cancer": True}, True),
    # a window that is the condition itself stays a window
    ("E|Other cancer within the last 3 years, except a basal cell skin cancer",
     {"other_cancer_years": 1}, True),
    ("E|Other cancer within the last 3 years, except a basal cell skin cancer",
     {"other_cancer_years": 8}, False),
])
def test_the_years_of_a_cancer_excepted_are_not_the_window(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Serum copper of 50 µg/dL or more", {"copper_ug_dl": 30}, True),
    ("I|Serum copper of 50 µg/dL or more", {"copper_ug_dl": 90}, False),
    ("I|Bicarbonate at least 18 mEq/L", {"bicarbonate_meq_l": 15}, True),
    ("I|Body weight of 30 kg or more", {"weight_kg": 20}, True),
    ("I|Body weight of 30 kg or more", {"weight_kg": 70}, False),
    ("E|A MoCA score below 20", {"moca_score": 14}, True),
    ("E|A MoCA score below 20", {"moca_score": 27}, False),
    ("I|Serum copper of 50 µg/dL or more", {}, False),  # not known: UNKNOWN, never an offer nor a refusal
])
def test_copper_bicarbonate_weight_and_moca_are_read(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_a_lab_value_without_the_patient_value_is_unknown(extractor):
    row = _rows(trial_criteria(extractor, "Inclusion Criteria:\n\n- Serum copper of 50 µg/dL or more\n"))
    assert match_trial(row, {"age": 70}).verdict == "UNKNOWN"


@pytest.mark.parametrize("text", [
    "Inclusion Criteria:\n\n- A negative urine pregnancy test of a sensitivity of at least 20 mIU/mL\n",
    "Inclusion Criteria:\n\n- Women who can become pregnant need two negative serum tests (sensitivity 25 mIU/mL "
    "or better)\n",
    "Exclusion Criteria:\n\n- A beta-hCG test sensitive to 10 mIU/mL that is positive\n",
    "Inclusion Criteria:\n\n- Dose of 20 mg/kg on day 1\n",
])
def test_a_test_sensitivity_or_a_dose_is_no_criterion(extractor, text):
    found = _found(extractor, text)
    assert not [f for f in found if f[1] in ("serum_epo_mu_ml", "weight_kg")], found


def test_an_epo_level_beside_a_pregnancy_line_is_still_read(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- Not pregnant; serum EPO level of 400 mU/mL or less\n")
    assert ("required", "serum_epo_mu_ml", "<=", 400, None) in found, found


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|No earlier treatment for MDS", {"prior_therapy_lines": 1}, True),
    ("I|No earlier treatment for MDS", {"prior_therapy_lines": 0}, False),
    ("E|No previous therapy for myelodysplastic syndrome", {"prior_therapy_lines": 2}, True),
    ("E|No previous therapy for myelodysplastic syndrome", {"prior_therapy_lines": 0}, False),
    # an exception the count cannot say is left unread rather than read as "no treatment at all"
    ("I|No prior therapy for MDS other than growth factors", {"prior_therapy_lines": 1}, False),
])
def test_no_earlier_treatment_for_mds_means_no_treatment_line(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


def test_a_case_with_its_own_list_of_ways_in_lets_the_others_through(extractor):
    # "those with fewer than 5% blasts need one of these" says nothing to those with 5% or more
    text = ("Inclusion Criteria:\n\n- MDS\n\n- Participants with under 5% marrow blasts must meet at least one of the "
            "following:\n\n    - Haemoglobin below 9 g/dL\n\n    - Platelets below 40 x 10^9/L\n")
    row = _rows(trial_criteria(extractor, text))
    assert match_trial(row, {"marrow_blasts_pct": 12, "hemoglobin_g_dl": 12, "platelets_10e9_l": 200}).verdict \
        == "POSSIBLE"
    assert match_trial(row, {"marrow_blasts_pct": 2, "hemoglobin_g_dl": 8, "platelets_10e9_l": 200}).verdict \
        == "POSSIBLE"
    assert match_trial(row, {"marrow_blasts_pct": 2, "hemoglobin_g_dl": 12, "platelets_10e9_l": 200}).verdict \
        == "NOT_ELIGIBLE"


def test_a_list_every_patient_must_meet_one_of_is_not_widened(extractor):
    text = ("Inclusion Criteria:\n\n- MDS meeting at least one of the following:\n\n    - Haemoglobin below 9 g/dL\n\n"
            "    - Platelets below 40 x 10^9/L\n")
    row = _rows(trial_criteria(extractor, text))
    assert match_trial(row, {"hemoglobin_g_dl": 12, "platelets_10e9_l": 200}).verdict == "NOT_ELIGIBLE"


def test_a_limit_said_again_as_a_target_keeps_the_limit(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- Marrow blasts under 10% (if not, chemotherapy first to bring "
                              "them under 10% is needed)\n")
    assert found == [("required", "marrow_blasts_pct", "<", 10, None)], found


def test_two_liver_enzymes_on_two_lines_keep_their_limits(extractor):
    text = ("Inclusion Criteria:\n\n- Neutrophils of 1.0 x 10^9/L or more\n- Aspartate transaminase (AST) up to 3 x "
            "ULN\n- Alanine transaminase (ALT) up to 3 x ULN\n")
    found = _found(extractor, text)
    assert ("required", "ast_x_uln", "<=", 3, None) in found, found
    assert ("required", "alt_x_uln", "<=", 3, None) in found, found
    row = _rows(trial_criteria(extractor, text))
    assert match_trial(row, {"anc_10e9_l": 2.0, "ast_x_uln": 1.0, "alt_x_uln": 5.0}).verdict == "NOT_ELIGIBLE"


def test_one_liver_limit_for_both_enzymes_on_one_line_is_one(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- AST up to 3 x ULN and ALT up to 3 x ULN\n")
    assert found == [("required", "ast_alt_x_uln", "<=", 3, None)], found


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Not pregnant; serum EPO level of 400 mU/mL or less", {"serum_epo_mu_ml": 900}, True),
    ("I|Not pregnant; serum EPO level of 400 mU/mL or less", {"serum_epo_mu_ml": 100}, False),
    ("I|No active infection; platelets of 50 x 10^9/L or more", {"platelets_10e9_l": 20}, True),
])
def test_a_denial_stops_at_the_semicolon(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_a_list_of_treatments_scores_as_the_labels_list():
    # bench scoring: extracted `in [a, b]` on a set is the gold's `contains [a, b]` (one of them)
    from bench import extraction_scoring as xs

    leaf = xs.canonical_extracted("failed_therapies", "in", ["MDSKG:drug/azacitidine", "MDSKG:drug/decitabine"], None,
                                  "required")
    gold = xs.flatten_gold([{"variable": "failed_therapies", "operator": "contains",
                             "value": ["MDSKG:drug/decitabine", "MDSKG:drug/azacitidine"]}])
    assert xs.leaf_matches(leaf, gold[0])
    excluded = xs.canonical_extracted("prior_therapies", "in", ["MDSKG:drug/azacitidine", "MDSKG:drug/decitabine"],
                                      None, "excludes")
    gold = xs.flatten_gold([{"variable": "prior_therapies", "operator": "not_contains",
                             "value": ["MDSKG:drug/azacitidine", "MDSKG:drug/decitabine"]}])
    assert xs.leaf_matches(excluded, gold[0])


def test_statuses_named_as_alternatives_are_one_criterion(extractor):
    text = ("Inclusion Criteria:\n\n- AML that is one of the following:\n\n    - Newly diagnosed AML\n\n"
            "    - Relapsed or refractory AML\n")
    criteria = [c for c in trial_criteria(extractor, text) if c.variable == "disease_status"]
    assert len(criteria) == 1 and criteria[0].operator == "in", criteria
    assert set(criteria[0].value) == {"newly_diagnosed", "relapsed", "refractory"}


# ---- rules 0.7.7: polarity, scope and logic the third probe set found read wrongly (issue 15) ---------------------
# Every line below is made up for these tests; each pair shows the patient a careful reader rules out and one kept.

@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "unfit / ineligible for X" opening an exclusion line is literal: the unfit are the ones excluded
    ("E|Unsuitable for high-dose induction chemotherapy", {"intensive_chemo_candidate": False}, True),
    ("E|Unsuitable for high-dose induction chemotherapy", {"intensive_chemo_candidate": True}, False),
    ("E|Participants considered ineligible for allogeneic transplantation", {"transplant_candidate": False}, True),
    ("E|Participants considered ineligible for allogeneic transplantation", {"transplant_candidate": True}, False),
    # "not free of X" denies a denial: X is there
    ("E|Anyone who is not free of an uncontrolled infection when starting treatment", {"active_infection": True},
     True),
    ("E|Anyone who is not free of an uncontrolled infection when starting treatment", {"active_infection": False},
     False),
    # "… will not be enrolled" in the inclusion list says who may not join
    ("I|People whose ECOG performance status is above 2 will not be enrolled", {"ecog": 3}, True),
    ("I|People whose ECOG performance status is above 2 will not be enrolled", {"ecog": 1}, False),
    ("I|Those with an active infection may not be included", {"active_infection": True}, True),
    ("I|Those with an active infection may not be included", {"active_infection": False}, False),
])
def test_denials_and_exclusions_in_other_words(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a carve-out from what an exclusion line excludes rules out no one for lacking the carved-out finding
    ("E|Abnormal chromosome 7 or 17, apart from an isolated del(5q)", {"karyotype_findings": ["normal"]}, False),
    ("E|Abnormal chromosome 7 or 17, apart from an isolated del(5q)", {"karyotype_findings": ["plus8"]}, False),
    # "any X other than Y" does exclude all the others
    ("E|Every karyotype except a lone del(20q)", {"karyotype_findings": ["plus8"]}, True),
    # … and with "lone"/"isolated", Y with more abnormalities too
    ("E|Every karyotype except a lone del(20q)", {"karyotype_findings": ["del20q", "plus8"],
                                                  "karyotype_abnormality_count": 2}, True),
    ("E|Every karyotype except a lone del(20q)", {"karyotype_findings": ["del20q"],
                                                  "karyotype_abnormality_count": 1}, False),
])
def test_a_carve_out_in_an_exclusion_line_is_not_a_requirement(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # the dots of "e.g." / "i.e." end no clause: the denial reaches every therapy after them
    ("I|Never treated with a thrombopoietin agonist (e.g. romiplostim) or with azacitidine",
     {"prior_therapies": ["MDSKG:drug/azacitidine"]}, True),
    ("I|Never treated with a thrombopoietin agonist (e.g. romiplostim) or with azacitidine", {"prior_therapies": []},
     False),
    # "free of prior X" is a denial
    ("I|Free from any previous decitabine", {"prior_therapies": ["MDSKG:drug/decitabine"]}, True),
    ("I|Free from any previous decitabine", {"prior_therapies": ["MDSKG:drug/lenalidomide"]}, False),
])
def test_denials_of_earlier_treatment_in_other_words(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "…, except (in) patients with Y" is "… unless Y": Y's patients are spared, the others are held to the line
    ("I|No earlier azacitidine, except in participants whose MDS carries a TP53 mutation",
     {"prior_therapies": ["MDSKG:drug/azacitidine"], "mutated_genes": ["TP53"]}, False),
    ("I|No earlier azacitidine, except in participants whose MDS carries a TP53 mutation",
     {"prior_therapies": ["MDSKG:drug/azacitidine"], "mutated_genes": ["ASXL1"],
      "mutated_genes__tested": ["TP53", "ASXL1"]}, True),
    ("I|No earlier azacitidine, except in participants whose MDS carries a TP53 mutation",
     {"prior_therapies": [], "mutated_genes": ["ASXL1"], "mutated_genes__tested": ["TP53", "ASXL1"]}, False),
    ("E|Earlier lenalidomide, except for those with a 5q deletion",
     {"prior_therapies": ["MDSKG:drug/lenalidomide"], "karyotype_findings": ["del5q"]}, False),
    ("E|Earlier lenalidomide, except for those with a 5q deletion",
     {"prior_therapies": ["MDSKG:drug/lenalidomide"], "karyotype_findings": ["plus8"]}, True),
])
def test_an_exception_for_a_group_of_patients_is_a_condition(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize("line", [
    "I|No treatment for MDS with the exception of hydroxyurea and a single cycle of decitabine",
    "E|Earlier azacitidine therapy, except for one cycle before referral",
])
def test_therapies_named_as_exceptions_are_not_excluded(extractor, line):
    # which of the named therapies are the exceptions is not read: nobody is ruled out for having had them
    for therapies in (["MDSKG:drug/hydroxyurea"], ["MDSKG:drug/decitabine"], ["MDSKG:drug/azacitidine"]):
        _check_line(extractor, line, {"prior_therapies": therapies, "failed_therapies": []}, False)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # two limits, each with its own number before its own words
    ("I|Under 10% blasts in the marrow smear and under 2% circulating blasts",
     {"marrow_blasts_pct": 15, "peripheral_blasts_pct": 0}, True),
    ("I|Under 10% blasts in the marrow smear and under 2% circulating blasts",
     {"marrow_blasts_pct": 4, "peripheral_blasts_pct": 5}, True),
    ("I|Under 10% blasts in the marrow smear and under 2% circulating blasts",
     {"marrow_blasts_pct": 4, "peripheral_blasts_pct": 0}, False),
    # one limit for both places
    ("I|Fewer than 10% blasts in the marrow as well as in the blood",
     {"marrow_blasts_pct": 4, "peripheral_blasts_pct": 12}, True),
    ("I|Fewer than 10% blasts in the marrow as well as in the blood",
     {"marrow_blasts_pct": 4, "peripheral_blasts_pct": 1}, False),
])
def test_blast_limits_for_marrow_and_blood(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a looser limit for a case: the looser limit for all, and (the plain limit or the case)
    ("I|Ring sideroblasts of at least 15 percent (at least 5 percent if the patient carries an SF3B1 mutation)",
     {"ring_sideroblasts_pct": 9, "mutated_genes": ["TET2"], "mutated_genes__tested": ["SF3B1", "TET2"]}, True),
    ("I|Ring sideroblasts of at least 15 percent (at least 5 percent if the patient carries an SF3B1 mutation)",
     {"ring_sideroblasts_pct": 9, "mutated_genes": ["SF3B1"], "mutated_genes__tested": ["SF3B1"]}, False),
    ("I|Ring sideroblasts of at least 15 percent (at least 5 percent if the patient carries an SF3B1 mutation)",
     {"ring_sideroblasts_pct": 2, "mutated_genes": ["SF3B1"], "mutated_genes__tested": ["SF3B1"]}, True),
    ("I|Ring sideroblasts of at least 15 percent (at least 5 percent if the patient carries an SF3B1 mutation)",
     {"ring_sideroblasts_pct": 30, "mutated_genes": [], "mutated_genes__tested": ["SF3B1"]}, False),
    # a stricter limit for the patients a bracket names: the plain limit for all, the stricter one for them
    ("I|Karnofsky score of 50 or more (70 or more for those aged over 75)", {"karnofsky": 60, "age": 80}, True),
    ("I|Karnofsky score of 50 or more (70 or more for those aged over 75)", {"karnofsky": 60, "age": 60}, False),
    ("I|Karnofsky score of 50 or more (70 or more for those aged over 75)", {"karnofsky": 40, "age": 60}, True),
])
def test_a_limit_changed_for_a_case_in_brackets(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Two to four earlier lines of treatment", {"prior_therapy_lines": 1}, True),
    ("I|Two to four earlier lines of treatment", {"prior_therapy_lines": 3}, False),
    ("I|A minimum of 1 and no more than 2 prior therapies", {"prior_therapy_lines": 0}, True),
    ("I|A minimum of 1 and no more than 2 prior therapies", {"prior_therapy_lines": 3}, True),
    ("I|A minimum of 1 and no more than 2 prior therapies", {"prior_therapy_lines": 2}, False),
    # "untreated for MDS" asks for no earlier line; supportive care carved out of it changes nothing
    ("I|Previously untreated apart from red-cell transfusions", {"prior_therapy_lines": 1}, True),
    ("I|Previously untreated apart from red-cell transfusions", {"prior_therapy_lines": 0}, False),
    ("I|Therapy-naive for myelodysplastic syndrome", {"prior_therapy_lines": 2}, True),
    # in the exclusion list "treatment-naive" is literal: the untreated are excluded
    ("E|Treatment-naive for MDS", {"prior_therapy_lines": 0}, True),
    ("E|Treatment-naive for MDS", {"prior_therapy_lines": 1}, False),
])
def test_counts_of_earlier_treatment_lines(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Revised IPSS score greater than 4.5", {"ipssr_score": 3.0}, True),
    ("I|Revised IPSS score greater than 4.5", {"ipssr_score": 6.5}, False),
    ("E|IPSS-R score of 3 or lower", {"ipssr_score": 2.5}, True),
    ("E|IPSS-R score of 3 or lower", {"ipssr_score": 4.0}, False),
])
def test_an_ipssr_score_limit(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_a_gene_named_as_a_drug_target_is_no_mutation(extractor):
    # "an IDH2 inhibitor" names a kind of drug: a patient with an IDH2 mutation is not excluded for it
    for line in ("E|Earlier treatment with an IDH2 inhibitor", "E|Prior FLT3-directed therapy"):
        found = [f for f in _found(extractor, f"Exclusion Criteria:\n\n- {line[2:]}\n") if f[1] == "mutated_genes"]
        assert not found, found
        _check_line(extractor, line, {"mutated_genes": ["IDH2", "FLT3"], "prior_therapies": []}, False)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # features said to be "not required" are asked of no one
    ("I|Hypocellular marrow (a PNH clone or HLA-DR15 makes response likelier but is not required)",
     {"pnh_clone": False, "hla_dr15": False}, False),
    # an aside explaining the trial's purpose is not a condition: the literal "have not had" excludes the untransplanted
    ("E|Patients who have not had an allogeneic transplant (the study is for relapse after transplant)",
     {"prior_therapies": [], "failed_therapies": []}, True),
    ("E|Patients who have not had an allogeneic transplant (the study is for relapse after transplant)",
     {"prior_therapies": ["MDSKG:therapy/allo-hsct"], "failed_therapies": ["MDSKG:therapy/allo-hsct"]}, False),
])
def test_asides_that_set_no_condition(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # two bands no one can be in at once are two ways in
    ("I|Adults of 21 years or older; adolescents of 13 to 17 years in the expansion part", {"age": 15}, False),
    ("I|Adults of 21 years or older; adolescents of 13 to 17 years in the expansion part", {"age": 40}, False),
    ("I|Adults of 21 years or older; adolescents of 13 to 17 years in the expansion part", {"age": 10}, True),
    ("I|Adults of 21 years or older; adolescents of 13 to 17 years in the expansion part", {"age": 19}, True),
])
def test_disjoint_bands_on_one_line_are_alternatives(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Isolated 5q deletion, or 5q deletion with at most one further abnormality",
     {"karyotype_findings": ["del5q", "plus8", "del20q"], "karyotype_abnormality_count": 3}, True),
    ("I|A 5q deletion with no more than one additional chromosomal change",
     {"karyotype_findings": ["del5q", "plus8", "del20q"], "karyotype_abnormality_count": 3}, True),
    ("I|A 5q deletion with no more than one additional chromosomal change",
     {"karyotype_findings": ["del5q", "plus8"], "karyotype_abnormality_count": 2}, False),
    ("I|del(5q), with or without one other abnormality",
     {"karyotype_findings": ["del5q", "plus8", "minus7", "complex"], "karyotype_abnormality_count": 3}, True),
])
def test_a_finding_with_at_most_one_more_abnormality(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a score named after the IPSS-R categories is the IPSS-R score, and both conditions hold
    ("I|IPSS-R low or intermediate with a total score of at most 4", {"ipssr_category": "intermediate",
                                                                      "ipssr_score": 4.5}, True),
    ("I|IPSS-R low or intermediate with a total score of at most 4", {"ipssr_category": "intermediate",
                                                                      "ipssr_score": 3.5}, False),
    ("I|IPSS-R low or intermediate with a total score of at most 4", {"ipssr_category": "high",
                                                                      "ipssr_score": 3.5}, True),
    # red-cell units received in all are a count, not a rate per weeks
    ("I|Iron overload: ferritin over 1500 ng/mL after a lifetime total of at least 25 units of packed red cells",
     {"serum_ferritin_ng_ml": 2500, "rbc_units_total": 12}, True),
    ("I|Iron overload: ferritin over 1500 ng/mL after a lifetime total of at least 25 units of packed red cells",
     {"serum_ferritin_ng_ml": 2500, "rbc_units_total": 40}, False),
])
def test_scores_and_unit_totals(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_a_transfusion_rate_is_not_a_total(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- At least 3 red-cell units received in the last 8 weeks\n")
    assert [f[1] for f in found] == ["transfusion_units_per_8wk"], found


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a category value listed just before the mention is one more value of it
    ("E|A normocellular or a hypercellular marrow", {"marrow_cellularity": "normocellular"}, True),
    ("E|A normocellular or a hypercellular marrow", {"marrow_cellularity": "hypocellular"}, False),
    # having no donor is a state an exclusion line can name: literal, not the registry's repeated "no"
    ("E|No suitable HLA-matched donor found", {"matched_donor_available": False}, True),
    ("E|No suitable HLA-matched donor found", {"matched_donor_available": True}, False),
    # "a matched sibling or a 10/10 matched unrelated donor": either donor will do
    ("I|A matched sibling or a 10/10 matched unrelated donor identified", {"matched_donor_available": True,
                                                                            "matched_sibling_donor_available": False},
     False),
])
def test_listed_categories_and_missing_donors(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_a_subtype_definition_is_not_read_as_limits(extractor):
    # "CMML-1: …" defines a subtype; a part of its definition read alone would be a limit no one wrote
    found = _found(extractor, "Inclusion Criteria:\n\n- CMML-1: 2-9% blasts in the marrow or 2-4% in the blood\n")
    assert not [f for f in found if f[1] in ("marrow_blasts_pct", "peripheral_blasts_pct")], found


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # the remission asked of patients with an earlier AML is theirs: (no earlier AML) or in remission
    ("I|Participants with a prior AML are eligible only if that AML is in complete remission",
     {"prior_aml": True, "disease_status": "refractory"}, True),
    ("I|Participants with a prior AML are eligible only if that AML is in complete remission",
     {"prior_aml": True, "disease_status": "remission"}, False),
    ("I|Participants with a prior AML are eligible only if that AML is in complete remission",
     {"prior_aml": False}, False),
    # IPSS-R categories listed after "lower-risk" / "higher-risk" are the categories meant
    ("E|IPSS-R higher-risk groups (high and very high)", {"ipssr_category": "very_high"}, True),
    ("E|IPSS-R higher-risk groups (high and very high)", {"ipssr_category": "intermediate"}, False),
    # "with or without one more abnormality" stops at an exception: the excepted findings are still ruled out
    ("I|del(5q) with or without one further abnormality except del(7q) or -7",
     {"karyotype_findings": ["del5q", "minus7"], "karyotype_abnormality_count": 2}, True),
    ("I|del(5q) with or without one further abnormality except del(7q) or -7",
     {"karyotype_findings": ["del5q", "plus8"], "karyotype_abnormality_count": 2}, False),
])
def test_cases_categories_and_exceptions_after_either_way(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # which way an ESA failed, where the words say so: a response lost, or none at any time
    ("I|Patients who lost their earlier erythroid response to epoetin", {"esa_status": "refractory",
     "prior_therapies": ["MDSKG:therapy/esa"], "failed_therapies": ["MDSKG:therapy/esa"]}, True),
    ("I|Patients who lost their earlier erythroid response to epoetin", {"esa_status": "responded_then_lost",
     "prior_therapies": ["MDSKG:therapy/esa"], "failed_therapies": ["MDSKG:therapy/esa"]}, False),
    ("I|Primarily refractory to darbepoetin (never any response)", {"esa_status": "responded_then_lost",
     "prior_therapies": ["MDSKG:therapy/esa"], "failed_therapies": ["MDSKG:therapy/esa"]}, True),
    ("I|Primarily refractory to darbepoetin (never any response)", {"esa_status": "refractory",
     "prior_therapies": ["MDSKG:drug/darbepoetin-alfa", "MDSKG:therapy/esa"],
     "failed_therapies": ["MDSKG:drug/darbepoetin-alfa", "MDSKG:therapy/esa"]}, False),
])
def test_how_an_esa_failed(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_refractory_to_an_esa_alone_is_no_status(extractor):
    # "refractory" alone may be a response lost or none ever: a failed ESA, whichever way
    found = _found(extractor, "Inclusion Criteria:\n\n- Anaemia refractory to an ESA\n")
    assert not [f for f in found if f[1] == "esa_status"], found


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "X-naive" right after the therapy's name denies it (the check had never matched after a line's first word)
    ("I|Participants should be decitabine-naive", {"prior_therapies": ["MDSKG:drug/decitabine"]}, True),
    ("I|Participants should be decitabine-naive", {"prior_therapies": []}, False),
    # in the exclusion list, with no "no" to repeat, "X-naive patients" is literal: those without X are excluded
    ("E|Lenalidomide-naive participants", {"prior_therapies": []}, True),
    ("E|Lenalidomide-naive participants", {"prior_therapies": ["MDSKG:drug/lenalidomide"]}, False),
    # naive and pretreated both named: either history will do
    ("I|Both azacitidine-naive and azacitidine-pretreated patients can take part", {"prior_therapies": []}, False),
    ("I|Both azacitidine-naive and azacitidine-pretreated patients can take part",
     {"prior_therapies": ["MDSKG:drug/azacitidine"]}, False),
])
def test_naive_to_a_therapy(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "no contraindication to intensive therapy" asks for fitness
    ("I|Free of any contraindication to high-dose induction chemotherapy", {"intensive_chemo_candidate": False}, True),
    ("I|Free of any contraindication to high-dose induction chemotherapy", {"intensive_chemo_candidate": True}, False),
    # a permission in a bracket covers what the bracket names, not the line's own denial
    ("I|No earlier allogeneic transplantation (an earlier autologous one for myeloma is acceptable)",
     {"prior_therapies": ["MDSKG:therapy/allo-hsct"]}, True),
    ("I|No earlier allogeneic transplantation (an earlier autologous one for myeloma is acceptable)",
     {"prior_therapies": []}, False),
    # a permission after a semicolon covers its own clause only
    ("E|Earlier decitabine or lenalidomide; earlier filgrastim is permitted",
     {"prior_therapies": ["MDSKG:drug/lenalidomide"]}, True),
    ("E|Earlier decitabine or lenalidomide; earlier filgrastim is permitted",
     {"prior_therapies": ["MDSKG:drug/filgrastim"]}, False),
])
def test_fitness_and_bracketed_permissions(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize("line", [
    # "may have received X" allows X and asks nothing
    "I|Participants may already have received a course of decitabine before screening",
    "I|Hydroxyurea is allowed; participants can also have been given one dose of cytarabine",
])
def test_a_therapy_a_patient_may_have_had_is_not_required(extractor, line):
    _check_line(extractor, line, {"prior_therapies": []}, False)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # words saying a condition rules no one out
    ("E|Earlier luspatercept is not a reason for exclusion", {"prior_therapies": ["MDSKG:drug/luspatercept"]}, False),
    ("I|Having had azacitidine before does not make someone ineligible", {"prior_therapies": []}, False),
    # an exclusion of two conditions written as holding together excludes only whoever has both
    ("E|ECOG of 3 or more AND age over 80", {"ecog": 3, "age": 70}, False),
    ("E|ECOG of 3 or more AND age over 80", {"ecog": 3, "age": 85}, True),
    ("E|Both an ECOG of 3 or more and an age over 80", {"ecog": 1, "age": 85}, False),
    # a bracket's exclusion is about the patients it names, not the line's own requirement
    ("I|Primary resistance to an ESA (those who lost an earlier response cannot take part)",
     {"esa_status": "refractory", "failed_therapies": ["MDSKG:therapy/esa"]}, False),
    ("I|Primary resistance to an ESA (those who lost an earlier response cannot take part)",
     {"esa_status": "responded_then_lost", "failed_therapies": ["MDSKG:therapy/esa"]}, True),
])
def test_lines_that_exclude_no_one_or_only_together(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # an age group opening the sentence: its limits after the comma are for that group only
    ("I|For patients older than 65 years, a performance status of 0 or 1", {"age": 50, "ecog": 2}, False),
    ("I|For patients older than 65 years, a performance status of 0 or 1", {"age": 70, "ecog": 2}, True),
    ("I|For patients aged 65 or over, ECOG 0-1; ECOG 0-2 for the others", {"age": 50, "ecog": 2}, False),
    ("I|For patients aged 65 or over, ECOG 0-1; ECOG 0-2 for the others", {"age": 50, "ecog": 3}, True),
    # limits that differ by sex (not on record): the loosest holds for everyone; the stricter never rules out alone
    ("I|QTc under 460 ms in males and under 480 ms in females", {"qtc_ms": 470}, False),
    ("I|QTc under 460 ms in males and under 480 ms in females", {"qtc_ms": 500}, True),
])
def test_limits_for_a_group_of_patients(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a subtype named after a mutation needs the mutation
    ("I|Myelodysplastic syndrome with mutated SF3B1", {"mutated_genes": ["TET2"],
                                                       "mutated_genes__tested": ["SF3B1", "TET2"]}, True),
    ("I|Myelodysplastic syndrome with mutated SF3B1", {"mutated_genes": ["SF3B1"],
                                                       "mutated_genes__tested": ["SF3B1"]}, False),
    ("E|TP53-mutated MDS", {"mutated_genes": ["TP53"], "mutated_genes__tested": ["TP53"]}, True),
    # units and words seen less often
    ("I|Creatinine clearance of at least 0.75 mL/s", {"creatinine_clearance_ml_min": 40}, True),
    ("I|Creatinine clearance of at least 0.75 mL/s", {"creatinine_clearance_ml_min": 50}, False),
    ("I|Estimated survival of 6 months or more", {"life_expectancy_months": 2}, True),
    ("I|Needs frequent red cell transfusions", {"transfusion_dependent": False}, True),
    ("E|Acute graft-versus-host disease grade of at least 3", {"acute_gvhd_grade": 3}, True),
    ("E|Acute graft-versus-host disease grade of at least 3", {"acute_gvhd_grade": 1}, False),
    ("I|No uncontrolled viral or bacterial infection", {"active_infection": True}, True),
])
def test_subtypes_units_and_wordings(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # limits written in words
    ("I|Twenty-one years of age or older", {"age": 19}, True),
    ("I|Twenty-one years of age or older", {"age": 30}, False),
    ("I|Neutrophils of at least fifteen hundred per microlitre", {"anc_10e9_l": 1.0}, True),
    ("I|Neutrophils of at least one thousand five hundred per microlitre", {"anc_10e9_l": 2.0}, False),
    ("E|A QTc above four hundred and seventy milliseconds", {"qtc_ms": 480}, True),
    ("E|A QTc above four hundred and seventy milliseconds", {"qtc_ms": 440}, False),
    ("I|Serum EPO from two hundred to eight hundred mU/mL", {"serum_epo_mu_ml": 900}, True),
])
def test_limits_written_in_words(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_a_count_of_items_in_words_is_no_limit():
    from etl.nlp.thresholds import number_words_as_digits

    for text in ("at least one of the following:", "two or more of these", "any three of:"):
        assert number_words_as_digits(text) == text


# ---- session 8, from the fourth blind probe set (sentences written here) ---------------------------------------

AZA = ["MDSKG:drug/azacitidine", "MDSKG:therapy/hma"]


@pytest.mark.parametrize("line", [
    "I|Anyone previously treated with azacitidine cannot be enrolled.",
    "I|People who received azacitidine before cannot be included in this study.",
    "I|Earlier azacitidine: such patients can not be randomised.",
])
def test_cannot_be_enrolled_in_an_inclusion_list_excludes(extractor, line):
    _check_line(extractor, line, {"prior_therapies": AZA, "failed_therapies": []}, ruled_out=True, must_read=True)
    _check_line(extractor, line, {"prior_therapies": [], "failed_therapies": []}, ruled_out=False)


def test_a_or_b_are_not_eligible_excludes_each_of_them(extractor):
    line = "I|Participants whose marrow shows a TP53 mutation or a complex karyotype are not eligible."
    tested = {"mutated_genes__tested": ["TP53", "TET2"], "karyotype_abnormality_count": 1}
    _check_line(extractor, line, {**tested, "mutated_genes": ["TP53"], "karyotype_findings": ["del5q"]}, ruled_out=True)
    _check_line(extractor, line, {**tested, "mutated_genes": ["TET2"], "karyotype_findings": ["complex"]},
                ruled_out=True)
    _check_line(extractor, line, {**tested, "mutated_genes": ["TET2"], "karyotype_findings": ["del5q"]},
                ruled_out=False)


def test_neither_nor_in_an_exclusion_list_excludes_those_with_neither(extractor):
    donors = "E|Neither a matched sibling nor a matched unrelated donor has been found."
    _check_line(extractor, donors, {"matched_donor_available": False, "matched_sibling_donor_available": False,
                                    "donor_available": True, "haplo_donor_available": True}, ruled_out=True)
    _check_line(extractor, donors, {"matched_donor_available": True, "matched_sibling_donor_available": True,
                                    "donor_available": True, "haplo_donor_available": False}, ruled_out=False)
    treated = "E|Participants who have received neither lenalidomide nor azacitidine."
    _check_line(extractor, treated, {"prior_therapies": [], "failed_therapies": []}, ruled_out=True)
    _check_line(extractor, treated, {"prior_therapies": AZA, "failed_therapies": []}, ruled_out=False)


def test_an_admission_after_a_semicolon_leaves_the_exclusion_before_it(extractor):
    line = "E|Failure of azacitidine from the start; those who relapsed after a response are eligible."
    _check_line(extractor, line, {"prior_therapies": AZA, "failed_therapies": AZA}, ruled_out=True)
    _check_line(extractor, line, {"prior_therapies": [], "failed_therapies": []}, ruled_out=False)


def test_a_group_every_patient_meets_is_left_unread(extractor):
    # cellularity limits that differ by age cannot be held by one any-of group; read as one, the age bounds
    # made it always met
    text = "Inclusion Criteria:\n\n- Hypocellular marrow: cellularity below 25% under age 65, below 15% from age 65\n"
    assert not any(v == "age" for _, v, *_ in _found(extractor, text))


# ---- session 9: trial-count work on the validation trials (helper N) ---------------------------------------------

def test_the_age_of_a_person_signing_the_consent_is_no_criterion(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- Adults with MDS\n- Consent signed by the participant or by a "
                              "legal guardian over 21 years of age\n")
    assert not any(v == "age" for _, v, *_ in found), found
    found = _found(extractor, "Inclusion Criteria:\n\n- Consent given by a parent aged 18 years or more\n")
    assert not any(v == "age" for _, v, *_ in found), found


RAS_TESTED = {"mutated_genes__tested": ["NRAS", "KRAS", "HRAS", "TP53", "TET2"]}


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a gene family names any of its members
    ("I|Documented RAS mutation from a certified laboratory", {**RAS_TESTED, "mutated_genes": ["KRAS"]}, False),
    ("I|Documented RAS mutation from a certified laboratory", {**RAS_TESTED, "mutated_genes": ["HRAS", "TET2"]}, False),
    ("I|Documented RAS mutation from a certified laboratory", {**RAS_TESTED, "mutated_genes": ["TP53"]}, True),
    ("I|Disease carrying an NRAS or KRAS mutation", {**RAS_TESTED, "mutated_genes": ["NRAS"]}, False),
    ("I|Disease carrying an NRAS or KRAS mutation", {**RAS_TESTED, "mutated_genes": ["HRAS"]}, True),
    # a bracket after the family names the members meant
    ("I|A RAS mutation (KRAS or NRAS only)", {**RAS_TESTED, "mutated_genes": ["HRAS"]}, True),
    ("I|A RAS mutation (KRAS or NRAS only)", {**RAS_TESTED, "mutated_genes": ["KRAS"]}, False),
    # denied, said excluded, or under the exclusion heading: those with a member are ruled out
    ("I|Participants whose disease has a RAS mutation are not eligible", {**RAS_TESTED, "mutated_genes": ["KRAS"]},
     True),
    ("I|Participants whose disease has a RAS mutation are not eligible", {**RAS_TESTED, "mutated_genes": ["TET2"]},
     False),
    ("I|Must not carry a mutated KRAS", {**RAS_TESTED, "mutated_genes": ["KRAS"]}, True),
    ("E|Known RAS-mutated disease", {**RAS_TESTED, "mutated_genes": ["NRAS"]}, True),
    # ("No RAS mutation" under the exclusion heading is read as written, as for one gene: those without one are out)
    ("E|No RAS mutation", {**RAS_TESTED, "mutated_genes": ["NRAS"]}, False),
    ("E|No RAS mutation", {**RAS_TESTED, "mutated_genes": ["TET2"]}, True),
    ("E|Known RAS-mutated disease", {**RAS_TESTED, "mutated_genes": ["TP53"]}, False),
])
def test_a_gene_family_names_any_of_its_members(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_a_drug_aimed_at_a_gene_family_is_no_mutation(extractor):
    found = _found(extractor, "Exclusion Criteria:\n\n- Earlier treatment with a KRAS inhibitor\n")
    assert not any(v == "mutated_genes" for _, v, *_ in found), found


SUBTYPES_LISTED = """Inclusion Criteria:

- MDS of one of the following kinds:
    - RAEB-1, defined as 5-9% blasts in the marrow
    - RAEB-2, defined as 10-19% blasts in the marrow
- ECOG 0-2
"""


def test_a_definition_listed_as_one_way_in_is_that_way_in(extractor):
    # under "one of the following", a subtype's definition is how a patient qualifies: an alternative
    row = _rows(trial_criteria(extractor, SUBTYPES_LISTED))
    assert {c["variable"] for c in row["criteria"]} >= {"marrow_blasts_pct", "ecog"}
    assert match_trial(row, {"marrow_blasts_pct": 7, "ecog": 1}).verdict != "NOT_ELIGIBLE"
    assert match_trial(row, {"marrow_blasts_pct": 14, "ecog": 1}).verdict != "NOT_ELIGIBLE"
    assert match_trial(row, {"marrow_blasts_pct": 2, "ecog": 1}).verdict == "NOT_ELIGIBLE"
    assert match_trial(row, {"marrow_blasts_pct": 30, "ecog": 1}).verdict == "NOT_ELIGIBLE"


def test_a_definition_on_a_line_of_its_own_is_still_no_limit(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- RAEB-2, defined as 10-19% blasts in the marrow or 5-19% in "
                              "the blood\n")
    assert not [f for f in found if f[1] in ("marrow_blasts_pct", "peripheral_blasts_pct")], found


UNFIT_SHOWN_BY = """Inclusion Criteria:

- One of the following:
    - Aged 60 to 75 years
    - Aged under 60 and unfit for intensive chemotherapy, as shown by any of the following:
        - Ejection fraction below 45%
        - DLCO below 50% of predicted
- ECOG 0-2
"""


def test_the_signs_of_unfitness_are_not_requirements_of_their_own(extractor):
    found = _found(extractor, UNFIT_SHOWN_BY)
    # read, they stand only inside the second alternative's own all-of (a nested group path, mdskg/scopes.py)
    assert all("/all:" in (g or "") for _, v, *_, g in found if v in ("lvef_pct", "dlco_pct_predicted")), found
    row = _rows(trial_criteria(extractor, UNFIT_SHOWN_BY))
    # a fit 65-year-old with a normal heart and lungs fits the first alternative
    assert match_trial(row, {"age": 65, "ecog": 1, "intensive_chemo_candidate": True, "lvef_pct": 60,
                             "dlco_pct_predicted": 80}).verdict != "NOT_ELIGIBLE"


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # the word "age" between the operator and the number
    ("I|Under age 55", {"age": 60}, True),
    ("I|Under age 55", {"age": 40}, False),
    ("I|Below the age of 70", {"age": 72}, True),
    ("I|Older than age 65", {"age": 66}, False),
    ("I|Older than age 65", {"age": 50}, True),
    ("E|Over the age of 80", {"age": 85}, True),
    ("E|Over the age of 80", {"age": 70}, False),
])
def test_an_age_named_between_operator_and_number(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "ineligible for <a treatment>" is a fitness condition the patient must meet, not a word that excludes
    ("I|Aged 60 or older and ineligible for intensive chemotherapy",
     {"age": 50, "intensive_chemo_candidate": False}, True),
    ("I|Aged 60 or older and ineligible for intensive chemotherapy",
     {"age": 66, "intensive_chemo_candidate": False}, False),
    ("I|Aged 60 or older and ineligible for intensive chemotherapy",
     {"age": 66, "intensive_chemo_candidate": True}, True),
    ("I|Patients with a platelet count of 70 or more who are not eligible to receive a transplant",
     {"platelets_10e9_l": 40, "transplant_candidate": False}, True),
    # the same words about the study still exclude the patients described
    ("I|Participants aged 80 or older are ineligible", {"age": 85}, True),
    ("I|Participants aged 80 or older are ineligible", {"age": 60}, False),
    ("I|Those with platelets under 20 are not eligible for this study", {"platelets_10e9_l": 10}, True),
    ("I|Those with platelets under 20 are not eligible for this study", {"platelets_10e9_l": 90}, False),
])
def test_ineligible_for_a_treatment_is_a_condition_not_an_exclusion(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


ALSO_ELIGIBLE_IF = ("I|At least one earlier line of treatment. People over age 70 who were never treated are also "
                    "eligible if they are unfit for induction chemotherapy")


@pytest.mark.parametrize(("patient", "ruled_out"), [
    # the permission admits more patients; it asks nothing of the treated, whatever their age or fitness
    ({"prior_therapy_lines": 2, "age": 75, "intensive_chemo_candidate": True}, False),
    ({"prior_therapy_lines": 1, "age": 50, "intensive_chemo_candidate": True}, False),
    ({"prior_therapy_lines": 1, "age": 75, "intensive_chemo_candidate": False}, False),
])
def test_more_patients_admitted_on_a_condition_ask_nothing_of_the_rest(extractor, patient, ruled_out):
    _check_line(extractor, ALSO_ELIGIBLE_IF, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # ruling out RAEB in transformation rules out at least everyone with 20% marrow blasts or more
    ("I|No RAEB in transformation (RAEB-t)", {"marrow_blasts_pct": 24}, True),
    ("I|No RAEB in transformation (RAEB-t)", {"marrow_blasts_pct": 8}, False),
    ("I|Refractory anaemia with excess blasts in transformation is not eligible", {"marrow_blasts_pct": 22}, True),
    ("E|RAEB-T by FAB criteria", {"marrow_blasts_pct": 25}, True),
    ("E|RAEB-T by FAB criteria", {"marrow_blasts_pct": 12}, False),
])
def test_ruling_out_raeb_in_transformation(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_asking_for_raeb_in_transformation_is_not_read_as_a_blast_limit(extractor):
    # RAEB-t may be met by blood blasts or Auer rods alone: a marrow limit read from it would rule out some of them
    found = _found(extractor, "Inclusion Criteria:\n\n- RAEB-t according to the FAB classification\n")
    assert not any(v == "marrow_blasts_pct" for _, v, *_ in found), found


NESTED_ANY = """Inclusion Criteria:

- One of the following:
    - Age 60 to 75 years
    - Unfit for a transplant, as shown by any of the following:
        - LVEF below 40%
        - DLCO below 50% of predicted
"""


def test_a_group_inside_an_alternative_is_not_required_of_everyone(extractor):
    # "b1 or b2" belongs to the second alternative only; one flat group cannot hold it, so it is not read
    found = _found(extractor, NESTED_ANY)
    assert not any(v in ("lvef_pct", "dlco_pct_predicted") for _, v, *_ in found), found
    row = _rows(trial_criteria(extractor, NESTED_ANY))
    assert match_trial(row, {"age": 65, "transplant_candidate": True, "lvef_pct": 60,
                             "dlco_pct_predicted": 80}).verdict != "NOT_ELIGIBLE"


def test_received_or_ineligible_for_a_therapy_is_either_one(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- Has had, or is not eligible for, an allogeneic stem cell "
                              "transplant\n")
    groups = {v: g for _, v, _, _, g in found}
    assert groups.get("prior_therapies") and groups.get("prior_therapies") == groups.get("ineligible_therapies"), found
    row = _rows(trial_criteria(extractor, "Inclusion Criteria:\n\n- Received or ineligible for azacitidine\n"))
    assert match_trial(row, {"prior_therapies": [], "failed_therapies": [],
                             "ineligible_therapies": ["MDSKG:drug/azacitidine"]}).verdict != "NOT_ELIGIBLE"
    assert match_trial(row, {"prior_therapies": ["MDSKG:drug/azacitidine"], "failed_therapies": [],
                             "ineligible_therapies": []}).verdict != "NOT_ELIGIBLE"
    assert match_trial(row, {"prior_therapies": [], "failed_therapies": [],
                             "ineligible_therapies": []}).verdict == "NOT_ELIGIBLE"


DEFINED_TERM = """Inclusion Criteria:

- MDS with IPSS-R high or very high risk
- Older patients with a poor-risk karyotype
    - The following are considered poor-risk karyotypes:
        - del(7q)
        - complex karyotype
- ECOG 0-2
"""


def test_a_list_that_defines_a_term_asks_nothing_item_by_item(extractor):
    # each defined member read alone would be required of every patient
    found = _found(extractor, DEFINED_TERM)
    assert not any(v == "karyotype_findings" and g is None for _, v, _, _, g in found), found
    assert any(v == "ecog" for _, v, *_ in found)


OTHER_DISEASE_SUB_ITEM = """Inclusion Criteria:

- Diagnosis of one of the following:
    - MDS with IPSS int-2 or high risk
    - Chronic myeloid leukaemia in blast phase
        - Must have progressed on imatinib
- ECOG 0-2
"""


def test_a_sub_item_of_another_diseases_line_is_about_that_disease(extractor):
    found = _found(extractor, OTHER_DISEASE_SUB_ITEM)
    assert not any(v in ("failed_therapies", "prior_therapies") for _, v, *_ in found), found


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a transplant already planned from a donor says the patient has one
    ("I|Scheduled for an allogeneic stem cell transplant from an unrelated donor", {"donor_available": False}, True),
    ("I|Scheduled for an allogeneic stem cell transplant from an unrelated donor", {"donor_available": True}, False),
    ("I|Planned to undergo a marrow transplant from a family donor", {"donor_available": False}, True),
])
def test_a_transplant_scheduled_from_a_donor_needs_a_donor(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a "not" before a list of donors joined by "or" denies each of them
    ("I|Must not have a fully matched family donor or a possible matched unrelated donor on hand",
     {"matched_donor_available": True, "matched_sibling_donor_available": False}, True),
    ("I|Must not have a fully matched family donor or a possible matched unrelated donor on hand",
     {"matched_donor_available": False, "matched_sibling_donor_available": False}, False),
    ("I|No matched sibling donor or matched unrelated donor available", {"matched_donor_available": True}, True),
    ("I|No matched sibling donor or matched unrelated donor available", {"matched_donor_available": False}, False),
    # no denial: having one is required
    ("I|Has a matched sibling donor or a matched unrelated donor available", {"matched_donor_available": False},
     True),
])
def test_a_denied_list_of_donors(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "not eligible for <something about this study>" still excludes the patients described
    ("I|Those with an uncontrolled infection are not eligible for treatment on this study", {"active_infection": True},
     True),
    ("I|Those with an uncontrolled infection are not eligible for treatment on this study",
     {"active_infection": False}, False),
    ("I|People aged over 80 are ineligible for any part of the trial", {"age": 85}, True),
    ("I|People aged over 80 are ineligible for any part of the trial", {"age": 60}, False),
    ("I|Participants who have had azacitidine are not eligible for enrolment", {"prior_therapies": AZA}, True),
    ("I|Participants who have had azacitidine are not eligible for enrolment", {"prior_therapies": []}, False),
])
def test_not_eligible_for_the_study_still_excludes(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


# ---- session 9: the fifth blind probe set (helper S) ----------------------------------------------------------------

LEN = ["MDSKG:drug/lenalidomide", "MDSKG:therapy/imids"]
HMA = ["MDSKG:drug/decitabine", "MDSKG:therapy/hma"]


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "not X-naive" denies a denial: the patient has had X
    ("E|Participants who are not lenalidomide-naive", {"prior_therapies": LEN}, True),
    ("E|Participants who are not lenalidomide-naive", {"prior_therapies": []}, False),
    ("E|People not naive to hypomethylating agents", {"prior_therapies": HMA}, True),
    ("E|People not naive to hypomethylating agents", {"prior_therapies": []}, False),
    ("I|Must not be HMA-naïve", {"prior_therapies": []}, True),
    ("I|Must not be HMA-naïve", {"prior_therapies": HMA}, False),
    ("I|Subjects who are no longer lenalidomide-naive", {"prior_therapies": []}, True),
    # a single denial keeps its meaning
    ("I|Lenalidomide-naive", {"prior_therapies": LEN}, True),
    ("E|Patients naive to lenalidomide", {"prior_therapies": []}, True),
    ("E|Patients naive to lenalidomide", {"prior_therapies": LEN}, False),
])
def test_a_denied_naive_means_the_therapy_was_had(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


TP53_TESTED = {"mutated_genes__tested": ["TP53", "TET2"]}


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "neither A nor B" (or "no A and no B") in an inclusion list: each one rules out on its own
    ("I|Neither a complex karyotype nor a TP53 mutation",
     {**TP53_TESTED, "mutated_genes": ["TP53"], "karyotype_findings": ["del5q"]}, True),
    ("I|Neither a complex karyotype nor a TP53 mutation",
     {**TP53_TESTED, "mutated_genes": [], "karyotype_findings": ["complex"]}, True),
    ("I|Neither a complex karyotype nor a TP53 mutation",
     {**TP53_TESTED, "mutated_genes": ["TET2"], "karyotype_findings": ["del5q"]}, False),
    ("I|Must have neither an active infection nor known HIV", {"active_infection": False, "hiv_positive": True}, True),
    ("I|Must have neither an active infection nor known HIV", {"active_infection": False, "hiv_positive": False},
     False),
    ("I|No TP53 mutation and no complex karyotype",
     {**TP53_TESTED, "mutated_genes": [], "karyotype_findings": ["complex"]}, True),
    # therapies after "neither" and "nor" are each denied
    ("I|Neither earlier decitabine nor lenalidomide", {"prior_therapies": LEN}, True),
    ("I|Neither earlier decitabine nor lenalidomide", {"prior_therapies": HMA}, True),
    ("I|Neither earlier decitabine nor lenalidomide", {"prior_therapies": []}, False),
    ("I|Has received neither azacitidine nor a transplant", {"prior_therapies": AZA}, True),
    ("I|Neither a previous transplant nor an earlier diagnosis of AML",
     {"prior_therapies": [], "prior_aml": True}, True),
    ("I|Neither a previous transplant nor an earlier diagnosis of AML",
     {"prior_therapies": [], "prior_aml": False}, False),
])
def test_neither_nor_in_an_inclusion_list_denies_each(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "X only if Y" is "if X, then Y": X is the case, Y what that case needs
    ("I|Aged 18 or over; those aged 80 or more only if Karnofsky ≥ 80", {"age": 85, "karnofsky": 60}, True),
    ("I|Aged 18 or over; those aged 80 or more only if Karnofsky ≥ 80", {"age": 85, "karnofsky": 90}, False),
    ("I|Aged 18 or over; those aged 80 or more only if Karnofsky ≥ 80", {"age": 60, "karnofsky": 60}, False),
    ("I|Adults; patients older than 70 only if ECOG 0-1", {"age": 75, "ecog": 2}, True),
    ("I|Adults; patients older than 70 only if ECOG 0-1", {"age": 65, "ecog": 2}, False),
    # a stricter limit for an older subgroup binds that subgroup only; everyone keeps the general limit
    ("I|ECOG 0-2, or 0-1 for people aged over 70", {"age": 78, "ecog": 2}, True),
    ("I|ECOG 0-2, or 0-1 for people aged over 70", {"age": 60, "ecog": 2}, False),
    ("I|ECOG 0-2, or 0-1 for people aged over 70", {"age": 60, "ecog": 3}, True),
    ("I|Platelets of 50 or more, or 75 or more in patients aged above 70", {"age": 75, "platelets_10e9_l": 60},
     True),
    ("I|Platelets of 50 or more, or 75 or more in patients aged above 70", {"age": 65, "platelets_10e9_l": 60},
     False),
    ("I|Platelets of 50 or more, or 75 or more in patients aged above 70", {"age": 65, "platelets_10e9_l": 30},
     True),
])
def test_a_limit_for_a_subgroup_binds_that_subgroup(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # one blast limit for the marrow or the blood: excluded, either place excludes
    ("E|Transformation to AML (blasts of 20% or more in the marrow or the blood)",
     {"marrow_blasts_pct": 8, "peripheral_blasts_pct": 25}, True),
    ("E|Transformation to AML (blasts of 20% or more in the marrow or the blood)",
     {"marrow_blasts_pct": 8, "peripheral_blasts_pct": 2}, False),
    ("E|At least 20% blasts in blood or bone marrow", {"marrow_blasts_pct": 30, "peripheral_blasts_pct": 1}, True),
    ("E|At least 20% blasts in blood or bone marrow", {"marrow_blasts_pct": 3, "peripheral_blasts_pct": 22}, True),
    # required as a floor, either place will do
    ("I|20% or more blasts in the marrow or the blood", {"marrow_blasts_pct": 25, "peripheral_blasts_pct": 1}, False),
    ("I|20% or more blasts in the marrow or the blood", {"marrow_blasts_pct": 5, "peripheral_blasts_pct": 1}, True),
    # required as a ceiling, both places must meet it
    ("I|Fewer than 20% blasts in the marrow or the blood", {"marrow_blasts_pct": 5, "peripheral_blasts_pct": 24},
     True),
])
def test_one_blast_limit_for_marrow_or_blood(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


NO_DONOR = {"donor_available": False, "matched_donor_available": False, "matched_sibling_donor_available": False,
            "haplo_donor_available": False}
HAPLO_ONLY = {**NO_DONOR, "donor_available": True, "haplo_donor_available": True}


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a label saying a donor was found is the patient's requirement, not a line about the donor
    ("I|Donor identified: a matched brother or sister, or a haploidentical relative", NO_DONOR, True),
    ("I|Donor identified: a matched brother or sister, or a haploidentical relative", HAPLO_ONLY, False),
    ("I|Appropriate transplant donor available: related, unrelated or haploidentical", NO_DONOR, True),
    ("I|Appropriate transplant donor available: related, unrelated or haploidentical", HAPLO_ONLY, False),
    # a matched donor "or" another kind is any donor
    ("I|Has a matched sibling donor or a haploidentical family member", HAPLO_ONLY, False),
    ("I|Has a matched sibling donor or a haploidentical family member", NO_DONOR, True),
    # the donor's own criteria stay the donor's
    ("I|Donors: aged 18 to 60 years", {"age": 75}, False),
])
def test_a_donor_found_is_the_patients_requirement(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # an excluded finding defined in a bracket, with an exception: one condition, excluded only without the exception
    ("E|Hypoplastic marrow (cellularity below 25%) unless a PNH clone is found",
     {"marrow_cellularity_pct": 15, "marrow_cellularity": "hypocellular", "pnh_clone": False}, True),
    ("E|Hypoplastic marrow (cellularity below 25%) unless a PNH clone is found",
     {"marrow_cellularity_pct": 15, "marrow_cellularity": "hypocellular", "pnh_clone": True}, False),
    ("E|Hypoplastic marrow (cellularity below 25%) unless a PNH clone is found",
     {"marrow_cellularity_pct": 50, "marrow_cellularity": "normocellular", "pnh_clone": False}, False),
    ("E|Hypocellular bone marrow (under 20% cellularity), unless a PNH clone has been detected",
     {"marrow_cellularity_pct": 10, "marrow_cellularity": "hypocellular", "pnh_clone": False}, True),
    ("E|Hypocellular bone marrow (under 20% cellularity), unless a PNH clone has been detected",
     {"marrow_cellularity_pct": 10, "marrow_cellularity": "hypocellular", "pnh_clone": True}, False),
])
def test_an_exception_to_a_finding_defined_in_a_bracket(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


ALLO = ["MDSKG:therapy/allo-hsct"]


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "X is allowed provided Y" in the exclusion list: X excludes unless Y
    ("E|An earlier allogeneic transplant is permitted as long as there is no active GVHD",
     {"prior_therapies": ALLO, "active_gvhd": True}, True),
    ("E|An earlier allogeneic transplant is permitted as long as there is no active GVHD",
     {"prior_therapies": ALLO, "active_gvhd": False}, False),
    ("E|An earlier allogeneic transplant is permitted as long as there is no active GVHD",
     {"prior_therapies": [], "active_gvhd": True}, False),
    ("E|Previous allo-HSCT is not exclusionary provided there is no active graft-versus-host disease",
     {"prior_therapies": ALLO, "active_gvhd": True}, True),
    ("E|Previous allo-HSCT is not exclusionary provided there is no active graft-versus-host disease",
     {"prior_therapies": ALLO, "active_gvhd": False}, False),
    # a part of the condition not read: a patient with X who meets the part read is left to the study team
    ("E|Prior allogeneic transplant is acceptable provided the patient has stopped immunosuppression and has no "
     "active GVHD", {"prior_therapies": ALLO, "active_gvhd": True}, True),
    ("E|Prior allogeneic transplant is acceptable provided the patient has stopped immunosuppression and has no "
     "active GVHD", {"prior_therapies": ALLO, "active_gvhd": False}, False),
])
def test_an_allowance_with_a_condition_in_the_exclusion_list(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_an_allowance_with_a_condition_partly_read_stays_unknown(extractor):
    row = _rows(trial_criteria(extractor, "Exclusion Criteria:\n\n- Prior allogeneic transplant is acceptable provided "
                                          "the patient has stopped immunosuppression and has no active GVHD\n"))
    assert match_trial(row, {"prior_therapies": ALLO, "active_gvhd": False}).verdict == "UNKNOWN"
    assert match_trial(row, {"prior_therapies": [], "active_gvhd": False}).verdict == "POSSIBLE"


ESA = ["MDSKG:drug/epoetin-alfa", "MDSKG:therapy/esa"]


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # at least one earlier treatment, supportive care excepted: an ESA alone is not one
    ("I|At least one earlier treatment for MDS, not counting transfusions or growth factors",
     {"prior_therapies": ESA}, True),
    ("I|At least one earlier treatment for MDS, not counting transfusions or growth factors",
     {"prior_therapies": []}, True),
    ("I|At least one earlier treatment for MDS, excluding transfusions and growth factors",
     {"prior_therapies": ESA}, True),
    ("I|At least one earlier treatment for MDS, excluding transfusions and growth factors",
     {"prior_therapies": AZA, "prior_therapy_lines": 1}, False),
    ("I|One or more prior therapies for MDS other than supportive care", {"prior_therapies": ESA}, True),
    ("I|One or more prior therapies for MDS other than supportive care",
     {"prior_therapies": LEN, "prior_therapy_lines": 1}, False),
    # excluded: any anti-MDS treatment but the supportive ones
    ("E|Any earlier anti-MDS therapy apart from transfusions or an ESA", {"prior_therapies": AZA}, True),
    ("E|Any earlier anti-MDS therapy apart from transfusions or an ESA", {"prior_therapies": ESA}, False),
])
def test_earlier_treatment_with_supportive_care_excepted(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "ineligible for X" / "not a candidate for X": the patient cannot have X
    ("I|Considered unsuitable for decitabine", {"ineligible_therapies": ["MDSKG:drug/decitabine"]}, False),
    ("I|Considered unsuitable for decitabine", {"ineligible_therapies": []}, True),
    ("I|Not a candidate for treatment with lenalidomide", {"ineligible_therapies": []}, True),
    ("E|Judged unfit for azacitidine", {"ineligible_therapies": ["MDSKG:drug/azacitidine"]}, True),
    ("E|Judged unfit for azacitidine", {"ineligible_therapies": []}, False),
    # a denied ineligibility: the patient must be able to have X
    ("I|Not ineligible for hypomethylating agent therapy", {"ineligible_therapies": ["MDSKG:therapy/hma"]}, True),
    ("I|Not ineligible for hypomethylating agent therapy", {"ineligible_therapies": []}, False),
    # under the exclusion heading the "not" repeats the heading: those who cannot have X are out
    ("E|Patients must not be ineligible for decitabine", {"ineligible_therapies": ["MDSKG:drug/decitabine"]}, True),
    ("E|Patients must not be ineligible for decitabine", {"ineligible_therapies": []}, False),
    # "or unable to receive it" after a failure is the other way in
    ("I|Progressed on lenalidomide, or unable to receive it", {"failed_therapies": [], "prior_therapies": [],
                                                               "ineligible_therapies": ["MDSKG:drug/lenalidomide"]},
     False),
    ("I|Progressed on lenalidomide, or unable to receive it", {"failed_therapies": [], "prior_therapies": [],
                                                               "ineligible_therapies": []}, True),
])
def test_ineligible_for_a_therapy(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a count of earlier lines after "previously treated" / "has received"
    ("I|Previously treated with at least two lines of therapy for MDS", {"prior_therapy_lines": 1}, True),
    ("I|Previously treated with at least two lines of therapy for MDS", {"prior_therapy_lines": 3}, False),
    ("I|Has received three or more regimens", {"prior_therapy_lines": 2}, True),
    ("I|Has received three or more regimens", {"prior_therapy_lines": 4}, False),
    # a ceiling said as a permission is still a ceiling
    ("I|At most two earlier regimens are permitted", {"prior_therapy_lines": 3}, True),
    ("I|At most two earlier regimens are permitted", {"prior_therapy_lines": 2}, False),
    ("I|Up to 3 previous lines of treatment are acceptable", {"prior_therapy_lines": 5}, True),
])
def test_counts_of_earlier_lines(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_a_therapy_failed_is_no_count_of_lines(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- Must have failed at least one therapy with decitabine\n")
    assert not any(v == "prior_therapy_lines" for _, v, *_ in found), found


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # the del(5q) entity named: the deletion is needed, with at most one other change (WHO 2016)
    ("I|Myelodysplastic syndrome with isolated del(5q)", {"karyotype_findings": ["normal"],
                                                          "karyotype_abnormality_count": 0}, True),
    ("I|Myelodysplastic syndrome with isolated del(5q)", {"karyotype_findings": ["del5q"],
                                                          "karyotype_abnormality_count": 1}, False),
    ("I|5q minus syndrome", {"karyotype_findings": ["minus7"], "karyotype_abnormality_count": 1}, True),
    ("I|MDS with low blasts and isolated 5q deletion", {"karyotype_findings": ["del5q", "minus7", "complex"],
                                                        "karyotype_abnormality_count": 3}, True),
    # the one other change the entity allows may not be a loss of chromosome 7 or of its long arm (WHO 2016)
    ("I|MDS with isolated del(5q)", {"karyotype_findings": ["del5q", "plus8"],
                                     "karyotype_abnormality_count": 2}, False),
    ("I|MDS with isolated del(5q)", {"karyotype_findings": ["del5q", "minus7"],
                                     "karyotype_abnormality_count": 2}, True),
    ("I|Myelodysplastic syndrome with isolated del(5q)", {"karyotype_findings": ["del5q", "del7q"],
                                                          "karyotype_abnormality_count": 2}, True),
    # excluded: the deletion alone (or nearly) is out; other karyotypes are not
    ("E|Isolated deletion 5q", {"karyotype_findings": ["del5q"], "karyotype_abnormality_count": 1}, True),
    ("E|Isolated deletion 5q", {"karyotype_findings": ["normal"], "karyotype_abnormality_count": 0}, False),
    ("E|Isolated deletion 5q", {"karyotype_findings": ["del5q", "minus7", "complex"],
                                "karyotype_abnormality_count": 3}, False),
    ("E|MDS with isolated del(5q)", {"karyotype_findings": ["minus7"], "karyotype_abnormality_count": 1}, False),
    ("E|MDS with isolated del(5q)", {"karyotype_findings": ["del5q"], "karyotype_abnormality_count": 1}, True),
])
def test_isolated_del5q(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # bleeding now is a condition of its own; a bleeding disorder or a past bleed is not it
    ("E|Major haemorrhage at screening", {"bleeding": True}, True),
    ("E|Major haemorrhage at screening", {"bleeding": False}, False),
    ("E|Ongoing clinically relevant bleeding", {"bleeding": True}, True),
    ("I|No active bleeding", {"bleeding": True}, True),
    ("I|No active bleeding", {"bleeding": False}, False),
])
def test_bleeding_now(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_a_bleeding_disorder_or_a_past_bleed_is_not_bleeding_now(extractor):
    for line in ("Known inherited bleeding disorder", "History of major haemorrhage"):
        found = _found(extractor, f"Exclusion Criteria:\n\n- {line}\n")
        assert not any(v == "bleeding" for _, v, *_ in found), (line, found)


PANEL = {"mutated_genes__tested": ["NRAS", "KRAS", "CBL", "PTPN11", "NF1", "TET2", "TP53", "DNMT3A", "IDH2"]}


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a mutation followed by the genes it means, in a bracket: any one of them
    ("I|A signalling mutation (CBL, NF1 or PTPN11) found by sequencing", {**PANEL, "mutated_genes": ["NF1"]}, False),
    ("I|A signalling mutation (CBL, NF1 or PTPN11) found by sequencing", {**PANEL, "mutated_genes": ["TET2"]}, True),
    ("E|Signalling-pathway mutations (CBL, NRAS or PTPN11)", {**PANEL, "mutated_genes": ["CBL"]}, True),
    ("E|Signalling-pathway mutations (CBL, NRAS or PTPN11)", {**PANEL, "mutated_genes": ["TP53"]}, False),
    ("I|No epigenetic-regulator mutation (TET2, DNMT3A or IDH2)", {**PANEL, "mutated_genes": ["DNMT3A"]}, True),
    ("I|No epigenetic-regulator mutation (TET2, DNMT3A or IDH2)", {**PANEL, "mutated_genes": ["KRAS"]}, False),
])
def test_genes_named_in_a_bracket(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_variants_of_one_gene_in_a_bracket_are_not_genes(extractor):
    found = _found(extractor, "Inclusion Criteria:\n\n- An IDH1 mutation (R132C or R132H)\n")
    assert ("required", "mutated_genes", "contains", "IDH1", None) in found, found
    assert not any(isinstance(v, list) and "R132C" in v for *_, v, _ in found), found


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "you cannot take part if X": X is who is excluded, whichever heading
    ("I|People cannot join the study if they are breastfeeding", {"pregnant_or_breastfeeding": True}, True),
    ("I|People cannot join the study if they are breastfeeding", {"pregnant_or_breastfeeding": False}, False),
    ("E|You cannot take part if you have an active infection", {"active_infection": True}, True),
    ("E|You cannot take part if you have an active infection", {"active_infection": False}, False),
    ("I|Participants will be excluded if their platelets are below 20", {"platelets_10e9_l": 10}, True),
    ("I|Participants will be excluded if their platelets are below 20", {"platelets_10e9_l": 80}, False),
])
def test_excluded_if(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a line saying only "untreated" rules out whoever had a treatment for the disease
    ("I|Newly diagnosed and previously untreated", {"prior_therapies": AZA, "failed_therapies": AZA}, True),
    ("I|Newly diagnosed, treatment-naive", {"prior_therapies": LEN}, True),
    ("I|Therapy-naive for MDS", {"prior_therapies": HMA}, True),
    ("I|Therapy-naive for MDS", {"prior_therapies": [], "prior_therapy_lines": 0}, False),
    ("E|Previously untreated", {"prior_therapies": [], "prior_therapy_lines": 0}, True),
    ("E|Previously untreated", {"prior_therapies": HMA, "prior_therapy_lines": 1}, False),
])
def test_a_line_that_says_only_untreated(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "verdict"), [
    # a second limit for patients a case names that is not read: the looser one rules out, the stricter one only
    # makes a patient between the two unknown
    ("I|Bilirubin up to 1.5 x ULN, or up to 3 x ULN in participants with Gilbert syndrome", {"bilirubin_x_uln": 2},
     "UNKNOWN"),
    ("I|Bilirubin up to 1.5 x ULN, or up to 3 x ULN in participants with Gilbert syndrome", {"bilirubin_x_uln": 4},
     "NOT_ELIGIBLE"),
    ("I|Bilirubin up to 1.5 x ULN, or up to 3 x ULN in participants with Gilbert syndrome", {"bilirubin_x_uln": 1},
     "POSSIBLE"),
    ("E|QTc above 470 ms (above 490 ms for those with a pacemaker)", {"qtc_ms": 480}, "UNKNOWN"),
    ("E|QTc above 470 ms (above 490 ms for those with a pacemaker)", {"qtc_ms": 500}, "NOT_ELIGIBLE"),
    ("I|Creatinine no more than 1.5 mg/dL (no more than 2 mg/dL if due to haemolysis)", {"creatinine_mg_dl": 1.8},
     "UNKNOWN"),
    ("I|Creatinine no more than 1.5 mg/dL (no more than 2 mg/dL if due to haemolysis)", {"creatinine_mg_dl": 2.4},
     "NOT_ELIGIBLE"),
])
def test_a_looser_limit_for_an_unread_case(extractor, line, patient, verdict):
    section, text = line.split("|", 1)
    heading = "Inclusion Criteria:" if section == "I" else "Exclusion Criteria:"
    row = _rows(trial_criteria(extractor, f"{heading}\n\n- {text}\n"))
    assert match_trial(row, patient).verdict == verdict, row["criteria"]


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a denial before a list of genes joined by commas and "or" denies each gene
    ("I|Free of mutations in TP53, ASXL1 or RUNX1", {**TP53_TESTED, "mutated_genes__tested": ["TP53", "ASXL1", "RUNX1"],
                                                    "mutated_genes": ["RUNX1"]}, True),
    ("I|Free of mutations in TP53, ASXL1 or RUNX1", {"mutated_genes__tested": ["TP53", "ASXL1", "RUNX1"],
                                                    "mutated_genes": []}, False),
    ("I|Without a TP53 or ASXL1 mutation", {"mutated_genes__tested": ["TP53", "ASXL1"], "mutated_genes": ["ASXL1"]},
     True),
    # a gene after the list's end keeps its own polarity
    ("I|No TP53 mutation; an ASXL1 mutation is required", {"mutated_genes__tested": ["TP53", "ASXL1"],
                                                           "mutated_genes": []}, True),
])
def test_a_denied_list_of_genes(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "not (by themselves) exclusionary" under the exclusion heading rules no one out
    ("E|TET2 or DNMT3A mutations are not exclusionary", {"mutated_genes__tested": ["TET2", "DNMT3A"],
                                                         "mutated_genes": []}, False),
    ("E|TET2 or DNMT3A mutations are not exclusionary", {"mutated_genes__tested": ["TET2", "DNMT3A"],
                                                         "mutated_genes": ["TET2"]}, False),
    ("E|A SF3B1 mutation is not on its own exclusionary", {"mutated_genes__tested": ["SF3B1"], "mutated_genes": []},
     False),
    # "i.e." ends a denial: the definition after it is not denied
    ("I|Not transfusion-free, i.e. two or more red-cell units in the last 8 weeks",
     {"transfusion_units_per_8wk": 0, "transfusion_dependent": False}, True),
])
def test_permissions_and_definitions(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # reasons for unfitness listed as alternatives are ways of being unfit, not requirements of their own
    ("I|Not suitable for a stem cell transplant (too frail, no donor found, or unwilling)",
     {"transplant_candidate": False, "donor_available": True}, False),
    ("I|Not suitable for a stem cell transplant (too frail, no donor found, or unwilling)",
     {"transplant_candidate": True, "donor_available": True}, True),
    ("I|Unfit for intensive chemotherapy due to an age of 75 or more or to other illnesses",
     {"intensive_chemo_candidate": False, "age": 64}, False),
    ("I|Unfit for intensive chemotherapy due to an age of 75 or more or to other illnesses",
     {"intensive_chemo_candidate": True, "age": 80}, True),
    # a single reason stays a requirement
    ("I|Unfit for intensive chemotherapy because of an age of 75 or more",
     {"intensive_chemo_candidate": False, "age": 64}, True),
])
def test_reasons_for_unfitness(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a bracket that restates a condition, then "or": the condition, restated, is one way in
    ("I|IPSS-R score above 4.5 (high or very high), or IPSS score of 1.5 or more",
     {"ipssr_score": 3.0, "ipssr_category": "intermediate", "ipss_score": 2.0}, False),
    ("I|IPSS-R score above 4.5 (high or very high), or IPSS score of 1.5 or more",
     {"ipssr_score": 3.0, "ipssr_category": "intermediate", "ipss_score": 1.0}, True),
    ("I|Marrow blasts of 10% or more (MDS-EB2) or blood blasts of 5% or more",
     {"marrow_blasts_pct": 3, "peripheral_blasts_pct": 6}, False),
    ("I|Marrow blasts of 10% or more (MDS-EB2) or blood blasts of 5% or more",
     {"marrow_blasts_pct": 3, "peripheral_blasts_pct": 1}, True),
])
def test_a_restated_condition_then_or(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # one line, two parts of the trial after a ";": each part's limits are its own, and fitting one part is enough
    ("I|Dose-escalation part: aged 18 to 70; expansion cohort: aged 18 or over", {"age": 78}, False),
    ("I|Dose-escalation part: aged 18 to 70; expansion cohort: aged 18 or over", {"age": 15}, True),
    ("I|Cohort 1: platelets of 50 or more; Cohort 2: platelets of 20 or more", {"platelets_10e9_l": 30}, False),
    ("I|Cohort 1: platelets of 50 or more; Cohort 2: platelets of 20 or more", {"platelets_10e9_l": 10}, True),
    ("I|Part A: ECOG 0-1; Part B: ECOG 0-2", {"ecog": 2}, False),
    ("I|Part A: ECOG 0-1; Part B: ECOG 0-2", {"ecog": 3}, True),
])
def test_two_parts_of_the_trial_on_one_line(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a kind of patient given as an example in a bracket is not required of everyone
    ("I|Primary or secondary MDS (including therapy-related disease) may take part", {"therapy_related": False},
     False),
    ("I|MDS of any kind (e.g. therapy-related MDS)", {"therapy_related": False}, False),
    # a number given as the example is how the line is checked
    ("I|No marked QTc prolongation (e.g. QTc above 500 ms on repeated ECGs)", {"qtc_ms": 520}, True),
    ("I|No marked QTc prolongation (e.g. QTc above 500 ms on repeated ECGs)", {"qtc_ms": 430}, False),
])
def test_an_example_in_a_bracket(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # a condition named and then defined by the line's own number: the definition is what is asked
    ("I|Not transfusion-free, that is one or more red-cell units in the last 8 weeks",
     {"transfusion_units_per_8wk": 1, "transfusion_dependent": False}, False),
    ("I|Not transfusion-free, that is one or more red-cell units in the last 8 weeks",
     {"transfusion_units_per_8wk": 0, "transfusion_dependent": False}, True),
    ("I|Red-cell transfusion dependent, i.e. at least 3 units in 8 weeks",
     {"transfusion_units_per_8wk": 3, "transfusion_dependent": False}, False),
    ("I|Red-cell transfusion dependent, i.e. at least 3 units in 8 weeks",
     {"transfusion_units_per_8wk": 2, "transfusion_dependent": True}, True),
])
def test_a_condition_defined_by_the_lines_own_number(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "eligible for and willing to proceed to a transplant": fitness for the transplant, whatever words come between
    ("E|Fit for and willing to undergo allogeneic transplantation now", {"transplant_candidate": True}, True),
    ("E|Fit for and willing to undergo allogeneic transplantation now", {"transplant_candidate": False}, False),
    ("I|Eligible for and able to proceed to an allogeneic stem cell transplant", {"transplant_candidate": False},
     True),
])
def test_fit_and_willing_for_a_transplant(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


MATCHED_ONLY = {"matched_donor_available": True, "matched_sibling_donor_available": True,
                "haplo_donor_available": False, "donor_available": True}


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "haploidentical donors are not acceptable": that kind does not count; it is not asked of anyone
    ("I|Has an HLA-matched sibling donor; mismatched or haploidentical donors are not accepted", MATCHED_ONLY, False),
    ("I|Has an HLA-matched sibling donor; mismatched or haploidentical donors are not accepted", HAPLO_ONLY, True),
    ("I|Matched unrelated donor identified; haploidentical donors do not qualify", MATCHED_ONLY, False),
    ("I|Matched unrelated donor identified; haploidentical donors do not qualify", HAPLO_ONLY, True),
])
def test_a_kind_of_donor_that_does_not_count(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)

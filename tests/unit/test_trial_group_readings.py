"""Eligibility lines whose limits hold for a group of patients only, or whose alternatives are read in part (issue 15):
limits that differ by age and are joined by "or", a stricter limit asked of older patients ("patients older than 75
need …"), a ring-sideroblast limit written after a list of subtypes, and an any-of list most of whose items are not
read. Every line here is made up; each reading has a line it must read and a similar line it must not misread, judged
with patients inside and outside each branch."""

from __future__ import annotations

import pytest

from service.patient.trials import match_trial
from tests.unit.test_trial_logic import _check_line, _rows
from tests.unit.trial_text import trial_criteria


@pytest.fixture(scope="module")
def extractor():
    from etl.extract import RuleExtractor

    return RuleExtractor()


def _ruled_out(extractor, text: str, patient: dict) -> bool:
    return match_trial(_rows(trial_criteria(extractor, text)), patient).verdict == "NOT_ELIGIBLE"


# ---- a limit for each age group, joined by "or" --------------------------------------------------------------------

_KPS_BY_AGE = [
    "I|Performance status > or = 80% (Karnofsky scale) for patients aged > or = 65, or > or = 70% for patients < 65.",
    "I|Karnofsky >= 80% for patients 65 years or older or >= 70% for patients younger than 65",
    "E|Performance status < 80% (Karnofsky scale) for patients aged > or = 65, or < 70% for patients < 65.",
    # under Exclusion, the second limit written without its name is turned round like the first one
    "E|Karnofsky below 80% for those aged 65 or older; below 70% for those under 65",
    # a comma joins the other group's limit as well
    "I|Karnofsky performance status >= 80 if 65 years or older, >= 70 if younger",
]


@pytest.mark.parametrize("line", _KPS_BY_AGE)
@pytest.mark.parametrize(("patient", "ruled_out"), [
    ({"age": 72, "karnofsky": 75}, True),    # older: needs 80
    ({"age": 72, "karnofsky": 85}, False),
    ({"age": 50, "karnofsky": 60}, True),    # younger: needs 70 (the second limit was lost before)
    ({"age": 50, "karnofsky": 75}, False),   # younger: 75 is enough
])
def test_a_limit_for_each_age_group_joined_by_or(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("patient", "ruled_out"), [
    ({"age": 70, "hct_ci": 4}, True), ({"age": 70, "hct_ci": 3}, False),
    ({"age": 50, "hct_ci": 5}, True), ({"age": 50, "hct_ci": 4}, False),
])
def test_an_upper_limit_for_each_age_group(extractor, patient, ruled_out):
    _check_line(extractor, "I|HCT-CI score < or = 3 for patients > or = 65 years old or < or = 4 for patients < 65",
                patient, ruled_out, must_read=True)


@pytest.mark.parametrize(("patient", "ruled_out"), [
    ({"age": 50, "karnofsky": 90}, False), ({"age": 72, "karnofsky": 90}, False),
])
def test_an_or_inside_a_limit_is_not_a_second_age_group(extractor, patient, ruled_out):
    # "80 or more" / "> or =" are not the "or" of a second group: nothing asks anything of younger patients here
    _check_line(extractor, "I|Karnofsky 80% or more for patients aged 65 or older", patient, ruled_out)


@pytest.mark.parametrize(("patient", "ruled_out"), [
    ({"age": 50, "karnofsky": 60, "ecog": 1}, False),  # the younger group's limit is on another variable
    ({"age": 72, "karnofsky": 75, "ecog": 3}, True),   # the ECOG words are not part of the older group's case
    ({"age": 72, "karnofsky": 85, "ecog": 3}, False),
])
def test_a_comma_before_another_variable_is_not_the_other_group(extractor, patient, ruled_out):
    _check_line(extractor, "I|Karnofsky performance status >= 80 if 65 years or older, ECOG 0-1 if younger",
                patient, ruled_out)


def test_a_comma_right_before_the_if_still_joins_the_case(extractor):
    # "X, if Y": Y is the case of X (a length of treatment not held here), not a clause of its own
    _check_line(extractor, "E|Earlier lenalidomide, if given for more than four months.",
                {"prior_therapies": ["MDSKG:drug/lenalidomide"]}, False)


# ---- "patients older than N need …" ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("patient", "ruled_out"), [
    ({"age": 80, "hemoglobin_g_dl": 8.5}, True),   # older: needs 9
    ({"age": 80, "hemoglobin_g_dl": 9.5}, False),
    ({"age": 60, "hemoglobin_g_dl": 8.5}, False),  # younger: 8 is enough (the age was asked of everyone before)
    ({"age": 60, "hemoglobin_g_dl": 7.5}, True),
])
def test_a_stricter_limit_that_older_patients_need(extractor, patient, ruled_out):
    _check_line(extractor, "I|Hemoglobin of 8 g/dL or more; patients older than 75 years need 9 g/dL or more",
                patient, ruled_out, must_read=True)


def test_need_after_a_disease_case_is_not_a_subgroup_rule(extractor):
    # "need" marks a rule for an age group only; "patients with anaemia who need transfusions" stays a plain exclusion
    found = trial_criteria(extractor, "Exclusion Criteria:\n\n- Patients with anemia who need transfusions more "
                                      "than twice a month\n")
    assert not any(c.group for c in found)


# ---- a ring-sideroblast limit after a list of subtypes -----------------------------------------------------------

@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # the limit defines RARS only: an RCMD patient with few ring sideroblasts is not ruled out
    ("I|MDS of subtype RCUD, RCMD or RARS with at least 15% ring sideroblasts",
     {"ring_sideroblasts_pct": 2, "marrow_blasts_pct": 2}, False),
    ("I|MDS of subtype RA, RCMD, or RARS (with >= 15% ring sideroblasts)",
     {"ring_sideroblasts_pct": 2, "marrow_blasts_pct": 2}, False),
    # the list's blast limit still holds for all of them
    ("I|MDS of subtype RCUD, RCMD or RARS with at least 15% ring sideroblasts",
     {"ring_sideroblasts_pct": 2, "marrow_blasts_pct": 12}, True),
    # a ring-sideroblast subtype on its own, or a list of such subtypes, keeps the limit
    ("I|RARS with 15% or more ring sideroblasts", {"ring_sideroblasts_pct": 2, "marrow_blasts_pct": 2}, True),
    ("I|RARS or RCMD-RS with ring sideroblasts >= 15%", {"ring_sideroblasts_pct": 2, "marrow_blasts_pct": 2}, True),
    ("I|RARS or RCMD-RS with ring sideroblasts >= 15%", {"ring_sideroblasts_pct": 30, "marrow_blasts_pct": 2}, False),
])
def test_a_sideroblast_limit_after_a_list_of_subtypes(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


# ---- an any-of list most of whose items are not read ----------------------------------------------------------------

_MOSTLY_UNREAD = ("Inclusion Criteria:\n\n- Meets any of the following criteria:\n  - Monosomy 7\n"
                  "  - Failed to achieve remission\n  - In second or later remission\n  - Refractory relapse\n"
                  "- Age 18 or over\n")
_ALL_READ = ("Inclusion Criteria:\n\n- Meets any of the following criteria:\n  - Monosomy 7\n  - Deletion 5q\n"
             "  - IPSS high risk\n- Age 18 or over\n")


def test_an_any_of_list_mostly_unread_stays_unread(extractor):
    # a patient in second remission without monosomy 7 meets the list; the group of monosomy 7 alone would hide them
    assert not _ruled_out(extractor, _MOSTLY_UNREAD, {"age": 60, "karyotype_findings": []})
    assert _ruled_out(extractor, _MOSTLY_UNREAD, {"age": 16, "karyotype_findings": []})  # the next line is still read
    assert not any(c.group for c in trial_criteria(extractor, _MOSTLY_UNREAD))


@pytest.mark.parametrize(("patient", "ruled_out"), [
    ({"age": 60, "karyotype_findings": [], "ipss_category": "low"}, True),
    ({"age": 60, "karyotype_findings": ["del5q"], "ipss_category": "low"}, False),
    ({"age": 60, "karyotype_findings": [], "ipss_category": "high"}, False),
])
def test_an_any_of_list_read_whole_keeps_its_group(extractor, patient, ruled_out):
    assert _ruled_out(extractor, _ALL_READ, patient) == ruled_out

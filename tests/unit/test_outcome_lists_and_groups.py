"""How abstracts report several results at once, read by etl/nlp/outcomes.py (session 10, helper E2).

Families, each written for the general way authors put results, with near-misses that must not be read:
a value (or "not reached") then its group, for times as well as rates, with a bracket after the value or the group
and sub-groups in a group's bracket; a list of values then a list of groups ("..., respectively"); adverse events
listed under a head, each with its share; "CR/CRi" and "marrow CR with or without HI"; a count and its share "with"
the endpoint; a result that moved "from A to B"; a pair of times in brackets after a comparison.

Every sentence is written for these tests (own words, invented numbers); none comes from a real record.
"""

from __future__ import annotations

import pytest

from etl.nlp.outcomes import find_outcomes


def rows(sentence: str) -> list[tuple]:
    return [(o.endpoint, o.value, o.arm) for o in find_outcomes(sentence)]


def values(sentence: str) -> list[tuple]:
    return [(o.endpoint, o.value) for o in find_outcomes(sentence)]


# ---- a value, then its group ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "expected"), [
    ("Median overall survival was 15.2 months (95% CI 11.0-19.4) in de novo MDS, 9.1 months (6.3-12.0) in "
     "therapy-related MDS and 6.4 months (4.2-8.8) in CMML.",
     [("median_overall_survival", 15.2, "de novo MDS"), ("median_overall_survival", 9.1, "therapy-related MDS"),
      ("median_overall_survival", 6.4, "CMML")]),
    ("The response rate was 52% in lower-risk disease (26 of 50 patients; 38-66) and 31% in higher-risk disease "
     "(11 of 35 patients; 17-49).",
     [("overall_response_rate", 52.0, "lower-risk disease"), ("overall_response_rate", 31.0, "higher-risk disease")]),
    # the last group written without its preposition, after the value's bracket
    ("Median EFS was 10.5 months (8.1-13.0) in MDS, 7.7 months (5.0-9.9) in CMML and 4.1 months (2.2-6.0) AML.",
     [("median_event_free_survival", 10.5, "MDS"), ("median_event_free_survival", 7.7, "CMML"),
      ("median_event_free_survival", 4.1, "AML")]),
])
def test_each_value_then_its_group(sentence, expected):
    assert rows(sentence) == expected


def test_everyones_value_then_the_values_by_subgroup():
    assert rows("The overall response rate was 61% (49 of 80; 95% CI 50-72) and by subgroup was: 70% in CMML-1 and "
                "45% in CMML-2.") == [("overall_response_rate", 61.0, None), ("overall_response_rate", 70.0, "CMML-1"),
                                      ("overall_response_rate", 45.0, "CMML-2")]


def test_sub_groups_in_a_groups_bracket():
    got = rows("The response rate was 40% in MDS (55% in treatment-naive MDS and 30% in pretreated MDS) and 25% in "
               "AML (35% in treatment-naive AML and 15% in pretreated AML).")
    assert [v for _, v, _ in got] == [40.0, 55.0, 30.0, 25.0, 35.0, 15.0]
    assert [a for *_, a in got] == ["MDS", "treatment-naive MDS", "pretreated MDS", "AML", "treatment-naive AML",
                                    "pretreated AML"]


def test_not_reached_in_one_group_keeps_the_others():
    assert rows("Median response duration was not reached (95% CI 7.0-not reached) in the lower-risk group, "
                "8.5 months (4.0-not reached) in the intermediate group and 4.0 months (2.1-6.3) in the higher-risk "
                "group.") == [("median_response_duration", 8.5, "intermediate"),
                              ("median_response_duration", 4.0, "higher-risk")]


@pytest.mark.parametrize("sentence", [
    "The median duration of response was not reached; median overall survival was not reached either.",
    "Median OS was not reached in either arm after 14 months.",
])
def test_not_reached_for_everyone_still_reads_nothing(sentence):
    assert find_outcomes(sentence) == []


def test_two_arms_in_a_comparison_are_one_row_with_its_comparator():
    o = find_outcomes("Median OS was 20.1 months in the azacitidine arm and 12.4 months in the supportive-care arm "
                      "(p = 0.01).")
    assert [(x.endpoint, x.value, x.arm, x.comparator_value, x.p) for x in o] == [
        ("median_overall_survival", 20.1, "azacitidine", 12.4, "0.01")]


@pytest.mark.parametrize("sentence", [
    "Median follow-up was 30 months in MDS and 24 months in AML.",
    "The median age was 71 years in MDS and 68 years in CMML.",
    "The marrow blast count was 12% in MDS and 24% in AML.",
])
def test_times_and_shares_that_are_not_outcomes_are_not_a_series(sentence):
    assert find_outcomes(sentence) == []


def test_counts_of_patients_are_not_groups():
    assert rows("The response rate was 45% in 20 patients and 30% in 10 patients.") == [
        ("overall_response_rate", 45.0, None)]


# ---- a list of values, then a list of groups ("respectively") -----------------------------------------------------

def test_k_values_then_k_groups():
    assert rows("Median OS was 18.0, 11.5 and 7.2 months for IPSS-R low, intermediate and high risk, "
                "respectively.") == [("median_overall_survival", 18.0, "IPSS-R low"),
                                     ("median_overall_survival", 11.5, "intermediate"),
                                     ("median_overall_survival", 7.2, "high risk")]


def test_values_with_brackets_then_groups():
    assert rows("Response rates were 44% (95% CI 30-58) and 28% (95% CI 15-41) for the first and second cohorts, "
                "respectively.") == [("overall_response_rate", 44.0, "first"),
                                     ("overall_response_rate", 28.0, "second")]


def test_values_with_brackets_and_no_groups_are_rows_of_their_own():
    assert values("Median event-free survival (95% CI) was 7.5 (5.0-9.9) months and 12.0 (8.8-15.1) months, "
                  "respectively.") == [("median_event_free_survival", 7.5), ("median_event_free_survival", 12.0)]


def test_leukaemia_free_survival_listed_reads_as_event_free_survival():
    assert rows("The median leukaemia-free survival was 10.2 and 6.1 months for the naive and the pretreated "
                "patients, respectively.")[1] == ("median_event_free_survival", 6.1, "pretreated")


def test_two_values_compared_respectively_are_one_row():
    o = find_outcomes("Median OS was 24 and 16 months for the combination and monotherapy arms, respectively "
                      "(P = 0.03; HR 0.61).")
    assert [(x.value, x.arm, x.comparator_value, x.hr, x.p) for x in o] == [(24.0, "combination", 16.0, 0.61, "0.03")]


@pytest.mark.parametrize("sentence", [
    "Median ages were 70 and 74 years for the two arms, respectively.",
    "Doses of 75 and 50 mg/m2 were given to the first and second cohorts, respectively.",
    "Median follow-up times were 20 and 25 months for the first and second cohorts, respectively.",
])
def test_lists_that_are_not_outcomes(sentence):
    assert find_outcomes(sentence) == []


def test_endpoint_names_then_values_with_brackets():
    got = rows("The CR rate, the PR rate and the mCR/HI rate were 10% (n = 3), 7% (n = 2) and 20% (n = 6), "
               "respectively.")
    assert got == [("complete_remission_rate", 10.0, None), ("partial_remission_rate", 7.0, None),
                   ("marrow_cr_rate", 20.0, None)]


# ---- adverse events listed under a head ---------------------------------------------------------------------------

def events(sentence: str) -> list[tuple]:
    return [(o.endpoint, o.value, o.event) for o in find_outcomes(sentence)]


def test_grade_3_events_each_with_its_share_in_three_forms():
    assert events("The most common grade 3-4 adverse events were pneumonia in 8 patients (20%), febrile neutropenia "
                  "(n = 6, 15%) and hypokalaemia (5 [12%]).") == [
        ("grade3plus_adverse_event_rate", 20.0, "pneumonia"),
        ("grade3plus_adverse_event_rate", 15.0, "febrile neutropenia"),
        ("grade3plus_adverse_event_rate", 12.0, "hypokalaemia")]


def test_events_of_any_grade():
    assert events("The most common adverse events of any grade were fatigue (35%), nausea (22%) and constipation "
                  "(18%).") == [("adverse_event_rate", 35.0, "fatigue"), ("adverse_event_rate", 22.0, "nausea"),
                                ("adverse_event_rate", 18.0, "constipation")]


def test_serious_events_most_frequently_followed_by():
    assert events("Of 40 patients, 20 (50%) had serious adverse events, most frequently sepsis (n = 6, 15%), followed "
                  "by pneumonia (n = 4, 10%).") == [
        ("serious_adverse_event_rate", 50.0, None), ("serious_adverse_event_rate", 15.0, "sepsis"),
        ("serious_adverse_event_rate", 10.0, "pneumonia")]


def test_an_item_that_names_its_own_grade():
    got = events("The most common treatment-emergent adverse events included grade 3 or 4 neutropenia (n = 30, 40%) "
                 "and rash (n = 12, 16%).")
    assert got == [("grade3plus_adverse_event_rate", 40.0, "neutropenia"), ("adverse_event_rate", 16.0, "rash")]


def test_a_grade_named_in_an_earlier_clause_is_not_the_lists():
    assert events("No patient had grade 3-4 adverse events; the most common adverse events were fatigue (35%) and "
                  "nausea (22%).") == [("adverse_event_rate", 35.0, "fatigue"), ("adverse_event_rate", 22.0, "nausea")]


@pytest.mark.parametrize("sentence", [
    "The most common mutations were TET2 (45%), ASXL1 (40%) and SRSF2 (30%).",
    "The most common comorbidities were diabetes (30%) and hypertension (25%).",
    "The most common adverse events were anaemia (40% vs 25%) and fatigue (30% vs 20%).",
])
def test_lists_without_an_adverse_event_head_or_with_two_arms_per_event(sentence):
    assert [e for e in events(sentence) if e[0] == "adverse_event_rate"] == []


# ---- composite names, "with", "from ... to", a pair in brackets -----------------------------------------------------

def test_cr_with_incomplete_recovery_is_the_complete_remission_rate():
    assert values("The CR/CRi rate was 48%.") == [("complete_remission_rate", 48.0)]
    assert values("The CR/CRi/PR rate was 48%.") == []


def test_marrow_cr_with_or_without_hi_is_marrow_cr():
    assert values("mCR with or without HI was 30% (6 of 20 patients).") == [("marrow_cr_rate", 30.0)]


def test_a_count_and_its_share_with_the_endpoint():
    assert values("The overall response rate was 50% (30 of 60), including 12 (20%) with complete remission.") == [
        ("overall_response_rate", 50.0), ("complete_remission_rate", 20.0)]


@pytest.mark.parametrize("sentence", [
    "Of the 40 patients, 12 (30%) with CR had a TET2 mutation.",
    "Eight patients (20%) with a complete response at baseline were excluded.",
])
def test_a_subgroup_with_the_endpoint_is_not_its_rate(sentence):
    assert find_outcomes(sentence) == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The CR rate rose from 12% in the first era to 31% in the second era.", ("complete_remission_rate", 31.0, 12.0)),
    ("Median OS improved from 9 months before 2005 to 17 months after 2005 (p < 0.01).",
     ("median_overall_survival", 17.0, 9.0)),
])
def test_a_result_that_moved_from_one_value_to_another(sentence, expected):
    assert [(o.endpoint, o.value, o.comparator_value) for o in find_outcomes(sentence)] == [expected]


@pytest.mark.parametrize("sentence", [
    "The dose was increased from 50 mg to 75 mg.",
    "Median age increased from 65 years to 71 years.",
])
def test_other_quantities_that_moved_are_not_outcomes(sentence):
    assert find_outcomes(sentence) == []


def test_a_pair_of_times_in_brackets_after_a_comparison():
    o = find_outcomes("Median OS was longer in the transplant group than in the non-transplant group (31 vs. 12 "
                      "months; HR 0.45; 95% CI 0.25-0.80).")
    assert [(x.endpoint, x.value, x.comparator_value, x.hr, x.ci) for x in o] == [
        ("median_overall_survival", 31.0, 12.0, 0.45, "0.25-0.80")]


def test_a_pair_of_follow_up_times_in_brackets_is_not_survival():
    assert find_outcomes("Median follow-up was longer in the transplant group than in the other group (31 vs. 12 "
                         "months).") == []


# ---- qualifiers before the value, named adverse events on their own, transformation rates -------------------------

def test_a_qualifier_between_the_endpoint_and_its_grouped_values():
    got = [(o.value, o.arm, o.timepoint) for o in find_outcomes(
        "The 3-year OS rate after treatment with decitabine was 22.5% (18.0-27.1%) for higher-risk patients and "
        "41.0% (33.2-48.9%) for lower-risk patients.")]
    assert got == [(22.5, "higher-risk", "3 years"), (41.0, "lower-risk", "3 years")]


def test_a_grouped_survival_share_without_a_time_point_is_not_read():
    assert find_outcomes("Overall survival was 60% in MDS and 40% in AML.") == []


def test_values_respectively_for_groups_named_in_an_earlier_sentence():
    assert values("Median survival in these three subgroups was 26, 11 and 6 months respectively.") == [
        ("median_overall_survival", 26.0), ("median_overall_survival", 11.0), ("median_overall_survival", 6.0)]


@pytest.mark.parametrize("sentence", [
    "The 2-year cumulative incidence of AML transformation was 18%.",
    "The AML transformation rate was 18%.",
    "The rate of leukemic evolution was 18%.",
])
def test_transformation_to_aml_named_as_an_incidence_or_a_rate(sentence):
    assert values(sentence) == [("progression_to_aml_rate", 18.0)]


def test_risk_factors_for_transformation_are_not_its_rate():
    assert find_outcomes("Risk factors for AML transformation were marrow blasts over 10% and a complex "
                         "karyotype.") == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Febrile neutropenia occurred in 9 patients (14%).", [("adverse_event_rate", 14.0, "febrile neutropenia")]),
    ("Pneumonia was observed in 11% of patients.", [("adverse_event_rate", 11.0, "pneumonia")]),
    ("Grade 3 neutropenia occurred in 9 patients (14%).", [("grade3plus_adverse_event_rate", 14.0, "neutropenia")]),
])
def test_one_named_adverse_event_and_its_share(sentence, expected):
    assert events(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Neutropenia at baseline was seen in 40% of patients.",
    "Febrile neutropenia occurred in 12% vs 5% of patients.",
    "No febrile neutropenia occurred in 12 patients (15%) given the lower dose.",
    "Febrile neutropenia occurred in 20% of cycles.",
])
def test_adverse_event_shares_that_are_not_a_patient_rate(sentence):
    assert [e for e in events(sentence) if e[0] == "adverse_event_rate"] == []

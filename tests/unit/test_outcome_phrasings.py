"""Families of outcome phrasings read by etl/nlp/outcomes.py (session 10), each with a near-miss it must not read.

Every sentence is written for these tests (own words, invented numbers); none comes from a real record. Each rule is
written for the way authors in general put a result, not for one abstract: a group named after or before each
value, a bracketed breakdown by arm, a survival given as a time without the word "median", verbs of transplant and
transformation, stable and progressive disease as best responses.
"""

from __future__ import annotations

import pytest

from etl.nlp.outcomes import find_outcomes


def rows(sentence: str) -> list[tuple]:
    return [(o.endpoint, o.value, o.arm) for o in find_outcomes(sentence)]


def values(sentence: str) -> list[tuple]:
    return [(o.endpoint, o.value) for o in find_outcomes(sentence)]


# ---- one endpoint, a group after each value -----------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "expected"), [
    ("The response rate was 35% for lower-risk disease, 25% for higher-risk disease and 35% for CMML.",
     [("overall_response_rate", 35.0, "lower-risk disease"), ("overall_response_rate", 25.0, "higher-risk disease"),
      ("overall_response_rate", 35.0, "CMML")]),
    ("Complete remission was reached in 12% of MDS, 9% of AML and 4% of CMML patients.",
     [("complete_remission_rate", 12.0, "MDS"), ("complete_remission_rate", 9.0, "AML"),
      ("complete_remission_rate", 4.0, "CMML")]),
    ("A dose reduction was required in 31% of the MDS and 12% of the AML patients.",
     [("dose_modification_rate", 31.0, "MDS"), ("dose_modification_rate", 12.0, "AML")]),
])
def test_a_value_per_named_group_keeps_equal_values_apart(sentence, expected):
    assert rows(sentence) == expected


def test_a_value_without_a_group_ends_the_series():
    # "of patients" names no group, and the second share belongs to another clause
    assert values("The response rate was 44% in the older group, and 20% of patients needed a transfusion.") == [
        ("overall_response_rate", 44.0)]


def test_shares_of_diagnoses_are_not_a_series_without_an_endpoint():
    assert find_outcomes("Of the cohort, 58% had MDS, 30% had AML and 12% had CMML.") == []


def test_a_bracket_of_values_by_arm():
    got = rows("The overall response rate was 47% with the first criteria (drug A 50%, drug B 44%) and 61% with the "
               "second criteria (drug A 63%, drug B 59%).")
    assert [v for _, v, _ in got] == [47.0, 50.0, 44.0, 61.0, 63.0, 59.0]
    assert [a for *_, a in got][1:3] == ["drug A", "drug B"]


@pytest.mark.parametrize("sentence", [
    "The overall response rate was 47% (95% CI 38%-56%).",
    "The overall response rate was 47% (range, 30%-60%).",
])
def test_an_interval_in_brackets_is_not_a_breakdown(sentence):
    assert values(sentence) == [("overall_response_rate", 47.0)]


def test_a_bracket_that_breaks_down_by_endpoint_is_read_by_the_endpoints():
    got = values("The overall response rate was 40% (CR 15%, PR 25%).")
    assert ("overall_response_rate", 40.0) in got
    assert ("overall_response_rate", 15.0) not in got and ("overall_response_rate", 25.0) not in got


# ---- groups named before the values --------------------------------------------------------------------------------

def test_two_groups_then_two_values_respectively():
    assert rows("Transfusion independence rates in the lower-risk and higher-risk subgroups were 41% and 18%, "
                "respectively.") == [("transfusion_independence_rate", 41.0, "lower-risk"),
                                     ("transfusion_independence_rate", 18.0, "higher-risk")]


def test_two_groups_then_two_counts_are_not_rates():
    assert find_outcomes("Transfusion independence in the lower-risk and higher-risk subgroups was seen in 12 and 5 "
                         "patients, respectively.") == []


def test_each_value_after_its_own_group():
    got = rows("The response rate (CR, PR or marrow CR) in the MDS/CMML cohort was 30% and in the AML cohort "
               "(CR/CRi/PR) was 17%.")
    assert got == [("overall_response_rate", 30.0, "MDS/CMML"), ("overall_response_rate", 17.0, "AML")]


def test_a_slash_composite_of_responses_is_not_one_of_its_parts():
    assert values("In the AML cohort the composite CR/CRi/PR was 17%.") == []


def test_higher_in_one_group_than_in_another():
    o = find_outcomes("CR was significantly higher in patients given drug A (48.5%) when compared with drug B "
                      "(22.1%) (P < .01).")
    assert [(x.endpoint, x.value, x.comparator_value, x.p) for x in o] == [
        ("complete_remission_rate", 48.5, 22.1, "<0.01")]


def test_higher_in_one_group_with_counts_is_not_a_rate():
    assert find_outcomes("CR was higher in patients given drug A (n = 40) than drug B (n = 38).") == []


# ---- survival given as a time --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "expected"), [
    ("Median OS was 19 months (95% CI 15-23) and event-free survival 11 months (95% CI 8-14).",
     [("median_overall_survival", 19.0), ("median_event_free_survival", 11.0)]),
    ("After relapse the outcome was poor, with an OS of 5 months.", [("median_overall_survival", 5.0)]),
    ("Relapse after a response was followed by a median overall-survival (OS) of 6 months.",
     [("median_overall_survival", 6.0)]),
    ("Median actuarial survival of the 52 patients was 17 months.", [("median_overall_survival", 17.0)]),
])
def test_survival_as_a_time_is_the_median(sentence, expected):
    assert values(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Mean OS was 20 months.",
    "The follow-up for OS was 30 months.",
    "Median follow-up of the 52 patients was 17 months.",
])
def test_a_mean_or_a_follow_up_is_not_a_median_survival(sentence):
    assert find_outcomes(sentence) == []


def test_survival_at_a_time_point_stays_a_rate():
    assert values("OS at 24 months was 60%.") == [("overall_survival_at_years", 60.0)]


def test_duration_of_remission_named_after_the_remission():
    assert values("Median CR duration was 8 months.") == [("median_response_duration", 8.0)]
    assert values("The CR rate was 8%.") == [("complete_remission_rate", 8.0)]


def test_time_to_progression_reads_as_progression_free_survival():
    assert values("Median time to progression was 6.5 months.") == [("median_progression_free_survival", 6.5)]
    assert values("Median time to progression to AML was 16 months.") == [("median_time_to_aml", 16.0)]


# ---- best responses, transplant and transformation --------------------------------------------------------------

def test_stable_and_progressive_disease_as_best_responses():
    assert values("After four cycles, 20% had stable and 11% progressive disease.") == [
        ("stable_disease_rate", 20.0), ("progression_rate", 11.0)]
    assert values("Stable and progressive disease were seen in 30.5% and 6% of patients, respectively.") == [
        ("stable_disease_rate", 30.5), ("progression_rate", 6.0)]


def test_progressive_disease_as_a_cause_of_death_is_not_a_progression_rate():
    found = values("Two patients (4%) died because of progressive disease (two [4%]).")
    assert all(e != "progression_rate" for e, _ in found)


def test_achieving_after_a_share():
    assert values("The ORR was 62%, with 27% achieving complete remission.") == [
        ("overall_response_rate", 62.0), ("complete_remission_rate", 27.0)]
    assert find_outcomes("Of the cohort, 27% having received lenalidomide before were included.") == []


def test_transplant_received_after_the_studied_therapy():
    assert values("Eleven patients (8%) received allo-SCT after a median of five cycles.") == [("hsct_rate", 8.0)]
    assert find_outcomes("Eleven patients (8%) received allo-SCT.") == []  # uptake, not a result of a therapy


def test_transformation_to_aml_counted_before_the_verb():
    assert values("Of the failures, 30 (41%) that transformed to AML died.")[0] == ("progression_to_aml_rate", 41.0)
    assert values("Overall, 18% of CMML patients in a CR on treatment progressed to AML.") == [
        ("progression_to_aml_rate", 18.0)]


def test_a_subgroup_share_without_a_verb_is_not_a_result():
    assert find_outcomes("Among them, 40% of patients in complete remission with azacitidine.") == []


def test_dose_reduction_required_is_a_result_but_a_threshold_is_not():
    assert values("A dose reduction was required in 30% of patients.") == [("dose_modification_rate", 30.0)]
    assert find_outcomes("Patients who required a dose reduction of more than 50% were excluded.") == []


# ---- kinds of adverse events, doses changed because of them, response wordings ----------------------------------

def test_the_most_common_kinds_of_events_each_with_its_rate():
    found = find_outcomes("The most common treatment-emergent adverse events were cutaneous (70% of patients) and "
                          "renal (22%).")
    assert [(o.endpoint, o.value, o.event) for o in found] == [
        ("adverse_event_rate", 70.0, "cutaneous adverse events"), ("adverse_event_rate", 22.0, "renal adverse events")]


def test_the_most_common_grade_3_events_are_not_read_as_kinds():
    # a grade-3 list names events (read by the grade-3 reader), and a single share is still no overall rate
    assert all(o.event for o in find_outcomes("The most common grade 3-4 adverse events were neutropenia (31%) and "
                                               "anemia (12%)."))


def test_dose_changed_because_of_kinds_of_events():
    found = find_outcomes("The dose was reduced or interrupted due to renal (n = 2, 7%) or cutaneous (n = 3, 10%) "
                          "adverse events.")
    assert [(o.endpoint, o.value, o.event) for o in found] == [
        ("dose_modification_rate", 7.0, "renal adverse events"),
        ("dose_modification_rate", 10.0, "cutaneous adverse events")]


def test_dose_given_for_a_number_of_days_is_not_a_modification():
    assert find_outcomes("The dose was reduced for 5 days (n = 4) in the second cycle.") == []


def test_singular_haematologic_response_and_response_of_a_disease_to_a_drug():
    assert values("Haematologic response was seen in 45% of the patients.") == [("overall_response_rate", 45.0)]
    assert values("Response of the vasculitis to drug X was observed in 14 patients (70%).") == [
        ("overall_response_rate", 70.0)]
    assert find_outcomes("Haematologic response criteria were those of the IWG 2006 (50% blast reduction).") == []


@pytest.mark.parametrize("sentence", [
    "The study was powered assuming a 30% response rate.",
    "A 30% response rate was expected with drug X.",
    "Patients with a 50% response were eligible.",
    "A 50% response was defined as halving the transfusion need.",
])
def test_a_value_before_the_endpoint_in_a_design_or_definition_is_not_a_result(sentence):
    assert find_outcomes(sentence) == []


def test_a_share_right_before_response_is_the_response_rate():
    assert values("With a 64% response to steroids, relapse was still common.") == [("overall_response_rate", 64.0)]


def test_a_subgroup_named_with_a_karyotype_or_a_treatment():
    assert rows("The response rate was 52% in patients with del(5q) and 21% in those without.") == [
        ("overall_response_rate", 52.0, "patients with del(5q)"), ("overall_response_rate", 21.0, "those without")]
    assert rows("CR was seen in 30% of patients treated with drug A and 12% of patients treated with drug B.") == [
        ("complete_remission_rate", 30.0, "patients treated with drug A"),
        ("complete_remission_rate", 12.0, "patients treated with drug B")]

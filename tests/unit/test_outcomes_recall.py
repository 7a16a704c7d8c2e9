"""Phrasings added to etl/nlp/outcomes.py for recall, and the traps they must not fall into.

Every sentence is written for these tests (own words, invented numbers); none comes from a real record.
"""

from __future__ import annotations

import pytest

from etl.nlp.outcomes import find_outcomes


def rows(sentence: str):
    return [(o.endpoint, o.value, o.comparator_value) for o in find_outcomes(sentence)]


def one(sentence: str):
    found = find_outcomes(sentence)
    assert len(found) == 1, found
    return found[0]


# ---- positive phrasings -------------------------------------------------------------------------------------

def test_cr_rate_k_of_n_patients_with_word_count():
    o = one("A complete remission rate was observed in four of the 32 treated patients (12.5%).")
    assert (o.endpoint, o.value, o.n) == ("complete_remission_rate", 12.5, 32)


def test_k_percent_patients_after_cue():
    o = one("Infectious complications were recorded in 57 (41.3%) patients during the first two cycles.")
    assert (o.endpoint, o.value) == ("infection_rate", 41.3)


def test_cycle_numbers_are_not_values():
    o = one("The incidence of serious adverse events in cycles 1-3 was 27% (30 of 111 participants).")
    assert (o.endpoint, o.value) == ("serious_adverse_event_rate", 27.0)


def test_bare_response_before_and_after():
    assert rows("Forty-one patients (37%) achieved a response by IWG criteria.") == [
        ("overall_response_rate", 37.0, None)]
    assert rows("Response to therapy was seen in 58% of the patients in arm A, versus 31% in arm B.") == [
        ("overall_response_rate", 58.0, 31.0)]


def test_bare_response_after_qualifier_is_not_orr():
    assert rows("A cytogenetic response was seen in 22% of the patients.") == []


def test_modifiers_between_verb_and_cue():
    o = one("Nine patients (19%) had uni- or bilineage haematological improvement.")
    assert (o.endpoint, o.value) == ("hematologic_improvement_rate", 19.0)


def test_no_response_rate():
    o = one("Eleven patients (44%) showed neither haematologic nor cytogenetic response.")
    assert (o.endpoint, o.value) == ("no_response_rate", 44.0)


def test_median_time_to_aml():
    o = one("The median time from start of therapy to AML transformation was 8 months (3-14 months).")
    assert (o.endpoint, o.value, o.unit) == ("median_time_to_aml", 8.0, "months")


def test_death_rate_under_a_drug():
    o = one("The death rate under drug X among lower-risk patients was 47%.")
    assert (o.endpoint, o.value) == ("death_rate", 47.0)


def test_cumulative_incidence_of_progression():
    o = one("After two years, 18% cumulative incidence of progression was seen.")
    assert (o.endpoint, o.value) == ("progression_rate", 18.0)


def test_early_mortality_at_weeks_and_continuation_pair():
    assert rows("Mortality at 8 weeks was 5% with drug A versus 15% with drug B (P = .01) and, at 3 months, "
                "9% with drug A versus 27% with drug B (P = .002).") == [
        ("early_mortality_rate", 5.0, 15.0), ("early_mortality_rate", 9.0, 27.0)]


def test_day_mortality():
    assert rows("The 30-day mortality was 4%, and the 60-day mortality was 9%.") == [
        ("early_mortality_rate", 4.0, None), ("early_mortality_rate", 9.0, None)]


def test_median_os_long_subject_ci_and_second_pair():
    found = find_outcomes("Median overall survival for patients given drug A versus drug B was 11·2 months (95% CI "
                          "9·1-13·0) versus 17·5 months (15·2-19·9); HR 1·41 (1·12-1·77; p=0·0004) and 10·3 months "
                          "(8·0-12·6) versus 17·5 months (15·2-19·9) for drug C versus drug B.")
    assert [(o.endpoint, o.value, o.comparator_value) for o in found] == [
        ("median_overall_survival", 11.2, 17.5), ("median_overall_survival", 10.3, 17.5)]


def test_bare_median_after_survival_word():
    o = one("The marker-high group had a higher HI rate and longer overall survival (median, 19.0 vs. 11.5 months, "
            "p=0.03) than the marker-low group.")
    assert (o.endpoint, o.value, o.comparator_value, o.p) == ("median_overall_survival", 19.0, 11.5, "0.03")


def test_bare_median_inherits_previous_median_cue():
    found = rows("OS was shorter with mutation A (median OS 10.1 months versus 20.2 months, p=0.01) and with a "
                 "diagnosis of AML (median 12.5 months vs 18.0 months for MDS, p=0.04).")
    assert found == [("median_overall_survival", 10.1, 20.2), ("median_overall_survival", 12.5, 18.0)]


def test_hazard_ratio_without_median():
    o = one("Drug A significantly improved OS vs control (HR: 0.55 [95%CI: 0.31, 0.92]; p=0.021).")
    assert (o.endpoint, o.hr, o.ci, o.p) == ("overall_survival_hazard_ratio", 0.55, "0.31-0.92", "0.021")


def test_hazard_ratio_with_p_before_it():
    o = one("Treatment with drug A was an independent favourable factor for survival (P = .01; hazard ratio, 0.70).")
    assert (o.endpoint, o.hr, o.p) == ("overall_survival_hazard_ratio", 0.70, "0.01")


def test_hazard_ratio_next_to_a_median_is_not_repeated():
    found = find_outcomes("Median OS was 16 and 10 months, respectively (hazard ratio, 0.68; 95% CI, 0.51-0.90; "
                          "P = .004).")
    assert [(o.endpoint, o.value, o.hr) for o in found] == [("median_overall_survival", 16.0, 0.68)]


def test_pair_of_counts_before_cue():
    assert rows("Twelve (23%) and 19 (36%) patients in the A and the B2 group, respectively, progressed to AML "
                "(difference NS).") == [("progression_to_aml_rate", 23.0, 36.0)]
    assert rows("Thirty one (52%) and 40 (77%) patients in the A and the B group, respectively, had died "
                "(P = .01).") == [("death_rate", 52.0, 77.0)]
    o = one("37 (20%) of 185 patients in the A group and 28 (31%) of 90 patients in the B group died due to "
            "adverse events.")
    assert (o.endpoint, o.value, o.comparator_value, o.n) == ("death_rate", 20.0, 31.0, 185)


def test_cue_list_respectively():
    assert rows("The CR and ORR rates were 18% and 45%, respectively.") == [
        ("complete_remission_rate", 18.0, None), ("overall_response_rate", 45.0, None)]
    assert rows("Median PFS and OS were 9.5 and 16.1 months in the whole cohort, respectively.") == [
        ("median_progression_free_survival", 9.5, None), ("median_overall_survival", 16.1, None)]


def test_hi_lineages_respectively():
    found = find_outcomes("Haematologic improvement - erythroid (HI-E), neutrophil (HI-N), or platelet (HI-P) "
                          "was reached in 44%, 29%, and 38% of patients, respectively.")
    assert [(o.endpoint, o.value) for o in found] == [("hematologic_improvement_rate", 44.0),
                                                      ("hematologic_improvement_rate", 29.0),
                                                      ("hematologic_improvement_rate", 38.0)]


def test_grade3_events_respectively_pairs():
    found = find_outcomes("Grade 3-4 anemia, neutropenia, and thrombocytopenia with drug A vs drug B were 11% vs 5%, "
                          "58% vs 21%, and 47% vs 26%, respectively.")
    assert [(o.event, o.value, o.comparator_value) for o in found] == [
        ("anaemia", 11.0, 5.0), ("neutropenia", 58.0, 21.0), ("thrombocytopenia", 47.0, 26.0)]


def test_grade3_event_in_percent():
    o = one("Grade 3/4 neutropenia occurred in 32% of patients.")
    assert (o.endpoint, o.event, o.value) == ("grade3plus_adverse_event_rate", "neutropenia", 32.0)
    o = one("Overall, 25% of patients had grade 3-4 thrombocytopenia.")
    assert (o.event, o.value) == ("thrombocytopenia", 25.0)


def test_long_subject_before_bracketed_pair():
    o = one("There was a trend to higher two-year survival for drug A as compared with supportive care alone "
            "(58% vs. 37%, p=0.08).")
    assert (o.endpoint, o.value, o.comparator_value, o.p) == ("overall_survival_at_years", 58.0, 37.0, "0.08")


def test_dose_modification_and_pk_ratio():
    o = one("Dosage reduction/delay were more frequent in patients treated with drug A (74% vs. 52%, P=0.03).")
    assert (o.endpoint, o.value, o.comparator_value) == ("dose_modification_rate", 74.0, 52.0)
    o = one("Total exposure of oral drug A versus intravenous drug A was 101·5% (90% CI 95·0-108·2) on the basis "
            "of the area under the curve.")
    assert (o.endpoint, o.value) == ("pk_auc_ratio", 101.5)


def test_joined_sentences_are_read_apart():
    assert rows("The CR rate was 35% with drug A. Compared with drug B, mortality at 4 weeks was 2% with drug A "
                "versus 9% with drug B.") == [("complete_remission_rate", 35.0, None),
                                             ("early_mortality_rate", 2.0, 9.0)]


# ---- negatives ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "Patients with a response to prior azacitidine (40%) were excluded.",
    "The median age was 72 years (range, 45-90) and 58% were male.",
    "Infections at baseline were present in 12% of patients.",
    "Thirty patients (25%) had a history of infection before enrolment.",
    "Median time to AML transformation was not reached.",
    "Age was associated with survival (odds ratio 1.8; 95% CI 1.1-2.9; p=0.02).",
    "Disease progression was defined as an increase in blasts of more than 50%.",
    "Twelve (10%) and eight (7%) patients had received prior lenalidomide and thalidomide, respectively.",
    "Bone marrow blasts were 8% and 12% in the two arms.",
    "The trial required an expected response rate of 30%.",
    "An age above 70 years (hazard ratio 2.1), AML (hazard ratio 1.9) and a TP53 mutation (hazard ratio 3.3) "
    "predicted poor survival.",
    "Azacitidine was given at 75 mg/m2 for 7 days and patients enrolled from 2009 to 2015 were analysed.",
    "Progression-free survival was better with drug A (HR 0.71; 95% CI 0.52-0.97; p=0.03).",
    "The median follow-up was 24 months and the median number of cycles was 6.",
])
def test_not_outcomes(sentence):
    assert find_outcomes(sentence) == []


# Phrasings added after measuring the validation abstracts (sentences written for these tests, numbers invented).
@pytest.mark.parametrize(("sentence", "expected"), [
    ("Survival at 3 years was 44%.", [("overall_survival_at_years", 44.0)]),
    ("Median duration of haematological responses was 9.5 months.", [("median_response_duration", 9.5)]),
    ("AML developed in 18% of patients during follow-up.", [("progression_to_aml_rate", 18.0)]),
    ("The disease developed into acute myeloid leukemia in 12% of cases.", [("progression_to_aml_rate", 12.0)]),
    ("The overall improvement rate was 41%.", [("overall_response_rate", 41.0)]),
    ("Eleven patients (28%) had grade 3 or 4 treatment-related toxicities.", [("grade3plus_adverse_event_rate", 28.0)]),
    ("The treatment-related mortality rate at 2 years was 19%.", [("death_rate", 19.0)]),
])
def test_validation_phrasings(sentence, expected):
    assert [(o.endpoint, o.value) for o in find_outcomes(sentence)] == expected


def test_a_rate_per_subgroup():
    found = [(o.endpoint, o.value, o.arm) for o in find_outcomes(
        "The response rate was 60% in lower-risk MDS, 45% in higher-risk MDS and 30% in CMML.")]
    assert found == [("overall_response_rate", 60.0, "lower-risk MDS"), ("overall_response_rate", 45.0, "higher-risk MDS"),
                     ("overall_response_rate", 30.0, "CMML")]


def test_a_cue_inside_a_defining_bracket_is_not_the_endpoint():
    found = [(o.endpoint, o.value) for o in find_outcomes(
        "The overall response rate (complete remission or haematological improvement) was 48%.")]
    assert found == [("overall_response_rate", 48.0)]


# Phrasings found by reading sentences of abstracts nobody labelled (own sentences, invented numbers).
@pytest.mark.parametrize(("sentence", "expected"), [
    ("Frequent grade 3-4 events were neutropenia (n = 11, 35%) and anemia (n = 6, 19%).",
     [("grade3plus_adverse_event_rate", 35.0), ("grade3plus_adverse_event_rate", 19.0)]),
    ("Mortality in the first eight weeks was 9%.", [("early_mortality_rate", 9.0)]),
    ("Clinical responses were seen in 30 patients (52%).", [("overall_response_rate", 52.0)]),
    ("Twelve patients (40%) experienced haematological responses.", [("overall_response_rate", 40.0)]),
])
def test_unlabelled_abstract_phrasings(sentence, expected):
    assert [(o.endpoint, o.value) for o in find_outcomes(sentence)] == expected


# ---- session 5: composite responses, transplant outcomes, time points, lists of time points ----------------
# (sentences written for these tests; numbers invented)

def full(sentence: str):
    return [(o.endpoint, o.value, o.comparator_value, o.event, o.timepoint, o.unit) for o in find_outcomes(sentence)]


@pytest.mark.parametrize("sentence, expected", [
    ("Of 30 evaluable people, 37% had CR, PR, or HI, 40% had SD, and 23% had TF.",
     [("overall_response_rate", 37.0), ("stable_disease_rate", 40.0), ("no_response_rate", 23.0)]),
    ("In the second cohort, 25% had CR or PR and 50% had stable disease.",
     [("cr_plus_pr_rate", 25.0), ("stable_disease_rate", 50.0)]),
    ("The best response rate (CR plus PR) was 18.5%.", [("cr_plus_pr_rate", 18.5)]),
    ("Transfusion independence (TI) was reached by 9/30 (30%) patients.", [("transfusion_independence_rate", 30.0)]),
])
def test_composite_responses_are_one_endpoint(sentence, expected):
    assert [(e, v) for e, v, *_ in full(sentence)] == expected


def test_cr_and_pr_with_respectively_stays_a_list():
    assert rows("CR and PR rates were 14% and 9%, respectively.") == [
        ("complete_remission_rate", 14.0, None), ("partial_remission_rate", 9.0, None)]


def test_transplant_outcomes_at_follow_up():
    got = full("After a median follow-up of 400 days, overall survival was 58%, relapse incidence was 22% and "
               "non-relapse mortality was 17%.")
    assert [(e, v, ev) for e, v, _, ev, _, _ in got] == [
        ("overall_survival_at_years", 58.0, None), ("progression_rate", 22.0, None),
        ("death_rate", 17.0, "non-relapse mortality")]


def test_survival_percentage_without_time_point_is_not_read():
    assert find_outcomes("Overall survival was 58% in the whole group.") == []


def test_gvhd_rates_carry_their_event_and_grade():
    got = full("The incidence of grade III/IV acute GVHD was 14%, and that of chronic GVHD was 41%.")
    assert [(e, v, ev) for e, v, _, ev, _, _ in got] == [
        ("grade3plus_adverse_event_rate", 14.0, "acute GVHD grade III-IV"), ("adverse_event_rate", 41.0, "chronic GVHD")]


def test_three_adverse_event_rates_respectively():
    got = rows("Drug-related adverse events, grade 3-4 adverse events and serious adverse events occurred in 55%, "
               "21% and 12% of patients, respectively.")
    assert got == [("adverse_event_rate", 55.0, None), ("grade3plus_adverse_event_rate", 21.0, None),
                   ("serious_adverse_event_rate", 12.0, None)]


def test_most_common_event_categories_are_not_the_overall_rate():
    # each share is the rate of its own kind of event (session 10: read with the kind as the event), never the
    # overall adverse-event rate
    found = find_outcomes("The most frequent kinds of TEAEs were skin-related (62%) and renal (12%).")
    assert [(o.endpoint, o.value, o.event) for o in found] == [
        ("adverse_event_rate", 62.0, "skin-related adverse events"), ("adverse_event_rate", 12.0, "renal adverse events")]


def test_event_share_in_a_dose_sentence_is_not_an_adverse_event_rate():
    assert all(o.endpoint != "adverse_event_rate" for o in find_outcomes(
        "The dose was held because of renal (n = 3, 9%) or cutaneous (n = 4, 12%) TEAEs."))


def test_median_in_days_with_bracketed_interval():
    o = one("Median (95% CI) OS was 380 (300-460) days.")
    assert (o.endpoint, o.value, o.unit) == ("median_overall_survival", 380.0, "days")


def test_disease_free_survival_reads_as_event_free():
    o = one("The disease-free survival of the group was 7.5 months.")
    assert (o.endpoint, o.value, o.unit) == ("median_event_free_survival", 7.5, "months")


def test_survival_at_months_keeps_its_time_point():
    o = one("Overall survival (OS) at 9 months was 64%.")
    assert (o.endpoint, o.value, o.timepoint) == ("overall_survival_at_years", 64.0, "9 months")


@pytest.mark.parametrize("sentence, expected", [
    ("The 1-, 2- and 4-year survival rates were 81%, 62% and 35%.",
     [(81.0, None, "1 year"), (62.0, None, "2 years"), (35.0, None, "4 years")]),
    ("The 1-year, 2-year, and 3-year survival rates for the younger group were 75% (95% CI, 60% to 85%), "
     "55% (95% CI, 40% to 68%), and 47% (95% CI, 30% to 60%), and for the older group were 52% (95% CI, 40% to 64%), "
     "31% (95% CI, 20% to 43%), and 20% (95% CI, 9% to 31%).",
     [(75.0, 52.0, "1 year"), (55.0, 31.0, "2 years"), (47.0, 20.0, "3 years")]),
])
def test_survival_at_several_time_points(sentence, expected):
    got = full(sentence)
    assert [(v, c, t) for e, v, c, _, t, _ in got] == expected
    assert {e for e, *_ in got} == {"overall_survival_at_years"}


def test_single_time_point_survival_records_its_year():
    o = one("Two-year overall survival was 44% versus 29% (p = 0.03).")
    assert (o.value, o.comparator_value, o.timepoint) == (44.0, 29.0, "2 years")


def test_a_clause_with_no_value_does_not_drop_the_other_clause():
    o = one("The overall response rate was 61%; the median response duration was not reached.")
    assert (o.endpoint, o.value) == ("overall_response_rate", 61.0)


def test_share_of_cases_opening_the_clause():
    o = one("In 19.5% of the cases the disease developed into AML.")
    assert (o.endpoint, o.value) == ("progression_to_aml_rate", 19.5)


def test_dose_interruptions_and_reductions():
    got = rows("Eight patients (20%) required treatment interruptions, and 11 patients (27%) required dose reductions.")
    assert got == [("dose_modification_rate", 20.0, None), ("dose_modification_rate", 27.0, None)]


def test_breakdown_in_brackets_is_not_the_overall_rate():
    # the bracket's share is its own event's (grade 3-4 anaemia), never the overall rate
    found = find_outcomes("Overall, 48% of patients experienced hematologic side effects (20% grade 3-4 anemia).")
    got = {(o.endpoint, o.value, o.event) for o in found}
    assert got == {("adverse_event_rate", 48.0, "haematological side effects"),
                   ("grade3plus_adverse_event_rate", 20.0, "anaemia")}, found


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Toxicity was mostly haematological, with 22% grade 3-4 neutropenia and 9% grade 3-4 anaemia.",
     {("grade3plus_adverse_event_rate", 22.0, "neutropenia"), ("grade3plus_adverse_event_rate", 9.0, "anaemia")}),
    ("Grade 3 or 4 toxicities were vomiting (6%), mucositis (4%) and gastrointestinal toxicity (3%).",
     {("grade3plus_adverse_event_rate", 6.0, "vomiting"), ("grade3plus_adverse_event_rate", 4.0, "mucositis"),
      ("grade3plus_adverse_event_rate", 3.0, "gastrointestinal toxicity")}),
])
def test_grade_3_4_events_in_other_wordings(sentence, expected):
    assert {(o.endpoint, o.value, o.event) for o in find_outcomes(sentence)} == expected


def test_a_bracket_explaining_what_counts_as_response_does_not_hide_the_rate():
    found = find_outcomes("The response rate (i.e. complete remission, partial remission or haematological "
                          "improvement) was 41% among the 60 treated patients.")
    assert [(o.endpoint, o.value) for o in found] == [("overall_response_rate", 41.0)]
    sentence = "Complete remission was seen in nine patients (CR, 21%) and partial remission in four (PR, 9%)."
    assert {(o.endpoint, o.value) for o in find_outcomes(sentence)} == {("complete_remission_rate", 21.0),
                                                                         ("partial_remission_rate", 9.0)}


def test_reported_in_a_result_sentence_is_a_result_but_literature_is_not():
    assert rows("Serious adverse events were reported in 14% of patients.") == [("serious_adverse_event_rate", 14.0, None)]
    assert find_outcomes("Serious adverse events have been reported in 14% of patients in earlier series.") == []

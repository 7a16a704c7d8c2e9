"""Outcome reporting patterns added in session 11 (etl/nlp/outcomes.py), each with sentences it must read and trap
sentences it must not.

* a response in one lineage is haematological improvement: "erythroid response", "major erythroid response",
  "platelet responses";
* deaths over a short window from the start are the early mortality: "died within 8 weeks", "Within 30 days of
  starting, 5% died", "Six-week mortality", "early death within 4 weeks";
* transfusion independence written as a change: "became transfusion independent", "became independent of red
  cell transfusions", "remained transfusion independent";
* time to response and response duration written as verbs: "began after a median of", "..., after a median of",
  "lasted a median of", "median time to platelet response";
* an approximate or background share ("roughly 40%", "earlier series reported ...") is not a result.

Every sentence is written for these tests (invented figures); none is copied from an abstract.
"""

from __future__ import annotations

import pytest

from etl.nlp.outcomes import find_outcomes


def read(sentence: str) -> list[tuple[str, float]]:
    return [(m.endpoint, m.value) for m in find_outcomes(sentence)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("An erythroid response was seen in 41% of treated patients.", ("hematologic_improvement_rate", 41.0)),
    ("Major erythroid response was reached by 23.5% of patients on the drug.", ("hematologic_improvement_rate", 23.5)),
    ("Platelet responses occurred in 19 of 50 patients (38%).", ("hematologic_improvement_rate", 38.0)),
    ("In all, 70 patients (35%) achieved a neutrophil response.", ("hematologic_improvement_rate", 35.0)),
])
def test_lineage_responses_are_haematological_improvement(sentence, expected):
    assert expected in read(sentence)


@pytest.mark.parametrize("sentence", [
    "Erythroid response criteria followed the IWG 2006 definitions in 100% of cases.",
    "Erythroid responses were reported in roughly 45% of patients in earlier series.",
])
def test_lineage_response_traps(sentence):
    assert not [r for r in read(sentence) if r[0] == "hematologic_improvement_rate"]


@pytest.mark.parametrize(("sentence", "value"), [
    ("Rash (12%) was the main toxicity, and 4 patients (5%) died within 6 weeks of the first dose.", 5.0),
    ("Within 30 days of starting treatment, 6% of patients died.", 6.0),
    ("Six-week mortality was 7.5% with the drug and 9.0% with supportive care.", 7.5),
    ("Early death within 4 weeks occurred in 8% of the cohort.", 8.0),
])
def test_deaths_within_a_short_window_are_early_mortality(sentence, value):
    found = read(sentence)
    assert ("early_mortality_rate", value) in found
    assert not [r for r in found if r[0] == "death_rate"]


@pytest.mark.parametrize("sentence", [
    "By the last follow-up, 40 patients (52%) had died.",
    "In all, 12 patients (15%) died within 2 years of the transplant.",
])
def test_deaths_without_a_short_window_stay_death_rate(sentence):
    found = read(sentence)
    assert not [r for r in found if r[0] == "early_mortality_rate"], found


@pytest.mark.parametrize(("sentence", "value"), [
    ("Forty patients (42%) became independent of red cell transfusions for at least 12 weeks.", 42.0),
    ("Of the dependent patients, 9 (27%) became transfusion independent for 8 weeks or longer.", 27.0),
    ("Twenty patients (33%) remained transfusion independent for a year.", 33.0),
])
def test_transfusion_independence_as_a_change(sentence, value):
    assert ("transfusion_independence_rate", value) in read(sentence)


@pytest.mark.parametrize("sentence", [
    "At entry, 70% of patients were transfusion dependent and 30% were transfusion independent.",
    "Patients who had been transfusion independent for 8 weeks before entry (20%) were excluded.",
])
def test_transfusion_independence_baseline_traps(sentence):
    assert not [r for r in read(sentence) if r[0] == "transfusion_independence_rate"]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Transfusion independence began after a median of 6.5 weeks and lasted a median of 14.0 months.",
     [("median_time_to_response", 6.5), ("median_response_duration", 14.0)]),
    ("In all, 90 patients (40%) achieved an erythroid response, after a median of 7 weeks.",
     [("hematologic_improvement_rate", 40.0), ("median_time_to_response", 7.0)]),
    ("Responses lasted a median of 9.4 months.", [("median_response_duration", 9.4)]),
    ("The median time to platelet response was 3 weeks.", [("median_time_to_response", 3.0)]),
    ("The median time to complete remission was 2.5 months.", [("median_time_to_response", 2.5)]),
])
def test_time_to_response_and_duration_as_verbs(sentence, expected):
    found = read(sentence)
    for item in expected:
        assert item in found, found


@pytest.mark.parametrize("sentence", [
    "Treatment lasted a median of 6 months.",
    "Patients were treated for a median of 6 cycles, after a median of 20 months from diagnosis.",
    "The drug was stopped in 10 patients, after a median of 4 months.",
])
def test_exposure_and_follow_up_traps(sentence):
    found = read(sentence)
    assert not [r for r in found if r[0] in ("median_time_to_response", "median_response_duration")], found


# ---- remissions, pairs and hazard ratios ---------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "expected", "not_expected"), [
    # a count right after "in", its share in brackets: each item keeps its own value
    ("Responses included marrow CR in 8 patients (20%) and CR in 3 (7.5%).",
     [("marrow_cr_rate", 20.0), ("complete_remission_rate", 7.5)], [("complete_remission_rate", 20.0)]),
    ("Responses included CR in 5 patients (10%) and PR in 7 (14%).",
     [("complete_remission_rate", 10.0), ("partial_remission_rate", 14.0)], [("partial_remission_rate", 10.0)]),
    # "complete plus partial" is one endpoint
    ("The rate of complete plus partial remission was 41% (13 of 32).", [("cr_plus_pr_rate", 41.0)],
     [("partial_remission_rate", 41.0)]),
    # an elliptical pair: each of the two its own value
    ("Complete and partial remission rates were 25% and 9%, respectively.",
     [("complete_remission_rate", 25.0), ("partial_remission_rate", 9.0)], [("partial_remission_rate", 25.0)]),
])
def test_remission_items(sentence, expected, not_expected):
    found = read(sentence)
    for item in expected:
        assert item in found, found
    for item in not_expected:
        assert item not in found, found


def test_one_share_for_complete_and_partial_together_is_neither():
    assert read("Complete and partial remissions were seen in 35% of patients.") == []


def test_no_difference_keeps_the_two_medians():
    found = find_outcomes("Median overall survival did not differ significantly (3.1 vs 2.8 years; HR 0.90; "
                          "95% CI, 0.60-1.35).")
    assert [(m.endpoint, m.value, m.comparator_value, m.unit) for m in found] == [
        ("median_overall_survival", 3.1, 2.8, "years")]


def test_hazard_ratio_of_another_event_is_not_an_overall_survival_hr():
    found = read("Prior therapy was linked neither with survival (HR 1.02; 95% CI 0.8-1.3) nor with relapse "
                 "(HR 1.20; 95% CI 0.9-1.6).")
    assert ("overall_survival_hazard_ratio", 1.02) in found
    assert ("overall_survival_hazard_ratio", 1.2) not in found


# ---- adverse events: grade scope and named events ------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Grade 3 or higher non-haematological toxicity was seen in 18% of patients.",
     [("grade3plus_adverse_event_rate", 18.0)]),
    ("Grade 3-4 events included neutropenia (25%), thrombocytopenia (12%), and anaemia (8%).",
     [("grade3plus_adverse_event_rate", 25.0), ("grade3plus_adverse_event_rate", 12.0),
      ("grade3plus_adverse_event_rate", 8.0)]),
    ("Grade 3 or higher neutropenia occurred in 33%, and thrombocytopenia in 21%.",
     [("grade3plus_adverse_event_rate", 33.0), ("grade3plus_adverse_event_rate", 21.0)]),
    ("Grade 3-4 adverse events occurred in 40% and 35%; the most frequent were hypertension (7% vs 2%) and "
     "fatigue (5% vs 1%).", [("grade3plus_adverse_event_rate", 7.0), ("grade3plus_adverse_event_rate", 5.0)]),
    # a later clause with its own subject and verb is out of the grade's reach
    ("Grade 3-4 adverse events were reported in 30% vs 20%, and transaminase rises occurred in 9% of patients.",
     [("adverse_event_rate", 9.0)]),
    ("The drug caused more grade 3-4 neutropenia (48% vs 30%), and 3 patients had a venous thromboembolism (5%).",
     [("grade3plus_adverse_event_rate", 48.0), ("adverse_event_rate", 5.0)]),
    ("Thrombosis occurred in 3% of patients despite prophylaxis.", [("adverse_event_rate", 3.0)]),
    ("Differentiation syndrome occurred in 2 patients (6%).", [("adverse_event_rate", 6.0)]),
])
def test_adverse_event_grades_and_names(sentence, expected):
    found = read(sentence)
    for item in expected:
        assert item in found, found
    graded_wrongly = [f for f in found if f[0] == "grade3plus_adverse_event_rate" and
                      ("adverse_event_rate", f[1]) in expected]
    assert not graded_wrongly, found


@pytest.mark.parametrize("sentence", [
    "Patients with a history of thrombosis (12%) were excluded.",
    "At baseline, 30% of patients had hypertension.",
])
def test_named_event_baseline_traps(sentence):
    assert read(sentence) == []


# ---- a lineage response as the abstract's only response -------------------------------------------------------


def _outcome(endpoint: str, text: str):
    from mdskg.records import Evidence, ExtractedOutcome

    return ExtractedOutcome(endpoint=endpoint, value=40.0, unit="%", arm=None, comparator_value=None, n=None, p=None,
                            hr=None, ci=None, text=text, evidence=Evidence("PMID:1", text, 0, len(text), "rules"))


def test_bare_response_rates_in_an_erythroid_response_abstract_are_haematological_improvement():
    from etl.nlp.outcomes import lineage_responses

    abstract = ("We gave an ESA to 200 patients. An erythroid response was seen in 40%. Response rates were 40% with "
                "one agent and 38% with the other.")
    out = lineage_responses([_outcome("overall_response_rate", "Response rates were 40%")], abstract)
    assert [o.endpoint for o in out] == ["hematologic_improvement_rate"]


@pytest.mark.parametrize("abstract", [
    # the abstract also names an overall response or remissions: a bare response rate stays the overall response
    "An erythroid response was seen in 30%, and the overall response rate was 40%. Response rates were 40%.",
    "Complete remission was reached by 10%, and an erythroid response by 30%. Response rates were 40%.",
    # no lineage response at all
    "Response rates were 40% with the drug.",
])
def test_bare_response_rates_stay_overall_response_otherwise(abstract):
    from etl.nlp.outcomes import lineage_responses

    out = lineage_responses([_outcome("overall_response_rate", "Response rates were 40%")], abstract)
    assert [o.endpoint for o in out] == ["overall_response_rate"]


# ---- lists after a colon, square brackets, criteria years, durations of independence, survival at a year ----------


def test_colon_list_of_named_shares():
    found = read("The response rate by IWG 2006 criteria was 52% (26/50): complete remission, 14%; marrow CR, 24%; "
                 "haematological improvement alone, 14%.")
    for item in [("overall_response_rate", 52.0), ("complete_remission_rate", 14.0), ("marrow_cr_rate", 24.0),
                 ("hematologic_improvement_rate", 14.0)]:
        assert item in found, found


def test_colon_list_of_lineages_after_haematological_improvement():
    found = find_outcomes("Haematological improvement occurred in 20 of 60 patients (33%): erythroid, 25%; "
                          "platelet, 12%; neutrophil, 10%.")
    assert {(m.endpoint, m.value, m.event) for m in found} >= {
        ("hematologic_improvement_rate", 25.0, "erythroid"), ("hematologic_improvement_rate", 12.0, "platelet"),
        ("hematologic_improvement_rate", 10.0, "neutrophil")}


@pytest.mark.parametrize("sentence", [
    "Baseline features: male, 60%; prior ESA, 45%.",
    "Karyotype: normal, 40%; complex, 20%.",
    "Lineages at baseline: erythroid, 80%; platelet, 30%.",  # lineages without a haematological improvement head
])
def test_colon_list_traps(sentence):
    assert read(sentence) == []


def test_shares_in_square_brackets_outside_round_ones():
    found = read("Only 2 patients (5%) responded; 12 patients [30%] had stable disease.")
    assert ("stable_disease_rate", 30.0) in found


def test_square_brackets_inside_round_ones_are_left_as_they_are():
    # the count-and-share form inside a bracket keeps its own reading (no doubled or shifted value)
    found = read("Grade 3-4 events were neutropenia (12 [30%]) and anaemia (8 [20%]).")
    assert ("grade3plus_adverse_event_rate", 12.0) not in found
    assert ("grade3plus_adverse_event_rate", 8.0) not in found


def test_year_of_response_criteria_is_not_a_value():
    assert ("overall_response_rate", 47.0) in read("The overall response rate by IWG 2006 criteria was 47%.")


@pytest.mark.parametrize(("sentence", "value", "comparator"), [
    ("RBC-TI for 16 weeks or longer was reached by 33% versus 20%.", 33.0, 20.0),
    ("Transfusion independence for at least 8 weeks occurred in 25% and 12%, respectively.", 25.0, 12.0),
    ("Transfusion independence lasting at least 12 weeks was achieved by 30% of patients.", 30.0, None),
])
def test_transfusion_independence_with_its_duration(sentence, value, comparator):
    found = find_outcomes(sentence)
    assert [(m.endpoint, m.value, m.comparator_value) for m in found] == [
        ("transfusion_independence_rate", value, comparator)]


def test_transfusion_independence_as_a_requirement_is_not_a_result():
    assert read("Transfusion independence was required for at least 8 weeks in 100% of enrolled patients.") == []


@pytest.mark.parametrize(("sentence", "value", "timepoint"), [
    ("Median survival was 7.0 months, and 12 patients (20%) were alive at one year.", 20.0, "1 year"),
    ("In all, 38% of patients remained alive at 3 years.", 38.0, "3 years"),
])
def test_alive_at_a_time_point(sentence, value, timepoint):
    found = [(m.endpoint, m.value, m.timepoint) for m in find_outcomes(sentence)]
    assert ("overall_survival_at_years", value, timepoint) in found


def test_alive_at_trap():
    assert read("At baseline, 20 patients (30%) were alive at one year after a prior cancer.") == []


# ---- events graded after their name, events compared between arms, dose changes written as verbs -------------------


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Febrile neutropenia of grade 3 or worse occurred in 30% and 18% of patients.",
     ("grade3plus_adverse_event_rate", 30.0, 18.0)),
    ("Hypertension of grade 3 or higher developed in 5% of patients.", ("grade3plus_adverse_event_rate", 5.0, None)),
    ("Immune-related adverse events of grade 3 or higher, including hepatitis and rash, occurred in 4 patients (15%).",
     ("grade3plus_adverse_event_rate", 15.0, None)),
    ("Clinically significant bleeding was less frequent with the drug (10% vs 30%).",
     ("adverse_event_rate", 10.0, 30.0)),
    ("Renal adverse events, mostly creatinine rises, were more common with the chelator (20% vs 8%).",
     ("adverse_event_rate", 20.0, 8.0)),
    ("Grade 3-4 neutropenia was more frequent with the pairing (50% vs 33%).",
     ("grade3plus_adverse_event_rate", 50.0, 33.0)),
    ("Anaemia was similar in the two arms (12% vs 11%), whereas infections were similar too (20% vs 19%).",
     ("infection_rate", 20.0, 19.0)),
])
def test_event_rates_graded_after_or_compared(sentence, expected):
    found = [(m.endpoint, m.value, m.comparator_value) for m in find_outcomes(sentence)]
    assert expected in found, found


@pytest.mark.parametrize("sentence", [
    "A history of bleeding was more common in older patients (30% vs 10%).",
    "Neutropenia at baseline was more common in the older group (40% vs 20%).",
])
def test_compared_event_baseline_traps(sentence):
    assert read(sentence) == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Treatment was interrupted or the dose reduced in 55% of those on the chelator.",
     ("dose_modification_rate", 55.0, None)),
    ("Cycles were delayed or doses reduced in 20% vs 31% of patients.", ("dose_modification_rate", 20.0, 31.0)),
])
def test_dose_changes_as_verbs(sentence, expected):
    found = [(m.endpoint, m.value, m.comparator_value) for m in find_outcomes(sentence)]
    assert expected in found, found


@pytest.mark.parametrize("sentence", [
    "The dose was reduced to 50% of the starting dose in patients with renal impairment.",
    "Doses were reduced by 25% after a grade 3 toxicity.",
])
def test_dose_level_traps(sentence):
    assert read(sentence) == []


# ---- responses written as comparisons, counts of responders, explanations between commas --------------------------


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Drug A produced more responses than drug B (52% vs 30%, P = .02).", ("overall_response_rate", 52.0, 30.0)),
    ("The pairing gave fewer complete remissions than the single agent (8% vs 15%).",
     ("complete_remission_rate", 8.0, 15.0)),
    ("Only 7 patients responded (14%).", ("overall_response_rate", 14.0, None)),
    ("Responses were seen in 4 of the 12 JAK2-mutated patients (33%).", ("overall_response_rate", 33.0, None)),
    ("An overall response, including marrow CR and haematological improvement, occurred in 20 patients (65%).",
     ("overall_response_rate", 65.0, None)),
])
def test_response_phrasings(sentence, expected):
    found = [(m.endpoint, m.value, m.comparator_value) for m in find_outcomes(sentence)]
    assert expected in found, found


def test_explained_response_does_not_give_its_parts_the_value():
    found = read("An overall response, including marrow CR and haematological improvement, occurred in 20 patients "
                 "(65%).")
    assert found == [("overall_response_rate", 65.0)]


@pytest.mark.parametrize("sentence", [
    "Previously, 9 patients responded (12%) to other drugs.",
    "The trial assumed more responses than with the control (40% vs 20%) in its design.",
])
def test_response_phrasing_traps(sentence):
    assert read(sentence) == []


# ---- hazard ratios of prognostic factors next to elliptical denials and response words -----------------------------


def test_factor_hazard_ratios_survive_an_elliptical_denial_in_another_clause():
    found = read("In multivariable analysis, marrow fibrosis (HR 1.80, 95% CI 1.20-2.70, P = .004) and poor "
                 "performance status (HR 1.40, 95% CI 1.02-1.92, P = .04) were linked to shorter survival, whereas age "
                 "and sex were not (P = .30 and P = .55, respectively).")
    assert ("overall_survival_hazard_ratio", 1.8) in found
    assert ("overall_survival_hazard_ratio", 1.4) in found


def test_survival_hazard_ratio_with_response_named_later():
    found = read("SRSF2 mutations predicted shorter survival (HR 1.45; 95% CI 1.10-1.91), and no mutation was linked "
                 "with response.")
    assert found == [("overall_survival_hazard_ratio", 1.45)]


@pytest.mark.parametrize("sentence", [
    "Survival did not differ, but the response was lower (HR 0.6; 95% CI 0.4-0.9).",
    "The response rate was 40%, but it was not evaluable in 10% of patients.",
])
def test_hazard_ratio_of_response_and_denied_clause_traps(sentence):
    found = read(sentence)
    assert not [f for f in found if f[0] == "overall_survival_hazard_ratio"], found
    assert ("overall_response_rate", 10.0) not in found


# ---- denials that reach only their own clause, open interval ends, deaths with the share after the window ---------


def test_open_upper_end_of_an_interval_is_not_a_denial():
    assert read("Median overall survival was 28.4 months (95% CI, 17.0 to not estimable).") == [
        ("median_overall_survival", 28.4)]


def test_not_reached_in_a_later_and_clause_drops_only_that_clause():
    found = read("Median time to CR was 2.4 months, and the median duration of CR was not reached.")
    assert found == [("median_time_to_response", 2.4)]


@pytest.mark.parametrize("sentence", [
    "Median overall survival was not reached (95% CI, 20.3 to not estimable).",
    "The response rate was not evaluable; survival was 12 months.",
])
def test_denials_still_drop_their_own_values(sentence):
    assert read(sentence) == []


def test_deaths_with_the_share_after_the_window():
    found = read("Neutropenia was the commonest grade 3 event (40%); three patients died within 6 weeks (4%).")
    assert ("early_mortality_rate", 4.0) in found


@pytest.mark.parametrize(("sentence", "value"), [
    ("Adverse events led to discontinuation in 7%.", 7.0),
    ("Toxicity led to treatment withdrawal in 4 patients (10%).", 10.0),
])
def test_stopping_for_adverse_events_is_a_dose_modification(sentence, value):
    assert ("dose_modification_rate", value) in read(sentence)


def test_stopping_for_adverse_events_in_earlier_trials_is_background():
    assert read("Adverse events led to discontinuation in at most 5% in earlier trials.") == []


@pytest.mark.parametrize("sentence", [
    "At week 12, 8% of patients (4 of 50) had an erythroid response.",
    "In all, 8% of patients (4/50) achieved a complete remission.",
])
def test_share_with_count_in_brackets_before_the_endpoint(sentence):
    found = find_outcomes(sentence)
    assert [(m.value, m.n) for m in found] == [(8.0, 50)]


def test_share_with_count_in_brackets_of_a_history_is_not_a_result():
    assert read("Of these, 30% of patients (12 of 40) had a history of infection.") == []


@pytest.mark.parametrize("sentence", [
    "Progression to AML occurred in 22% of patients after a median of 11.5 months.",
    "In all, 22% of patients progressed to AML after a median of 11.5 months.",
])
def test_time_to_aml_after_the_progression_share(sentence):
    found = read(sentence)
    assert ("progression_to_aml_rate", 22.0) in found and ("median_time_to_aml", 11.5) in found


def test_follow_up_after_the_progression_share_is_not_a_time_to_aml():
    found = read("Progression to AML occurred in 20% after a median follow-up of 30 months.")
    assert not [f for f in found if f[0] == "median_time_to_aml"]

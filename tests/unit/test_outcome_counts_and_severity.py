"""More ways abstracts report results, read by etl/nlp/outcomes.py (session 10, helper E3).

Families, each written for the general way authors put results, with near-misses that must not be read:
a share printed with the count it was computed from, per group ("CR was achieved in 6 of 20 patients with MDS (30%)
and in 5 of 25 with CMML (20%)") or for a subgroup after "including"; an adverse event's rate with, in its own
bracket, the share in which it was severe; rates at a time point in months ("the 18-month survival rate"); two
survivals sharing one head noun ("median overall and leukaemia-free survival were A and B months, respectively");
deaths counted with their share; a share followed by its count in a bracket ("21% (n = 7) of patients achieving");
"in k patients (v%) we observed"; "v% of those with X achieved"; adverse events under a "drug-related events" head;
and a background clause that drops only its own numbers.

Every sentence is written for these tests (own words, invented numbers); none comes from a real record.
"""

from __future__ import annotations

import pytest

from etl.nlp.outcomes import find_outcomes


def rows(sentence: str) -> list[tuple]:
    return [(o.endpoint, o.value, o.arm) for o in find_outcomes(sentence)]


def values(sentence: str) -> list[tuple]:
    return [(o.endpoint, o.value) for o in find_outcomes(sentence)]


def events(sentence: str) -> list[tuple]:
    return [(o.endpoint, o.value, o.event) for o in find_outcomes(sentence)]


# ---- a share with its count, per group -----------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "expected"), [
    ("A CR was achieved in 9 of 30 patients with MDS (30%) and in four of 20 with CMML (20%).",
     [("complete_remission_rate", 30.0, "MDS"), ("complete_remission_rate", 20.0, "CMML")]),
    ("Complete remissions were observed in 12 of 40 patients with untreated disease (30%).",
     [("complete_remission_rate", 30.0, "untreated disease")]),
    ("Responses were seen in 11 of 25 (44%) patients with CMML-1, and in 3 of 15 (20%) patients with CMML-2.",
     [("overall_response_rate", 44.0, "CMML-1"), ("overall_response_rate", 20.0, "CMML-2")]),
    ("Transfusion independence was attained in eighteen of 45 patients (40%).",
     [("transfusion_independence_rate", 40.0, None)]),
])
def test_share_with_its_count_per_group(sentence, expected):
    assert rows(sentence) == expected


def test_the_count_is_kept_as_the_denominator():
    got = find_outcomes("A CR was achieved in 9 of 30 patients with MDS (30%) and in four of 20 with CMML (20%).")
    assert [o.n for o in got] == [30, 20]


@pytest.mark.parametrize("sentence", [
    # the share does not agree with its count: something else is counted (a baseline share, a typo)
    "A CR was achieved in 9 of 30 patients with MDS (45%) and in four of 20 with CMML (60%).",
    # a dose and an age near the same words are not shares
    "A CR was achieved in 9 of 30 patients given 75 mg/m2 for 7 days.",
    # several groups where one names no group: which share is whose is unclear
    "A CR was achieved in 9 of 30 patients (30%) and in 4 of 20 (20%).",
])
def test_share_with_its_count_near_misses(sentence):
    assert [r for r in rows(sentence) if r[0] == "complete_remission_rate" and r[1] in (45.0, 60.0, 75.0, 20.0)] == []


def test_subgroup_share_after_including():
    assert rows("Twenty patients (40%) had a haematological response, including 9 of 12 (75%) patients with CMML.") == [
        ("overall_response_rate", 40.0, None), ("overall_response_rate", 75.0, "CMML")]
    assert rows("Twenty patients (40%) had a haematological response, including 9 of 12 patients with CMML (75%).") == [
        ("overall_response_rate", 40.0, None), ("overall_response_rate", 75.0, "CMML")]


def test_subgroup_share_after_including_near_misses():
    # "including" without a group is a break-down by another endpoint (read as that endpoint), not a subgroup
    assert rows("Twenty patients (40%) had a haematological response, including 5 of 50 (10%) complete "
                "remissions.") == [("overall_response_rate", 40.0, None), ("complete_remission_rate", 10.0, None)]
    # a share that disagrees with its count
    assert rows("Twenty patients (40%) had a haematological response, including 9 of 12 (30%) patients with "
                "CMML.") == [("overall_response_rate", 40.0, None)]


# ---- an adverse event and its severe share -------------------------------------------------------------------------

def test_event_rate_with_severe_share_in_brackets():
    assert events("Stomatitis occurred in 55% of patients (severe in 12%) and diarrhoea in 30% (severe in 8%).") == [
        ("adverse_event_rate", 55.0, "stomatitis"), ("grade3plus_adverse_event_rate", 12.0, "stomatitis"),
        ("adverse_event_rate", 30.0, "diarrhoea"), ("grade3plus_adverse_event_rate", 8.0, "diarrhoea")]


def test_a_grade_inside_one_events_bracket_does_not_grade_the_next_events():
    got = events("Non-haematological side effects were mucositis in 60% of patients (severe [grade 3-4] 20%), "
                 "diarrhea in 35% (severe 10%), and nausea and vomiting in 25% (severe 4%).")
    assert sorted(got) == sorted([
        ("adverse_event_rate", 60.0, "mucositis"), ("grade3plus_adverse_event_rate", 20.0, "mucositis"),
        ("adverse_event_rate", 35.0, "diarrhoea"), ("grade3plus_adverse_event_rate", 10.0, "diarrhoea"),
        ("adverse_event_rate", 25.0, "nausea and vomiting"),
        ("grade3plus_adverse_event_rate", 4.0, "nausea and vomiting")])


def test_severe_share_after_a_semicolon_in_one_bracket():
    assert events("Fatigue was frequent and mucositis (40%; grade 3-4, 9%) was the main toxicity.") == [
        ("adverse_event_rate", 40.0, "mucositis"), ("grade3plus_adverse_event_rate", 9.0, "mucositis")]


@pytest.mark.parametrize("sentence", [
    # the bracket's share is larger than the whole: not a severe part of it
    "Mucositis occurred in 20% of patients (severe in 45%).",
    # a baseline feature with its severe share
    "At baseline, bleeding was present in 30% of patients (severe in 5%).",
    "Before treatment, bleeding in 30% of patients (severe in 5%) was recorded.",
    # denied
    "No mucositis in 20% of patients (severe in 5%) was expected.",
])
def test_severe_share_near_misses(sentence):
    assert [e for e in events(sentence) if e[0] == "grade3plus_adverse_event_rate"] == []


def test_febrile_episodes_are_an_event():
    assert events("Febrile episodes occurred in 70% of patients.") == [("adverse_event_rate", 70.0, "febrile episodes")]
    assert events("Febrile episodes during neutropenia occurred in 70% of patients.") == [
        ("adverse_event_rate", 70.0, "febrile neutropenia")]


def test_events_under_a_drug_related_events_head():
    got = events("Treatment-related events included rash in seven patients (25.0%), hepatitis in 3 patients (10.7%) "
                 "and differentiation syndrome (DS) in two patients (7.1%), including one fatal DS.")
    assert got == [("adverse_event_rate", 25.0, "rash"), ("adverse_event_rate", 10.7, "hepatitis"),
                   ("adverse_event_rate", 7.1, "differentiation syndrome")]


def test_events_head_near_misses():
    # bare "events" (no adverse, related or emergent) is not a head: "events" may be anything counted
    assert events("Events included relapse in seven patients (25.0%) and death in 3 patients (10.7%).") == []
    # denied
    assert events("No treatment-related events included rash in seven patients (25.0%).") == []


# ---- survival at a time point in months ----------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "value", "timepoint"), [
    ("With a median follow-up of 14 months, the 12-month survival rate was 45%.", 45.0, "12 months"),
    ("The 18 month overall survival was 52%.", 52.0, "18 months"),
    ("The 6-month OS probability was 81%.", 81.0, "6 months"),
])
def test_survival_rate_at_months(sentence, value, timepoint):
    got = [o for o in find_outcomes(sentence) if o.endpoint == "overall_survival_at_years"]
    assert [(o.value, o.timepoint) for o in got] == [(value, timepoint)]


@pytest.mark.parametrize("sentence", [
    "The 12-month survival rate was not reached.",
    "A 12-month survival rate of 40% was expected under the null hypothesis.",
    "Patients alive at 12 months (45%) were censored.",
])
def test_survival_rate_at_months_near_misses(sentence):
    assert [o for o in find_outcomes(sentence) if o.endpoint == "overall_survival_at_years"] == []


# ---- two survivals sharing one head noun ---------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "expected"), [
    ("Median overall and leukaemia-free survival were 20.5 and 14.1 months, respectively.",
     [("median_overall_survival", 20.5), ("median_event_free_survival", 14.1)]),
    ("Median overall and progression-free survival were 18 (12-24) and 9 (6-13) months, respectively.",
     [("median_overall_survival", 18.0), ("median_progression_free_survival", 9.0)]),
    ("Median event-free and overall survival times were 11.2 months and 17.9 months, respectively.",
     [("median_event_free_survival", 11.2), ("median_overall_survival", 17.9)]),
])
def test_two_survivals_sharing_a_head(sentence, expected):
    assert values(sentence) == expected


@pytest.mark.parametrize("sentence", [
    # no "respectively": which number is which is not said
    "Median overall and leukaemia-free survival were 20.5 and 14.1 months.",
    # different units in one pair
    "Median overall and leukaemia-free survival were 20.5 months and 14.1 weeks, respectively.",
])
def test_two_survivals_near_misses(sentence):
    assert values(sentence) == []


# ---- deaths counted with their share -------------------------------------------------------------------------------

def test_deaths_counted_with_their_share():
    assert events("Myelosuppression was the main toxicity, leading to four toxic deaths (12%).") == [
        ("death_rate", 12.0, "toxic death")]
    assert events("There were 3 treatment-related deaths (6%).") == [("death_rate", 6.0, "treatment-related death")]


@pytest.mark.parametrize("sentence", [
    # the share of the deaths that had one cause, not of the patients
    "Of the 40 deaths, 12 deaths (30%) were due to infection.",
    "Twelve deaths (30%) were due to infection.",
    # deaths counted without a share
    "Four toxic deaths (n = 4) occurred.",
    "No toxic deaths (0%) were seen.",
])
def test_deaths_near_misses(sentence):
    assert [e for e in events(sentence) if e[0] == "death_rate"] == []


# ---- a share with its count in a bracket, "in k patients (v%)", "v% of those with X" -------------------------------

@pytest.mark.parametrize(("sentence", "expected"), [
    ("The overall response rate was 60%, with 18% (n = 9) of patients achieving a complete remission.",
     [("overall_response_rate", 60.0, None), ("complete_remission_rate", 18.0, None)]),
    ("In 14 patients (35%) we observed a response.", [("overall_response_rate", 35.0, None)]),
    ("Among treated patients, 75% of those with untreated AML achieved complete remission after induction.",
     [("complete_remission_rate", 75.0, "untreated AML")]),
])
def test_share_forms(sentence, expected):
    assert rows(sentence) == expected


@pytest.mark.parametrize("sentence", [
    # a baseline share with its count: no endpoint
    "Most patients (70% [n = 21]) had low-risk disease.",
    # a prior response is history, not a result
    "In 14 patients (35%) with a prior response we observed a relapse.",
    # the share of those with a feature that had the feature: not an endpoint
    "Overall, 40% of those with TP53 mutations had a complex karyotype.",
])
def test_share_forms_near_misses(sentence):
    assert rows(sentence) == []


# ---- a background clause drops only its own numbers ----------------------------------------------------------------

def test_background_clause_keeps_the_results_before_it():
    assert values("Median overall survival was 22 months, and toxicity matched what was previously "
                  "reported for the drug.") == [("median_overall_survival", 22.0)]


def test_background_clause_drops_its_own_numbers():
    assert values("The response rate was 40%, as previously reported in other series.") == []
    assert values("In previous studies the response rate was 40%, whereas the response rate in this cohort was "
                  "55%.") == [("overall_response_rate", 55.0)]


# ---- a survival compared in words, its two times in the bracket after ---------------------------------------------

@pytest.mark.parametrize(("sentence", "arm"), [
    ("Patients who reached CR had a better outcome than the others in terms of OS (21.5 months (95% CI: 14.0-NR) "
     "vs. 5.1 (95% CI: 2.0-NR), p = 0.02).", "patients who reached CR"),
    ("Patients who reached CR had longer OS than those who did not (21.5 vs 5.1 months, p = 0.02).",
     "patients who reached CR"),
    ("Overall survival was longer in responders than in non-responders (21.5 months vs. 5.1 months; p = 0.02).",
     "responders"),
])
def test_survival_compared_in_words_then_bracketed_times(sentence, arm):
    got = [(o.endpoint, o.value, o.unit, o.arm, o.comparator_value, o.p) for o in find_outcomes(sentence)]
    assert got == [("median_overall_survival", 21.5, "months", arm, 5.1, "0.02")]


@pytest.mark.parametrize("sentence", [
    # ages and follow-up compared in brackets are not survivals
    "Patients were older in the azacitidine group than in the decitabine group (71 vs 65 years).",
    "Survival was assessed with a longer follow-up in the first cohort (30 vs 12 months).",
    # no comparison in words: the bracket may be anything (a range, two time points)
    "Overall survival was recorded at two visits (6 vs 12 months).",
    # denied
    "Overall survival was not longer in responders (21.5 vs 18.2 months).",
    # mixed units
    "Overall survival was longer in responders (21.5 months vs 18.2 weeks).",
])
def test_survival_compared_in_words_near_misses(sentence):
    assert [o for o in find_outcomes(sentence) if o.endpoint.startswith("median_")] == []


# ---- more ways of writing the same families --------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "expected"), [
    # k/n instead of "k of n"
    ("A CR was achieved in 9/30 patients with MDS (30%) and in 4/20 with CMML (20%).",
     [("complete_remission_rate", 30.0, "MDS"), ("complete_remission_rate", 20.0, "CMML")]),
    # "occurred in"
    ("Complete remission occurred in 9 of 30 patients with MDS (30%).", [("complete_remission_rate", 30.0, "MDS")]),
    # the subgroup after the value's own bracket, and after a value read with its count
    ("The response rate was 30% (12/40), including 6 of 10 (60%) with CMML.",
     [("overall_response_rate", 30.0, None), ("overall_response_rate", 60.0, "CMML")]),
    ("Responses occurred in 12 of 40 patients (30%), including 6 of 10 (60%) with CMML.",
     [("overall_response_rate", 30.0, None), ("overall_response_rate", 60.0, "CMML")]),
])
def test_count_share_variants(sentence, expected):
    assert rows(sentence) == expected


def test_any_grade_bracket_before_the_rate():
    assert events("Mucositis (any grade) occurred in 60% of patients (grade 3 or 4 in 15%).") == [
        ("adverse_event_rate", 60.0, "mucositis"), ("grade3plus_adverse_event_rate", 15.0, "mucositis")]

"""Outcome families (issue 15, Deliver 3), session 11 helper R2: an ungraded event before a graded one in the same
sentence, events "reported by N%", more event names, and a bracketed list of named shares after a response rate.
Every sentence is written here (none is copied from a probe file or a real abstract)."""

import pytest

from etl.nlp.outcomes import find_outcomes


def got(sentence):
    return sorted((o.endpoint, o.value, o.event) for o in find_outcomes(sentence))


# ---- an ungraded event, then a graded clause --------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("Rash occurred in 18% and grade 3-4 neutropenia in 12%.",
     [("adverse_event_rate", 18.0, "rash"), ("grade3plus_adverse_event_rate", 12.0, "neutropenia")]),
    ("Headache was reported in 9% of patients, and grade 3 or higher infections in 7%.",
     [("adverse_event_rate", 9.0, "headache")]),
    ("Colitis developed in 6% of patients; grade 3-4 anaemia was seen in 21%.",
     [("adverse_event_rate", 6.0, "colitis"), ("grade3plus_adverse_event_rate", 21.0, "anaemia")]),
])
def test_ungraded_event_before_a_grade(sentence, expected):
    assert all(e in got(sentence) for e in expected), got(sentence)


def test_an_event_after_the_grade_is_read_once():
    # the grade comes first and the graded reader owns the sentence: rash (its own clause and verb) once, ungraded
    assert got("Grade 3-4 neutropenia occurred in 40%; rash occurred in 12%.") == [
        ("adverse_event_rate", 12.0, "rash"), ("grade3plus_adverse_event_rate", 40.0, "neutropenia")]


# ---- "reported by N% of ..." and new event names -------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("Bone pain was reported by 11% of the growth-factor recipients.", ("adverse_event_rate", 11.0, "bone pain")),
    ("Arthralgia was noted in 8% of patients.", ("adverse_event_rate", 8.0, "arthralgia")),
    ("Pneumonitis occurred in 3 patients (5%).", ("adverse_event_rate", 5.0, "pneumonitis")),
    ("Peripheral oedema was recorded in 14% of participants.", ("adverse_event_rate", 14.0, "peripheral oedema")),
])
def test_named_events(sentence, expected):
    assert expected in got(sentence)


@pytest.mark.parametrize("sentence", [
    "A history of bone pain was reported in 20% of patients at baseline.",   # baseline feature
    "No bone pain was reported in 30% of the planned visits.",                # negated
    "Headache was not reported by any patient.",                              # no figure
])
def test_event_traps(sentence):
    assert not [o for o in find_outcomes(sentence) if o.endpoint == "adverse_event_rate"], got(sentence)


# ---- a bracketed list of named shares -----------------------------------------------------------------------------

def test_bracketed_named_shares_after_a_response_rate():
    assert got("The overall response rate was 41% (CR, 15%; PR, 6%; haematological improvement, 20%).") == [
        ("complete_remission_rate", 15.0, None), ("hematologic_improvement_rate", 20.0, None),
        ("overall_response_rate", 41.0, None), ("partial_remission_rate", 6.0, None)]


def test_colon_list_still_read():
    assert ("partial_remission_rate", 9.0, None) in got("Responses were seen in 44%: CR, 17%; PR, 9%; and HI, 18%.")


@pytest.mark.parametrize("sentence", [
    "Baseline categories were balanced (RAEB, 40%; RAEB-t, 25%).",           # names that are not endpoints
    "Patients were mostly older (age over 75, 40%; age 65-75, 45%).",
    "Marrow blasts varied widely (range, 5%; IQR, 10%).",
])
def test_bracketed_lists_that_are_not_results(sentence):
    assert got(sentence) == []


# ---- "N-week independence": the kind of independence named before ------------------------------------------------

@pytest.mark.parametrize("sentence, values", [
    ("Eight-week red cell transfusion independence was reached in 30 patients (41%) and 24-week independence in 17 "
     "(23%).", [41.0, 23.0]),
    ("Red cell transfusion independence for 8 weeks was seen in 44%, and 16-week independence in 27%.", [44.0, 27.0]),
    ("Twelve-week independence rates were 52% (13/25) in one group and 30% (6/20) in the other.", [52.0, 30.0]),
])
def test_week_independence(sentence, values):
    assert sorted(o.value for o in find_outcomes(sentence) if o.endpoint == "transfusion_independence_rate") \
        == sorted(values)


@pytest.mark.parametrize("sentence", [
    "Independence from growth factors was reported by 40% of patients.",       # no week count: not transfusion
    "Patients who had been transfusion independent for 8 weeks before entry made up 35% of the cohort.",
])
def test_independence_traps(sentence):
    assert not [o for o in find_outcomes(sentence) if o.endpoint == "transfusion_independence_rate"], got(sentence)


# ---- a grade and a share in the event's own bracket ---------------------------------------------------------------

def test_grade_in_the_event_bracket():
    assert got("Anaemia (grade 3 or 4, 25%) and neutropenia (grade 3-4, 47%) were the main toxic effects.") == [
        ("grade3plus_adverse_event_rate", 25.0, "anaemia"), ("grade3plus_adverse_event_rate", 47.0, "neutropenia")]


def test_grade_in_the_event_bracket_at_baseline_is_not_a_result():
    assert got("Baseline thrombocytopenia (grade 3 or 4, 38%) was common before treatment.") == []


# ---- time to response: more verbs, still only after a response word -------------------------------------------------

@pytest.mark.parametrize("sentence, value, unit", [
    ("Responses appeared after a median of 3.4 months.", 3.4, "months"),
    ("Responses were first observed after a median of 6 weeks.", 6.0, "weeks"),
    ("Erythroid responses emerged after a median of 2 cycles, at 8 weeks.", None, None),
])
def test_time_to_response_verbs(sentence, value, unit):
    found = [(o.value, o.unit) for o in find_outcomes(sentence) if o.endpoint == "median_time_to_response"]
    if value is None:
        assert all(u != "cycles" for _, u in found)
    else:
        assert found == [(value, unit)]


@pytest.mark.parametrize("sentence", [
    "Deaths were seen after a median of 5 months.",
    "Relapses were observed after a median of 11 months.",
    "Toxicity appeared after a median of 2 months.",
])
def test_time_to_other_events_is_not_time_to_response(sentence):
    assert not [o for o in find_outcomes(sentence) if o.endpoint == "median_time_to_response"]


# ---- background rates from earlier series with words between "series" and the verb --------------------------------

@pytest.mark.parametrize("sentence", [
    "Earlier series of intravenous drug Q reported response rates of 25% to 35%.",
    "Previous trials with agent R in older patients have shown a response rate of 40%.",
    "Published reports on growth factors described erythroid responses in 30%.",
])
def test_background_rates_are_not_results(sentence):
    assert got(sentence) == []


def test_own_result_next_to_background_wording_is_read():
    assert ("overall_response_rate", 44.0, None) in got("In this study the overall response rate was 44%.")


# ---- the duration of transfusion independence ----------------------------------------------------------------------

@pytest.mark.parametrize("sentence, value, unit", [
    ("The median duration of transfusion independence was 9.2 months.", 9.2, "months"),
    ("The median duration of red cell transfusion independence was 48 weeks.", 48.0, "weeks"),
])
def test_duration_of_transfusion_independence(sentence, value, unit):
    assert [(o.endpoint, o.value, o.unit) for o in find_outcomes(sentence)] == [
        ("median_response_duration", value, unit)]


def test_required_independence_is_not_a_duration():
    assert got("Transfusion independence for a median duration of 8 weeks was required for entry.") == []


# ---- "after a median of" straight after a share, and after "of patients," -------------------------------------------

def test_time_to_response_after_a_share():
    found = [(o.endpoint, o.value) for o in find_outcomes(
        "An erythroid response was achieved in 88 patients (41%) after a median of 7 weeks.")]
    assert ("median_time_to_response", 7.0) in found and ("hematologic_improvement_rate", 41.0) in found


def test_time_to_aml_after_of_patients_comma():
    assert ("median_time_to_aml", 5.5) in [(o.endpoint, o.value) for o in find_outcomes(
        "Progression to acute myeloid leukaemia occurred in 17% of patients, after a median of 5.5 months.")]


@pytest.mark.parametrize("sentence", [
    "Death occurred in 14 patients (9%) after a median of 6 months.",
    "Dose reductions were needed in 30 patients (25%) after a median of 3 months.",
])
def test_after_a_median_without_a_response_is_not_time_to_response(sentence):
    assert not [o for o in find_outcomes(sentence) if o.endpoint == "median_time_to_response"]


# ---- transplant outcomes: non-relapse mortality at a time point, "underwent (allogeneic) transplantation" ------------

@pytest.mark.parametrize("sentence, value, comparator", [
    ("Non-relapse mortality at 2 years after transplantation was 21%.", 21.0, None),
    ("Non-relapse mortality at 3 years was 27% versus 18% (P = .01).", 27.0, 18.0),
])
def test_non_relapse_mortality_at_a_time_point(sentence, value, comparator):
    assert [(o.endpoint, o.value, o.comparator_value) for o in find_outcomes(sentence)] == [
        ("death_rate", value, comparator)]


@pytest.mark.parametrize("sentence, value", [
    ("Eleven patients (8%) underwent allogeneic transplantation.", 8.0),
    ("Of the responders, 35% underwent transplantation.", 35.0),
])
def test_underwent_transplantation(sentence, value):
    assert ("hsct_rate", value, None) in got(sentence)


@pytest.mark.parametrize("sentence", [
    "Twenty patients (15%) underwent transplant evaluation.",
    "In total, 40% of patients had previously received a kidney transplant.",
])
def test_transplant_traps(sentence):
    assert not [o for o in find_outcomes(sentence) if o.endpoint == "hsct_rate"], got(sentence)


def test_two_named_arms_before_the_cue_are_value_and_comparator():
    found = [(o.endpoint, o.value, o.comparator_value) for o in find_outcomes(
        "Thirty chemotherapy patients (25%) and 12 decitabine patients (10%) went on to allogeneic transplantation.")]
    assert found == [("hsct_rate", 25.0, 10.0)]


# ---- infections "of any grade" next to a graded event ----------------------------------------------------------

@pytest.mark.parametrize("sentence, value", [
    ("Grade 3-4 anaemia developed in 33% and infections of any grade in 48%.", 48.0),
    ("Grade 3-4 neutropenia occurred in 30% and infections (any grade) in 22%.", 22.0),
])
def test_infections_of_any_grade(sentence, value):
    found = [(o.endpoint, o.value) for o in find_outcomes(sentence)]
    assert ("infection_rate", value) in found
    assert not [e for e, v in found if v == value and e == "grade3plus_adverse_event_rate"]


def test_infections_under_the_grade_stay_graded():
    assert ("grade3plus_adverse_event_rate", 22.0, "infection") in got(
        "Grade 3-4 neutropenia occurred in 30% and infections in 22%.")


# ---- a transplant before the study is a baseline share, not a transplant rate ---------------------------------

@pytest.mark.parametrize("sentence", [
    "Patients who underwent transplantation before enrolment (12%) were excluded.",
    "Those who received an allogeneic transplant (9%) were not eligible.",
    "Nine patients (15%) underwent transplantation prior to study entry.",
])
def test_a_transplant_before_the_study_is_no_transplant_rate(sentence):
    assert not [o for o in find_outcomes(sentence) if o.endpoint == "hsct_rate"], got(sentence)


@pytest.mark.parametrize(("sentence", "value"), [
    ("In all, 18 patients (30%) underwent allogeneic transplantation.", 30),
    ("Eleven patients (22%) went on to stem cell transplantation before progression.", 22),
])
def test_a_transplant_during_the_study_is_still_read(sentence, value):
    assert [o.value for o in find_outcomes(sentence) if o.endpoint == "hsct_rate"] == [value], got(sentence)

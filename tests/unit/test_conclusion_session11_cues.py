"""Conclusion cue families added in session 11 (etl/nlp/conclusions.py), each with a near-miss.

* lasting benefit ("durable remissions", "lasting transfusion independence", "offers a bridge", "induced");
* worth offering / should be preferred / should be used to select; "likely to respond" (a predictor found);
* blood counts changed for the better ("raised neutrophil counts", "reduced transfusion needs");
* non-inferiority read off a comparison with less harm ("comparable to ... with fewer delays");
* negatives: "neither dose improved ...", "little / negligible activity", "should not be pursued";
* a failed key comparison that the authors defer to a testing trial is inconclusive (README section 2), unless
  they conclude against the therapy outright.

All text is written for these tests (own words); none comes from a real or probe abstract.
"""

from __future__ import annotations

import pytest

from etl.nlp.conclusions import classify


@pytest.mark.parametrize("text", [
    "Drug X gave durable remissions in most treated patients.",
    "Drug X brought lasting transfusion independence to two thirds of the cohort.",
    "A transplant offers long-term survival to about a third of those who reach it.",
    "Drug X may offer a bridge to transplant for selected patients.",
    "Drug X induced remissions in patients who had failed drug Y.",
    "Drug X is worth offering to fit older patients.",
    "The shorter schedule should be preferred in frail patients.",
    "Mutation Q and the marrow blast count should be used to select candidates for early transplant.",
    "A low serum level of hormone H identifies patients likely to respond to drug X.",
    "Drug X raised neutrophil counts in most patients.",
    "Drug X reduced transfusion needs and bleeding episodes.",
    "The three-day schedule gave results comparable to the five-day course with fewer treatment delays.",
])
def test_positive_families(text):
    assert classify(text) == "positive"


@pytest.mark.parametrize("text", [
    "Neither dose improved survival over observation.",
    "Neither pairing was superior to drug X alone, and both added toxicity.",
    "Drug X has negligible activity in this setting.",
    "Drug X alone showed little activity after failure of drug Y.",
    "The combination should not be pursued outside a biomarker-selected trial.",
    # a firm verdict against stays negative even when more trials are called for
    "Drug X has little activity here; a randomised trial is needed to test other partners.",
    "Drug X cannot be recommended; larger studies are needed to find who might benefit.",
])
def test_negative_families(text):
    assert classify(text) == "negative"


@pytest.mark.parametrize("text", [
    "Adding drug Y raised response rates but did not prolong survival; a larger trial is needed to settle "
    "its place.",
    "The pooled data do not show that either agent is better, and this needs to be tested in a head-to-head "
    "trial.",
    "Intensive therapy gave no survival advantage in this non-randomised series; the question should be "
    "tested prospectively.",
])
def test_failed_key_comparison_deferred_is_inconclusive(text):
    assert classify(text) == "inconclusive"


@pytest.mark.parametrize(("text", "label"), [
    # "unlikely to respond" is not the positive cue "likely to respond" (no other cue here: nothing recognised)
    ("Patients with mutation Q are unlikely to respond to drug X.", "inconclusive"),
    # a failed comparison with no deferral stays negative
    ("Adding drug Y did not prolong survival.", "negative"),
    # deferring further questions after a failed comparison: "ongoing trials" are not a call to test it
    ("Drug X did not improve survival; trials of other agents are under way.", "negative"),
    # comparable outcomes alone, without less harm, are not read as positive
    ("Outcomes with drug X were comparable to supportive care.", "inconclusive"),
])
def test_near_misses(text, label):
    assert classify(text) == label


def test_induced_toxicity_is_not_a_positive_finding():
    assert classify("Drug X induced severe neutropenia in older patients.") != "positive"

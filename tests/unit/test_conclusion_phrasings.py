"""Conclusion cue families added in session 10 (etl/nlp/conclusions.py), each with a near-miss.

All text is written for these tests (own words); none comes from a real record.
"""

from __future__ import annotations

import pytest

from etl.nlp.conclusions import classify, conclusion_of
from mdskg.records import Document, Section, SourceType


def abstract(body: str) -> Document:
    text = "A made-up title\n\n" + body + "\n"
    return Document("PMID:1", "A made-up title", text, SourceType.PUBMED,
                    (Section("Title", 0, 15, "title"), Section("Abstract", 17, 17 + len(body), "abstract")))


@pytest.mark.parametrize(("text", "label"), [
    # the authors conclude against the therapy
    ("This series shows the inadequacies of drug X in this disease.", "negative"),
    ("Drug X proved effective in a limited number of the treated cases.", "negative"),
    ("Drug X had a limited impact on the course of the disease.", "negative"),
    ("Young patients have a poor prognosis with conventional therapy and should be offered a transplant.",
     "negative"),
    # a non-significant trend, or a randomised comparison still to be done
    ("There was a trend for better survival with drug X.", "inconclusive"),
    ("Randomized-controlled studies that compare the active drug X with drug Y are still needed.", "inconclusive"),
    # positive forms
    ("Our data confirm that drug X has an acceptable safety profile and shows efficacy.", "positive"),
    ("These findings show the risk of stopping drug X early in responding patients.", "positive"),
    ("We identified a subgroup with a high risk of early infection on drug X.", "positive"),
    ("Outcome was more impressive with a transplant than with drug X.", "positive"),
])
def test_classify_families(text, label):
    assert classify(text) == label


@pytest.mark.parametrize(("text", "label"), [
    # a poor prognosis that a factor predicts is a positive finding (a predictor), not a verdict on a therapy
    ("Mutation Q predicted a poor prognosis with drug X.", "positive"),
    # "effective in a limited number" is a verdict; "effective in most" is not
    ("Drug X was effective in most patients.", "positive"),
    # further non-randomised work is not a deferral
    ("Drug X was active; further study of drug X is warranted.", "positive"),
])
def test_classify_near_misses(text, label):
    assert classify(text) == label


@pytest.mark.parametrize(("text", "label"), [
    # a limited response is a verdict against, like limited activity (session 10, E2)
    ("The pairing was safe, but like other agents of its class it gave a limited response rate.", "negative"),
    ("Drug X produced modest responses and few remissions in this population.", "negative"),
    ("Drug X led to low remission rates in older patients.", "negative"),
    # ... but a limited response TO an earlier therapy describes the patients
    ("Patients with a limited response to drug Y benefited from drug X.", "positive"),
    # studies needed for further questions do not defer the main finding; studies needed to confirm it do
    ("Drug X showed high activity; larger randomised trials are needed to clarify its role in rare subsets.",
     "positive"),
    ("Drug X showed high activity; randomised trials are needed to confirm this benefit.", "inconclusive"),
])
def test_limited_responses_and_studies_for_further_questions(text, label):
    assert classify(text) == label


def test_an_opening_overall_that_reports_numbers_is_not_the_conclusion():
    doc = abstract("We studied 200 patients on drug X. Infections were recorded at each cycle. Overall, 62% of "
                   "patients had an infection. We identified a subgroup with a high risk of infection early on.")
    found = conclusion_of(doc)
    assert found.label == "positive" and found.sentence.startswith("Infections were recorded")  # the last three


def test_overall_as_an_adjective_does_not_announce_the_conclusion():
    doc = abstract("Drug X was given to 40 patients. Overall response rates were modest and the study closed early. "
                   "Drug X did not improve survival.")
    assert conclusion_of(doc).sentence.startswith("Drug X was given")  # the last three sentences, not 'Overall ...'
    assert conclusion_of(doc).label == "negative"


def test_result_sentences_at_the_start_of_the_closing_window_are_skipped():
    doc = abstract("Drug X was given to 40 patients. Responses were seen in 9/11 (80%) at 3 months. "
                   "Survival did not differ from the controls (P = 0.5). The disease was often sensitive to steroid "
                   "treatment.")
    found = conclusion_of(doc)
    assert found.sentence.startswith("The disease was often sensitive")


# ---- session 10, helper E3: concessions, support for a role, satisfactory results ------------------------------------

@pytest.mark.parametrize(("text", "label"), [
    # an opening concession about other trials gives way to the main clause
    ("Although drug X failed to improve survival in earlier randomised trials, the durable responses seen here "
     "underline its therapeutic potential.", "positive"),
    ("Despite no survival benefit in other studies, our data support the use of drug X in this setting.", "positive"),
    ("While results with drug Y are satisfactory, drug X did not improve survival in this cohort.", "negative"),
    # support for a role, and satisfactory results
    ("Our findings support drug X's role as a bridge to transplant.", "positive"),
    ("Results with matched unrelated donors were satisfactory.", "positive"),
    # near misses: a result that was not satisfactory, and a negative main clause after a positive concession
    ("Results with matched unrelated donors were not satisfactory.", "negative"),
    ("Although drug X was well tolerated, it did not improve survival.", "negative"),
    ("Results with matched unrelated donors were unsatisfactory.", "inconclusive"),
])
def test_concessions_and_support(text, label):
    assert classify(text) == label

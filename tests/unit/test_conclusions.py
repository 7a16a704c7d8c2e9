"""Abstract conclusions (etl/nlp/conclusions.py) on abstracts written for these tests."""

from __future__ import annotations

import pytest

from etl.nlp.conclusions import classify, conclusion_of
from mdskg.records import Document, Section, SourceType


def abstract(*paragraphs: tuple[str | None, str]) -> Document:
    text, sections = "A made-up title\n\n", [Section("Title", 0, 15, "title")]
    for label, body in paragraphs:
        start = len(text)
        text += body + "\n\n"
        sections.append(Section(label or "Abstract", start, start + len(body), "abstract"))
    return Document("PMID:1", "A made-up title", text, SourceType.PUBMED, tuple(sections))


@pytest.mark.parametrize(("text", "label"), [
    ("Adding drug X to azacitidine did not improve overall survival.", "negative"),
    ("Drug Y showed limited activity and cannot be recommended outside trials.", "negative"),
    ("Prophylaxis does not decrease the rate of infection.", "negative"),
    ("Drug Z was inferior to best supportive care.", "negative"),
    ("Survival trended towards benefit but the difference did not reach significance.", "inconclusive"),
    ("These findings need confirmation in a randomized trial.", "inconclusive"),
    ("Drug X was effective and well tolerated in older patients.", "positive"),
    ("Mutations in gene Q were independent predictors of a poor response.", "positive"),  # a predictor found
    ("Drug X may improve response rates.", "positive"),  # hedged positives stay positive
])
def test_classify(text, label):
    assert classify(text) == label


def test_a_labelled_conclusion_section_is_read():
    doc = abstract(("BACKGROUND", "Drug X is widely used."), ("RESULTS", "Responses were seen in 40%."),
                   ("CONCLUSIONS", "Drug X did not improve survival compared with placebo."))
    found = conclusion_of(doc)
    assert found.label == "negative" and found.sentence.startswith("Drug X did not improve")


def test_an_announced_conclusion_beats_the_last_sentence():
    doc = abstract((None, "We treated 50 patients. The response rate was 30%. In conclusion, drug X is active in "
                          "this setting. Funding: a made-up foundation."))
    assert conclusion_of(doc).label == "positive"


def test_an_abstract_cut_mid_sentence_is_inconclusive():
    doc = abstract((None, "We randomised 100 patients to drug X or drug Y. The primary endpoint was"))
    assert conclusion_of(doc).label == "inconclusive"


def test_trailing_record_lines_are_not_the_conclusion():
    doc = abstract((None, "Drug X did not prolong survival. FAU - Someone, A"))
    assert conclusion_of(doc).label == "negative"

"""Negated, non-significant and 'does not matter' findings never become predictor edges (issue 15, item 4).

Session 11 rule families, each written for several wordings:

* negation over a list: "neither X nor Y predicted ...", "..., nor did X or Y", "none of these factors";
* elliptical negation after a contrast: "X predicted response, whereas Y did not", "..., while Y were not (OR ...)";
* non-significance: "did not reach significance", "was not statistically significant", "non-significant";
* a marker named as not mattering: "regardless of", "irrespective of", "whether or not X is present",
  "whether X is present or not", "independently of";
* an enrolment sentence ("We treated 40 patients with EPO above 500 U/L with epoetin, adding filgrastim in
  non-responders") states whom the study took, not who responds.

Every sentence here was written for these tests; none is taken from an abstract.
"""

from __future__ import annotations

import pytest

from etl.extract import RuleExtractor
from etl.nlp.relations import no_relation_cue
from etl.nlp.relations.predictors import enrolment_sentence, marker_irrelevant
from mdskg.records import Document, SourceType


@pytest.fixture(scope="module")
def extractor():
    return RuleExtractor()


def predictors(extractor, text: str) -> list[tuple[str, str, str | None]]:
    doc = Document("MDSKG:doc/polarity-lists", "polarity lists", text, SourceType.TEXT, ())
    return [(r.subject_id, r.object_id, (r.properties or {}).get("direction"))
            for r in extractor.extract(doc).relations if r.type == "PREDICTS_RESPONSE_TO"]


# ---- pure helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize("clause", [
    "neither the SF3B1 mutation nor the platelet count predicted response to lenalidomide",
    "nor did ring sideroblasts or the neutrophil count",
    "nor was the karyotype",
    "none of these factors was linked with response to azacitidine",
    "whereas TET2 mutation did not.",
    "while ring sideroblasts were not (OR 1.2)",
    "but ASXL1 status was not, after adjustment",
    "the difference in response did not reach statistical significance",
    "the trend failed to reach significance",
    "the association with response was not statistically significant",
    "a non-significant trend towards more responses",
])
def test_list_elliptical_and_non_significant_negations_are_no_relation_cues(clause):
    assert no_relation_cue(clause)


@pytest.mark.parametrize("clause", [
    "patients who did not respond to azacitidine had a short survival",
    "the response rate was significantly higher in patients with low EPO",
    "SF3B1 mutation predicted response to luspatercept (p = 0.01)",
    "non-responders received filgrastim",
    "those who were not transfused before treatment responded more often",
])
def test_affirmative_clauses_carry_no_such_cue(clause):
    assert no_relation_cue(clause) is None


@pytest.mark.parametrize("text,marker", [
    ("benefit was seen regardless of SF3B1 status", "SF3B1"),
    ("responses occurred irrespective of the karyotype", "karyotype"),
    ("they can be treated whether or not ring sideroblasts are present", "ring sideroblasts"),
    ("treatment should be offered whether ring sideroblasts are present or not", "ring sideroblasts"),
    ("the effect held independently of baseline EPO level", "EPO"),
    ("patients with or without del(5q) responded alike", "del(5q)"),
])
def test_marker_named_as_not_mattering(text, marker):
    start = text.index(marker)
    assert marker_irrelevant(text, start, start + len(marker))


@pytest.mark.parametrize("text,marker", [
    ("patients with SF3B1 mutation responded more often", "SF3B1"),
    ("whether SF3B1 mutation predicts response was tested", "SF3B1"),
    ("ring sideroblasts identified patients likely to respond", "ring sideroblasts"),
])
def test_marker_that_matters_is_not_flagged(text, marker):
    start = text.index(marker)
    assert not marker_irrelevant(text, start, start + len(marker))


@pytest.mark.parametrize("text", [
    "We treated 40 patients with serum EPO above 500 U/L with epoetin alfa, adding filgrastim in non-responders.",
    "Sixty patients with a haemoglobin below 9 g/dL were enrolled and received darbepoetin; non-responders "
    "went on to lenalidomide.",
    "Eligible patients had a platelet count under 50 x 10^9/L and received eltrombopag until response.",
])
def test_enrolment_sentences(text):
    assert enrolment_sentence(text)


@pytest.mark.parametrize("text", [
    "A serum EPO below 200 U/L predicted response to epoetin alfa.",
    "We enrolled 50 patients; a low EPO level made response to darbepoetin more likely.",
    "Responders to lenalidomide had longer survival.",
])
def test_findings_are_not_enrolment_sentences(text):
    assert not enrolment_sentence(text)


# ---- end to end: no positive edge from any of these ----------------------------------------------------


@pytest.mark.parametrize("text", [
    "Neither ring sideroblasts nor the serum EPO level predicted response to epoetin alfa.",
    "Serum EPO did not predict response to darbepoetin alfa, nor did ring sideroblasts or the platelet count.",
    "Response to epoetin alfa was seen regardless of ring sideroblasts.",
    "Patients can be given darbepoetin alfa whether or not ring sideroblasts are present, since response "
    "rates were alike.",
    "Response rates to luspatercept were similar irrespective of ring sideroblasts.",
    "We treated 40 patients with serum EPO above 500 U/L with epoetin alfa, adding filgrastim in non-responders.",
    "The higher response rate to lenalidomide in patients with low EPO did not reach statistical significance.",
])
def test_no_positive_predictor_from_negated_or_irrelevant_markers(extractor, text):
    found = predictors(extractor, text)
    assert not [f for f in found if f[2] == "positive"], found


def test_contrast_keeps_the_affirmed_marker_and_drops_the_denied_one(extractor):
    found = predictors(extractor, "A serum EPO below 100 U/L predicted response to epoetin alfa, whereas ring "
                                  "sideroblasts did not.")
    subjects = {s for s, _, _ in found}
    assert "MDSKG:marker/serum-epo" in subjects
    assert "MDSKG:marker/ring-sideroblasts" not in subjects


def test_a_plain_positive_predictor_is_still_read(extractor):
    found = predictors(extractor, "Ring sideroblasts predicted response to luspatercept.")
    assert ("MDSKG:marker/ring-sideroblasts", "MDSKG:drug/luspatercept", "positive") in found

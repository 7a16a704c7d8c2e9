"""A sentence that joins statements (", and" / ";") keeps each finding with its own statement (issue 15, item 4):

* a marker in a statement about what a therapy does ("X improves anaemia in low-blast MDS") is the effect or the
  population there, not a predictor, when the predictor is named in the other statement;
* an adverse event whose rates are said to be the same in both arms ("infection rates were similar") is not a side
  effect of the therapy.

Every sentence is written for these tests; none is taken from an abstract or a probe file.
"""

from __future__ import annotations

import pytest

from etl.extract import RuleExtractor
from mdskg.records import Document, SourceType


@pytest.fixture(scope="module")
def extractor():
    return RuleExtractor()


def relations(extractor, text: str, kind: str) -> list[tuple[str, str]]:
    doc = Document("MDSKG:doc/statement-scope", "statement scope", text, SourceType.TEXT, ())
    return [(r.subject_id, r.object_id) for r in extractor.extract(doc).relations if r.type == kind]


@pytest.mark.parametrize("text", [
    "Epoetin alfa improves anaemia in many patients with low-blast MDS, and a low serum EPO level identifies likely "
    "responders.",
    "Anaemia improved with epoetin alfa in most patients with few marrow blasts; a low serum EPO level predicted "
    "response.",
])
def test_effect_and_population_in_the_other_statement_are_not_predictors(extractor, text):
    got = relations(extractor, text, "PREDICTS_RESPONSE_TO")
    subjects = {s for s, _ in got}
    assert "MDSKG:marker/serum-epo" in subjects
    assert "MDSKG:marker/hemoglobin" not in subjects
    assert "MDSKG:marker/marrow-blasts" not in subjects


@pytest.mark.parametrize("text, marker", [
    # one statement: the marker is the predictor
    ("Response to epoetin alfa was more likely in patients with low-blast MDS.", "MDSKG:marker/marrow-blasts"),
    # a list after one verb is one statement: its last item keeps its predictor
    ("Response to epoetin alfa was more likely with a low serum EPO level, low transfusion need, and ring "
     "sideroblasts.", "MDSKG:marker/ring-sideroblasts"),
    # each statement says something predicts
    ("A low serum EPO level predicted response to epoetin alfa, and ring sideroblasts were associated with a higher "
     "response rate.", "MDSKG:marker/ring-sideroblasts"),
])
def test_predictors_in_their_own_statement_are_kept(extractor, text, marker):
    assert marker in {s for s, _ in relations(extractor, text, "PREDICTS_RESPONSE_TO")}


@pytest.mark.parametrize("text", [
    "Grade 3-4 neutropenia occurred in 30% of azacitidine recipients, and infection rates were similar (21% vs 19%).",
    "Neutropenia was common with azacitidine; infections were comparable between the arms.",
    "Azacitidine was given for six cycles, and infections did not differ from those seen with observation.",
    "Azacitidine was well tolerated; infections were no more frequent than with supportive care.",
])
def test_event_with_the_same_rate_in_both_arms_is_not_a_side_effect(extractor, text):
    assert ("MDSKG:drug/azacitidine", "MDSKG:side-effect/infections") not in relations(extractor, text,
                                                                                       "HAS_SIDE_EFFECT")


@pytest.mark.parametrize("text", [
    "Infections occurred in 30% of patients treated with azacitidine.",
    # "similar" about another comparison, before the event: the event itself is still reported with the drug
    "The adverse event profile of azacitidine was similar to earlier reports, with infections in a third of patients.",
])
def test_side_effect_still_read(extractor, text):
    assert ("MDSKG:drug/azacitidine", "MDSKG:side-effect/infections") in relations(extractor, text, "HAS_SIDE_EFFECT")


@pytest.mark.parametrize("text", [
    "Peripheral blasts rose briefly in 3 patients on the drug, and progression to AML occurred in 2 patients.",
    "Marrow blasts fell below 5% in most responders; transformation to AML developed in one patient.",
])
def test_marker_and_disease_in_separate_findings_are_not_associated(extractor, text):
    assert not [o for s, o in relations(extractor, text, "ASSOCIATED_WITH") if s == "MDSKG:marker/marrow-blasts"]


@pytest.mark.parametrize("text", [
    "Increased marrow blasts were associated with progression to AML.",
    "TP53 mutations are found in therapy-related MDS, and they are associated with a complex karyotype.",
])
def test_association_in_one_statement_is_kept(extractor, text):
    assert relations(extractor, text, "ASSOCIATED_WITH")


# ---- a marker named by its absence, or naming the group where two therapies are compared ---------------------

@pytest.mark.parametrize("text", [
    "Responses to azacitidine were seen mostly in TP53 wild-type disease.",
    "Venetoclax with azacitidine gave more responses in patients with unmutated TP53.",
    "Among TP53-negative patients, response to decitabine was more frequent.",
])
def test_a_marker_named_by_its_absence_gives_no_predictor(extractor, text):
    assert "HGNC:11998" not in {s for s, _ in relations(extractor, text, "PREDICTS_RESPONSE_TO")}


@pytest.mark.parametrize("text", [
    "In the TP53-mutated subgroup, decitabine was linked to a higher response rate (50% v 30%).",
    "Within the SF3B1-mutated cohort, responses to luspatercept were more frequent than to epoetin alfa.",
])
def test_a_marker_naming_the_group_of_a_comparison_gives_no_predictor(extractor, text):
    got = relations(extractor, text, "PREDICTS_RESPONSE_TO")
    assert not [s for s, _ in got if s in ("HGNC:11998", "HGNC:10768")], got


@pytest.mark.parametrize(("text", "marker"), [
    # the mutation itself, named as present, still predicts
    ("TP53 mutations predicted a lower response rate to azacitidine.", "HGNC:11998"),
    ("Patients with an SF3B1 mutation were more likely to respond to luspatercept than those without.", "HGNC:10768"),
])
def test_a_marker_named_as_present_still_predicts(extractor, text, marker):
    assert marker in {s for s, _ in relations(extractor, text, "PREDICTS_RESPONSE_TO")}

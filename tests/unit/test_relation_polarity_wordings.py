"""More wordings by which a marker is said not to matter, and a rate within a marker group that compares nothing
(issue 15, item 4): none may become a PREDICTS_RESPONSE_TO edge. Sentences written for these tests.

* "had no bearing on", "did not vary with", "did not depend on", "was unaffected by";
* "similar / comparable in patients with and without X";
* "responses were seen in 40% of X-mutated patients (8 of 20)": a figure over a subgroup denominator, with no
  comparison, is that group's rate, not a predictor.
"""

from __future__ import annotations

import pytest

from etl.extract import RuleExtractor
from etl.nlp.relations import no_relation_cue
from mdskg.records import Document, SourceType


@pytest.fixture(scope="module")
def extractor():
    return RuleExtractor()


def predictors(extractor, text: str) -> list[tuple[str, str, str | None]]:
    doc = Document("MDSKG:doc/polarity-wordings", "polarity wordings", text, SourceType.TEXT, ())
    return [(r.subject_id, r.object_id, (r.properties or {}).get("direction"))
            for r in extractor.extract(doc).relations if r.type == "PREDICTS_RESPONSE_TO"]


@pytest.mark.parametrize("clause", [
    "TET2 mutation had no bearing on response",
    "response did not vary with TET2 status",
    "response rates did not depend on the karyotype",
    "response was unaffected by TET2 mutation",
    "response rates were similar in patients with and without ASXL1 mutations",
    "outcomes were comparable for patients with or without ring sideroblasts",
])
def test_no_relation_cues(clause):
    assert no_relation_cue(clause)


@pytest.mark.parametrize("clause", [
    "TET2 mutation predicted response",
    "response rates were 40% in patients with and 20% in those without ASXL1 mutations",
])
def test_affirmative_or_contrasting_clauses(clause):
    assert no_relation_cue(clause) is None


@pytest.mark.parametrize("text", [
    "TET2 mutation had no bearing on response to azacitidine.",
    "Response to azacitidine did not vary with TET2 status.",
    "Response to azacitidine was unaffected by TET2 mutation.",
    "Response rates to azacitidine were similar in patients with and without ASXL1 mutations.",
    "Responses to azacitidine were seen in 40% of TET2-mutated patients (8 of 20).",
    "Nine of 24 ASXL1-mutated patients (38%) responded to decitabine.",
])
def test_no_edge(extractor, text):
    assert predictors(extractor, text) == []


@pytest.mark.parametrize("text, direction", [
    ("Response to azacitidine was more frequent in TET2-mutated patients (60% vs 30%).", "positive"),
    ("TET2 mutation predicted response to azacitidine.", "positive"),
    ("Responses to decitabine were seen in 20% of ASXL1-mutated patients, lower than in the others (45%).", "negative"),
    ("Responses to decitabine were less frequent in patients carrying an ASXL1 mutation (25% vs 50%; P = .01).",
     "negative"),
    # a threshold, not a comparison of groups: stays positive
    ("Marrow blasts lower than 10% predicted response to decitabine.", "positive"),
])
def test_comparisons_still_give_the_edge(extractor, text, direction):
    assert [d for _, _, d in predictors(extractor, text)] == [direction]

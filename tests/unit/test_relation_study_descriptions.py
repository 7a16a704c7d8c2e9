"""In an abstract, a sentence that says whom a study treated, enrolled or randomised describes its population: it is
no TREATS edge (issue 15: a study's population is evidence, never a recommendation). Neither is "responses to X are
rarely durable". A sentence that claims an effect still gives the edge.

All sentences are written for these tests.
"""

from __future__ import annotations

import pytest

from etl.extract import RuleExtractor
from mdskg.records import Document, Section, SourceType


@pytest.fixture(scope="module")
def extractor():
    return RuleExtractor()


def treats(extractor, body: str) -> list[tuple[str, str]]:
    title = "A made-up study"
    text = title + "\n\n" + body + "\n"
    doc = Document("PMID:1", title, text, SourceType.PUBMED,
                   (Section("Title", 0, len(title), "title"), Section("Abstract", len(title) + 2,
                                                                      len(title) + 2 + len(body), "abstract")))
    return [(r.subject_id, r.object_id) for r in extractor.extract(doc).relations if r.type == "TREATS"]


@pytest.mark.parametrize("body", [
    "We prospectively treated 40 patients with lower-risk MDS with epoetin alfa, adding filgrastim in non-responders.",
    "We enrolled 60 adults with CMML and gave them azacitidine until response or progression.",
    "Patients with higher-risk MDS in remission were randomised to azacitidine with or without lenalidomide.",
    "Responses to azacitidine in higher-risk MDS are rarely durable.",
])
def test_study_descriptions_give_no_treats_edge(extractor, body):
    assert treats(extractor, body) == []


def test_an_effect_claim_still_gives_the_edge(extractor):
    found = treats(extractor, "Azacitidine was active in CMML, with responses in both subtypes.")
    assert ("MDSKG:drug/azacitidine", "NCIT:C3178") in found


@pytest.mark.parametrize("body", [
    "For CMML, HMAs remain the only FDA-approved drugs today. We looked back at 80 patients.",
    "Azacitidine is approved for CMML largely on the strength of small subgroups of MDS trials.",
    "Decitabine was approved by the FDA for MDS in 2006, and we studied its use in older patients.",
])
def test_regulatory_background_in_an_abstract_gives_no_treats_edge(extractor, body):
    assert treats(extractor, body) == []

"""Sentence rules on hand-built SentenceViews (no spaCy): the rules need only mentions,
thresholds and the ontology's allowed pairs."""

from __future__ import annotations

import pytest

from etl.nlp.relations import EXTRACTOR, MentionView, RelationRules, SentenceView
from etl.nlp.thresholds import parse_thresholds
from ontology import load_ontology


@pytest.fixture(scope="module")
def rules():
    return RelationRules(load_ontology())


def view(text: str, *mentions: tuple[str, str, str], offset: int = 100, section_kind=None) -> SentenceView:
    """mentions: (surface text, concept id, label); offsets are placed `offset` into a document."""
    views, position = [], 0
    for surface, concept_id, label in mentions:
        start = text.index(surface, position)
        views.append(MentionView(concept_id, label, surface, offset + start, offset + start + len(surface)))
        position = start + len(surface)
    thresholds = tuple(t.__class__(t.variable, t.operator, t.value, t.unit, t.text, offset + t.start, offset + t.end)
                       for t in parse_thresholds(text))
    return SentenceView(text, offset, offset + len(text), "Section", section_kind, ("PMID:1",), tuple(views),
                        thresholds)


def test_after_failure_without_spacy(rules):
    sv = view("After ESA failure, luspatercept is an option for lower-risk MDS.",
              ("ESA", "MDSKG:therapy/esa", "Therapy"), ("luspatercept", "MDSKG:drug/luspatercept", "Drug"),
              ("lower-risk MDS", "MDSKG:risk/lower-risk", "RiskCategory"))
    relations = rules.sentence_relations(sv, "MDSKG:doc/x", set())
    assert {(r.type, r.subject_id, r.object_id) for r in relations} == {
        ("NEXT_AFTER_FAILURE", "MDSKG:therapy/esa", "MDSKG:drug/luspatercept"),
        ("TREATS", "MDSKG:drug/luspatercept", "MDSKG:risk/lower-risk"),
    }
    evidence = relations[0].evidence
    assert (evidence.start, evidence.end, evidence.section, evidence.citations, evidence.extractor) == (
        100, 100 + len(sv.text), "Section", ("PMID:1",), EXTRACTOR)
    [rec] = rules.sentence_recommendations(sv, "MDSKG:doc/x", set())
    assert (rec.therapy_id, rec.line, rec.after_therapy_id) == (
        "MDSKG:drug/luspatercept", "after_failure", "MDSKG:therapy/esa")


def test_eligibility_criteria_take_their_role_from_the_section(rules):
    sv = view("Platelets < 50,000/uL", ("Platelets", "MDSKG:marker/platelets", "Biomarker"),
              section_kind="exclusion")
    [(therapies, criterion)] = rules.sentence_criteria(sv, "clinicaltrials:NCT0", set(), eligibility=True)
    assert therapies == ()
    assert (criterion.variable, criterion.operator, criterion.value, criterion.role) == (
        "platelets_10e9_l", "<", 50, "excludes")


def test_disallowed_pairs_are_never_emitted(rules):
    sv = view("Lenalidomide can cause fatigue in refractory anemia.",
              ("Lenalidomide", "MDSKG:drug/lenalidomide", "Drug"), ("fatigue", "MDSKG:side-effect/fatigue", "SideEffect"),
              ("refractory anemia", "MDSKG:subtype/who2022-mds-lb", "Subtype"))
    onto = load_ontology()
    for r in rules.sentence_relations(sv, "MDSKG:doc/x", set()):
        assert (onto.concepts[r.subject_id].label, onto.concepts[r.object_id].label) in \
            onto.relationship_types[r.type].pairs


def test_ambiguous_term_resolves_only_in_context(rules):
    atg = MentionView("MDSKG:term/atg", "Term", "ATG", 0, 3)
    assert rules.resolve(atg, set()) == []  # horse or rabbit: ambiguous
    assert [c for c, _, _ in rules.resolve(atg, {"MDSKG:drug/horse-atg"})] == ["MDSKG:drug/horse-atg"]
    assert {c for c, _, _ in rules.resolve(atg, set(), expand=True)} == {
        "MDSKG:drug/horse-atg", "MDSKG:drug/rabbit-atg"}

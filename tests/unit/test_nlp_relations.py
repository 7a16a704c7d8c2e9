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


# ---- cue binding, populations and narrowing (no spaCy) ----------------------------------------


def test_a_negation_binds_to_the_subject_of_its_cue_not_to_any_therapy(rules):
    sv = view("Adding durvalumab to azacitidine did not improve outcomes over azacitidine alone in higher-risk MDS.",
              ("azacitidine", "MDSKG:drug/azacitidine", "Drug"), ("azacitidine", "MDSKG:drug/azacitidine", "Drug"),
              ("higher-risk MDS", "MDSKG:risk/higher-risk", "RiskCategory"))
    assert rules.sentence_recommendations(sv, "MDSKG:doc/x", set()) == []
    assert not [r for r in rules.sentence_relations(sv, "MDSKG:doc/x", set()) if r.type == "NOT_ESTABLISHED_FOR"]


def test_subject_cue_binds_the_whole_therapy_phrase(rules):
    sv = view("Oral azacitidine tablets (Onureg) are approved for continued treatment of AML in first remission, "
              "not for MDS.",
              ("Oral azacitidine", "MDSKG:drug/oral-azacitidine", "Drug"),
              ("Onureg", "MDSKG:drug/oral-azacitidine", "Drug"), ("AML", "NCIT:C3171", "Disease"),
              ("MDS", "NCIT:C3247", "Disease"))
    [rec] = rules.sentence_recommendations(sv, "MDSKG:doc/x", set())
    assert (rec.therapy_id, rec.population_ids, rec.strength) == (
        "MDSKG:drug/oral-azacitidine", ("NCIT:C3247",), "not_established")


def test_object_cue_binds_the_therapy_after_it(rules):
    sv = view("Patients whose MDS has relapsed after or is refractory to HMAs should be considered for clinical trials.",
              ("MDS", "NCIT:C3247", "Disease"), ("HMAs", "MDSKG:therapy/hma", "Therapy"),
              ("clinical trials", "MDSKG:therapy/clinical-trial", "Therapy"))
    [rec] = rules.sentence_recommendations(sv, "MDSKG:doc/x", set())
    assert (rec.therapy_id, rec.strength, rec.line, rec.after_therapy_id) == (
        "MDSKG:therapy/clinical-trial", "may_be_considered", "after_failure", "MDSKG:therapy/hma")


def test_a_trial_or_approval_noun_phrase_is_not_a_therapy_subject(rules):
    for text, mention in [
        ("The FDA approval of imetelstat is for lower-risk MDS.", "imetelstat"),
        ("Imetelstat appears on the NCI list of drugs approved for MDS.", "Imetelstat"),
        ("A trial of imetelstat is an option for lower-risk MDS.", "imetelstat"),
    ]:
        population = "lower-risk MDS" if "lower-risk" in text else "MDS"
        sv = view(text, (mention, "MDSKG:drug/imetelstat", "Drug"),
                  (population, "MDSKG:risk/lower-risk" if population != "MDS" else "NCIT:C3247",
                   "RiskCategory" if population != "MDS" else "Disease"))
        assert rules.sentence_recommendations(sv, "MDSKG:doc/x", set()) == [], text


def test_narrowing_to_a_patient_group_follows_the_ontology_definition(rules):
    from etl.nlp.relations import Qualifier

    def q(variable, operator, value):
        return Qualifier(variable, operator, value, None, "required", "", None, None)

    hypo = q("marrow_cellularity", "==", "hypocellular")
    assert rules._narrow("MDSKG:risk/lower-risk", [hypo]) == ("MDSKG:group/lower-risk-hypocellular-mds", {id(hypo)})
    del5q = q("karyotype_findings", "contains", "del5q")
    assert rules._narrow("MDSKG:risk/lower-risk", [del5q])[0] == "MDSKG:group/lower-risk-del5q"
    sf3b1 = q("mutated_genes", "contains", "SF3B1")
    assert rules._narrow("MDSKG:risk/lower-risk", [sf3b1])[0] == "MDSKG:group/lower-risk-rs-sf3b1"
    idh1 = q("mutated_genes", "contains", "IDH1")
    assert rules._narrow("NCIT:C3247", [idh1])[0] == "MDSKG:group/idh1-mutated-mds"
    # no group for the combination: the population stays, the qualifier stays a criterion
    assert rules._narrow("MDSKG:risk/lower-risk", [idh1]) == ("MDSKG:risk/lower-risk", set())
    assert rules._narrow("MDSKG:risk/higher-risk", [hypo]) == ("MDSKG:risk/higher-risk", set())
    # not-del(5q) is not del(5q)
    assert rules._narrow("MDSKG:risk/lower-risk", [q("karyotype_findings", "not_contains", "del5q")])[0] == \
        "MDSKG:risk/lower-risk"


def test_negated_relative_clause_does_not_negate_the_main_clause():
    from etl.nlp.negation import entity_flags

    sentence = "Azacitidine is recommended for patients with higher-risk MDS who are not eligible for transplantation."
    spans = [(0, 11), (sentence.index("higher-risk MDS"), sentence.index("higher-risk MDS") + 15)]
    assert [f.negated for f in entity_flags(sentence, spans)] == [False, False]

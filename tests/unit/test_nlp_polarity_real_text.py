"""Polarity, hedging and context on literature-style sentences (issue 15, item 4).

Negated or hedged statements must never become positive edges: "X did not predict response to Y"
is neither a positive nor a negative predictor, "Y after X failure cannot be recommended" is no
NEXT_AFTER_FAILURE, an early-phase trial or an eligibility line is no treatment sequence, and an
abbreviation does not carry its long form's qualifier ('higher-risk') to its later uses.

All sentences are written for these tests. The pure helpers are tested without spaCy; the
end-to-end cases run the rule extractor on one-sentence documents.
"""

from __future__ import annotations

import pytest

from etl.extract import RuleExtractor
from etl.nlp.components import qualifier_may_spread
from etl.nlp.negation import entity_flags
from etl.nlp.relations import CLINICAL_TRIAL_ID, no_relation_cue, sequence_blocked
from mdskg.records import Document, Section, SourceType

MDS = "NCIT:C3247"
HIGHER_RISK = "MDSKG:risk/higher-risk"
AZA, DEC = "MDSKG:drug/azacitidine", "MDSKG:drug/decitabine"


@pytest.fixture(scope="module")
def extractor():
    return RuleExtractor()


def extract(extractor, text: str, kind: str | None = None):
    sections = (Section("Eligibility", 0, len(text), kind=kind),) if kind else ()
    return extractor.extract(Document("MDSKG:doc/polarity", "polarity", text, SourceType.TEXT, sections))


def edges(extraction, rel_type: str) -> list:
    return [r for r in extraction.relations if r.type == rel_type]


# ---- pure helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize("clause", [
    "TP53 mutation did not predict response to azacitidine",
    "ASXL1 mutation had no significant impact on response to decitabine",
    "SF3B1 mutation was not associated with higher-risk disease",
    "there was no correlation between TET2 mutation and response",
    "baseline EPO level was not a significant predictor of response",
    "the karyotype failed to predict response to lenalidomide",
    "a lack of association between del(5q) and outcome",
    "response rates showed no difference between mutated and wild-type patients",
])
def test_no_relation_cues(clause):
    assert no_relation_cue(clause)


@pytest.mark.parametrize("clause", [
    "TP53 mutation predicts a poor response to azacitidine",
    "SF3B1 mutation is associated with ring sideroblasts",
    "patients who did not respond to azacitidine had a short survival",
    "a significant correlation between serum EPO and response",
])
def test_positive_or_unrelated_clauses_carry_no_such_cue(clause):
    assert no_relation_cue(clause) is None


@pytest.mark.parametrize("clause,reason", [
    ("Decitabine after azacitidine failure cannot be recommended", "negative"),
    ("switching to decitabine after azacitidine failure is not effective", "negative"),
    ("decitabine showed limited activity in patients refractory to azacitidine", "negative"),
    ("pembrolizumab is being studied in early-phase trials after HMA failure", "research"),
    ("a phase 1 study of the agent in patients who failed azacitidine", "research"),
    ("prior treatment with azacitidine or decitabine is allowed", "eligibility"),
    ("refractory to azacitidine, lenalidomide permitted", "eligibility"),
])
def test_sequence_blocked(clause, reason):
    assert sequence_blocked(clause) == reason


@pytest.mark.parametrize("clause,therapy_id", [
    ("after ESA failure, luspatercept is an option for lower-risk MDS", None),
    ("decitabine may be an option after azacitidine failure", None),
    # the negation of the failure phrase is about the first therapy
    ("in patients who did not respond to azacitidine, venetoclax may be considered", None),
    ("after no response to ESA, lenalidomide is an option", None),
    # a recommended clinical trial is not research about a named therapy
    ("after HMA failure, enrollment in an investigational clinical trial is recommended", CLINICAL_TRIAL_ID),
])
def test_sequence_not_blocked(clause, therapy_id):
    assert sequence_blocked(clause, therapy_id) is None


def test_eligibility_sections_never_state_a_sequence():
    assert sequence_blocked("after HMA failure, venetoclax", section_kind="inclusion") == "eligibility"


def test_not_only_is_not_a_negation():
    sentence = "Venetoclax is not only active after HMA failure but also well tolerated."
    [flags] = entity_flags(sentence, [(0, len("Venetoclax"))])
    assert not flags.negated


def test_qualifier_spreads_only_at_the_definition_or_onto_a_term():
    assert qualifier_may_spread("Disease", 1)  # "higher-risk myelodysplastic syndromes (MDS)"
    assert not qualifier_may_spread("Disease", 6)  # a later bare "MDS"
    assert qualifier_may_spread("Term", 6)  # a later "ATG" after "horse antithymocyte globulin (ATG)"
    assert qualifier_may_spread(None, 6)


# ---- 1. predictors and associations that are denied -----------------------------------------------


@pytest.mark.parametrize("sentence", [
    "TP53 mutation did not predict response to azacitidine in this cohort.",
    "ASXL1 mutation had no significant impact on response to decitabine.",
    "There was no correlation between TET2 mutation and response to azacitidine.",
    "We found no correlation between del(5q) and response to lenalidomide.",
    "Ring sideroblasts were not associated with response to luspatercept.",
])
def test_denied_predictors_make_no_edge(extractor, sentence):
    assert edges(extract(extractor, sentence), "PREDICTS_RESPONSE_TO") == []


def test_a_denied_predictor_does_not_leak_into_the_other_clause(extractor):
    x = extract(extractor, "Ring sideroblasts predict response to luspatercept, but TP53 mutation did not predict "
                           "response to azacitidine.")
    assert [(r.subject_id, r.object_id, r.properties["direction"]) for r in edges(x, "PREDICTS_RESPONSE_TO")] == [
        ("MDSKG:marker/ring-sideroblasts", "MDSKG:drug/luspatercept", "positive")]


def test_stated_predictors_keep_their_direction(extractor):
    [edge] = edges(extract(extractor, "TP53 mutation predicts a poor response to azacitidine."), "PREDICTS_RESPONSE_TO")
    assert (edge.object_id, edge.properties["direction"], edge.negated) == (AZA, "negative", False)


def test_denied_association_makes_no_edge(extractor):
    x = extract(extractor, "SF3B1 mutation was not associated with higher-risk MDS in our series.")
    assert edges(x, "ASSOCIATED_WITH") == []


def test_stated_association_is_kept(extractor):
    x = extract(extractor, "Del(5q) is associated with MDS with isolated del(5q).")
    assert [(r.subject_id, r.object_id, r.negated) for r in edges(x, "ASSOCIATED_WITH")] == [
        ("MDSKG:marker/del5q", "MDSKG:subtype/who2022-mds-5q", False)]


# ---- 2./3. treatment sequences ---------------------------------------------------------------------


@pytest.mark.parametrize("sentence,kind", [
    ("Decitabine after azacitidine failure cannot be recommended.", None),
    ("Switching to decitabine after azacitidine failure is not effective.", None),
    ("Pembrolizumab is being studied in early-phase trials after HMA failure.", None),
    ("Relapsed after or refractory to azacitidine or decitabine, lenalidomide permitted.", None),
    ("Relapsed after or refractory to azacitidine or decitabine, lenalidomide permitted.", "inclusion"),
    ("Prior treatment with azacitidine or decitabine is allowed.", "inclusion"),
])
def test_no_sequence_edge(extractor, sentence, kind):
    assert edges(extract(extractor, sentence, kind), "NEXT_AFTER_FAILURE") == []


def test_a_hedged_sequence_is_kept_as_hedged(extractor):
    [edge] = edges(extract(extractor, "Decitabine may be an option after azacitidine failure."), "NEXT_AFTER_FAILURE")
    assert (edge.subject_id, edge.object_id, edge.negated, edge.hedged) == (AZA, DEC, False, True)


@pytest.mark.parametrize("sentence,expected", [
    ("After ESA failure, luspatercept is an option for lower-risk MDS.",
     ("MDSKG:therapy/esa", "MDSKG:drug/luspatercept")),
    ("After HMA failure, enrollment in a clinical trial is recommended.", ("MDSKG:therapy/hma", CLINICAL_TRIAL_ID)),
    ("Venetoclax is not only active after HMA failure but also well tolerated.",
     ("MDSKG:therapy/hma", "MDSKG:drug/venetoclax")),
])
def test_stated_sequences_are_kept(extractor, sentence, expected):
    [edge] = edges(extract(extractor, sentence), "NEXT_AFTER_FAILURE")
    assert (edge.subject_id, edge.object_id, edge.negated) == (*expected, False)


# ---- 4. abbreviations do not spread their long form's qualifier ----------------------------------


def test_a_later_bare_abbreviation_is_the_disease(extractor):
    text = "Patients with higher-risk myelodysplastic syndromes (MDS) were enrolled. MDS is a clonal disorder."
    x = extract(extractor, text)
    by_start = {m.start: m.concept_id for m in x.mentions}
    assert by_start[text.index("higher-risk")] == HIGHER_RISK
    assert by_start[text.index("(MDS)") + 1] == HIGHER_RISK  # the definition itself
    assert by_start[text.rindex("MDS is")] == MDS


def test_an_abbreviation_still_takes_an_unqualified_long_form(extractor):
    text = "Lower-risk myelodysplastic syndromes (LR-MDS) were studied. LR-MDS is common."
    x = extract(extractor, text)
    assert {m.concept_id for m in x.mentions if m.text == "LR-MDS"} == {"MDSKG:risk/lower-risk"}


def test_an_ambiguous_abbreviation_still_takes_the_qualified_meaning(extractor):
    text = "Horse antithymocyte globulin (ATG) was given. ATG caused serum sickness."
    x = extract(extractor, text)
    assert {m.concept_id for m in x.mentions if m.text == "ATG"} == {"MDSKG:drug/horse-atg"}


def test_an_abstracts_study_finding_is_not_next_step_advice():
    from etl.nlp.relations import sequence_blocked

    assert sequence_blocked("Treatment with decitabine after azacitidine failure gave few responses in our cohort",
                            "MDSKG:drug/decitabine", "abstract") == "finding"
    assert sequence_blocked("After azacitidine failure, a clinical trial should be considered",
                            "MDSKG:therapy/clinical-trial", "abstract") is None
    assert sequence_blocked("After azacitidine failure, decitabine is an option for some patients",
                            "MDSKG:drug/decitabine", "body") is None


@pytest.mark.parametrize("sentence", [
    "Usual treatments were hydroxyurea, low-dose cytarabine, and hypomethylating agents.",
    "Care relied on hydroxyurea, hypomethylating agents (HMA), and allogeneic stem cell transplantation.",
    "Patients first received either hydroxyurea, hypomethylating agents, or intensive chemotherapy.",
])
def test_a_list_of_treatments_is_not_a_class_and_its_members(sentence):
    doc = Document("MDSKG:doc/test", "test", sentence, SourceType.TEXT)
    relations = RuleExtractor().extract(doc).relations
    assert not [r for r in relations if r.type == "INCLUDES_DRUG"]


@pytest.mark.parametrize("sentence", [
    "We report on 40 CMML patients treated with azacitidine at two centres.",  # who was studied
    "Azacitidine had limited activity in older patients with MDS.",  # a weak effect is not a finding that it treats
    "Unlike the results of the clinical trials, our data show a shorter survival in MDS.",  # not the therapy
])
def test_abstract_sentences_that_are_not_treats_findings(sentence):
    doc = Document("PMID:1", "A made-up title", sentence, SourceType.PUBMED,
                   (Section("Abstract", 0, len(sentence), "abstract"),))
    relations = RuleExtractor().extract(doc).relations
    assert not [r for r in relations if r.type == "TREATS" and not r.negated]


def test_an_abstract_finding_of_effect_is_still_a_treats_edge():
    sentence = "Decitabine was effective in patients with CMML, with responses in 40%."
    doc = Document("PMID:1", "A made-up title", sentence, SourceType.PUBMED,
                   (Section("Abstract", 0, len(sentence), "abstract"),))
    relations = RuleExtractor().extract(doc).relations
    assert any(r.type == "TREATS" and r.subject_id == "MDSKG:drug/decitabine" for r in relations)


@pytest.mark.parametrize("sentence", [
    "In conclusion, our series shows the inadequacies of decitabine therapy in chronic myelomonocytic leukemia.",
    "Suboptimal response rates to azacitidine treatment in myelodysplastic syndromes were seen in this cohort.",
    "Azacitidine produced an unsatisfactory response in patients with myelodysplastic syndromes.",
])
def test_an_abstract_calling_a_therapy_inadequate_gives_no_treats_edge(extractor, sentence):
    extraction = extract(extractor, sentence, kind="abstract")
    assert [r for r in edges(extraction, "TREATS") if r.subject_id in (AZA, DEC)] == []


def test_an_abstract_stating_a_benefit_still_gives_a_treats_edge(extractor):
    extraction = extract(extractor, "Azacitidine improved overall survival in patients with myelodysplastic "
                                    "syndromes.", kind="abstract")
    assert [r.subject_id for r in edges(extraction, "TREATS")] == [AZA]

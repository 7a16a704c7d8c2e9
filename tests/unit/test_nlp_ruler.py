"""The ontology entity ruler, abbreviation linking and the assembled pipeline."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
import spacy

from etl.nlp.components import is_case_sensitive, surface_variants, token_pattern
from etl.nlp.pipeline import PIPE_NAMES, build_pipeline, default_pipeline
from ontology import load_ontology, normalise_surface


@dataclass(frozen=True)
class Form:
    text: str
    concept_id: str
    label: str
    kind: str
    ambiguous: bool = False


class MiniOntology:
    """Just enough ontology for the ruler: `surface_forms()`."""

    FORMS = [
        Form("immunosuppressive therapy", "T:ist", "Therapy", "name"),
        Form("IST", "T:ist", "Therapy", "abbreviation"),
        Form("horse antithymocyte globulin", "D:hatg", "Drug", "name"),
        Form("antithymocyte globulin", "X:atg", "Term", "synonym", True),
        Form("ATG", "X:atg", "Term", "name", True),
        Form("cyclosporine", "D:csa", "Drug", "name"),
        Form("erythropoiesis-stimulating agents", "T:esa", "Therapy", "name"),
        Form("ESA", "T:esa", "Therapy", "abbreviation"),
        Form("myelodysplastic syndromes", "Dis:mds", "Disease", "name"),
        Form("MDS", "Dis:mds", "Disease", "abbreviation"),
        Form("myelodisplastic syndrome", "Dis:mds", "Disease", "lay_term"),
        Form("lower-risk MDS", "R:lr", "RiskCategory", "name"),
        Form("lower-risk hypocellular MDS", "G:lrh", "PatientGroup", "name"),
        Form("transfusion dependent", "B:td", "Biomarker", "lay_term"),
        Form("lenalidomide", "D:len", "Drug", "name"),
    ]

    def surface_forms(self):
        return list(self.FORMS)


@pytest.fixture(scope="module")
def mini_nlp():
    return build_pipeline(MiniOntology())


def ents(doc):
    return [(e.text, e.label_, e.ent_id_) for e in doc.ents]


def test_pipeline_components_in_order(mini_nlp):
    assert tuple(mini_nlp.pipe_names) == PIPE_NAMES


def test_longest_match_wins_and_ids_are_concept_ids(mini_nlp):
    doc = mini_nlp("IST is an option for lower-risk hypocellular MDS and for lower-risk MDS.")
    assert ents(doc) == [
        ("IST", "Therapy", "T:ist"),
        ("lower-risk hypocellular MDS", "PatientGroup", "G:lrh"),
        ("lower-risk MDS", "RiskCategory", "R:lr"),
    ]


def test_case_sensitive_short_abbreviations(mini_nlp):
    assert ents(mini_nlp("ist mds esa")) == []
    assert [e[0] for e in ents(mini_nlp("IST for MDS after ESAs"))] == ["IST", "MDS", "ESAs"]


def test_case_insensitive_names_plural_hyphen_and_lay_terms(mini_nlp):
    doc = mini_nlp("Erythropoiesis stimulating agent, CYCLOSPORINE, a Myelodisplastic Syndrome, transfusion-dependent.")
    assert [e[2] for e in ents(doc)] == ["T:esa", "D:csa", "Dis:mds", "B:td"]


def test_citation_markers_are_not_entities(mini_nlp):
    doc = mini_nlp("Lenalidomide is an option [MDSKG:source/lenalidomide-mds] [PMID:1].")
    assert ents(doc) == [("Lenalidomide", "Drug", "D:len")]


def test_abbreviation_defined_in_text_takes_the_long_form_concept(mini_nlp):
    doc = mini_nlp("Immunosuppressive therapy (IST) with horse antithymocyte globulin (ATG), with or without "
                   "cyclosporine, is an option. Later, ATG was given again.")
    found = ents(doc)
    assert ("ATG", "Drug", "D:hatg") in found
    assert sum(1 for text, _, cid in found if text == "ATG" and cid == "D:hatg") == 2
    assert ("horse antithymocyte globulin", "Drug", "D:hatg") in found
    assert ("IST", "Therapy", "T:ist") in found


def test_abbreviation_without_definition_keeps_its_own_concept(mini_nlp):
    assert ents(mini_nlp("ATG was given.")) == [("ATG", "Term", "X:atg")]


def test_thresholds_negation_and_hedging_on_the_doc(mini_nlp):
    doc = mini_nlp("Lenalidomide is not recommended for MDS with platelets < 50 × 10^9/L. "
                   "IST may be considered for lower-risk MDS.")
    assert [(t.variable, t.operator, t.value) for t in doc._.thresholds] == [("platelets_10e9_l", "<", 50)]
    flags = {e.text: (e._.negated, e._.hedged) for e in doc.ents}
    assert flags["Lenalidomide"] == (True, False)
    assert flags["IST"] == (False, True)
    first = next(iter(doc.sents))
    assert [t.variable for t in first._.thresholds] == ["platelets_10e9_l"]


def test_token_pattern_builder():
    assert token_pattern(["IST"], True) == [{"ORTH": {"IN": ["IST", "ISTs"]}}]
    pattern = token_pattern(["erythropoiesis", "-", "stimulating", "agents"], False)
    assert pattern[0] == {"LOWER": "erythropoiesis"}
    assert pattern[1] == {"ORTH": {"IN": ["-", "‐", "‑", "–"]}, "OP": "?"}
    assert pattern[-1] == {"LOWER": {"IN": ["agents", "agent"]}}
    matcher = spacy.matcher.Matcher(spacy.blank("en").vocab)
    matcher.add("ESA", [pattern])
    nlp = spacy.blank("en")
    assert len(matcher(nlp("erythropoiesis stimulating agent"))) == 1


def test_case_sensitivity_rule():
    assert is_case_sensitive("MDS", "abbreviation")
    assert is_case_sensitive("IPSS-R", "abbreviation")
    assert is_case_sensitive("MSD", "lay_term")  # an all-capital acronym
    assert not is_case_sensitive("cyclosporine", "name")
    assert not is_case_sensitive("del(5q)", "synonym")
    assert {"transfusion dependent", "transfusion-dependent"} <= surface_variants("transfusion dependent")


def _unique_forms(onto, kinds):
    """Forms whose spelling belongs to one concept only (others are deliberately ambiguous)."""
    owners: dict[str, set[str]] = {}
    for form in onto.surface_forms():
        owners.setdefault(normalise_surface(form.text), set()).add(form.concept_id)
    return [f for f in onto.surface_forms() if f.kind in kinds and not f.ambiguous
            and len(owners[normalise_surface(f.text)]) == 1 and len(f.text) >= 3]


def test_every_lay_term_and_misspelling_of_the_ontology_is_found():
    onto = load_ontology()
    nlp = default_pipeline()
    forms = _unique_forms(onto, ("lay_term", "brand_name"))
    assert len(forms) > 20
    missed = []
    for form in forms:
        doc = nlp(f"We asked about {form.text} yesterday.")
        hits = [e for e in doc.ents if e.text == form.text]
        if not hits or hits[0].ent_id_ != form.concept_id:
            missed.append((form.text, form.concept_id, [(e.text, e.ent_id_) for e in doc.ents]))
    assert missed == []


def test_every_name_synonym_and_abbreviation_is_found():
    onto = load_ontology()
    nlp = default_pipeline()
    missed = []
    for form in _unique_forms(onto, ("name", "synonym", "abbreviation")):
        doc = nlp(f"We asked about {form.text} yesterday.")
        if not any(e.text == form.text and e.ent_id_ == form.concept_id for e in doc.ents):
            missed.append((form.text, form.concept_id, [(e.text, e.ent_id_) for e in doc.ents]))
    assert missed == []


def test_building_the_pipeline_is_fast():
    onto = load_ontology()
    started = time.perf_counter()
    nlp = build_pipeline(onto)
    elapsed = time.perf_counter() - started
    assert elapsed < 3.0, elapsed
    assert nlp.get_pipe("mdskg_entity_ruler").pattern_count >= len(onto.surface_forms())
    assert default_pipeline() is default_pipeline()

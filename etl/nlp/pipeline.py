"""The one function that builds the MDS NLP pipeline.

    from etl.nlp.pipeline import build_pipeline
    nlp = build_pipeline()              # default ontology
    doc = nlp("IST with horse ATG is an option for lower-risk hypocellular MDS [PMID:9401087].")
    [(e.text, e.label_, e.ent_id_, e._.negated) for e in doc.ents]

No trained model is needed or downloaded: the pipeline starts from `spacy.blank("en")` and adds
rule components only. `default_pipeline()` caches one pipeline per process.
"""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language

import etl.nlp.components  # noqa: F401  (registers the factories)

PIPE_NAMES = (
    "mdskg_sentences",
    "mdskg_citations",
    "mdskg_entity_ruler",
    "abbreviation_detector",
    "mdskg_abbreviations",
    "mdskg_thresholds",
    "mdskg_negation",
)


def build_pipeline(ontology=None, *, generic_ner: bool = False, abbreviations: bool = True) -> Language:
    """spacy.blank("en") + sentences, citations, ontology ruler, scispaCy abbreviations, thresholds,
    negation; with `generic_ner=True` also the suffix-based disease/chemical spotter (evaluation only).

    `ontology` is an `ontology.Ontology` (or anything with `surface_forms()`); None loads the default.
    """
    if ontology is None:
        from ontology import load_ontology

        ontology = load_ontology()
    nlp = spacy.blank("en")
    _tokenize_registry_text(nlp)
    nlp.add_pipe("mdskg_sentences")
    nlp.add_pipe("mdskg_citations")
    ruler = nlp.add_pipe("mdskg_entity_ruler")
    ruler.add_forms(ontology.surface_forms())
    if abbreviations:
        # scispaCy's detector behind a gate that skips docs without '(' (components.py)
        detector = nlp.add_pipe("mdskg_abbreviation_detector", name="abbreviation_detector")
        # The detector's global Matcher is empty until a document defines an abbreviation, and spaCy
        # warns (W036) on every such document; a pattern that can never match keeps it quiet.
        detector.global_matcher.add("__mdskg_never__", [[{"ORTH": "\u0000never\u0000"}]])
        nlp.add_pipe("mdskg_abbreviations")
    nlp.add_pipe("mdskg_thresholds")
    if generic_ner:
        nlp.add_pipe("mdskg_generic_ner")
    nlp.add_pipe("mdskg_negation")
    return nlp


def _tokenize_registry_text(nlp: Language) -> None:
    """Registry text glues reference marks to words ('del 5q[31]'): split on '[' and ']' so the word is
    matched; and a full stop after a hyphenated capital ('Ara-C.') ends the sentence. Ruler patterns are
    tokenised by this same tokenizer, so they agree."""
    # Two bracketed names joined by a slash ('inv(3)/t(3;3)', 'del(5q)/del(7q)') are two words.
    infixes = list(nlp.Defaults.infixes) + [r"\[", r"\]", r"\)(?=/[A-Za-z])", r"(?<=\))/(?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    # A sentence ending in a name like "Ara-C." or "HLA-B.": the full stop is not part of an initial.
    suffixes = list(nlp.Defaults.suffixes) + [r"(?<=[\w]-[A-Z])\."]
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search


@functools.lru_cache(maxsize=4)
def default_pipeline(generic_ner: bool = False) -> Language:
    """One shared pipeline over the default ontology (building it costs ~1 s)."""
    return build_pipeline(generic_ner=generic_ner)

"""Sentence splitting and citation markers (pure functions and the spaCy components)."""

from __future__ import annotations

import spacy

import etl.nlp.components  # noqa: F401  (registers the factories)
from etl.nlp.citations import citations_in, find_citation_markers, normalise_curie
from etl.nlp.sentences import split_sentences, unwrap_lines


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_citation_marker_before_the_period_stays_with_its_sentence():
    text = ("IST is an option for lower-risk hypocellular MDS [PMID:9401087]. Response is more likely "
            "in younger patients [PMID:12176872].")
    assert sentences(text) == [
        "IST is an option for lower-risk hypocellular MDS [PMID:9401087].",
        "Response is more likely in younger patients [PMID:12176872].",
    ]


def test_citation_markers_after_the_period_stay_with_their_sentence():
    text = ("IST uses horse ATG. [MDSKG:source/pdq-mds-treatment-hp] [PMID:9401087]\n"
            "ESAs work best when the serum EPO level is low. [PMID:1] Next one.[18] Last.[9-11][Level of evidence C3]")
    assert sentences(text) == [
        "IST uses horse ATG. [MDSKG:source/pdq-mds-treatment-hp] [PMID:9401087]",
        "ESAs work best when the serum EPO level is low. [PMID:1]",
        "Next one.[18]",
        "Last.[9-11][Level of evidence C3]",
    ]


def test_abbreviations_and_decimals_do_not_split():
    text = ("Drugs, e.g. azacitidine vs. decitabine, were compared by Dr. Smith et al. in 2010 at 2.5 mg/kg. "
            "Approx. 3 cycles, i.e. 12 weeks, were given. A new sentence.")
    assert sentences(text) == [
        "Drugs, e.g. azacitidine vs. decitabine, were compared by Dr. Smith et al. in 2010 at 2.5 mg/kg.",
        "Approx. 3 cycles, i.e. 12 weeks, were given.",
        "A new sentence.",
    ]


def test_markdown_blocks_end_sentences_but_wrapped_lines_do_not():
    text = ("# Heading\nA sentence that is hard\nwrapped over lines. Another.\n\n- bullet one\n- bullet two\n"
            "| a | b |\nInclusion Criteria:\n  -  18 years or older")
    assert sentences(text) == [
        "# Heading", "A sentence that is hard\nwrapped over lines.", "Another.", "- bullet one", "- bullet two",
        "| a | b |", "Inclusion Criteria:", "-  18 years or older",
    ]


def test_unwrap_lines_keeps_length_and_blocks():
    text = "supportive\ncare is given.\n- bullet\n\nNew paragraph"
    out = unwrap_lines(text)
    assert len(out) == len(text)
    assert out == "supportive care is given.\n- bullet\n\nNew paragraph"


def test_citation_markers_parse_and_normalise():
    text = "A [PMID:1; PMID: 2]. B [clinicaltrials:nct02631070] C [NCT00071799] D [MDSKG:source/slug] E [18]."
    markers = find_citation_markers(text)
    assert [m.curies for m in markers] == [
        ("PMID:1", "PMID:2"), ("clinicaltrials:NCT02631070",), ("clinicaltrials:NCT00071799",),
        ("MDSKG:source/slug",), ()]
    assert citations_in(text) == ("PMID:1", "PMID:2", "clinicaltrials:NCT02631070",
                                  "clinicaltrials:NCT00071799", "MDSKG:source/slug")
    assert normalise_curie("doi: 10.1/x") == "DOI:10.1/x"
    for marker in markers:
        assert text[marker.start : marker.end] == marker.raw


def test_spacy_components_set_sentences_and_citations():
    nlp = spacy.blank("en")
    nlp.add_pipe("mdskg_sentences")
    nlp.add_pipe("mdskg_citations")
    doc = nlp("IST is an option [PMID:9401087]. ESAs e.g. epoetin work best [PMID:1; PMID:2]. No marker here.")
    sents = list(doc.sents)
    assert [s.text for s in sents] == [
        "IST is an option [PMID:9401087].", "ESAs e.g. epoetin work best [PMID:1; PMID:2].", "No marker here."]
    assert [s._.citations for s in sents] == [("PMID:9401087",), ("PMID:1", "PMID:2"), ()]


def test_sentencizer_handles_leading_whitespace_and_empty_docs():
    nlp = spacy.blank("en")
    nlp.add_pipe("mdskg_sentences")
    assert [s.text.strip() for s in nlp("\n\n  First one. Second one.").sents if s.text.strip()] == [
        "First one.", "Second one."]
    assert list(nlp("").sents) == []


def test_unwrap_lines_keeps_heading_and_colon_line_ends():
    text = "## Higher-risk MDS\nHypomethylating agents are first-line.\nInclusion Criteria:\nAge 18"
    assert unwrap_lines(text) == text.replace("first-line.\n", "first-line. ")
    assert sentences(unwrap_lines(text))[:2] == ["## Higher-risk MDS", "Hypomethylating agents are first-line."]

"""The made-up abstracts of bench/outcome_probes.py go through the real PubMed reader, sections and all."""

from __future__ import annotations

from bench.outcome_probes import abstract_sections, probe_article, probe_documents


def test_a_structured_abstract_keeps_its_labelled_sections():
    text = "BACKGROUND: Why we looked.\nMETHODS: Who was treated\nand how.\nRESULTS: What came out.\n"
    assert abstract_sections(text) == [("BACKGROUND", "Why we looked."), ("METHODS", "Who was treated and how."),
                                       ("RESULTS", "What came out.")]


def test_an_unstructured_abstract_is_one_paragraph_and_inline_capitals_are_not_labels():
    text = "Fifty patients were given drug X.\nThe ORR: 30% by IWG 2006."
    assert abstract_sections(text) == [(None, "Fifty patients were given drug X. The ORR: 30% by IWG 2006.")]


def test_text_before_the_first_label_is_kept():
    assert abstract_sections("An opening line.\nRESULTS: A result.") == [(None, "An opening line."),
                                                                         ("RESULTS", "A result.")]


def test_the_probe_becomes_a_pubmed_document_with_its_made_up_id():
    entry = {"pmid": "SYN-900", "title": "A made-up study", "text": "RESULTS: Ten of 40 responded (25%)."}
    assert probe_article(entry).findtext("MedlineCitation/PMID") == "SYN-900"
    (document,) = probe_documents([entry])
    assert document.id == "PMID:SYN-900"
    assert "Ten of 40 responded (25%)." in document.text
    assert [s.title for s in document.sections] == ["Title", "RESULTS"]

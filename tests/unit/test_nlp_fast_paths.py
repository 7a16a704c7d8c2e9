"""The fast paths of the NLP pipeline (issue 7) give exactly what the slow ones gave.

Each test compares a fast helper with the straightforward code it replaced (kept here as the
reference), or checks the necessary-condition property a prefilter relies on.
"""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
import spacy

import etl.nlp.components  # noqa: F401  (registers the factories)
from etl.nlp import negation, thresholds
from etl.nlp.components import (
    AbbreviationDetectorGate,
    RuleSentencizer,
    doc_text,
    entity_sentences,
    overlaps_any,
    sentence_start_flags,
)
from etl.nlp.sentences import split_sentences

TEXTS = [
    "IST with horse ATG is an option [PMID:9401087]. Lenalidomide is not recommended for higher-risk MDS.",
    "  \n Leading whitespace. Then a second sentence.\n\n# Heading\n- bullet one\n- bullet two",
    "e.g. 2.5 mg/kg vs. placebo, et al. reported. Dr. Smith agreed.\n\n\n   ",
    "",
    "   ",
    "One.  Two.   Three.\n\nFour",
]


def _reference_sent_starts(doc) -> list[bool]:
    """The per-token loop RuleSentencizer used before (one token at a time)."""
    starts = {start for start, _ in split_sentences(doc.text)}
    out, pending = [], True
    for token in doc:
        if token.is_space:
            out.append(pending and token.i == 0)
            continue
        if pending or token.idx in starts:
            out.append(True)
            pending = False
        else:
            out.append(token.i == 0)
    return out


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


@pytest.mark.parametrize("text", TEXTS)
def test_sentencizer_matches_the_per_token_loop(blank, text):
    doc = RuleSentencizer()(blank(text))
    assert [t.is_sent_start for t in doc] == _reference_sent_starts(blank(text))


def test_sentence_start_flags_cases():
    # tokens at 0 (space), 2, 5 (space), 6, 10; sentences start at 2 and 10 (and 7: no token there)
    flags = sentence_start_flags([0, 2, 5, 6, 10], [True, False, True, False, False], [2, 7, 10])
    assert flags.tolist() == [1, 1, -1, -1, 1]
    # the first non-space token starts a sentence even when split_sentences says nothing
    assert sentence_start_flags([0, 3], [True, False], []).tolist() == [1, 1]
    # a space token never starts a sentence, even at a listed offset, except token 0
    assert sentence_start_flags([0, 1, 2], [False, True, False], [1]).tolist() == [1, -1, -1]
    assert sentence_start_flags([], [], [0]).tolist() == []


def test_entity_sentences_match_span_sent(blank):
    doc = blank("a b c d e f g h i j")
    for token, start in zip(doc, [1, -1, -1, 1, -1, 1, -1, -1, 1, -1], strict=True):
        token.is_sent_start = start == 1
    ents = [(0, 1), (1, 4), (2, 5), (5, 6), (7, 10), (9, 10)]  # (1, 4) and (2, 5) cross a boundary
    expected = [(doc[s:e].sent.start, doc[s:e].sent.end) for s, e in ents]
    assert entity_sentences(doc.to_array("SENT_START"), [s for s, _ in ents]) == expected
    assert entity_sentences(np.array([1, -1, -1]), [0, 2]) == [(0, 3), (0, 3)]


def test_overlaps_any():
    class M:
        def __init__(self, start, end):
            self.start, self.end = start, end

    markers = [M(10, 20)]
    assert overlaps_any(markers, 15, 25) and overlaps_any(markers, 5, 11)
    assert not overlaps_any(markers, 20, 25) and not overlaps_any(markers, 0, 10) and not overlaps_any([], 0, 99)


def test_doc_text_is_the_docs_text_per_doc(blank):
    one, two = blank("first text here"), blank("second text")
    assert doc_text(one) == one.text and doc_text(two) == two.text
    assert doc_text(one) is doc_text(one)  # computed once


# ---- negation ---------------------------------------------------------------------------------

ALL_CUES = (negation.PSEUDO_NEGATIONS + negation.BACKWARD_NEGATIONS + negation.BOTH_NEGATIONS
            + negation.HEDGES + negation.FORWARD_NEGATIONS)


def test_phrase_trie_pattern_matches_exactly_the_phrases():
    phrases = ["no", "not", "not recommended", "no evidence of", "may", "may be considered"]
    trie = re.compile(negation.phrase_trie_pattern(phrases), re.IGNORECASE)
    for phrase in phrases:
        assert trie.fullmatch(phrase) and trie.fullmatch(phrase.upper().replace(" ", " \n "))
    for other in ["n", "nots", "not  recommend", "no evidence", "ma", "be considered", ""]:
        assert not trie.fullmatch(other), other


def test_cue_matches_equal_the_cue_regex():
    rng = random.Random(7)
    words = [w for p in ALL_CUES for w in p.split()] + ["MDS", "azacitidine", "non-del(5q)", "Non-", "nothing",
                                                        "note", ",", ";", "\n", "-", "NOT", "Can't", "ſuggest"]
    sentences = list(TEXTS) + [
        "Lenalidomide is not recommended, with or without ESAs, but may be considered in trials.",
        "There was no evidence of benefit; non-responders did not respond.",
    ]
    for _ in range(3000):
        sentences.append("".join(rng.choice(words) + rng.choice(["", " ", "  ", "\n", "-"])
                                 for _ in range(rng.randint(1, 10))))
    for sentence in sentences:
        expected = [(m.start(), m.end(), m.lastgroup) for m in negation._CUE_RE.finditer(sentence)]
        assert [(m.start(), m.end(), m.lastgroup) for m in negation.cue_matches(sentence)] == expected, sentence


def test_entity_flags_without_cues_are_defaults():
    flags = negation.entity_flags("Azacitidine improves survival in higher-risk MDS.", [(0, 11), (36, 48)])
    assert flags == [negation.EntityFlags(), negation.EntityFlags()]


# ---- thresholds -------------------------------------------------------------------------------

BURDEN = ["≥ 2 units of RBC per 8 weeks", "at least 4 units in the past 8 weeks", "2-3 U/month",
          "4 or more units of packed red blood cells every 8 wks", "more than 2 units RBC transfusions received over 16 weeks"]
DEPENDENCE = ["transfusion-dependent anemia", "RBC-TD patients", "TD MDS", "dependent on regular red cell transfusions",
              "requiring frequent RBC transfusions", "non transfusion dependent"]


@pytest.mark.parametrize("text", BURDEN)
def test_burden_prefilter_is_necessary(text):
    matches = list(thresholds._TRANSFUSION_BURDEN.finditer(text))
    assert matches and all(thresholds._BURDEN_PREFILTER.search(m.group()) for m in matches)
    assert thresholds.parse_transfusion_burden(text)


@pytest.mark.parametrize("text", DEPENDENCE)
def test_dependence_prefilter_is_necessary(text):
    matches = list(thresholds._TRANSFUSION_DEPENDENT.finditer(text))
    assert matches and all(thresholds._DEPENDENCE_PREFILTER.search(m.group()) for m in matches)
    assert thresholds.parse_transfusion_dependence(text)


def test_prefilters_skip_texts_without_their_words():
    text = "Azacitidine 75 mg/m2 for 7 days every 28 days; platelets < 50 x 10^9/L."
    assert not thresholds._BURDEN_PREFILTER.search(text) and not thresholds._DEPENDENCE_PREFILTER.search(text)
    assert thresholds.parse_transfusion_burden(text) == [] and thresholds.parse_transfusion_dependence(text) == []


# ---- abbreviation detector gate ---------------------------------------------------------------

def test_abbreviation_gate_skips_only_docs_without_parentheses():
    from scispacy.abbreviation import AbbreviationDetector

    nlp = spacy.blank("en")
    gate = AbbreviationDetectorGate(AbbreviationDetector(nlp))
    bare = AbbreviationDetector(nlp)
    calls = []
    original = gate.detector.__call__

    class Spy:
        def __getattr__(self, name):
            return getattr(original.__self__, name)

        def __call__(self, doc):
            calls.append(doc)
            return original(doc)

    gate.detector = Spy()
    text = "Patients received antithymocyte globulin (ATG). ATG was given again."
    got, want = gate(nlp(text)), bare(nlp(text))
    assert [(a.start, a.text, a._.long_form.text) for a in got._.abbreviations] == \
        sorted((a.start, a.text, a._.long_form.text) for a in want._.abbreviations) != []
    assert len(calls) == 1
    doc = gate(nlp("No parentheses here, ATG only."))
    assert len(calls) == 1 and doc._.abbreviations == []


def test_abbreviations_come_out_in_text_order_whatever_order_scispacy_gives():
    """scispaCy's order follows Span hashes (memory addresses); the gate puts them in text order,
    so the linker gives an abbreviation the same concept on every run."""
    from scispacy.abbreviation import AbbreviationDetector

    nlp = spacy.blank("en")
    detector = AbbreviationDetector(nlp)

    def reversed_detector(doc):
        doc = detector(doc)
        doc._.abbreviations.reverse()
        return doc

    gate = AbbreviationDetectorGate(detector)
    gate.detector = type("Reversing", (), {"__call__": staticmethod(reversed_detector),
                                           "global_matcher": detector.global_matcher})()
    text = "Antithymocyte globulin (ATG) and erythropoietin (EPO) were given; ATG twice, EPO once, ATG again."
    starts = [a.start for a in gate(nlp(text))._.abbreviations]
    assert len(starts) >= 4 and starts == sorted(starts)

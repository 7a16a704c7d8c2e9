"""The fast paths of the rule extractor (issue 7) give exactly what the slow ones gave.

Each test compares a fast helper with the straightforward code it replaced (kept here as the
reference), or checks the necessary-condition property a prefilter relies on, on the sentences
of etl/corpus and of the synthetic benchmark plus hand-made ones.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Span

from etl.nlp import relations, roles
from etl.nlp.literals import Prefiltered, fold, may_match, required_words
from etl.nlp.relations import (
    OBJECT_CUES,
    SUBJECT_CUES,
    MentionView,
    RelationRules,
    SentenceView,
    clause_bounds,
    cue_candidates,
    entities_within,
)
from etl.nlp.sentences import split_sentences
from ontology import load_ontology

CORPUS = Path(__file__).resolve().parents[2] / "etl" / "corpus"

EXTRA = [
    "Lenalidomide is not recommended for higher-risk MDS; azacitidine is the standard of care.",
    "The FDA approved luspatercept for anemia in lower-risk MDS, but not for higher-risk MDS.",
    "IST should not be used in patients with ring sideroblasts, whereas ESAs may be considered.",
    "Allogeneic HSCT is the only potentially curative treatment and has been shown to improve survival.",
    "Some panels recommend decitabine for patients who are not candidates for transplant.",
    "No randomized trials have yet demonstrated a survival benefit of prophylactic antibiotics.",
    "Patients refractory to HMA, or intolerant of it, have a poor prognosis [PMID:1] [PMID:2].",
    "ESA-naive patients with low EPO levels respond better; resistance predicts non-response.",
    "CONSIDERED FOR FIRST-LINE THERAPY: Azacitidine Is The Mainstay Of Treatment.",
    "Conſidered with the Kelvin sign \u212a and dotless \u0131 and \u0130stanbul: not recommended.",
    "Hypocellular MDS is associated with response to ATG; CC-486 is an alternative to azacitidine.",
    "",
    "   ",
    "recommended",
]


def _sentences() -> list[str]:
    from bench.synthetic import DEFAULT_SEED, synthetic_documents

    texts = [p.read_text() for p in sorted(CORPUS.glob("*.md"))]
    texts += [d.text for d in synthetic_documents(150, DEFAULT_SEED, sentences=(2, 6))]
    out = [text[a:b] for text in texts for a, b in split_sentences(text)]
    return out + EXTRA


SENTENCES = _sentences()
CUES = [("subject", s, r) for s, r in SUBJECT_CUES] + [("object", s, r) for s, r in OBJECT_CUES]


def test_sentences_cover_the_cues():
    """The property tests below mean something only if the sample holds matches of most cues."""
    matched = sum(1 for _, _, regex in CUES if any(regex.search(s) for s in SENTENCES))
    assert matched >= len(CUES) * 2 // 3


# ---- required words -------------------------------------------------------------------------


@pytest.mark.parametrize("pattern, words", [
    (r"\b(?:is|are)\s+not\s+recommended\b", ("recommended",)),
    (r"x(?:abc|de)y", ("abc", "de")),  # a branch of two-letter words beats the one-letter runs
    (r"(?:abc)*def", ("def",)),  # an optional group requires nothing
    (r"(?:abcd)+e", ("abcd",)),  # a repeated group of at least one does
    (r"abc(?:defg)?hi", ("abc",)),
    (r"ab|c", ("ab", "c")),
    (r"relapse|relapsed|relapsing", ("relaps",)),  # re's parser takes the common prefix out
    (r"treated|pretreated|untreated", ("treated",)),  # words containing another add nothing
    (r"(?:ab|\w+)cd", ("cd",)),  # a branch with a wordless alternative requires nothing
    (r"\w+", None),
    (r"a?", None),
    (r"(?=recommended)\w+", None),  # lookarounds are not counted
    (r"—standard", ("standard",)),  # non-ASCII literals end a run
])
def test_required_words(pattern, words):
    assert required_words(re.compile(pattern, re.I)) == words


def test_required_words_are_necessary_for_every_cue_and_prefiltered_pattern():
    patterns = [regex for _, _, regex in CUES] + [
        relations.FAILURE_BEFORE.regex, relations.NEGATIVE_RESPONSE.regex, relations.RESPONSE_CUE.regex,
        relations.ASSOCIATION_CUE.regex, relations.SIDE_EFFECT_CUE.regex, relations.CONDITION_THERAPY.regex,
        relations._REVERSED.regex, roles.EXCLUDES.regex, roles.FAVOURS_NEGATIVE.regex, roles.FAVOURS.regex,
    ]
    for regex in patterns:
        words = required_words(regex)
        assert words, regex.pattern  # each of these has necessary words (else the filter is useless)
        for sentence in SENTENCES:
            for match in regex.finditer(sentence):
                # the matched text itself holds one of the words
                assert may_match(words, fold(match.group())) or fold(match.group()) is None, (regex.pattern, sentence)


def test_only_four_non_ascii_characters_match_ascii_under_ignorecase():
    """fold() trusts str.lower() except for texts with these characters: re.IGNORECASE matches no
    other non-ASCII character to a printable ASCII one."""
    printable = re.compile(r"[\x20-\x7e]", re.I)
    found = {chr(c) for c in range(128, sys.maxunicode + 1) if printable.fullmatch(chr(c))}
    assert found == {"\u0130", "\u0131", "\u017f", "\u212a"}
    assert fold("con\u017fidered") is None and fold("Considered") == "considered"
    assert may_match(("considered",), fold("con\u017fidered"))  # undecidable: scanned


@pytest.mark.parametrize("name, module", [
    ("FAILURE_BEFORE", relations), ("NEGATIVE_RESPONSE", relations), ("RESPONSE_CUE", relations),
    ("ASSOCIATION_CUE", relations), ("CONDITION_THERAPY", relations), ("_REVERSED", relations),
    ("EXCLUDES", roles), ("FAVOURS_NEGATIVE", roles), ("FAVOURS", roles),
])
def test_prefiltered_gives_the_patterns_results(name, module):
    fast = getattr(module, name)
    assert isinstance(fast, Prefiltered)
    regex = fast.regex
    for sentence in SENTENCES:
        windows = [(0, len(sentence)), (len(sentence) // 3, len(sentence)), (0, len(sentence) // 2)]
        for pos, endpos in windows:
            expected = regex.search(sentence, pos, endpos)
            got = fast.search(sentence, pos, endpos)
            assert (got and got.span()) == (expected and expected.span())
            expected = regex.match(sentence, pos, endpos)
            got = fast.match(sentence, pos, endpos)
            assert (got and got.span()) == (expected and expected.span())
            assert [m.span() for m in fast.finditer(sentence, pos, endpos)] == \
                [m.span() for m in regex.finditer(sentence, pos, endpos)]
        for start in range(0, len(sentence), 17):  # windows as the rules cut them
            window = sentence[max(0, start - 80) : start]
            assert bool(fast.search(window)) == bool(regex.search(window))


# ---- cues and clauses -----------------------------------------------------------------------


def _reference_clauses(text: str) -> list[tuple[int, int]]:
    """_clauses as it was (recomputed on every call)."""
    bounds, position = [], 0
    for match in relations.CLAUSE_SPLIT.finditer(text):
        bounds.append((position, match.start()))
        position = match.end()
    bounds.append((position, len(text)))
    return [(a, b) for a, b in bounds if b > a]


def _reference_found(text: str, a: int, b: int) -> list[tuple[str, str, tuple[int, int]]]:
    """bindings()' cue scan as it was: every cue pattern on every clause."""
    found = [("subject", strength, m) for strength, regex in SUBJECT_CUES for m in regex.finditer(text, a, b)]
    found += [("object", strength, m) for strength, regex in OBJECT_CUES for m in regex.finditer(text, a, b)]
    found.sort(key=lambda f: (f[2].start(), f[0] != "subject"))
    return [(kind, strength, m.span()) for kind, strength, m in found]


def test_clause_bounds_and_cue_candidates_match_the_full_scan():
    for text in SENTENCES:
        assert list(clause_bounds(text)) == _reference_clauses(text)
        candidates = cue_candidates(text)
        for a, b in clause_bounds(text):
            found = [(kind, strength, m) for kind, strength, regex in candidates for m in regex.finditer(text, a, b)]
            found.sort(key=lambda f: (f[2].start(), f[0] != "subject"))
            assert [(k, s, m.span()) for k, s, m in found] == _reference_found(text, a, b), text


def test_cue_candidates_skip_most_cues_on_plain_text():
    assert cue_candidates("Anemia is common in MDS.") == ()
    kinds = {(kind, strength) for kind, strength, _ in cue_candidates("X is not recommended for Y.")}
    assert ("subject", "not_recommended") in kinds


def test_sentence_view_clauses_are_clause_bounds():
    sv = SentenceView("A is an option, whereas B is not; C is.", 0, 39)
    assert sv.clauses == clause_bounds(sv.text) == tuple(_reference_clauses(sv.text))
    assert sv.clauses is sv.clauses  # computed once


def test_without_citations_fast_path():
    for text in SENTENCES + ["a [PMID:1] b [x [y] z]", "[", "]["]:
        assert relations._without_citations(text) == re.sub(r"\[[^\[\]]*\]", lambda m: " " * len(m.group()), text)


# ---- document() takes recommendations from the relation pass --------------------------------


@pytest.fixture(scope="module")
def rules():
    return RelationRules(load_ontology())


def _view(text: str, *mentions: tuple[str, str, str], offset: int = 100) -> SentenceView:
    views, position = [], 0
    for surface, concept_id, label in mentions:
        start = text.index(surface, position)
        views.append(MentionView(concept_id, label, surface, offset + start, offset + start + len(surface)))
        position = start + len(surface)
    return SentenceView(text, offset, offset + len(text), "Section", None, ("PMID:1",), tuple(views))


VIEWS = [
    ("After ESA failure, luspatercept is an option for lower-risk MDS.",
     ("ESA", "MDSKG:therapy/esa", "Therapy"), ("luspatercept", "MDSKG:drug/luspatercept", "Drug"),
     ("lower-risk MDS", "MDSKG:risk/lower-risk", "RiskCategory")),
    ("Lenalidomide is recommended for lower-risk MDS, and azacitidine is an option for higher-risk MDS.",
     ("Lenalidomide", "MDSKG:drug/lenalidomide", "Drug"),
     ("lower-risk MDS", "MDSKG:risk/lower-risk", "RiskCategory"),
     ("azacitidine", "MDSKG:drug/azacitidine", "Drug"), ("higher-risk MDS", "MDSKG:risk/higher-risk", "RiskCategory")),
    ("Lenalidomide is not recommended for higher-risk MDS.",
     ("Lenalidomide", "MDSKG:drug/lenalidomide", "Drug"),
     ("higher-risk MDS", "MDSKG:risk/higher-risk", "RiskCategory")),
    ("Azacitidine is an option.", ("Azacitidine", "MDSKG:drug/azacitidine", "Drug")),
]


@pytest.mark.parametrize("spec", VIEWS, ids=[v[0][:30] for v in VIEWS])
def test_relation_pass_gives_sentence_recommendations(rules, spec):
    sv = _view(*spec)
    concepts = {m.concept_id for m in sv.mentions}
    relations_, mentions, bound = rules._sentence_relations(sv, "MDSKG:doc/x", concepts)
    assert relations_ == rules.sentence_relations(sv, "MDSKG:doc/x", concepts)
    expected = rules.sentence_recommendations(sv, "MDSKG:doc/x", concepts)
    has_population = any(m.label in relations.POPULATION_LABELS for m in mentions)
    assert (relations._unique_recommendations(bound) if has_population else []) == expected
    assert rules.document([sv], "MDSKG:doc/x").recommendations == rules._attach_criteria(expected, {}, relations_)
    if spec is not VIEWS[-1]:
        assert expected  # the comparison is not of two empty lists


# ---- entities by sentence -------------------------------------------------------------------


def test_entities_within_is_span_ents():
    nlp = spacy.blank("en")
    doc = nlp("a b c d e f g h i j k l")
    # adjacent, long and single-token entities; some cross the span boundaries tried below
    doc.ents = [Span(doc, 0, 2, "X"), Span(doc, 2, 3, "Y"), Span(doc, 4, 7, "X"), Span(doc, 8, 9, "Y"),
                Span(doc, 10, 12, "X")]
    ents = list(doc.ents)
    starts = [e.start for e in ents]
    for start in range(len(doc) + 1):
        for end in range(start, len(doc) + 1):
            expected = [(e.start, e.end, e.label_) for e in Span(doc, start, end).ents]
            got = [(e.start, e.end, e.label_) for e in entities_within(ents, starts, start, end)]
            assert got == expected, (start, end)

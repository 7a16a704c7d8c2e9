"""The grounding check: a text may name and quantify only what its facts do."""

from __future__ import annotations

import pytest

from mdskg.records import Fact
from service.writers.grounding import (
    Vocabulary,
    check_grounding,
    citation_mark_numbers,
    extract_numbers,
    split_sentences,
)

VOCAB = Vocabulary(
    [
        ("azacitidine", "CHEBI:2038", "Drug"),
        ("Vidaza", "CHEBI:2038", "Drug"),
        ("decitabine", "CHEBI:50131", "Drug"),
        ("lenalidomide", "CHEBI:63791", "Drug"),
        ("Revlimid", "CHEBI:63791", "Drug"),
        ("pembrolizumab", "DRUGBANK:DB09037", "Drug"),
        ("Keytruda", "DRUGBANK:DB09037", "Drug"),
        ("hypomethylating agent", "MDSKG:therapy/hma", "Therapy"),
        ("HMA", "MDSKG:therapy/hma", "Therapy"),
        ("stem cell transplant", "MDSKG:therapy/hsct", "Therapy"),
        ("allogeneic transplant", "MDSKG:therapy/hsct", "Therapy"),
        ("homeopathy", "MDSKG:therapy/homeopathy", "Therapy"),
        ("TP53", "HGNC:11998", "Gene"),
        ("SF3B1", "HGNC:10768", "Gene"),
        ("del(5q)", "MDSKG:biomarker/del5q", "Biomarker"),
        ("serum ferritin", "LOINC:2276-4", "Biomarker"),
        ("serum EPO", "LOINC:15061-5", "Test"),
        ("IPSS-R", "MDSKG:scheme/ipss-r", "RiskScheme"),
        ("ALL", "MONDO:0004967", "Disease"),
        ("MDS", "MONDO:0018881", "Disease"),
    ]
)

FACTS = (
    Fact("F1", "What it is", "Azacitidine is a hypomethylating agent given as an injection under the skin.",
         ("PMID:1",), ("azacitidine", "hypomethylating agent")),
    Fact("F2", "What it involves", "It is usually given for 7 days every 28 days, for at least six cycles.",
         ("PMID:2",), (), ("7", "28", "six")),
    Fact("F3", "Does it work, and for whom", "In higher-risk MDS it helped people live longer; about 50% responded.",
         ("PMID:2", "PMID:3"), ("MDS",), ("50%",)),
    Fact("F4", "How it applies to MDS", "Lenalidomide is used for lower-risk MDS with del(5q).",
         ("PMID:3",), ("lenalidomide", "del(5q)", "MDS")),
    Fact("F5", "What it involves", "A transplant is considered for people aged sixty or younger with a serum EPO above 500 mU/mL.",
         ("PMID:3",), ("serum EPO",), ("60", "500 mU/mL")),
    Fact("F6", "What it involves", "Platelets below 100 x 10^9/L and 5-10% marrow blasts are checked.",
         ("PMID:1",), (), ("100 x 10^9/L", "5-10%")),
)

FAITHFUL = """\
## What it is

Azacitidine (Vidaza) is a hypomethylating agent, or HMA, given as an injection under the skin [1].

## What it involves

It is usually given for seven days every 28 days, for at least 6 cycles [2]. Doctors check platelets
below 100 ×10⁹/L and 5–10% marrow blasts [1].

## Does it work, and for whom

In higher-risk MDS about 50 percent of people responded [2][3]. Revlimid (lenalidomide) is used for
lower-risk MDS with del(5q) [3].

## Questions to ask your doctor

- Is a transplant possible for me at 60 or younger?
- What does my serum EPO of over 500 mU/mL mean? [3]
"""


def check(text: str, **kwargs):
    return check_grounding(text, FACTS, VOCAB, **kwargs)


def test_faithful_text_is_accepted():
    report = check(FAITHFUL, require_citations=True)
    assert report.ok, report.problems
    assert report.problems == []


def test_vocabulary_may_be_plain_pairs():
    pairs = [("azacitidine", "CHEBI:2038"), ("pembrolizumab", "DB09037")]
    assert check_grounding("Azacitidine is a hypomethylating agent [1].", FACTS, pairs).ok
    report = check_grounding("Pembrolizumab helps [1].", FACTS, pairs)
    assert report.problems == ["names a concept not in the facts: Pembrolizumab"]


@pytest.mark.parametrize(
    "sentence, problem",
    [
        ("Keytruda is another choice [1].", "names a drug not in the facts: Keytruda"),
        ("Decitabine works the same way [1].", "names a drug not in the facts: Decitabine"),
        ("A stem cell transplant may cure it [1].", "names a therapy not in the facts: stem cell transplant"),
        ("Homeopathy can also help [1].", "names a therapy not in the facts: Homeopathy"),
        ("It works best with a TP53 mutation [1].", "names a gene not in the facts: TP53"),
        ("Your serum ferritin will be checked [1].", "names a gene or test not in the facts: serum ferritin"),
        ("Your IPSS-R score decides [1].", "names a risk scheme not in the facts: IPSS-R"),
    ],
)
def test_each_invented_concept_kind_is_rejected(sentence, problem):
    report = check(f"Azacitidine is a hypomethylating agent [1]. {sentence}")
    assert not report.ok
    assert report.problems == [problem]


def test_synonym_of_a_fact_concept_is_accepted():
    # Vidaza and Revlimid are other names of concepts the facts name.
    assert check("Vidaza is given as an injection [1]. Revlimid is for del(5q) [3].").ok


@pytest.mark.parametrize("drug", ["pembrolizumab", "imetelstat", "luspatercept", "olutasidenib", "rituximab",
                                  "cytarabine", "pomalidomide", "zoledronate", "enoxaparin", "carboplatin"])
def test_unknown_words_with_drug_suffixes_are_flagged(drug):
    report = check_grounding(f"You could also take {drug} [1].", FACTS, [])
    assert report.problems == [f"names a drug not in the facts: {drug}"]


def test_drug_suffix_words_are_accepted_when_a_fact_uses_them():
    facts = FACTS + (Fact("F7", "Other approaches", "Luspatercept can reduce transfusions.", ("PMID:4",)),)
    assert check_grounding("Luspatercept can reduce transfusions [4].", facts, []).ok


def test_ordinary_words_with_drug_like_endings_are_not_flagged():
    text = "Except for the concept of a peptide or nucleotide, accept this [1]."
    assert check_grounding(text, FACTS, []).ok


def test_acronyms_match_case_sensitively():
    # "ALL" (acute lymphoblastic leukaemia) is in the vocabulary; "all" is a word.
    assert check("All of this applies to all people with MDS [3].").ok
    assert check("This is not ALL [3].").problems == ["names a disease not in the facts: ALL"]


def test_headings_are_not_checked():
    text = "## Decitabine and 3 other questions\n\nAzacitidine is a hypomethylating agent [1]."
    assert check(text).ok


# ---- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, problem",
    [
        ("About 87% of patients respond [2].", "states a number not in the facts: 87%"),
        ("It is given for 3 days [2].", "states a number not in the facts: 3 days"),
        ("It is given for 5 days [2].", "states a number with a unit the facts do not use: 5 days"),
        ("Blasts of 5-20% are checked [1].", "states a number not in the facts: 20%"),
        ("The dose is 75 mg/m² [2].", "states a number not in the facts: 75 mg/m²"),
        ("It takes twelve weeks [2].", "states a number not in the facts: twelve weeks"),
        ("It is for people aged sixty-five [3].", "states a number not in the facts: sixty-five"),
        ("A level of 2.5 matters [3].", "states a number not in the facts: 2.5"),
        ("Up to 1,500 people took part [3].", "states a number not in the facts: 1,500"),
        ("Platelets below 40 ×10⁹/L are checked [1].", "states a number not in the facts: 40 ×10⁹/L"),
        ("A serum EPO above 500 g/dL [3].", "states a number with a unit the facts do not use: 500 g/dL"),
    ],
)
def test_each_invented_number_is_rejected(sentence, problem):
    report = check(f"Azacitidine is a hypomethylating agent [1]. {sentence}")
    assert report.problems == [problem]


@pytest.mark.parametrize(
    "sentence",
    [
        "It is given for seven days every twenty-eight days [2].",  # facts: 7, 28
        "For at least 6 cycles [2].",  # facts: six
        "For people aged ≤ 60 [3].",  # facts: sixty
        "For people who are 60 years or younger [3].",
        "For people aged 60 or younger [3].",
        "About 50 percent responded [2].",  # facts: 50%
        "About fifty per cent responded [2].",
        "Blasts of 5 to 10 percent [1].",  # facts: 5-10%
        "Blasts of 5%–10% [1].",
        "A serum EPO above 500 mU/mL [3].",
        "A serum EPO above 500 [3].",
        "Platelets under 100×10^9/L [1].",
        "Platelets under 100 x 10⁹/L [1].",
        "One of the options is lenalidomide [3].",  # "one" as a pronoun
        "No one should stop without asking [3].",
        "It helps people with del(5q) [3].",
        "1. It is given for 7 days [2].",  # list numbering
    ],
)
def test_spelled_and_formatted_numbers_match(sentence):
    report = check(sentence)
    assert report.ok, report.problems


def test_numbers_inside_concept_names_are_not_numbers():
    facts = (Fact("F1", "What it is", "TP53 and SF3B1 changes and del(5q) are read from the marrow.", ("PMID:1",),
                  ("TP53", "SF3B1", "del(5q)")),)
    assert check_grounding("TP53, SF3B1 and del(5q) are read from the marrow [1].", facts, VOCAB).ok
    assert check_grounding("Changes like t(3;3) or inv(3) and 17p are read [1].", facts, []).ok


def test_extract_numbers():
    got = [(n.value, n.unit) for n in extract_numbers(
        "About 87% [3] of 1,000 people aged sixty-five, Hb 10g/dL, 5-10% blasts, "
        "platelets 100 ×10⁹/L, a 5-year course of 5-azacytidine, one of them, 2.50 mg"
    )]
    assert got == [("87", "%"), ("1000", None), ("65", None), ("10", "g/dL"), ("5", "%"), ("10", "%"),
                   ("100", "10^9/L"), ("5", "years"), ("2.5", "mg")]


@pytest.mark.parametrize("text, values", [
    # a spelled number over a hundred is one number (session 10), with or without "and"
    ("a study of two hundred and twenty-nine people", ["229"]),
    ("three hundred five adults", ["305"]),
    ("one hundred and ten", ["110"]),
    # two numbers stay two when words other than "and" come between them
    ("two hundred people and twenty-nine more", ["200", "29"]),
    ("two hundred, and then nineteen", ["200", "19"]),
])
def test_spelled_numbers_over_a_hundred(text, values):
    assert [n.value for n in extract_numbers(text)] == values


def test_a_spelled_trial_size_is_checked_as_one_number():
    facts = [Fact("F1", "s", "In 229 people, 38% were freed from transfusions.", ("C1",), ())]
    assert check_grounding("Of two hundred and twenty-nine people, 38% were freed from transfusions [1].", facts, []).ok
    report = check_grounding("Of two hundred and nineteen people, 38% were freed from transfusions [1].", facts, [])
    assert not report.ok and any("two hundred and nineteen" in p for p in report.problems), report.problems


# ---- citations ------------------------------------------------------------------------------


def test_citation_marks_must_be_in_range():
    report = check("Azacitidine is a hypomethylating agent [1]. It helps [4]. It is used [0].")
    assert report.problems == [
        "cites a source number that does not exist: [4]",
        "cites a source number that does not exist: [0]",
    ]
    assert check("Azacitidine is a hypomethylating agent [1-3].").ok  # three distinct sources
    assert not check("Azacitidine is a hypomethylating agent [1].", n_citations=0).ok


def test_citation_mark_forms():
    assert citation_mark_numbers("a [1] b [2, 3] c [4-6] d [7][8] e [9–10]") == list(range(1, 11))


def test_uncited_statements_are_flagged_only_when_asked():
    text = "Azacitidine is a hypomethylating agent [1]. This treatment cures everyone quickly. Ask about it?"
    assert check(text).ok
    report = check(text, require_citations=True)
    assert report.problems == ["a sentence cites no source: 'This treatment cures everyone quickly.'"]


def test_split_sentences_keeps_marks_with_their_sentence():
    text = "It is given [1]. It works e.g. in some people. [2] Is it for me?\n- A bullet [3]\n## Heading"
    assert split_sentences(text) == ["It is given [1].", "It works e.g. in some people. [2]", "Is it for me?",
                                     "A bullet [3]"]


def test_report_lists_every_problem_once():
    text = "Keytruda works [1]. Keytruda really works [9]. About 87% respond. About 87% respond."
    report = check(text)
    assert not report.ok
    assert report.problems == [
        "names a drug not in the facts: Keytruda",
        "states a number not in the facts: 87%",
        "cites a source number that does not exist: [9]",
    ]

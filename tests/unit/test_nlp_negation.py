"""Negation and hedging cues and their scope relative to an entity."""

from __future__ import annotations

import pytest

from etl.nlp.negation import entity_flags, find_cues, sentence_hedge, sentence_negation


def flags(sentence: str, *entities: str):
    spans = [(sentence.index(e), sentence.index(e) + len(e)) for e in entities]
    return dict(zip(entities, entity_flags(sentence, spans), strict=True))


@pytest.mark.parametrize("sentence,subject,other", [
    ("Iron chelation is not recommended for patients with lower-risk MDS [PMID:1].", "Iron chelation",
     "lower-risk MDS"),
    ("Vitamin D is not an established treatment for MDS [MDSKG:source/x].", "Vitamin D", "MDS"),
    ("Decitabine did not improve survival in higher-risk MDS.", "Decitabine", "higher-risk MDS"),
    ("IST is not a standard treatment for higher-risk MDS.", "IST", "higher-risk MDS"),
    ("Danazol showed no benefit in lower-risk MDS.", "Danazol", "lower-risk MDS"),
])
def test_backward_negation_negates_the_subject_only(sentence, subject, other):
    result = flags(sentence, subject, other)
    assert result[subject].negated
    assert not result[other].negated


@pytest.mark.parametrize("sentence,negated,kept", [
    ("Lower-risk MDS without del(5q) may respond to lenalidomide.", "del(5q)", "lenalidomide"),
    ("Patients who do not harbor the del(5q) lesion respond less often to lenalidomide.", "del(5q)", "lenalidomide"),
    ("There is no evidence of benefit from G-CSF alone.", "G-CSF", None),
    ("In the absence of a PNH clone, IST is still an option.", "PNH clone", "IST"),
    ("Any karyotype except del 5q is allowed.", "del 5q", "karyotype"),
])
def test_forward_negation(sentence, negated, kept):
    entities = [negated] + ([kept] if kept else [])
    result = flags(sentence, *entities)
    assert result[negated].negated
    if kept:
        assert not result[kept].negated


def test_with_or_without_is_not_a_negation():
    sentence = "IST uses horse ATG, with or without cyclosporine, for hypocellular MDS."
    result = flags(sentence, "horse ATG", "cyclosporine", "hypocellular MDS")
    assert not any(f.negated for f in result.values())


def test_pseudo_negations_do_not_fire():
    sentence = "Patients who did not respond to ESAs may be treated with lenalidomide."
    result = flags(sentence, "ESAs", "lenalidomide")
    assert not result["ESAs"].negated and not result["lenalidomide"].negated
    assert any(c.kind == "pseudo" for c in find_cues(sentence))


def test_terminator_ends_negation_scope():
    sentence = "Decitabine did not improve survival, but azacitidine improved survival."
    result = flags(sentence, "Decitabine", "azacitidine")
    assert result["Decitabine"].negated and not result["azacitidine"].negated


def test_opening_clause_is_not_the_negated_subject():
    sentence = "After ESA failure, luspatercept is not recommended for higher-risk MDS."
    result = flags(sentence, "ESA", "luspatercept")
    assert result["luspatercept"].negated and not result["ESA"].negated


@pytest.mark.parametrize("sentence,cue", [
    ("Luspatercept may be considered for lower-risk MDS.", "may be considered"),
    ("Imetelstat might help some patients.", "might"),
    ("Combination treatment could improve responses.", "could"),
    ("Data suggest a benefit of ATG.", "suggest"),
    ("Venetoclax is investigational in MDS.", "investigational"),
    ("New drugs are being tested in clinical trials.", "are being tested"),
])
def test_hedges_mark_the_clause(sentence, cue):
    first_word = sentence.split()[0]
    result = flags(sentence, first_word)
    assert result[first_word].hedged
    assert result[first_word].hedge_cue.lower().startswith(cue.split()[0].lower())
    assert sentence_hedge(sentence) is not None


def test_hedge_scope_stops_at_but():
    sentence = "ESAs may be considered first, but lenalidomide is recommended."
    result = flags(sentence, "ESAs", "lenalidomide")
    assert result["ESAs"].hedged and not result["lenalidomide"].hedged


def test_sentence_level_helpers():
    assert sentence_negation("X is not recommended for Y.").text.lower() == "is not recommended"
    assert sentence_negation("X is recommended for Y.") is None
    assert sentence_hedge("X is recommended for Y.") is None


def test_cue_inside_entity_is_ignored():
    sentence = "Patients with non-del(5q) MDS were treated."
    result = flags(sentence, "del(5q)")
    assert result["del(5q)"].negated  # the 'non-' prefix negates the word it is glued to

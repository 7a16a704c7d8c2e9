# ruff: noqa: E501  (tables of sentences read better unwrapped)
"""Whose result is it? The sentence check's session-10 rules from the twelfth blind case file (issue 17).

Each rule holds a claim to the owner its facts give it:
- promise       a trial result (a share of people) said as what a treatment does for everyone or for "you"
                ("luspatercept frees you from transfusions" where about 60% became transfusion-free);
- pronoun       "it" after an opening phrase with no comma ("In a small trial it was well tolerated") stands for
                the treatment of the sentence before, which the cited fact must be about;
- list item     a share its fact gives one item of a list ("chills (26.5%), rash (25.6%)") given to another;
- subgroup      a share its fact gives one arm or group ("56% on the higher dose", "17.6% in the comparison group")
                given without any word of that group;
- ESA failure   "no ESA failure" in a fact is a condition denied: "after an ESA has failed" says the opposite;
- dated share   a share said of a result over a span ("after a year or more, over half ...", "60% went a year or more
                without transfusions") that its facts give for another span (60% at 12 weeks, 44.5% over a year);
- class         a class of drugs ("hypomethylating agents") given the recommendation its fact gives one member,
                where the fact names the class only inside a condition ("no HMA failure").

Every sentence here was written for this file; each rule has sentences it must reject and faithful sentences of the
same shape it must keep. They are checked the way the writer checks them: against only the facts they cite, from
the captured fact sets of tests/data/writer_adversarial/facts/ (numbered as the writer's prompt numbers them) or a
small fact written here. They test the checker's rules, not clinical truth."""

from __future__ import annotations

from functools import cache

import pytest

from bench.writer_eval import load_fact_set, numbered_facts
from mdskg.records import Fact
from service.answer import grounding_vocabulary
from service.writers.sentence_check import Profile, _esa_status, _esa_status_all, check_sentence, fact_profiles, profile
from tests.unit.case_tables import assert_enough_cases_both_ways

VOCAB = grounding_vocabulary()

# A small fact that states an outcome plainly (made up for the tests, not clinical guidance).
SMALL = (
    Fact("R1", "What the studies found", "In lower-risk MDS, luspatercept raises haemoglobin.", ("S",), ("luspatercept",)),
)

S = "statement"


@cache
def profiles(fact_set: str) -> tuple[Profile, ...]:
    if fact_set == "small":
        return tuple(fact_profiles(SMALL, VOCAB))
    return tuple(fact_profiles(numbered_facts(load_fact_set(fact_set)), VOCAB))


def verdict(fact_set: str, text: str, facts: list[int], kind: str = S, before: str | None = None):
    every = profiles(fact_set)
    return check_sentence(text, kind, [every[n - 1] for n in facts], VOCAB, answer_facts=list(every),
                          antecedent=profile(before, VOCAB) if before else None)


# (rule family, checker rule that must fire, fact set, sentence, cited facts, sentence before)
REJECT = [
    ("promise", "certainty", "luspatercept", "Luspatercept frees people with lower-risk MDS from transfusions.", [2], None),
    ("promise", "certainty", "luspatercept", "For anyone who has never had an ESA, luspatercept lifts the haemoglobin.", [2], None),
    ("promise", "certainty", "lenalidomide_del5q", "Lenalidomide makes people with lower-risk del(5q) MDS transfusion-free.",
     [2], None),
    ("promise", "certainty", "luspatercept", "With ring sideroblasts, luspatercept gets people off red-cell transfusions.",
     [5], None),
    ("promise", "certainty", "lenalidomide_del5q", "On lenalidomide you no longer need red-cell transfusions.", [4], None),
    ("promise", "certainty", "luspatercept", "Once on luspatercept, haemoglobin goes up and transfusions stop.", [2], None),
    ("pronoun", "concept", "esa_epo", "In the placebo-controlled MDS study it was well tolerated.", [8],
     "Darbepoetin alfa is a longer-acting ESA."),
    ("pronoun", "concept", "azacitidine_higher_risk", "In a large randomized trial it helped people live longer than "
     "conventional care.", [9], "Decitabine can be given while a transplant is arranged."),
    ("pronoun", "concept", "esa_epo", "In MDS it was well tolerated.", [8], "Darbepoetin alfa is a longer-acting ESA."),
    ("pronoun", "concept", "azacitidine_higher_risk", "For higher-risk MDS it is preferred in people who are not transplant candidates.",
     [8], "Decitabine is a hypomethylating agent."),
    ("list item", "number", "ist_hypocellular", "Fever came with horse ATG in 26.5% of people.", [5], None),
    ("list item", "number", "ist_hypocellular", "Rash was reported in about four in ten people given horse ATG.", [5], None),
    ("list item", "number", "ist_hypocellular", "Joint pain affected 25.6% of those given horse ATG.", [5], None),
    ("list item", "number", "ist_hypocellular", "With horse ATG, chills came in 17.2% and fever in 39.5%.", [5], None),
    ("subgroup", "population", "lenalidomide_del5q", "Lenalidomide freed 43% of the 205 people from red-cell transfusions.",
     [2], None),
    ("subgroup", "population", "lenalidomide_del5q", "Of the 205 people on lenalidomide, 56% were freed from red-cell "
     "transfusions for at least 26 weeks.", [2], None),
    ("subgroup", "population", "azacitidine_higher_risk", "Fever affected 17.6% of people on azacitidine.", [7], None),
    ("subgroup", "population", "lenalidomide_del5q", "With lenalidomide, 6% were freed from red-cell transfusions.", [2], None),
    ("ESA failure", "population", "patient_lower_risk", "ESAs are recommended for lower-risk MDS without del(5q) once an ESA "
     "has stopped working.", [9], None),
    ("ESA failure", "population", "esa_epo", "ESAs are recommended for lower-risk MDS without del(5q) in people whose ESA "
     "has failed.", [10], None),
    ("ESA failure", "population", "compare_luspatercept_esa", "ESAs are recommended after ESA failure in lower-risk MDS "
     "without del(5q).", [5], None),
    ("ESA failure", "population", "patient_lower_risk", "For people with lower-risk MDS without del(5q) who are refractory to "
     "an ESA, ESAs are recommended.", [9], None),
    ("class", "concept", "patient_lower_risk", "HMAs are preferred for higher-risk MDS when a transplant is not possible.",
     [3], None),
    ("class", "concept", "patient_lower_risk", "Hypomethylating agents are recommended for higher-risk MDS in people who are "
     "not transplant candidates.", [8], None),
    ("class", "concept", "azacitidine_higher_risk", "Hypomethylating agents are preferred for higher-risk MDS in people who "
     "are not transplant candidates.", [8], None),
    ("class", "concept", "patient_lower_risk", "HMAs are recommended for higher-risk MDS, not a transplant candidate.", [7],
     None),
    # A share dated by an opening phrase, or given as digits, over a span its facts give another share for
    ("dated share", "number", "compare_luspatercept_esa", "After a year or more, over half of those on luspatercept were "
     "free of transfusions.", [8, 9], None),
    ("dated share", "number", "compare_luspatercept_esa", "For a year or longer, roughly six in ten people on luspatercept "
     "needed no transfusions.", [8, 9], None),
    ("dated share", "number", "compare_luspatercept_esa", "Across a year or more, about 60% of those on luspatercept needed "
     "no transfusions.", [8, 9], None),
    ("dated share", "number", "compare_luspatercept_esa", "About 60% of those on luspatercept went a year or more without "
     "transfusions.", [8, 9], None),
]

ACCEPT = [
    ("promise", "luspatercept", "About 60% of people on luspatercept became transfusion-free for at least 12 weeks, "
     "against 35% on epoetin alfa.", [2], None),
    ("promise", "luspatercept", "Luspatercept freed 38% from red-cell transfusions for at least 8 weeks, against 13% on "
     "placebo.", [5], None),
    ("promise", "lenalidomide_del5q", "Lenalidomide freed about half of the 205 people from red-cell transfusions for at "
     "least 26 weeks.", [2], None),
    ("promise", "ist_hypocellular", "Horse ATG with cyclosporine can restore blood counts in lower-risk MDS with a "
     "hypocellular marrow.", [10], None),
    ("promise", "small", "In lower-risk MDS, luspatercept raises haemoglobin.", [1], None),
    ("promise", "luspatercept", "In people who needed transfusions, haemoglobin rose clearly in about 60% on luspatercept.", [2], None),
    ("pronoun", "esa_epo", "In the placebo-controlled MDS study it was well tolerated.", [8],
     "Epoetin alfa is one of the ESAs."),
    ("pronoun", "azacitidine_higher_risk", "In a large randomized trial it helped people live longer than conventional "
     "care.", [9], "Azacitidine is given under the skin."),
    ("pronoun", "azacitidine_higher_risk", "For higher-risk MDS it is preferred in people who are not transplant candidates.", [8],
     "Azacitidine is a hypomethylating agent."),
    ("list item", "ist_hypocellular", "With horse ATG, fever came in 39.5% and chills in 26.5% of people.", [5], None),
    ("list item", "ist_hypocellular", "Rash affected about a quarter of people given horse ATG.", [5], None),
    ("list item", "ist_hypocellular", "About four in ten people had fever with horse ATG.", [5], None),
    ("subgroup", "lenalidomide_del5q", "In lower-risk del(5q) MDS, 43% on the lower dose were freed from red-cell transfusions for at least 26 "
     "weeks.",
     [2], None),
    ("subgroup", "lenalidomide_del5q", "Placebo freed 6% from red-cell transfusions.", [2], None),
    ("subgroup", "azacitidine_higher_risk", "Fever affected 30.3% of people on azacitidine, against 17.6% in the comparison "
     "group.", [7], None),
    ("subgroup", "azacitidine_higher_risk", "Fever affected 30.3% of people on azacitidine and 17.6% on placebo.", [7], None),
    ("ESA failure", "patient_lower_risk", "ESAs are recommended for lower-risk MDS without del(5q) when an ESA has not "
     "failed.", [9], None),
    ("ESA failure", "esa_epo", "ESAs are recommended for lower-risk MDS without del(5q), anaemia and no ESA failure.", [10],
     None),
    ("ESA failure", "patient_lower_risk", "ESAs are recommended for lower-risk MDS without del(5q) in people who have never "
     "had an ESA.", [9], None),
    ("class", "patient_lower_risk", "Azacitidine is preferred for higher-risk MDS when a transplant is not possible.", [3],
     None),
    ("class", "patient_lower_risk", "Hypomethylating agents are recommended for higher-risk MDS in transplant candidates.",
     [11], None),
    ("class", "patient_lower_risk", "Decitabine is recommended for higher-risk MDS in people who are not transplant "
     "candidates.", [8], None),
    ("dated share", "compare_luspatercept_esa", "For at least 12 weeks, about six in ten of those on luspatercept were "
     "free of transfusions.", [8, 9], None),
    ("dated share", "compare_luspatercept_esa", "At 12 weeks, roughly 60% of those on luspatercept were free of "
     "transfusions, against 35% on epoetin alfa.", [8, 9], None),
    ("dated share", "compare_luspatercept_esa", "Over a year or more, 44.5% on luspatercept and 27.6% on epoetin alfa "
     "stayed free of transfusions.", [8, 9], None),
]


@pytest.mark.parametrize("family, rule, fact_set, text, facts, before", REJECT,
                         ids=[f"{r[0]}-{i}" for i, r in enumerate(REJECT)])
def test_result_owner_rules_reject(family, rule, fact_set, text, facts, before):
    result = verdict(fact_set, text, facts, before=before)
    assert not result.ok, f"slipped: {text!r}"
    assert rule in result.rules, result.problems


@pytest.mark.parametrize("family, fact_set, text, facts, before", ACCEPT,
                         ids=[f"{a[0]}-{i}" for i, a in enumerate(ACCEPT)])
def test_result_owner_rules_keep_faithful_sentences(family, fact_set, text, facts, before):
    result = verdict(fact_set, text, facts, before=before)
    assert result.ok, result.problems


def test_every_family_has_cases_both_ways():
    assert_enough_cases_both_ways(REJECT, ACCEPT, rejects=4, accepts=3)


def test_the_pronoun_sentence_is_rejected_for_its_referent_only():
    # the same sentence, the same cited fact: only the sentence before changes what "it" stands for
    text = "In the placebo-controlled MDS study it was well tolerated."
    assert verdict("esa_epo", text, [8], before="Epoetin alfa is one of the ESAs.").ok
    rejected = verdict("esa_epo", text, [8], before="Darbepoetin alfa is a longer-acting ESA.")
    assert any("stands for" in p for p in rejected.problems), rejected.problems


@pytest.mark.parametrize("text, status", [
    ("recommended for lower-risk MDS, anaemia, no ESA failure", {"not_after", "naive"}),
    ("for people whose ESA has not failed", {"not_after", "naive"}),
    ("after an ESA has failed", {"after"}),
    ("in people who never had an ESA", {"naive"}),
    ("without prior ESA failure or with ESA-refractory disease", {"not_after", "naive", "after"}),
])
def test_a_denied_esa_failure_is_not_a_failure(text, status):
    assert _esa_status_all(text) == status


def test_a_sentence_denying_esa_failure_claims_no_single_status():
    assert _esa_status("ESAs are for people with no ESA failure.") is None
    assert _esa_status("ESAs are for people after ESA failure.") == "after"


# Faithful wordings of the twelfth file that had been replaced, each with a sentence of the same shape that must still
# be rejected: a condition "when no ESA has been tried" is no strength of recommendation; "three things are needed: A, B and C" counts the sentence's own list; "of all treatments …, the
# only one" says "only"; "state" and "develop" carry no claim of their own.
WORDING_REJECT = [
    ("tried condition", "strength", "luspatercept", "Luspatercept can be tried when no ESA has been given.", [2]),
    ("own list", "number", "transplant", "Besides higher-risk MDS, four things are needed: being fit for an allogeneic "
     "transplant, being willing to have it, and having a donor.", [8]),
    ("own list", "number", "transplant", "Three things are needed for a transplant in higher-risk MDS.", [8]),
    ("of all", "wording", "transplant", "Of all treatments for MDS, a transplant is the best.", [7]),
    ("state, develop", "wording", "ist_hypocellular", "Serum sickness developed in a severe form in the 25 people of an early "
     "MDS trial, our sources state.", [7]),
]
WORDING_ACCEPT = [
    ("tried condition", "luspatercept", "Luspatercept helps some people with MDS, for instance as a first treatment for "
     "transfusion-dependent anaemia in lower-risk MDS when no ESA has been tried.", [1]),
    ("own list", "transplant", "Besides higher-risk MDS, three things are needed: being fit for an allogeneic transplant, "
     "being willing to have it, and having a donor.", [8]),
    ("of all", "transplant", "Of all treatments for MDS, a transplant is the only one that can cure it.", [7]),
    ("state, develop", "ist_hypocellular", "Our sources state that serum sickness developed in a mild form in all 25 people "
     "in an early MDS trial.", [7]),
]


@pytest.mark.parametrize("family, rule, fact_set, text, facts", WORDING_REJECT,
                         ids=[f"{r[0]}-{i}" for i, r in enumerate(WORDING_REJECT)])
def test_wording_relaxations_still_reject(family, rule, fact_set, text, facts):
    result = verdict(fact_set, text, facts)
    assert not result.ok, f"slipped: {text!r}"
    assert rule in result.rules, result.problems


@pytest.mark.parametrize("family, fact_set, text, facts", WORDING_ACCEPT,
                         ids=[f"{a[0]}-{i}" for i, a in enumerate(WORDING_ACCEPT)])
def test_wording_relaxations_keep_faithful_sentences(family, fact_set, text, facts):
    result = verdict(fact_set, text, facts)
    assert result.ok, result.problems


def test_every_wording_relaxation_has_cases_both_ways():
    assert {r[0] for r in WORDING_REJECT} == {a[0] for a in WORDING_ACCEPT}

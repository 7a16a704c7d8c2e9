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


# ---- session 11 (helper N): faithful shapes read as the claim their facts make ---------------------------------
# Each family names a construction the word rules could not read, now read as the plain claim where its cited facts
# make that claim; the same construction against facts that do not make it, or a near sentence that changes the
# claim, must still be rejected. Sentences written for these tests; two small facts made up here (no guidance).
SMALL11 = (
    Fact("N1", "What the studies found", "After lenalidomide has failed, changing to luspatercept may help.", ("S",),
         ("lenalidomide", "luspatercept")),
    Fact("N2", "Who it is for", "Luspatercept is preferred for lower-risk MDS with ring sideroblasts.", ("S",), ("luspatercept",)),
    Fact("N3", "When", "Luspatercept treatment should start once transfusions are needed.", ("S",), ("luspatercept",)),
)


@cache
def small11() -> tuple[Profile, ...]:
    return tuple(fact_profiles(SMALL11, VOCAB))


def verdict11(fact_set: str, text: str, facts: list[int]):
    every = small11() if fact_set == "small11" else profiles(fact_set)
    return check_sentence(text, S, [every[n - 1] for n in facts], VOCAB, answer_facts=list(every))


# (family, rule that must fire, fact set, sentence, cited facts)
SESSION11_REJECT = [
    ("judged later", "wording", "azacitidine_higher_risk", "Azacitidine cannot work quickly.", [10]),
    ("judged later", "wording", "azacitidine_higher_risk", "Azacitidine cannot be judged quickly.", [13]),
    ("enrolled", "certainty", "compare_luspatercept_esa", "Everyone in that trial had a clear rise in haemoglobin.", [8]),
    ("enrolled", "certainty", "compare_luspatercept_esa", "Everyone in the trial became transfusion-free.", [8]),
    ("the first", "wording", "small11", "Switching from luspatercept to lenalidomide after the first has failed may help.", [1]),
    ("the first", "wording", "azacitidine_higher_risk", "Moving from azacitidine to decitabine after the first has failed rarely "
     "works.", [10]),
    ("just over", "wording", "azacitidine_higher_risk", "Just over half of people (42.9%) had redness at the injection site in "
     "the label's trial table.", [7]),
    ("just over", "wording", "azacitidine_higher_risk", "In the label's trial table just over four in ten people had "
     "injection-site redness.", [7]),
    ("same study", "wording", "luspatercept", "The same benefit was seen when people were followed for longer.", [3, 4]),
    ("same study", "wording", "luspatercept", "In the same trial, transfusion-free periods of a year or more came in 44.5% "
     "versus 27.6%.", [4]),
    ("some people", "wording", "small11", "Luspatercept is preferred for some patients with lower-risk MDS with ring "
     "sideroblasts.", [2]),
    ("some people", "wording", "patient_lower_risk", "Luspatercept helps some patients with lower-risk MDS with ring sideroblasts.",
     [5]),
    ("whether likely", "wording", "esa_epo", "An ESA is likely to work when the serum EPO level is 500 mU/mL or less.", [11]),
    ("whether likely", "wording", "esa_epo", "Whether an ESA is likely to work depends on the serum EPO level.", [10]),
    ("provided", "wording", "transplant", "A transplant may be considered for anyone with MDS, provided they have a donor.", [6, 9]),
    ("provided", "strength", "transplant", "An allogeneic transplant is recommended in lower-risk MDS, provided the person is fit.",
     [6]),
    ("best begun", "direction", "transplant", "For fit, willing people with a donor, transplant planning is best started after "
     "the disease gets worse.", [5]),
    ("best begun", "wording", "azacitidine_higher_risk", "Azacitidine is best started in higher-risk MDS.", [8]),
    ("advised", "strength", "transplant", "A transplant is advised for people who are fit, willing and have a donor.", [5]),
    ("advised", "wording", "transplant", "Early transplant is advised for fit people who are willing and have a donor.", [5]),
    ("advised", "strength", "small11", "Luspatercept treatment is recommended once transfusions are needed.", [3]),
    ("twice", "direction", "luspatercept", "The FDA approved luspatercept twice, in 2020.", [7]),
    ("twice", "direction", "compare_luspatercept_esa", "Luspatercept worked twice as well as epoetin alfa in lower-risk MDS "
     "in people who needed transfusions and had never had an ESA.", [8]),
    ("dose practice", "dose", "compare_luspatercept_esa", "The dose can be doubled if transfusion needs do not drop.", [4]),
    ("dose practice", "dose", "lenalidomide_del5q", "In 205 transfusion-dependent people with lower-risk del(5q) MDS, the dose "
     "of lenalidomide was the higher one.", [2]),
    ("dose practice", "wording", "esa_epo", "The dose is lowered once transfusions stop.", [7]),
    ("dose practice", "wording", "compare_luspatercept_esa", "Luspatercept is dosed by body weight.", [4]),
    ("dose practice", "dose", "compare_luspatercept_esa", "The luspatercept dose is based on body weight.", [4]),
    # a slip the old wording rule hid behind "provided": able to have a transplant, where its fact says "not a candidate"
    ("able to have a transplant", "population", "patient_lower_risk", "Decitabine and cedazuridine is recommended for "
     "higher-risk MDS in people who could go on to a transplant, when no HMA has failed.", [7]),
    ("able to have a transplant", "population", "patient_lower_risk", "Azacitidine is preferred for higher-risk MDS in people "
     "who can have a stem cell transplant, when no HMA has failed.", [3]),
    # (the other cited fact gives no strength, or another one: the risk group of the fact that says "may be considered" stays)
    ("risk group from another fact", "population", "lenalidomide_del5q", "Without a 5q deletion, lenalidomide may be considered "
     "when serum EPO is above 500 mU/mL or an ESA has failed, but it helps fewer patients.", [8, 13]),
    ("risk group from another fact", "population", "lenalidomide_del5q", "Without a 5q deletion, lenalidomide may be considered "
     "when serum EPO is above 500 mU/mL or an ESA has failed, but it helps fewer patients.", [8, 10]),
]
SESSION11_ACCEPT = [
    ("judged later", "azacitidine_higher_risk", "The effect of azacitidine cannot be judged right away.", [10]),
    ("judged later", "azacitidine_higher_risk", "With azacitidine the effect cannot be judged at once.", [10]),
    ("enrolled", "compare_luspatercept_esa", "Everyone in the trial had lower-risk MDS and needed transfusions.", [8]),
    ("enrolled", "compare_luspatercept_esa", "All the participants in that trial had never had an ESA.", [8]),
    ("the first", "small11", "Switching from lenalidomide to luspatercept after the first has failed may help.", [1]),
    ("the first", "azacitidine_higher_risk", "Moving from azacitidine to decitabine after the first one has failed rarely "
     "works.", [13]),
    ("just over", "azacitidine_higher_risk", "Just over 40 in 100 people (42.9%) had injection-site redness in the label's "
     "trial table.", [7]),
    ("just over", "azacitidine_higher_risk", "In the label's trial table, fever affected just under a third (30.3%) of people "
     "on azacitidine, against 17.6% in the comparison group.", [7]),
    ("same study", "luspatercept", "The same comparison, followed for longer, showed transfusion-free periods of a year or more "
     "in 44.5% versus 27.6%.", [3, 4]),
    ("same study", "luspatercept", "In the same trial, after longer follow-up, 44.5% on luspatercept versus 27.6% on epoetin "
     "alfa had transfusion-free periods of a year or more.", [3, 4]),
    ("some people", "patient_lower_risk", "Luspatercept is preferred for some patients with ring sideroblasts and lower-risk MDS.",
     [5]),
    ("some people", "compare_luspatercept_esa", "Luspatercept is preferred for some people with lower-risk MDS and ring "
     "sideroblasts.", [2]),
    ("whether likely", "esa_epo", "Whether an ESA is likely to work depends on the serum EPO level.", [11, 12]),
    ("whether likely", "esa_epo", "For anaemia in lower-risk MDS without a 5q deletion, whether an ESA is likely to work depends "
     "on the serum erythropoietin.", [11, 12]),
    ("provided", "transplant", "For lower-risk MDS, a transplant may be considered in fit people after HMA failure, provided they "
     "have a donor.", [6, 9]),
    ("provided", "transplant", "In lower-risk MDS an allogeneic stem cell transplant may be considered after HMA failure, "
     "providing the person is fit.", [6]),
    ("best begun", "transplant", "Transplant planning is best started around diagnosis for people who are fit, willing and have "
     "a donor.", [5]),
    ("best begun", "transplant", "For fit, willing people with a donor, transplant planning is best begun near diagnosis instead "
     "of waiting for the disease to progress.", [5]),
    ("advised", "transplant", "Early transplant planning, at diagnosis, is recommended for fit people who are willing and have a "
     "donor.", [5]),
    ("advised", "transplant", "For people who are fit, willing and have a donor, transplant planning is advised around diagnosis.",
     [5]),
    ("twice", "luspatercept", "Luspatercept has been approved twice by the FDA for very low- to intermediate-risk MDS, in 2020 "
     "with ring sideroblasts and in 2023 as a first treatment.", [7, 8]),
    ("twice", "luspatercept", "Luspatercept was approved twice by the FDA: in 2020 for very low- to intermediate-risk MDS with "
     "ring sideroblasts, and in 2023 as a first treatment for very low- to intermediate-risk MDS.", [7, 8]),
    ("dose practice", "esa_epo", "The dose used is the lowest one that keeps transfusions away.", [7]),
    ("dose practice", "esa_epo", "So the ESA dose is the lowest that avoids transfusions.", [7]),
    ("able to have a transplant", "patient_lower_risk", "Decitabine and cedazuridine is recommended for higher-risk MDS in "
     "people who cannot have a transplant, when no HMA has failed.", [7]),
    ("able to have a transplant", "patient_lower_risk", "Hypomethylating agents are recommended for higher-risk MDS in people "
     "who could go on to a transplant.", [11]),
    ("risk group from another fact", "lenalidomide_del5q", "Without a 5q deletion, lenalidomide may be considered when serum EPO "
     "is above 500 mU/mL or an ESA has failed, but it helps fewer patients.", [8, 9]),
    ("risk group from another fact", "lenalidomide_del5q", "Lenalidomide helps fewer patients without a 5q deletion, but it may be "
     "considered when serum EPO is above 500 mU/mL or an ESA has failed.", [9, 8]),
]


@pytest.mark.parametrize("family, rule, fact_set, text, facts", SESSION11_REJECT,
                         ids=[f"{r[0]}-{i}" for i, r in enumerate(SESSION11_REJECT)])
def test_session11_shapes_still_reject(family, rule, fact_set, text, facts):
    result = verdict11(fact_set, text, facts)
    assert not result.ok, f"slipped: {text!r}"
    assert rule in result.rules, result.problems


@pytest.mark.parametrize("family, fact_set, text, facts", SESSION11_ACCEPT,
                         ids=[f"{a[0]}-{i}" for i, a in enumerate(SESSION11_ACCEPT)])
def test_session11_shapes_keep_faithful_sentences(family, fact_set, text, facts):
    result = verdict11(fact_set, text, facts)
    assert result.ok, result.problems


def test_session11_every_family_has_cases_both_ways():
    assert_enough_cases_both_ways(SESSION11_REJECT, SESSION11_ACCEPT, rejects=2, accepts=2)

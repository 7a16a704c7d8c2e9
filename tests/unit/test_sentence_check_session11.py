# ruff: noqa: E501  (tables of sentences read better unwrapped)
"""Presupposed outcomes, added relative clauses, medians, time order, denominators and whose result it is: the
sentence check's session-11 rules from the thirteenth blind case file (issue 17).

Each family is one idea, caught in whatever words it comes:
- question       a question for the doctor that takes an outcome for granted ("how many weeks until my counts rise",
                 "how long will my response last", "when will it start working"); asking whether it will happen
                 ("if", "whether") is neutral;
- relative       a relative clause added to a "not covered" sentence or to a question ("…, which are low") is a claim:
                 in a "not covered" sentence always, in a question held to the facts it cites (or refused without any);
- gerund         "Adding it to azacitidine …": the pronoun object of a gerund subject stands for the treatment of the
                 sentence before, which the cited fact must be about;
- other fact     a result given to a treatment that the fact with the result does not name, linked to it only by
                 another cited fact (a member given its class's trial, or a class given one member's result);
- median         a figure its facts give only as a median, said as typical ("typically", "most", "on average") or as a
                 plain figure;
- measure        a span its facts give for how long a result lasted said of how long people live (and the reverse);
- time order     two changes in the opposite order ("rise first, fall later" for "fall further before they improve"),
                 or a step put after what its facts put it before ("after the transplant" for "while it is arranged");
- denominator    a share given "of the people who responded" where its facts give it of everyone (and the reverse);
- background     a treatment named only as what failed before ("after an ESA had not worked, it freed more …") is neither
                 what "it" stands for nor an arm of the comparison after it;
- emphasis       "most of all" is emphasis, not a share of people: it licenses "mostly", not "usually" or "most people";
- heavily        "heavily transfused" names transfusions and licenses "many transfusions", and no other "many".

Every sentence here was written for this file; each family has sentences it must reject and faithful sentences of
the same shape it must keep. They are checked against only the facts they cite, from the captured fact sets of
tests/data/writer_adversarial/facts/ (numbered as the writer's prompt numbers them) or small facts made up here.
They test the checker's rules, not clinical truth."""

from __future__ import annotations

import pytest

from mdskg.records import Fact
from service.answer import grounding_vocabulary
from tests.unit.case_tables import assert_enough_cases_both_ways, sentence_verdicts

VOCAB = grounding_vocabulary()

# Small facts made up for the tests (invented figures, not clinical data).
SMALL = (
    Fact("T1", "What the studies found", "In a made-up trial, people on azacitidine survived a median of 24 months.", ("S",), ("azacitidine",)),
    Fact("T2", "What the studies found", "Among people who responded to luspatercept in a made-up study, 40% still needed no "
         "transfusions a year later.", ("S",), ("luspatercept",)),
)

S, Q, NC = "statement", "doctor_question", "not_covered"


verdict = sentence_verdicts(SMALL, VOCAB)


# (family, checker rule that must fire, fact set, sentence, cited facts, kind, sentence before)
REJECT = [
    ("question", "certainty", "azacitidine_higher_risk", "How many cycles of azacitidine will it take before my counts improve?", [10], Q, None),
    ("question", "certainty", "lenalidomide_del5q", "How long will my response to lenalidomide last?", [4], Q, None),
    ("question", "certainty", "luspatercept", "How long will I stay transfusion-free on luspatercept?", [5], Q, None),
    ("question", "certainty", "luspatercept", "At what point will my haemoglobin rise on luspatercept?", [5], Q, None),
    ("question", "certainty", "imetelstat", "When will imetelstat start working for me?", [], Q, None),
    ("question", "certainty", "luspatercept", "When will I notice a difference on luspatercept?", [5], Q, None),
    ("question", "certainty", "luspatercept", "How soon will luspatercept work?", [5], Q, None),
    ("relative", "kind", "imetelstat", "Our sources do not give survival figures for imetelstat, which are encouraging.", [], NC, None),
    ("relative", "kind", "azacitidine_higher_risk", "Our sources do not describe giving azacitidine at home, which is easy to arrange.", [], NC, None),
    ("relative", "kind", "luspatercept", "The sources do not report what happens after luspatercept is stopped, which is rarely a problem.", [], NC, None),
    ("relative", "wording", "checkpoint_inhibitors", "What are the side effects of pembrolizumab, which are usually mild?", [2], Q, None),
    ("relative", "kind", "azacitidine_higher_risk", "Could I take azacitidine as tablets, which are easier?", [], Q, None),
    ("gerund", "concept", "checkpoint_inhibitors", "Combining it with azacitidine in a randomized trial did not improve results.", [7], S,
     "Nivolumab is one of the checkpoint inhibitors."),
    ("gerund", "concept", "checkpoint_inhibitors", "In a randomized trial, adding it to azacitidine caused more side effects.", [7], S,
     "Pembrolizumab blocks PD-1."),
    ("gerund", "concept", "azacitidine_higher_risk", "Giving it to people with higher-risk MDS helped them live longer than "
     "conventional care in a large randomized trial.", [9], S, "Decitabine is a hypomethylating agent."),
    ("gerund", "concept", "checkpoint_inhibitors", "Using it with azacitidine did not improve results in a randomized trial.", [7], S,
     "Pembrolizumab is an antibody given by drip."),
    ("other fact", "concept", "checkpoint_inhibitors", "Nivolumab did not improve results when it was added to azacitidine in a "
     "randomized trial.", [5, 7], S, None),
    ("other fact", "concept", "checkpoint_inhibitors", "Pembrolizumab caused more side effects when added to azacitidine in a randomized "
     "trial.", [2, 7], S, None),
    ("other fact", "concept", "azacitidine_higher_risk", "Hypomethylating agents helped people live longer than conventional care in a "
     "large randomized trial.", [9, 11], S, None),
    ("other fact", "concept", "checkpoint_inhibitors", "In a randomized trial, nivolumab added to azacitidine brought more side effects "
     "and no better results.", [5, 7], S, None),
    ("median", "number", "lenalidomide_del5q", "Responses to lenalidomide typically lasted about 2 years.", [4], S, None),
    ("median", "number", "lenalidomide_del5q", "On average, responses to lenalidomide lasted about two years.", [4], S, None),
    ("median", "number", "lenalidomide_del5q", "Most lenalidomide responses held for about 2 years.", [4], S, None),
    ("median", "number", "lenalidomide_del5q", "Lenalidomide responses lasted about 2 years.", [4], S, None),
    ("median", "number", "small", "People on azacitidine usually survived 24 months in a made-up trial.", [1], S, None),
    ("measure", "number", "lenalidomide_del5q", "People on lenalidomide with a 5q deletion lived a median of about 2 years.", [4], S, None),
    ("measure", "number", "lenalidomide_del5q", "Survival on lenalidomide was a median of about 2 years.", [4], S, None),
    ("measure", "number", "lenalidomide_del5q", "People with a 5q deletion stayed alive a median of about 2 years on lenalidomide.", [4], S, None),
    ("measure", "number", "small", "In a made-up trial, responses to azacitidine lasted a median of 24 months.", [1], S, None),
    ("time order", "direction", "azacitidine_higher_risk", "With azacitidine, blood counts often improve before they drop, above all in "
     "the first 1 to 2 cycles.", [3], S, None),
    ("time order", "direction", "azacitidine_higher_risk", "On azacitidine, blood counts often rise at first and fall further later, above "
     "all in the first 1 to 2 cycles.", [3], S, None),
    ("time order", "direction", "azacitidine_higher_risk", "Azacitidine or decitabine can be given after a transplant to keep the disease "
     "under control.", [12], S, None),
    ("time order", "direction", "azacitidine_higher_risk", "Azacitidine needs several monthly cycles after its effect has been judged.", [10], S,
     None),
    ("denominator", "population", "compare_luspatercept_esa", "Among those who responded to luspatercept, about 60% became "
     "transfusion-free for at least 12 weeks.", [8], S, None),
    ("denominator", "population", "luspatercept", "Of the patients with ring sideroblasts who responded, 38% were free from "
     "red-cell transfusions for at least 8 weeks.", [5], S, None),
    ("denominator", "population", "lenalidomide_del5q", "Of responders with lower-risk MDS and a 5q deletion, about two in three "
     "stopped needing red-cell transfusions for at least 8 weeks on lenalidomide.", [4], S, None),
    ("denominator", "population", "small", "In a made-up study, luspatercept kept 40% of people free of transfusions a year later.", [2], S,
     None),
    # a treatment named only as what failed before is no referent for "it", and no arm of the comparison after it
    ("background", "concept", "imetelstat", "For lower-risk MDS without a 5q deletion needing 4 or more red-cell units every 8 weeks after an "
     "ESA stopped working, it freed more patients from transfusions than placebo.", [4], S, "Epoetin alfa is one of the ESAs."),
    ("background", "direction", "imetelstat", "After an ESA did not work, it freed fewer patients from transfusions than placebo in lower-risk "
     "MDS without a 5q deletion needing 4 or more red-cell units every 8 weeks.", [4], S, "Imetelstat is given as an infusion every 4 weeks."),
    ("background", "direction", "imetelstat", "For lower-risk MDS without a 5q deletion needing 4 or more red-cell units every 8 weeks after an "
     "ESA stopped working, placebo freed more patients from transfusions than imetelstat.", [4], S, None),
    ("background", "direction", "imetelstat", "In lower-risk MDS without a 5q deletion needing 4 or more red-cell units every 8 weeks, an ESA "
     "freed more patients from transfusions than placebo after it had stopped working.", [4], S, None),
    # "most of all" is emphasis, not a share of people: it licenses no "usually", "typically" or "most people"
    ("emphasis", "frequency", "azacitidine_higher_risk", "Azacitidine usually lowers blood counts further before they improve.", [3], S, None),
    ("emphasis", "frequency", "azacitidine_higher_risk", "Most people on azacitidine see their blood counts fall further before they "
     "improve.", [3], S, None),
    ("emphasis", "frequency", "azacitidine_higher_risk", "Blood counts typically drop further on azacitidine before they improve.", [3], S,
     None),
    ("emphasis", "frequency", "azacitidine_higher_risk", "Azacitidine generally lowers blood counts further before they improve.", [3], S,
     None),
    # "heavily transfused" names transfusions and says there are many of them; it licenses no other "many"
    ("heavily", "frequency", "imetelstat", "For lower-risk MDS without a 5q deletion when an ESA is not suitable, many people respond to "
     "imetelstat, an approved option.", [5], S, None),
    ("heavily", "frequency", "imetelstat", "For lower-risk MDS without a 5q deletion when an ESA is not suitable, imetelstat is an approved "
     "option for people who need many transplants.", [5], S, None),
    ("heavily", "frequency", "imetelstat", "For lower-risk MDS without a 5q deletion when an ESA is not suitable, imetelstat is an approved "
     "option for people who have many infections.", [5], S, None),
    ("heavily", "frequency", "imetelstat", "Imetelstat is an approved option for lower-risk MDS without a 5q deletion in people who need "
     "many transfusions and whose ESA is not suitable, and many of them respond.", [5], S, None),
]

ACCEPT = [
    ("question", "azacitidine_higher_risk", "How long does it usually take to know whether azacitidine is working?", [10], Q, None),
    ("question", "lenalidomide_del5q", "If I respond to lenalidomide, how long will my response last?", [4], Q, None),
    ("question", "azacitidine_higher_risk", "How many cycles of azacitidine are usually needed before its effect can be judged?", [10], Q, None),
    ("question", "luspatercept", "How will we know whether luspatercept is helping me?", [5], Q, None),
    ("question", "luspatercept", "When would we check whether luspatercept is working?", [5], Q, None),
    ("relative", "luspatercept", "Our sources do not describe the tablets, which this answer cannot cover.", [], NC, None),
    ("relative", "azacitidine_higher_risk", "Our sources do not describe giving azacitidine at home.", [], NC, None),
    ("relative", "checkpoint_inhibitors", "Could I get pembrolizumab, which blocks PD-1, within a clinical trial?", [2, 8], Q, None),
    ("relative", "luspatercept", "Is luspatercept, which is an injection under the skin every 3 weeks, suitable for me?", [5], Q, None),
    ("gerund", "checkpoint_inhibitors", "Adding it to azacitidine in a randomized trial did not improve results.", [7], S,
     "A checkpoint inhibitor releases a brake on the immune system."),
    ("gerund", "azacitidine_higher_risk", "Giving it to people with higher-risk MDS helped them live longer than conventional "
     "care in a large randomized trial.", [9], S, "Azacitidine is a hypomethylating agent given under the skin."),
    ("gerund", "checkpoint_inhibitors", "Adding one to azacitidine in a randomized trial did not improve results.", [7], S,
     "Pembrolizumab blocks PD-1."),
    ("other fact", "checkpoint_inhibitors", "Immune checkpoint inhibitors, which include nivolumab, did not improve results when one "
     "was added to azacitidine in a randomized trial.", [5, 7], S, None),
    ("other fact", "azacitidine_higher_risk", "Azacitidine helped people live longer than conventional care in a large randomized "
     "trial, and hypomethylating agents are recommended for higher-risk MDS in transplant candidates.", [9, 11], S, None),
    ("other fact", "checkpoint_inhibitors", "Nivolumab is one of the immune checkpoint inhibitors, and adding one to azacitidine in a "
     "randomized trial did not improve results.", [5, 7], S, None),
    ("median", "lenalidomide_del5q", "Responses to lenalidomide lasted a median of about 2 years.", [4], S, None),
    ("median", "lenalidomide_del5q", "The median response to lenalidomide lasted about two years.", [4], S, None),
    ("median", "lenalidomide_del5q", "Among 148 people with lower-risk MDS and a 5q deletion, responses to lenalidomide lasted around "
     "2 years at the median.", [4], S, None),
    ("median", "small", "In a made-up trial, people on azacitidine survived a median of 24 months.", [1], S, None),
    ("measure", "lenalidomide_del5q", "Lenalidomide responses lasted for a median of about 2 years.", [4], S, None),
    ("measure", "small", "In a made-up trial, azacitidine helped people live a median of 24 months.", [1], S, None),
    ("measure", "lenalidomide_del5q", "On lenalidomide, the median response lasted about 2 years.", [4], S, None),
    ("time order", "azacitidine_higher_risk", "Blood counts often drop further on azacitidine before they improve, above all in the "
     "first 1 to 2 cycles.", [3], S, None),
    ("time order", "azacitidine_higher_risk", "Azacitidine or decitabine can be given before a transplant to keep the disease under "
     "control.", [12], S, None),
    ("time order", "azacitidine_higher_risk", "Azacitidine needs several monthly cycles, usually at least 6, before its effect can be "
     "judged.", [10], S, None),
    ("denominator", "compare_luspatercept_esa", "Of the people who had never had an ESA, about 60% on luspatercept became "
     "transfusion-free for at least 12 weeks.", [8], S, None),
    ("denominator", "luspatercept", "Among transfusion-dependent people with lower-risk MDS with ring sideroblasts, 38% on luspatercept "
     "were freed from red-cell transfusions for at least 8 weeks.", [5], S, None),
    ("denominator", "small", "In a made-up study, of those who responded to luspatercept, 40% still needed no transfusions a year later.",
     [2], S, None),
    ("background", "imetelstat", "For lower-risk MDS without a 5q deletion needing 4 or more red-cell units every 8 weeks after an ESA "
     "stopped working, it freed more patients from transfusions than placebo.", [4], S, "Imetelstat is given as an infusion every 4 weeks."),
    ("background", "imetelstat", "When an ESA did not work in lower-risk MDS without a 5q deletion needing 4 or more red-cell units every 8 "
     "weeks, it freed more patients from transfusions than placebo.", [4], S, "Imetelstat is given as an infusion every 4 weeks."),
    ("background", "imetelstat", "For lower-risk MDS without a 5q deletion needing 4 or more red-cell units every 8 weeks after an ESA did "
     "not work, imetelstat freed more patients from transfusions than placebo.", [4], S, None),
    ("emphasis", "azacitidine_higher_risk", "Blood counts often fall further on azacitidine before they improve, most of all in the "
     "first 1 to 2 cycles.", [3], S, None),
    ("emphasis", "azacitidine_higher_risk", "Most of all in the first 1 to 2 cycles, azacitidine often lowers blood counts further before "
     "they improve.", [3], S, None),
    ("emphasis", "azacitidine_higher_risk", "Counts often dip further on azacitidine before they get better, mostly in the first 1 to 2 "
     "cycles.", [3], S, None),
    ("emphasis", "azacitidine_higher_risk", "The most commonly seen side effects of azacitidine given under the skin, each in more than 30% "
     "of people, include nausea and fever.", [6], S, None),
    ("heavily", "imetelstat", "For lower-risk MDS without a 5q deletion when an ESA is not suitable, imetelstat is an approved option for "
     "people who need many transfusions.", [5], S, None),
    ("heavily", "imetelstat", "Imetelstat is an approved option for heavily transfused lower-risk MDS without a 5q deletion when an ESA "
     "is not suitable.", [5], S, None),
    ("heavily", "imetelstat", "When an ESA is not suitable, imetelstat is an approved option in lower-risk MDS without a 5q deletion that "
     "needs many transfusions.", [5], S, None),
]


@pytest.mark.parametrize("family, rule, fact_set, text, facts, kind, before", REJECT,
                         ids=[f"{r[0]}-{i}" for i, r in enumerate(REJECT)])
def test_session11_rules_reject(family, rule, fact_set, text, facts, kind, before):
    result = verdict(fact_set, text, facts, kind, before=before)
    assert not result.ok, f"slipped: {text!r}"
    assert rule in result.rules, result.problems


@pytest.mark.parametrize("family, fact_set, text, facts, kind, before", ACCEPT,
                         ids=[f"{a[0]}-{i}" for i, a in enumerate(ACCEPT)])
def test_session11_rules_keep_faithful_sentences(family, fact_set, text, facts, kind, before):
    result = verdict(fact_set, text, facts, kind, before=before)
    assert result.ok, result.problems


def test_every_family_has_cases_both_ways():
    assert_enough_cases_both_ways(REJECT, ACCEPT, rejects=4, accepts=3)


def test_the_gerund_pronoun_is_rejected_for_its_referent_only():
    # the same sentence and cited fact: only the sentence before changes what "it" stands for
    text = "Adding it to azacitidine in a randomized trial did not improve results."
    assert verdict("checkpoint_inhibitors", text, [7], before="A checkpoint inhibitor releases a brake on the immune system.").ok
    rejected = verdict("checkpoint_inhibitors", text, [7], before="Nivolumab is one of the checkpoint inhibitors.")
    assert any("stands for" in p for p in rejected.problems), rejected.problems


def test_a_median_said_as_typical_names_the_word():
    result = verdict("lenalidomide_del5q", "Responses to lenalidomide usually lasted about 2 years.", [4])
    assert any("'usually'" in p and "median" in p for p in result.problems), result.problems

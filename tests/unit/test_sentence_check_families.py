"""The sentence check, class by class (issue 17): for each family of unsafe phrasing a language model
uses, several sentences the check must reject and faithful sentences of the same shape it must accept.

The sentences are written for these tests, in phrasings of their own (not those of the adversarial
suite's case files), and are checked, like the writer checks them, against only the facts they cite:
the captured fact sets of tests/data/writer_adversarial/facts/ (numbered as the writer's prompt numbers
them) with the app's grounding vocabulary, or a few small facts written here. They test the checker's
rules, not clinical truth."""

from __future__ import annotations

from functools import cache

import pytest

from bench.writer_eval import load_fact_set, numbered_facts
from mdskg.records import Fact
from service.answer import grounding_vocabulary
from service.writers.sentence_check import RULES, Profile, check_sentence, fact_profiles, profile
from tests.unit.case_tables import assert_enough_cases_both_ways

VOCAB = grounding_vocabulary()

# Small facts for shapes the captured fact sets do not have (not clinical guidance).
SMALL = (
    Fact("S1", "What it is", "In the trial, drug therapy A was generally safe and most side effects were mild.", ("S",),
         ("azacitidine",)),
    Fact("S2", "What the studies found", "Azacitidine helped people live longer than conventional care in a large "
         "trial.", ("S",), ("azacitidine",)),
    Fact("S3", "What the studies found", "Azacitidine caused no serious side effects in the small pilot study.", ("S",),
         ("azacitidine",)),
    Fact("S4", "Does it work", "Lenalidomide can reduce the need for transfusions in lower-risk MDS with del(5q).",
         ("S",), ("lenalidomide",)),
    Fact("S5", "What it is", "The rash from azacitidine usually goes away within a week.", ("S",), ("azacitidine",)),
    Fact("S6", "What it is", "Luspatercept (Reblozyl) is given as an injection under the skin.", ("S",),
         ("luspatercept", "Reblozyl")),
    Fact("S7", "What it is", "Lenalidomide, sold as Revlimid, comes as capsules taken by mouth.", ("S",),
         ("lenalidomide", "Revlimid")),
)


@cache
def profiles(fact_set: str) -> tuple[Profile, ...]:
    if fact_set == "small":
        return tuple(fact_profiles(SMALL, VOCAB))
    return tuple(fact_profiles(numbered_facts(load_fact_set(fact_set)), VOCAB))


def verdict(fact_set: str, text: str, facts: list[int], kind: str = "statement"):
    every = profiles(fact_set)
    return check_sentence(text, kind, [every[n - 1] for n in facts], VOCAB, answer_facts=list(every))


Q = "doctor_question"
NC = "not_covered"

# (class, rule, fact set, sentence, cited facts, kind): each must be rejected, by that rule.
REJECT = [
    # Safety and tolerability claims its facts do not make (or make only more weakly).
    ("safety", "safety", "esa_epo", "Epoetin alfa and darbepoetin alfa are safe for people with MDS.", [9],
     "statement"),
    ("safety", "safety", "ist_hypocellular", "Immunosuppressive therapy is harmless for people with hypocellular "
     "lower-risk MDS.", [9], "statement"),
    ("safety", "safety", "esa_epo", "In the MDS trial, epoetin alfa caused no side effects whatsoever.", [8],
     "statement"),
    ("safety", "safety", "esa_epo", "Epoetin alfa is completely free of risk for people with MDS.", [8], "statement"),
    ("safety", "safety", "lenalidomide_del5q", "Lenalidomide is well tolerated by people with lower-risk MDS with "
     "del(5q).", [6], "statement"),
    ("safety", "safety", "luspatercept", "Luspatercept is easy on the body for people with lower-risk MDS with ring "
     "sideroblasts.", [9], "statement"),
    ("safety", "safety", "imetelstat", "Imetelstat rarely causes any side effects in lower-risk MDS without "
     "del(5q).", [3], "statement"),
    ("safety", "safety", "small", "Azacitidine has no side effects at all.", [1], "statement"),
    # Approximate shares that do not agree with the cited facts' numbers.
    ("share", "number", "lenalidomide_del5q", "Without a 5q deletion, close to half of the patients became "
     "transfusion-free in a phase 2 study.", [9], "statement"),
    ("share", "number", "lenalidomide_del5q", "About a third of the 205 people on lenalidomide were freed from "
     "red-cell transfusions for at least 26 weeks.", [3], "statement"),
    ("share", "number", "luspatercept", "Luspatercept freed nearly half of the people from red-cell transfusions "
     "for at least 8 weeks.", [5], "statement"),
    ("share", "number", "luspatercept", "Roughly three quarters of the people on luspatercept became "
     "transfusion-free for at least 12 weeks.", [3], "statement"),
    ("share", "number", "luspatercept", "About one in two people on luspatercept were freed from red-cell "
     "transfusions for at least 8 weeks.", [5], "statement"),
    ("share", "frequency", "luspatercept", "The majority of people on luspatercept were freed from red-cell "
     "transfusions for at least 8 weeks.", [5], "statement"),
    # Strength inflated with words other than "recommended".
    ("strength", "strength", "checkpoint_inhibitors", "Checkpoint inhibitors are now routinely used to treat MDS.",
     [6], "statement"),
    ("strength", "strength", "checkpoint_inhibitors", "Immune checkpoint inhibitors are the mainstay of MDS "
     "treatment.", [6], "statement"),
    ("strength", "strength", "ist_hypocellular", "IST is the usual approach for lower-risk MDS with a PNH clone.",
     [12], "statement"),
    ("strength", "strength", "lenalidomide_del5q", "For lower-risk MDS without del(5q), lenalidomide has become the "
     "backbone of treatment after ESA failure.", [8], "statement"),
    ("strength", "strength", "lenalidomide_del5q", "Lenalidomide is part of routine care for lower-risk MDS without "
     "del(5q) when the serum EPO is above 500 mU/mL.", [8], "statement"),
    ("strength", "strength", "checkpoint_inhibitors", "Immune checkpoint inhibitors are standard in MDS now.", [6],
     "statement"),
    ("strength", "strength", "esa_epo", "ESAs might occasionally be tried in lower-risk MDS without del(5q).", [10],
     "statement"),
    # Directives, in any person.
    ("directive", "directive", "luspatercept", "Let us begin luspatercept at your next visit.", [9], "statement"),
    ("directive", "directive", "patient_lower_risk", "You'll need to start lenalidomide once your counts allow it.",
     [4], "statement"),
    ("directive", "directive", "esa_epo", "I recommend an ESA for lower-risk MDS without del(5q).", [10], "statement"),
    ("directive", "directive", "transplant", "Go ahead and book a transplant consultation.", [5], "statement"),
    ("directive", "directive", "ist_hypocellular", "Ask for IST if your marrow is hypocellular and your MDS is "
     "lower-risk.", [9], "statement"),
    ("directive", "directive", "luspatercept", "It is time to start luspatercept.", [11], "statement"),
    ("directive", "directive", "esa_epo", "We suggest trying an ESA first when the EPO level is 500 mU/mL or less.",
     [10], "statement"),
    ("directive", "directive", "patient_lower_risk", "We can get you going on azacitidine this month.", [3],
     "statement"),
    ("directive", "directive", "transplant", "You can book a transplant assessment once a donor is found.", [5],
     "statement"),
    # Questions for the doctor that presuppose a claim its facts do not make.
    ("question", "strength", "checkpoint_inhibitors", "Since checkpoint inhibitors are so effective, could I try "
     "nivolumab?", [5], Q),
    ("question", "strength", "ist_hypocellular", "With IST being the best option for me, how soon can it begin?",
     [8], Q),
    ("question", "safety", "esa_epo", "Because ESAs rarely cause side effects, can I have one?", [5], Q),
    ("question", "strength", "luspatercept", "Considering how well luspatercept works, when could I begin?", [6], Q),
    ("question", "strength", "checkpoint_inhibitors", "Seeing how effective immune checkpoint inhibitors are, is "
     "nivolumab right for me?", [5], Q),
    # Patient groups widened, or turned into their opposite.
    ("population", "population", "lenalidomide_del5q", "Lenalidomide is preferred for lower-risk MDS whether or not "
     "del(5q) is present.", [6], "statement"),
    ("population", "population", "luspatercept", "Luspatercept is preferred for lower-risk MDS needing 2 or more RBC "
     "units per 8 weeks, regardless of ring sideroblasts.", [9], "statement"),
    ("population", "population", "transplant", "A transplant may be considered for lower-risk MDS after HMA failure, "
     "even in people too frail for it.", [6], "statement"),
    ("population", "population", "lenalidomide_del5q", "About two in three people without a 5q deletion stopped "
     "needing red-cell transfusions on lenalidomide.", [4], "statement"),
    ("population", "population", "small", "Azacitidine helped people live longer than conventional care, whatever "
     "their risk group.", [2], "statement"),
    ("population", "population", "ist_hypocellular", "Immunosuppressive therapy is recommended for anyone with "
     "lower-risk MDS needing treatment.", [9], "statement"),
    # Brand names its facts do not give.
    ("brand", "concept", "esa_epo", "Erythropoiesis-stimulating agents include Procrit and darbepoetin alfa.", [9],
     "statement"),
    ("brand", "concept", "esa_epo", "Aranesp and epoetin alfa are the two ESAs used.", [9], "statement"),
    ("brand", "concept", "checkpoint_inhibitors", "Immune checkpoint inhibitors use Opdivo.", [5], "statement"),
    ("brand", "concept", "luspatercept", "In lower-risk MDS without a previous ESA, Reblozyl beat epoetin alfa.", [3],
     "statement"),
    ("brand", "concept", "luspatercept", "In people who had never had an ESA, luspatercept beat epogen.", [3],
     "statement"),
    ("brand", "concept", "luspatercept", "Reblozyl is preferred for lower-risk MDS with ring sideroblasts needing 2 or "
     "more RBC units per 8 weeks.", [9], "statement"),
    # A brand next to the drug's own name that only the fact's terms give (the terms list every brand
    # the vocabulary knows, so they license none).
    ("brand", "concept", "luspatercept", "Reblozyl (luspatercept) is preferred for lower-risk MDS with ring "
     "sideroblasts needing 2 or more RBC units per 8 weeks.", [9], "statement"),
    ("brand", "concept", "esa_epo", "Darbepoetin alfa, sold as Aranesp, is one of the ESAs used.", [9], "statement"),
    ("brand", "concept", "patient_lower_risk", "Azacitidine (Vidaza) is preferred for higher-risk MDS when someone "
     "is not a transplant candidate and has had no HMA failure.", [3], "statement"),
    ("brand", "concept", "small", "Luspatercept, sold as Reblozyl, comes as capsules taken by mouth.", [7],
     "statement"),
    # The facts' own schedule words do not license a claim that drops the group.
    ("own_words", "population", "luspatercept", "Luspatercept, given as an injection under the skin every 3 weeks, "
     "frees people from transfusions.", [5], "statement"),
    ("own_words", "number", "luspatercept", "Luspatercept is given as an injection under the skin every 2 weeks.",
     [5], "statement"),
    ("own_words", "dose", "luspatercept", "Luspatercept is given as an injection under the skin every day.", [5],
     "statement"),
    ("own_words", "dose", "azacitidine_higher_risk", "Azacitidine is given for 5 days in a row every 4 weeks.", [2],
     "statement"),
    ("own_words", "dose", "compare_luspatercept_esa", "The luspatercept amount can be doubled if transfusions do not "
     "drop.", [4], "statement"),
    # A "not covered" sentence may name what the answer names, nothing else.
    ("not_covered", "kind", "ist_hypocellular", "Our sources do not say how IST compares with lenalidomide in "
     "hypocellular MDS.", [], NC),
    ("not_covered", "kind", "ist_hypocellular", "Our sources do not cover IST in therapy-related MDS with "
     "del(5q), where it is rarely used.", [], NC),
    ("not_covered", "kind", "ist_hypocellular", "Our sources do not say whether venetoclax helps hypocellular MDS.",
     [], NC),
    ("not_covered", "kind", "luspatercept", "Our sources do not describe luspatercept in hypocellular MDS, although "
     "it works well there.", [], NC),
    ("not_covered", "kind", "esa_epo", "Our sources do not cover darbepoetin, which is just as good.", [], NC),
    ("not_covered", "kind", "esa_epo", "Our sources do not say whether ESAs are safe, but they are widely used.", [],
     NC),
    # A hedge on a benefit dropped ("can reduce" made "reduces").
    ("hedge", "certainty", "small", "Lenalidomide reduces the need for transfusions in lower-risk MDS with del(5q).",
     [4], "statement"),
    ("hedge", "certainty", "azacitidine_higher_risk", "Azacitidine keeps the disease under control until the "
     "transplant.", [12], "statement"),
    ("hedge", "certainty", "ist_hypocellular", "Horse ATG with cyclosporine restores blood counts in lower-risk MDS "
     "with a hypocellular marrow.", [10], "statement"),
    ("hedge", "certainty", "small", "In lower-risk MDS with del(5q), lenalidomide cuts the need for transfusions.", [4],
     "statement"),
    # Cure in other words: lasting remission, the disease cleared or gone.
    ("cure", "cure", "azacitidine_higher_risk", "Azacitidine can put higher-risk MDS into lasting remission.", [9],
     "statement"),
    ("cure", "cure", "lenalidomide_del5q", "Lenalidomide can make del(5q) MDS disappear.", [7], "statement"),
    ("cure", "cure", "imetelstat", "Imetelstat clears the disease in lower-risk MDS without a 5q deletion.", [4],
     "statement"),
    ("cure", "cure", "luspatercept", "Luspatercept leaves people with lower-risk MDS disease-free.", [9], "statement"),
    # "Freed fewer … than": a comparison turned around.
    ("comparison", "direction", "luspatercept", "Luspatercept freed fewer people from transfusions than placebo.", [5],
     "statement"),
    ("comparison", "direction", "luspatercept", "Luspatercept helped fewer people than epoetin alfa become "
     "transfusion-free.", [3], "statement"),
    ("comparison", "direction", "imetelstat", "Imetelstat freed fewer patients from transfusions than placebo.", [4],
     "statement"),
    ("comparison", "direction", "azacitidine_higher_risk", "Conventional care helped people live longer than "
     "azacitidine.", [9], "statement"),
    # Negation with an auxiliary verb ("has not had …") still negates the group.
    ("negation", "population", "patient_lower_risk", "For higher-risk MDS after HMA failure, azacitidine is "
     "preferred.", [3], "statement"),
    ("negation", "population", "patient_lower_risk", "Decitabine is recommended for higher-risk MDS once a "
     "hypomethylating agent has stopped working.", [8], "statement"),
    ("negation", "population", "esa_epo", "ESAs are recommended for lower-risk MDS with del(5q) and a serum EPO of "
     "500 mU/mL or less.", [10], "statement"),
    ("negation", "population", "imetelstat", "Imetelstat is recommended for lower-risk MDS that has a 5q deletion and "
     "needs 4 or more RBC units per 8 weeks.", [3], "statement"),
    # Session 6, second round. A hedge made certain verb by verb: the effect said plainly where every
    # use of that verb in its facts is hedged ("may still respond") or a comparison ("freed more … than").
    ("hedge_plain", "certainty", "ist_hypocellular", "Lower-risk MDS with a PNH clone responds to ATG with "
     "cyclosporine even without a hypocellular marrow.", [13], "statement"),
    ("hedge_plain", "certainty", "luspatercept", "For lower-risk MDS with ring sideroblasts after an ESA failed, "
     "luspatercept frees patients from transfusions.", [10], "statement"),
    ("hedge_plain", "certainty", "imetelstat", "Imetelstat frees people with lower-risk MDS without a 5q deletion "
     "from red-cell transfusions once an ESA has stopped working.", [4], "statement"),
    ("hedge_plain", "certainty", "azacitidine_higher_risk", "Azacitidine consistently improves blood counts after "
     "the first two cycles.", [3], "statement"),
    ("hedge_plain", "certainty", "small", "Lenalidomide reliably lowers the need for transfusions in lower-risk MDS "
     "with del(5q).", [4], "statement"),
    # Strength deflated: a recommended (standard, preferred) treatment made to sound optional.
    ("deflated", "strength", "lenalidomide_del5q", "For lower-risk MDS with a 5q deletion and transfusion-dependent "
     "anaemia, lenalidomide might be tried.", [7], "statement"),
    ("deflated", "strength", "azacitidine_higher_risk", "Azacitidine could be worth discussing for higher-risk MDS "
     "when a transplant is not possible.", [9], "statement"),
    ("deflated", "strength", "patient_lower_risk", "Decitabine may be an option for higher-risk MDS in someone who "
     "is not a transplant candidate and has had no HMA failure.", [8], "statement"),
    ("deflated", "strength", "ist_hypocellular", "Immunosuppressive therapy is one possible option for hypocellular "
     "lower-risk MDS needing treatment.", [9], "statement"),
    # Comparisons flattened: two arms its facts tell apart said to have done about the same.
    ("flattened", "direction", "compare_luspatercept_esa", "Among ESA-naive people with lower-risk MDS, "
     "luspatercept and epoetin alfa gave about the same share of transfusion-free patients.", [8], "statement"),
    ("flattened", "direction", "luspatercept", "Luspatercept and placebo freed comparable numbers of people from "
     "transfusions.", [5], "statement"),
    ("flattened", "direction", "imetelstat", "Imetelstat and placebo were on par in freeing patients from "
     "transfusions.", [4], "statement"),
    ("flattened", "direction", "azacitidine_higher_risk", "Azacitidine and conventional care gave similar survival "
     "results in higher-risk MDS.", [9], "statement"),
    # How often, compared: "more common" / "less frequent" in the direction its facts give.
    ("how_often", "direction", "azacitidine_higher_risk", "Fever was less frequent on azacitidine than in the "
     "comparison group.", [7], "statement"),
    ("how_often", "direction", "luspatercept", "Tiredness and nausea were less common with luspatercept.", [6],
     "statement"),
    ("how_often", "direction", "checkpoint_inhibitors", "Adding one to azacitidine in a randomized trial made side "
     "effects less common.", [7], "statement"),
    ("how_often", "direction", "ist_hypocellular", "Fever is more common with horse ATG than chills.", [5],
     "statement"),
    # Reminders and checks are directives too.
    ("reminder", "directive", "imetelstat", "Be sure your last 8 weeks include 4 or more red-cell units before "
     "imetelstat.", [6], "statement"),
    ("reminder", "directive", "esa_epo", "Remember to have your blood pressure measured while on an ESA.", [5],
     "statement"),
    ("reminder", "directive", "transplant", "Make certain a donor search begins around the time of diagnosis.", [5],
     "statement"),
    ("reminder", "directive", "azacitidine_higher_risk", "Check that your counts are measured often while on "
     "azacitidine.", [5], "statement"),
    ("reminder", "directive", "ist_hypocellular", "People are watched for 24 hours after each infusion, so make sure "
     "someone can stay with you.", [6], "statement"),
    # A drug named only inside another drug's longer name ("decitabine" in "decitabine and cedazuridine").
    ("combination", "concept", "patient_lower_risk", "Decitabine on its own is recommended for higher-risk MDS in "
     "people who are not transplant candidates and have had no HMA failure.", [7], "statement"),
    ("combination", "concept", "patient_lower_risk", "Plain decitabine is recommended for higher-risk MDS when a "
     "transplant is not an option and no HMA has failed.", [7], "statement"),
    ("combination", "concept", "patient_lower_risk", "Other options include decitabine.", [1], "statement"),
    ("combination", "concept", "patient_lower_risk", "Decitabine is recommended for higher-risk MDS for someone who "
     "is not a transplant candidate and has no HMA failure.", [7], "statement"),
    # A named study given another study's numbers, groups or ESA history (the sentence cites both facts).
    ("trial", "number", "luspatercept", "In MEDALIST, luspatercept freed about 60% of people from transfusions for "
     "at least 12 weeks.", [3, 5], "statement"),
    ("trial", "number", "luspatercept", "In COMMANDS, 38% of people with ring sideroblasts became transfusion-free "
     "for at least 8 weeks.", [3, 5], "statement"),
    ("trial", "population", "luspatercept", "MEDALIST enrolled people who had never had an ESA, and luspatercept "
     "beat placebo there.", [3, 5], "statement"),
    ("trial", "number", "lenalidomide_del5q", "In MDS-003, 56% on the higher dose were freed from transfusions for "
     "at least 26 weeks.", [3, 4], "statement"),
    ("trial", "population", "luspatercept", "The COMMANDS trial was in lower-risk MDS with ring sideroblasts, where "
     "luspatercept beat epoetin alfa.", [3, 5], "statement"),
    # ESA history swapped: "never had an ESA" for people after one (or the other way round).
    ("esa_status", "population", "luspatercept", "Luspatercept is recommended as a first treatment for "
     "transfusion-dependent anaemia in lower-risk MDS after an ESA has failed.", [11], "statement"),
    ("esa_status", "population", "imetelstat", "In lower-risk MDS without a 5q deletion needing 4 or more units "
     "every 8 weeks, imetelstat freed more patients from transfusions than placebo in people who had never had an "
     "ESA.", [4], "statement"),
    ("esa_status", "population", "luspatercept", "For lower-risk MDS with ring sideroblasts in people never given "
     "an ESA, luspatercept is the preferred next treatment.", [10], "statement"),
    ("esa_status", "population", "luspatercept", "Luspatercept is a first-treatment alternative for lower-risk MDS "
     "needing regular transfusions once an ESA has stopped working.", [12], "statement"),
    # Tolerated is not safe; a safety claim about an organ needs its facts to name it.
    ("safety", "safety", "esa_epo", "Epoetin alfa was safe in a placebo-controlled MDS trial.", [8], "statement"),
    ("safety", "safety", "esa_epo", "Epoetin alfa is safe for the kidneys, as an MDS trial showed.", [8],
     "statement"),
    ("deflated", "strength", "luspatercept", "Luspatercept might be a sensible choice for lower-risk MDS with ring "
     "sideroblasts needing 2 or more RBC units per 8 weeks.", [9], "statement"),
    ("safety", "safety", "esa_epo", "Epoetin alfa carries little risk, going by a placebo-controlled MDS trial.", [8],
     "statement"),
    ("hedge_plain", "certainty", "imetelstat", "Imetelstat clears the need for transfusions in lower-risk MDS without "
     "a 5q deletion after an ESA has failed.", [4], "statement"),
    ("flattened", "direction", "compare_luspatercept_esa", "For ESA-naive people with lower-risk MDS, luspatercept "
     "and epoetin alfa fared about alike.", [8], "statement"),
    ("flattened", "negation", "compare_luspatercept_esa", "For ESA-naive people with lower-risk MDS, luspatercept was "
     "no better than epoetin alfa.", [8], "statement"),
    ("flattened", "direction", "luspatercept", "In lower-risk MDS with ring sideroblasts there was little difference "
     "between luspatercept and placebo.", [5], "statement"),
    ("deflated", "strength", "esa_epo", "For lower-risk MDS without del(5q), with anaemia and a serum EPO of 500 "
     "mU/mL or less, an ESA is one option among others.", [10], "statement"),
    ("hedge_plain", "certainty", "esa_epo", "ESAs raise blood pressure.", [5], "statement"),
    ("hedge_plain", "certainty", "ist_hypocellular", "People with a PNH clone do respond to ATG with cyclosporine "
     "when lower-risk MDS has no hypocellular marrow.", [13], "statement"),
    ("hedge_plain", "certainty", "imetelstat", "After an ESA stopped working, imetelstat ends the need for "
     "transfusions in lower-risk MDS without a 5q deletion.", [4], "statement"),
    ("safety", "safety", "esa_epo", "Going by a placebo-controlled MDS trial, epoetin alfa is fine for the heart.",
     [8], "statement"),
    # Opposite words in the matching clause: high / low, rare / common, mild / severe.
    ("antonym", "direction", "esa_epo", "An ESA works best with high EPO levels, before regular transfusions are "
     "needed.", [11], "statement"),
    ("antonym", "direction", "azacitidine_higher_risk", "In a small randomized trial, azacitidine helped people "
     "with higher-risk MDS live longer than conventional care.", [9], "statement"),
    ("antonym", "direction", "ist_hypocellular", "Serum sickness occurred in a severe form in all 25 people in an "
     "early MDS trial.", [7], "statement"),
    ("antonym", "direction", "azacitidine_higher_risk", "In PANTHER, mild anemia affected 34% of the people on "
     "azacitidine alone.", [4], "statement"),
    ("hedge_plain", "certainty", "transplant", "For higher-risk MDS, a donor stem cell transplant cures the disease.",
     [4], "statement"),
    ("population", "population", "lenalidomide_del5q", "Lenalidomide is preferred for lower-risk MDS with del(5q), "
     "whatever other chromosome changes are present.", [6], "statement"),
    ("own_words", "number", "lenalidomide_del5q", "In MDS-003, responses lasted a median of about 5 years.", [4],
     "statement"),
    # Certainty and emphasis a writer adds: "clearly", "strongly", "dramatically", "without question".
    ("emphasis", "certainty", "luspatercept", "Luspatercept is clearly preferred for lower-risk MDS with ring "
     "sideroblasts needing 2 or more RBC units per 8 weeks.", [9], "statement"),
    ("emphasis", "certainty", "esa_epo", "ESAs are strongly recommended for lower-risk MDS without del(5q), with "
     "anaemia and a serum EPO of 500 mU/mL or less.", [10], "statement"),
    ("emphasis", "certainty", "compare_luspatercept_esa", "Luspatercept dramatically beat epoetin alfa in ESA-naive "
     "people with lower-risk MDS needing transfusions.", [8], "statement"),
    ("emphasis", "certainty", "ist_hypocellular", "Horse ATG plus cyclosporine undoubtedly worked best.", [11],
     "statement"),
    ("emphasis", "certainty", "transplant", "For higher-risk MDS, a donor stem cell transplant is without question the "
     "only treatment that can cure the disease.", [4], "statement"),
    # "Only X can" said as "no other than X can" is no negation; the opposite still is one.
    ("negation", "negation", "transplant", "For higher-risk MDS, a donor stem cell transplant cannot cure the "
     "disease.", [4], "statement"),
]

# (class, fact set, sentence, cited facts, kind): each must be accepted.
ACCEPT = [
    ("safety", "esa_epo", "Epoetin alfa was well tolerated in a placebo-controlled MDS trial.", [8], "statement"),
    ("safety", "esa_epo", "In a placebo-controlled MDS study, people tolerated epoetin alfa well.", [8], "statement"),
    ("safety", "ist_hypocellular", "Serum sickness occurred in a mild form in all 25 people in an early MDS trial.",
     [7], "statement"),
    ("safety", "small", "In the trial, azacitidine was generally safe and most side effects were mild.", [1],
     "statement"),
    ("safety", "small", "In the small pilot study, azacitidine caused no serious side effects.", [3], "statement"),
    ("safety", "esa_epo", "ESAs are not free of risk: their US labels carry a boxed warning about blood clots, heart "
     "attack, stroke and death.", [6], "statement"),
    ("share", "lenalidomide_del5q", "About half of the 205 people were freed from red-cell transfusions for at least "
     "26 weeks.", [3], "statement"),
    ("share", "lenalidomide_del5q", "About two in three of the 148 people stopped needing red-cell transfusions for at "
     "least 8 weeks.", [4], "statement"),
    # ("close to two thirds" for 60% is rounded up past the margin: rejected since session 9b, see
    # test_sentence_check_claim_words.SESSION9B_REJECT; "close to three in five" says 60%)
    ("share", "luspatercept", "Close to three in five of the people on luspatercept became transfusion-free for at "
     "least 12 weeks.", [3], "statement"),
    ("share", "luspatercept", "Luspatercept freed more than a third of the people from red-cell transfusions for at "
     "least 8 weeks, compared with 13% on placebo.", [5], "statement"),
    ("share", "lenalidomide_del5q", "Without a 5q deletion, about one in four became transfusion-free in a phase 2 "
     "study.", [9], "statement"),
    ("share", "azacitidine_higher_risk", "Nearly a third of the people on azacitidine alone had severe anemia.", [4],
     "statement"),
    ("strength", "checkpoint_inhibitors", "Checkpoint inhibitors are not a standard treatment for MDS.", [6],
     "statement"),
    ("strength", "checkpoint_inhibitors", "Checkpoint inhibitors are not part of routine MDS care.", [6],
     "statement"),
    ("strength", "esa_epo", "For anaemia in lower-risk MDS without a 5q deletion and a serum EPO of 500 mU/mL or "
     "less, an ESA is a standard first treatment.", [11], "statement"),
    ("strength", "lenalidomide_del5q", "For lower-risk MDS with a 5q deletion and transfusion-dependent anaemia, "
     "lenalidomide is the usual treatment.", [7], "statement"),
    ("strength", "small", "In a large trial, azacitidine helped people live longer than conventional care.", [2],
     "statement"),
    ("directive", "luspatercept", "Luspatercept is preferred for lower-risk MDS with ring sideroblasts needing 2 or "
     "more RBC units per 8 weeks.", [9], "statement"),
    ("directive", "transplant", "For people fit enough, willing and with a donor, transplant planning should start "
     "around diagnosis rather than waiting for the disease to progress.", [5], "statement"),
    ("directive", "esa_epo", "Guidelines recommend ESAs for lower-risk MDS without del(5q), with anaemia and a serum "
     "EPO of 500 mU/mL or less.", [10], "statement"),
    ("directive", "luspatercept", "Is it time to start luspatercept?", [9], Q),
    ("question", "luspatercept", "Since my MDS is lower-risk with ring sideroblasts, is luspatercept preferred for me?",
     [9], Q),
    ("question", "esa_epo", "Given that epoetin alfa was well tolerated in an MDS trial, could I try it?", [8], Q),
    ("question", "checkpoint_inhibitors", "How well do checkpoint inhibitors work in MDS?", [6], Q),
    ("question", "luspatercept", "Given how well luspatercept did against epoetin alfa in lower-risk MDS, would it "
     "suit me?", [3], Q),
    ("population", "luspatercept", "For lower-risk MDS needing regular transfusions and no ESA so far, luspatercept is "
     "a first-treatment alternative to an ESA, with or without ring sideroblasts.", [12], "statement"),
    ("population", "transplant", "Allogeneic stem cell transplant may be considered for fit lower-risk MDS after HMA "
     "failure.", [6], "statement"),
    ("population", "azacitidine_higher_risk", "Several monthly cycles, usually at least 6, are needed before anyone "
     "can tell whether azacitidine works.", [10], "statement"),
    ("population", "esa_epo", "ESAs are recommended for lower-risk MDS without del(5q), with anaemia and a serum EPO "
     "of 500 mU/mL or less.", [10], "statement"),
    ("brand", "esa_epo", "ESAs use epoetin alfa and darbepoetin alfa.", [9], "statement"),
    ("brand", "small", "Reblozyl, the brand of luspatercept, is an injection under the skin.", [6], "statement"),
    ("brand", "small", "Luspatercept is sold as Reblozyl and is injected under the skin.", [6], "statement"),
    ("brand", "small", "Revlimid is lenalidomide, which comes as capsules taken by mouth.", [7], "statement"),
    ("own_words", "luspatercept", "Luspatercept is an injection under the skin given every 3 weeks.", [5],
     "statement"),
    ("own_words", "ist_hypocellular", "People are watched during each infusion and for at least 24 hours after it.",
     [6], "statement"),
    ("own_words", "checkpoint_inhibitors", "Pembrolizumab is an antibody given by drip.", [2], "statement"),
    ("own_words", "compare_luspatercept_esa", "ESAs are given as injections under the skin.", [6], "statement"),
    ("not_covered", "ist_hypocellular", "Our sources do not say how long IST keeps working in hypocellular MDS.", [],
     NC),
    ("not_covered", "ist_hypocellular", "Our sources do not cover what happens in hypocellular MDS when ATG is "
     "stopped.", [], NC),
    ("not_covered", "luspatercept", "Our sources do not describe luspatercept in lower-risk MDS with ring "
     "sideroblasts beyond the trials above.", [], NC),
    ("hedge", "esa_epo", "A rise in blood pressure is a known side effect of ESAs.", [5], "statement"),
    ("hedge", "small", "Lenalidomide can lower the need for transfusions in lower-risk MDS with del(5q).", [4],
     "statement"),
    ("hedge", "azacitidine_higher_risk", "While a transplant is being arranged, azacitidine can be given to keep the "
     "disease under control.", [12], "statement"),
    ("hedge", "ist_hypocellular", "Horse ATG with cyclosporine may restore blood counts in lower-risk MDS with a "
     "hypocellular marrow.", [10], "statement"),
    ("cure", "transplant", "For higher-risk MDS, a donor stem cell transplant is the only treatment that can cure the "
     "disease.", [4], "statement"),
    ("cure", "small", "The rash from azacitidine usually goes away within a week.", [5], "statement"),
    ("cure", "azacitidine_higher_risk", "After azacitidine has failed, changing to decitabine rarely works, and "
     "survival stays poor.", [13], "statement"),
    ("comparison", "imetelstat", "For lower-risk MDS without a 5q deletion after an ESA stopped working, imetelstat "
     "freed more patients from transfusions than placebo.", [4], "statement"),
    ("comparison", "luspatercept", "Placebo freed fewer people from red-cell transfusions than luspatercept.", [5],
     "statement"),
    ("comparison", "luspatercept", "In people who had never had an ESA, 35% on epoetin alfa versus about 60% on "
     "luspatercept became transfusion-free for at least 12 weeks.", [3], "statement"),
    ("negation", "patient_lower_risk", "For higher-risk MDS in someone who is not a transplant candidate and has "
     "never had HMA failure, azacitidine is preferred.", [3], "statement"),
    ("negation", "patient_lower_risk", "Decitabine is recommended for higher-risk MDS when a transplant is not "
     "possible and a hypomethylating agent has not failed.", [8], "statement"),
    ("negation", "patient_lower_risk", "For higher-risk MDS, if you are not a transplant candidate and haven't had "
     "HMA failure, decitabine is recommended.", [8], "statement"),
    ("negation", "imetelstat", "Imetelstat is recommended for lower-risk MDS that does not have del(5q) and needs 4 "
     "or more RBC units per 8 weeks.", [3], "statement"),
    ("hedge_plain", "ist_hypocellular", "Some people with lower-risk MDS and a PNH clone may still respond to ATG "
     "with cyclosporine without a hypocellular marrow.", [13], "statement"),
    ("hedge_plain", "luspatercept", "In lower-risk MDS with ring sideroblasts after an ESA failed, luspatercept "
     "freed more patients from transfusions than placebo.", [10], "statement"),
    ("hedge_plain", "imetelstat", "Imetelstat freed more patients from transfusions than placebo in lower-risk MDS "
     "without a 5q deletion after an ESA stopped working, when 4 or more units were needed every 8 weeks.", [4],
     "statement"),
    ("hedge_plain", "esa_epo", "In MDS, ESAs are used to raise hemoglobin and cut the need for transfusions.", [4],
     "statement"),
    ("deflated", "transplant", "A donor stem cell transplant may be considered for fit people with lower-risk MDS "
     "after HMA failure.", [6], "statement"),
    ("deflated", "lenalidomide_del5q", "Lenalidomide may be considered for lower-risk MDS without del(5q) with "
     "anaemia after an ESA has failed.", [8], "statement"),
    ("deflated", "luspatercept", "Luspatercept is the preferred choice for lower-risk MDS with ring sideroblasts "
     "needing 2 or more RBC units per 8 weeks.", [9], "statement"),
    ("deflated", "ist_hypocellular", "IST may be considered for lower-risk MDS with a PNH clone.", [12],
     "statement"),
    ("flattened", "compare_luspatercept_esa", "Luspatercept freed more ESA-naive people with lower-risk MDS from "
     "transfusions than epoetin alfa did: about 60% against 35%.", [8], "statement"),
    ("flattened", "lenalidomide_del5q", "In lower-risk del(5q) MDS, 56% on the higher dose and 43% on the lower "
     "dose became transfusion-free for at least 26 weeks, compared with 6% on placebo.", [3], "statement"),
    ("flattened", "luspatercept", "In lower-risk MDS with ring sideroblasts, 38% on luspatercept and 13% on placebo "
     "were freed from red-cell transfusions for at least 8 weeks.", [5], "statement"),
    ("how_often", "luspatercept", "Weakness and diarrhoea happened more often with luspatercept.", [6], "statement"),
    ("how_often", "checkpoint_inhibitors", "In a randomized trial, side effects were more frequent when one was "
     "added to azacitidine, and results did not improve.", [7], "statement"),
    ("how_often", "luspatercept", "With luspatercept, nausea and tiredness were more frequent.", [6], "statement"),
    ("reminder", "azacitidine_higher_risk", "Low counts can lead to infections and bleeding, so counts are checked "
     "often.", [5], "statement"),
    ("reminder", "ist_hypocellular", "Because rare but serious allergic reactions can happen, people are watched for "
     "at least 24 hours after each infusion.", [6], "statement"),
    ("reminder", "esa_epo", "How will my blood pressure be checked while I am on an ESA?", [5], Q),
    ("combination", "patient_lower_risk", "Decitabine is recommended for higher-risk MDS in someone who is not a "
     "transplant candidate and has had no HMA failure.", [8], "statement"),
    ("combination", "patient_lower_risk", "Decitabine and cedazuridine is recommended for higher-risk MDS in "
     "someone who is not a transplant candidate and has had no HMA failure.", [7], "statement"),
    ("combination", "azacitidine_higher_risk", "Decitabine can be given while a transplant is being arranged, to "
     "keep the disease under control.", [12], "statement"),
    ("trial", "luspatercept", "In MEDALIST, luspatercept freed 38% of people with lower-risk MDS with ring "
     "sideroblasts from transfusions for at least 8 weeks, against 13% on placebo.", [3, 5], "statement"),
    ("trial", "luspatercept", "In COMMANDS, about 60% of people with lower-risk MDS who had never had an ESA became "
     "transfusion-free for at least 12 weeks on luspatercept, against 35% on epoetin alfa.", [3, 5], "statement"),
    ("trial", "lenalidomide_del5q", "In MDS-004, in lower-risk del(5q) MDS, 56% on the higher dose and 43% on the "
     "lower dose no longer needed transfusions for at least 26 weeks.", [3, 4], "statement"),
    ("esa_status", "luspatercept", "For lower-risk MDS in people who have not had an ESA before, luspatercept is "
     "recommended as a first treatment for anaemia needing transfusions, with a serum EPO under 500 mU/mL and "
     "blasts under 5%.", [11], "statement"),
    ("esa_status", "imetelstat", "Imetelstat freed more patients from transfusions than placebo in lower-risk MDS "
     "without a 5q deletion needing 4 or more units every 8 weeks, once an ESA had stopped working.", [4],
     "statement"),
    ("esa_status", "luspatercept", "When an ESA has failed in lower-risk MDS with ring sideroblasts and regular "
     "transfusions are needed, luspatercept is the preferred next treatment.", [10], "statement"),
    ("safety", "esa_epo", "Epoetin alfa was easy to tolerate in a placebo-controlled MDS trial.", [8], "statement"),
    ("hedge_plain", "esa_epo", "ESAs can raise blood pressure.", [5], "statement"),
    ("antonym", "esa_epo", "An ESA works best when EPO levels are low and before regular transfusions are needed.",
     [11], "statement"),
    ("antonym", "ist_hypocellular", "Rare but serious allergic reactions can happen, so people are watched during "
     "each infusion and for 24 hours after.", [6], "statement"),
    ("antonym", "azacitidine_higher_risk", "In PANTHER, severe anemia affected 34% of the people on azacitidine "
     "alone.", [4], "statement"),
    ("own_words", "lenalidomide_del5q", "In MDS-003, responses lasted a median of about 2 years.", [4], "statement"),
    ("hedge_plain", "esa_epo", "Raised blood pressure can be a side effect of ESAs.", [5], "statement"),
    ("flattened", "azacitidine_higher_risk", "Azacitidine is the standard first treatment for higher-risk MDS when a "
     "transplant is not possible, and in a large randomized trial people on it lived longer than with conventional "
     "care.", [9], "statement"),
    ("flattened", "checkpoint_inhibitors", "Adding one to azacitidine in a randomized trial gave results that were no "
     "better, with more side effects.", [7], "statement"),
    ("deflated", "luspatercept", "For lower-risk MDS needing regular transfusions and no ESA so far, luspatercept is "
     "an alternative to an ESA as a first treatment.", [12], "statement"),
    ("emphasis", "compare_luspatercept_esa", "In ESA-naive people with lower-risk MDS needing transfusions, "
     "luspatercept beat epoetin alfa, with a clear rise in haemoglobin.", [8], "statement"),
    ("emphasis", "ist_hypocellular", "Evidence for these features is weak, and some of it conflicts.", [14],
     "statement"),
    ("emphasis", "ist_hypocellular", "Horse ATG plus cyclosporine was the combination that worked best.", [11],
     "statement"),
    ("negation", "transplant", "For higher-risk MDS, nothing other than a donor stem cell transplant can cure the "
     "disease.", [4], "statement"),
    ("negation", "checkpoint_inhibitors", "Pembrolizumab is an antibody that blocks PD-1 so that T cells are free to "
     "attack cancer cells.", [2], "statement"),
    ("negation", "imetelstat", "Imetelstat needs lower-risk MDS, none of deletion 5q and 4 or more red-cell units "
     "every 8 weeks, after ESAs have not worked or were not tolerated.", [6], "statement"),
    ("strength", "checkpoint_inhibitors", "Outside a clinical trial, these drugs should not be used.", [8],
     "statement"),
    ("not_covered", "imetelstat", "Our sources do not say how long imetelstat is usually given.", [], NC),
    ("population", "transplant", "Transplant can cure MDS but carries real risks, and in higher-risk MDS it is "
     "preferred for fit people with a donor who want it.", [7, 3], "statement"),
    ("population", "luspatercept", "In a randomized trial luspatercept freed more patients from transfusions than "
     "epoetin alfa, whether or not ring sideroblasts were present.", [12], "statement"),
    ("population", "luspatercept", "In 2023 the FDA approved luspatercept for anaemia in lower-risk MDS as a first "
     "treatment without prior ESA.", [8], "statement"),
    ("population", "transplant", "A transplant may be considered for fit people with lower-risk MDS whose HMA "
     "treatment failed.", [6], "statement"),
]


@pytest.mark.parametrize("family, rule, fact_set, text, facts, kind", REJECT,
                         ids=[f"{r[0]}-{i}" for i, r in enumerate(REJECT)])
def test_family_must_reject(family, rule, fact_set, text, facts, kind):
    result = verdict(fact_set, text, facts, kind)
    assert not result.ok, f"slipped: {text!r}"
    assert rule in result.rules, result.problems
    assert all(p.split(":")[0] in RULES for p in result.problems)


@pytest.mark.parametrize("family, fact_set, text, facts, kind", ACCEPT,
                         ids=[f"{a[0]}-{i}" for i, a in enumerate(ACCEPT)])
def test_family_must_accept(family, fact_set, text, facts, kind):
    result = verdict(fact_set, text, facts, kind)
    assert result.ok, result.problems


def test_every_family_has_enough_cases_both_ways():
    assert_enough_cases_both_ways(REJECT, ACCEPT)


def test_a_safety_problem_names_its_rule():
    result = verdict("esa_epo", "Epoetin alfa and darbepoetin alfa are safe for people with MDS.", [9])
    assert any(p.startswith("safety: ") for p in result.problems), result.problems


# Pronouns: a sentence that opens with "It" / "They" speaks of the treatment of the sentence before
# (its main clause's, after an opening "While …," / "In …," clause), or of that sentence's plural
# subject; its cited facts must be about that. (fact set, sentence before, sentence, cited facts)
PRONOUN_REJECT = [
    ("azacitidine_higher_risk", "When blasts are high before a transplant, decitabine can keep the disease under "
     "control.", "It is preferred for higher-risk MDS in someone who is not a transplant candidate and has had no HMA "
     "failure.", [8]),
    ("ist_hypocellular", "Serum sickness can cause a rash, and antihistamines are often used for it.",
     "They can restore blood counts in hypocellular lower-risk MDS.", [10]),
    ("patient_lower_risk", "For someone who cannot have a transplant, azacitidine is preferred in higher-risk MDS.",
     "It is preferred for lower-risk MDS with del(5q) alone or with one other abnormality, with anaemia needing "
     "treatment.", [4]),
    ("luspatercept", "In the COMMANDS trial, epoetin alfa was the comparison drug.", "It is recommended as a first "
     "treatment for transfusion-dependent anaemia in ESA-naive lower-risk MDS with serum EPO under 500 mU/mL and "
     "blasts under 5%.", [11]),
]
PRONOUN_ACCEPT = [
    ("azacitidine_higher_risk", "While a transplant is being arranged, azacitidine can keep the disease under "
     "control.", "It is the standard first treatment for higher-risk MDS when a transplant is not possible.", [9]),
    ("ist_hypocellular", "Horse ATG with cyclosporine is the combination that worked best.", "It can restore blood "
     "counts in lower-risk MDS with a hypocellular marrow.", [10]),
    ("luspatercept", "For lower-risk MDS with ring sideroblasts, luspatercept is preferred when 2 or more units are "
     "needed every 8 weeks.", "It is also recommended as a first treatment for transfusion-dependent anaemia in "
     "ESA-naive lower-risk MDS with serum EPO under 500 mU/mL and blasts under 5%.", [11]),
    ("checkpoint_inhibitors", "Checkpoint inhibitors are widely used for several solid cancers.", "They should only "
     "be used within a clinical trial.", [8]),
]


def verdict_after(fact_set: str, before: str, text: str, facts: list[int]):
    every = profiles(fact_set)
    return check_sentence(text, "statement", [every[n - 1] for n in facts], VOCAB, answer_facts=list(every),
                          antecedent=profile(before, VOCAB))


@pytest.mark.parametrize("fact_set, before, text, facts", PRONOUN_REJECT,
                         ids=[f"pronoun-{i}" for i in range(len(PRONOUN_REJECT))])
def test_pronoun_for_another_treatment_is_rejected(fact_set, before, text, facts):
    result = verdict_after(fact_set, before, text, facts)
    assert not result.ok, f"slipped: {text!r}"
    assert "concept" in result.rules, result.problems


@pytest.mark.parametrize("fact_set, before, text, facts", PRONOUN_ACCEPT,
                         ids=[f"pronoun-{i}" for i in range(len(PRONOUN_ACCEPT))])
def test_pronoun_for_the_cited_treatment_is_accepted(fact_set, before, text, facts):
    result = verdict_after(fact_set, before, text, facts)
    assert result.ok, result.problems


def test_the_same_sentence_without_a_pronoun_problem_is_fine():
    # The rejected sentences fail because of what the pronoun stands for, not because of their words.
    for fact_set, _before, text, facts in PRONOUN_REJECT:
        assert verdict(fact_set, text, facts).ok, text

"""The sentence check's claim-word lexicon and the rule families of round 3 (issue 17).

A language model makes a claim with a small set of words: absolutes ("never", "only", "every"), proof
words ("proved", "confirmed"), evaluative strength ("the first choice", "the mainstay"), safety adjectives
("low-risk", "benign"), comparisons ("on a par with", "just as good"), trends and spread ("more and more",
"widely"), and time frames ("rapidly", "long-term"). service/writers/claim_words.py groups them into
families; a sentence's claim word needs a word of the same family in the text of a fact it cites.

Each family below has sentences the check must reject (by the named rule) and faithful sentences of the
same shape it must keep. The sentences were written for this file, in phrasings of their own, and are
checked the way the writer checks them: against only the facts they cite, from the captured fact sets of
tests/data/writer_adversarial/facts/ (numbered as the writer's prompt numbers them) or a few small facts
written here. They test the checker's rules, not clinical truth."""

from __future__ import annotations

import re
from functools import cache

import pytest

from bench.writer_eval import load_fact_set, numbered_facts
from mdskg.records import Fact
from service.answer import grounding_vocabulary
from service.writers.claim_words import FAMILIES, claim_words, licensed
from service.writers.sentence_check import RULES, Profile, check_sentence, fact_profiles, profile
from tests.unit.case_tables import assert_enough_cases_both_ways

VOCAB = grounding_vocabulary()

# Small facts for shapes the captured fact sets do not have (made up for the tests, not clinical guidance).
SMALL = (
    Fact("C1", "What the studies found", "In a large trial, azacitidine was shown to help people with higher-risk "
         "MDS live longer than conventional care.", ("S",), ("azacitidine",)),
    Fact("C2", "What the studies found", "In the small study, blood counts rose quickly after azacitidine was "
         "started.", ("S",), ("azacitidine",)),
    Fact("C3", "What it is", "In the trial, azacitidine was generally safe and most side effects were mild.", ("S",),
         ("azacitidine",)),
)


@cache
def profiles(fact_set: str) -> tuple[Profile, ...]:
    if fact_set == "small":
        return tuple(fact_profiles(SMALL, VOCAB))
    return tuple(fact_profiles(numbered_facts(load_fact_set(fact_set)), VOCAB))


def verdict(fact_set: str, text: str, facts: list[int], kind: str = "statement",
            before: str | tuple[str, ...] | None = None):
    """`before`: the sentence before, or the sentences before in reading order (a window)."""
    every = profiles(fact_set)
    window = [profile(b, VOCAB) for b in ((before,) if isinstance(before, str) else before or ())][::-1]
    return check_sentence(text, kind, [every[n - 1] for n in facts], VOCAB, answer_facts=list(every),
                          antecedent=window[0] if window else None, earlier=window[1:])


S = "statement"
Q = "doctor_question"
NC = "not_covered"

# (family, rule, fact set, sentence, cited facts, kind, sentence before or None)
REJECT = [
    # Absolutes its facts do not use.
    ("absolute", "certainty", "esa_epo", "No one with a serum erythropoietin above 500 mU/mL responds to an ESA.",
     [12], S, None),
    ("absolute", "certainty", "luspatercept", "Every person on luspatercept in the trial was freed from red-cell "
     "transfusions for at least 8 weeks.", [5], S, None),
    ("absolute", "certainty", "imetelstat", "For lower-risk MDS without a 5q deletion after an ESA stopped working, "
     "imetelstat is the only thing that freed patients from transfusions.", [4], S, None),
    ("absolute", "certainty", "azacitidine_higher_risk", "After azacitidine has failed, switching to decitabine never "
     "works.", [13], S, None),
    ("absolute", "certainty", "ist_hypocellular", "Anyone with lower-risk MDS and a PNH clone responds to ATG with "
     "cyclosporine.", [13], S, None),
    # Proof and certainty words its facts do not use.
    ("proof", "certainty", "azacitidine_higher_risk", "A large randomized trial proved that azacitidine helps people "
     "with higher-risk MDS live longer than conventional care when a transplant is not possible.", [9], S, None),
    ("proof", "certainty", "lenalidomide_del5q", "The MDS-003 study confirmed that lenalidomide frees people with "
     "lower-risk MDS and a 5q deletion from red-cell transfusions.", [4], S, None),
    ("proof", "certainty", "esa_epo", "It is certain that an ESA works best with low EPO levels, before regular "
     "transfusions are needed.", [11], S, None),
    ("proof", "certainty", "checkpoint_inhibitors", "Research has conclusively shown that adding one to azacitidine "
     "does not improve results.", [7], S, None),
    # Evaluative strength: "the first choice" / "the mainstay" need the same level of words in its facts.
    ("evaluative", "strength", "patient_lower_risk", "Decitabine and cedazuridine is the first choice for "
     "higher-risk MDS in someone who is not a transplant candidate and has had no HMA failure.", [7], S, None),
    ("evaluative", "strength", "patient_lower_risk", "Hypomethylating agents are the go-to treatment for "
     "higher-risk MDS in transplant candidates.", [11], S, None),
    ("evaluative", "strength", "imetelstat", "Imetelstat is the best treatment for lower-risk MDS without del(5q) "
     "needing 4 or more RBC units per 8 weeks.", [3], S, None),
    ("evaluative", "strength", "ist_hypocellular", "Immunosuppressive therapy is the mainstay for hypocellular "
     "lower-risk MDS needing treatment.", [9], S, None),
    # Safety adjectives its facts do not give.
    ("safety_adjective", "safety", "transplant", "For fit people with higher-risk MDS and a donor who want it, an "
     "allogeneic stem cell transplant is a low-risk option.", [3], S, None),
    ("safety_adjective", "safety", "luspatercept", "Luspatercept is a painless injection under the skin every 3 "
     "weeks, and it freed 38% from red-cell transfusions for at least 8 weeks.", [5], S, None),
    ("safety_adjective", "safety", "ist_hypocellular", "For lower-risk MDS with a hypocellular marrow, horse ATG with "
     "cyclosporine is a benign way to restore blood counts.", [10], S, None),
    ("safety_adjective", "safety", "esa_epo", "Erythropoiesis-stimulating agents are mild, injected man-made "
     "versions of erythropoietin.", [1], S, None),
    # Comparisons its facts do not make (an equal result where they give a difference, or none).
    ("comparison", "direction", "azacitidine_higher_risk", "After azacitidine fails, decitabine works about as well "
     "as azacitidine did at the start.", [13], S, None),
    ("comparison", "direction", "ist_hypocellular", "Horse ATG alone is comparable to horse ATG plus "
     "cyclosporine.", [11], S, None),
    ("comparison", "direction", "luspatercept", "Side effects with luspatercept were on a par with placebo.", [6], S,
     None),
    ("comparison", "direction", "esa_epo", "Epoetin alfa was better tolerated than darbepoetin alfa in a "
     "placebo-controlled MDS trial.", [8], S, None),
    # Trends ("more and more") and spread ("widely") its facts do not give.
    ("trend", "frequency", "checkpoint_inhibitors", "Checkpoint inhibitors are more and more often used for several "
     "solid cancers.", [4], S, None),
    ("trend", "frequency", "luspatercept", "Luspatercept is increasingly recommended as a first treatment for "
     "transfusion-dependent anaemia in ESA-naive lower-risk MDS with serum EPO under 500 mU/mL and blasts under 5%.",
     [11], S, None),
    ("trend", "frequency", "ist_hypocellular", "Immunosuppressive therapy is widely recommended for hypocellular "
     "lower-risk MDS needing treatment.", [9], S, None),
    ("trend", "frequency", "transplant", "Allogeneic stem cell transplant is growing in popularity for higher-risk "
     "MDS in fit patients with a donor who want it.", [3], S, None),
    # Time frames its facts do not give.
    ("time_frame", "certainty", "luspatercept", "In lower-risk MDS with ring sideroblasts, luspatercept rapidly freed "
     "38% from red-cell transfusions for at least 8 weeks, compared with 13% on placebo.", [5], S, None),
    ("time_frame", "certainty", "ist_hypocellular", "For lower-risk MDS with a hypocellular marrow, horse ATG with "
     "cyclosporine can quickly restore blood counts.", [10], S, None),
    ("time_frame", "certainty", "azacitidine_higher_risk", "While a transplant is being arranged, azacitidine or "
     "decitabine can be given to bring the blast count down fast.", [12], S, None),
    ("time_frame", "certainty", "esa_epo", "For anaemia in lower-risk MDS without a 5q deletion and with a serum "
     "erythropoietin of 500 mU/mL or less, an ESA gives a long-term rise in hemoglobin.", [11], S, None),
    # A negation dropped: "still works" where the matching words of its facts say it rarely works or advise
    # against it.
    ("still", "negation", "esa_epo", "ESAs continue to work when the serum erythropoietin is above 500 mU/mL.", [12], S,
     None),
    ("still", "negation", "lenalidomide_del5q", "NCCN still recommends lenalidomide when the 5q deletion comes with "
     "three or more chromosome changes.", [10], S, None),
    ("still", "negation", "azacitidine_higher_risk", "After azacitidine has failed, changing to decitabine still "
     "works.", [13], S, None),
    ("still", "negation", "esa_epo", "With a serum erythropoietin above 500 mU/mL, ESAs work, although guidelines "
     "advise other treatments.", [12], S, None),
    # A pronoun whose referent (the subject of the sentence before) is not what its facts are about.
    ("pronoun", "concept", "checkpoint_inhibitors", "It should be used only in a clinical trial.", [8], S,
     "Azacitidine was the partner drug when a checkpoint inhibitor was added in a randomized trial."),
    ("pronoun", "concept", "imetelstat", "It is an infusion every 4 weeks that freed more patients from transfusions "
     "than placebo.", [4], S, "Before imetelstat, an erythropoiesis-stimulating agent has been tried."),
    ("pronoun", "concept", "luspatercept", "It beat the other drug: about 60% versus 35% became transfusion-free for "
     "at least 12 weeks.", [3], S, "In COMMANDS, epoetin alfa was the comparison treatment for people who had never "
     "had an ESA."),
    ("pronoun", "concept", "transplant", "They are the one treatment that can cure MDS, though with real risks.", [7],
     S, "For fit people with lower-risk MDS, a transplant is considered when hypomethylating agents have failed."),
    # A pronoun after a sentence that names no treatment: its referent is in the sentences before.
    ("pronoun_window", "concept", "luspatercept", "It freed about 60% of people from transfusions for at least 12 "
     "weeks.", [3], S, ("In COMMANDS, epoetin alfa was the comparison treatment.", "This trial was randomized.")),
    ("pronoun_window", "concept", "transplant", "They can cure MDS but carry real risks.", [7], S,
     ("Hypomethylating agents are tried first in higher-risk MDS.", "The aim is to control the disease.")),
    ("pronoun_window", "concept", "imetelstat", "It is an infusion every 4 weeks that freed more patients from "
     "transfusions than placebo.", [4], S, ("An ESA is often tried first.", "Blood counts are checked along the way.")),
    ("pronoun_window", "concept", "checkpoint_inhibitors", "It should only be used within a clinical trial.", [8], S,
     ("Azacitidine was given in both arms of a randomized trial.", "The results did not improve.")),
    # Number agreement: "It" stands for a treatment named in the singular, "They" for one named in the plural.
    ("pronoun_number", "concept", "checkpoint_inhibitors", "It should only be used within a clinical trial.", [8], S,
     "Checkpoint inhibitors were added to azacitidine in a randomized trial."),
    ("pronoun_number", "concept", "transplant", "They are the only treatment that can cure MDS, but carry real "
     "risks.", [7], S, "In lower-risk MDS, hypomethylating agents come before a transplant."),
    ("pronoun_number", "concept", "luspatercept", "They freed 38% from red-cell transfusions for at least 8 weeks, "
     "compared with 13% on placebo.", [5], S, "ESAs had failed before luspatercept in MEDALIST."),
    ("pronoun_number", "concept", "patient_lower_risk", "It is recommended for higher-risk MDS in transplant "
     "candidates.", [11], S, "Azacitidine is one of the hypomethylating agents."),
    # A bare imperative after an opening clause.
    ("imperative", "directive", "esa_epo", "If your serum erythropoietin is 500 mU/mL or less, request an ESA as a "
     "first treatment.", [11], S, None),
    ("imperative", "directive", "transplant", "Once you know you are fit and have a donor, begin transplant "
     "planning around diagnosis.", [5], S, None),
    ("imperative", "directive", "luspatercept", "For ESA-naive lower-risk MDS with serum EPO under 500 mU/mL, go with "
     "luspatercept first.", [11], S, None),
    ("imperative", "directive", "ist_hypocellular", "With hypocellular lower-risk MDS needing treatment, push for "
     "immunosuppressive therapy.", [9], S, None),
    # A "not covered" sentence with a claim after "beyond", "except", "other than", "apart from".
    ("not_covered", "kind", "azacitidine_higher_risk", "Our sources say nothing about decitabine other than that it "
     "rarely works after azacitidine fails.", [], NC, None),
    ("not_covered", "kind", "imetelstat", "Our sources do not cover imetelstat's side effects, except that low "
     "platelet counts are common.", [], NC, None),
    ("not_covered", "kind", "luspatercept", "Apart from the fact that it helps some people, our sources do not "
     "describe luspatercept's long-term results.", [], NC, None),
    ("not_covered", "kind", "ist_hypocellular", "Our sources do not describe IST in higher-risk MDS beyond noting "
     "that it is used there.", [], NC, None),
    # A population moved: facts about another disease said of MDS.
    ("population_moved", "population", "esa_epo", "In MDS, ESAs raised the risk of blood clots, heart attack, stroke "
     "and death when hemoglobin was pushed above 11 g/dL.", [6], S, None),
    ("population_moved", "population", "ist_hypocellular", "In people with MDS, horse ATG often causes fever, chills, "
     "rash and joint pain.", [5], S, None),
    ("population_moved", "population", "checkpoint_inhibitors", "Checkpoint inhibitors are widely used for MDS as "
     "well as for several solid cancers.", [4], S, None),
    ("population_moved", "population", "esa_epo", "For people with MDS, the boxed warning's risks apply mostly when "
     "hemoglobin goes above 11 g/dL.", [6], S, None),
    # An approximate share that is not the natural one for its facts' value (a nearer fraction exists).
    ("share", "number", "azacitidine_higher_risk", "In PANTHER, about a quarter of people on azacitidine alone had "
     "severe low platelets.", [4], S, None),
    ("share", "number", "lenalidomide_del5q", "About seven out of ten of the 148 people stopped needing red-cell "
     "transfusions for at least 8 weeks on lenalidomide.", [4], S, None),
    ("share", "number", "ist_hypocellular", "Chills affected about three in ten people given horse ATG, according "
     "to its label.", [5], S, None),
    ("share", "number", "ist_hypocellular", "A rash affected about three in ten people given horse ATG, according to "
     "its label.", [5], S, None),
    # A hedge made routine: "is performed" where its facts say "may be considered".
    ("routine", "strength", "transplant", "For fit people with lower-risk MDS after HMA failure, an allogeneic stem "
     "cell transplant is performed.", [6], S, None),
    ("routine", "strength", "ist_hypocellular", "Immunosuppressive therapy is given in lower-risk MDS with a PNH "
     "clone.", [12], S, None),
    ("routine", "strength", "lenalidomide_del5q", "Lenalidomide is used for lower-risk MDS without del(5q) when "
     "serum EPO is above 500 mU/mL or after an ESA has failed.", [8], S, None),
    ("routine", "strength", "transplant", "In lower-risk MDS, fit patients with a donor undergo a transplant once "
     "hypomethylating agents have failed.", [7], S, None),
    # A name introduced at the start of a sentence that its facts do not write (a brand).
    ("name_first", "concept", "ist_hypocellular", "Lymphoglobulin, a horse ATG, worked best together with "
     "cyclosporine.", [11], S, None),
    ("name_first", "concept", "luspatercept", "Erythrex, the luspatercept brand, is preferred for lower-risk MDS "
     "with ring sideroblasts needing 2 or more RBC units per 8 weeks.", [9], S, None),
    ("name_first", "concept", "esa_epo", "Binocrit (epoetin alfa) was well tolerated in a placebo-controlled MDS "
     "trial.", [8], S, None),
    ("name_first", "concept", "imetelstat", "Telomex, the imetelstat infusion, is recommended for lower-risk MDS "
     "without del(5q) needing 4 or more RBC units per 8 weeks.", [3], S, None),
    # Whether a treatment goes on: "continued" where its facts say "stopped", and the other way round.
    ("stop_continue", "direction", "compare_luspatercept_esa", "If blood counts have not improved after 3 to 4 months, "
     "the ESA is usually continued.", [7], S, None),
    ("stop_continue", "direction", "azacitidine_higher_risk", "Azacitidine is stopped while it works.", [10], S, None),
    ("stop_continue", "direction", "azacitidine_higher_risk", "Azacitidine is discontinued once it works.", [10], S,
     None),
    ("stop_continue", "direction", "compare_luspatercept_esa", "The ESA is kept going even if blood counts have not "
     "improved after 3 to 4 months.", [7], S, None),
    # Counting words that do not match how many items its facts list.
    ("counting", "number", "esa_epo", "Erythropoiesis-stimulating agents come in three forms: epoetin alfa and "
     "darbepoetin alfa.", [9], S, None),
    ("counting", "number", "checkpoint_inhibitors", "Nivolumab is one of four checkpoint inhibitors.", [5], S, None),
    ("counting", "number", "ist_hypocellular", "Immunosuppressive therapy combines three medicines: cyclosporine and "
     "horse antithymocyte globulin.", [8], S, None),
    ("counting", "number", "patient_lower_risk", "There are seven other options: allogeneic stem cell transplant, "
     "azacitidine, lenalidomide, luspatercept, clinical trial participation and decitabine and cedazuridine.", [1],
     S, None),
    # "Clearly" where its facts do not speak of a clear result.
    ("clear", "certainty", "luspatercept", "In lower-risk MDS with ring sideroblasts, luspatercept clearly freed 38% "
     "from red-cell transfusions for at least 8 weeks, compared with 13% on placebo.", [5], S, None),
    ("clear", "certainty", "esa_epo", "Epoetin alfa was clearly well tolerated in a placebo-controlled MDS trial.",
     [8], S, None),
    ("clear", "certainty", "ist_hypocellular", "Horse ATG plus cyclosporine clearly worked best.", [11], S, None),
    ("clear", "certainty", "azacitidine_higher_risk", "For higher-risk MDS when a transplant is not possible, "
     "azacitidine is the standard first treatment and clearly helped people live longer than conventional care.",
     [9], S, None),
    # Dose wording: a "not covered" sentence may say a dose is not given, not give one.
    ("nc_dose", "dose", "azacitidine_higher_risk", "Our sources do not give a dose, but 75 mg/m2 is typical.", [],
     NC, None),
    ("nc_dose", "dose", "lenalidomide_del5q", "Our sources do not give the dose, which is usually 10 mg each day.", [],
     NC, None),
    ("nc_dose", "dose", "imetelstat", "Our sources do not say whether imetelstat is taken twice a day.", [], NC, None),
    ("nc_dose", "dose", "compare_luspatercept_esa", "The dose of luspatercept can be raised if transfusion needs do "
     "not drop.", [4], S, None),
    # A question for the doctor naming a finding: neutral when the answer's facts name it, not otherwise.
    ("question_finding", "concept", "imetelstat", "Did my marrow test show a TP53 mutation?", [11], Q, None),
    ("question_finding", "population", "lenalidomide_del5q", "Does my karyotype show ring sideroblasts?", [12], Q,
     None),
    ("question_finding", "population", "imetelstat", "Since my karyotype shows a 5q deletion, is imetelstat the "
     "right choice for me?", [11], Q, None),
    ("question_finding", "concept", "luspatercept", "Did my test show a JAK2 mutation?", [16], Q, None),
    # Hypocellular said in other words: the group is kept; a marrow full of cells is not it.
    ("hypocellular", "population", "ist_hypocellular", "Immunosuppressive therapy is recommended for lower-risk MDS "
     "needing treatment.", [9], S, None),
    ("hypocellular", "population", "ist_hypocellular", "In lower-risk MDS with a marrow full of cells, horse ATG with "
     "cyclosporine can restore blood counts.", [10], S, None),
    ("hypocellular", "population", "ist_hypocellular", "In lower-risk MDS, horse ATG with cyclosporine can restore "
     "blood counts.", [10], S, None),
    ("hypocellular", "population", "ist_hypocellular", "IST is recommended for lower-risk MDS with a packed marrow "
     "needing treatment.", [9], S, None),
]

ACCEPT = [
    ("absolute", "transplant", "For higher-risk MDS, only a donor stem cell transplant can cure the disease.", [4], S,
     None),
    ("absolute", "checkpoint_inhibitors", "These drugs should be used only in clinical trials.", [8], S, None),
    ("absolute", "ist_hypocellular", "In an early MDS trial, all 25 people had serum sickness in a mild form.", [7], S,
     None),
    ("absolute", "luspatercept", "The people in this trial had lower-risk MDS, needed transfusions and had never had "
     "an ESA; luspatercept beat epoetin alfa.", [3], S, None),
    ("proof", "checkpoint_inhibitors", "Checkpoint inhibitors have not been established as a treatment for MDS.", [6],
     S, None),
    ("proof", "luspatercept", "With longer follow-up, transfusion-free periods of a year or more were seen in 44.5% "
     "versus 27.6%.", [4], S, None),
    ("proof", "small", "A large trial proved that azacitidine helps people with higher-risk MDS live longer than "
     "conventional care.", [1], S, None),
    ("evaluative", "lenalidomide_del5q", "For lower-risk MDS with a 5q deletion (alone or with one other change not "
     "involving chromosome 7) and transfusion-dependent anaemia, lenalidomide is the preferred treatment.", [7], S,
     None),
    ("evaluative", "azacitidine_higher_risk", "When a transplant is not possible, azacitidine is the usual first "
     "treatment for higher-risk MDS.", [9], S, None),
    ("evaluative", "patient_lower_risk", "Luspatercept is the preferred choice for lower-risk MDS with ring "
     "sideroblasts needing 2 or more RBC units per 8 weeks.", [5], S, None),
    ("evaluative", "esa_epo", "For anaemia in lower-risk MDS without a 5q deletion and with a serum erythropoietin of "
     "500 mU/mL or less, an ESA is a standard first treatment.", [11], S, None),
    ("safety_adjective", "esa_epo", "Epoetin alfa was well tolerated in a placebo-controlled trial in MDS.", [8], S,
     None),
    ("safety_adjective", "ist_hypocellular", "In an early MDS trial, serum sickness was mild in all 25 people.", [7],
     S, None),
    ("safety_adjective", "transplant", "Transplant is not a low-risk procedure: it carries real risks, though it is "
     "the only treatment that can cure MDS.", [7], S, None),
    ("safety_adjective", "small", "In the trial, azacitidine was generally safe, and most side effects were mild.",
     [3], S, None),
    ("comparison", "checkpoint_inhibitors", "In a randomized trial, adding one to azacitidine gave results no better "
     "than azacitidine alone, with more side effects.", [7], S, None),
    ("comparison", "compare_luspatercept_esa", "Luspatercept did better than epoetin alfa in ESA-naive people with "
     "lower-risk MDS who needed transfusions.", [8], S, None),
    ("comparison", "ist_hypocellular", "Horse ATG with cyclosporine gave the best results.", [11], S, None),
    # the arm named inside the comparison ("lived longer on azacitidine than …") is its subject, not the transplant
    ("comparison", "azacitidine_higher_risk", "For higher-risk MDS when a transplant is not possible, people in a "
     "large randomized trial lived longer on azacitidine than on conventional care.", [9], S, None),
    ("trend", "checkpoint_inhibitors", "Checkpoint inhibitors are widely used in several solid cancers.", [4], S,
     None),
    ("trend", "azacitidine_higher_risk", "Blood counts often fall further on azacitidine before they improve, mostly "
     "in the first 1 to 2 cycles.", [3], S, None),
    ("trend", "ist_hypocellular", "In MDS and aplastic anemia, IST usually means antithymocyte globulin (ATG), "
     "sometimes with cyclosporine.", [1, 2], S, None),
    ("time_frame", "lenalidomide_del5q", "In MDS-003, responses to lenalidomide lasted a median of about 2 years.",
     [4], S, None),
    ("time_frame", "compare_luspatercept_esa", "If blood counts have not improved after 3 to 4 months, the ESA is "
     "usually stopped.", [7], S, None),
    ("time_frame", "small", "In the small study, blood counts went up quickly once azacitidine was started.", [2], S,
     None),
    ("still", "ist_hypocellular", "Some people with lower-risk MDS without a hypocellular marrow may still respond to "
     "ATG with cyclosporine.", [13], S, None),
    ("still", "esa_epo", "ESAs rarely work when the serum erythropoietin is above 500 mU/mL, so guidelines advise "
     "other treatments.", [12], S, None),
    ("still", "lenalidomide_del5q", "Without a 5q deletion, guidelines still list lenalidomide as something to "
     "consider when the EPO level is high or an ESA has failed.", [9], S, None),
    ("pronoun", "imetelstat", "It is given as an infusion every 4 weeks, and low platelet and neutrophil counts are "
     "common.", [4], S, "For lower-risk MDS without a 5q deletion, imetelstat is an approved option when an ESA is "
     "not suitable."),
    ("pronoun", "luspatercept", "It freed more patients from transfusions: about 60% versus 35% for at least 12 "
     "weeks.", [3], S, "Luspatercept was compared with epoetin alfa in people who had never had an ESA."),
    ("pronoun", "patient_lower_risk", "They are recommended for higher-risk MDS in transplant candidates.", [11], S,
     "For higher-risk MDS, azacitidine and decitabine are both hypomethylating agents."),
    ("pronoun", "luspatercept", "They did better on luspatercept than on epoetin alfa, with a clear rise in "
     "haemoglobin.", [3], S, "People with lower-risk MDS in COMMANDS had never had an ESA."),
    ("pronoun_window", "luspatercept", "It freed more patients from transfusions: about 60% versus 35% for at least 12 "
     "weeks.", [3], S, ("Luspatercept was compared with epoetin alfa in COMMANDS.", "The trial was randomized.")),
    ("pronoun_window", "transplant", "It carries real risks.", [7], S,
     ("A donor stem cell transplant is the only treatment that can cure MDS.", "The decision is a big one.")),
    ("pronoun_window", "checkpoint_inhibitors", "They should only be used within a clinical trial.", [8], S,
     ("Checkpoint inhibitors are not an established treatment for MDS.", "A randomized trial found no gain.")),
    ("pronoun_number", "checkpoint_inhibitors", "They should only be used within a clinical trial.", [8], S,
     ("Immune checkpoint inhibitors are not an established treatment for MDS.", "In a randomized trial, adding one "
      "to azacitidine did not improve results and caused more side effects.")),
    ("pronoun_number", "ist_hypocellular", "They can restore blood counts in lower-risk MDS with a hypocellular "
     "marrow.", [10], S, "Horse ATG and cyclosporine are given together."),
    ("pronoun_number", "esa_epo", "They can raise blood pressure.", [5], S,
     "ESAs are injected man-made versions of erythropoietin."),
    ("imperative", "ist_hypocellular", "With hypocellular lower-risk MDS needing treatment, immunosuppressive therapy "
     "is recommended.", [9], S, None),
    ("imperative", "transplant", "For people fit enough, willing and with a donor, planning for a transplant should "
     "start around diagnosis.", [5], S, None),
    ("imperative", "azacitidine_higher_risk", "While a transplant is being arranged, azacitidine or decitabine can "
     "be given to keep the disease under control.", [12], S, None),
    ("not_covered", "luspatercept", "Our sources do not describe luspatercept beyond the two trials above.", [], NC,
     None),
    ("not_covered", "transplant", "Beyond what is listed above, our sources do not describe the side effects of "
     "transplant.", [], NC, None),
    ("not_covered", "esa_epo", "Our sources say nothing about ESAs other than the ones named here.", [], NC, None),
    ("population_moved", "esa_epo", "The boxed warning's risks were seen mainly in kidney disease when hemoglobin was "
     "pushed above 11 g/dL.", [6], S, None),
    ("population_moved", "ist_hypocellular", "According to its label, based on 476 people treated for a kidney "
     "transplant or aplastic anemia, horse ATG often causes fever.", [5], S, None),
    ("population_moved", "checkpoint_inhibitors", "Checkpoint inhibitors are widely used for several solid cancers "
     "but are not an established treatment for MDS.", [4, 6], S, None),
    ("share", "ist_hypocellular", "Chills affected roughly a quarter of the people in the horse ATG label.", [5], S,
     None),
    ("share", "azacitidine_higher_risk", "Fever affected about three in ten people in the label's trial table.", [7],
     S, None),
    ("share", "lenalidomide_del5q", "About two in three of the 148 people stopped needing red-cell transfusions for "
     "at least 8 weeks on lenalidomide.", [4], S, None),
    ("routine", "transplant", "For fit people with lower-risk MDS after HMA failure, an allogeneic stem cell "
     "transplant may be considered.", [6], S, None),
    ("routine", "ist_hypocellular", "Immunosuppressive therapy is used for selected people with lower-risk MDS.",
     [15], S, None),
    ("routine", "esa_epo", "In MDS, ESAs are used to raise hemoglobin and cut the need for transfusions.", [4], S,
     None),
    ("name_first", "luspatercept", "COMMANDS compared luspatercept with epoetin alfa in people with lower-risk MDS "
     "who needed transfusions and had never had an ESA.", [3], S, None),
    ("name_first", "checkpoint_inhibitors", "Pembrolizumab, an antibody given by drip, blocks PD-1 so T cells can "
     "attack cancer cells.", [2], S, None),
    ("name_first", "ist_hypocellular", "Serum sickness, a delayed reaction with rash, joint pain and fever, occurred "
     "in mild form in all 25 people in an early MDS trial.", [7], S, None),
    ("stop_continue", "compare_luspatercept_esa", "The ESA is usually stopped if blood counts have not improved "
     "after 3 to 4 months.", [7], S, None),
    ("stop_continue", "azacitidine_higher_risk", "Azacitidine is kept going while it works, once several monthly "
     "cycles have shown its effect.", [10], S, None),
    ("stop_continue", "imetelstat", "Once an ESA has stopped working in lower-risk MDS without a 5q deletion needing 4 "
     "or more units every 8 weeks, imetelstat freed more patients from transfusions than placebo.", [4], S, None),
    ("counting", "esa_epo", "Our sources name two ESAs: epoetin alfa and darbepoetin alfa.", [9], S, None),
    ("counting", "checkpoint_inhibitors", "PD-1 is one example of the brakes that these antibody drugs release so "
     "that T cells can attack cancer cells.", [3], S, None),
    ("counting", "ist_hypocellular", "Immunosuppressive therapy uses two medicines, cyclosporine and horse "
     "antithymocyte globulin.", [8], S, None),
    ("clear", "compare_luspatercept_esa", "Luspatercept beat epoetin alfa in ESA-naive people with lower-risk MDS who "
     "needed transfusions, and haemoglobin rose clearly.", [8], S, None),
    ("clear", "luspatercept", "In COMMANDS, about 60% versus 35% became transfusion-free for at least 12 weeks, and "
     "haemoglobin clearly went up.", [3], S, None),
    ("clear", "luspatercept", "Luspatercept beat epoetin alfa in people with lower-risk MDS who needed transfusions "
     "and had never had an ESA, and haemoglobin clearly rose.", [2], S, None),
    ("nc_dose", "luspatercept", "The dose of luspatercept is not given in our sources.", [], NC, None),
    ("nc_dose", "azacitidine_higher_risk", "Our sources do not describe the dosing of azacitidine.", [], NC, None),
    ("nc_dose", "lenalidomide_del5q", "Our sources do not say what dose of lenalidomide is used.", [], NC, None),
    ("question_finding", "imetelstat", "Was a 5q deletion found in my chromosome test?", [11], Q, None),
    ("question_finding", "luspatercept", "Did my marrow test find ring sideroblasts?", [16], Q, None),
    ("question_finding", "lenalidomide_del5q", "Does my karyotype show an abnormality of chromosome 7?", [12], Q, None),
    ("hypocellular", "ist_hypocellular", "Immunosuppressive therapy is recommended for lower-risk MDS needing "
     "treatment when the marrow has too few cells.", [9], S, None),
    ("hypocellular", "ist_hypocellular", "For lower-risk MDS with a sparsely filled bone marrow, horse ATG with "
     "cyclosporine can restore blood counts.", [10], S, None),
    ("hypocellular", "ist_hypocellular", "In lower-risk MDS with an emptier than normal marrow, horse ATG with "
     "cyclosporine can restore blood counts.", [10], S, None),
]


@pytest.mark.parametrize("family, rule, fact_set, text, facts, kind, before", REJECT,
                         ids=[f"{r[0]}-{i}" for i, r in enumerate(REJECT)])
def test_claim_family_must_reject(family, rule, fact_set, text, facts, kind, before):
    result = verdict(fact_set, text, facts, kind, before)
    assert not result.ok, f"slipped: {text!r}"
    assert rule in result.rules, result.problems
    assert all(p.split(":")[0] in RULES for p in result.problems)


@pytest.mark.parametrize("family, fact_set, text, facts, kind, before", ACCEPT,
                         ids=[f"{a[0]}-{i}" for i, a in enumerate(ACCEPT)])
def test_claim_family_must_accept(family, fact_set, text, facts, kind, before):
    result = verdict(fact_set, text, facts, kind, before)
    assert result.ok, result.problems


def test_every_family_has_enough_cases_both_ways():
    assert_enough_cases_both_ways(REJECT, ACCEPT)


def test_the_pronoun_sentences_are_rejected_for_their_referent_only():
    # Without the sentence before, the rejected pronoun sentences speak of what their facts speak of.
    for family, _rule, fact_set, text, facts, kind, _before in REJECT:
        if family.startswith("pronoun"):
            assert verdict(fact_set, text, facts, kind).ok, text


def test_a_claim_word_problem_names_its_family():
    result = verdict("checkpoint_inhibitors", "Checkpoint inhibitors are more and more often used for several solid "
                     "cancers.", [4])
    assert any("trend" in p for p in result.problems), result.problems


# The lexicon itself: data, one entry per family, each word found and licensed within its family only.
def test_the_lexicon_has_the_seven_families():
    assert {"absolute", "proof", "evaluative", "safety", "comparison", "trend", "time"} <= set(FAMILIES)
    for family in FAMILIES.values():
        assert family.rule in RULES
        assert family.claims and family.licences


@pytest.mark.parametrize("text, family", [
    ("It can never help.", "absolute"),
    ("A trial proved it.", "proof"),
    ("It is the first choice.", "evaluative"),
    ("It is a low-risk procedure.", "safety"),
    ("It worked just as well as the other drug.", "comparison"),
    ("It is increasingly used.", "trend"),
    ("It works within weeks.", "time"),
])
def test_claim_words_are_found_by_family(text, family):
    assert family in {c.family for c in claim_words(text)}


def test_a_claim_word_is_licensed_by_its_own_family_only():
    [claim] = [c for c in claim_words("It is increasingly used.") if c.family == "trend"]
    assert not licensed(claim, "They are widely used for several solid cancers.")
    assert licensed(claim, "Its use is growing.")
    [equal] = [c for c in claim_words("It worked just as well as the other drug.") if c.family == "comparison"]
    assert not licensed(equal, "The combination worked best.")
    assert licensed(equal, "Both drugs gave similar results.")


# Session 9 (issue 17): referring phrases, not-covered claims, presupposing questions, denied conditions,
# effects that are only judged, shares given to the wrong item or finding, and results given to a treatment its
# fact names only as background. Each rule: sentences it must reject and faithful ones of the same shape it keeps.
# (rule, fact set, sentence, cited facts, kind, sentence(s) before)
SESSION9_REJECT = [
    # A pronoun subject before the sentence's first treatment name stands for the sentence before's treatment.
    ("concept", "checkpoint_inhibitors", "In one randomized study it was added to azacitidine and results did not "
     "improve.", [7], S, "Pembrolizumab blocks PD-1 so that T cells can attack cancer cells."),
    # "The comparator" anywhere in the sentence: the arm after "compared with" in the main clause.
    ("concept", "luspatercept", "Nausea and weakness were more common with the comparator.", [6], S,
     "Among people who had never had an ESA, luspatercept was tested against epoetin alfa."),
    # "That earlier medicine", "the previous drug": not the treatment the sentence before is about.
    ("concept", "imetelstat", "The previous drug is given as an infusion every 4 weeks.", [4], S,
     "Imetelstat is for lower-risk MDS after an ESA has stopped working."),
    # "In that group": the group of the sentence before (here: people without a 5q deletion).
    ("population", "lenalidomide_del5q", "In that group, lenalidomide freed about two in three from red-cell "
     "transfusions for at least 8 weeks.", [4], S, "For people without a 5q deletion, lenalidomide may be considered "
     "after an ESA has failed."),
    # "These" after "other treatments": the other treatments, which its facts do not speak of.
    ("concept", "esa_epo", "These are a standard first treatment for anaemia in lower-risk MDS.", [11], S,
     "When the EPO level is high, guidelines prefer alternative treatments to an ESA."),
    # "It" after a sentence whose subject is no treatment (a hormone): the hormone.
    ("concept", "esa_epo", "It may raise blood pressure.", [5], S,
     "Erythropoietin is made by the kidneys and tells the marrow to make red cells."),
    # "They" for people, where the fact's "They" is the treatment.
    ("concept", "checkpoint_inhibitors", "They should only be treated as part of a clinical trial.", [8], S,
     "People given a checkpoint inhibitor with azacitidine did no better than those on azacitidine alone."),
    # A "not covered" sentence that adds a claim word, or a claim after "which means".
    ("kind", "patient_lower_risk", "Our sources do not describe the side effects of these options, and every one of "
     "them is gentle.", [], NC, None),
    ("kind", "esa_epo", "Our sources do not discuss the warning in MDS, which means it does not concern people with "
     "MDS.", [], NC, None),
    ("kind", "patient_lower_risk", "Our sources do not include your blood counts, so this answer shows that "
     "azacitidine suits you.", [], NC, None),
    ("kind", "patient_lower_risk", "Our sources do not name other treatments, but azacitidine should be avoided.",
     [], NC, None),
    # A question that takes for granted that a treatment will be given, or that it offers a chance of an outcome.
    ("strength", "transplant", "Given my lower-risk MDS, when will my transplant be booked?", [6], Q, None),
    ("strength", "checkpoint_inhibitors", "Which immunotherapy study would give me the best odds of a remission?",
     [8], Q, None),
    # A condition its facts state said not to count.
    ("negation", "transplant", "For higher-risk MDS, a transplant needs a donor, but being fit is not a "
     "requirement.", [8], S, None),
    ("negation", "transplant", "For higher-risk MDS, a donor is needed, and being willing does not matter.", [8], S,
     None),
    # An effect said plainly where its facts only say it is judged after several cycles.
    ("certainty", "azacitidine_higher_risk", "Azacitidine is given for at least 6 monthly cycles, and then the blood "
     "counts recover.", [10], S, None),
    # A threshold its facts pair with another, given alone (in a statement or a question's premise).
    ("population", "ist_hypocellular", "IST may be considered in lower-risk MDS for people aged 60 or under.", [12],
     S, None),
    ("population", "ist_hypocellular", "As being no older than 60 predicts a response, could IST suit me?", [12], Q,
     None),
    # A share given to another item of a list than the one its fact gives it to.
    ("number", "ist_hypocellular", "On its label, joint pain was reported in about a quarter of people given horse "
     "ATG.", [5], S, None),
    # Two shares set against each other taken from two different findings.
    ("number", "compare_luspatercept_esa", "Over a year or more, close to half on luspatercept stayed free of "
     "transfusions, versus about a third on epoetin alfa.", [8, 9], S, None),
    # Fewer false alarms, same safety: each loosening keeps its unsafe twin rejected.
    # "stops attacking" reads as a negation, so dropping it is caught.
    ("negation", "ist_hypocellular", "IST uses medicines that calm the immune system so that it attacks the "
     "blood-forming cells in the marrow.", [3], S, None),
    # A drug named with another joining word is the combination only where its facts name that combination.
    ("concept", "patient_lower_risk", "Decitabine is listed among the other options that depend on your risk group.",
     [1], S, None),
    # "one" after a determiner is a pronoun, not before a unit.
    ("number", "luspatercept", "Luspatercept freed 38% of people from red-cell transfusions for at least one year.",
     [5], S, None),
    # "one of two things" only where its facts say "one of:"; otherwise the number is checked.
    ("number", "transplant", "For higher-risk MDS a transplant needs one of three things: fitness, willingness or "
     "a donor.", [8], S, None),
    # "several" only for a list of three or more in its facts.
    ("wording", "luspatercept", "Luspatercept freed several people from red-cell transfusions for at least 8 weeks.",
     [5], S, None),
    # "ease" is a word of the "less" family: it needs a fact that says something lessens.
    ("wording", "ist_hypocellular", "Watching people during each infusion eases the allergic reactions.", [6], S,
     None),
    # "every one of" is "all of": a fact must say all.
    ("frequency", "azacitidine_higher_risk", "In the label's trial table, every one of the people on azacitidine had "
     "redness where the injection went in.", [7], S, None),
    # "no lower than" is a threshold upwards: against "<= 500" it is turned around.
    ("direction", "esa_epo", "ESAs are recommended for lower-risk MDS without del(5q) with anaemia when the serum "
     "EPO is no lower than 500 mU/mL and no ESA has failed.", [10], S, None),
    # "under" as a threshold still counts where it is one.
    ("direction", "imetelstat", "Imetelstat is recommended for lower-risk MDS without del(5q) needing under 4 RBC "
     "units per 8 weeks.", [3], S, None),
    # A fact's "In MDS they are used …" speaks of the treatment of the fact before: not of another one.
    ("concept", "esa_epo", "In MDS, luspatercept is used to raise hemoglobin and cut the need for transfusions.", [2],
     S, None),
    # People who need regular red-cell transfusions are a group: a fact that does not speak of them licenses none.
    ("population", "esa_epo", "ESAs can raise blood pressure in people who need regular red-cell transfusions.", [5],
     S, None),
    # A negation outside a qualifier is still added; one dropped is still dropped.
    ("negation", "azacitidine_higher_risk", "In a large randomized trial, azacitidine did not help people with "
     "higher-risk MDS live longer than conventional care.", [9], S, None),
    ("negation", "luspatercept", "For lower-risk MDS with anaemia that needs regular transfusions and an ESA so "
     "far, luspatercept is a first-treatment alternative to an ESA.", [12], S, None),
    # "can be used" is an option: licensed by a fact that says what it is used for, not by one that only says it worked.
    ("strength", "ist_hypocellular", "Horse ATG plus cyclosporine can be used as an option.", [11], S, None),
    # "rather than" / "instead of" deny what follows: a fact's own aim denied.
    ("negation", "esa_epo", "In MDS they are used to raise hemoglobin instead of cutting the need for "
     "transfusions.", [4], S, None),
    # "a maximum of" is a threshold downwards: against "at least 24 hours" it is turned around.
    ("direction", "ist_hypocellular", "People are watched during each infusion and for a maximum of 24 hours after it, "
     "as rare but serious allergic reactions can happen.", [6], S, None),
    # People "not needing transfusions" are the opposite group of people who need them.
    ("population", "luspatercept", "Luspatercept beat epoetin alfa in people with lower-risk MDS not needing "
     "transfusions who had never had an ESA.", [3], S, None),
    # A month name only for a date its facts write as numbers.
    ("concept", "luspatercept", "In March 2023 the FDA approved luspatercept as a first treatment without a prior "
     "ESA.", [8], S, None),
    # "only" stays a claim outside "can only be judged".
    ("wording", "azacitidine_higher_risk", "Azacitidine is only continued for 6 monthly cycles.", [10], S, None),
    # A result given to a treatment its fact names only as what failed before.
    ("concept", "lenalidomide_del5q", "Without a 5q deletion, an ESA helped about a quarter of people become "
     "transfusion-free in a phase 2 study.", [9], S, None),
]

SESSION9_ACCEPT = [
    ("concept", "checkpoint_inhibitors", "In one randomized study it was added to azacitidine and results did not "
     "improve.", [7], S, "Checkpoint inhibitors release a brake on the immune system."),
    ("concept", "luspatercept", "Nausea and weakness were more common with luspatercept than with the comparator.",
     [6], S, None),
    ("concept", "luspatercept", "About 35% on the comparator became transfusion-free for at least 12 weeks, against "
     "about 60% on luspatercept.", [3], S, "Among people who had never had an ESA, luspatercept was tested against "
     "epoetin alfa."),
    ("population", "lenalidomide_del5q", "In that group, lenalidomide freed about two in three from red-cell "
     "transfusions for at least 8 weeks.", [4], S, "For people with lower-risk MDS and a 5q deletion, lenalidomide "
     "is the treatment of choice."),
    ("concept", "esa_epo", "These are a standard first treatment for anaemia in lower-risk MDS.", [11], S,
     "Epoetin alfa and darbepoetin alfa are the two ESAs."),
    ("concept", "esa_epo", "It can raise blood pressure.", [5], S,
     "An ESA is an injected man-made version of erythropoietin."),
    ("concept", "checkpoint_inhibitors", "They should only be used as part of a clinical trial.", [8], S,
     "Checkpoint inhibitors are not an established treatment for MDS."),
    ("kind", "patient_lower_risk", "Our sources do not describe the side effects of these options, and they do not "
     "rank them.", [], NC, None),
    ("kind", "esa_epo", "Our sources do not say whether the warning applies to people with MDS.", [], NC, None),
    ("kind", "patient_lower_risk", "Our sources do not include your blood counts, so this answer cannot say which "
     "option fits you.", [], NC, None),
    ("kind", "patient_lower_risk", "Our sources do not name treatments that should be avoided in your situation.", [],
     NC, None),
    ("strength", "transplant", "With my lower-risk MDS, when would a transplant be worth discussing?", [6], Q, None),
    ("strength", "luspatercept", "Which of these treatments would give me the best chance of stopping transfusions?",
     [12], Q, None),
    ("negation", "transplant", "For higher-risk MDS, a transplant needs a donor and a person who is fit and "
     "willing.", [8], S, None),
    ("certainty", "azacitidine_higher_risk", "Azacitidine needs at least 6 monthly cycles before anyone can judge "
     "whether it works.", [10], S, None),
    ("number", "ist_hypocellular", "On its label, rash was reported in about a quarter of people given horse ATG.",
     [5], S, None),
    ("certainty", "azacitidine_higher_risk", "Azacitidine is kept going while it works, and its effect can be judged "
     "after at least 6 monthly cycles.", [10], S, None),
    ("population", "ist_hypocellular", "IST may be considered in lower-risk MDS for people aged 60 or under whose "
     "blasts are below 5%.", [12], S, None),
    ("number", "compare_luspatercept_esa", "Over a year or more, 44.5% on luspatercept stayed free of transfusions, "
     "versus 27.6% on epoetin alfa.", [8, 9], S, None),
    ("concept", "lenalidomide_del5q", "Without a 5q deletion, lenalidomide helped about a quarter of people become "
     "transfusion-free in a phase 2 study.", [9], S, None),
    ("negation", "ist_hypocellular", "IST uses medicines that calm the immune system so that it no longer attacks the "
     "blood-forming cells in the marrow.", [3], S, None),
    ("concept", "patient_lower_risk", "Decitabine with cedazuridine is among the other options, and which one fits "
     "depends on your risk group and test results.", [1], S, None),
    ("number", "patient_lower_risk", "There are other options, and the right one depends on your risk group and test "
     "results.", [1], S, None),
    ("number", "luspatercept", "Our sources describe two trials of luspatercept: one against epoetin alfa and one "
     "against placebo.", [3, 5], S, None),
    ("number", "transplant", "In lower-risk MDS a transplant also needs one of two things: hypomethylating agents "
     "have not worked, stopped working or not been tolerated, or poor-risk chromosome findings.", [9], S, None),
    ("wording", "patient_lower_risk", "There are several other options, and which one fits depends on your risk group "
     "and test results.", [1], S, None),
    ("wording", "ist_hypocellular", "Serum sickness occurred in mild form in all 25 people in an early MDS trial, and "
     "steroids are often given to ease it.", [7], S, None),
    ("negation", "azacitidine_higher_risk", "In a large randomized trial, azacitidine helped people with higher-risk "
     "MDS who could not have a transplant live longer than conventional care.", [9], S, None),
    ("negation", "luspatercept", "For lower-risk MDS with anaemia that needs regular transfusions and no ESA so far, "
     "luspatercept is a first-treatment alternative to an ESA.", [12], S, None),
    ("negation", "ist_hypocellular", "IST aims to stop the immune system attacking the blood-forming cells in the "
     "bone marrow.", [3], S, None),
    ("negation", "esa_epo", "In MDS they are used to raise hemoglobin and also to cut the need for transfusions.",
     [4], S, None),
    ("population", "compare_luspatercept_esa", "In the longer follow-up, 44.5% on luspatercept and 27.6% on epoetin "
     "alfa went a year or more without needing transfusions.", [8, 9], S, None),
    ("concept", "luspatercept", "On 28 August 2023 the FDA approved luspatercept as a first treatment without a "
     "prior ESA.", [8], S, None),
    ("wording", "azacitidine_higher_risk", "The effect of azacitidine can only be judged after several monthly "
     "cycles, usually at least 6.", [10], S, None),
    ("wording", "ist_hypocellular", "People are watched during each infusion and for a minimum of 24 hours after "
     "it, as rare but serious allergic reactions can happen.", [6], S, None),
    ("strength", "ist_hypocellular", "When an ESA has failed, horse ATG with cyclosporine can be used for anaemia in "
     "lower-risk MDS with a hypocellular marrow.", [10], S, None),
    ("direction", "esa_epo", "ESAs are recommended for lower-risk MDS without del(5q) with anaemia when the serum "
     "EPO is no higher than 500 mU/mL and no ESA has failed.", [10], S, None),
    ("direction", "imetelstat", "Low platelet and neutrophil counts are common with imetelstat, so blood counts are "
     "kept under watch.", [4], S, None),
    ("concept", "esa_epo", "In MDS, ESAs are used to raise hemoglobin and cut the need for transfusions.", [2], S,
     None),
    ("population", "luspatercept", "In 2023 the FDA approved luspatercept as a first treatment without a prior ESA for "
     "adults with very low- to intermediate-risk MDS who may need regular transfusions.", [8], S, None),
    ("frequency", "ist_hypocellular", "Every one of the 25 people in an early MDS trial had serum sickness in mild "
     "form.", [7], S, None),
    ("frequency", "azacitidine_higher_risk", "In the label's trial table, about 43 in every 100 people had redness "
     "where the injection went in.", [7], S, None),
]


@pytest.mark.parametrize("rule, fact_set, text, facts, kind, before", SESSION9_REJECT,
                         ids=[f"{r[0]}-{i}" for i, r in enumerate(SESSION9_REJECT)])
def test_session9_rules_reject(rule, fact_set, text, facts, kind, before):
    result = verdict(fact_set, text, facts, kind, before)
    assert not result.ok, f"slipped: {text!r}"
    assert rule in result.rules, result.problems


@pytest.mark.parametrize("rule, fact_set, text, facts, kind, before", SESSION9_ACCEPT,
                         ids=[f"{a[0]}-{i}" for i, a in enumerate(SESSION9_ACCEPT)])
def test_session9_rules_keep_faithful_sentences(rule, fact_set, text, facts, kind, before):
    result = verdict(fact_set, text, facts, kind, before)
    assert result.ok, result.problems


def test_session9_referring_sentences_pass_without_the_sentence_before():
    # The referring sentences are rejected for what they point at: on their own they say what their facts say.
    for _rule, fact_set, text, facts, kind, before in SESSION9_REJECT:
        if before and not re.search(r"\b(?:that group|comparator|previous drug|These|They should)\b", text):
            continue
        if before:
            assert verdict(fact_set, text, facts, kind).ok or "that group" in text, text


# Session 9b (helper P2): five general rules from the eleventh blind case file, each on sentences written here.
# Rows: (rule, fact set, sentence, cited facts, kind, the sentence before or None).
SESSION9B_REJECT = [
    # number: "close to" is "about" — a fraction rounded up past the margin is a larger share than the facts give.
    ("number", "luspatercept", "Close to two thirds of the people on luspatercept went without transfusions for at "
     "least 12 weeks.", [3], S, None),
    # number: "well over" needs a clear gap above the share it names.
    ("number", "ist_hypocellular", "Well over a quarter of the people on the label had chills.", [5], S, None),
    # certainty: a fact's "often" / "may" / "usually" on a verb, dropped.
    ("certainty", "lenalidomide_del5q", "Once lenalidomide begins, blood counts drop, which is why they are checked "
     "closely.", [7], S, None),
    ("certainty", "azacitidine_higher_risk", "Azacitidine lowers blood counts further in the first cycles.", [3], S,
     None),
    # negation: a negated clause with no negated clause of its facts about the same words.
    ("negation", "imetelstat", "Imetelstat is not approved for heavily transfused lower-risk MDS without a 5q "
     "deletion.", [5], S, None),
    ("negation", "esa_epo", "Epoetin alfa was well tolerated in an MDS trial, so its boxed warning does not "
     "apply.", [8, 6], S, None),
    ("negation", "lenalidomide_del5q", "The FDA approval of lenalidomide did not include people with IPSS "
     "intermediate-1 risk.", [5], S, None),
    # frequency: "all" / "every one of" a counted group, where the facts' "all" is of another group.
    ("frequency", "ist_hypocellular", "Serum sickness in mild form affected all 476 people on the label.", [5, 7], S,
     None),
    ("frequency", "ist_hypocellular", "Among the 476 people in the label's data, each one of them ran a fever.",
     [5, 7], S, None),
    # concept: a pronoun object ("with it") or a referring phrase ("this drug") that is not the cited fact's treatment.
    ("concept", "luspatercept", "Nausea and weakness were reported more often in people on it.", [6], S,
     "In COMMANDS the other arm received epoetin alfa."),
    ("concept", "azacitidine_higher_risk", "In higher-risk MDS, for someone who is not a transplant candidate and has "
     "not had an HMA fail, it is the preferred choice.", [8], S, "Decitabine is also a hypomethylating agent."),
    ("concept", "compare_luspatercept_esa", "For this drug, the amount is set by body weight.", [4], S,
     "ESAs are injected under the skin."),
]

SESSION9B_ACCEPT = [
    ("number", "luspatercept", "About three in five of the people on luspatercept went without transfusions for at "
     "least 12 weeks.", [3], S, None),
    ("number", "luspatercept", "Close to a third of the people on epoetin alfa went without transfusions for at "
     "least 12 weeks.", [3], S, None),
    ("certainty", "lenalidomide_del5q", "Blood counts often drop at the start of lenalidomide, which is why they "
     "are checked closely.", [7], S, None),
    ("certainty", "azacitidine_higher_risk", "Azacitidine often lowers blood counts further in the first cycles.", [3],
     S, None),
    ("negation", "imetelstat", "Imetelstat is an approved option for heavily transfused lower-risk MDS without a 5q "
     "deletion when an ESA is not suitable.", [5], S, None),
    ("negation", "lenalidomide_del5q", "The FDA approval of lenalidomide covered IPSS low or intermediate-1 risk MDS "
     "with a 5q deletion, whether or not there were further chromosome changes.", [5], S, None),
    ("frequency", "ist_hypocellular", "All 25 people in an early MDS trial had serum sickness in a mild form.", [7], S,
     None),
    ("concept", "luspatercept", "Nausea and weakness were reported more often in people on it.", [6], S,
     "Luspatercept was tested in the MEDALIST trial."),
    ("concept", "compare_luspatercept_esa", "For this drug, the amount is set by body weight.", [4], S,
     "Luspatercept is injected under the skin."),
]


@pytest.mark.parametrize("rule, fact_set, text, facts, kind, before", SESSION9B_REJECT,
                         ids=[f"{r[0]}-{i}" for i, r in enumerate(SESSION9B_REJECT)])
def test_session9b_rules_reject(rule, fact_set, text, facts, kind, before):
    result = verdict(fact_set, text, facts, kind, before)
    assert not result.ok, f"slipped: {text!r}"
    assert rule in result.rules, result.problems


@pytest.mark.parametrize("rule, fact_set, text, facts, kind, before", SESSION9B_ACCEPT,
                         ids=[f"{a[0]}-{i}" for i, a in enumerate(SESSION9B_ACCEPT)])
def test_session9b_rules_keep_faithful_sentences(rule, fact_set, text, facts, kind, before):
    result = verdict(fact_set, text, facts, kind, before)
    assert result.ok, result.problems


def test_session9b_every_rule_has_cases_both_ways():
    assert {r[0] for r in SESSION9B_REJECT} == {a[0] for a in SESSION9B_ACCEPT}


# Session 10 (helper F): false alarms of the blind files made general rules, each on sentences written here.
# Rows: (change, rule a rejection is reported under, fact set, sentence, cited facts, kind, the sentence before).
# Every change has a faithful sentence it must now keep and an unsafe sentence of a similar shape it must still
# reject.
SESSION10_REJECT = [
    # "mostly" / "mainly" / "largely": an adverb of emphasis, licensed by another of its kind, not by nothing;
    # and a fact's "mainly" licenses no "most people".
    ("mostly", "frequency", "esa_epo", "ESAs mostly raise blood pressure.", [5], S, None),
    ("mostly", "frequency", "esa_epo", "Most people on ESAs had blood clots, seen mainly in kidney disease.", [6], S,
     None),
    # synonyms tied to a fact's word (wording.yaml): the synonym needs the fact's word
    ("synonyms", "wording", "ist_hypocellular", "Even immunosuppressive therapy may be considered for lower-risk MDS "
     "with other features of likely response.", [12], S, None),
    ("synonyms", "wording", "azacitidine_higher_risk", "While a transplant is being arranged, azacitidine must be "
     "given to keep the disease under control.", [12], S, None),
    ("synonyms", "wording", "imetelstat", "Imetelstat is a good fit for lower-risk MDS without del(5q) needing 4 or "
     "more RBC units per 8 weeks.", [3], S, None),
    ("synonyms", "wording", "compare_luspatercept_esa", "ESAs are given under the skin on a fixed schedule.", [6], S,
     None),
    ("synonyms", "wording", "ist_hypocellular", "According to the trial, serum sickness was mild in all 25 people.",
     [7], S, None),
    ("synonyms", "wording", "esa_epo", "ESAs keep transfusions away.", [5], S, None),
    ("synonyms", "wording", "azacitidine_higher_risk", "Early on, azacitidine often works.", [10], S, None),
    ("synonyms", "wording", "patient_lower_risk", "When a transplant is off the table, lenalidomide is preferred for "
     "lower-risk MDS with del(5q) alone or with one other abnormality.", [4], S, None),
    ("synonyms", "wording", "ist_hypocellular", "These features are in places conflicting.", [12], S, None),
    ("synonyms", "wording", "ist_hypocellular", "Steroids soften the fever horse ATG causes.", [5], S, None),
    # idioms read as their plain words: the plain word still has to be the facts'
    ("idioms", "cure", "azacitidine_higher_risk", "Azacitidine has the power to cure higher-risk MDS.", [9], S, None),
    ("idioms", "wording", "esa_epo", "ESAs can open the door to strokes.", [5], S, None),
    ("idioms", "wording", "checkpoint_inhibitors", "Checkpoint inhibitors free T cells to clear MDS.", [6], S, None),
    ("idioms", "wording", "transplant", "For higher-risk MDS, a transplant needs fitness, youth and a donor.", [8], S,
     None),
    ("idioms", "number", "lenalidomide_del5q", "Lenalidomide is preferred in lower-risk MDS with del(5q) and just two "
     "other abnormalities.", [6], S, None),
    ("idioms", "number", "lenalidomide_del5q", "About three out of every four of the 148 people stopped needing "
     "red-cell transfusions for at least 8 weeks on lenalidomide.", [4], S, None),
    ("idioms", "directive", "transplant", "If you are fit and have a donor, go ahead and plan the transplant around "
     "diagnosis.", [5], S, None),
    # the "alone" of a drug whose facts give it alone and in a combination
    ("alone", "wording", "patient_lower_risk", "Decitabine alone is recommended for higher-risk MDS when someone is "
     "not a transplant candidate and no HMA has failed.", [8], S, None),
    # support counted in other words (a family word, another spelling)
    ("support", "support", "esa_epo", "Their labels warn about strokes and tumour growth.", [2], S, None),
    # "one" as one item of a listed set, or one study its facts report
    ("one", "number", "esa_epo", "One person had raised blood pressure; the others did not.", [5], S, None),
    ("one", "number", "esa_epo", "In one study, ESAs rarely worked with a serum erythropoietin above 500 mU/mL.",
     [12], S, None),
    # a condition of a result ("after an ESA did not work", "when decitabine is tried") is not the result
    ("conditions", "strength", "esa_epo", "With a serum erythropoietin above 500 mU/mL, ESAs are an approved option.",
     [12], S, None),
    ("conditions", "strength", "azacitidine_higher_risk", "Decitabine can be tried after azacitidine has failed.", [13],
     S, None),
    ("conditions", "population", "transplant", "An allogeneic transplant may be considered for fit people with "
     "lower-risk MDS.", [6], S, None),
    # a negation over a list of adjectives ("not a proven, established treatment")
    ("negated list", "strength", "checkpoint_inhibitors", "For MDS, checkpoint inhibitors are a proven, established "
     "treatment.", [6], S, None),
    # arms swapped: the comparison arm given the treatment's share; shares "reached by" each arm
    ("arm shares", "direction", "azacitidine_higher_risk", "Fever affected 17.6% of people on azacitidine against "
     "30.3% in the comparison group.", [7], S, None),
    ("arm shares", "direction", "compare_luspatercept_esa", "Freedom from transfusions for 12 weeks or more was "
     "reached by 35% on luspatercept and by 60% on epoetin alfa, in lower-risk MDS needing transfusions with no ESA "
     "before.", [8], S, None),
    # a denial for MDS its facts do not make
    ("MDS denial", "negation", "esa_epo", "These risks were seen in kidney disease and do not concern people with "
     "MDS.", [6], S, None),
    # a share said of a finding (its span: "a year or more") that its facts give for another finding
    ("share finding", "number", "compare_luspatercept_esa", "On longer follow-up, more than half of the people on "
     "luspatercept had a year or more free of transfusions.", [8, 9], S, None),
    # "rather than for everyone" read as no claim only after the sentence's own limit ("selected", "some")
    ("limit restated", "population", "ist_hypocellular", "Immunosuppressive therapy is given to people with lower-risk "
     "MDS rather than to everyone.", [15], S, None),
    ("limit restated", "population", "ist_hypocellular", "Immunosuppressive therapy is given to everyone with "
     "lower-risk MDS rather than to selected people.", [15], S, None),
]

SESSION10_ACCEPT = [
    ("mostly", "frequency", "esa_epo", "The boxed warning's clots, heart attacks and strokes were seen chiefly in "
     "kidney disease.", [6], S, None),
    ("mostly", "frequency", "esa_epo", "Those risks showed up largely in kidney disease, when hemoglobin was pushed "
     "above 11 g/dL.", [6], S, None),
    ("synonyms", "wording", "ist_hypocellular", "Even without a hypocellular marrow, younger patients with few blasts "
     "may still respond to ATG with cyclosporine.", [13], S, None),
    ("synonyms", "wording", "esa_epo", "The risks were seen mainly in kidney disease when hemoglobin was driven above "
     "11 g/dL.", [6], S, None),
    ("synonyms", "wording", "imetelstat", "When an ESA is not a good fit, for example with a serum erythropoietin "
     "above 500 mU/mL, imetelstat is an approved choice for heavily transfused lower-risk MDS without a 5q deletion.",
     [5], S, None),
    ("synonyms", "wording", "compare_luspatercept_esa", "In MDS studies the schedules were weekly for epoetin and "
     "weekly or every 2 to 3 weeks for darbepoetin.", [7], S, None),
    ("synonyms", "wording", "ist_hypocellular", "According to its label, horse ATG often causes fever (39.5%) and "
     "chills (26.5%).", [5], S, None),
    ("synonyms", "wording", "esa_epo", "So the lowest dose that keeps transfusions away is used.", [7], S, None),
    ("synonyms", "wording", "azacitidine_higher_risk", "Early on, blood counts often fall further on azacitidine "
     "before they improve, most of all in the first 1 to 2 cycles.", [3], S, None),
    ("synonyms", "wording", "patient_lower_risk", "When a transplant is not on the table in higher-risk MDS and no HMA "
     "has failed, azacitidine is preferred.", [3], S, None),
    ("synonyms", "wording", "ist_hypocellular", "The evidence for these features is weak and in places conflicting.",
     [14], S, None),
    ("synonyms", "wording", "ist_hypocellular", "Steroids are often given to soften serum sickness, which was mild in "
     "all 25 people of an early MDS trial.", [7], S, None),
    ("synonyms", "wording", "compare_luspatercept_esa", "Transfusion freedom for at least 12 weeks was reached by "
     "about 60% on luspatercept versus 35% on epoetin alfa in people with lower-risk MDS who needed transfusions and "
     "had never had an ESA.", [8], S, None),
    ("idioms", "cure", "transplant", "In higher-risk MDS, a donor stem cell transplant is the only treatment with the "
     "power to cure the disease.", [4], S, None),
    ("idioms", "wording", "azacitidine_higher_risk", "Low counts can open the door to infections and bleeding, so "
     "counts are checked often.", [5], S, None),
    ("idioms", "wording", "checkpoint_inhibitors", "Checkpoint inhibitors are antibodies that release a brake on the "
     "immune system, freeing T cells to attack cancer cells.", [3], S, None),
    ("idioms", "wording", "transplant", "For higher-risk MDS, a transplant needs fitness, willingness and a donor.",
     [8], S, None),
    ("idioms", "number", "lenalidomide_del5q", "Lenalidomide is preferred in lower-risk MDS with del(5q) on its own "
     "or with just one other abnormality, when anaemia needs treatment.", [6], S, None),
    ("idioms", "number", "lenalidomide_del5q", "About two out of every three of the 148 people stopped needing "
     "red-cell transfusions for at least 8 weeks on lenalidomide.", [4], S, None),
    ("idioms", "directive", "transplant", "For higher-risk MDS, a transplant needs someone fit for it, willing to go "
     "ahead and with a donor.", [8], S, None),
    ("idioms", "wording", "azacitidine_higher_risk", "While a transplant is being arranged, azacitidine or decitabine "
     "can be given to hold the disease back and lower the blast count.", [12], S, None),
    ("alone", "wording", "patient_lower_risk", "Decitabine alone, or decitabine with cedazuridine, is recommended for "
     "higher-risk MDS when someone is not a transplant candidate and no HMA has failed.", [7, 8], S, None),
    ("support", "support", "esa_epo", "In MDS their purpose is to lift haemoglobin and lessen transfusion needs.", [2],
     S, None),
    ("one", "number", "imetelstat", "One requirement is lower-risk MDS; the others are 4 or more red-cell units every "
     "8 weeks, no deletion 5q and an ESA that has not worked.", [6], S, None),
    ("one", "number", "compare_luspatercept_esa", "In one direct comparison, COMMANDS, luspatercept beat epoetin alfa "
     "in people with lower-risk MDS who needed transfusions and had never had an ESA.", [1], S, None),
    ("conditions", "strength", "imetelstat", "After an ESA had not worked, imetelstat freed more patients from "
     "transfusions than placebo in lower-risk MDS without a 5q deletion needing 4 or more red-cell units every 8 "
     "weeks, and it is an approved option.", [4, 5], S, None),
    ("conditions", "strength", "azacitidine_higher_risk", "Responses are uncommon and short when decitabine is tried "
     "after azacitidine has failed.", [13], S, None),
    ("conditions", "population", "transplant", "In lower-risk MDS a transplant needs fitness, willingness and a donor, "
     "and either hypomethylating agents that have stopped working or poor-risk chromosome findings.", [9], S, None),
    ("negated list", "strength", "checkpoint_inhibitors", "For MDS, checkpoint inhibitors are not an established, "
     "proven treatment.", [6], S, None),
    ("arm shares", "direction", "azacitidine_higher_risk", "Fever affected 30.3% of people on azacitidine against "
     "17.6% in the comparison group.", [7], S, None),
    ("arm shares", "direction", "compare_luspatercept_esa", "A year or more without transfusions was reached by 44.5% "
     "on luspatercept and by 27.6% on epoetin alfa.", [8, 9], S, None),
    ("MDS denial", "negation", "esa_epo", "These risks were seen mainly in kidney disease, when hemoglobin was pushed "
     "above 11 g/dL.", [6], S, None),
    ("share finding", "number", "compare_luspatercept_esa", "On longer follow-up, nearly half of the people on "
     "luspatercept had a year or more free of transfusions, against 27.6% on epoetin alfa.", [8, 9], S, None),
    ("limit restated", "population", "ist_hypocellular", "Immunosuppressive therapy is given to selected people "
     "with lower-risk MDS, not to everyone.", [15], S, None),
    ("share finding", "number", "compare_luspatercept_esa", "About 60% on luspatercept versus 35% on epoetin alfa "
     "became transfusion-free for at least 12 weeks, and periods of a year or more followed in 44.5% versus 27.6%.",
     [8, 9], S, None),
]


@pytest.mark.parametrize("change, rule, fact_set, text, facts, kind, before", SESSION10_REJECT,
                         ids=[f"{r[0]}-{i}" for i, r in enumerate(SESSION10_REJECT)])
def test_session10_rules_reject(change, rule, fact_set, text, facts, kind, before):
    result = verdict(fact_set, text, facts, kind, before)
    assert not result.ok, f"slipped: {text!r}"
    assert rule in result.rules, result.problems


@pytest.mark.parametrize("change, rule, fact_set, text, facts, kind, before", SESSION10_ACCEPT,
                         ids=[f"{a[0]}-{i}" for i, a in enumerate(SESSION10_ACCEPT)])
def test_session10_rules_keep_faithful_sentences(change, rule, fact_set, text, facts, kind, before):
    result = verdict(fact_set, text, facts, kind, before)
    assert result.ok, result.problems


def test_session10_every_change_has_cases_both_ways():
    assert {r[0] for r in SESSION10_REJECT} == {a[0] for a in SESSION10_ACCEPT}

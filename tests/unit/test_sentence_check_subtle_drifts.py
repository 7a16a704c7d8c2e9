# ruff: noqa: E501  (tables of sentences read better unwrapped)
"""Subtle drifts: the sentence check's rules from the fourteenth blind case file (issue 17, session 11, helper P2).

Each family is one idea, caught in whatever words it comes:
- question     a question for the doctor that takes an outcome for granted in other words ("will my counts return to
               normal", "to bring my counts back", "how long will <drug> keep me off transfusions", "will my response
               … last longer than …"); asking whether it will happen is neutral;
- denominator  a share given of the people "whose haemoglobin rose" / "whose counts recovered" where its facts give it of
               everyone treated;
- pairing      two figures joined by "against" / "versus" that its fact gives to different comparisons;
- difference   one group's share said as the gap between groups ("13% more … than placebo");
- hedge        "do not work" where its facts say "rarely work"; "likely to work" where they say "unlikely to work";
- alone        a treatment said to be given "on its own" where its facts give it only with another or as a class;
- cells        "the MDS cells" where its facts speak of cancer cells in general;
- advice       advice in an impersonal voice ("it is best to begin …", "it would be wise to ask …");
- pronoun      "With it, …" after a sentence whose main clause is about placebo; a singular "It" after a sentence naming only a class in
               the plural, where the cited facts are about another treatment;
- condition    a recommendation said of a named group that leaves out a transplant or HMA-failure condition its facts
               set ("when a transplant is not possible", "not a transplant candidate").

Every sentence here was written for this file (none is taken from the case files); each family has sentences it must
reject and faithful sentences of a similar shape it must keep. They are checked against only the facts they cite, from
the captured fact sets of tests/data/writer_adversarial/facts/ (numbered as the writer's prompt numbers them) or small
facts made up here. They test the checker's rules, not clinical truth."""

from __future__ import annotations

import pytest

from mdskg.records import Fact
from service.answer import grounding_vocabulary
from tests.unit.case_tables import assert_enough_cases_both_ways, sentence_verdicts

VOCAB = grounding_vocabulary()

# Small facts made up for the tests (invented figures, not clinical data).
SMALL = (
    Fact("P1", "What the studies found", "In a made-up trial of azacitidine, 40.2% had a rash, and headache affected 22.1% against 9.4% "
         "in the comparison group.", ("S",), ()),
    Fact("P2", "What the studies found", "In a made-up trial of lenalidomide, 51% on the higher dose and 37% on the lower dose became "
         "transfusion-free, compared with 8% on placebo.", ("S",), ()),
    Fact("P3", "What the studies found", "In a made-up study, luspatercept freed 20% more people from transfusions than placebo did.", ("S",), ()),
    Fact("P4", "What the studies found", "In a made-up study, 30% on luspatercept and 10% on placebo were freed from transfusions.", ("S",), ()),
    Fact("P5", "Who it is for", "With a very high erythropoietin level, ESAs seldom help.", ("S",), ()),
    Fact("P6", "What it is", "Lenalidomide on its own was compared with lenalidomide plus an ESA in a made-up trial.", ("S",), ()),
)

S, Q, NC = "statement", "doctor_question", "not_covered"


verdict = sentence_verdicts(SMALL, VOCAB)


# (family, checker rule that must fire, fact set, sentence, cited facts, kind, sentence before)
REJECT = [
    ("question", "certainty", "azacitidine_higher_risk", "After how many cycles will my platelets come back to normal on azacitidine?", [10], Q, None),
    ("question", "certainty", "lenalidomide_del5q", "How many months will it take for lenalidomide to bring my haemoglobin back up?", [4], Q, None),
    ("question", "certainty", "luspatercept", "How long will luspatercept keep me off transfusions?", [5], Q, None),
    ("question", "certainty", "lenalidomide_del5q", "Would my response to lenalidomide hold for more than 2 years?", [4], Q, None),
    ("denominator", "population", "luspatercept", "Of the patients whose haemoglobin went up on luspatercept, 38% were freed from "
     "red-cell transfusions for at least 8 weeks.", [5], S, None),
    ("denominator", "population", "small", "Among those whose blood counts recovered on luspatercept in a made-up study, 30% were "
     "freed from transfusions.", [4], S, None),
    ("pairing", "number", "small", "In a made-up trial of azacitidine, a rash affected 40.2% against 9.4% in the comparison group.", [1], S, None),
    ("pairing", "number", "small", "In a made-up trial of azacitidine, headache affected 40.2% versus 9.4% in the comparison group.", [1], S, None),
    ("difference", "number", "small", "In a made-up study, 10% more people were freed from transfusions on luspatercept than on placebo.", [4], S, None),
    ("difference", "number", "luspatercept", "In the ring sideroblast study, luspatercept freed 13 percent more people from red-cell "
     "transfusions than placebo.", [5], S, None),
    ("hedge", "certainty", "small", "With a very high erythropoietin level, ESAs do not help.", [5], S, None),
    ("hedge", "certainty", "esa_epo", "ESAs cannot work when the serum erythropoietin is above 500 mU/mL.", [12], S, None),
    ("hedge", "negation", "ist_hypocellular", "Horse ATG with cyclosporine is used for anaemia in lower-risk MDS with a hypocellular "
     "marrow when an ESA is likely to help.", [10], S, None),
    ("alone", "concept", "ist_hypocellular", "Horse ATG by itself is recommended for hypocellular lower-risk MDS.", [8, 9], S, None),
    ("alone", "concept", "ist_hypocellular", "Cyclosporine alone can restore blood counts in lower-risk MDS with a hypocellular marrow.", [10], S, None),
    ("cells", "population", "checkpoint_inhibitors", "Immune checkpoint inhibitors release a brake on the immune system so that T cells "
     "can attack leukaemia cells.", [3], S, None),
    ("cells", "population", "checkpoint_inhibitors", "Pembrolizumab blocks PD-1 so that T cells can attack MDS cells.", [2], S, None),
    ("advice", "directive", "esa_epo", "It would be wise to ask for an ESA while the serum erythropoietin is still low.", [11], S, None),
    ("advice", "directive", "luspatercept", "It's better to start luspatercept before trying an ESA.", [12], S, None),
    ("pronoun", "concept", "lenalidomide_del5q", "On it, blood counts often drop at the start, so they are checked closely.", [7], S,
     "Only 6% of the people given placebo stopped needing transfusions."),
    ("pronoun", "concept", "transplant", "It is the only treatment that can cure MDS.", [7], S,
     "Hypomethylating agents are sometimes given in lower-risk MDS."),
    ("condition", "population", "azacitidine_higher_risk", "Azacitidine is preferred for higher-risk MDS.", [8], S, None),
    ("condition", "population", "azacitidine_higher_risk", "For higher-risk MDS, azacitidine is the standard first treatment.", [9], S, None),
]

ACCEPT = [
    ("question", "azacitidine_higher_risk", "Whether my blood counts come back to normal on azacitidine, how would we know?", [10], Q, None),
    ("question", "lenalidomide_del5q", "If lenalidomide works for me, how long might my response last?", [4], Q, None),
    ("question", "luspatercept", "How long would I need to keep taking luspatercept?", [5], Q, None),
    ("denominator", "luspatercept", "Of 229 transfusion-dependent people with lower-risk MDS with ring sideroblasts, luspatercept freed 38% "
     "from red-cell transfusions for at least 8 weeks.", [5], S, None),
    ("denominator", "small", "In a made-up study, 30% of people on luspatercept were freed from transfusions.", [4], S, None),
    ("pairing", "small", "In a made-up trial of azacitidine, headache affected 22.1% against 9.4% in the comparison group.", [1], S, None),
    ("pairing", "small", "In a made-up trial of lenalidomide, 51% on the higher dose became transfusion-free, compared with 8% on placebo.", [2], S, None),
    ("difference", "small", "In a made-up study, luspatercept freed 20% more people from transfusions than placebo did.", [3], S, None),
    ("difference", "small", "In a made-up study, 30% on luspatercept against 10% on placebo were freed from transfusions.", [4], S, None),
    ("hedge", "small", "With a very high erythropoietin level, ESAs seldom help.", [5], S, None),
    ("hedge", "esa_epo", "With a serum erythropoietin above 500 mU/mL, ESAs rarely work, so guidelines advise other treatments.", [12], S, None),
    ("hedge", "ist_hypocellular", "Horse ATG with cyclosporine is used for anaemia in lower-risk MDS with a hypocellular marrow when an "
     "ESA is unlikely to work or has failed.", [10], S, None),
    ("alone", "small", "Lenalidomide on its own was compared with lenalidomide plus an ESA in a made-up trial.", [6], S, None),
    ("alone", "ist_hypocellular", "Horse ATG with cyclosporine can restore blood counts in lower-risk MDS with a hypocellular marrow.", [10], S, None),
    ("cells", "checkpoint_inhibitors", "Pembrolizumab blocks PD-1 so that T cells can attack cancer cells.", [2], S, None),
    ("cells", "checkpoint_inhibitors", "Immune checkpoint inhibitors release a brake on the immune system so that T cells can attack "
     "cancer cells.", [3], S, None),
    ("advice", "esa_epo", "An ESA works best with low EPO levels and before regular transfusions are needed.", [11], S, None),
    ("advice", "esa_epo", "ESAs are injected man-made versions of erythropoietin.", [1], S, None),
    ("pronoun", "lenalidomide_del5q", "On it, blood counts often drop at the start, so they are checked closely.", [7], S,
     "Lenalidomide is the treatment of choice for lower-risk MDS with a 5q deletion."),
    ("pronoun", "transplant", "It is the only treatment that can cure MDS but carries real risks.", [7], S,
     "An allogeneic stem cell transplant replaces the marrow with a donor's."),
    ("condition", "azacitidine_higher_risk", "Azacitidine is preferred for higher-risk MDS in people who cannot have a transplant "
     "and whose HMA has not failed.", [8], S, None),
    ("condition", "azacitidine_higher_risk", "For higher-risk MDS when a transplant is not possible, azacitidine is the standard first "
     "treatment.", [9], S, None),
]


@pytest.mark.parametrize("family, rule, fact_set, text, facts, kind, before", REJECT,
                         ids=[f"{r[0]}-{i}" for i, r in enumerate(REJECT)])
def test_subtle_drift_rules_reject(family, rule, fact_set, text, facts, kind, before):
    result = verdict(fact_set, text, facts, kind, before=before)
    assert not result.ok, f"slipped: {text!r}"
    assert rule in result.rules, result.problems


@pytest.mark.parametrize("family, fact_set, text, facts, kind, before", ACCEPT,
                         ids=[f"{a[0]}-{i}" for i, a in enumerate(ACCEPT)])
def test_subtle_drift_rules_keep_faithful_sentences(family, fact_set, text, facts, kind, before):
    result = verdict(fact_set, text, facts, kind, before=before)
    assert result.ok, result.problems


def test_every_family_has_cases_both_ways():
    assert_enough_cases_both_ways(REJECT, ACCEPT, rejects=2, accepts=2)


def test_the_pronoun_after_placebo_is_rejected_for_its_referent_only():
    # the same sentence and cited fact: only the sentence before changes what "it" stands for
    text = "With it, blood counts often drop at the start, so they are checked closely."
    assert verdict("lenalidomide_del5q", text, [7], before="Lenalidomide is the treatment of choice for lower-risk MDS with a 5q deletion.").ok
    rejected = verdict("lenalidomide_del5q", text, [7], before="Only 6% of the people given placebo stopped needing transfusions.")
    assert any("placebo" in p for p in rejected.problems), rejected.problems

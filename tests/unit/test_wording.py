"""The closed-wording rule (issue 17): a statement's words must be its facts' own, of a family its facts
use, or words with no claim of their own (service/writers/wording.py and wording.yaml).

The sentences were written for this file. The small facts are made up for the tests and are not clinical
guidance; the others come from the captured fact sets of tests/data/writer_adversarial/facts/."""

from __future__ import annotations

import re
from functools import cache

import pytest

from bench.writer_eval import load_fact_set, numbered_facts
from mdskg.records import Fact
from service.answer import grounding_vocabulary
from service.writers.grounding import Vocabulary
from service.writers.sentence_check import Profile, check_sentence, fact_profiles, profile
from service.writers.wording import load_wording, stem, unsupported_words

VOCAB = grounding_vocabulary()


@pytest.mark.parametrize("a,b", [
    ("anaemia", "anemia"), ("haemoglobin", "hemoglobin"), ("randomised", "randomized"), ("organised", "organized"),
    ("stopped", "stop"), ("dripped", "drip"), ("widely", "wide"), ("usually", "usual"), ("responses", "response"),
    ("given", "give"), ("went", "go"), ("making", "make"), ("quieten", "quiet"), ("tolerated", "tolerate"),
])
def test_a_word_and_its_other_spelling_or_inflection_share_a_stem(a, b):
    assert stem(a) == stem(b)


@pytest.mark.parametrize("a,b", [("several", "severe"), ("best", "better"), ("similar", "simple"), ("only", "on")])
def test_different_words_keep_different_stems(a, b):
    assert stem(a) != stem(b)


FACT = "In the trial, luspatercept freed 38% of people from transfusions; it is given every 3 weeks."


@pytest.mark.parametrize("sentence,added", [
    ("Luspatercept worked about as well as placebo.", ["well"]),
    ("Luspatercept is by now well established.", ["now", "well", "established"]),
    ("Luspatercept was similar to placebo.", ["similar"]),
    ("Luspatercept was on a par with the standard drug.", ["par", "standard"]),
    ("Luspatercept is one of several treatments.", ["several"]),
    ("The best results came on luspatercept.", ["best"]),
    ("Luspatercept has taken over from placebo.", ["over"]),
    ("The luspatercept amount is stepped up later.", ["amount", "stepped", "up"]),
    ("Everyone on luspatercept was freed from transfusions.", ["everyone"]),
    ("It works quickly and for good.", ["quickly", "good"]),
])
def test_words_the_facts_do_not_support_are_named(sentence, added):
    assert unsupported_words(sentence, [FACT]) == added


@pytest.mark.parametrize("a,b", [
    # session 10: "-ise" only after a stem of four letters ("rising" is not "rizing"), "-ll-" likewise
    # ("willing" keeps its double l), "fitness" and "willingness" are "fit" and "willing", "driven" is "drive"
    ("rising", "rise"), ("advising", "advise"), ("willingness", "willing"), ("fitness", "fit"),
    ("driven", "drive"), ("travelled", "traveled"), ("randomising", "randomizing"),
])
def test_session10_stems(a, b):
    assert stem(a) == stem(b)


@pytest.mark.parametrize("a,b", [("rising", "risk"), ("weakness", "weak"), ("illness", "ill")])
def test_session10_stems_keep_other_words_apart(a, b):
    assert stem(a) != stem(b)


# Session 10: synonyms allowed only beside the fact's own word of their family (wording.yaml), and idioms read as
# the plain word they stand for. Made-up facts: a sentence each that must pass, and the same words beside a fact
# without the family's word, which must not.
@pytest.mark.parametrize("fact, kept", [
    ("Hemoglobin was pushed above 11 g/dL.", "Hemoglobin was driven above 11 g/dL."),
    ("Some people may still respond.", "Even then, some people may respond."),
    ("The disease needs to be controlled.", "The disease must be controlled."),
    ("It is given weekly.", "It follows a weekly schedule."),
    ("About 60% became transfusion-free.", "About 60% reached transfusion freedom."),
    ("It is not suitable for a transplant candidate.", "A transplant is not on the table."),
    ("The label lists fever.", "According to the label, fever is listed."),
    ("So the lowest dose that avoids transfusions is used.", "The lowest dose that keeps transfusions away is used."),
    ("Counts can fall in the first cycles.", "Early on, counts can fall."),
    ("Steroids are given to lessen it.", "Steroids are given to soften it."),
    ("It is an approved option.", "It is an approved choice."),
])
def test_session10_a_synonym_passes_beside_its_familys_word(fact, kept):
    assert unsupported_words(kept, [fact]) == []


@pytest.mark.parametrize("sentence, fact, added", [
    ("Hemoglobin was driven above 11 g/dL.", "Hemoglobin rose above 11 g/dL.", ["driven"]),
    ("Even then, some people respond.", "Some people respond.", ["even"]),
    ("The disease must be controlled.", "The disease can be controlled.", ["must"]),
    ("It follows a schedule.", "It is given as an injection.", ["schedule"]),
    ("About 60% reached transfusion freedom.", "About 60% were transfusion-free.", ["reached"]),
    ("A transplant is not on the table.", "A transplant is not possible.", ["ontable"]),
    ("According to the trial, fever is common.", "In the trial, fever was common.", ["accordingto"]),
    ("It keeps transfusions away.", "It raises hemoglobin.", ["avoid"]),
    ("Early on, counts can fall.", "Counts can fall.", ["earlyon"]),
    ("Steroids are given to soften it.", "Steroids are given for it.", ["soften"]),
    ("It is an approved choice.", "It is approved.", ["choice"]),
])
def test_session10_the_same_synonym_fails_without_its_familys_word(sentence, fact, added):
    assert unsupported_words(sentence, [fact]) == added


@pytest.mark.parametrize("sentence, fact, added", [
    # idioms read as plain words carrying no claim of their own, so the rest of the sentence is still read
    ("Low counts can open the door to infections.", "Low counts can lead to infections.", []),
    ("Low counts can open the door to strokes.", "Low counts can lead to infections.", ["strokes"]),
    ("Side effects turned up more often with it.", "Side effects were more common with it.", []),
    ("Side effects turned up in everyone.", "Side effects were more common with it.", ["everyone"]),
    ("It has the power to cure the disease.", "It can cure the disease.", []),
    ("It has the power to end the disease.", "It can cure the disease.", ["end"]),
    ("It frees T cells to attack cancer cells.", "It blocks PD-1 so T cells can attack cancer cells.", []),
    ("It frees T cells to clear the marrow.", "It blocks PD-1 so T cells can attack cancer cells.", ["clear"]),
    ("It holds the disease back.", "It keeps the disease under control.", []),
    ("It holds the disease back for good.", "It keeps the disease under control.", ["good"]),
    ("The evidence is in places conflicting.", "The evidence is partly conflicting.", []),
    ("The evidence is in places strong.", "The evidence is partly conflicting.", ["strong"]),
    ("Two out of every three people responded.", "Two in three people responded.", []),
    ("Every person responded.", "Two in three people responded.", ["every"]),
    ("With just one other abnormality.", "With one other abnormality.", []),
    ("With just a small abnormality.", "With one other abnormality.", ["just", "small"]),
])
def test_session10_idioms_are_read_as_their_plain_words(sentence, fact, added):
    assert unsupported_words(sentence, [fact]) == added


COMPARED = "In the trial, more people on luspatercept than on placebo became transfusion independent (38% against 13%)."


@pytest.mark.parametrize("sentence", [
    "In the trial, more people on luspatercept than on placebo no longer needed transfusions.",
    "People given luspatercept were more often free of transfusions than those given placebo.",
    # numbers in words are the number rule's
    "In the trial, 38 in a hundred people on luspatercept stopped needing transfusions.",
    "Luspatercept freed 38% of people from transfusions, as well as giving a rise in haemoglobin.",
])
def test_paraphrases_in_neutral_or_family_words_pass(sentence):
    assert unsupported_words(sentence, [COMPARED]) == []


def test_more_and_less_need_a_comparison_in_the_facts_in_words_or_in_two_figures():
    assert unsupported_words("More people on luspatercept were freed from transfusions.", [FACT]) == ["more"]
    # two figures compared: which one is more is the direction rule's to check
    two = "Luspatercept freed 38% of people from transfusions, against 13% on placebo."
    assert unsupported_words("More people on luspatercept were freed from transfusions.", [two]) == []
    assert unsupported_words("Fewer people on placebo were freed from transfusions.", [two]) == []
    # a comparison in words licenses its own direction only
    in_words = COMPARED.split(" (")[0]
    assert unsupported_words("Fewer people on placebo were freed from transfusions.", [in_words]) == ["fewer"]


def test_a_family_word_needs_a_member_in_the_facts():
    assert unsupported_words("Blasts below 5%.", ["blasts under 5%"]) == []
    assert unsupported_words("Blasts below 5%.", ["blasts < 5%"]) == []
    assert unsupported_words("Blasts below 5%.", ["blasts of 5%"]) == ["below"]
    assert unsupported_words("An ESA seldom works here.", ["An ESA rarely works here."]) == []
    assert unsupported_words("An ESA seldom works here.", ["An ESA works here."]) == ["seldom"]


def test_set_phrases_are_read_as_one():
    assert unsupported_words("At least 2 units.", ["2 or more units"]) == []
    assert unsupported_words("They no longer needed transfusions.", ["They became transfusion independent."]) == []
    assert unsupported_words("Reduce how often transfusions are needed.", ["reduce transfusion needs"]) == []


def test_the_lists_are_data_and_keep_claim_words_off_the_neutral_list():
    wording = load_wording()
    for claim in ("best", "similar", "several", "most", "many", "always", "never", "only", "safe", "established",
                  "proven", "quickly", "soon", "well", "every", "often", "usually", "still", "now", "cure"):
        assert stem(claim) not in wording.neutral, claim
    assert {"more", "less", "effect", "free", "fail", "never"} <= set(wording.families)


# ---- in the sentence check ------------------------------------------------------------------------------

SMALL = (Fact("W1", "What it is", "Luspatercept raised haemoglobin in some people with lower-risk MDS.", ("S",),
              ("luspatercept",)),)


@cache
def profiles(fact_set: str) -> tuple[Profile, ...]:
    facts = SMALL if fact_set == "small" else numbered_facts(load_fact_set(fact_set))
    return tuple(fact_profiles(facts, VOCAB))


def verdict(fact_set: str, text: str, facts: list[int], before: str | None = None, vocabulary: Vocabulary = VOCAB):
    every = profiles(fact_set)
    return check_sentence(text, "statement", [every[n - 1] for n in facts], vocabulary, answer_facts=list(every),
                          antecedent=profile(before, vocabulary) if before else None)


def test_the_sentence_check_rejects_an_added_claim_word_by_the_wording_rule():
    v = verdict("small", "Luspatercept raised haemoglobin in a similar way for all people with lower-risk MDS.", [1])
    assert not v.ok and "wording" in v.rules
    assert any("'similar'" in p for p in v.problems)


def test_the_sentence_check_keeps_a_paraphrase():
    v = verdict("small", "In lower-risk MDS, luspatercept lifted haemoglobin for some people.", [1])
    assert v.ok, v.problems


def test_a_brand_in_capitals_is_a_brand_when_the_ontology_says_so():
    # fact 8 of the IST set names horse antithymocyte globulin, never its brand
    v = verdict("ist_hypocellular", "Immunosuppressive therapy combines cyclosporine with ATGAM.", [8])
    assert not v.ok and "concept" in v.rules


def test_it_after_a_combination_stands_for_the_pair():
    before = ("In MDS without a 5q deletion, guidelines also list lenalidomide combined with an ESA after an ESA alone "
              "has failed.")
    v = verdict("lenalidomide_del5q", "It freed about two in three people from transfusions for at least 8 weeks.", [4],
                before=before)
    assert not v.ok and any("combined with" in p for p in v.problems)
    alone = "Lenalidomide is taken by mouth."
    v = verdict("lenalidomide_del5q", "It freed about two in three people from transfusions for at least 8 weeks.", [4],
                before=alone)
    assert "concept" not in v.rules, v.problems


# ---- the rules of the session-8 blind rounds (sentences written here) ----------------------------------------

def question(fact_set: str, text: str, facts: list[int]):
    every = profiles(fact_set)
    return check_sentence(text, "doctor_question", [every[n - 1] for n in facts], VOCAB, answer_facts=list(every))


def not_covered(fact_set: str, text: str):
    every = profiles(fact_set)
    return check_sentence(text, "not_covered", [], VOCAB, answer_facts=list(every))


def test_a_question_that_takes_the_outcome_for_granted_is_rejected():
    v = question("esa_epo", "How quickly will I be able to stop needing transfusions on an ESA?", [])
    assert not v.ok and "certainty" in v.rules
    assert question("esa_epo", "Would an ESA be a reasonable option for me?", []).ok


def test_a_claim_stated_before_the_question_is_held_to_the_facts():
    v = question("ist_hypocellular", "My PNH clone means IST will certainly work, so when can I begin?", [12])
    # the wording rule reads only a premise, so its failure shows the stated part was read as one
    assert {"certainty", "wording"} <= set(v.rules), v.problems
    assert question("ist_hypocellular", "Could a PNH clone make IST worth considering for me?", [12]).ok


def test_one_of_several_where_the_facts_say_the_only_one():
    v = verdict("transplant", "A donor stem cell transplant is one of the treatments that can cure higher-risk MDS.",
                [4])
    assert not v.ok and any("only one" in p for p in v.problems)


def test_a_pronoun_later_in_a_sentence_that_names_no_treatment_has_a_referent():
    # fact 6 is about ESAs; "it" is luspatercept, the subject of the sentence before
    before = "Luspatercept was compared with epoetin alfa in a randomised trial."
    v = verdict("compare_luspatercept_esa", "In that comparison it was given as injections under the skin.", [6],
                before=before)
    assert "concept" in v.rules, v.problems
    alone = verdict("compare_luspatercept_esa", "ESAs are given as injections under the skin.", [6], before=before)
    assert alone.ok, alone.problems


def test_an_honest_not_covered_sentence_may_ask_who_should_not_have_it():
    v = not_covered("imetelstat", "Our sources do not say who should not be given imetelstat.")
    assert v.ok, v.problems
    v = not_covered("imetelstat", "Our sources do not say how it compares, and imetelstat is the strongest choice.")
    assert not v.ok


def test_it_after_a_sentence_about_placebo_stands_for_placebo():
    before = "On placebo, only 6% of people stopped needing transfusions."
    assert verdict("lenalidomide_del5q", "It is preferred for lower-risk MDS with del(5q).", [6], before=before).ok
    before = "Placebo freed only a few people from transfusions in that trial."
    v = verdict("lenalidomide_del5q", "It is preferred for lower-risk MDS with del(5q).", [6], before=before)
    assert "concept" in v.rules, v.problems


def test_what_facts_say_of_solid_cancers_is_not_said_of_mds_with_including():
    v = verdict("checkpoint_inhibitors", "These medicines are widely used for several cancers, MDS among them.", [4])
    assert "population" in v.rules, v.problems


def test_people_on_their_way_to_a_transplant_are_a_group_of_their_own():
    v = verdict("azacitidine_higher_risk", "Azacitidine is the standard first treatment for higher-risk MDS in people "
                "who are waiting for a donor stem cell transplant.", [9])
    assert "population" in v.rules, v.problems


def test_given_at_a_number_of_centres_is_no_dose():
    fact = Fact("W2", "What the studies found", "Among 207 people given immunosuppressive therapy at 15 centres, about "
                "half responded.", ("S",), ("immunosuppressive therapy",))
    cited = fact_profiles([fact], VOCAB)
    assert check_sentence(fact.text, "statement", cited, VOCAB, answer_facts=cited).ok
    v = check_sentence("Luspatercept is given as 2 units every 8 weeks.", "statement", profiles("luspatercept")[8:9],
                       VOCAB, answer_facts=list(profiles("luspatercept")))
    assert "dose" in v.rules, v.problems


def test_a_questions_own_they_needs_no_antecedent():
    every = profiles("luspatercept")
    v = check_sentence("Which treatments have I had, and how well did they work?", "doctor_question", [], VOCAB,
                       answer_facts=list(every), antecedent=profile("Azacitidine is injected under the skin.", VOCAB))
    assert v.ok, v.problems


# Session 9: phrases that say a fact's idea in other words pass only where the fact has that idea.
@pytest.mark.parametrize("sentence, fact, allowed", [
    ("They were compared head to head.", "They were compared directly in one trial.", True),
    ("They were compared head to head.", "They were compared in one trial.", False),
    ("Lenalidomide is preferred when del(5q) is the only change.", "Lenalidomide is preferred for del(5q) alone.",
     True),
    ("Lenalidomide is preferred when del(5q) is the only change.", "Lenalidomide is preferred for del(5q).", False),
    ("It is not advised when the deletion is accompanied by a chromosome 7 change.",
     "It is not advised when the deletion comes with a chromosome 7 change.", True),
    ("It can bring blood counts back up.", "It can restore blood counts.", True),
    ("It can bring blood counts back up.", "It can change blood counts.", False),
    ("The disease must be kept under control.", "The disease must be controlled.", True),
    ("Its use is limited to clinical trials.", "It should only be used within a clinical trial.", True),
    ("Its use is limited to clinical trials.", "It should be used within a clinical trial.", False),
    ("Your test results decide whether it fits you.", "It depends on your test results.", True),
    ("Its effect can only be judged after 6 cycles.", "It needs 6 cycles before its effect can be judged.", True),
    ("It is only continued for 6 cycles.", "It needs 6 cycles before its effect can be judged.", False),
    ("People are watched for a minimum of 24 hours.", "People are watched for at least 24 hours.", True),
    ("Steroids are given to ease it.", "Steroids are given to lessen it.", True),
    ("Steroids are given to ease it.", "Steroids are given for it.", False),
    ("About 43 in every 100 people had redness.", "About 43 in 100 people had redness.", True),
    ("Every one of the 25 people had it.", "All 25 people had it.", True),
    ("Every one of the 25 people had it.", "The 25 people had it.", False),
    ("It may be considered provided they have a donor.", "It may be considered if they have a donor.", False),
    ("It needs all of the following: a donor and fitness.", "It needs: a donor; fitness.", True),
    ("It needs all the care it can get.", "It needs: a donor; fitness.", False),
    ("Periods lasting a year or more were seen.", "Periods of a year or more were seen.", True),
    ("Responses were lasting.", "Responses were seen.", False),
    ("Freedom from transfusions was seen in 38% of people.", "It freed 38% of people from transfusions.", True),
])
def test_session9_phrases(sentence, fact, allowed):
    blanked = re.sub(r"\d+", " ", sentence)  # numbers are left to their own rule, as the checker does
    assert (unsupported_words(blanked, [fact]) == []) is allowed, unsupported_words(blanked, [fact])


# Session 11: "the lowest … that still …" is the superlative's limit, not a claim of its own; "still" without the
# superlative stays a word the facts must say. Made-up facts.
@pytest.mark.parametrize("sentence, fact, added", [
    ("The smallest amount that still keeps the count up is given.",
     "The smallest amount that keeps the count up is given.", []),
    ("It is the lowest one which still avoids transfusions.", "The lowest dose that avoids transfusions is used.", []),
    ("The amount still keeps the count up.", "The smallest amount that keeps the count up is given.", ["still"]),
    ("The dose still avoids transfusions.", "The lowest dose that avoids transfusions is used.", ["still"]),
])
def test_session11_still_after_a_superlative(sentence, fact, added):
    assert unsupported_words(sentence, [fact]) == added

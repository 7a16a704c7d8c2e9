"""What a question asks: one of the answer intents, decided from cue patterns, the concepts linked in
the question and the values typed into it. Pure and fast (no graph, no model).

Intents (each has its own answer plan in service.plans): definition, mechanism, efficacy, candidate,
side_effects, alternatives, next_after_failure, risk_interpret, risk_compute, prognosis, trial_result,
comparison, treat_or_watch, administration, symptoms, causes, off_topic. Accuracy is measured on our own
labelled questions by `make eval-qa`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

INTENTS = ("definition", "mechanism", "efficacy", "candidate", "side_effects", "alternatives", "next_after_failure",
           "risk_interpret", "risk_compute", "prognosis", "trial_result", "comparison", "treat_or_watch",
           "administration", "symptoms", "causes", "off_topic")

THERAPY_LABELS = frozenset({"Therapy", "Drug"})
# Concepts that place a question inside MDS (the disease, its subtypes, risk, markers, its treatments).
MDS_LABELS = frozenset({"Subtype", "RiskScheme", "RiskCategory", "PatientGroup", "Biomarker", "Therapy", "Drug",
                        "SideEffect", "Term", "Study"})
MDS_DISEASE_IDS = frozenset({"NCIT:C3247", "NCIT:C3171", "NCIT:C27262", "NCIT:C3178", "MDSKG:disease/ccus"})
_MDS_WORDS = re.compile(r"\b(mds|myelodysplas\w*|myelo ?dysplas\w*|pre-?leuk\w*|smoldering leuk\w*|"
                        r"bone marrow (disease|disorder|failure|cancer)|blood cancer|my (disease|condition|diagnosis))\b")
_OTHER_CANCER = re.compile(r"\b(lung|breast|prostate|colon|colorectal|skin|pancrea\w*|ovarian|bladder|kidney|liver|"
                           r"brain|thyroid|stomach|cervical) cancer\b|\bmelanoma\b|\blymphoma\b|\bmyeloma\b|"
                           r"\b(diabetes|covid|flu|influenza|arthritis|asthma|migraine|alzheimer\w*|thalass\w*|"
                           r"hemochromatosis|haemochromatosis|polycythemia|polycythaemia|sickle cell|"
                           r"chronic myeloid|cml|myelofibrosis|hemophilia|lupus)\b|"
                           r"\bmy (dog|cat|pet|horse)\b")
# AML or a myeloproliferative disease asked about on its own, with MDS not named.
_OTHER_MYELOID = re.compile(r"\b(aml|acute myeloid leuk\w*|acute leuk\w*)\b")


def _any(patterns: Sequence[str], text: str) -> bool:
    return any(re.search(p, text) for p in patterns)


CUES: dict[str, tuple[str, ...]] = {
    "trial_result": (r"\btrials?\b.*\b(result|show|find|found|outcome|conclu)", r"\b(result|outcome|finding)s? of\b",
                     r"\bwhat (did|does) the .* (trial|study) (show|find)"),
    "next_after_failure": (r"\bstopped working\b", r"\b(did not|didn't|does not|doesn't|has not|hasn't|no longer) "
                           r"(work|help|respond|working)", r"\bfail(ed|s|ure|ing)\b", r"\bcame back\b", r"\brelaps",
                           r"\brefractory\b", r"\blost (my |the |its )?response\b", r"\bnot responding\b",
                           r"\bquit working\b", r"\bwhat (now|next)\b.*\bafter\b", r"\bafter\b.*\bwhat (now|next)\b",
                           r"\bcould(n't| not) (tolerate|take)\b", r"\bnot tolerat"),
    "candidate": (r"\bam i (a )?(good |suitable )?candidate", r"\b(be )?an option for me\b", r"\bcan i take\b", r"\beligib", r"\bcan i (get|have|receive|take|try|be given)\b",
                  r"\bshould i (get|have|take|try|consider|be on)\b", r"\bright for me\b", r"\bqualif",
                  r"\bwould i benefit\b", r"\bdo i (fit|meet)\b", r"\bcould i (get|have|take|try)\b", r"\bsuitable for me\b",
                  r"\bis .* (an option|possible) for me\b", r"\bwho (can|should) (get|have|take|receive)\b",
                  r"\bwho is .* for\b"),
    "side_effects": (r"\bside[ -]?effects?\b", r"\badverse\b", r"\btoxicit", r"\brisks? of (the |a )?(treatment|drug|"
                     r"transplant|it|taking)\b", r"\bsafe\b", r"\braise (my |the )?blood pressure\b",
                     r"\b(bad|hard) (for|on) (the |my )?(kidney|liver|heart)s?\b",
                     r"\bcomplications?\b", r"\bhair (loss|fall)", r"\bnause", r"\bhow (sick|bad) will i feel\b",
                     r"\bdangers?\b", r"\bharm"),
    "comparison": (r"\bvs\.?\b", r"\bversus\b", r"\bcompared? (to|with)\b", r"\bbetter than\b", r"\bdifference between\b",
                   r"\bwhich is better\b", r"\bor\b.*\bbetter\b", r"\bdiffer(s|ent)? from\b", r"\bsame as\b",
                   r"\bhow (is|does) .* differ"),
    "administration": (r"\bhow (is|are) .* (given|taken|administered|delivered|done)\b", r"\bhow do (i|you) (take|get)\b",
                       r"\bhow often\b", r"\bhow .* injections?\b", r"\binfusions? (take|last)",
                       r"\bwhat does (getting |having )?.* involve\b", r"\bstep by step\b",
                       r"\bby mouth\b", r"\bschedule\b", r"\bhow long (is|does|do) (each |a )?(cycle|treatment|infusion)",
                       r"\bhow many (cycles|days|shots|injections)\b", r"\b(iv|intravenous|subcutaneous)\b",
                       r"\bin (the )?hospital\b", r"\bat home\b", r"\bhow long .* (take|last)s?\b"),
    "mechanism": (r"\bhow (does|do) .* work\b", r"\bmechanism\b", r"\bwhat does .* do\b", r"\bhow .* works\b",
                  r"\bwhat .* (does|do) to\b", r"\bwork(s)? by\b", r"\bhow (does|do) .* help\b"),
    "treat_or_watch": (r"\bwatch(ful)?[- ]?(and[- ])?wait", r"\bright away\b", r"\bor (should i |we )?wait\b",
                       r"\b(start|begin)(ing)? (treatment|therapy|vidaza|\w+) (early|now|right away)\b",
                       r"\bwhen (should|do|does) (someone|people|i|a patient) .*start treatment\b", r"\bstart treatment\b",
                       r"\bjust monitoring\b", r"\bcan we wait\b", r"\bwait(ing)? and see\b", r"\bdo i (really )?need "
                       r"(to start |any )?(treatment|therapy|to be treated)", r"\bshould i (start|begin) (treatment|therapy)",
                       r"\bwithout (any )?treatment\b", r"\bwhen (should|to|do) (i |we |you )?(start|begin) (treat|therapy)",
                       r"\b(just )?monitor(ed|ing)?\b", r"\bno treatment\b", r"\bleave it\b", r"\bobservation\b",
                       r"\bwhen is treatment needed\b", r"\bdelay treatment\b"),
    "prognosis": (r"\blife expectancy\b", r"\bhow long (do|will|can|does) (i|people|patients|someone|one|you|he|she|my)\b",
                  r"\bsurviv", r"\bprognos", r"\boutlook\b", r"\bcurable\b", r"\bterminal\b", r"\bfatal\b", r"\bdie\b",
                  r"\bdeadly\b", r"\b(turn|progress|transform|become)s? (in)?to (acute )?(leuk|luk|aml)",
                  r"\bgood or bad( news)?\b", r"\b(make|makes|is) .* worse\b", r"\bwhat is my outlook\b", r"\bodds\b",
                  r"\bchances? of\b", r"\bhow serious\b", r"\bhow bad is\b", r"\bis .* (curable|a death sentence)"),
    "efficacy": (r"\bdoes (it|this|that)? ?work\b", r"\bwork(s)? for\b", r"\beffective", r"\befficacy\b",
                 r"\bhow well\b", r"\bsuccess", r"\bresponse rates?\b", r"\bbenefit", r"\bcure[sd]?\b",
                 r"\bdo(es)? .* (really )?work\b", r"\bhelp(s)? (with|my|me|people)\b", r"\bworth it\b",
                 r"\bhow (good|much) (is|does)\b", r"\bresults? (with|of|from)\b", r"\bevidence\b",
                 r"\blive longer\b", r"\bwork\?"),
    "alternatives": (r"\balternatives?\b", r"\bother (options|treatments|approaches|therapies|choices)\b", r"\binstead\b",
                     r"\b(besides|other than)\b", r"\bwhat can (help|be done)\b", r"\bis there (a|an|any) \w+ (for|to)\b",
                     r"\bwhat else\b", r"\bwhat are (my|the) options\b", r"\banything else\b", r"\btreatment options\b",
                     r"\bwhat (treatments?|therapies) (are|is) (there|available)\b", r"\bhow (is|are) .* treated\b"),
    "symptoms": (r"\bsympt\w*", r"\bsigns?\b", r"\bkeep getting infections\b", r"\b(red )?spots\b", r"\bpetechiae\b", r"\bhow (will|would|do) i feel\b", r"\bfeel(ing)? (tired|weak|sick)\b",
                 r"\bbruis", r"\bfatigue\b", r"\btired(ness)?\b", r"\bshort(ness)? of breath\b"),
    "causes": (r"\bcaus", r"\bwhy (did|do|does) (i|people|someone|he|she) get\b", r"\bwhy does mds happen\b",
               r"\b(raise|increase)s? .* risk of (getting|developing)\b", r"\bmore (common )?in older\b", r"\binherit", r"\bhereditar",
               r"\bgenetic\b", r"\brun in (the )?famil", r"\brisk factors?\b", r"\bcontagious\b", r"\bsmok",
               r"\bbenzene\b", r"\bchemical", r"\bradiation\b", r"\bfrom (my|the) (chemo|radiation)\b",
               r"\bdid .* give me\b", r"\bhow do (you|people) get\b", r"\bpass (it )?on\b", r"\bprevent"),
    "definition": (r"\bwhat (is|are|does|'s)\b", r"\bwhat's\b", r"\bexplain\b", r"\bmean(s|ing)?\b", r"\bdefin",
                   r"\btell me about\b", r"\bwhat kind of\b"),
}
PRIORITY = ("trial_result", "next_after_failure", "candidate", "side_effects", "comparison", "treat_or_watch",
            "administration", "mechanism", "prognosis", "efficacy", "alternatives", "symptoms", "causes", "definition")
_SCORE_WORDS = re.compile(r"\b(ipss-?r|ipss-?m|ipss|r-?ipss|score|intermediate[- ]?[12]|int[- ]?[12]|"
                          r"(very )?(low|high)[- ]risk|moderate[- ](low|high)|cytogenetic (risk )?group)\b")
_COMPUTE_WORDS = re.compile(r"\b(what is|what's|calculate|compute|work out|figure out|estimate) (my|the)? ?"
                            r"(ipss|risk|score|prognos)|\bmy (ipss|risk|score)\b|\bwhat (risk|category)\b")


@dataclass(frozen=True)
class IntentResult:
    intent: str
    also: tuple[str, ...]  # other intents the question also touches, in priority order
    reason: str  # which rule decided (for tests and logs; no patient values)


def classify(question: str, entity_labels: Sequence[tuple[str, str]], value_fields: Sequence[str] = (),
             stated_score: bool = False) -> IntentResult:
    """`entity_labels`: (concept id, label) of each linked concept, in question order;
    `value_fields`: PatientInput fields read from the question; `stated_score`: a score was given."""
    text = " ".join(question.lower().split())
    labels = [label for _, label in entity_labels]
    ids = [cid for cid, _ in entity_labels]
    found = [name for name in PRIORITY if _any(CUES[name], text)]
    therapies = [cid for cid, label in entity_labels if label in THERAPY_LABELS]

    mds_context = bool(_MDS_WORDS.search(text)) or any(cid in MDS_DISEASE_IDS for cid in ids) or any(
        label in MDS_LABELS for label in labels)
    other_disease = [cid for cid, label in entity_labels if label == "Disease" and cid not in MDS_DISEASE_IDS]
    if _OTHER_CANCER.search(text) and not _MDS_WORDS.search(text):
        return IntentResult("off_topic", tuple(found), "another disease is named and MDS is not")
    if _OTHER_MYELOID.search(text) and not _MDS_WORDS.search(text) and not re.search(r"\b(turn|progress|transform|become)", text):
        return IntentResult("off_topic", tuple(found), "AML asked about on its own")
    if other_disease and not (_MDS_WORDS.search(text) or any(cid in MDS_DISEASE_IDS for cid in ids)):
        if not therapies or "comparison" not in found:
            return IntentResult("off_topic", tuple(found), "another disease is named and MDS is not")

    if "Study" in labels:
        return IntentResult("trial_result", tuple(found), "a named study")
    ipssr_inputs = {"hemoglobin", "platelets", "anc", "marrowBlastsPct", "karyotype", "ipssrCytogeneticGroup"}
    n_inputs = len(ipssr_inputs & set(value_fields))
    if n_inputs >= 3 or (n_inputs >= 1 and _COMPUTE_WORDS.search(text)):
        if not (therapies and any(i in found for i in ("next_after_failure", "candidate", "comparison"))):
            return IntentResult("risk_compute", tuple(found), "IPSS-R inputs in the question")
    if stated_score or (_SCORE_WORDS.search(text) and any(w in text for w in (" mean", "good", "bad", "is that",
                                                                              "what does", "normal", "serious",
                                                                              "considered", "lower or higher",
                                                                              "low risk or high"))):
        if not (therapies and ("next_after_failure" in found or "candidate" in found)):
            return IntentResult("risk_interpret", tuple(found), "a stated score or risk category")
    if "treat_or_watch" in found and re.search(r"right away|or wait|wait and see|watch|monitor", text):
        return IntentResult("treat_or_watch", tuple(found), "treat now or wait")
    if "candidate" in found and therapies and re.search(r"\b(candidate|option for me|can i take|can i get|could i get|"
                                                          r"would i benefit|eligib|qualif)", text):
        return IntentResult("candidate", tuple(found), "asks whether a named treatment fits")
    if "next_after_failure" in found and (therapies or "treatment" in text or "therapy" in text or value_fields):
        return IntentResult("next_after_failure", tuple(found), "a treatment that failed")
    if "comparison" in found and (len(therapies) >= 2 or len(set(ids)) >= 2):
        return IntentResult("comparison", tuple(found), "two concepts compared")
    for name in found:
        if name in {"next_after_failure", "comparison"}:
            continue
        if name == "definition" and len(found) > 1:
            continue  # "what is X and does it work": the more specific intent leads
        if name == "efficacy" and "mechanism" in found:
            continue
        return IntentResult(name, tuple(found), f"cue for {name}")
    if not entity_labels and not mds_context:
        return IntentResult("off_topic", tuple(found), "no MDS concept and no question cue")
    if therapies:
        return IntentResult("definition", tuple(found), "a named treatment with no other cue")
    return IntentResult("definition", tuple(found), "default")

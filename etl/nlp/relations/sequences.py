"""Rule family NEXT_AFTER_FAILURE (failed therapy → next therapy), and the failed therapies of a
sentence.

    After <X> failure, <Y> is an option for …           (NEXT_AFTER_FAILURE X → Y)

`_failed_therapies` ("after ESA failure", "refractory to HMA") is read here and also by the
recommendation rules (line "after_failure") and the criteria (`failed_therapies`).
`sequence_blocked` says why a clause naming a failed therapy and another one is not a sequence:
negative, early research, an eligibility list, or an abstract's finding rather than advice.
"""

from __future__ import annotations

import re

from etl.nlp.literals import Prefiltered
from etl.nlp.relations.base import RuleBase
from etl.nlp.relations.cues import _FAILURE_MORE, _FAILURE_PHRASE, CLINICAL_TRIAL_ID, FAILURE_BEFORE
from etl.nlp.relations.shared import _clause_text, _is_condition_therapy, _is_therapy
from etl.nlp.relations.views import MentionView, SentenceView

FAILURE_AFTER = re.compile(
    r"^\s*(?:\([^()]{1,20}\)\s*)?[-‐]?\s*(?:failure|fails(?!\s+to)|failed(?!\s+to)|has\s+failed(?!\s+to)"
    r"|have\s+failed(?!\s+to)|refractory|resistance"
    r"|has\s+stopped\s+working|stops\s+working|no\s+longer\s+works|relapse|treatment\s+failure)\b",
    re.I,
)

# "received 4 cycles of azacitidine and has not responded", "... without a response", "... but progressed"
_FAILURE_LATER = re.compile(
    r"^[^.;]{0,50}?\b(?:and|but)\s+(?:has|have|had|did|does|do)\s+(?:not|never)\s+(?:respond\w*|improv\w*|benefit\w*)"
    r"|^[^.;]{0,50}?\b(?:without|with\s+no)\s+(?:an?\s+|any\s+)?(?:response|improvement|benefit)\b"
    r"|^[^.;]{0,50}?\b(?:and|but)\s+(?:then\s+)?(?:progressed|relapsed|lost\s+(?:the\s+|their\s+|a\s+)?response"
    r"|stopped\s+responding)\b",
    re.I,
)

# NEXT_AFTER_FAILURE says the second therapy is an option once the first has failed. A clause that
# says the opposite ("X after Y failure cannot be recommended", "… is not effective"), that names
# X as the subject of early or ongoing research ("X is being studied in early-phase trials after HMA
# failure"), or that lists therapies a trial admits ("prior lenalidomide is allowed") does not.
_SEQUENCE_FAILURE = re.compile(_FAILURE_PHRASE + _FAILURE_MORE, re.I)
_SEQUENCE_NEGATIVE = Prefiltered(re.compile(
    r"\b(?:cannot|can\s*not|should\s+not|must\s+not|need\s+not|not\s+(?:be\s+)?(?:generally\s+|routinely\s+)?"
    r"(?:recommended|advised|advisable|effective|efficacious|beneficial|useful|helpful|indicated|established"
    r"|supported|justified|warranted|an?\s+(?:established\s+|standard\s+|effective\s+|reasonable\s+)?"
    r"(?:option|alternative|standard|choice))"
    r"|(?:has|have)\s+not\s+been\s+(?:shown|proven|demonstrated|established)|ineffective|futil\w*|discouraged"
    r"|no\s+(?:clinical\s+|survival\s+|significant\s+|meaningful\s+|proven\s+|established\s+)*(?:benefit|activity"
    r"|efficacy|role|advantage|improvement)|(?:did|does|do)\s+not\s+(?:improve|show|demonstrate|produce|yield|induce"
    r"|prolong|benefit|work)|fail(?:ed|s)?\s+to\s+(?:improve|show|demonstrate|produce|induce|prolong|benefit)"
    r"|(?:very\s+)?(?:limited|minimal|modest|poor|disappointing|negligible)\s+(?:clinical\s+)?(?:activity|efficacy"
    r"|benefit|results|outcomes?|response\s+rates?)|(?:should\s+be\s+)?avoided|contraindicated|not\s+be\s+used)\b"
    r"|\bcan't\b",
    re.I,
))
_SEQUENCE_RESEARCH = Prefiltered(re.compile(
    r"\b(?:early[\s-]phase|phase\s*(?:1/2|I/II|1b/2|Ib/II|1b|Ib|0|1|I)(?![\w/])|first[\s-]in[\s-]human"
    r"|dose[\s-](?:escalation|finding)|(?:being|currently)\s+(?:studied|tested|evaluated|investigated|explored)"
    r"|under\s+(?:investigation|evaluation|study)|ongoing\s+(?:clinical\s+)?(?:trials?|stud(?:y|ies))"
    r"|investigational|experimental|preclinical)\b",
    re.I,
))

_SEQUENCE_ADMITTED = re.compile(r"\b(?:allowed|permitted|acceptable|admissible)\b"
                                r"|\b(?:are|is|remain|may\s+be)\s+eligible\s+(?:if|provided|when|under)\b", re.I)

ELIGIBILITY_KINDS = ("inclusion", "exclusion", "eligibility")


def sequence_blocked(clause: str, therapy_id: str | None = None, section_kind: str | None = None) -> str | None:
    """Why a clause naming a failed therapy and another therapy is *not* a NEXT_AFTER_FAILURE
    statement ('negative', 'research', 'eligibility'), or None. The failure phrase itself ('did
    not respond to', 'no response to') is blanked first: its negation is about the first therapy.
    A recommended clinical trial ('after HMA failure, enrolment in a clinical trial') is not research
    about a named therapy."""
    if section_kind in ELIGIBILITY_KINDS:
        return "eligibility"  # an eligibility line lists prior therapies; the trial's drug is elsewhere
    text = _SEQUENCE_FAILURE.sub(lambda m: " " * len(m.group()), clause)
    if _SEQUENCE_NEGATIVE.search(text):
        return "negative"
    if therapy_id != CLINICAL_TRIAL_ID and _SEQUENCE_RESEARCH.search(text):
        return "research"
    if _SEQUENCE_ADMITTED.search(text):
        return "eligibility"
    if section_kind in ("abstract", "title") and not _SEQUENCE_ADVICE.search(text):
        return "finding"  # an abstract reporting what a study of X after Y found is evidence, not advice
    return None


# Advice wording that makes an abstract's sentence a statement of what to do next (not a study's finding).
_SEQUENCE_ADVICE = re.compile(r"\b(?:recommend\w*|should\s+be|is\s+an?\s+(?:option|alternative|choice)|"
                              r"are\s+(?:options|alternatives)|standard\s+of\s+care|treatment\s+of\s+choice|"
                              r"(?:can|may)\s+be\s+(?:considered|offered|used))\b", re.I)


def _failed_therapies(sv: SentenceView, mentions: list[MentionView]) -> list[str]:
    """Ids of therapies the sentence says have failed ('after ESA failure', 'refractory to HMA')."""
    failed: list[str] = []
    previous_failed = False
    for index, m in enumerate(mentions):
        if not _is_therapy(m):
            previous_failed = False
            continue
        before = sv.text[max(0, sv.rel(m.start) - 80) : sv.rel(m.start)]
        after = sv.text[sv.rel(m.end) : sv.rel(m.end) + 40]
        # "after failure of X or Y": a therapy listed right after a failed one shares its fate.
        glued = previous_failed and re.fullmatch(r"\s*,?\s*(?:or|and|and/or)\s*(?:the\s+)?",
                                                 sv.between(mentions[index - 1], m), re.I)
        later = sv.text[sv.rel(m.end) : sv.rel(m.end) + 90]
        is_failed = bool(FAILURE_BEFORE.search(before) or FAILURE_AFTER.match(after) or glued
                         or _FAILURE_LATER.match(later))
        if is_failed and m.concept_id not in failed:
            failed.append(m.concept_id)
        previous_failed = is_failed
    return failed


class SequenceRules(RuleBase):
    """NEXT_AFTER_FAILURE rules (mixed into RelationRules)."""

    def _next_after_failure(self, sv, mentions, evidence, doc_concepts, failed, components, out) -> None:
        if not failed:
            return
        for mention in mentions:
            if not _is_therapy(mention) or mention.concept_id in failed or mention.concept_id in components:
                continue
            if _is_condition_therapy(sv, mention) or mention.negated:
                continue  # "switching to X after Y failure is not effective"
            if sequence_blocked(_clause_text(sv, mention.start), mention.concept_id, sv.section_kind):
                continue
            for f_id in failed:
                f_label = self.label(f_id) or ""
                for t_r in self.resolve(mention, doc_concepts):
                    self._emit(out, "NEXT_AFTER_FAILURE", (f_id, f_label, False), t_r, 0.75, evidence,
                               hedged=mention.hedged)

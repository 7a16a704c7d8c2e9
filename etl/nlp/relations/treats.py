"""Rule family TREATS / NOT_ESTABLISHED_FOR (therapy → population).

Where a recommendation cue is bound to its therapy the relation follows the recommendation (same
polarity, same population). Elsewhere only a looser TREATS ("X is used to treat P"), and only where
nothing in the clause turns the statement around ("did not improve", "stopped for futility", a
negated cue), the therapy is not a trial's subject, a comparator, part of a combination or a past
event, and, in abstracts, the clause claims an effect rather than describes who was studied.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from etl.nlp.literals import Prefiltered
from etl.nlp.relations.cues import _POPULATION_CONTRAST, NEGATIVE_STRENGTHS, POPULATION_LABELS
from etl.nlp.relations.predictors import NEGATIVE_RESPONSE
from etl.nlp.relations.recommendations import RecommendationRules
from etl.nlp.relations.shared import (
    _clauses,
    _is_comparator,
    _is_condition_therapy,
    _is_therapy,
    _populations,
    _without_citations,
)
from etl.nlp.relations.views import MentionView, SentenceView
from mdskg.records import ExtractedRecommendation

# Abstract wording for TREATS: a claim of effect is needed, a study's description or a weak effect is not one.
_EFFECT_CLAIM = re.compile(r"\b(?:effective|efficacious|activity|active|efficacy|improv\w+|benefi\w+|prolong\w*"
                           r"|standard|approved|indicated|option|choice|induc\w+|respon\w+|remission|superior)\b", re.I)
_LIMITED_EFFECT = re.compile(r"\b(?:limited|modest|minimal|poor|low|no|lack\s+of|little|disappointing|not|suboptimal"
                             r"|inadequate|insufficient|unsatisfactory)\s+(?:\w+\s+)?(?:activity|efficacy|benefit|effect"
                             r"|response)|\b(?:inadequac(?:y|ies)|shortcomings?)\s+of\b"
                             r"|\b(?:rarely|seldom|infrequently)\s+(?:durable|effective|sustained|lasting)\b", re.I)
_STUDY_DESCRIPTION = re.compile(
    r"\b(?:patients|cases|subjects|cohort|series)\s+(?:\w+\s+){0,5}?(?:treated|receiving|who\s+received)\s+(?:with\s+)?"
    r"|\b(?:we\s+(?:report|describe|analy[sz]ed|studied|reviewed|evaluated|examined|compared)|retrospective"
    r"|the\s+objective|aim\s+of)\b"
    # whom the study treated or assigned: "we prospectively treated 48 patients with ...", "were randomised to"
    r"|\bwe\s+(?:prospectively\s+|retrospectively\s+|then\s+)?(?:treated|enrolled|gave|randomi[sz]ed|assigned|included"
    r"|recruited)\b|\b(?:were|was)\s+(?:randomly\s+)?(?:randomi[sz]ed|assigned|enrolled|allocated)\b",
    re.I,
)
# In an abstract, a statement of regulatory status ("for disease Y, X is the sole FDA-approved drug", "X is approved
# for Y mostly because of subgroup results") is background to the study, not its finding: no TREATS edge
# (the abstract's own result decides what it says about the therapy).
_APPROVAL_BACKGROUND = re.compile(
    r"\b(?:(?:FDA|EMA|regulatory)[\s-]+approv\w*|approv(?:ed|al)\s+(?:by|from)\s+the\s+(?:FDA|EMA)"
    r"|(?:are|is|was|were|remains?|currently)\s+(?:currently\s+)?(?:the\s+)?(?:only\s+)?approved\b"
    r"|approved\s+for\b[^.;]{0,80}?\b(?:largely|mainly|partly|based\s+on|on\s+the\s+(?:strength|basis)\s+of))",
    re.I,
)
# Therapy names that in abstracts are almost never the therapy ("results of the clinical trials").
_GENERIC_IN_LITERATURE = frozenset({"MDSKG:therapy/clinical-trial", "MDSKG:therapy/watchful-waiting"})

# A clause whose statement is turned around: a negative trial result, a negated cue, a stopped trial.
_REVERSED = Prefiltered(re.compile(
    r"\b(?:not|no|never|nor|cannot|failed|fail|futility|stopped|discontinu\w*|worse|worsened|inferior"
    r"|ineffective|unproven|uncertain|unknown|unclear|investigational|experimental)\b|n't\b", re.I))

TREAT_CUE = re.compile(
    r"\b(?:treat\w*|therap\w*|options?|recommend\w*|approv\w*|indicated|used\s+(?:to\s+treat|for|in)|(?:is|are)\s+given"
    r"|offer\w*|benefit\w*|effective|efficacy|activity|respon\w*|improv\w*|first[\s-]line|second[\s-]line"
    r"|front[\s-]?line"
    r"|standard|consider\w*|suggest\w*|preferred|candidates?|curative|cure|manag\w*|mainstay|reserved)\b",
    re.I,
)


def _treat_cue_outside_mentions(sv: SentenceView, mentions: Sequence[MentionView], start: int = 0,
                                end: int | None = None) -> bool:
    """A treatment word in sv.text[start:end] that is not part of a name ('immunosuppressive
    therapy' is not a cue)."""
    text = list(_without_citations(sv.text))
    for m in mentions:
        for i in range(max(0, sv.rel(m.start)), min(len(text), sv.rel(m.end))):
            text[i] = " "
    return bool(TREAT_CUE.search("".join(text)[start:end]))


_TRIAL_OR_EVENT_BEFORE = re.compile(
    r"\b(?:trials?|stud(?:y|ies)|analys[ie]s|cohorts?)\s+(?:of|with|testing|comparing)\s+(?:[\w-]+\s+){0,4}$"
    r"|\b(?:before|until|since)\s+(?:the\s+)?$", re.I)
_FOR_AFTER = re.compile(r"\s*(?:\([^()]{1,30}\)\s*)?for\s+", re.I)

_COMBINATION_BEFORE = re.compile(r"\b(?:combin\w*|adding|addition\s+of|added\s+to|together\s+with)\b", re.I)


def _in_combination(sv: SentenceView, m: MentionView) -> bool:
    """'Eltrombopag combined with azacitidine is not recommended …': the claim is about the
    combination, so the added drug is not the subject of the recommendation."""
    clause = next(((a, b) for a, b in _clauses(sv) if a <= sv.rel(m.start) < b), (0, len(sv.text)))
    return bool(_COMBINATION_BEFORE.search(sv.text[clause[0] : sv.rel(m.start)]))


class TreatsRules(RecommendationRules):
    """TREATS / NOT_ESTABLISHED_FOR rules (mixed into RelationRules)."""

    def _treats(self, sv, mentions, evidence, doc_concepts, failed, components, out
                ) -> list[list[ExtractedRecommendation]]:
        """TREATS / NOT_ESTABLISHED_FOR. Where a recommendation cue is bound to its therapy the
        relation follows the recommendation (same polarity, same population; no negative relation
        for a population the recommendation could not keep unqualified). Elsewhere only a looser
        TREATS ('X is used to treat P'), and only where nothing in the clause turns the statement
        around ('did not improve', 'stopped for futility', a negated cue) and the therapy is not
        the subject of a trial, a comparator or a past event ('before azacitidine was approved').

        Returns the recommendations of each bound cue (see _sentence_relations)."""
        bound_clauses = set()
        bound: list[list[ExtractedRecommendation]] = []
        background = sv.section_kind in ("abstract", "title") and _APPROVAL_BACKGROUND.search(sv.text) is not None
        for binding in self.bindings(sv, mentions, failed, components):
            bound_clauses.add(binding.clause)
            bound.append(self._binding_recommendations(sv, mentions, binding, failed, evidence, doc_concepts))
            if background:
                continue  # an abstract's background on approval: no edge (see _APPROVAL_BACKGROUND)
            for rec in bound[-1]:
                rel_type = "NOT_ESTABLISHED_FOR" if rec.strength in NEGATIVE_STRENGTHS else "TREATS"
                for population_id in rec.population_ids:
                    self._emit(out, rel_type, (rec.therapy_id, self.label(rec.therapy_id) or "", False),
                               (population_id, self.label(population_id) or "", False), 0.8, evidence,
                               strength=rec.strength)
            if binding.strength not in NEGATIVE_STRENGTHS:  # "approved for AML, …": other diseases, positive only
                positive, _ = self._binding_populations(sv, mentions, binding)
                for population in (m for m in positive if not self.is_mds_population(m.concept_id)):
                    for therapy in binding.subjects:
                        for t_r in self.resolve(therapy, doc_concepts):
                            self._emit(out, "TREATS", t_r, (population.concept_id, population.label, False), 0.7,
                                       evidence, strength=binding.strength)
        if NEGATIVE_RESPONSE.search(sv.text):
            return bound  # "X seldom works in ring-sideroblast MDS" is not "X treats it"
        literature = sv.section_kind in ("abstract", "title")
        if background:
            return bound
        for clause_start, clause_end in _clauses(sv):
            clause = _without_citations(sv.text[clause_start:clause_end])
            if (clause_start, clause_end) in bound_clauses or _REVERSED.search(clause) or \
                    not _treat_cue_outside_mentions(sv, mentions, clause_start, clause_end):
                continue
            if literature and (_LIMITED_EFFECT.search(clause) or _STUDY_DESCRIPTION.search(clause)
                               or not _EFFECT_CLAIM.search(clause)):
                # In an abstract, "48 patients treated with X" describes who was studied and "X has limited
                # activity" is not a finding that X treats them: neither is a TREATS edge.
                continue
            in_clause = [m for m in mentions if clause_start <= sv.rel(m.start) < clause_end]
            therapies = [m for m in in_clause if _is_therapy(m) and m.concept_id not in failed
                         and not (literature and m.concept_id in _GENERIC_IN_LITERATURE)
                         and m.concept_id not in components and not _is_condition_therapy(sv, m)
                         and not _in_combination(sv, m) and not _is_comparator(sv, m) and not m.negated
                         and not _TRIAL_OR_EVENT_BEFORE.search(sv.text[max(0, sv.rel(m.start) - 60) : sv.rel(m.start)])]
            candidates = [m for m in in_clause if m.label in POPULATION_LABELS] or \
                [m for m in mentions if m.label in POPULATION_LABELS]
            populations = [m for m in _populations(candidates, sv) if not m.negated and not _POPULATION_CONTRAST.search(
                sv.text[max(0, sv.rel(m.start) - 30) : sv.rel(m.start)])]
            for index, therapy in enumerate(therapies):
                paired = populations
                if _FOR_AFTER.match(sv.text[sv.rel(therapy.end) : sv.rel(therapy.end) + 30]):
                    # "lenalidomide for del(5q) MDS, luspatercept for MDS-RS": each therapy its own population
                    stop = therapies[index + 1].start if index + 1 < len(therapies) else sv.start + clause_end
                    punctuation = re.search(r"[,;]", sv.text[sv.rel(therapy.end) : sv.rel(stop)])
                    if punctuation:
                        stop = therapy.end + punctuation.start()
                    paired = [m for m in populations if therapy.end <= m.start < stop]
                for population in paired:
                    confidence = 0.55 - (0.15 if therapy.hedged or population.hedged else 0)
                    for t_r in self.resolve(therapy, doc_concepts):
                        self._emit(out, "TREATS", t_r, (population.concept_id, population.label, False), confidence,
                                   evidence, hedged=therapy.hedged)
        return bound

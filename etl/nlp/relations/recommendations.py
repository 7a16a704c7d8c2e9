"""Rule family: recommendations (`ExtractedRecommendation`) from bound cues.

    <Therapy> is an option for / is recommended for / may be considered for <population>
    <Therapy> is not recommended for / is not an established treatment for <population>

For each Binding (bindings.py): the populations its phrase names (and those named as the
exception: "approved for AML, not for MDS"), the line of therapy (first line, maintenance, after
failure of a therapy the sentence names), and the qualifiers (qualifiers.py) that narrow the
population or become criteria. Polarity is the cue's, never that of another negation in the
sentence; investigational uses ("in clinical trials") are no recommendation; only MDS populations
receive recommendations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from etl.nlp.relations.bindings import Binding, BindingRules
from etl.nlp.relations.criteria import _unique_criteria
from etl.nlp.relations.cues import (
    _OUTCOME_BEFORE,
    _POPULATION_CONTRAST,
    CLINICAL_TRIAL_ID,
    MDS_ID,
    NEGATIVE_STRENGTHS,
    POPULATION_LABELS,
    THERAPY_LABELS,
)
from etl.nlp.relations.includes import IncludesRules
from etl.nlp.relations.qualifiers import QualifierRules
from etl.nlp.relations.sequences import _failed_therapies
from etl.nlp.relations.shared import _dedupe, _in_ranges, _populations, _without_citations
from etl.nlp.relations.views import MentionView, SentenceView
from mdskg.records import ExtractedCriterion, ExtractedRecommendation

_RELAPSED_REFRACTORY = re.compile(r"\b(?:relapsed\s+(?:or|and|and/or|/)\s+refractory|refractory\s+(?:or|and)\s+relapsed"
                                  r"|R/R)\b", re.I)
_FOR_WHICH = re.compile(r"\b(?:for|in)\s+(?:which|whom)\s*$", re.I)

LINE_FIRST = re.compile(r"\b(?:first[\s-]line|up[\s-]?front|front[\s-]?line|initial\s+(?:therapy|treatment))\b", re.I)
LINE_MAINTENANCE = re.compile(r"\bmaintenance\b", re.I)

_INVESTIGATIONAL = re.compile(r"\b(?:investigational|experimental|under\s+investigation|being\s+(?:studied|tested))\b",
                              re.I)
_TRIAL_SETTING = re.compile(r"\b(?:in|within|through|on|as\s+part\s+of|in\s+the\s+(?:setting|context)\s+of)\s+"
                            r"(?:an?\s+|the\s+)?"
                            r"(?:\w+\s+)?$", re.I)


def _unique_recommendations(per_binding: Iterable[Iterable[ExtractedRecommendation]]
                            ) -> list[ExtractedRecommendation]:
    """The first recommendation of each (therapy, populations, strength, line), in order."""
    unique: dict[tuple, ExtractedRecommendation] = {}
    for recommendations in per_binding:
        for rec in recommendations:
            unique.setdefault((rec.therapy_id, rec.population_ids, rec.strength, rec.line), rec)
    return list(unique.values())


class RecommendationRules(IncludesRules, BindingRules, QualifierRules):
    """Recommendations of the bound cues of a sentence (mixed into RelationRules)."""

    def sentence_recommendations(self, sv: SentenceView, source_id: str,
                                 document_concepts: set[str]) -> list[ExtractedRecommendation]:
        """Recommendations whose cue is bound to a therapy (see SUBJECT_CUES / OBJECT_CUES).

        The population is the one the cue's phrase names; a population qualified by a marker
        ('lower-risk MDS with del(5q)', 'without del(5q)', 'especially those with a hypocellular
        marrow') is narrowed to the PatientGroup the ontology defines by those criteria, or
        carries them as criteria of its own. A qualifier that cannot be read as a criterion drops
        the recommendation: never the unqualified population. Only MDS populations (MDS, its risk
        categories, subtypes and patient groups) receive recommendations."""
        mentions = _dedupe(sv.mentions, sv)
        if not any(m.label in POPULATION_LABELS for m in mentions):
            return []
        failed = _failed_therapies(sv, mentions)
        components = self._component_ids(sv, mentions, document_concepts)
        evidence = self.evidence(sv, source_id)
        return _unique_recommendations(
            self._binding_recommendations(sv, mentions, binding, failed, evidence, document_concepts)
            for binding in self.bindings(sv, mentions, failed, components))

    def _binding_populations(self, sv, mentions, binding: Binding) -> tuple[list[MentionView], list[MentionView]]:
        """(populations the cue is about, populations named as the exception: '…, not for MDS')."""
        in_region = [m for m in mentions if m.label in POPULATION_LABELS and _in_ranges(sv.rel(m.start), binding.region)
                     and not _OUTCOME_BEFORE.search(sv.text[max(0, sv.rel(m.start) - 100) : sv.rel(m.start)])]
        if not in_region and _FOR_WHICH.search(sv.text[: binding.clause[0]]):
            # "IST is not a standard treatment for higher-risk MDS, for which HMAs are the first-line treatment"
            before = [m for m in mentions if m.label in POPULATION_LABELS and sv.rel(m.end) <= binding.clause[0]]
            in_region = before[-1:]
        positive, contrasted = [], []
        for m in in_region:
            lead = sv.text[max(0, sv.rel(m.start) - 30) : sv.rel(m.start)]
            (contrasted if _POPULATION_CONTRAST.search(lead) else positive).append(m)
        return positive, contrasted

    def _binding_recommendations(self, sv, mentions, binding: Binding, failed, evidence,
                                 document_concepts) -> list[ExtractedRecommendation]:
        positive, contrasted = self._binding_populations(sv, mentions, binding)
        negative = binding.strength in NEGATIVE_STRENGTHS
        subject_ids = {m.concept_id for m in binding.subjects}
        failed_here = [f for f in failed if f not in subject_ids]
        region_text = _without_citations(" ".join(sv.text[x:y] for x, y in binding.region))
        clause_text = _without_citations(sv.text[binding.clause[0] : binding.clause[1]])
        if failed_here or _RELAPSED_REFRACTORY.search(region_text):
            line = "after_failure"
        elif LINE_FIRST.search(clause_text):
            line = "first_line"
        elif LINE_MAINTENANCE.search(clause_text):
            line = "maintenance"
        else:
            line = None
        after = self._failed_therapy_id(sv, failed_here, document_concepts) if failed_here else None

        if not negative and self._investigational(sv, mentions, binding):
            return []  # "an option for higher-risk MDS in clinical trials": investigational, not a recommendation
        qualifiers, unreadable = self._qualifiers(sv, mentions, binding, positive + contrasted, document_concepts)
        chosen = _populations([m for m in positive if self.is_mds_population(m.concept_id)])
        dropped_mds = [m for m in positive if m.concept_id == MDS_ID and m not in chosen]
        if unreadable & {id(m) for m in chosen + dropped_mds}:
            return []  # a qualifier we cannot read: better nothing than the unqualified population
        general = [q for q in qualifiers if q.anchor is None or q.anchor in dropped_mds]
        out: list[ExtractedRecommendation] = []
        for population in chosen:
            own = [q for q in qualifiers if q.anchor is population]
            # Only a condition on this population's own phrase narrows it ("lower-risk MDS with del(5q)");
            # one on a broader mention ("lower-risk patients with MDS who harbor del(5q)") is a criterion.
            population_id, absorbed = self._narrow(self._risk_range(population, own), own)
            criteria = [q.criterion(evidence) for q in own + general if id(q) not in absorbed]
            if after:
                criteria.append(ExtractedCriterion("failed_therapies", "contains", after, None, "required",
                                                   self._therapy_text(sv, after), evidence, after))
            if negative and any(c.variable != "failed_therapies" for c in criteria) and not self.qualified_negatives:
                continue  # consumers state negatives without their criteria: a qualified "not" would read as general
            out += self._emit_recommendations(binding, binding.strength, population_id, criteria, line, after,
                                              evidence, sv, document_concepts)
        if not negative:
            for population in contrasted:
                if not self.is_mds_population(population.concept_id) or \
                        any(q.anchor is population for q in qualifiers) or id(population) in unreadable:
                    continue
                out += self._emit_recommendations(binding, "not_established", population.concept_id, [], None, None,
                                                  evidence, sv, document_concepts)
        return out

    def _investigational(self, sv, mentions, binding: Binding) -> bool:
        """The cue's phrase places the therapy in clinical trials or calls it investigational."""
        if any(m.concept_id == CLINICAL_TRIAL_ID for m in binding.subjects):
            return False
        clause = _without_citations(sv.text[binding.clause[0] : binding.clause[1]])
        if _INVESTIGATIONAL.search(clause):
            return True
        for m in mentions:
            if m.concept_id == CLINICAL_TRIAL_ID and _in_ranges(sv.rel(m.start), binding.region) and \
                    _TRIAL_SETTING.search(sv.text[max(0, sv.rel(m.start) - 30) : sv.rel(m.start)]):
                return True
        return False

    def _emit_recommendations(self, binding, strength, population_id, criteria, line, after, evidence, sv,
                              document_concepts) -> list[ExtractedRecommendation]:
        out = []
        for therapy in binding.subjects:
            for concept_id, label, _ in self.resolve(therapy, document_concepts):
                if label not in THERAPY_LABELS:
                    continue
                out.append(ExtractedRecommendation(
                    therapy_id=concept_id, population_ids=(population_id,), strength=strength, evidence=evidence,
                    criteria=tuple(_unique_criteria(criteria)), line=line,
                    after_therapy_id=after if line == "after_failure" else None, citations=sv.citations))
        return out

    def _failed_therapy_id(self, sv, failed: Sequence[str], document_concepts) -> str | None:
        """The therapy that failed, a Term resolved to the therapy class when it is ambiguous
        ('erythropoietin-based therapy' → ESA)."""
        for concept_id in failed:
            mention = next((m for m in sv.mentions if m.concept_id == concept_id), None)
            if mention is None:
                continue
            resolved = self.resolve(mention, document_concepts)
            if not resolved and mention.label == "Term":
                resolved = [r for r in self.resolve(mention, document_concepts, expand=True) if r[1] == "Therapy"]
            if resolved:
                return resolved[0][0]
        return None

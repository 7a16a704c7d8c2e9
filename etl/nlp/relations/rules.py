"""`RelationRules`: the rule families composed, and a whole document.

The class is the mixins of the families (each module's docstring says what it holds) over
`RuleBase` (base.py); the methods here only sequence them: `sentence_relations` runs the relation
families on one sentence, and `document` runs relations, recommendations and criteria on every
sentence, then attaches to each positive recommendation the `favours` / `excludes` conditions other
sentences state about its therapy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from etl.nlp.relations.criteria import CriteriaRules, _unique_criteria
from etl.nlp.relations.cues import POPULATION_LABELS, POSITIVE_STRENGTHS, RISK_VARIABLES
from etl.nlp.relations.descriptive import DescriptiveRules
from etl.nlp.relations.predictors import PredictorRules
from etl.nlp.relations.recommendations import _unique_recommendations
from etl.nlp.relations.sequences import SequenceRules, _failed_therapies
from etl.nlp.relations.shared import _dedupe
from etl.nlp.relations.treats import TreatsRules
from etl.nlp.relations.views import MentionView, SentenceView
from mdskg.records import ExtractedCriterion, ExtractedRecommendation, Relation


@dataclass
class DocumentResult:
    relations: list[Relation] = field(default_factory=list)
    recommendations: list[ExtractedRecommendation] = field(default_factory=list)
    criteria: list[ExtractedCriterion] = field(default_factory=list)


def _relation_key(r: Relation) -> tuple:
    return (r.type, r.subject_id, r.object_id, r.evidence.source_id, r.evidence.start, r.negated)


def _unique_relations(relations: Iterable[Relation]) -> list[Relation]:
    best: dict[tuple, Relation] = {}
    for r in relations:
        key = _relation_key(r)
        if key not in best or r.confidence > best[key].confidence:
            best[key] = r
    return list(best.values())


class RelationRules(TreatsRules, SequenceRules, PredictorRules, DescriptiveRules, CriteriaRules):
    """Sentence rules bound to an ontology (for allowed pairs, labels and concept properties)."""

    def sentence_relations(self, sv: SentenceView, source_id: str, document_concepts: set[str]) -> list[Relation]:
        return self._sentence_relations(sv, source_id, document_concepts)[0]

    def _sentence_relations(self, sv: SentenceView, source_id: str, document_concepts: set[str]
                            ) -> tuple[list[Relation], list[MentionView], list[list[ExtractedRecommendation]]]:
        """sentence_relations(), with the merged mentions and the recommendations of each bound
        cue: TREATS needs those recommendations too, and document() takes them from here rather
        than bind the cues again in sentence_recommendations() (same inputs, same result)."""
        mentions = _dedupe(sv.mentions, sv)
        evidence = self.evidence(sv, source_id)
        out: list[Relation] = []
        failed = _failed_therapies(sv, mentions)
        components = self._includes_drug(sv, mentions, evidence, document_concepts, out)
        self._context_includes(sv, mentions, evidence, document_concepts, out)
        bound = self._treats(sv, mentions, evidence, document_concepts, failed, components, out)
        self._next_after_failure(sv, mentions, evidence, document_concepts, failed, components, out)
        self._predicts_response(sv, mentions, evidence, document_concepts, out)
        self._side_effects(sv, mentions, evidence, document_concepts, out)
        self._associations(sv, mentions, evidence, document_concepts, out)
        self._alternatives(sv, mentions, evidence, document_concepts, out)
        self._risk_schemes(sv, mentions, evidence, out)
        self._progression(sv, mentions, evidence, out)
        return _unique_relations(out), mentions, bound

    def document(self, sentences: Sequence[SentenceView], source_id: str, *, trial: bool = False) -> DocumentResult:
        result = DocumentResult()
        concepts = {m.concept_id for sv in sentences for m in sv.mentions}
        by_therapy: dict[str, list[ExtractedCriterion]] = defaultdict(list)
        for sv in sentences:
            eligibility = sv.section_kind in ("inclusion", "exclusion", "eligibility")
            relations, mentions, bound = self._sentence_relations(sv, source_id, concepts)
            result.relations += relations
            # == sentence_recommendations(sv, source_id, concepts), from the cues bound above
            recommendations = [] if eligibility or not any(m.label in POPULATION_LABELS for m in mentions) \
                else _unique_recommendations(bound)
            result.recommendations += recommendations
            for rec in recommendations:
                result.criteria += rec.criteria
            if trial and not eligibility:
                continue  # a registry record's conditions are its eligibility criteria
            for therapy_ids, criterion in self.sentence_criteria(sv, source_id, concepts, eligibility=eligibility,
                                                                 recommendation=bool(recommendations)):
                result.criteria.append(criterion)
                if recommendations:
                    continue  # a recommendation sentence's conditions belong to that recommendation alone
                for therapy_id in therapy_ids:
                    by_therapy[therapy_id].append(criterion)
        result.relations = _unique_relations(result.relations)
        result.criteria = _unique_criteria(result.criteria)
        result.recommendations = self._attach_criteria(result.recommendations, by_therapy, result.relations)
        return result

    def _attach_criteria(self, recommendations, by_therapy, relations) -> list[ExtractedRecommendation]:
        """A positive recommendation keeps the criteria of its own sentence and gains, from other
        sentences of the document about the same therapy (or a drug the therapy includes):
        `favours`/`excludes` conditions (who responds, who should not get it), and `required`
        risk-category conditions that fall inside its population's risk group ('IPSS low or
        intermediate-1' for a lower-risk population). Other `required` conditions stated elsewhere
        (a trial's entry criteria, another recommendation's population) are not carried over: they
        would exclude the very patients this recommendation is for. Negative recommendations get
        nothing: a 'favours' condition on them would read as advice to use it."""
        includes = defaultdict(set)
        for r in relations:
            if r.type == "INCLUDES_DRUG" and not r.negated:
                includes[r.subject_id].add(r.object_id)
        out = []
        for rec in recommendations:
            if rec.strength not in POSITIVE_STRENGTHS:
                out.append(rec)
                continue
            pool = list(by_therapy.get(rec.therapy_id, []))
            for drug_id in sorted(includes.get(rec.therapy_id, ())):
                pool += by_therapy.get(drug_id, [])
            own = {c.variable for c in rec.criteria}
            group = self.population_risk_group(rec.population_ids)
            carried = [c for c in pool if c.variable not in own and (
                c.role in ("favours", "excludes")
                or (c.role == "required" and group is not None and self._within_risk_group(c, group)))]
            # The same condition stated in several sentences is attached once (the first statement).
            unique = {(c.variable, c.operator, repr(c.value), c.role): c for c in reversed(carried)}
            ordered = [c for c in carried if unique.get((c.variable, c.operator, repr(c.value), c.role)) is c]
            out.append(replace(rec, criteria=tuple(rec.criteria) + tuple(ordered)))
        return out

    def _within_risk_group(self, criterion: ExtractedCriterion, group: str) -> bool:
        if criterion.variable not in RISK_VARIABLES or criterion.operator not in ("==", "in"):
            return False
        values = criterion.value if isinstance(criterion.value, (list, tuple)) else [criterion.value]
        if criterion.variable == "risk_group":
            return all(str(v) == group for v in values)
        return bool(values) and all(self._risk_groups.get((criterion.variable, str(v))) == group for v in values)

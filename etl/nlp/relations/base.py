"""`RuleBase`: the ontology access shared by every rule family, and the extractor's version.

Each family (includes, bindings, recommendations, qualifiers, treats, sequences, predictors,
descriptive, criteria) is a mixin over `RuleBase`; `RelationRules` (rules.py) composes them. The
base holds what they all need: which (type, from, to) pairs model.yaml allows, labels and
properties of concepts, the resolution of a Term to what it may refer to, the Evidence of a
sentence, and `_emit`, which appends a Relation only when the ontology allows its pair.

`VERSION` is the version of the rules as a whole (it is in every Evidence's extractor): bump it
when any family's behaviour changes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from etl.nlp.relations.cues import MDS_ID, THERAPY_LABELS
from etl.nlp.relations.views import MentionView, SentenceView
from mdskg.records import Evidence, Relation

VERSION = "0.8.3"
EXTRACTOR = f"rules@{VERSION}"


class RuleBase:
    """What every rule family needs from the ontology: allowed (type, from, to) pairs, labels,
    concept properties, Term resolution, Evidence for a sentence and `_emit` of a checked Relation."""

    def __init__(self, ontology, extractor: str = EXTRACTOR, qualified_negatives: bool = False):
        """`qualified_negatives`: keep a negative recommendation whose population carries criteria
        ('not the preferred first choice for lower-risk MDS without del(5q)'). Off by default:
        negatives are stated without their criteria downstream, where such a one would read as a
        statement about the whole population."""
        self.ontology = ontology
        self.extractor = extractor
        self.qualified_negatives = qualified_negatives
        self._groups = sorted((c for c in ontology.concepts.values() if c.label == "PatientGroup"), key=lambda c: c.id)
        self._risk_groups = {(c.properties["variable"], str(c.properties["value"])): c.properties["group"]
                             for c in ontology.concepts.values() if c.label == "RiskCategory" and c.properties
                             and c.properties.get("variable") and c.properties.get("group")}
        self._variable_concepts = self._concepts_by_variable()
        self._term_targets = self._may_refer_to()

    def allowed(self, rel_type: str, from_label: str, to_label: str) -> bool:
        spec = self.ontology.relationship_types.get(rel_type)
        return bool(spec and (from_label, to_label) in spec.pairs)

    def label(self, concept_id: str) -> str | None:
        concept = self.ontology.concepts.get(concept_id)
        return concept.label if concept else None

    def _concepts_by_variable(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for concept in sorted(self.ontology.concepts.values(), key=lambda c: c.id):
            variable = (concept.properties or {}).get("variable")
            if concept.label == "Biomarker" and isinstance(variable, str) and "value" not in concept.properties:
                found.setdefault(variable, concept.id)
        return found

    def _may_refer_to(self) -> dict[str, list[str]]:
        targets: dict[str, list[str]] = defaultdict(list)
        for edge in getattr(self.ontology, "edges", []) or []:
            if edge.type == "MAY_REFER_TO":
                targets[edge.subject].append(edge.object)
        for concept in self.ontology.concepts.values():
            if concept.label == "Term" and concept.id not in targets:
                targets[concept.id] = self._targets_by_name(concept)
        return dict(targets)

    def _targets_by_name(self, term) -> list[str]:
        """Without MAY_REFER_TO edges: drugs/therapies having a form that contains the term's name
        as a word ('horse ATG' for ATG)."""
        word = re.compile(rf"(?<![\w-]){re.escape(term.name)}(?![\w-])")
        found = []
        for concept in self.ontology.concepts.values():
            if concept.label in THERAPY_LABELS and any(word.search(text) for text, _ in concept.forms()):
                found.append(concept.id)
        return sorted(found)

    def resolve(self, mention: MentionView, document_concepts: set[str], expand: bool = False,
                labels: Sequence[str] = THERAPY_LABELS) -> list[tuple[str, str, bool]]:
        """(concept_id, label, via_term) for a mention in a slot that takes `labels`.

        A Term stands for what it may refer to, kept to the candidates of the slot's labels and
        narrowed to those the document itself names; when more than one remains the Term is
        ambiguous and resolves to nothing, except with `expand=True` (class membership, where every
        meaning holds: 'IST uses ATG' is true of horse and of rabbit ATG)."""
        if mention.label != "Term":
            return [(mention.concept_id, mention.label, False)]
        candidates = [c for c in self._term_targets.get(mention.concept_id, []) if self.label(c) in labels]
        named = [c for c in candidates if c in document_concepts]
        chosen = named or candidates
        if len(chosen) > 1 and not expand:
            return []
        return [(c, self.label(c), True) for c in chosen]

    def evidence(self, sv: SentenceView, source_id: str) -> Evidence:
        return Evidence(source_id=source_id, sentence=sv.text, start=sv.start, end=sv.end, extractor=self.extractor,
                        section=sv.section, citations=sv.citations)

    def _emit(self, out, rel_type, subj, obj, confidence, evidence, negated=False, hedged=False, **props):
        (s_id, s_label, s_term), (o_id, o_label, o_term) = subj, obj
        if s_id == o_id or not self.allowed(rel_type, s_label, o_label):
            return
        if s_term or o_term:
            props["via_term"] = True
            confidence *= 0.7
        out.append(Relation(rel_type, s_id, o_id, round(min(confidence, 0.99), 2), evidence, negated, hedged,
                            {k: v for k, v in props.items() if v is not None}))

    def _properties(self, concept_id: str) -> dict:
        concept = self.ontology.concepts.get(concept_id)
        return dict(concept.properties or {}) if concept else {}

    def is_mds_population(self, concept_id: str) -> bool:
        label = self.label(concept_id)
        return concept_id == MDS_ID or label in ("PatientGroup", "RiskCategory", "Subtype")

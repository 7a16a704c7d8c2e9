"""Rule families that describe the domain rather than advise: ALTERNATIVE_TO (therapy → therapy),
the structure of risk schemes (USES_VARIABLE, HAS_CATEGORY, IN_RISK_GROUP, the last two only when
the ontology's category properties agree) and PROGRESSES_TO (disease → disease: "RARS evolve to
acute myeloid leukemia").
"""

from __future__ import annotations

import re
from itertools import pairwise

from etl.nlp.relations.base import RuleBase
from etl.nlp.relations.cues import _OUTCOME_BEFORE
from etl.nlp.relations.shared import _is_comparator

ALTERNATIVE_CUE = re.compile(
    r"^[\s,]*(?:is\s+|are\s+|as\s+)?(?:an?\s+)?(?:alternative\s+to|instead\s+of|rather\s+than|versus|vs\.?"
    r"|compared\s+(?:with|to)|or\s+(?:an?\s+)?(?:alternative|other))[\s,]*(?:the\s+|an?\s+)?$",
    re.I,
)
SCHEME_INPUT_CUE = re.compile(
    r"\b(?:incorporat\w*|uses?|using|includ\w*|based\s+on|scor\w*|variables?|weight\w*|considers?"
    r"|takes?\s+into\s+account|compris\w*|components?|calculated\s+from|inputs?)\b", re.I)
RISK_GROUP_CUE = re.compile(r"defined\s+as|i\.e\.|that\s+is|namely|\(|includ\w*|compris\w*|consist\w*|groups?\b",
                            re.I)


class DescriptiveRules(RuleBase):
    """ALTERNATIVE_TO, risk-scheme and PROGRESSES_TO rules (mixed into RelationRules)."""

    def _alternatives(self, sv, mentions, evidence, doc_concepts, out) -> None:
        therapies = [m for m in mentions if m.label == "Therapy"]
        for a, b in pairwise(therapies):
            gap = sv.between(a, b)
            if ALTERNATIVE_CUE.match(gap):
                self._emit(out, "ALTERNATIVE_TO", (b.concept_id, "Therapy", False), (a.concept_id, "Therapy", False),
                           0.6, evidence, cue=gap.strip())

    def _risk_schemes(self, sv, mentions, evidence, out) -> None:
        """USES_VARIABLE (scheme → marker it scores), HAS_CATEGORY and IN_RISK_GROUP, the last two
        only when the ontology's own category properties agree (scheme, group)."""
        schemes = [m for m in mentions if m.label == "RiskScheme" and not _is_comparator(sv, m)]
        categories = [m for m in mentions if m.label == "RiskCategory" and not m.negated]
        if schemes and SCHEME_INPUT_CUE.search(sv.text):
            for scheme in schemes:
                for marker in (m for m in mentions if m.label == "Biomarker" and not m.negated):
                    if marker.start > scheme.start:
                        self._emit(out, "USES_VARIABLE", (scheme.concept_id, "RiskScheme", False),
                                   (marker.concept_id, "Biomarker", False), 0.6, evidence)
        for category in categories:
            props = self._properties(category.concept_id)
            for scheme in schemes:
                if props.get("scheme") == scheme.concept_id:
                    self._emit(out, "HAS_CATEGORY", (scheme.concept_id, "RiskScheme", False),
                               (category.concept_id, "RiskCategory", False), 0.7, evidence)
            group = props.get("group")
            for other in categories:
                if other is not category and group and other.concept_id.endswith(f"/{group}-risk") and \
                        RISK_GROUP_CUE.search(sv.text):
                    self._emit(out, "IN_RISK_GROUP", (category.concept_id, "RiskCategory", False),
                               (other.concept_id, "RiskCategory", False), 0.65, evidence)

    def _progression(self, sv, mentions, evidence, out) -> None:
        """'1% to 2% of RARS evolve to acute myeloid leukemia' → PROGRESSES_TO RARS → AML."""
        diseases = [m for m in mentions if m.label in ("Disease", "Subtype")]
        for target in diseases:
            if target.label != "Disease":
                continue
            before = sv.text[max(0, sv.rel(target.start) - 100) : sv.rel(target.start)]
            cue = _OUTCOME_BEFORE.search(before)
            if not cue:
                continue
            cue_start = target.start - len(before) + cue.start()
            sources = [m for m in diseases if m.end <= cue_start and m.concept_id != target.concept_id]
            if sources:
                source = sources[-1]
                self._emit(out, "PROGRESSES_TO", (source.concept_id, source.label, False),
                           (target.concept_id, "Disease", False), 0.6, evidence, negated=source.negated,
                           hedged=source.hedged or target.hedged)

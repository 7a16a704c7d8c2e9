"""Rule family INCLUDES_DRUG: which drugs a therapy consists of.

    <Therapy> uses / with / consists of <Drug>, with or without <Drug>
    <Drug> (and <Drug>) is / are <Therapy>; <Drug>, an <Therapy>, …
    a drug named in the first sentences under a therapy heading

Its own family because other families depend on its answer: a drug that is a component of a
therapy in a sentence is not a separate recommendation, TREATS subject or next-line therapy there
(`_component_ids`).
"""

from __future__ import annotations

import re

from etl.nlp.relations.base import RuleBase
from etl.nlp.relations.cues import POPULATION_LABELS
from etl.nlp.relations.views import MentionView, SentenceView
from mdskg.records import Relation

# "<Therapy> uses/with/consists of <Drug>", allowing an '(ABBR)' and 'for MDS' in between.
INCLUDE_FORWARD = re.compile(
    r"^\s*(?:\([^()]{1,20}\)\s*)?(?:for\s+(?:patients\s+with\s+)?[\w-]+(?:\s+[\w-]+)?\s+)?"
    r"(?:(?:uses?|using|with|consists?\s+of|consisting\s+of|includes?|including|such\s+as|e\.g\.,?|i\.e\.,?|namely"
    r"|comprises|comprising|combin(?:es|ing)|plus|like|is\s+given\s+as|is\s+(?:usually\s+)?(?:given\s+)?with)\s+"
    r"|[:(—–]\s*|,\s*(?:such\s+as|e\.g\.,?|including|namely)\s+)"
    r"(?:(?:the|a|an|low[\s-]dose|high[\s-]dose|oral|intravenous|either|both|drugs?|agents?|medicines?)\s+)*$",
    re.I,
)
INCLUDE_APPOSITION = re.compile(r"^\s+$")
INCLUDE_BACKWARD = re.compile(  # "<Drug> (and <Drug>) is/are (a type of) <Therapy>", "<Drug>, an <Therapy>,"
    # the comma form needs its article ("X, a Y,"): a bare ", Y" is the next item of a list
    r"^\s*(?:,\s*)?(?:(?:is|are)\s+(?:both\s+)?(?:an?\s+|the\s+)?|,\s*(?:an?|the)\s+)(?:(?:type|kind|class|form|member)s?\s+of\s+"
    r"(?:the\s+)?)?(?:(?!(?:and|or|nor|but|plus|with|versus|vs|and/or|then|to)\b)[\w-]+\s+)?$",  # ", and X" lists
    re.I,
)
LIST_GLUE = re.compile(
    r"^\s*(?:\([^()]{1,20}\)\s*)?,?\s*(?:(?:and/or|and|or|with\s+or\s+without|plus|\+|/|together\s+with"
    r"|combined\s+with|with|followed\s+by)\s*,?\s*)?(?:(?:the|a|an|low[\s-]dose|high[\s-]dose|oral)\s+)*$",
    re.I,
)


def _listed_after(sv: SentenceView, mentions: list[MentionView], i: int, first_gap: re.Pattern) -> list[MentionView]:
    """Drugs listed after mentions[i] when the text up to the first one matches `first_gap`
    ('IST for MDS uses A, with or without B'), following list glue (',', 'and', 'or', 'with or
    without', 'plus'). Population mentions in the gap ('for MDS') are stepped over."""
    drugs: list[MentionView] = []
    k = i + 1
    while k < len(mentions) and mentions[k].label in POPULATION_LABELS:
        k += 1
    if k >= len(mentions):
        return drugs
    nxt = mentions[k]
    if nxt.label not in ("Drug", "Term") or not first_gap.match(sv.between(mentions[i], nxt)):
        return drugs
    drugs.append(nxt)
    j = k
    while j + 1 < len(mentions) and mentions[j + 1].label in ("Drug", "Term") and \
            LIST_GLUE.match(sv.between(mentions[j], mentions[j + 1])):
        j += 1
        drugs.append(mentions[j])
    return drugs


class IncludesRules(RuleBase):
    """INCLUDES_DRUG rules (mixed into RelationRules)."""

    def _includes_drug(self, sv, mentions, evidence, doc_concepts, out) -> set[str]:
        """INCLUDES_DRUG; returns the ids of drugs that are components of a therapy here."""
        components: set[str] = set()
        for i, head in enumerate(mentions):
            if head.label not in ("Therapy", "Term"):
                continue
            drugs = _listed_after(sv, mentions, i, INCLUDE_FORWARD)
            if not drugs and i + 1 < len(mentions) and INCLUDE_APPOSITION.match(sv.between(head, mentions[i + 1])):
                drugs = _listed_after(sv, mentions, i, INCLUDE_APPOSITION)
            for drug in drugs:
                for head_r in self.resolve(head, doc_concepts, labels=("Therapy",)):
                    for drug_r in self.resolve(drug, doc_concepts, expand=True, labels=("Drug",)):
                        if head_r[1] == "Therapy" and drug_r[1] == "Drug":
                            self._emit(out, "INCLUDES_DRUG", head_r, drug_r, 0.85, evidence, hedged=head.hedged,
                                       cue=sv.between(head, drugs[0]).strip() or "apposition")
                            components.add(drug_r[0])
        # "<Drug> (and <Drug>) are <Therapy>" / "<Drug>, an <Therapy>,"
        for j, tail in enumerate(mentions):
            if tail.label != "Therapy" or j == 0:
                continue
            first = j - 1
            if not INCLUDE_BACKWARD.match(sv.between(mentions[first], tail)):
                continue
            drugs = [mentions[first]]
            while first > 0 and LIST_GLUE.match(sv.between(mentions[first - 1], mentions[first])) and \
                    mentions[first - 1].label in ("Drug", "Term"):
                first -= 1
                drugs.insert(0, mentions[first])
            for drug in drugs:
                for drug_r in self.resolve(drug, doc_concepts, expand=True, labels=("Drug",)):
                    if drug_r[1] == "Drug":
                        self._emit(out, "INCLUDES_DRUG", (tail.concept_id, "Therapy", False), drug_r, 0.75,
                                   evidence, cue="is a")
                        components.add(drug_r[0])
        return components

    def _context_includes(self, sv, mentions, evidence, doc_concepts, out) -> None:
        """A drug named in the first sentences under a therapy heading belongs to that therapy
        ('#### Immunosuppressive therapy' / 'Antithymocyte globulin (ATG) has shown activity …')."""
        for therapy_id in sv.context_therapies:
            for mention in mentions:
                for drug_r in self.resolve(mention, doc_concepts, expand=True, labels=("Drug",)):
                    if drug_r[1] == "Drug" and not mention.negated:
                        self._emit(out, "INCLUDES_DRUG", (therapy_id, "Therapy", False), drug_r, 0.55, evidence,
                                   cue="section heading")

    def _component_ids(self, sv, mentions, doc_concepts) -> set[str]:
        scratch: list[Relation] = []
        return self._includes_drug(sv, mentions, self.evidence(sv, ""), doc_concepts, scratch)

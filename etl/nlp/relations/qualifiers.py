"""Rule family: the qualifiers of a recommendation's population.

"lower-risk MDS with del(5q)" is narrowed to the PatientGroup the ontology defines that way, "…
without del(5q)" becomes a required criterion, "especially those with …" a `favours` one, and a
qualifier that cannot be read drops the recommendation rather than leave it unqualified. Also the
risk-category ranges ("low- to intermediate-1 risk") that name a risk group, and conditions stated
in words the threshold parser does not read ("4 or more red blood cell units over 8 weeks", "not
eligible for transplant").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from etl.nlp.relations.bindings import Binding
from etl.nlp.relations.criteria import CriteriaRules, _threshold_negated
from etl.nlp.relations.cues import MDS_ID, RISK_VARIABLES
from etl.nlp.relations.shared import _duration_of, _in_ranges, _is_therapy
from etl.nlp.relations.views import MentionView
from etl.nlp.roles import invert_operator
from mdskg.records import Evidence, ExtractedCriterion

# Words that introduce a condition on a population ("with", "without", "who have", "when … is present").
_QUALIFIER_LEAD = re.compile(
    r"(?:\bwith(?:out)?|\bwho\s+(?:\w+\s+){0,3}?|\bwhose|\bharbou?r\w*|\bcarr(?:y|ies|ying)|\bhaving|\bwhen|\bif"
    r"|\band|\bor|,|\()\s*(?:(?:an?|the|both|isolated|known|detectable|small|large|low|high|minor|severe)\s+)*$",
    re.I,
)
_ALTERNATIVE_LEAD = re.compile(r"\bor\s+(?:(?:an?|the|both|isolated|known|detectable|small|large|low|high|minor"
                               r"|severe)\s+)*$", re.I)
_IPSSR_RANGE = re.compile(r"\bvery[\s-]+low[\s-]*(?:,\s*low[\s-]*,?\s*(?:and|or)\s+|(?:to|-|–)\s*)"
                          r"intermediate[\s-]+risk\b",
                          re.I)
_FAVOURING_QUALIFIER = re.compile(r"\b(?:especially|particularly|notably|mainly|mostly|preferably)\b[^.;]{0,40}$", re.I)
_LOCAL_NEGATION = re.compile(r"(?:\b(?:without|no|absence\s+of|not)|\b(?:do|does|did)\s+not\s+(?:have|harbou?r|carry))"
                             r"\s+(?:an?\s+|the\s+|known\s+|detectable\s+)?$", re.I)
# Conditions stated in words the threshold parser does not read.
_UNIT_PHRASE = re.compile(r"\b(\d+)\s+or\s+more\s+(?:red\s+(?:blood\s+)?cell\s+|RBC\s+)?(?:transfusion\s+)?units?\s+"
                          r"(?:over|in|per|every|within)\s+8\s+weeks\b", re.I)
_TRANSFUSION_NEED = re.compile(r"(?<!\bmay\s)(?<!\bmight\s)\bneed(?:s|ed|ing)?\s+(?:regular|frequent|ongoing)\s+"
                               r"(?:red\s+(?:blood\s+)?cell\s+|RBC\s+)?"
                               r"transfusions\b|\bongoing\s+transfusion\s+needs\b", re.I)
_TRANSPLANT_WORDS = r"(?:an?\s+)?(?:allogeneic\s+)?(?:hematopoietic\s+)?(?:stem\s+cell\s+)?transplant\w*"
_NOT_TRANSPLANT_CANDIDATE = re.compile(
    r"\bnot\s+(?:immediately\s+|currently\s+)?(?:eligible|fit|candidates?)\s+for\s+" + _TRANSPLANT_WORDS
    + r"|\b(?:transplant|HSCT)[\s-]ineligible\b|\bineligible\s+for\s+" + _TRANSPLANT_WORDS, re.I)
_TRANSPLANT_CANDIDATE = re.compile(
    r"\bfit\b[^.;]{0,30}?\bwith\s+an?\s+(?:suitable\s+|matched\s+)?donor\b|\b(?:transplant|HSCT)[\s-]eligible\b"
    r"|\b(?:eligible|fit)\s+for\s+" + _TRANSPLANT_WORDS, re.I)


def _phrase_conditions(text: str):
    """(variable, operator, value, unit, match) for conditions in words: '4 or more red blood
    cell units over 8 weeks', 'need regular transfusions', 'fit patients with a donor'."""
    for match in _IPSSR_RANGE.finditer(text):
        yield "ipssr_category", "in", ["very_low", "low", "intermediate"], None, match
    for match in _UNIT_PHRASE.finditer(text):
        yield "transfusion_units_per_8wk", ">=", int(match.group(1)), "units/8 weeks", match
    for match in _TRANSFUSION_NEED.finditer(text):
        yield "transfusion_dependent", "==", True, None, match
    negative = list(_NOT_TRANSPLANT_CANDIDATE.finditer(text))
    for match in negative:
        yield "transplant_candidate", "==", False, None, match
    if not negative:
        for match in _TRANSPLANT_CANDIDATE.finditer(text):
            yield "transplant_candidate", "==", True, None, match


@dataclass(frozen=True, eq=False)
class Qualifier:
    """A condition on a recommendation's population, anchored to the population mention it
    qualifies (None when the phrase names no population near it)."""

    variable: str
    operator: str
    value: Any
    unit: str | None
    role: str
    text: str
    concept_id: str | None
    anchor: MentionView | None

    def criterion(self, evidence: Evidence) -> ExtractedCriterion:
        return ExtractedCriterion(self.variable, self.operator, self.value, self.unit, self.role, self.text, evidence,
                                  self.concept_id)

    def matches(self, spec: dict) -> bool:
        return self.variable == spec.get("variable") and self.operator == spec.get("operator", "==") and \
            str(self.value) == str(spec.get("value"))


def _group_criteria(concept, flat: bool = False) -> list[dict]:
    criteria = list((concept.properties or {}).get("criteria") or [])
    if not flat:
        return criteria
    out = []
    for c in criteria:
        out += list(c["any_of"]) if "any_of" in c else [c]
    return out


def _locally_negated(lead: str) -> bool:
    return bool(_LOCAL_NEGATION.search(lead))


class QualifierRules(CriteriaRules):
    """Qualifiers of a bound cue's population and the PatientGroup they narrow it to (mixed into
    RelationRules). Builds on CriteriaRules: a qualifying marker is read as a criterion the same way."""

    def _qualifiers(self, sv, mentions, binding: Binding, populations: list[MentionView],
                    document_concepts) -> tuple[list[Qualifier], set[int]]:
        """Conditions the cue's phrase puts on its population, each anchored to the population
        mention it qualifies (the nearest one before it, else the first after it), and the ids of
        population mentions carrying a qualifier that is not readable as a criterion."""
        variables = self.ontology.criterion_variables
        qualifiers: list[Qualifier] = []
        unreadable: set[int] = set()
        ordered = sorted(populations, key=lambda m: m.start)
        subject_spans = [(sv.rel(m.start), sv.rel(m.end)) for m in binding.subjects]

        def anchor(position: int) -> MentionView | None:
            inside = [m for m in ordered if sv.rel(m.start) <= position < sv.rel(m.end)]
            if inside:
                return inside[0]  # "lower-risk MDS with ring sideroblasts" names its own condition
            before = [m for m in ordered if sv.rel(m.end) <= position]
            if before:
                return before[-1]
            after = [m for m in ordered if sv.rel(m.start) >= position]
            return after[0] if after else None

        def role_at(position: int) -> str:
            lead = sv.text[max(0, position - 45) : position]
            return "favours" if _FAVOURING_QUALIFIER.search(lead) else "required"

        spans: list[tuple[int, int, str]] = []
        for t in sv.thresholds:
            start = sv.rel(t.start)
            if not _in_ranges(start, binding.region) or _in_ranges(start, subject_spans) or _duration_of(sv, start):
                continue
            operator = invert_operator(t.operator) if _threshold_negated(sv, t) else t.operator
            if operator is None:
                continue
            qualifiers.append(Qualifier(t.variable, operator, t.value, t.unit, role_at(start), t.text,
                                        self._variable_concepts.get(t.variable), anchor(start)))
            spans.append((t.start, t.end, t.variable))
        for m in mentions:
            start = sv.rel(m.start)
            if m.label != "Biomarker" or not _in_ranges(start, binding.region):
                continue
            if any(a < m.end and m.start < b for a, b, _ in spans):
                continue  # the threshold parser read this condition
            lead = sv.text[max(0, start - 40) : start]
            follow = sv.text[sv.rel(m.end) : sv.rel(m.end) + 25]
            premodifier = bool(re.match(r"[\s-]*(?:mutated|mutant|positive)?\s*(?:patients|adults|people|MDS|AML)\b",
                                        follow, re.I)) and not re.search(r"\b(?:of|for)\s+$", lead, re.I)
            if not (_QUALIFIER_LEAD.search(lead) or premodifier):
                continue  # "treatment of anemia": what is treated, not who
            item = self._mention_criterion(replace(m, negated=_locally_negated(lead)), variables)
            target = anchor(start)
            if item is None or _ALTERNATIVE_LEAD.search(lead):  # unreadable, or one of alternatives ("…, or X")
                if target is not None:
                    unreadable.add(id(target))
                else:
                    unreadable |= {id(p) for p in ordered}
                continue
            if any(v == item[0] for _, _, v in spans):
                continue
            qualifiers.append(Qualifier(*item, role_at(start), m.text, m.concept_id, target))
            spans.append((m.start, m.end, item[0]))
        region_text = [(x, sv.text[x:y]) for x, y in binding.region]
        for offset, text in region_text:
            for variable, operator, value, unit, match in _phrase_conditions(text):
                if any(v == variable for _, _, v in spans):
                    continue
                position = offset + match.start()
                qualifiers.append(Qualifier(variable, operator, value, unit, role_at(position), match.group().strip(),
                                            None, anchor(position)))
                spans.append((sv.start + position, sv.start + offset + match.end(), variable))
        for m in mentions:  # "ESA-naive patients": no prior ESA
            start = sv.rel(m.start)
            if not _is_therapy(m) or not _in_ranges(start, binding.region):
                continue
            if re.match(r"[\s-]*na[iï]ve\b", sv.text[sv.rel(m.end) : sv.rel(m.end) + 8], re.I) or \
                    re.search(r"\bna[iï]ve\s+to\s+(?:the\s+|an?\s+)?$", sv.text[max(0, start - 20) : start], re.I):
                for concept_id, _label, _ in self.resolve(m, document_concepts):
                    qualifiers.append(Qualifier("prior_therapies", "not_contains", concept_id, None, "required",
                                                sv.text[start : sv.rel(m.end) + 6].strip(), concept_id,
                                                anchor(start)))
        return qualifiers, unreadable

    def _risk_range(self, population: MentionView, qualifiers: list[Qualifier]) -> str:
        """'low- to intermediate-1 risk MDS' is named by its last category (IPSS int-1) but the range
        (ipss_category in [low, intermediate_1]) is the lower-risk group; the range stays a criterion."""
        props = self._properties(population.concept_id)
        if self.label(population.concept_id) != "RiskCategory" or not props.get("variable"):
            return population.concept_id
        for q in qualifiers:
            if q.variable == props["variable"] and q.operator == "in" and isinstance(q.value, (list, tuple)):
                groups = {self._risk_groups.get((q.variable, str(v))) for v in q.value}
                if len(groups) == 1 and None not in groups:
                    group_id = f"MDSKG:risk/{groups.pop()}-risk"
                    if group_id in self.ontology.concepts:
                        return group_id
        return population.concept_id

    def population_risk_group(self, population_ids: Sequence[str]) -> str | None:
        """'lower' / 'higher' when every population lies in that risk group, else None."""
        groups = set()
        for population_id in population_ids:
            concept = self.ontology.concepts.get(population_id)
            if concept is None:
                return None
            props = concept.properties or {}
            if concept.label == "RiskCategory":
                groups.add(props.get("group"))
            elif concept.label == "PatientGroup":
                risk = [str(c.get("value")) for c in _group_criteria(concept) if c.get("variable") == "risk_group"]
                groups.add(risk[0] if risk else None)
            else:
                return None
        return groups.pop() if len(groups) == 1 and None not in groups else None

    def _narrow(self, population_id: str, qualifiers: list[Qualifier]) -> tuple[str, set[int]]:
        """A population and its qualifiers → the narrowest PatientGroup whose ontology criteria they
        state ('lower-risk MDS' + hypocellular marrow → lower-risk hypocellular MDS; 'MDS' + IDH1
        mutation → IDH1-mutated MDS), with the ids of the qualifiers the group now implies. A
        PatientGroup already named implies the qualifiers on its defining variables."""
        concept = self.ontology.concepts.get(population_id)
        if concept is None:
            return population_id, set()
        if concept.label == "PatientGroup":
            defining = {c.get("variable") for c in _group_criteria(concept, flat=True)}
            return population_id, {id(q) for q in qualifiers if q.variable in defining}
        props = concept.properties or {}
        if concept.label == "RiskCategory" and props.get("variable") and props.get("value") is not None:
            base = {(props["variable"], "==", str(props["value"]))}
        elif population_id == MDS_ID:
            base = set()
        else:
            return population_id, set()
        best: tuple[int, str, set[int]] | None = None
        for group in self._groups:
            criteria = list((group.properties or {}).get("criteria") or [])
            plain = [c for c in criteria if "variable" in c]
            group_base = {(c["variable"], c.get("operator", "=="), str(c["value"])) for c in plain
                          if c["variable"] in RISK_VARIABLES}
            if group_base != base:
                continue
            used: set[int] = set()
            ok = bool(len(criteria) > len(group_base))
            for c in plain:
                if c["variable"] in RISK_VARIABLES:
                    continue
                match = [q for q in qualifiers if q.matches(c)]
                if not match:
                    ok = False
                    break
                used |= {id(q) for q in match}
            for entry in (c["any_of"] for c in criteria if "any_of" in c):
                match = [q for q in qualifiers if any(q.matches(alt) for alt in entry)]
                if not match:
                    ok = False
                    break
                used |= {id(q) for q in match}
            if ok and (best is None or len(criteria) > best[0]):
                best = (len(criteria), group.id, used)
        if best is None:
            return population_id, set()
        return best[1], best[2]

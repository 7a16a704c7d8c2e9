"""Rule-based relations, recommendations and criteria, one sentence at a time.

Input is a `SentenceView` (a sentence with its ontology mentions, thresholds and citation
markers, offsets into Document.text); output is `Relation`, `ExtractedRecommendation` and
`ExtractedCriterion` records whose `Evidence` points at the sentence. Only relationship types
and (from, to) label pairs allowed by ontology/data/model.yaml are produced.

The rules follow how guideline prose states facts:

    <Therapy> is an option for / is recommended for / may be considered for <population>
    <Therapy> is not recommended for / is not an established treatment for <population>
    <Therapy> uses / with / consists of <Drug>, with or without <Drug>
    After <X> failure, <Y> is an option for …           (NEXT_AFTER_FAILURE X → Y)
    Response to <Therapy> is more likely in patients with <biomarker / threshold>
    <Therapy> can cause <side effect>

`spacy_sentences(doc, …)` adapts a processed spaCy Doc into SentenceViews; everything else here
is independent of spaCy.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from etl.nlp.roles import find_role, invert_operator
from mdskg.records import (
    Evidence,
    ExtractedCriterion,
    ExtractedRecommendation,
    Relation,
    Threshold,
)

VERSION = "0.1.0"
EXTRACTOR = f"rules@{VERSION}"

THERAPY_LABELS = ("Therapy", "Drug")
POPULATION_LABELS = ("PatientGroup", "RiskCategory", "Subtype", "Disease")
POSITIVE_STRENGTHS = ("recommended", "option", "may_be_considered")


# ---- views ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MentionView:
    """An ontology mention; offsets into Document.text. `end` includes a trailing '(ABBR)' of
    the same concept, so 'immunosuppressive therapy (IST)' is one mention."""

    concept_id: str
    label: str
    text: str
    start: int
    end: int
    negated: bool = False
    hedged: bool = False
    negation_cue: str | None = None


@dataclass(frozen=True)
class SentenceView:
    text: str
    start: int  # offsets of the sentence in Document.text
    end: int
    section: str | None = None
    section_kind: str | None = None
    citations: tuple[str, ...] = ()
    mentions: tuple[MentionView, ...] = ()
    thresholds: tuple[Threshold, ...] = ()  # offsets into Document.text
    context_therapies: tuple[str, ...] = ()  # therapy ids named by the enclosing heading/bold lead

    def rel(self, offset: int) -> int:
        return offset - self.start

    def between(self, a: MentionView, b: MentionView) -> str:
        """Text between the end of `a` and the start of `b` (empty when they overlap/reverse)."""
        return self.text[self.rel(a.end) : self.rel(b.start)] if a.end <= b.start else ""


@dataclass
class DocumentResult:
    relations: list[Relation] = field(default_factory=list)
    recommendations: list[ExtractedRecommendation] = field(default_factory=list)
    criteria: list[ExtractedCriterion] = field(default_factory=list)


def _rx(*phrases: str) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


# ---- cue vocabularies -----------------------------------------------------------------------

STRENGTH_CUES: list[tuple[str, re.Pattern]] = [
    ("not_recommended", re.compile(r"\b(?:" + _rx(
        "is not recommended", "are not recommended", "not recommended", "should not be used", "should not be given",
        "should not be offered", "is not advised", "not advised", "is not an option", "are not an option",
        "should be avoided", "is contraindicated", "are contraindicated", "is not suitable", "not suitable",
        "is not the preferred", "are not the preferred", "not the preferred", "not preferred") + r")\b",
        re.I)),
    ("not_established", re.compile(r"\b(?:" + _rx(
        "is not an established", "not an established", "not established", "is not a standard", "not a standard",
        "is not standard", "not standard", "no established role", "has no role", "have no role", "no proven benefit",
        "is not approved", "not approved", "has not been shown", "have not been shown", "did not improve",
        "does not improve", "failed to show", "failed to improve", "failed to demonstrate", "no survival benefit",
        "no benefit", "of uncertain benefit", "is ineffective", "are ineffective", "not effective",
        "no evidence that", "remains unproven", "is unproven") + r"|no\s+(?:\w+\s+){0,2}(?:trials?|studies|data"
        r"|evidence)\s+(?:have\s+|has\s+)?(?:demonstrated|shown|proven))\b", re.I)),
    ("may_be_considered", re.compile(r"\b(?:" + _rx(
        "may be considered", "can be considered", "could be considered", "might be considered", "may be used",
        "can be used", "may be treated with", "may be treated", "may be offered", "may be given", "may be tried",
        "may be an option", "might be an option", "is suggested", "are suggested", "suggested for",
        "may benefit from", "may benefit", "should be considered", "consider", "may respond") + r")\b", re.I)),
    ("recommended", re.compile(r"\b(?!recommended\s+(?:starting\s+|initial\s+|maximum\s+)?dos)(?:" + _rx(
        "is recommended", "are recommended", "recommended", "we recommend", "recommend", "should be offered",
        "should receive", "should be treated with", "should be given", "standard treatment", "standard of care",
        "standard therapy", "standard first-line", "treatment of choice", "first-line treatment",
        "first-line therapy", "is the first-line", "are the first-line", "preferred", "is preferred",
        "mainstay", "is indicated", "are indicated") + r")\b", re.I)),
    ("option", re.compile(r"\b(?:" + _rx(
        "is an option", "are an option", "are options", "treatment option", "treatment options", "an option",
        "option for", "is used to treat", "are used to treat", "used to treat", "is used", "are used",
        "is given", "are given", "approved for", "is effective", "are effective", "improves survival",
        "improved survival", "improve survival", "has shown activity", "have shown activity", "treats",
        "treated with", "is used for", "for the treatment of", "to treat", "benefit", "can help",
        "only potentially curative", "only curative", "potentially curative", "curative")
        + r"|approved\b(?=[^.;,]{0,60}\bfor\b))\b", re.I)),
]
# Cues after which the recommended therapy *follows* ("may be treated with lenalidomide").
_OBJECT_CUES = re.compile(
    r"(?:treated\s+with|treat\s+with|given|offered|receive|benefit\s+from|use\s+of|candidates?\s+for"
    r"|considered\s+for|consider|recommend(?:ed)?|suggested)\s*$",
    re.I,
)
TREAT_CUE = re.compile(
    r"\b(?:treat\w*|therap\w*|options?|recommend\w*|approv\w*|indicated|used|uses?|given|giv(?:e|es|ing)|offer\w*"
    r"|benefit\w*|effective|efficacy|activity|respon\w*|improv\w*|first[\s-]line|second[\s-]line|front[\s-]?line"
    r"|standard|consider\w*|suggest\w*|preferred|candidates?|curative|cure|manag\w*|mainstay|reserved)\b",
    re.I,
)
RESPONSE_CUE = re.compile(  # a statement about who responds, not just the word "response"
    r"\b(?:respon\w*\s+(?:to|with|after|of)|respond\w*\s+(?:better|more|less|well|poorly)|predict\w*|likely"
    r"|likelihood|work(?:s|ed)?\s+best|best\s+results|sensitiv\w*|benefit\s+most|responders?"
    r"|(?:higher|lower|better|poorer)\s+response|response\s+rates?)\b",
    re.I,
)
NEGATIVE_RESPONSE = re.compile(
    r"\b(?:less\s+likely|unlikely|lower\s+response|poor(?:er)?\s+response|resistan\w*|rarely\s+effective"
    r"|inferior|predicts?\s+non[\s-]?response|worse)\b",
    re.I,
)
NOT_PREDICTIVE = re.compile(r"\b(?:did|do|does)\s+not\s+predict\b|\bnot\s+predictive\b|\bno\s+predictive\b", re.I)
SIDE_EFFECT_CUE = re.compile(
    r"\b(?:side[\s-]effects?|adverse|toxicit\w*|caus\w*|induc\w*|associated\s+with|complications?|risk\s+of"
    r"|leads?\s+to|result\w*\s+in|limited\s+by|dose[\s-]limiting|reactions?|can\s+occur|occur\w*|seen\s+with"
    r"|were\s+seen|develop\w*|experience\w*)\b",
    re.I,
)
ASSOCIATION_CUE = re.compile(
    r"\b(?:associated\s+with|characteri[sz]ed\s+by|defined\s+by|defin(?:es|ing)|hallmark|is\s+found|are\s+found"
    r"|found\s+(?:more\s+often\s+)?in|seen\s+in|occurs?\s+in|common\s+in|frequent\s+in|harbou?r\w*|carr(?:y|ies)"
    r"|linked\s+(?:to|with)|typical\s+of|more\s+often\s+in|overrepresented\s+in|is\s+present)\b",
    re.I,
)
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
    r"^\s*(?:,\s*)?(?:(?:is|are)\s+(?:both\s+)?|,\s*)(?:an?\s+|the\s+)?(?:(?:type|kind|class|form|member)s?\s+of\s+"
    r"(?:the\s+)?)?(?:[\w-]+\s+)?$",
    re.I,
)
LIST_GLUE = re.compile(
    r"^\s*(?:\([^()]{1,20}\)\s*)?,?\s*(?:(?:and/or|and|or|with\s+or\s+without|plus|\+|/|together\s+with"
    r"|combined\s+with|with|followed\s+by)\s*,?\s*)?(?:(?:the|a|an|low[\s-]dose|high[\s-]dose|oral)\s+)*$",
    re.I,
)
FAILURE_BEFORE = re.compile(
    r"(?:(?:after|following|upon|post)\s+(?:the\s+)?(?:failure\s+of|failing|progression\s+(?:on|after)"
    r"|loss\s+of\s+response\s+to|no\s+response\s+to|lack\s+of\s+response\s+to|intolerance\s+(?:of|to)"
    r"|resistance\s+to|relapse\s+after)|refractory\s+to|resistant\s+to|unresponsive\s+to|intolerant\s+(?:of|to)"
    r"|(?:failed|not|no\s+longer|ceased|stopped)\s+(?:to\s+)?respond(?:ed|ing)?\s+to|(?:did|do|does)\s+not\s+respond"
    r"\s+to|failed|failure\s+of|progress(?:ed|ion)\s+(?:on|after)|relapsed\s+after|loss\s+of\s+response\s+to"
    r"|lack\s+of\s+response\s+to)"
    r"[\s,]*(?:(?:or|and)\s+(?:ineligibility|intolerance|contraindication|unsuitability)\s+(?:for|to)[\s,]*)?"
    r"(?:(?:the|prior|previous|an?|first-line|initial|treatment\s+with|therapy\s+with)\s+)*$",
    re.I,
)
FAILURE_AFTER = re.compile(
    r"^\s*(?:\([^()]{1,20}\)\s*)?[-‐]?\s*(?:failure|fails(?!\s+to)|failed(?!\s+to)|has\s+failed(?!\s+to)"
    r"|have\s+failed(?!\s+to)|refractory|resistance"
    r"|has\s+stopped\s+working|stops\s+working|no\s+longer\s+works|relapse|treatment\s+failure)\b",
    re.I,
)
CONDITION_THERAPY = re.compile(  # therapies named as a patient's need, not as the recommendation
    r"(?:need(?:s|ing)?|requir(?:e|es|ed|ing)|dependen(?:t|ce)\s+on|who\s+(?:have\s+)?receiv\w*|after|prior"
    r"|previous(?:ly)?|history\s+of|despite)\s+(?:\w+\s+){0,3}$",
    re.I,
)
CONDITION_AFTER = re.compile(  # "transfusion needs", "transfusion independence": a state, not a treatment
    r"^\s*[-–]?\s*(?:needs?|requirements?|dependen\w*|independen\w*|history|burden|support|-?free)\b", re.I)
COMPARATOR_BEFORE = re.compile(r"\b(?:compared\s+(?:with|to)|versus|vs\.?|than|or)\s+(?:the\s+|with\s+)?$", re.I)
LINE_FIRST = re.compile(r"\b(?:first[\s-]line|up[\s-]?front|front[\s-]?line|initial\s+(?:therapy|treatment))\b", re.I)
LINE_MAINTENANCE = re.compile(r"\bmaintenance\b", re.I)
CLAUSE_SPLIT = re.compile(r",\s*(?:for\s+which|whereas|while|but|although)\b|;\s*|\s+but\s+|\s+whereas\s+", re.I)
# Numeric variables whose mere presence ("with ring sideroblasts") implies a threshold.
PRESENCE_DEFAULTS: dict[str, tuple[str, Any, str | None]] = {
    "ring_sideroblasts_pct": (">=", 15, "%"),  # WHO: ≥15% ring sideroblasts defines the RS entities
}
CELLULARITY_WORDS = (("hypocell", "hypocellular"), ("hypoplas", "hypocellular"), ("empty", "hypocellular"),
                     ("low cell", "hypocellular"), ("hypercell", "hypercellular"), ("normocell", "normocellular"))


# ---- the rules ------------------------------------------------------------------------------


class RelationRules:
    """Sentence rules bound to an ontology (for allowed pairs, labels and concept properties)."""

    def __init__(self, ontology, extractor: str = EXTRACTOR):
        self.ontology = ontology
        self.extractor = extractor
        self._variable_concepts = self._concepts_by_variable()
        self._term_targets = self._may_refer_to()

    # -- ontology helpers --
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

    # -- evidence --
    def evidence(self, sv: SentenceView, source_id: str) -> Evidence:
        return Evidence(source_id=source_id, sentence=sv.text, start=sv.start, end=sv.end, extractor=self.extractor,
                        section=sv.section, citations=sv.citations)

    # -- relations --
    def sentence_relations(self, sv: SentenceView, source_id: str, document_concepts: set[str]) -> list[Relation]:
        mentions = _dedupe(sv.mentions, sv)
        evidence = self.evidence(sv, source_id)
        out: list[Relation] = []
        failed = _failed_therapies(sv, mentions)
        components = self._includes_drug(sv, mentions, evidence, document_concepts, out)
        self._context_includes(sv, mentions, evidence, document_concepts, out)
        self._treats(sv, mentions, evidence, document_concepts, failed, components, out)
        self._next_after_failure(sv, mentions, evidence, document_concepts, failed, components, out)
        self._predicts_response(sv, mentions, evidence, document_concepts, out)
        self._side_effects(sv, mentions, evidence, document_concepts, out)
        self._associations(sv, mentions, evidence, document_concepts, out)
        self._alternatives(sv, mentions, evidence, document_concepts, out)
        self._risk_schemes(sv, mentions, evidence, out)
        self._progression(sv, mentions, evidence, out)
        return _unique_relations(out)

    def _emit(self, out, rel_type, subj, obj, confidence, evidence, negated=False, hedged=False, **props):
        (s_id, s_label, s_term), (o_id, o_label, o_term) = subj, obj
        if s_id == o_id or not self.allowed(rel_type, s_label, o_label):
            return
        if s_term or o_term:
            props["via_term"] = True
            confidence *= 0.7
        out.append(Relation(rel_type, s_id, o_id, round(min(confidence, 0.99), 2), evidence, negated, hedged,
                            {k: v for k, v in props.items() if v is not None}))

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

    def _treats(self, sv, mentions, evidence, doc_concepts, failed, components, out) -> None:
        if not TREAT_CUE.search(sv.text) or NEGATIVE_RESPONSE.search(sv.text):
            return  # "patients with RARS are unlikely to respond to X" is not "X treats RARS"
        for clause_start, clause_end in _clauses(sv):
            in_clause = [m for m in mentions if clause_start <= sv.rel(m.start) < clause_end]
            therapies = [m for m in in_clause if _is_therapy(m) and m.concept_id not in failed
                         and m.concept_id not in components and not _is_condition_therapy(sv, m)
                         and not _in_combination(sv, m) and not _is_comparator(sv, m)]
            populations = _populations([m for m in in_clause if m.label in POPULATION_LABELS], sv) or \
                _populations([m for m in mentions if m.label in POPULATION_LABELS], sv)
            strength, _ = _strength(sv.text[clause_start:clause_end])
            for therapy in therapies:
                if therapy.negated and not _negates_efficacy(therapy.negation_cue):
                    continue  # "there are no clinical trials informing …": nothing is said of it
                negative = strength in ("not_recommended", "not_established") or therapy.negated
                for population in populations:
                    if population.negated:
                        continue
                    rel_type = "NOT_ESTABLISHED_FOR" if negative else "TREATS"
                    confidence = 0.8 if strength else 0.55
                    confidence -= 0.15 if (therapy.hedged or population.hedged) and not negative else 0
                    for t_r in self.resolve(therapy, doc_concepts):
                        self._emit(out, rel_type, t_r, (population.concept_id, population.label, False), confidence,
                                   evidence, hedged=therapy.hedged, strength=strength)

    def _next_after_failure(self, sv, mentions, evidence, doc_concepts, failed, components, out) -> None:
        if not failed:
            return
        for mention in mentions:
            if not _is_therapy(mention) or mention.concept_id in failed or mention.concept_id in components:
                continue
            if _is_condition_therapy(sv, mention):
                continue
            for f_id in failed:
                f_label = self.label(f_id) or ""
                for t_r in self.resolve(mention, doc_concepts):
                    self._emit(out, "NEXT_AFTER_FAILURE", (f_id, f_label, False), t_r, 0.75, evidence,
                               hedged=mention.hedged)

    def _predicts_response(self, sv, mentions, evidence, doc_concepts, out) -> None:
        if not RESPONSE_CUE.search(sv.text):
            return
        therapies = [m for m in mentions if _is_therapy(m) and not _is_condition_therapy(sv, m)]
        if not therapies:
            return
        markers = [(m.concept_id, m.negated, m.text) for m in mentions if m.label == "Biomarker"]
        covered = {m.concept_id for m in mentions}
        for threshold in sv.thresholds:
            concept_id = self._variable_concepts.get(threshold.variable)
            if concept_id and concept_id not in covered:
                markers.append((concept_id, False, threshold.text))
        negative_sentence = bool(NEGATIVE_RESPONSE.search(sv.text))
        not_predictive = bool(NOT_PREDICTIVE.search(sv.text))
        for concept_id, negated, text in markers:
            direction = "negative" if negative_sentence != negated else "positive"
            for therapy in therapies:
                for t_r in self.resolve(therapy, doc_concepts):
                    self._emit(out, "PREDICTS_RESPONSE_TO", (concept_id, "Biomarker", False), t_r,
                               0.5 if not_predictive else 0.7, evidence, negated=not_predictive,
                               hedged=therapy.hedged, direction=direction, marker_text=text)

    def _side_effects(self, sv, mentions, evidence, doc_concepts, out) -> None:
        effects = [m for m in mentions if m.label == "SideEffect" and not m.negated]
        if not effects or not SIDE_EFFECT_CUE.search(sv.text):
            return
        for therapy in (m for m in mentions if _is_therapy(m) and not m.negated
                        and not _is_condition_therapy(sv, m)):
            before = sv.text[max(0, sv.rel(therapy.start) - 20) : sv.rel(therapy.start)]
            if COMPARATOR_BEFORE.search(before):
                continue  # "… higher infection rate when compared with observation"
            for effect in effects:
                if effect.start < therapy.start and not re.search(
                        r"\b(?:of|from|with|after|by|during|on)\s+(?:the\s+|treatment\s+with\s+)?$", before, re.I):
                    continue  # the effect is named before the therapy without 'of/after/with'
                for t_r in self.resolve(therapy, doc_concepts):
                    self._emit(out, "HAS_SIDE_EFFECT", t_r, (effect.concept_id, "SideEffect", False), 0.7, evidence,
                               hedged=effect.hedged)

    def _associations(self, sv, mentions, evidence, doc_concepts, out) -> None:
        if not ASSOCIATION_CUE.search(sv.text) or (any(_is_therapy(m) for m in mentions)
                                                   and RESPONSE_CUE.search(sv.text)):
            return
        markers = [m for m in mentions if m.label == "Biomarker"]
        diseases = [m for m in mentions if m.label in ("Disease", "Subtype", "RiskCategory")]
        for marker in markers:
            for disease in diseases:
                if disease.negated:
                    continue
                self._emit(out, "ASSOCIATED_WITH", (marker.concept_id, "Biomarker", False),
                           (disease.concept_id, disease.label, False), 0.55, evidence, negated=marker.negated,
                           hedged=marker.hedged)

    def _alternatives(self, sv, mentions, evidence, doc_concepts, out) -> None:
        therapies = [m for m in mentions if m.label == "Therapy"]
        for a, b in zip(therapies, therapies[1:]):
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

    def _properties(self, concept_id: str) -> dict:
        concept = self.ontology.concepts.get(concept_id)
        return dict(concept.properties or {}) if concept else {}

    # -- recommendations --
    def sentence_recommendations(self, sv: SentenceView, source_id: str,
                                 document_concepts: set[str]) -> list[ExtractedRecommendation]:
        mentions = _dedupe(sv.mentions, sv)
        sentence_populations = _populations([m for m in mentions if m.label in POPULATION_LABELS], sv)
        if not sentence_populations:
            return []
        failed = _failed_therapies(sv, mentions)
        components = self._component_ids(sv, mentions, document_concepts)
        evidence = self.evidence(sv, source_id)
        after = next(iter(failed), None)
        out: list[ExtractedRecommendation] = []
        for clause_start, clause_end in _clauses(sv):
            clause = sv.text[clause_start:clause_end]
            strength, cue = _strength(clause)
            if strength is None:
                continue
            line = "after_failure" if failed else "first_line" if LINE_FIRST.search(clause) else \
                "maintenance" if LINE_MAINTENANCE.search(clause) else None
            in_clause = [m for m in mentions if clause_start <= sv.rel(m.start) < clause_end]
            subjects = _recommended_therapies(sv, in_clause, clause_start, cue, failed, components)
            populations = [p for p in _populations([m for m in in_clause if m.label in POPULATION_LABELS], sv)
                           if not p.negated] or [p for p in sentence_populations if not p.negated]
            if not populations:
                continue
            for therapy in subjects:
                therapy_strength = strength
                if therapy.negated and therapy.negation_cue and strength in POSITIVE_STRENGTHS:
                    therapy_strength = "not_established" if _negates_efficacy(therapy.negation_cue) else strength
                for concept_id, label, _ in self.resolve(therapy, document_concepts):
                    if label not in THERAPY_LABELS:
                        continue
                    out.append(ExtractedRecommendation(
                        therapy_id=concept_id,
                        population_ids=tuple(dict.fromkeys(p.concept_id for p in populations)),
                        strength=therapy_strength,
                        evidence=evidence,
                        line=line,
                        after_therapy_id=after if line == "after_failure" else None,
                        citations=sv.citations,
                    ))
        return out

    def _component_ids(self, sv, mentions, doc_concepts) -> set[str]:
        scratch: list[Relation] = []
        return self._includes_drug(sv, mentions, self.evidence(sv, ""), doc_concepts, scratch)

    # -- criteria --
    def sentence_criteria(self, sv: SentenceView, source_id: str, document_concepts: set[str], *,
                          eligibility: bool = False, recommendation: bool = False
                          ) -> list[tuple[tuple[str, ...], ExtractedCriterion]]:
        """(therapy ids the criteria are about, criterion) pairs for one sentence.

        Outside eligibility sections a sentence yields criteria only when it names a therapy and
        its words give a role (or it is a recommendation sentence: role `required`)."""
        mentions = _dedupe(sv.mentions, sv)
        failed = _failed_therapies(sv, mentions)
        prior = [p for p in _prior_therapies(sv, mentions, eligibility) if p not in failed]
        therapies = tuple(dict.fromkeys(
            r[0] for m in mentions if _is_therapy(m) and m.concept_id not in failed + prior
            and not _is_condition_therapy(sv, m) and not _is_comparator(sv, m)
            for r in self.resolve(m, document_concepts) if r[1] in THERAPY_LABELS))
        if not eligibility and not therapies:
            return []
        evidence = self.evidence(sv, source_id)
        items = self._criterion_items(sv, mentions, self._resolved_ids(failed, sv, document_concepts),
                                      self._resolved_ids(prior, sv, document_concepts), eligibility)
        out = []
        for variable, operator, value, unit, text, concept_id, start in items:
            role, inverted = _criterion_role(sv, start, eligibility, recommendation)
            if role is None:
                continue
            if inverted:
                operator = invert_operator(operator)
                if operator is None:
                    continue
            if operator == "!=" and isinstance(value, bool):
                operator, value = "==", not value  # 'transfusion_dependent != false' reads better as '== true'
            out.append((therapies, ExtractedCriterion(variable, operator, value, unit, role, text, evidence,
                                                      concept_id)))
        return out

    def _criterion_items(self, sv, mentions, failed, prior, eligibility) -> list[tuple]:
        items: list[tuple] = []
        spans: list[tuple[int, int, str]] = []
        for t in sv.thresholds:
            negated = _threshold_negated(sv, t)
            operator = invert_operator(t.operator) if negated else t.operator
            if operator is None:
                continue
            items.append((t.variable, operator, t.value, t.unit, t.text, self._variable_concepts.get(t.variable),
                          t.start))
            spans.append((t.start, t.end, t.variable))
        variables = self.ontology.criterion_variables
        for m in mentions:
            if m.label not in ("Biomarker", "RiskCategory") or (m.label == "RiskCategory" and not eligibility):
                continue
            item = self._mention_criterion(m, variables)
            if item is None:
                continue
            variable = item[0]
            if any(a < m.end and m.start < b and v == variable for a, b, v in spans):
                continue  # the threshold parser already read this condition
            if any(v == variable and variables.get(variable) and variables[variable].type in ("number", "boolean")
                   for _, _, v in spans):
                continue
            items.append((*item, m.text, m.concept_id, m.start))
            spans.append((m.start, m.end, variable))
        for therapy_id in failed:
            items.append(("failed_therapies", "contains", therapy_id, None, self._therapy_text(sv, therapy_id),
                          therapy_id, sv.start))
        for therapy_id in prior:
            items.append(("prior_therapies", "contains", therapy_id, None, self._therapy_text(sv, therapy_id),
                          therapy_id, sv.start))
        return items

    def _resolved_ids(self, ids: list[str], sv: SentenceView, document_concepts: set[str]) -> list[str]:
        """Therapy ids with Terms resolved (an unresolvable Term is dropped)."""
        out: list[str] = []
        for concept_id in ids:
            mention = next((m for m in sv.mentions if m.concept_id == concept_id), None)
            if mention is None:
                continue
            for resolved, label, _ in self.resolve(mention, document_concepts):
                if label in THERAPY_LABELS and resolved not in out:
                    out.append(resolved)
        return out

    def _therapy_text(self, sv: SentenceView, concept_id: str) -> str:
        for m in sv.mentions:
            if m.concept_id == concept_id:
                return m.text
        concept = self.ontology.concepts.get(concept_id)
        return concept.name if concept else concept_id

    def _mention_criterion(self, m: MentionView, variables) -> tuple | None:
        concept = self.ontology.concepts.get(m.concept_id)
        props = dict(concept.properties or {}) if concept else {}
        variable = props.get("variable")
        spec = variables.get(variable) if isinstance(variable, str) else None
        if spec is None:
            return None
        value = props.get("value")
        if spec.type == "boolean":
            operator, value = "==", True if value is None else value
        elif spec.type == "set":
            if value is None:
                return None
            operator = "contains"
        elif spec.type == "category":
            value = value if value is not None else _category_from_text(m.text, spec.values or ())
            if value is None:
                return None
            operator = "=="
        elif variable in PRESENCE_DEFAULTS and _presence_phrase(m.text):
            operator, value, unit = PRESENCE_DEFAULTS[variable]
            return (variable, invert_operator(operator) if m.negated else operator, value, unit)
        else:
            return None
        if m.negated:
            operator = invert_operator(operator)
        return (variable, operator, value, spec.unit)

    # -- a whole document --
    def document(self, sentences: Sequence[SentenceView], source_id: str, *, trial: bool = False) -> DocumentResult:
        result = DocumentResult()
        concepts = {m.concept_id for sv in sentences for m in sv.mentions}
        by_therapy: dict[str, list[ExtractedCriterion]] = defaultdict(list)
        for sv in sentences:
            eligibility = sv.section_kind in ("inclusion", "exclusion", "eligibility")
            result.relations += self.sentence_relations(sv, source_id, concepts)
            recommendations = [] if eligibility else self.sentence_recommendations(sv, source_id, concepts)
            result.recommendations += recommendations
            if trial and not eligibility:
                continue  # a registry record's conditions are its eligibility criteria
            for therapy_ids, criterion in self.sentence_criteria(sv, source_id, concepts, eligibility=eligibility,
                                                                 recommendation=bool(recommendations)):
                result.criteria.append(criterion)
                for therapy_id in therapy_ids:
                    by_therapy[therapy_id].append(criterion)
        result.relations = _unique_relations(result.relations)
        result.criteria = _unique_criteria(result.criteria)
        result.recommendations = _attach_criteria(result.recommendations, by_therapy, result.relations)
        return result


# ---- helpers --------------------------------------------------------------------------------


def _is_therapy(m: MentionView) -> bool:
    return m.label in THERAPY_LABELS or m.label == "Term"


def _dedupe(mentions: Iterable[MentionView], sv: SentenceView | None = None) -> list[MentionView]:
    """Sorted mentions with 'long form (ABBR)' merged into one mention of the long form."""
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
    out: list[MentionView] = []
    for m in ordered:
        if out and sv is not None and out[-1].concept_id == m.concept_id and m.start >= out[-1].end:
            gap = sv.text[sv.rel(out[-1].end) : sv.rel(m.start)]
            closing = sv.text[sv.rel(m.end) : sv.rel(m.end) + 1]
            if re.fullmatch(r"\s*\(\s*", gap) and closing == ")":
                out[-1] = replace(out[-1], end=m.end + 1, negated=out[-1].negated or m.negated)
                continue
        if out and m.start < out[-1].end:
            continue  # overlapping mentions cannot come from one Doc; keep the first
        out.append(m)
    return out


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


def _clauses(sv: SentenceView) -> list[tuple[int, int]]:
    bounds, position = [], 0
    for match in CLAUSE_SPLIT.finditer(sv.text):
        bounds.append((position, match.start()))
        position = match.end()
    bounds.append((position, len(sv.text)))
    return [(a, b) for a, b in bounds if b > a]


def _strength(text: str) -> tuple[str | None, re.Match | None]:
    for strength, regex in STRENGTH_CUES:
        match = regex.search(text)
        if match:
            return strength, match
    return None, None


def _negates_efficacy(cue: str | None) -> bool:
    if not cue:
        return False
    return bool(re.search(r"recommend|establish|standard|effective|improv|shown|show|demonstrat|role|indicated|"
                          r"approved|benefit|advised|suitable|contraindicated", cue, re.I))


_OUTCOME_BEFORE = re.compile(
    r"\b(?:progress\w*|evol\w*|transform\w*|turn\w*|reclassified|leukemic)\b[^.;]{0,60}?\b(?:to|into|as)\s+"
    r"(?:an?\s+|frank\s+)?$", re.I)


def _populations(mentions: list[MentionView], sv: SentenceView | None = None) -> list[MentionView]:
    """Populations, with a bare disease dropped when something more specific is named, and
    outcomes ('progression … to acute myeloid leukemia') left out."""
    if sv is not None:
        mentions = [m for m in mentions
                    if not _OUTCOME_BEFORE.search(sv.text[max(0, sv.rel(m.start) - 100) : sv.rel(m.start)])]
    specific = [m for m in mentions if m.label != "Disease"]
    chosen = specific or mentions
    seen, out = set(), []
    for m in chosen:
        if m.concept_id not in seen:
            seen.add(m.concept_id)
            out.append(m)
    return out


def _is_condition_therapy(sv: SentenceView, m: MentionView) -> bool:
    """'patients who need red blood cell transfusions', 'baseline transfusion needs'."""
    before = sv.text[max(0, sv.rel(m.start) - 40) : sv.rel(m.start)]
    after = sv.text[sv.rel(m.end) : sv.rel(m.end) + 20]
    if CONDITION_AFTER.match(after):
        return True
    return bool(CONDITION_THERAPY.search(before)) and not FAILURE_BEFORE.search(before)


_COMPARATOR = re.compile(r"\b(?:versus|vs\.?|compared\s+(?:with|to)|than|placebo|(?:preferred|chosen|favou?red)\s+over"
                         r"|rather\s+than|instead\s+of)\b", re.I)


def _is_comparator(sv: SentenceView, m: MentionView) -> bool:
    """A control arm ('azacitidine versus … best supportive care'): the trial's conditions are
    about the first-named therapy, not the comparator. 'Compared with the IPSS, the IPSS-R …'
    restarts the clause after the comma, so the IPSS-R is not a comparator."""
    clause = next(((a, b) for a, b in _clauses(sv) if a <= sv.rel(m.start) < b), (0, len(sv.text)))
    before = sv.text[clause[0] : sv.rel(m.start)]
    cues = list(_COMPARATOR.finditer(before))
    if not cues:
        return False
    after_cue = before[cues[-1].end() :]
    return not re.search(r",\s+(?:the|a|an|this|these|its)\s+(?:\S+\s+)?$", after_cue, re.I)


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
        glued = previous_failed and re.fullmatch(r"\s*,?\s*(?:or|and|and/or|,)\s*(?:the\s+)?",
                                                 sv.between(mentions[index - 1], m), re.I)
        is_failed = bool(FAILURE_BEFORE.search(before) or FAILURE_AFTER.match(after) or glued)
        if is_failed and m.concept_id not in failed:
            failed.append(m.concept_id)
        previous_failed = is_failed
    return failed


_PRIOR_STRICT = re.compile(r"\b(?:prior|previous(?:ly)?|history\s+of|pre-?treated)\b[^.;]{0,60}$", re.I)
_PRIOR_LOOSE = re.compile(r"\b(?:prior|previous(?:ly)?|history\s+of|pre-?treated|receiv(?:ed|ing)|exposure\s+to)"
                          r"\b[^.;]{0,60}$", re.I)


def _prior_therapies(sv: SentenceView, mentions: list[MentionView], eligibility: bool = False) -> list[str]:
    """Therapies named as received before ('Prior stem cell transplantation'). In eligibility
    criteria 'receiving'/'received' also count; in prose they usually describe a study arm."""
    regex = _PRIOR_LOOSE if eligibility else _PRIOR_STRICT
    prior: list[str] = []
    for m in mentions:
        if _is_therapy(m) and regex.search(sv.text[max(0, sv.rel(m.start) - 70) : sv.rel(m.start)]):
            if m.concept_id not in prior:
                prior.append(m.concept_id)
    return prior


_SUBJECT_CUE = re.compile(r"^(?:is|are)\b", re.I)
_COMBINATION_BEFORE = re.compile(r"\b(?:combin\w*|adding|addition\s+of|added\s+to|together\s+with)\b", re.I)


def _in_combination(sv: SentenceView, m: MentionView) -> bool:
    """'Eltrombopag combined with azacitidine is not recommended …': the claim is about the
    combination, so the added drug is not the subject of the recommendation."""
    clause = next(((a, b) for a, b in _clauses(sv) if a <= sv.rel(m.start) < b), (0, len(sv.text)))
    return bool(_COMBINATION_BEFORE.search(sv.text[clause[0] : sv.rel(m.start)]))


def _recommended_therapies(sv, in_clause, clause_start, cue: re.Match, failed, components) -> list[MentionView]:
    """The therapies a recommendation cue is about: after a passive/object cue ('may be treated
    with X', 'recommend X'), before a subject cue ('X is recommended'); 'the mainstay … has been
    X' falls back to the therapy after the cue."""
    candidates = [m for m in in_clause if _is_therapy(m) and m.concept_id not in failed
                  and m.concept_id not in components and not _is_condition_therapy(sv, m)
                  and not _in_combination(sv, m) and not _is_comparator(sv, m)]
    if not candidates:
        return []
    cue_start, cue_end = clause_start + cue.start(), clause_start + cue.end()
    after = [m for m in candidates if sv.rel(m.start) >= cue_end]
    before = [m for m in candidates if sv.rel(m.end) <= cue_start]
    if _OBJECT_CUES.search(sv.text[clause_start:cue_end]) and after:
        return _coordinated(sv, after)
    if before:
        return _coordinated(sv, before)
    if _SUBJECT_CUE.match(cue.group()) or not after:
        return []  # "AML-like chemotherapy is recommended …" with no known therapy before the cue
    return _coordinated(sv, after)


def _coordinated(sv: SentenceView, candidates: list[MentionView]) -> list[MentionView]:
    """The first candidate plus those joined to it by list glue ('ESAs or lenalidomide')."""
    chosen = [candidates[0]]
    for a, b in zip(candidates, candidates[1:]):
        if re.fullmatch(r"\s*(?:,\s*)?(?:and|or|and/or|,)\s*(?:the\s+)?", sv.between(a, b), re.I):
            chosen.append(b)
        else:
            break
    return chosen


def _criterion_role(sv: SentenceView, start: int, eligibility: bool, recommendation: bool) -> tuple[str | None, bool]:
    """The role from the cue words of the clause holding the condition (a sentence may say who
    responds and, after 'but', who does not); eligibility sections decide by their kind."""
    if eligibility:
        match = find_role(sv.text, sv.section_kind)
        return (match.role if match else "required"), False
    position = max(0, sv.rel(start))
    clause = next((sv.text[a:b] for a, b in _clauses(sv) if a <= position < b), sv.text)
    match = find_role(clause) or find_role(sv.text)
    if match is None:
        return ("required", False) if recommendation else (None, False)
    return match.role, match.inverted


def _threshold_negated(sv: SentenceView, t: Threshold) -> bool:
    """'not transfusion-dependent' is handled by the parser; 'patients without …' here."""
    rel_start = sv.rel(t.start)
    before = sv.text[max(0, rel_start - 12) : rel_start]
    return bool(re.search(r"\b(?:without|no|absence\s+of)\s*$", before, re.I)) and t.variable != "transfusion_dependent"


def _category_from_text(text: str, allowed: Sequence[str]) -> str | None:
    lower = text.lower()
    for word, value in CELLULARITY_WORDS:
        if word in lower and (not allowed or value in allowed):
            return value
    return None


def _presence_phrase(text: str) -> bool:
    return not re.search(r"percentage|count|level", text, re.I)


def _relation_key(r: Relation) -> tuple:
    return (r.type, r.subject_id, r.object_id, r.evidence.source_id, r.evidence.start, r.negated)


def _unique_relations(relations: Iterable[Relation]) -> list[Relation]:
    best: dict[tuple, Relation] = {}
    for r in relations:
        key = _relation_key(r)
        if key not in best or r.confidence > best[key].confidence:
            best[key] = r
    return list(best.values())


def _criterion_key(c: ExtractedCriterion) -> tuple:
    return (c.variable, c.operator, repr(c.value), c.role, c.evidence.source_id, c.evidence.start)


def _unique_criteria(criteria: Iterable[ExtractedCriterion]) -> list[ExtractedCriterion]:
    return list({_criterion_key(c): c for c in criteria}.values())


def _attach_criteria(recommendations, by_therapy, relations) -> list[ExtractedRecommendation]:
    """Every positive recommendation of a therapy gets the criteria stated about that therapy (or
    about a drug the therapy includes) anywhere in the same document. Negative recommendations
    ('not recommended') get none: a 'favours' condition on them would read as advice to use it."""
    includes = defaultdict(set)
    for r in relations:
        if r.type == "INCLUDES_DRUG" and not r.negated:
            includes[r.subject_id].add(r.object_id)
    out = []
    for rec in recommendations:
        if rec.strength not in POSITIVE_STRENGTHS:
            out.append(rec)
            continue
        criteria = list(by_therapy.get(rec.therapy_id, []))
        for drug_id in sorted(includes.get(rec.therapy_id, ())):
            criteria += by_therapy.get(drug_id, [])
        # The same condition stated in several sentences is attached once (the first statement).
        unique = {(c.variable, c.operator, repr(c.value), c.role): c for c in reversed(criteria)}
        ordered = [c for c in criteria if unique.get((c.variable, c.operator, repr(c.value), c.role)) is c]
        out.append(replace(rec, criteria=tuple(ordered)))
    return out


# ---- spaCy adapter --------------------------------------------------------------------------


def spacy_sentences(doc, offset: int = 0, section: str | None = None, section_kind: str | None = None,
                    context_therapies: Sequence[str] = (), context_sentences: int = 2,
                    source_text: str | None = None) -> list[SentenceView]:
    """SentenceViews of a processed Doc whose text starts at `offset` in Document.text.

    `source_text` is the original text when the Doc was made from a same-length normalised copy
    (see sentences.unwrap_lines): sentence and mention texts are taken from it, so evidence is
    always a verbatim slice of Document.text.

    `context_therapies` (therapy ids named by the section heading) are attached to the first
    `context_sentences` prose sentences; a bold lead line ('- **Immunosuppressive therapy**')
    sets them for the sentences that follow it in the same way.
    """
    views: list[SentenceView] = []
    heading_context = list(context_therapies)
    remaining = context_sentences if heading_context else 0
    original = doc.text if source_text is None else source_text
    for sent in doc.sents:
        text = original[sent.start_char : sent.end_char]
        if not text.strip():
            continue
        mentions = tuple(
            MentionView(e.ent_id_, e.label_, original[e.start_char : e.end_char], offset + e.start_char,
                        offset + e.end_char,
                        bool(e._.negated), bool(e._.hedged), e._.negation_cue)
            for e in sent.ents if e.ent_id_
        )
        thresholds = tuple(
            replace(t, start=offset + t.start, end=offset + t.end) for t in sent._.thresholds
        )
        lead = _lead_therapies(text, mentions)
        if _LIST_ITEM.match(text) and lead is None:
            heading_context, remaining = [], 0  # a list of options: no sentence belongs to another
        if lead is not None:
            heading_context, remaining = lead, context_sentences
            views.append(SentenceView(text, offset + sent.start_char, offset + sent.end_char, section, section_kind,
                                      tuple(sent._.citations), mentions, thresholds))
            continue
        context = tuple(heading_context) if remaining > 0 else ()
        remaining -= 1
        views.append(SentenceView(text, offset + sent.start_char, offset + sent.end_char, section, section_kind,
                                  tuple(sent._.citations), mentions, thresholds, context))
    return views


_LIST_ITEM = re.compile(r"\s*(?:[-*•+]|\d{1,3}[.)])\s")
_LEAD_MARK = re.compile(r"\s*(?:#{1,6}\s|(?:[-*•+]\s+)?(?:\*\*|__))")


def _lead_therapies(text: str, mentions: Sequence[MentionView]) -> list[str] | None:
    """A heading or bold lead line ('- **Immunosuppressive therapy**', '#### Lenalidomide') that
    is just a therapy name: the therapy becomes context for the next sentences."""
    if not _LEAD_MARK.match(text):
        return None
    stripped = re.sub(r"^[\s#>*_\-•]+|[\s*_:.]+$", "", text)
    if not stripped or len(stripped) > 60 or not mentions:
        return None
    therapy = [m for m in mentions if m.label == "Therapy"]
    if len(therapy) == 1 and len(therapy[0].text) >= len(stripped) - 2:
        return [therapy[0].concept_id]
    return None

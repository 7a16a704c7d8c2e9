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

A recommendation needs an explicit recommendation or approval cue *bound* to its therapy (the
therapy is the whole subject of the cue, or its object: "the FDA approved <Therapy> for …"); its
polarity is the cue's, never that of some other negation in the sentence. Trial results,
mechanisms, side effects, doses and brand names have no such cue. The population is the one the
cue's phrase names, with its qualifiers: "lower-risk MDS with del(5q)" is narrowed to the
PatientGroup the ontology defines that way, "… without del(5q)" becomes a required criterion, and
a qualifier that cannot be read drops the recommendation rather than leave it unqualified.
Criteria stated in other sentences reach a recommendation only as `favours`/`excludes` about the
same therapy (or a risk-category range inside its risk group).

`spacy_sentences(doc, …)` adapts a processed spaCy Doc into SentenceViews; everything else here
is independent of spaCy.

The rules live in one module per rule family (this package's modules):

    views.py            SentenceView, MentionView; the spaCy adapter (spacy_sentences, DocEntities)
    cues.py             labels, strengths, fixed ids and the phrase patterns several families share
    shared.py           sentence helpers several families share (clauses, mention roles)
    base.py             RuleBase: ontology lookups, Term resolution, evidence, _emit; VERSION
    includes.py         INCLUDES_DRUG
    bindings.py         recommendation cues (SUBJECT_CUES / OBJECT_CUES) bound to their therapies
    recommendations.py  recommendations of the bound cues: populations, line, strength
    qualifiers.py       qualifiers of a recommendation's population; PatientGroup narrowing
    treats.py           TREATS / NOT_ESTABLISHED_FOR
    sequences.py        NEXT_AFTER_FAILURE, failed therapies, sequence_blocked
    predictors.py       PREDICTS_RESPONSE_TO, HAS_SIDE_EFFECT, ASSOCIATED_WITH
    descriptive.py      ALTERNATIVE_TO, risk schemes (USES_VARIABLE, HAS_CATEGORY, IN_RISK_GROUP), PROGRESSES_TO
    criteria.py         sentence_criteria and the reading of a mention as a criterion
    rules.py            RelationRules: the families composed; document()

Everything other code uses is re-exported here: import from `etl.nlp.relations`.
"""

from __future__ import annotations

from etl.nlp.relations.base import EXTRACTOR, VERSION
from etl.nlp.relations.bindings import OBJECT_CUES, SUBJECT_CUES, Binding, cue_candidates
from etl.nlp.relations.criteria import CELLULARITY_WORDS, NOT_PREDICTIVE, PRESENCE_DEFAULTS, WINDOW_VARIABLES
from etl.nlp.relations.cues import (
    CLAUSE_SPLIT,
    CLINICAL_TRIAL_ID,
    CONDITION_AFTER,
    CONDITION_THERAPY,
    FAILURE_BEFORE,
    MDS_ID,
    NEGATIVE_STRENGTHS,
    POPULATION_LABELS,
    POSITIVE_STRENGTHS,
    RISK_VARIABLES,
    THERAPY_LABELS,
)
from etl.nlp.relations.descriptive import ALTERNATIVE_CUE, RISK_GROUP_CUE, SCHEME_INPUT_CUE
from etl.nlp.relations.includes import INCLUDE_APPOSITION, INCLUDE_BACKWARD, INCLUDE_FORWARD, LIST_GLUE
from etl.nlp.relations.predictors import (
    ASSOCIATION_CUE,
    COMPARATOR_BEFORE,
    NEGATIVE_RESPONSE,
    NO_RELATION,
    RESPONSE_CUE,
    SIDE_EFFECT_CUE,
    STUDY_AIM,
    no_relation_cue,
)
from etl.nlp.relations.qualifiers import Qualifier
from etl.nlp.relations.recommendations import LINE_FIRST, LINE_MAINTENANCE, _unique_recommendations
from etl.nlp.relations.rules import DocumentResult, RelationRules
from etl.nlp.relations.sequences import ELIGIBILITY_KINDS, FAILURE_AFTER, sequence_blocked
from etl.nlp.relations.shared import _without_citations
from etl.nlp.relations.treats import _REVERSED, TREAT_CUE
from etl.nlp.relations.views import (
    DocEntities,
    MentionView,
    SentenceView,
    clause_bounds,
    entities_within,
    spacy_sentences,
)

__all__ = [
    # base.py
    "EXTRACTOR",
    "VERSION",
    # rules.py
    "DocumentResult",
    "RelationRules",
    # views.py
    "DocEntities",
    "MentionView",
    "SentenceView",
    "clause_bounds",
    "entities_within",
    "spacy_sentences",
    # cues.py
    "CLAUSE_SPLIT",
    "CLINICAL_TRIAL_ID",
    "CONDITION_AFTER",
    "CONDITION_THERAPY",
    "FAILURE_BEFORE",
    "MDS_ID",
    "NEGATIVE_STRENGTHS",
    "POPULATION_LABELS",
    "POSITIVE_STRENGTHS",
    "RISK_VARIABLES",
    "THERAPY_LABELS",
    # includes.py
    "INCLUDE_APPOSITION",
    "INCLUDE_BACKWARD",
    "INCLUDE_FORWARD",
    "LIST_GLUE",
    # bindings.py
    "Binding",
    "OBJECT_CUES",
    "SUBJECT_CUES",
    "cue_candidates",
    # recommendations.py
    "LINE_FIRST",
    "LINE_MAINTENANCE",
    # qualifiers.py
    "Qualifier",
    # treats.py
    "TREAT_CUE",
    # sequences.py
    "ELIGIBILITY_KINDS",
    "FAILURE_AFTER",
    "sequence_blocked",
    # predictors.py
    "ASSOCIATION_CUE",
    "COMPARATOR_BEFORE",
    "NEGATIVE_RESPONSE",
    "NO_RELATION",
    "RESPONSE_CUE",
    "SIDE_EFFECT_CUE",
    "STUDY_AIM",
    "no_relation_cue",
    # descriptive.py
    "ALTERNATIVE_CUE",
    "RISK_GROUP_CUE",
    "SCHEME_INPUT_CUE",
    # criteria.py
    "CELLULARITY_WORDS",
    "NOT_PREDICTIVE",
    "PRESENCE_DEFAULTS",
    "WINDOW_VARIABLES",
    # private helpers the unit tests compare with their reference versions
    "_REVERSED",
    "_unique_recommendations",
    "_without_citations",
]

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
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from etl.nlp.conditions import CONDITION_VARIABLES, parse_conditions
from etl.nlp.literals import Prefiltered, fold, may_match, required_words
from etl.nlp.roles import find_role, invert_operator
from mdskg.records import (
    Evidence,
    ExtractedCriterion,
    ExtractedRecommendation,
    Relation,
    Threshold,
)

VERSION = "0.3.0"
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

    @functools.cached_property
    def clauses(self) -> tuple[tuple[int, int], ...]:
        """clause_bounds(text), once: the rules ask for it per clause and per mention (~5x a sentence)."""
        return clause_bounds(self.text)

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

# A recommendation needs an explicit recommendation or approval cue bound to the therapy. Two
# kinds: a *subject* cue follows the therapy it is about ("<Therapy> is an option for …", "<Therapy>
# is not recommended for …"); an *object* cue precedes it ("the FDA approved <Therapy> for …",
# "<patients> may be treated with <Therapy>"). Polarity comes from the cue alone: a negation
# elsewhere in the sentence ("did not improve", "who are not eligible") says nothing about the
# therapy. Descriptive, mechanistic, side-effect, dose, trial-result and brand-name sentences have
# no such cue and give no recommendation.
NEGATIVE_STRENGTHS = ("not_recommended", "not_established")


def _cue(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


SUBJECT_CUES: list[tuple[str, re.Pattern]] = [
    ("not_recommended", _cue(r"\b(?:is|are)\s+not\s+(?:generally\s+|routinely\s+)?recommended\b")),
    ("not_recommended", _cue(r"\b(?:should|must)\s+not\s+be\s+(?:used|given|offered|prescribed)\b")),
    ("not_recommended", _cue(r"\b(?:is|are)\s+not\s+(?:the\s+)?preferred\b")),
    ("not_recommended", _cue(r"\b(?:is|are)\s+contraindicated\b")),
    ("not_established", _cue(r"\b(?:is|are|remains?)\s+not\s+(?:an?\s+|the\s+)?(?:established|standard|proven|approved)"
                             r"\s+(?:treatments?|therapy|therapies|options?|standard\s+of\s+care)\b")),
    ("not_established", _cue(r"\b(?:is|are)\s+not\s+(?:the\s+)?standard\s+of\s+care\b")),
    ("not_established", _cue(r"\b(?:is|are)\s+not\s+approved\s+(?:for|in)\b")),
    ("recommended", _cue(r"\b(?:is|are)\s+(?:strongly\s+|generally\s+|also\s+|usually\s+)?recommended\b"
                         r"(?!\s+(?:starting\s+|initial\s+|maximum\s+)?dos)")),
    ("recommended", _cue(r"\b(?:is|are|remains?|has\s+been|have\s+been)\s+(?:the|a)\s+(?:standard\s+|preferred\s+)?"
                         r"(?:first|front)[\s-]line\s+(?:treatments?|therapy|therapies|options?)\b")),
    ("recommended", _cue(r"\b(?:is|are)\s+the\s+(?:standard\s+(?:treatment|therapy|of\s+care)"
                         r"|treatment\s+of\s+choice)\b")),
    ("recommended", _cue(r"\b(?:is|are|(?:has|have)\s+(?:traditionally\s+|long\s+)?been)\s+the\s+mainstay\b")),
    ("may_be_considered", _cue(r"\b(?:may|can|could|might|should)\s+(?:also\s+|still\s+)?be\s+considered\b")),
    ("may_be_considered", _cue(r"\b(?:is|are)\s+(?:the\s+)?suggested\b")),
    ("may_be_considered", _cue(r"\b(?:may|might)\s+be\s+an?\s+option\b")),
    ("option", _cue(r"\b(?:is|are|remains?)\s+(?:also\s+|still\s+)?(?:an?\s+|the\s+)?(?:established\s+|reasonable\s+|"
                    r"additional\s+|further\s+|treatment\s+|therapeutic\s+)?options?\b")),
    ("option", _cue(r"\b(?:is|are|was|were|(?:has|have)\s+been)\s+(?:also\s+|already\s+|now\s+)?approved"
                    r"(?:\s+in\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?\s+(?:for|to\s+treat)\b")),
    ("option", _cue(r"\b(?:is|are)\s+an?\s+alternative\s+to\b")),  # "… to <comparator> as first-line treatment"
    ("option", _cue(r"\b(?:is|are)\s+the\s+only\s+(?:potentially\s+)?curative\s+(?:treatment|therapy|option)\b")),
    ("option", _cue(r"\b(?:has|have)\s+been\s+shown\s+to\s+improve\s+(?:overall\s+)?survival\b")),
]
_ACTIVE_RECOMMEND = (r"\b(?:recommends?|recommended)\s+"
                     r"(?!that\b|as\b|for\b|to\b|in\b|by\b|early\b|dos|starting\b|initial\b)")
OBJECT_CUES: list[tuple[str, re.Pattern]] = [
    ("option", _cue(r"\b(?:FDA|EMA|European\s+Commission|Food\s+and\s+Drug\s+Administration(?:\s*\(FDA\))?)\s+"
                    r"(?:also\s+|has\s+|had\s+)?(?:approved|granted\s+(?:\w+\s+){0,2}approval\s+(?:to|for)"
                    r"|expanded\s+the\s+approval\s+of)\s+")),
    ("recommended", _cue(_ACTIVE_RECOMMEND)),  # "some panels recommend <Therapy> for …" (not the passive)
    ("option", _cue(r"\b(?:is|are)\s+(?:usually\s+|often\s+|commonly\s+|generally\s+)?treated\s+with\s+")),
    ("may_be_considered", _cue(r"\b(?:may|can|could|might)\s+(?:also\s+)?be\s+treated\s+with\s+")),
    ("recommended", _cue(r"\bshould\s+be\s+treated\s+with\s+")),
    ("may_be_considered", _cue(r"\b(?:should|may|can|could|might)\s+(?:also\s+|still\s+)?be\s+considered\s+for\s+")),
    ("may_be_considered", _cue(r"\bmay\s+(?:want\s+to\s+|wish\s+to\s+)?consider\s+(?:taking\s+part\s+in\s+|joining\s+"
                               r"|enrolling\s+in\s+|entering\s+)?")),
    ("option", _cue(r"\b(?:is|are)\s+(?:also\s+)?(?:good\s+|potential\s+)?candidates?\s+for\s+")),
    ("recommended", _cue(r"\bmainstay\s+of\s+(?:treatment|therapy|care|management)\b[^.;]{0,40}?\b(?:(?:has|have)\s+"
                         r"(?:traditionally\s+|long\s+)?been|is|are|remains?)\s+")),
    ("not_established", _cue(r"\bno\s+(?:\w+\s+){0,2}(?:trials?|studies|data|evidence)\s+(?:have|has)\s+(?:yet\s+)?"
                             r"(?:demonstrated|shown|proven|established)\s+(?:the\s+|a\s+|any\s+)?"
                             r"(?:clinical\s+|survival\s+)?"
                             r"benefit\s+(?:of|from|with)\s+")),
]
# Every cue with the words one of which each of its matches contains (etl/nlp/literals.py), in
# the order bindings() has always tried them: subject cues, then object cues.
_CUES: list[tuple[str, str, re.Pattern, tuple[str, ...] | None]] = (
    [("subject", strength, regex, required_words(regex)) for strength, regex in SUBJECT_CUES]
    + [("object", strength, regex, required_words(regex)) for strength, regex in OBJECT_CUES]
)


def cue_candidates(text: str) -> tuple[tuple[str, str, re.Pattern], ...]:
    """(kind, strength, regex) of the cues that can occur in `text`. Scanning a clause with all
    29 cue patterns was the extractor's largest cost; most sentences hold the words of a few."""
    folded = fold(text)
    return tuple((kind, strength, regex) for kind, strength, regex, words in _CUES if may_match(words, folded))


# Words allowed between an object cue and its therapy ("approved oral …", "benefit of prophylactic use of …").
_OBJECT_LEAD = re.compile(r"(?:(?:the|a|an|oral|intravenous|subcutaneous|low[\s-]dose|high[\s-]dose|routine"
                          r"|prophylactic"
                          r"|preventive|preventative|allogeneic|standard|use\s+of|treatment\s+with)\s+)*$", re.I)
# A hedged source of a recommendation ("some consensus panels recommend …").
_HEDGED_RECOMMENDER = re.compile(r"\b(?:some|certain|several|a\s+few)\b", re.I)
# Introductory phrases before the subject ("After ESA failure, <Therapy> is …", "In Europe, …").
_INTRO = re.compile(r"^\s*(?:after|following|for|in|on|among|when|if|once|before|despite|as|with|under|since|by|at"
                    r"|during"
                    r"|until|given|unlike|outside|beyond|compared|because|although|though|while)\b", re.I)
_CONJUNCTION_START = re.compile(r"^\s*(?:and|but|so|yet|then|thus|therefore|hence)\s+", re.I)
# Where a cue's population phrase stops.
_REGION_STOP = re.compile(r"\b(?:before|because|since|unless|although|than)\b", re.I)
# Populations named as the exception: "approved for AML, not for MDS".
_POPULATION_CONTRAST = re.compile(r"\b(?:not|but\s+not)\s+(?:for|in|to)\s+"
                                  r"(?:patients\s+with\s+|people\s+with\s+|the\s+)?$"
                                  r"|\bnot\s+$", re.I)
_RELAPSED_REFRACTORY = re.compile(r"\b(?:relapsed\s+(?:or|and|and/or|/)\s+refractory|refractory\s+(?:or|and)\s+relapsed"
                                  r"|R/R)\b", re.I)
_FOR_WHICH = re.compile(r"\b(?:for|in)\s+(?:which|whom)\s*$", re.I)
TREAT_CUE = re.compile(
    r"\b(?:treat\w*|therap\w*|options?|recommend\w*|approv\w*|indicated|used\s+(?:to\s+treat|for|in)|(?:is|are)\s+given"
    r"|offer\w*|benefit\w*|effective|efficacy|activity|respon\w*|improv\w*|first[\s-]line|second[\s-]line"
    r"|front[\s-]?line"
    r"|standard|consider\w*|suggest\w*|preferred|candidates?|curative|cure|manag\w*|mainstay|reserved)\b",
    re.I,
)
# Prefiltered (etl/nlp/literals.py): cue alternations scanned per sentence, clause or mention
# window, which most texts cannot match; a text without any of a pattern's necessary words is
# not scanned. Same results.
RESPONSE_CUE = Prefiltered(re.compile(  # a statement about who responds, not just the word "response"
    r"\b(?:respon\w*\s+(?:to|with|after|of)|respond\w*\s+(?:better|more|less|well|poorly)|predict\w*|likely"
    r"|likelihood|work(?:s|ed)?\s+best|best\s+results|sensitiv\w*|benefit\s+most|responders?"
    r"|(?:higher|lower|better|poorer)\s+response|response\s+rates?)\b",
    re.I,
))
NEGATIVE_RESPONSE = Prefiltered(re.compile(
    r"\b(?:less\s+likely|unlikely|(?:lower|low|reduced|decreased)\s+(?:overall\s+)?response|poor(?:er)?\s+response"
    r"|resistan\w*|rarely\s+effective"
    r"|inferior|predicts?\s+non[\s-]?response|worse)\b",
    re.I,
))
# Abstract wording for TREATS: a claim of effect is needed, a study's description or a weak effect is not one.
_EFFECT_CLAIM = re.compile(r"\b(?:effective|efficacious|activity|active|efficacy|improv\w+|benefi\w+|prolong\w*"
                           r"|standard|approved|indicated|option|choice|induc\w+|respon\w+|remission|superior)\b", re.I)
_LIMITED_EFFECT = re.compile(r"\b(?:limited|modest|minimal|poor|low|no|lack\s+of|little|disappointing|not)\s+"
                             r"(?:\w+\s+)?(?:activity|efficacy|benefit|effect|response)", re.I)
_STUDY_DESCRIPTION = re.compile(
    r"\b(?:patients|cases|subjects|cohort|series)\s+(?:\w+\s+){0,5}?(?:treated|receiving|who\s+received)\s+(?:with\s+)?"
    r"|\b(?:we\s+(?:report|describe|analy[sz]ed|studied|reviewed|evaluated|examined|compared)|retrospective"
    r"|the\s+objective|aim\s+of)\b",
    re.I,
)
# Therapy names that in abstracts are almost never the therapy ("results of the clinical trials").
_GENERIC_IN_LITERATURE = frozenset({"MDSKG:therapy/clinical-trial", "MDSKG:therapy/watchful-waiting"})
# A marker written as the population of a study ("IDH2-mutated AML", "TP53-mutant patients").
_STUDY_POPULATION_MARKER = re.compile(
    r"[\s-]*(?:mutated|mutant|mutation[\s-]positive|positive)?\s*"
    r"(?:AML|MDS|CMML|patients|participants|disease|leuka?emia|myelodysplastic)\b",
    re.I,
)
_TRIAL_WORDS = re.compile(r"\b(?:trial|study|phase\s+[123I]+|cohort)\b", re.I)
# A sentence that states what a study set out to do.
STUDY_AIM = re.compile(
    r"\s*(?:(?:in\s+this|this|the\s+present|our)\s+(?:study|report|analysis|trial|work)\s*,?\s*)?"
    r"(?:we\s+(?:examined|investigated|studied|evaluated|assessed|analy[sz]ed|explored|sought|aimed|asked|compared"
    r"|set\s+out|wanted|hypothesi[sz]ed)|(?:the\s+)?(?:aims?|purpose|objectives?|goals?)\s+(?:of|was|were|is))\b",
    re.I,
)
NOT_PREDICTIVE = re.compile(r"\b(?:did|do|does)\s+not\s+predict\b|\bnot\s+predictive\b|\bno\s+predictive\b", re.I)
# A statement that a marker and an outcome are *not* related: "did not predict response", "had no
# significant impact on response", "was not associated with", "no correlation between X and
# response". It is neither a positive nor a negative PREDICTS_RESPONSE_TO / ASSOCIATED_WITH, and
# the graph keeps no negated edges (etl/rows.py writes every relation as stated): no edge at all.
_NO_RELATION_WORDS = (r"(?:predictive|predictor|prognostic|correlation|correlated|association|associated|relationship"
                      r"|relation|related|link|linked|impact|effect|influence|difference|role)")
NO_RELATION = Prefiltered(re.compile(
    r"(?:\b(?:did|do|does|could|would|was|were|is|are)\s+not\s+(?:significantly\s+|independently\s+)?"
    r"(?:predict|correlate|influence|affect|impact|alter|change|differ|associate)\w*"
    r"|\bnot\s+(?:(?:a|an|the)\s+)?(?:(?:statistically\s+)?significant(?:ly)?\s+|independent(?:ly)?\s+|clearly\s+"
    r"|strongly\s+|reliable\s+|useful\s+)?" + _NO_RELATION_WORDS +
    r"|\bno\s+(?:(?:statistically\s+)?significant\s+|clear\s+|independent\s+|meaningful\s+|apparent\s+|major\s+"
    r"|obvious\s+|relevant\s+|consistent\s+|predictive\s+|prognostic\s+)*" + _NO_RELATION_WORDS +
    r"|\b(?:lack|absence)\s+of\s+(?:(?:a|any)\s+)?(?:significant\s+)?(?:correlation|association|relationship|impact"
    r"|effect|predictive)|\bfail(?:ed|s)?\s+to\s+predict|\bneither\s+predict\w*|\bunrelated\s+to)\b",
    re.I,
))


def no_relation_cue(text: str) -> str | None:
    """The words by which `text` (a clause) denies a marker–outcome relation, or None."""
    match = NO_RELATION.search(text)
    return match.group() if match else None
SIDE_EFFECT_CUE = Prefiltered(re.compile(
    r"\b(?:side[\s-]effects?|adverse|toxicit\w*|caus\w*|induc\w*|associated\s+with|complications?|risk\s+of"
    r"|leads?\s+to|result\w*\s+in|limited\s+by|dose[\s-]limiting|reactions?|can\s+occur|occur\w*|seen\s+with"
    r"|were\s+seen|develop\w*|experience\w*)\b",
    re.I,
))
ASSOCIATION_CUE = Prefiltered(re.compile(
    r"\b(?:associated\s+with|characteri[sz]ed\s+by|defined\s+by|defin(?:es|ing)|hallmark|is\s+found|are\s+found"
    r"|found\s+(?:more\s+often\s+)?in|seen\s+in|occurs?\s+in|common\s+in|frequent\s+in|harbou?r\w*|carr(?:y|ies)"
    r"|linked\s+(?:to|with)|typical\s+of|more\s+often\s+in|overrepresented\s+in|is\s+present)\b",
    re.I,
))
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
_FAILURE_PHRASE = (
    r"(?:(?:after|following|upon|post)\s+(?:the\s+)?(?:failure\s+of|failing|progression\s+(?:on|after)"
    r"|loss\s+of\s+response\s+to|no\s+response\s+to|lack\s+of\s+response\s+to|intolerance\s+(?:of|to)"
    r"|resistance\s+to|relapse\s+after|an?\s+(?:unsatisfactory|inadequate|insufficient|suboptimal)\s+response\s+to)"
    r"|refractory\s+to|resistant\s+to|unresponsive\s+to|intolerant\s+(?:of|to)"
    r"|(?:failed|not|no\s+longer|ceased|stopped)\s+(?:to\s+)?respond(?:ed|ing)?\s+to|(?:did|do|does)\s+not\s+respond"
    r"\s+to|(?:have|has|had)\s+(?:not\s+responded|lost\s+(?:their\s+|a\s+)?response)\s+to|failed|failure\s+of"
    r"|progress(?:ed|ion)\s+(?:on|after)|relapsed\s+after|loss\s+of\s+response\s+to|lack\s+of\s+response\s+to"
    r"|progress(?:ed|ion)\b[^.;]{0,30}?\b(?:on|after|during|despite)\s+(?:(?:the\s+)?(?:initiation|start)\s+of\s+)?)")
# "who have not responded to, have lost response to, or are ineligible for <X>": one failed X.
_FAILURE_MORE = (
    r"(?:[\s,]+(?:or\s+|and\s+)?(?:(?:have|has|had|are|is|were|was|be)\s+)?(?:lost\s+(?:their\s+|a\s+)?response\s+to"
    r"|(?:in)?eligib(?:le|ility)\s+for|intoleran(?:t|ce)\s+(?:of|to)|contraindications?\s+to|unsuitab(?:le|ility)\s+for"
    r"|not\s+(?:a\s+)?candidates?\s+for"
    r"|refractory\s+to|not\s+responded\s+to))*")
FAILURE_BEFORE = Prefiltered(re.compile(
    _FAILURE_PHRASE + _FAILURE_MORE
    + r"[\s,]*(?:(?:the|prior|previous|an?|first-line|initial|treatment\s+with|therapy\s+with)\s+)*$",
    re.I,
))
FAILURE_AFTER = re.compile(
    r"^\s*(?:\([^()]{1,20}\)\s*)?[-‐]?\s*(?:failure|fails(?!\s+to)|failed(?!\s+to)|has\s+failed(?!\s+to)"
    r"|have\s+failed(?!\s+to)|refractory|resistance"
    r"|has\s+stopped\s+working|stops\s+working|no\s+longer\s+works|relapse|treatment\s+failure)\b",
    re.I,
)
CONDITION_THERAPY = Prefiltered(re.compile(  # therapies named as a patient's need, not as the recommendation
    r"(?:need(?:s|ing)?|requir(?:e|es|ed|ing)|dependen(?:t|ce)\s+on|who\s+(?:have\s+)?receiv\w*|after|prior"
    r"|previous(?:ly)?|history\s+of|despite)\s+(?:\w+\s+){0,3}$",
    re.I,
))
CONDITION_AFTER = re.compile(  # "transfusion needs", "transfusion independence": a state, not a treatment
    r"^\s*[-–]?\s*(?:needs?|requirements?|dependen\w*|independen\w*|history|burden|support|-?free|na[iï]ve)\b", re.I)
COMPARATOR_BEFORE = re.compile(r"\b(?:compared\s+(?:with|to)|versus|vs\.?|than|or)\s+(?:the\s+|with\s+)?$", re.I)
LINE_FIRST = re.compile(r"\b(?:first[\s-]line|up[\s-]?front|front[\s-]?line|initial\s+(?:therapy|treatment))\b", re.I)
LINE_MAINTENANCE = re.compile(r"\bmaintenance\b", re.I)
CLAUSE_SPLIT = re.compile(r",\s*(?:for\s+which|for\s+whom|in\s+whom|whereas|while|but|although|so(?!\s+far)|because)\b"
                          r"|;\s*|\s+but\s+|\s+whereas\s+|\s+because\s+", re.I)
# Numeric variables whose mere presence ("with ring sideroblasts") implies a threshold.
PRESENCE_DEFAULTS: dict[str, tuple[str, Any, str | None]] = {
    "ring_sideroblasts_pct": (">=", 15, "%"),  # WHO: ≥15% ring sideroblasts defines the RS entities
}
CELLULARITY_WORDS = (("hypocell", "hypocellular"), ("hypoplas", "hypocellular"), ("empty", "hypocellular"),
                     ("low cell", "hypocellular"), ("hypercell", "hypercellular"), ("normocell", "normocellular"))


# ---- recommendation phrases ---------------------------------------------------------------

MDS_ID = "NCIT:C3247"
CLINICAL_TRIAL_ID = "MDSKG:therapy/clinical-trial"
_INVESTIGATIONAL = re.compile(r"\b(?:investigational|experimental|under\s+investigation|being\s+(?:studied|tested))\b",
                              re.I)
_TRIAL_SETTING = re.compile(r"\b(?:in|within|through|on|as\s+part\s+of|in\s+the\s+(?:setting|context)\s+of)\s+"
                            r"(?:an?\s+|the\s+)?"
                            r"(?:\w+\s+)?$", re.I)
RISK_VARIABLES = ("risk_group", "ipss_category", "ipssr_category", "ipssm_category")

# The subject of a subject cue must be a bare therapy noun phrase. It is matched on a "shape" of
# the text in which each therapy mention is _T and each population mention _P.
_T, _P = "\ue000", "\ue001"
_MOD = (r"(?:(?:the|a|an|oral|intravenous|iv|subcutaneous|allogeneic|standard|low[\s-]dose|high[\s-]dose"
        r"|single[\s-]agent|injectable|all|both|these|such)\s+)*")
_PAREN = r"(?:\s*\([^()]{1,40}\))?"
_TAIL = (r"(?:\s+(?:tablets?|capsules?|injections?|infusions?|therapy|treatment|agents?|drugs?|alone|monotherapy"
         r"|regimens?))*")
_HEAD = _MOD + _T + _PAREN + _TAIL + _PAREN
_LISTED = _MOD + _T + _PAREN
_NP = re.compile(
    r"^\s*(?:(?:and|but|so|yet|then|thus|therefore|hence)\s+)?" + _HEAD
    + r"(?:\s*,?\s*(?:and|or|and/or)\s+" + _HEAD + r")*"
    + r"(?:\s*,?\s*(?:such\s+as|including|e\.g\.,?|like)\s+" + _LISTED + r"(?:\s*,?\s*(?:and|or)\s+" + _LISTED
    + r")*\s*,?)?"
    + r"(?:\s*,?\s*(?:with|using)\s+" + _LISTED + r"(?:\s*,?\s*(?:with\s+or\s+without|and|or|and/or|plus)\s+" + _LISTED
    + r")*\s*,?)?"
    + r"(?:\s+(?:in|for)\s+(?:patients\s+with\s+)?" + _P + r")?\s*$",
    re.I,
)
_NP_KEYWORD = re.compile(r"\b(?:such\s+as|including|e\.g\.|like|with|using)\b", re.I)
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


@dataclass(frozen=True)
class Binding:
    """A recommendation cue bound to the therapies it is about; `region` holds the sentence-
    relative ranges where its population is named."""

    strength: str
    kind: str  # subject | object
    cue_start: int
    cue_end: int
    subjects: tuple[MentionView, ...]
    region: tuple[tuple[int, int], ...]
    clause: tuple[int, int]


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


def _in_ranges(position: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in ranges)


def _region_end(sv: SentenceView, start: int, end: int) -> int:
    stop = _REGION_STOP.search(sv.text, start, end)
    return stop.start() if stop else end


def _locally_negated(lead: str) -> bool:
    return bool(_LOCAL_NEGATION.search(lead))


def _duration_of(sv: SentenceView, start: int) -> bool:
    """'a shorter period of transfusion dependence' states how long, not whether."""
    lead = sv.text[max(0, start - 60) : start]
    return bool(re.search(r"\b(?:period|duration|length)\s+of\s+(?:[\w-]+\s+){0,4}$", lead, re.I))


# ---- the rules ------------------------------------------------------------------------------


class RelationRules:
    """Sentence rules bound to an ontology (for allowed pairs, labels and concept properties)."""

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
        for binding in self.bindings(sv, mentions, failed, components):
            bound_clauses.add(binding.clause)
            bound.append(self._binding_recommendations(sv, mentions, binding, failed, evidence, doc_concepts))
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
            return bound  # "patients with RARS are unlikely to respond to X" is not "X treats RARS"
        literature = sv.section_kind in ("abstract", "title")
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

    def _predicts_response(self, sv, mentions, evidence, doc_concepts, out) -> None:
        if not RESPONSE_CUE.search(sv.text) or STUDY_AIM.match(sv.text):
            return  # "We examined the kinetics of responses to X …" states the question, not a finding
        # "… but TP53 did not predict response to azacitidine": nothing here predicts response to it
        therapies = [m for m in mentions if _is_therapy(m) and not _is_condition_therapy(sv, m)
                     and not no_relation_cue(_clause_text(sv, m.start))]
        if not therapies:
            return
        markers = [(m.concept_id, m.negated, m.text, m.start) for m in mentions if m.label == "Biomarker"]
        covered = {m.concept_id for m in mentions}
        for threshold in sv.thresholds:
            concept_id = self._variable_concepts.get(threshold.variable)
            if concept_id and concept_id not in covered:
                markers.append((concept_id, False, threshold.text, threshold.start))
        negative_sentence = bool(NEGATIVE_RESPONSE.search(sv.text))
        for concept_id, negated, text, start in markers:
            if no_relation_cue(_clause_text(sv, start)):
                continue  # "X did not predict response to Y": neither a positive nor a negative predictor
            if _STUDY_POPULATION_MARKER.match(sv.text, sv.rel(start) + len(text)) and _TRIAL_WORDS.search(sv.text):
                continue  # "a trial in IDH2-mutated AML": the marker selects the trial's patients, predicts nothing
            direction = "negative" if negative_sentence != negated else "positive"
            for therapy in therapies:
                for t_r in self.resolve(therapy, doc_concepts):
                    self._emit(out, "PREDICTS_RESPONSE_TO", (concept_id, "Biomarker", False), t_r, 0.7, evidence,
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
            if marker.negated or no_relation_cue(_clause_text(sv, marker.start)):
                continue  # "X was not associated with Y": no edge (the graph keeps no negated edges)
            for disease in diseases:
                if disease.negated or no_relation_cue(_clause_text(sv, disease.start)):
                    continue
                self._emit(out, "ASSOCIATED_WITH", (marker.concept_id, "Biomarker", False),
                           (disease.concept_id, disease.label, False), 0.55, evidence, hedged=marker.hedged)

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

    def _properties(self, concept_id: str) -> dict:
        concept = self.ontology.concepts.get(concept_id)
        return dict(concept.properties or {}) if concept else {}

    # -- recommendations --
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

    def _component_ids(self, sv, mentions, doc_concepts) -> set[str]:
        scratch: list[Relation] = []
        return self._includes_drug(sv, mentions, self.evidence(sv, ""), doc_concepts, scratch)

    # -- cue binding --
    def bindings(self, sv: SentenceView, mentions: list[MentionView], failed: Sequence[str],
                 components: set[str]) -> list[Binding]:
        """Recommendation cues bound to their therapies, clause by clause; a cue that binds to no
        therapy (the subject is a trial, a combination, a brand name …) is dropped."""
        out: list[Binding] = []
        candidates = cue_candidates(sv.text)
        for clause in _clauses(sv):
            a, b = clause
            found = [(kind, strength, m) for kind, strength, regex in candidates for m in regex.finditer(sv.text, a, b)]
            found.sort(key=lambda f: (f[2].start(), f[0] != "subject"))
            taken: list[tuple[int, int]] = []
            for kind, strength, cue in found:
                if any(cue.start() < e and s < cue.end() for s, e in taken):
                    continue
                if kind == "subject":
                    binding = self._bind_subject(sv, mentions, clause, strength, cue, failed, components)
                else:
                    binding = self._bind_object(sv, mentions, clause, strength, cue, failed)
                if binding is not None:
                    out.append(binding)
                    taken.append((cue.start(), cue.end()))
        return out

    def _bind_subject(self, sv, mentions, clause, strength, cue, failed, components) -> Binding | None:
        """'<Therapy> is an option for …': the therapy is the whole subject noun phrase, possibly
        after an introductory phrase ('After ESA failure, …'). A subject that is anything else (a
        trial, 'adding X to Y', 'the approval of X', a mechanism) binds nothing."""
        a, b = clause
        starts = [a] + [i + 1 for i in range(a, cue.start()) if sv.text[i] == ","]
        for start in starts:
            introduced = _INTRO.match(sv.text[a:start]) or _CONJUNCTION_START.match(sv.text[start : cue.start()])
            if start > a and not introduced:
                continue
            heads = self._noun_phrase_therapies(sv, mentions, start, cue.start(), components)
            if not heads:
                continue
            heads = [m for m in heads if m.concept_id not in failed]
            if not heads:
                return None
            region = [(a, start)] if start > a else []
            region.append((cue.end(), _region_end(sv, cue.end(), b)))
            return Binding(strength, "subject", cue.start(), cue.end(), tuple(heads), tuple(region), clause)
        return None

    def _noun_phrase_therapies(self, sv, mentions, start: int, end: int, components: set[str]) -> list[MentionView]:
        """The head therapies when sv.text[start:end] is a bare therapy noun phrase ('Oral azacitidine
        tablets (Onureg)', 'Azacitidine and decitabine', 'TPO-RAs such as romiplostim', 'IST with
        horse ATG, with or without cyclosporine'), else []. Examples ('such as …') and components
        ('with <drug of the therapy>') are not heads; 'X with/plus Y' of two therapies is a
        combination and binds nothing."""
        if any(sv.rel(m.start) < boundary < sv.rel(m.end) for m in mentions for boundary in (start, end)):
            return []
        inside = [m for m in mentions if start <= sv.rel(m.start) and sv.rel(m.end) <= end]
        pieces, therapies, position = [], [], start
        for m in inside:
            pieces.append(sv.text[position : sv.rel(m.start)])
            if _is_therapy(m):
                pieces.append(_T)
                therapies.append(m)
            elif m.label in POPULATION_LABELS:
                pieces.append(_P)
            else:
                return []  # a marker, side effect or scheme in the subject: not a bare therapy phrase
            position = sv.rel(m.end)
        pieces.append(sv.text[position:end])
        shape = "".join(pieces)
        if not therapies or not _NP.match(shape):
            return []
        slots = [i for i, ch in enumerate(shape) if ch == _T]
        keywords = [(k.start(), k.group().lower()) for k in _NP_KEYWORD.finditer(shape) if k.start() > slots[0]]
        heads = []
        for slot, mention in zip(slots, therapies, strict=False):  # more therapies than slots: the rest unslotted
            before = [word for pos, word in keywords if pos < slot]
            if not before:
                heads.append(mention)
            elif before[-1] in ("with", "using") and mention.concept_id not in components and mention.label != "Term":
                return []  # "X with Y" where Y is not a component of X: a combination
        unique: dict[str, MentionView] = {}
        for m in heads:
            unique.setdefault(m.concept_id, m)
        return list(unique.values())

    def _bind_object(self, sv, mentions, clause, strength, cue, failed) -> Binding | None:
        """'the FDA approved <Therapy> for …', '<patients> may be treated with <Therapy>', 'some
        panels recommend <Therapy> for …': the therapy right after the cue."""
        a, b = clause
        if cue.re.pattern == _ACTIVE_RECOMMEND and re.search(r"\b(?:is|are|was|were|be|been|being|not)\s+(?:\w+\s+)?$",
                                                             sv.text[a : cue.start()], re.I):
            return None  # the passive "is recommended …" is a subject cue
        after = [m for m in mentions if cue.end() <= sv.rel(m.start) < b]
        if not after or not _is_therapy(after[0]) or after[0].concept_id in failed:
            return None
        first = last = after[0]
        if not _OBJECT_LEAD.fullmatch(sv.text[cue.end() : sv.rel(first.start)]):
            return None
        objects = [first]
        for m in after[1:]:
            gap = sv.between(last, m)
            if not _is_therapy(m):
                break
            if m.concept_id == last.concept_id and re.fullmatch(r"\s*\(\s*", gap):
                last = m  # "decitabine-cedazuridine (Inqovi)"
            elif re.fullmatch(r"\s*\)?\s*,?\s*(?:and|or|and/or|,)\s*(?:the\s+)?", gap, re.I):
                objects.append(m)
                last = m
            elif re.fullmatch(r"\s*\)?\s*,?\s*(?:with|plus|\+|combined\s+with|in\s+combination\s+with|together\s+with"
                              r"|added\s+to)\s*(?:the\s+|an?\s+)?", gap, re.I):
                return None  # a combination
            else:
                break
        if strength == "recommended" and cue.re.pattern == _ACTIVE_RECOMMEND and \
                _HEDGED_RECOMMENDER.search(sv.text[a : cue.start()]):
            strength = "may_be_considered"  # "some consensus panels recommend …"
        region = ((a, sv.rel(first.start)), (sv.rel(last.end), _region_end(sv, sv.rel(last.end), b)))
        return Binding(strength, "object", cue.start(), cue.end(), tuple(objects), region, clause)

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

    def is_mds_population(self, concept_id: str) -> bool:
        label = self.label(concept_id)
        return concept_id == MDS_ID or label in ("PatientGroup", "RiskCategory", "Subtype")

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

    # -- qualifiers of a recommendation's population --
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
        if not eligibility:
            # "Response to IST is more likely …", "HLA-DR15 was associated with response to either ATG or
            # cyclosporine": the statement is about the therapy responded to, not the others named.
            targets = self._response_targets(sv, mentions, document_concepts)
            therapies = targets or therapies
        evidence = self.evidence(sv, source_id)
        items = self._criterion_items(sv, mentions, self._resolved_ids(failed, sv, document_concepts),
                                      self._resolved_ids(prior, sv, document_concepts), eligibility)
        out = []
        for variable, operator, value, unit, text, concept_id, start in items:
            if not eligibility and variable not in ("failed_therapies", "prior_therapies"):
                position = sv.rel(start)
                clause = next((sv.text[a:b] for a, b in _clauses(sv) if a <= position < b), sv.text)
                if NOT_PREDICTIVE.search(clause) or _duration_of(sv, position) or \
                        self._about_other_disease(sv, mentions, position):
                    continue  # "did not predict response"; "a shorter period of …"; "in aplastic anemia, …"
            if eligibility and variable == "prior_therapies" and _SEQUENCE_ADMITTED.search(sv.text):
                continue  # "prior transplant allowed if …": permitted, neither required nor excluded
            if eligibility and variable in ("prior_therapies", "failed_therapies") and _NOT_A_HISTORY.search(sv.text):
                continue  # "4 weeks since prior X", "toxicity on X", "other than X": a washout, not a history
            role, inverted = _criterion_role(sv, start, eligibility, recommendation)
            if role is None:
                continue
            if variable in WINDOW_VARIABLES:
                role, inverted = "excludes", False  # "another cancer within 3 years" excludes from either list
            elif eligibility and variable in CONDITION_VARIABLES:
                role, inverted = ("excludes" if sv.section_kind == "exclusion" else "required"), False
            if eligibility and variable == "prior_therapies" and operator == "not_contains":
                # One form for "no prior X": an exclusion of X (also when an exclusion list says "no prior X").
                operator, role = "contains", "excludes"
            if inverted:
                operator = invert_operator(operator)
                if operator is None:
                    continue
            if operator == "!=" and isinstance(value, bool):
                operator, value = "==", not value  # 'transfusion_dependent != false' reads better as '== true'
            out.append((therapies, ExtractedCriterion(variable, operator, value, unit, role, text, evidence,
                                                      concept_id)))
        return _failed_or_ineligible_groups(out, sv.start)

    def _response_targets(self, sv, mentions, document_concepts) -> tuple[str, ...]:
        """Therapies named as what patients respond to ('response to IST', 'respond to either ATG or
        cyclosporine')."""
        targets: list[str] = []
        previous: MentionView | None = None
        for m in mentions:
            if not _is_therapy(m):
                previous = None
                continue
            lead = sv.text[max(0, sv.rel(m.start) - 45) : sv.rel(m.start)]
            listed = previous is not None and re.fullmatch(r"\s*,?\s*(?:or|and|and/or)\s*", sv.between(previous, m),
                                                           re.I)
            if _RESPONSE_TO.search(lead) or listed:
                targets += [r[0] for r in self.resolve(m, document_concepts) if r[1] in THERAPY_LABELS]
                previous = m
            else:
                previous = None
        return tuple(dict.fromkeys(targets))

    def _about_other_disease(self, sv, mentions, position: int) -> bool:
        """The nearest population named before the condition is not MDS ('in aplastic anemia a
        STAT3-mutant clone showed …')."""
        before = [m for m in mentions if m.label in POPULATION_LABELS and sv.rel(m.end) <= position]
        return bool(before) and not self.is_mds_population(before[-1].concept_id)

    def _criterion_items(self, sv, mentions, failed, prior, eligibility) -> list[tuple]:
        items: list[tuple] = []
        spans: list[tuple[int, int, str]] = []
        for t in sv.thresholds:
            negated = _threshold_negated(sv, t) or (eligibility and sv.section_kind != "exclusion"
                                                     and _item_denied(sv, t))
            operator = invert_operator(t.operator) if negated else t.operator
            if operator is None:
                continue
            items.append((t.variable, operator, t.value, t.unit, t.text, self._variable_concepts.get(t.variable),
                          t.start))
            spans.append((t.start, t.end, t.variable))
        if eligibility:
            for c in parse_conditions(sv.text):
                # Named conditions ("no active infection") carry their own polarity, except under an
                # exclusion heading, where registry text often repeats the "no" ("Exclusion: no pregnancy").
                value = True if sv.section_kind == "exclusion" and c.value is False else c.value
                items.append((c.variable, c.operator, value, c.unit, c.text, None, sv.start + c.start))
                spans.append((sv.start + c.start, sv.start + c.end, c.variable))
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
            if eligibility and _OR_INELIGIBLE.search(sv.text):
                # "must have failed or be ineligible for X": either one will do (an any-of group, see below)
                items.append(("ineligible_therapies", "contains", therapy_id, None,
                              self._therapy_text(sv, therapy_id), therapy_id, sv.start))
        denied = bool(_NO_PRIOR.search(sv.text))
        for therapy_id in prior:
            # "No prior allogeneic transplant": the person must NOT have had it.
            items.append(("prior_therapies", "not_contains" if denied else "contains", therapy_id, None,
                          self._therapy_text(sv, therapy_id), therapy_id, sv.start))
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


# ---- helpers --------------------------------------------------------------------------------


def _is_therapy(m: MentionView) -> bool:
    return m.label in THERAPY_LABELS or m.label == "Term"


# A clause whose statement is turned around: a negative trial result, a negated cue, a stopped trial.
_REVERSED = Prefiltered(re.compile(
    r"\b(?:not|no|never|nor|cannot|failed|fail|futility|stopped|discontinu\w*|worse|worsened|inferior"
    r"|ineffective|unproven|uncertain|unknown|unclear|investigational|experimental)\b|n't\b", re.I))


def _treat_cue_outside_mentions(sv: SentenceView, mentions: Sequence[MentionView], start: int = 0,
                                end: int | None = None) -> bool:
    """A treatment word in sv.text[start:end] that is not part of a name ('immunosuppressive
    therapy' is not a cue)."""
    text = list(_without_citations(sv.text))
    for m in mentions:
        for i in range(max(0, sv.rel(m.start)), min(len(text), sv.rel(m.end))):
            text[i] = " "
    return bool(TREAT_CUE.search("".join(text)[start:end]))


def _without_citations(text: str) -> str:
    """The text with citation markers ('[MDSKG:source/pdq-mds-treatment-hp]') blanked, same length."""
    if "[" not in text:
        return text  # no marker can start: the substitution would return the text unchanged
    return re.sub(r"\[[^\[\]]*\]", lambda m: " " * len(m.group()), text)


_TRIAL_OR_EVENT_BEFORE = re.compile(
    r"\b(?:trials?|stud(?:y|ies)|analys[ie]s|cohorts?)\s+(?:of|with|testing|comparing)\s+(?:[\w-]+\s+){0,4}$"
    r"|\b(?:before|until|since)\s+(?:the\s+)?$", re.I)
_FOR_AFTER = re.compile(r"\s*(?:\([^()]{1,30}\)\s*)?for\s+", re.I)


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


def _clauses(sv: SentenceView) -> tuple[tuple[int, int], ...]:
    return sv.clauses


def _clause_text(sv: SentenceView, start: int) -> str:
    """The clause of sv (see clause_bounds) holding the absolute offset `start`; the whole
    sentence when no clause does."""
    position = sv.rel(start)
    for a, b in _clauses(sv):
        if a <= position < b:
            return sv.text[a:b]
    return sv.text


def clause_bounds(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of the clauses of a sentence, split at CLAUSE_SPLIT; empty ones left out."""
    bounds, position = [], 0
    for match in CLAUSE_SPLIT.finditer(text):
        bounds.append((position, match.start()))
        position = match.end()
    bounds.append((position, len(text)))
    return tuple((a, b) for a, b in bounds if b > a)


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
# "failed or (be) ineligible for X", "failed, or are not candidates for, X": failure is one of two ways in.
_OR_INELIGIBLE = re.compile(r"\b(?:or|and/or)\s+(?:(?:be|are|is|were|was)\s+)?(?:(?:in)?eligible\s+for|unsuitable\s+for"
                            r"|not\s+(?:a\s+)?candidates?\s+for|(?:have|has)\s+(?:a\s+)?contraindications?\s+to)", re.I)
_SEQUENCE_ADMITTED = re.compile(r"\b(?:allowed|permitted|acceptable|admissible)\b"
                                r"|\b(?:are|is|remain|may\s+be)\s+eligible\s+(?:if|provided|when|under)\b", re.I)
# Eligibility items that name a therapy without making its use a condition: washout windows ("more than
# 4 weeks since prior X", "X within 28 days before"), reactions to it, and exceptions ("other than X").
_WINDOW_UNIT = r"(?:days?|weeks?|wks?|months?|hours?|hrs?|half[\s-]lives)"
_NOT_A_HISTORY = re.compile(
    r"\b\d+\s*" + _WINDOW_UNIT + r"\b[^.;]{0,40}?\b(?:since|prior\s+to|before|from|after|of\s+(?:study|start|entry"
    r"|registration|enrol\w*|the\s+first))"
    r"|\b(?:within|in\s+the\s+(?:last|past|previous)|during\s+the\s+(?:last|past))\s+(?:the\s+)?(?:\w+\s+)?\(?\d*\)?\s*"
    + _WINDOW_UNIT + r"\b"
    r"|\b(?:since|washout)\b[^.;]{0,30}\b\d+\s*" + _WINDOW_UNIT + r"\b"
    r"|\btoxicit\w*|\bother\s+than\b"
    r"|^(?!.*\b(?:prior|previous)\s+(?:therapy|treatment)\s+with\b).*\b(?:hypersensitiv\w*|allerg\w*)",
    re.I,
)
_NO_PRIOR = re.compile(r"\b(?:no|without|not\s+(?:have\s+)?(?:had|received|undergone)|never\s+(?:had|received))\s+"
                       r"(?:\w+\s+){0,2}?(?:prior|previous|earlier)\b|\bno\s+history\s+of\b", re.I)
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
        is_failed = bool(FAILURE_BEFORE.search(before) or FAILURE_AFTER.match(after) or glued)
        if is_failed and m.concept_id not in failed:
            failed.append(m.concept_id)
        previous_failed = is_failed
    return failed


_PRIOR_STRICT = re.compile(r"\b(?:prior|previous(?:ly)?|history\s+of|pre-?treated)\b[^.;]{0,60}$", re.I)
_PRIOR_LOOSE = re.compile(r"(?:\b(?:prior|previous(?:ly)?|history\s+of|pre-?treated|receiv(?:ed|ing)|exposure\s+to"
                          r"|undergone|underwent|(?:have|has)\s+had|treated\s+with)\b[^.;]{0,60}|\bpost[\s-]*)$", re.I)


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


_RESPONSE_TO = re.compile(r"\brespon\w*\s+to\s+(?:the\s+combination\s+of\s+|either\s+|treatment\s+with\s+|the\s+)?$",
                          re.I)
_COMBINATION_BEFORE = re.compile(r"\b(?:combin\w*|adding|addition\s+of|added\s+to|together\s+with)\b", re.I)


def _in_combination(sv: SentenceView, m: MentionView) -> bool:
    """'Eltrombopag combined with azacitidine is not recommended …': the claim is about the
    combination, so the added drug is not the subject of the recommendation."""
    clause = next(((a, b) for a, b in _clauses(sv) if a <= sv.rel(m.start) < b), (0, len(sv.text)))
    return bool(_COMBINATION_BEFORE.search(sv.text[clause[0] : sv.rel(m.start)]))


# Time-window history variables ("another cancer within 3 years"): meeting the window excludes,
# whichever list the item is in; a person with no such history has no value, so it is never negated.
WINDOW_VARIABLES = frozenset({"other_cancer_years"})


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


_ITEM_DENIAL = re.compile(r"\s*(?:[-*•]\s*)?(?:no|not|without|absence\s+of|free\s+of)\b(?!\s+(?:more|less|greater|fewer"
                          r"|higher|lower|later|earlier|longer)\b)", re.IGNORECASE)


def _item_denied(sv: SentenceView, t: Threshold) -> bool:
    """'No hepatic disease with bilirubin > 2 × ULN': an eligibility item that opens with a denial
    denies each condition in it, up to an exception ('unless', 'except', 'if')."""
    opening = _ITEM_DENIAL.match(sv.text)
    if opening is None:
        return False
    between = sv.text[opening.end() : max(opening.end(), sv.rel(t.start))]
    # "No severe organ dysfunction: creatinine ≤ 2.5 × ULN …" lists, after the colon, what must hold.
    return not re.search(r"\b(?:unless|except|if|other\s+than|allowed|permitted|defined\s+as|i\.e\.)\b|:", between,
                         re.IGNORECASE)


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


def _unique_recommendations(per_binding: Iterable[Iterable[ExtractedRecommendation]]
                            ) -> list[ExtractedRecommendation]:
    """The first recommendation of each (therapy, populations, strength, line), in order."""
    unique: dict[tuple, ExtractedRecommendation] = {}
    for recommendations in per_binding:
        for rec in recommendations:
            unique.setdefault((rec.therapy_id, rec.population_ids, rec.strength, rec.line), rec)
    return list(unique.values())


_FAILED_OR_INELIGIBLE = ("failed_therapies", "ineligible_therapies")


def _failed_or_ineligible_groups(pairs: list[tuple[tuple[str, ...], ExtractedCriterion]], sentence_start: int
                                 ) -> list[tuple[tuple[str, ...], ExtractedCriterion]]:
    """A required 'failed X' and 'ineligible for X' from one sentence are alternatives: one any-of group."""
    ineligible = [c.value for _, c in pairs if c.variable == "ineligible_therapies" and c.role == "required"]
    if not ineligible:
        return pairs
    out = []
    for therapies, c in pairs:
        if c.role == "required" and c.variable in _FAILED_OR_INELIGIBLE and c.value in ineligible:
            c = replace(c, group=f"any:{sentence_start}:failed-or-ineligible:{c.value}")
        out.append((therapies, c))
    return out


def _criterion_key(c: ExtractedCriterion) -> tuple:
    return (c.variable, c.operator, repr(c.value), c.role, c.evidence.source_id, c.evidence.start)


def _unique_criteria(criteria: Iterable[ExtractedCriterion]) -> list[ExtractedCriterion]:
    return list({_criterion_key(c): c for c in criteria}.values())


# ---- spaCy adapter --------------------------------------------------------------------------


class DocEntities:
    """A Doc's entities, read once, by token range.

    `Span.ents` (spaCy 3.8) walks `doc.ents`, which builds a Span for every entity of the Doc
    from a scan of every token, on each call: asked per sentence, that is quadratic in the doc
    and was most of the adapter's time. `within(start, end)` returns the same entities."""

    def __init__(self, doc):
        self.ents = list(doc.ents)
        self.starts = [e.start for e in self.ents]

    def within(self, start: int, end: int) -> list:
        """`Span(doc, start, end).ents`: from the first entity starting at or after `start`, those
        ending by `end`, up to the first that does not (spaCy stops there too)."""
        return entities_within(self.ents, self.starts, start, end)


def entities_within(ents: Sequence, starts: Sequence[int], start: int, end: int) -> list:
    """The loop of `Span.ents` over `ents` (sorted by start; `starts` their token starts) with the
    leading entities skipped by binary search."""
    out = []
    for i in range(bisect_left(starts, start), len(ents)):
        if ents[i].end > end:
            break
        out.append(ents[i])
    return out



def spacy_sentences(doc, offset: int = 0, section: str | None = None, section_kind: str | None = None,
                    context_therapies: Sequence[str] = (), context_sentences: int = 2,
                    source_text: str | None = None, entities: DocEntities | None = None) -> list[SentenceView]:
    """SentenceViews of a processed Doc whose text starts at `offset` in Document.text.

    `source_text` is the original text when the Doc was made from a same-length normalised copy
    (see sentences.unwrap_lines): sentence and mention texts are taken from it, so evidence is
    always a verbatim slice of Document.text.

    `context_therapies` (therapy ids named by the section heading) are attached to the first
    `context_sentences` prose sentences; a bold lead line ('- **Immunosuppressive therapy**')
    sets them for the sentences that follow it in the same way.

    `entities`: the Doc's DocEntities when the caller has them already.
    """
    from etl.nlp.components import doc_text  # spaCy only here: the rules above do not need it

    views: list[SentenceView] = []
    heading_context = list(context_therapies)
    remaining = context_sentences if heading_context else 0
    original = doc_text(doc) if source_text is None else source_text
    ents = DocEntities(doc) if entities is None else entities
    for sent in doc.sents:
        text = original[sent.start_char : sent.end_char]
        if not text.strip():
            continue
        mentions = tuple(_mention_view(e, original, offset) for e in ents.within(sent.start, sent.end) if e.ent_id_)
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


def _mention_view(e, original: str, offset: int) -> MentionView:
    flags = e._  # each `e._` builds an Underscore object: one per entity, not one per flag
    return MentionView(e.ent_id_, e.label_, original[e.start_char : e.end_char], offset + e.start_char,
                       offset + e.end_char, bool(flags.negated), bool(flags.hedged), flags.negation_cue)


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

"""The typed records each stage hands to the next.

Document → Extraction → GraphRows → PathResult → Answer

Records are frozen dataclasses so a stage cannot change what an earlier stage produced.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from typing import Any


class SourceType(str, enum.Enum):  # noqa: UP042 - str() gives "SourceType.PUBMED"; StrEnum would change it
    PUBMED = "pubmed"
    TRIAL = "trial"
    GUIDELINE = "guideline"
    TEXT = "text"


@dataclass(frozen=True)
class Section:
    """A titled span of a Document's text; `start`/`end` are offsets into Document.text."""

    title: str
    start: int
    end: int
    kind: str = "body"  # body | title (a PubMed article title) | abstract | inclusion | exclusion | eligibility | references
    scope: str | None = None  # criteria sections: None = the trial's patients; "donor", "cohort:AML", …


@dataclass(frozen=True)
class Document:
    """One source document as read from disk or fetched, before any NLP."""

    id: str  # CURIE of the source: PMID:123, clinicaltrials:NCT01029262, MDSKG:doc/…
    title: str
    text: str
    source_type: SourceType
    sections: tuple[Section, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    path: str | None = None

    @property
    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for part in (self.id, self.title, self.text):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
        return digest.hexdigest()

    def section_at(self, offset: int) -> Section | None:
        for section in self.sections:
            if section.start <= offset < section.end:
                return section
        return None


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the provenance carried by every edge."""

    source_id: str
    sentence: str
    start: int  # character offsets of the sentence in Document.text
    end: int
    extractor: str  # e.g. "rules@0.1.0" or "claude@<model>"
    section: str | None = None
    citations: tuple[str, ...] = ()  # source CURIEs cited inside the sentence, e.g. [PMID:9401087]


@dataclass(frozen=True)
class Mention:
    """An ontology concept found in the text."""

    concept_id: str
    label: str  # node label from the ontology enum
    text: str
    start: int
    end: int
    negated: bool = False
    hedged: bool = False


@dataclass(frozen=True)
class Threshold:
    """A parsed quantitative condition: `variable operator value unit`."""

    variable: str  # a Criterion variable from the ontology, e.g. "age", "marrow_blasts_pct"
    operator: str  # one of <, <=, >, >=, ==, !=, in, between
    value: Any
    unit: str | None
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class UncheckedLine:
    """An eligibility line of a trial record that no criterion was read from (kind: inclusion | exclusion |
    eligibility). It stays with the trial so a patient and the study team see what the machine did not check."""

    kind: str
    text: str


@dataclass(frozen=True)
class ExtractedCriterion:
    """A condition a therapy's use depends on, with its role."""

    variable: str
    operator: str
    value: Any
    unit: str | None
    role: str  # required | favours | excludes
    text: str
    evidence: Evidence
    concept_id: str | None = None  # biomarker/risk category the criterion is about
    # Trial criteria: whom the criterion is about (None: the trial's patients; "donor", "cohort:AML") and
    # the any-of group it belongs to ("A or B": met when one of the group is met).
    scope: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class Relation:
    """A typed edge between two concepts, with the evidence that states it."""

    type: str  # relationship type from the ontology enum
    subject_id: str
    object_id: str
    confidence: float
    evidence: Evidence
    negated: bool = False
    hedged: bool = False
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExtractedRecommendation:
    """A therapy recommended (or advised against) for a population, with its criteria.

    Becomes a reified Recommendation node: RECOMMENDS the therapy, FOR_POPULATION each
    population, HAS_CRITERION each criterion, SUPPORTED_BY each cited source.
    """

    therapy_id: str
    population_ids: tuple[str, ...]
    strength: str  # recommended | option | may_be_considered | not_recommended | not_established
    evidence: Evidence
    criteria: tuple[ExtractedCriterion, ...] = ()
    line: str | None = None  # first_line | after_failure | maintenance | None
    after_therapy_id: str | None = None  # with line == after_failure: what failed first
    citations: tuple[str, ...] = ()  # source CURIEs cited in the sentence(s)


@dataclass(frozen=True)
class ExtractedOutcome:
    """A result reported by a study: an endpoint with its value (e.g. overall response rate 45 %).

    `endpoint` is one of the closed endpoint list of tests/data/real_gold/README.md; `arm` the group the
    value belongs to when the sentence names it; `comparator_value` the other arm's value ("45% vs 30%");
    `n` the denominator printed with the value; `p` the p-value as printed (normalised string); `hr` /
    `ci` a hazard ratio and its confidence interval.
    """

    endpoint: str
    value: float
    unit: str  # "%" | "months" | "years" | "weeks"
    arm: str | None
    comparator_value: float | None
    n: int | None
    p: str | None
    hr: float | None
    ci: str | None
    text: str  # the matched stretch of the sentence
    evidence: Evidence
    event: str | None = None  # the adverse event of an adverse-event-rate row ("neutropenia")
    timepoint: str | None = None  # when a rate was read ("2 years" for 2-year OS, "8 weeks" for early deaths)


@dataclass(frozen=True)
class Extraction:
    """Everything the NLP stage read from one Document."""

    document: Document
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    criteria: tuple[ExtractedCriterion, ...] = ()
    recommendations: tuple[ExtractedRecommendation, ...] = ()
    unmapped_terms: tuple[str, ...] = ()
    outcomes: tuple[ExtractedOutcome, ...] = ()
    # An abstract's conclusion about its main question: positive | negative | inconclusive, with the text read.
    conclusion: str | None = None
    conclusion_evidence: Evidence | None = None
    # Trial records: eligibility lines no criterion was read from (administrative lines left out).
    unchecked_lines: tuple[UncheckedLine, ...] = ()


@dataclass(frozen=True)
class GraphRows:
    """Rows ready for `UNWIND $rows … MERGE`, grouped by node label and relationship type."""

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    relationships: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)


# ---- answering -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PathNode:
    id: str
    label: str
    name: str


@dataclass(frozen=True)
class PathStep:
    type: str
    from_id: str
    to_id: str
    citations: tuple[str, ...] = ()  # source CURIEs behind this hop
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PathResult:
    """One walked graph path with the evidence on each hop."""

    nodes: tuple[PathNode, ...]
    steps: tuple[PathStep, ...]
    score: float = 0.0
    text: str = ""  # "MDS → lower-risk MDS → …"


@dataclass(frozen=True)
class Fact:
    """One statement the answer may make, with the sources that support it.

    Writers may only say what facts say; the grounding check compares written text against
    `terms` (names of drugs, therapies, genes, tests) and `numbers` of the supplied facts.
    """

    id: str  # "F1", "F2", … (stable within one answer)
    section: str  # which answer section the fact belongs to
    text: str  # plain-language statement
    citations: tuple[str, ...] = ()  # source CURIEs
    terms: tuple[str, ...] = ()  # surface names of concepts the statement names
    numbers: tuple[str, ...] = ()  # numbers as written in `text`, e.g. "60", "5%", "500 mU/mL"


@dataclass(frozen=True)
class Citation:
    id: str  # CURIE
    title: str
    year: int | None = None
    url: str | None = None


@dataclass(frozen=True)
class AnswerSection:
    title: str
    body: str


@dataclass(frozen=True)
class GroundingSummary:
    """What the answer writer's check verified: per sentence, against the facts each cites."""

    method: str  # "sentence" (each AI-written sentence checked) | "template" (the sources' own wording)
    checked: int = 0  # AI-written sentences checked
    kept: int = 0  # … that passed and are shown
    replaced: int = 0  # … that failed and were replaced by the template's sentences for their facts
    dropped: int = 0  # … that failed and were left out
    filled: int = 0  # template sentences that completed an unfinished reply (deadline, cut off)
    rules: tuple[str, ...] = ()  # the rules every sentence was checked by
    failed_rules: tuple[str, ...] = ()  # the rules some sentence failed
    badge: str = ""  # one line saying exactly what was checked
    note: str | None = None  # the plain-words note the answer carries when part is the fallback's
    complete: bool = True  # False when the reply was unfinished and the template wrote the rest
    fallback_reason: str | None = None


@dataclass(frozen=True)
class Answer:
    question: str
    intent: str
    entities: tuple[PathNode, ...]
    paths: tuple[PathResult, ...]
    therapies: tuple[PathNode, ...]
    sections: tuple[AnswerSection, ...]
    text: str
    citations: tuple[Citation, ...]
    writer: str  # "template" | "claude" | "template (claude fallback: <reason>)"
    grounded: bool
    disclaimer: str
    facts: tuple[Fact, ...] = ()
    covered: bool = True  # False when our sources do not cover the question
    closest: tuple[str, ...] = ()  # with covered=False: the nearest topics the graph does cover
    grounding: GroundingSummary | None = None  # what the writer's check verified

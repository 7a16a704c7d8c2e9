"""Extractors: Document → Extraction (mentions, relations, criteria, recommendations).

    from etl.extract import get_extractor
    extraction = get_extractor("rules").extract(document)

`RuleExtractor` (the default) runs the spaCy rule pipeline of etl/nlp section by section with
`nlp.pipe` and applies etl/nlp/relations/. `ClaudeExtractor` asks Claude, through tool use
with a JSON schema built from the ontology, for the same records; its output is validated
against the ontology before it is converted, and it is only used when asked for by name.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from etl.nlp.conclusions import conclusion_of
from etl.nlp.outcomes import lineage_responses, sentence_outcomes
from etl.nlp.relations import EXTRACTOR, VERSION, DocEntities, RelationRules, spacy_sentences
from etl.nlp.relations.criteria import one_form_per_condition
from etl.nlp.sentences import unwrap_lines
from etl.nlp.trial_criteria import scoped_criteria, unchecked_lines
from mdskg.records import (
    Document,
    Evidence,
    ExtractedCriterion,
    ExtractedOutcome,
    ExtractedRecommendation,
    Extraction,
    Mention,
    Relation,
    SourceType,
)
from ontology.model import normalise_surface

log = logging.getLogger(__name__)

SKIPPED_SECTION_KINDS = ("references",)
MAX_UNMAPPED = 25


@dataclass(frozen=True)
class Chunk:
    """A stretch of Document.text processed as one spaCy Doc."""

    start: int
    end: int
    title: str | None
    kind: str | None


def document_chunks(document: Document) -> list[Chunk]:
    """The sections to read (reference lists skipped); the whole text when there are none."""
    if not document.sections:
        return [Chunk(0, len(document.text), None, None)]
    return [Chunk(s.start, s.end, s.title or None, s.kind) for s in document.sections
            if s.kind not in SKIPPED_SECTION_KINDS and s.end > s.start]


class RuleExtractor:
    """The rule-based extractor: ontology ruler + thresholds + negation + sentence rules."""

    name = "rules"
    version = VERSION

    def __init__(self, ontology=None, nlp=None):
        if ontology is None:
            from ontology import load_ontology

            ontology = load_ontology()
        self.ontology = ontology
        self._nlp = nlp
        self.rules = RelationRules(ontology, EXTRACTOR)
        # category variables: values of one named in alternatives are one criterion (one_form_per_condition)
        self._category_variables = frozenset(name for name, spec in ontology.criterion_variables.items()
                                             if spec.type == "category")

    @property
    def nlp(self):
        if self._nlp is None:
            from etl.nlp.pipeline import build_pipeline, default_pipeline
            from ontology import load_ontology

            default = load_ontology()
            self._nlp = default_pipeline() if self.ontology is default else build_pipeline(self.ontology)
        return self._nlp

    def extract(self, document: Document) -> Extraction:
        chunks = document_chunks(document)
        texts = (unwrap_lines(document.text[c.start : c.end]) for c in chunks)
        mentions: list[Mention] = []
        sentences = []
        docs = []
        doc_entities = []
        for chunk, doc in zip(chunks, self.nlp.pipe(texts, batch_size=16), strict=True):
            original = document.text[chunk.start : chunk.end]
            docs.append((chunk, doc))
            entities = DocEntities(doc)  # doc.ents builds every entity Span anew: read once
            doc_entities.append(entities)
            mentions += _mentions(entities.ents, chunk.start, original)
            context = self._heading_therapies(doc, chunk, document)
            sentences += spacy_sentences(doc, chunk.start, chunk.title, chunk.kind, context, source_text=original,
                                         entities=entities)
        result = self.rules.document(sentences, document.id, trial=document.source_type == SourceType.TRIAL)
        outcomes = self._outcomes(document, sentences)
        criteria = result.criteria
        unchecked = ()
        if document.source_type == SourceType.TRIAL:
            unchecked = tuple(unchecked_lines(document, criteria))
            criteria = one_form_per_condition(scoped_criteria(document, criteria), self._category_variables)
        conclusion = conclusion_of(document) if document.source_type == SourceType.PUBMED else None
        return Extraction(
            document=document,
            mentions=tuple(mentions),
            relations=tuple(result.relations),
            criteria=tuple(criteria),
            recommendations=tuple(result.recommendations),
            unmapped_terms=tuple(unmapped_terms(docs, entities=doc_entities)),
            outcomes=outcomes,
            conclusion=conclusion.label if conclusion else None,
            conclusion_evidence=Evidence(document.id, conclusion.sentence, conclusion.start, conclusion.end,
                                         f"{EXTRACTOR}@{VERSION}", "conclusion") if conclusion else None,
            unchecked_lines=unchecked,
        )

    def _outcomes(self, document: Document, sentences) -> tuple[ExtractedOutcome, ...]:
        """Endpoint + value results of a PubMed abstract (etl/nlp/outcomes.py), one Evidence per sentence."""
        if document.source_type != SourceType.PUBMED:
            return ()
        found: list[ExtractedOutcome] = []
        for sv in sentences:
            if sv.section_kind != "abstract":
                continue
            found += sentence_outcomes(sv.text, self.rules.evidence(sv, document.id))
        abstract = " ".join(sv.text for sv in sentences if sv.section_kind == "abstract")
        return tuple(lineage_responses(found, abstract))

    def _heading_therapies(self, doc, chunk: Chunk, document: Document) -> tuple[str, ...]:
        """A section whose heading is a therapy name ('#### Immunosuppressive therapy')."""
        if not chunk.title or len(chunk.title) > 60:
            return ()
        from etl.nlp.components import doc_text

        first_line = doc_text(doc).split("\n", 1)[0]
        if first_line.strip().lstrip("#").strip() != chunk.title.strip():
            return ()  # the section's heading is not in the text (registry fields, front matter)
        heading_ents = [e for e in doc.ents if e.start_char < len(first_line)]
        therapies = [e.ent_id_ for e in heading_ents if e.label_ == "Therapy"]
        covered = sum(len(e.text) for e in heading_ents if e.label_ == "Therapy")
        if len(therapies) == 1 and covered >= len(chunk.title.strip()) - 3:
            return tuple(therapies)
        return ()


def _mentions(ents, offset: int, original: str) -> list[Mention]:
    """Mentions of a Doc's entities (`doc.ents`) that have a concept id."""
    return [_mention(e, offset, original) for e in ents if e.ent_id_]


def _mention(e, offset: int, original: str) -> Mention:
    flags = e._  # each `e._` builds an Underscore object: one per entity, not one per flag
    return Mention(concept_id=e.ent_id_, label=e.label_, text=original[e.start_char : e.end_char],
                   start=offset + e.start_char, end=offset + e.end_char, negated=bool(flags.negated),
                   hedged=bool(flags.hedged))


# ---- unmapped terms -------------------------------------------------------------------------

_THERAPY_CONTEXT = re.compile(
    r"\b(?:treat\w*|therap\w*|drugs?|agents?|medicines?|options?|recommend\w*|approved|regimens?|inhibitors?"
    r"|given|administ\w*|dose\w*|trials?|respon\w*|investigational|experimental|antibod\w*|tested|stud\w*)\b",
    re.I,
)
_DRUG_LIKE = re.compile(
    r"\b(?:[A-Z][a-z]+(?:mab|nib|tib|sib|stat|cept|parin|platin|taxel|rubicin|mycin|cycline|azole|vir|tide|lisib"
    r"|degib|zomib|abine|idomide)|[a-z]{4,}(?:mab|nib|tinib|zumab|ximab|cept|stat|lisib|degib|zomib|tide|parin"
    r"|platin|taxel|rubicin|mycin|cycline|azole|navir|idine|abine|amide|alimide))\b"
)
_CODE_LIKE = re.compile(r"\b[A-Z]{2,5}-?\d{3,6}\b")  # investigational compound codes: CC-486, MBG453
_NOT_MEDICAL = re.compile(
    r"\b(?:organi[sz]ation|institutes?|administration|association|society|group|board|service|query|cent(?:er|re)"
    r"|foundation|agency|council|network|national|survival|response|criteria|classification|scoring|system"
    r"|count|hybridi[sz]ation|analysis|cooperative|performance|status|interval|ratio|rate|level|index)\b",
    re.I,
)
_UNMAPPED_STOP = {
    "Food And Drug Administration", "Food and Drug Administration", "National Cancer Institute", "United States",
    "Health Professional", "Current Clinical Trials", "General Information", "Treatment Option", "Level Of",
    "Clinical Trials", "Editorial Board", "The", "Use", "Most", "Some", "These", "This",
}


def unmapped_terms(docs: Iterable[tuple[Any, Any]], limit: int = MAX_UNMAPPED,
                   entities: Sequence[DocEntities] | None = None) -> list[str]:
    """Medical-looking words near therapy cues that matched no ontology concept, most frequent first.

    Sources: scispaCy abbreviation long forms that mapped to nothing, drug-like words
    (-mab, -nib, -cept …), compound codes (CC-486) and the generic NER spans when that component
    is in the pipeline. A short list for curators, not a finding.

    `entities`: each Doc's DocEntities, in the order of `docs`, when the caller has them.
    """
    from etl.nlp.components import doc_text  # spaCy is imported only when Docs are given

    counts: Counter[str] = Counter()
    for index, (_, doc) in enumerate(docs):
        # The Doc's text and entities are read once: `sent.text` joins the sentence's tokens and
        # `sent.ents` rebuilds every entity of the Doc, on each call (see DocEntities).
        text = doc_text(doc)
        ents = DocEntities(doc) if entities is None else entities[index]
        mapped = [(e.start_char, e.end_char) for e in ents.ents if e.ent_id_]

        def free(start: int, end: int, mapped: list[tuple[int, int]] = mapped) -> bool:
            return not any(a < end and start < b for a, b in mapped)

        for sent in doc.sents:
            base = sent.start_char
            sent_text = text[base : sent.end_char]  # == sent.text
            if not _THERAPY_CONTEXT.search(sent_text):
                continue
            for regex in (_DRUG_LIKE, _CODE_LIKE):
                for m in regex.finditer(sent_text):
                    if free(base + m.start(), base + m.end()):
                        counts[m.group()] += 1
            for e in ents.within(sent.start, sent.end):
                if not e.ent_id_ and e.label_.startswith("GENERIC_") and free(e.start_char, e.end_char):
                    counts[e.text] += 1
        for short in getattr(doc._, "abbreviations", []) or []:
            long_form = short._.long_form
            if long_form is None or isinstance(long_form, str):
                continue
            if not re.search(r"[A-Z]", short.text) or long_form.text.lower() == short.text.lower():
                continue  # "(3 placebo capsules)" is a parenthesis, not an abbreviation
            if _NOT_MEDICAL.search(long_form.text):
                continue  # organisations, outcome measures, lab methods: not therapy vocabulary
            if free(long_form.start_char, long_form.end_char) and free(short.start_char, short.end_char):
                counts[f"{long_form.text} ({short.text})"] += 1
    known = _known_surface_forms()
    words = [w for w, _ in counts.most_common()
             if w not in _UNMAPPED_STOP and len(w) > 3 and normalise_surface(w) not in known]
    return words[:limit]


@functools.lru_cache(maxsize=1)
def _known_surface_forms() -> frozenset[str]:
    """Every name the ontology knows: a word the ruler missed in one place is not 'unmapped'."""
    from ontology import load_ontology

    return frozenset(normalise_surface(sf.text) for sf in load_ontology().surface_forms())


# ---- Claude ---------------------------------------------------------------------------------

TOOL_NAME = "record_extraction"
CLAUDE_SYSTEM = (
    "You extract facts about myelodysplastic syndromes (MDS) from one document into a fixed graph model. "
    "Use only concept ids from the enum; skip anything that has no id. Every item must quote the exact "
    "sentence of the document it comes from. Do not add facts the text does not state."
)


def tool_schema(ontology) -> dict:
    """The JSON schema of the extraction tool, built from the ontology (labels, relationship
    types, concept ids, criterion variables/operators/roles)."""
    concept_ids = sorted(ontology.concepts)
    relation_types = sorted(ontology.relationship_types)
    variables = sorted(ontology.criterion_variables)
    sentence = {"type": "string", "description": "The exact sentence of the document that states this."}
    criterion = {
        "type": "object",
        "properties": {
            "variable": {"type": "string", "enum": variables},
            "operator": {"type": "string", "enum": list(ontology.criterion_operators)},
            "value": {"description": "number, string, boolean or list"},
            "unit": {"type": ["string", "null"]},
            "role": {"type": "string", "enum": list(ontology.criterion_roles)},
            "therapy_id": {"type": ["string", "null"], "enum": concept_ids + [None]},
            "concept_id": {"type": ["string", "null"], "enum": concept_ids + [None]},
            "text": {"type": "string"},
            "sentence": sentence,
        },
        "required": ["variable", "operator", "value", "role", "sentence"],
    }
    return {
        "name": TOOL_NAME,
        "description": "Record the MDS concepts, relations, recommendations and criteria stated in the document.",
        "input_schema": {
            "type": "object",
            "properties": {
                "mentions": {"type": "array", "items": {
                    "type": "object",
                    "properties": {"concept_id": {"type": "string", "enum": concept_ids},
                                   "label": {"type": "string", "enum": sorted(ontology.node_types)},
                                   "text": {"type": "string"}},
                    "required": ["concept_id", "text"]}},
                "relations": {"type": "array", "items": {
                    "type": "object",
                    "properties": {"type": {"type": "string", "enum": relation_types},
                                   "subject_id": {"type": "string", "enum": concept_ids},
                                   "object_id": {"type": "string", "enum": concept_ids},
                                   "negated": {"type": "boolean"}, "hedged": {"type": "boolean"},
                                   "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                                   "sentence": sentence},
                    "required": ["type", "subject_id", "object_id", "sentence"]}},
                "recommendations": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "therapy_id": {"type": "string", "enum": concept_ids},
                        "population_ids": {"type": "array", "items": {"type": "string", "enum": concept_ids}},
                        "strength": {"type": "string", "enum": ["recommended", "option", "may_be_considered",
                                                                "not_recommended", "not_established"]},
                        "line": {"type": ["string", "null"], "enum": ["first_line", "after_failure", "maintenance",
                                                                      None]},
                        "after_therapy_id": {"type": ["string", "null"], "enum": concept_ids + [None]},
                        "sentence": sentence},
                    "required": ["therapy_id", "population_ids", "strength", "sentence"]}},
                "criteria": {"type": "array", "items": criterion},
            },
            "required": ["mentions", "relations", "recommendations", "criteria"],
        },
    }


class ClaudeExtractor:
    """Extraction by Claude with tool use; optional (needs an API key), never the default.

    Items that do not validate against the ontology (unknown ids, a relationship type or label
    pair the model does not allow, a sentence that is not in the document, a criterion variable
    or operator outside model.yaml) are dropped and listed in `self.rejected`.
    """

    name = "claude"

    def __init__(self, settings, ontology=None, client=None):
        if ontology is None:
            from ontology import load_ontology

            ontology = load_ontology()
        self.settings = settings
        self.ontology = ontology
        self.model = getattr(settings, "claude_model", None) or "claude-sonnet-5"
        self.version = self.model
        self._client = client
        self.rejected: list[str] = []

    @property
    def client(self):
        if self._client is None:
            import anthropic

            kwargs: dict[str, Any] = {"api_key": self.settings.anthropic_api_key}
            if getattr(self.settings, "anthropic_base_url", None):
                kwargs["base_url"] = self.settings.anthropic_base_url
            kwargs["timeout"] = getattr(self.settings, "llm_timeout_s", 60.0) * 3
            kwargs["max_retries"] = getattr(self.settings, "llm_max_retries", 2)
            self._client = anthropic.Anthropic(**kwargs)
        return self._client

    def extract(self, document: Document) -> Extraction:
        tool = tool_schema(self.ontology)
        response = self.client.messages.create(
            model=self.model,
            max_tokens=max(4000, getattr(self.settings, "llm_max_tokens", 1500)),
            system=CLAUDE_SYSTEM,
            tools=[tool],
            tool_choice={"type": "tool", "name": TOOL_NAME},
            messages=[{"role": "user", "content": f"Document {document.id}: {document.title}\n\n{document.text}"}],
        )
        payload = _tool_input(response)
        return self.convert(document, payload)

    # -- validation and conversion --
    def convert(self, document: Document, payload: dict) -> Extraction:
        self.rejected = []
        extractor = f"claude@{self.model}"
        mentions = [m for m in (self._mention(document, item) for item in payload.get("mentions") or []) if m]
        relations = [r for r in (self._relation(document, item, extractor)
                                 for item in payload.get("relations") or []) if r]
        criteria_pairs = [c for c in (self._criterion(document, item, extractor)
                                      for item in payload.get("criteria") or []) if c]
        recommendations = [r for r in (self._recommendation(document, item, extractor)
                                       for item in payload.get("recommendations") or []) if r]
        by_therapy: dict[str, list[ExtractedCriterion]] = {}
        for therapy_id, criterion in criteria_pairs:
            if therapy_id:
                by_therapy.setdefault(therapy_id, []).append(criterion)
        recommendations = [
            rec if rec.strength in ("not_recommended", "not_established")
            else _with_criteria(rec, by_therapy.get(rec.therapy_id, []))
            for rec in recommendations
        ]
        if self.rejected:
            log.warning("claude extraction of %s: %d items rejected", document.id, len(self.rejected))
        return Extraction(document=document, mentions=tuple(mentions), relations=tuple(relations),
                          criteria=tuple(c for _, c in criteria_pairs), recommendations=tuple(recommendations))

    def _reject(self, kind: str, item: Any, reason: str) -> None:
        self.rejected.append(f"{kind}: {reason}: {json.dumps(item, default=str)[:200]}")

    def _evidence(self, document: Document, sentence: Any, extractor: str) -> Evidence | None:
        if not isinstance(sentence, str) or not sentence.strip():
            return None
        start = document.text.find(sentence.strip())
        if start < 0:
            return None
        end = start + len(sentence.strip())
        section = document.section_at(start)
        from etl.nlp.citations import citations_in

        return Evidence(document.id, document.text[start:end], start, end, extractor,
                        section.title if section else None, citations_in(document.text, start, end))

    def _mention(self, document: Document, item: dict) -> Mention | None:
        concept = self.ontology.concepts.get(item.get("concept_id"))
        text = item.get("text") or ""
        if concept is None:
            self._reject("mention", item, "unknown concept id")
            return None
        start = document.text.find(text) if text else -1
        if start < 0:
            self._reject("mention", item, "text not in document")
            return None
        return Mention(concept.id, concept.label, text, start, start + len(text))

    def _relation(self, document: Document, item: dict, extractor: str) -> Relation | None:
        rel_type = item.get("type")
        subject = self.ontology.concepts.get(item.get("subject_id"))
        obj = self.ontology.concepts.get(item.get("object_id"))
        if rel_type not in self.ontology.relationship_types or subject is None or obj is None:
            self._reject("relation", item, "unknown type or concept id")
            return None
        if (subject.label, obj.label) not in self.ontology.relationship_types[rel_type].pairs:
            self._reject("relation", item, f"{rel_type} does not allow {subject.label}→{obj.label}")
            return None
        evidence = self._evidence(document, item.get("sentence"), extractor)
        if evidence is None:
            self._reject("relation", item, "sentence not in document")
            return None
        confidence = item.get("confidence")
        confidence = float(confidence) if isinstance(confidence, (int, float)) and 0 <= confidence <= 1 else 0.7
        return Relation(rel_type, subject.id, obj.id, confidence, evidence, bool(item.get("negated")),
                        bool(item.get("hedged")))

    def _criterion(self, document: Document, item: dict, extractor: str):
        variable, operator, role = item.get("variable"), item.get("operator"), item.get("role")
        if variable not in self.ontology.criterion_variables or operator not in self.ontology.criterion_operators \
                or role not in self.ontology.criterion_roles:
            self._reject("criterion", item, "variable, operator or role not in the model")
            return None
        spec = self.ontology.criterion_variables[variable]
        value = item.get("value")
        if spec.values and operator in ("==", "!=") and value not in spec.values:
            self._reject("criterion", item, f"value {value!r} not allowed for {variable}")
            return None
        evidence = self._evidence(document, item.get("sentence"), extractor)
        if evidence is None:
            self._reject("criterion", item, "sentence not in document")
            return None
        concept_id = item.get("concept_id") if item.get("concept_id") in self.ontology.concepts else None
        therapy_id = item.get("therapy_id") if item.get("therapy_id") in self.ontology.concepts else None
        criterion = ExtractedCriterion(variable, operator, value, item.get("unit", spec.unit), role,
                                       item.get("text") or evidence.sentence, evidence, concept_id)
        return therapy_id, criterion

    def _recommendation(self, document: Document, item: dict, extractor: str) -> ExtractedRecommendation | None:
        therapy = self.ontology.concepts.get(item.get("therapy_id"))
        populations = [self.ontology.concepts.get(p) for p in item.get("population_ids") or []]
        if therapy is None or therapy.label not in ("Therapy", "Drug"):
            self._reject("recommendation", item, "therapy id unknown or not a Therapy/Drug")
            return None
        if not populations or any(p is None or p.label not in ("PatientGroup", "RiskCategory", "Subtype", "Disease")
                                  for p in populations):
            self._reject("recommendation", item, "population ids unknown or of the wrong label")
            return None
        strength = item.get("strength")
        if strength not in ("recommended", "option", "may_be_considered", "not_recommended", "not_established"):
            self._reject("recommendation", item, "unknown strength")
            return None
        evidence = self._evidence(document, item.get("sentence"), extractor)
        if evidence is None:
            self._reject("recommendation", item, "sentence not in document")
            return None
        after = item.get("after_therapy_id")
        after = after if after in self.ontology.concepts else None
        line = item.get("line") if item.get("line") in ("first_line", "after_failure", "maintenance") else None
        return ExtractedRecommendation(therapy.id, tuple(p.id for p in populations), strength, evidence, (), line,
                                       after if line == "after_failure" else None, evidence.citations)


def _with_criteria(rec: ExtractedRecommendation, criteria: list[ExtractedCriterion]) -> ExtractedRecommendation:
    from dataclasses import replace

    return replace(rec, criteria=tuple(criteria))


def _tool_input(response) -> dict:
    """The input of the first tool_use block (SDK objects or plain dicts)."""
    content = getattr(response, "content", None)
    if content is None and isinstance(response, dict):
        content = response.get("content")
    for block in content or []:
        block_type = getattr(block, "type", None) or (block.get("type") if isinstance(block, dict) else None)
        if block_type == "tool_use":
            data = getattr(block, "input", None)
            if data is None and isinstance(block, dict):
                data = block.get("input")
            return data if isinstance(data, dict) else {}
    return {}


# ---- factory --------------------------------------------------------------------------------


def get_extractor(name: str = "rules", settings=None, ontology=None):
    """'rules' (default) or 'claude' (needs settings.anthropic_api_key)."""
    name = (name or "rules").lower()
    if name in ("rules", "rule", "default"):
        return RuleExtractor(ontology)
    if name == "claude":
        if settings is None:
            from mdskg.settings import load_settings

            settings = load_settings()
        if not getattr(settings, "anthropic_api_key", None):
            raise ValueError("the claude extractor needs ANTHROPIC_API_KEY")
        return ClaudeExtractor(settings, ontology)
    raise ValueError(f"unknown extractor {name!r} (choose 'rules' or 'claude')")

"""Question → Answer: understand, walk the graph, compose facts, write, check.

This is the one place the stages meet: `understand` (no LLM), `compose` (parameterized
Cypher in read transactions), a writer (template by default, Claude with a key), and the
grounding check inside the Claude writer.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from functools import lru_cache

from graph.db import Graph
from mdskg.records import Answer, Citation, PathNode
from mdskg.settings import Settings
from ontology import load_ontology
from service.compose import Composition
from service.plans import PlanInput, compose_for_intent
from service.sources import RequestSources, read_sources
from service.understand import Understanding, understand
from service.writers import (
    DEFAULT_SECTION_TITLES,
    Writer,
    WriterInput,
    WrittenAnswer,
    write_within,
    writer_from_settings,
)

log = logging.getLogger("mdskg.answer")

DISCLAIMER = (
    "This is general information drawn from published sources, not medical advice. Treatment choices "
    "depend on your full medical picture: please discuss them with your hematologist."
)
MAX_QUESTION_CHARS = 2000


@lru_cache(maxsize=1)
def grounding_vocabulary():
    from service.writers.grounding import Vocabulary

    onto = load_ontology()
    return Vocabulary((sf.text, sf.concept_id, sf.label, sf.kind) for sf in onto.surface_forms()
                      if sf.label in {"Drug", "Therapy", "Biomarker", "SideEffect", "Subtype", "RiskScheme"})


# What to point at when nothing in the question is near a topic we cover: the disease and its main branches.
CORE_TOPIC_IDS = ("NCIT:C3247", "MDSKG:risk/lower-risk", "MDSKG:risk/higher-risk", "MDSKG:scheme/ipss-r",
                  "MDSKG:therapy/hma", "MDSKG:therapy/allo-hsct")


def closest_topics(graph: Graph, question: str, timeout_s: float | None) -> list[str]:
    from service.search import search_entities

    names = [row.name for row in search_entities(graph, question, first=5, timeout_s=timeout_s)]
    if not names:
        onto = load_ontology()
        names = [onto.concepts[c].name for c in CORE_TOPIC_IDS if c in onto.concepts]
    return names


@dataclass
class PreparedAnswer:
    """An answer before its writer runs: what was understood, composed and cited."""

    question: str
    understanding: Understanding
    composition: Composition
    citations: list[Citation]
    writer_input: WriterInput
    started: float
    deadline_s: float

    def writer_time_left(self) -> float:
        """Seconds the writer may take: what is left of 85% of the deadline (at least half a second),
        so the template can still finish the answer and the response be sent in time."""
        return max(0.5, self.started + self.deadline_s * 0.85 - time.monotonic())


def prepare_answer(graph: Graph, question: str, settings: Settings, deadline_s: float | None = None,
                   lead_citations: list[str] | None = None, lead_section=None,
                   sources: RequestSources | None = None) -> PreparedAnswer:
    """Understand the question and compose its facts (one read transaction), ready to write."""
    started = time.monotonic()
    question = (question or "").strip()
    u: Understanding = understand(question[:MAX_QUESTION_CHARS])
    timeout_s = deadline_s or settings.request_deadline_s
    # All of an answer's reads share one read transaction (one BEGIN, one connection, one timeout),
    # closed before the writer runs: a Claude call must not hold a transaction open.
    with graph.reading(timeout_s) as reads:
        comp: Composition = compose_for_intent(reads, PlanInput(question=question, intent=u.intent,
                                                                entities=u.entities, values=u.values,
                                                                timeout_s=timeout_s))
        if (not comp.facts or u.intent == "off_topic") and lead_section is None:
            comp.closest = closest_topics(reads, question, timeout_s)
            comp.covered = bool(comp.facts)  # an off-topic answer still says what it is and what we cover
        citation_ids = list(dict.fromkeys([*(lead_citations or ()), *comp.citation_ids]))
        path_ids = [c for p in comp.paths[:20] for step in p.steps for c in step.citations]
        details = read_sources(reads, [*citation_ids, *path_ids], timeout_s) if citation_ids or path_ids else {}
        citations = [details[c].citation() for c in citation_ids]
    if sources is not None:
        sources.add(details)
    inp = WriterInput(question=question, intent=u.intent, facts=tuple(comp.facts), citations=tuple(citations),
                      covered=comp.covered, closest=tuple(comp.closest),
                      section_titles=comp.section_titles or DEFAULT_SECTION_TITLES)
    return PreparedAnswer(question, u, comp, citations, inp, started, float(timeout_s))


def finish_answer(prepared: PreparedAnswer, written: WrittenAnswer, lead_section=None) -> Answer:
    """The Answer from what was composed and what the writer wrote."""
    comp, u, citations = prepared.composition, prepared.understanding, prepared.citations
    # With a lead section (the patient's plan) the question is answered even when no general fact matched.
    sections = list(written.sections) if comp.facts and comp.covered or lead_section is None else []
    if lead_section is not None:
        position = {c.id: i for i, c in enumerate(citations, start=1)}
        sections = [lead_section(position.get)] + sections
    text = "\n\n".join(f"## {s.title}\n\n{s.body.strip()}" for s in sections if s.body.strip())
    return Answer(
        question=prepared.question,
        intent=u.intent,
        entities=tuple(PathNode(e.id, e.label, e.name) for e in u.entities),
        paths=tuple(comp.paths[:20]),
        therapies=tuple(comp.therapies.values()),
        sections=tuple(sections),
        text=text,
        citations=tuple(citations),
        writer=written.writer,
        grounded=written.grounded,
        disclaimer=DISCLAIMER,
        facts=tuple(comp.facts),
        covered=(comp.covered and u.intent != "off_topic") or lead_section is not None,
        closest=tuple(comp.closest),
        grounding=written.grounding,
    )


def answer_question(graph: Graph, question: str, settings: Settings, deadline_s: float | None = None,
                    writer: Writer | None = None, lead_citations: list[str] | None = None, lead_section=None,
                    sources: RequestSources | None = None) -> Answer:
    """`lead_section(number)`, when given, writes a section that comes first (the patient's plan);
    `number(curie)` gives a citation's number in the answer, `lead_citations` being numbered first.
    `writer`: the app's writer (without one, a writer is made for this answer and closed after it).
    `sources`: the request's sources, given the details of every source the answer and its paths
    cite, read in the answer's transaction. The writer gets what is left of the deadline."""
    prepared = prepare_answer(graph, question, settings, deadline_s, lead_citations, lead_section, sources)
    own_writer = writer is None
    if writer is None:
        writer = writer_from_settings(settings, grounding_vocabulary(), deadline_s=prepared.deadline_s)
    try:
        written = write_within(writer, prepared.writer_input, prepared.writer_time_left())
    finally:
        if own_writer and hasattr(writer, "close"):
            writer.close()
    return finish_answer(prepared, written, lead_section)

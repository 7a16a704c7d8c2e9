"""The GraphQL schema: the contract front-end apps build on.

Field names here are relied on by apps and by our own checks; add fields freely, rename none.
Expected outcomes are part of the schema (nullable fields, `covered`, verdicts such as
UNKNOWN); unexpected errors are masked by the view.
"""

from __future__ import annotations

import graphene

from graph import reads as typed_reads
from mdskg.records import Answer as AnswerRecord
from ontology import load_ontology
from service.cache import mark_cacheable
from service.errors import UserFacingError
from service.extensions import get_answer_graph, get_graph, get_settings, get_writer, request_sources
from service.graphql_types import (
    Citation,
    Entity,
    FactType,
    GraphInfo,
    Node,
    Path,
    Section,
    checked_text,
    connection_types,
    described_enum,
    fact_id,
    offset_connection,
    page_bounds,
    path_to_graphql,
    request_deadline,
)
from service.grounding_graphql import GroundingCheck, grounding_to_graphql
from service.intents import INTENTS
from service.patient.graphql import (
    EligibilityResult,
    PatientInput,
    PatientMutations,
    PatientQueries,
    PlanQueries,
    TreatmentPlan,
    TrialQueries,
    patient_answer,
)


def _intent_words(intent: str) -> str:
    return f"A question about {intent.replace('_', ' ')}."


Intent = described_enum("Intent", list(INTENTS), "What a question asks for (service/intents.py).", _intent_words)


class Answer(graphene.ObjectType):
    """The answer to one question, with the facts, paths and sources it rests on (no id: an answer is not stored)."""

    question = graphene.String(required=True, description="The question as asked.")
    intent = graphene.String(required=True, description="What the question asks for (definition, efficacy, …).",
                             deprecation_reason="Use `questionIntent` (an enum).")
    question_intent = graphene.Field(Intent, description="What the question asks for; null for a kind not listed in "
                                                         "the enum.")
    entities = graphene.List(graphene.NonNull(Entity), required=True, description="Concepts recognised in the question.")
    paths = graphene.List(graphene.NonNull(Path), required=True, description="Graph paths the answer used.")
    therapies = graphene.List(graphene.NonNull(Entity), required=True, description="Therapies the answer is about.")
    sections = graphene.List(graphene.NonNull(Section), required=True, description="The answer in sections.")
    text = graphene.String(required=True, description="The whole answer as text (the sections joined).")
    citations = graphene.List(graphene.NonNull(Citation), required=True,
                              description="Sources, in the order the `[n]` markers of the sections number them.")
    writer = graphene.String(required=True, description="template, claude:<model>, claude:<model> (partial fallback: …) "
                                                         "or template (claude fallback: …)")
    grounded = graphene.Boolean(required=True, description="Whether the text passed the grounding check.")
    grounding = graphene.Field(GroundingCheck, description="What the writer's check verified, sentence by sentence.")
    disclaimer = graphene.String(required=True, description="What the answer is not (medical advice), to show with it.")
    covered = graphene.Boolean(required=True, description="False when our sources do not cover the question.")
    closest = graphene.List(graphene.NonNull(graphene.String), required=True,
                            description="With covered=false: the nearest topics our sources do cover.")
    facts = graphene.List(graphene.NonNull(FactType), required=True, description="The statements the answer rests on.")
    eligibility = graphene.List(graphene.NonNull(EligibilityResult), required=True,
                                description="Per-therapy eligibility when a patient was given (one row per therapy).")
    treatment_plan = graphene.Field(TreatmentPlan,
                                    description="With a patient: the ranked treatment plan the answer leads with.")


def answer_to_graphql(a: AnswerRecord, eligibility=None, treatment_plan=None) -> Answer:
    return Answer(
        question=a.question, intent=a.intent,
        entities=[Entity.make(e.id, e.label, e.name) for e in a.entities],
        paths=[path_to_graphql(p) for p in a.paths],
        therapies=[Entity.make(t.id, t.label, t.name) for t in a.therapies],
        sections=[Section(title=s.title, body=s.body) for s in a.sections],
        text=a.text,
        citations=[Citation(id=c.id, title=c.title, year=c.year, url=c.url) for c in a.citations],
        writer=a.writer, grounded=a.grounded, disclaimer=a.disclaimer, covered=a.covered, closest=list(a.closest),
        grounding=grounding_to_graphql(a.grounding),
        facts=[FactType(id=fact_id(f), local_id=f.id, section=f.section, text=f.text, citations=list(f.citations))
               for f in a.facts],
        eligibility=eligibility or [],
        treatment_plan=treatment_plan,
    )


def _resolve_question_intent(answer, info):
    return answer.intent if answer.intent in INTENTS else None


Answer.resolve_question_intent = staticmethod(_resolve_question_intent)


# Intents whose answer is a treatment plan when the question itself carries the patient's values.
PLAN_INTENTS = frozenset({"candidate", "next_after_failure", "alternatives", "treat_or_watch"})


def _question_patient(question: str):
    """The partial patient typed into a question ("I'm 72, low-risk, ring sideroblasts, 2 units every
    8 weeks - am I a candidate for luspatercept?"), when the question asks for a treatment plan."""
    from service.understand import understand

    u = understand(question[:2000])
    values = u.values
    if u.intent not in PLAN_INTENTS or values is None or getattr(values, "patient", None) is None:
        return None
    return values.patient


MAX_SEARCH_HITS = 100
MAX_SOURCES_PAGE = 1000
MAX_NODES = 100


EntityEdge, EntityConnection = connection_types(
    "Entity", Entity, edge_doc="One hit of a search.", node_doc="The entity found.", cursor_noun="hits",
    connection_doc="Search hits, best first, a page at a time (cursor connection).",
    edges_doc="The hits of this page.", total_doc=f"How many hits in all (at most {MAX_SEARCH_HITS}).")
SourceEdge, SourceConnection = connection_types(
    "Source", Citation, edge_doc="One source of the sources list.", node_doc="The source.", cursor_noun="sources",
    connection_doc="Every source in the graph, ordered by id, a page at a time (cursor connection).",
    edges_doc="The sources of this page.", total_doc="How many sources the graph has.")


SOURCE_LABEL = "Source"


class Query(PatientQueries, PlanQueries, TrialQueries, graphene.ObjectType):
    """Everything the API answers. Fields that take a patient are POST only (docs/api.md)."""

    graph_info = graphene.Field(GraphInfo, required=True, description="Counts and versions, from the live database.")
    ask = graphene.Field(
        Answer, required=True, description="Answer a question in plain words from the graph's sources; with a patient, "
                                           "the answer leads with the patient's treatment plan.",
        question=graphene.String(required=True, description="The question (at most 2000 characters)."),
        patient=PatientInput(description="The patient's values, to answer for this patient (POST only)."))
    node = graphene.Field(Node, description="Any object with an id (an Entity or a Citation), found again by its id; "
                                            "null when nothing has that id.",
                          id=graphene.ID(required=True, description="The object's id."))
    nodes = graphene.List(Node, required=True, description=f"Several objects by id, in the order asked, null for an "
                                                           f"unknown id (at most {MAX_NODES}).",
                          ids=graphene.List(graphene.NonNull(graphene.ID), required=True, description="The ids."))
    search = graphene.List(graphene.NonNull(Entity), required=True,
                           description=f"Entities whose names match the text, typos forgiven, best first (at most "
                                       f"{MAX_SEARCH_HITS}).",
                           text=graphene.String(required=True, description="Words to look for (at most 500 characters)."),
                           first=graphene.Int(default_value=10, description=f"How many, 1 to {MAX_SEARCH_HITS}."))
    search_connection = graphene.Field(
        EntityConnection, required=True, description=f"`search` as a cursor connection (at most {MAX_SEARCH_HITS} hits "
                                                     "in all).",
        text=graphene.String(required=True, description="Words to look for (at most 500 characters)."),
        first=graphene.Int(default_value=10, description=f"Page size, 1 to {MAX_SEARCH_HITS}."),
        after=graphene.String(description="`pageInfo.endCursor` of the previous page."))
    entity = graphene.Field(Entity, description="One entity by id; null when the graph has none.",
                            id=graphene.ID(required=True, description="The entity's CURIE."))
    paths = graphene.List(graphene.NonNull(Path), required=True,
                          description="Paths between two entities, shortest first (at most 20).",
                          from_id=graphene.ID(required=True, description="Where paths start."),
                          to_id=graphene.ID(required=True, description="Where paths end."),
                          max_hops=graphene.Int(default_value=4, description="Longest path, 1 to 6 relationships."))
    therapies = graphene.List(graphene.NonNull(Entity), required=True, description="Therapy classes of the ontology.")
    drugs = graphene.List(graphene.NonNull(Entity), required=True, description="Drugs of the ontology.")
    diseases = graphene.List(graphene.NonNull(Entity), required=True, description="Diseases of the ontology.")
    subtypes = graphene.List(graphene.NonNull(Entity), required=True, description="MDS subtypes of the ontology.")
    criteria = graphene.List(graphene.NonNull(Entity), required=True,
                             description="Criteria of the graph's recommendations.",
                             therapy_id=graphene.ID(description="Only the criteria of this therapy's recommendations."))
    sources = graphene.List(graphene.NonNull(Citation), required=True, description="Sources ordered by id.",
                            first=graphene.Int(default_value=100, description=f"How many, 1 to {MAX_SOURCES_PAGE}."),
                            deprecation_reason="Use `sourcesConnection` (pages through every source).")
    sources_connection = graphene.Field(
        SourceConnection, required=True, description="Every source, ordered by id, as a cursor connection.",
        first=graphene.Int(default_value=100, description=f"Page size, 1 to {MAX_SOURCES_PAGE}."),
        after=graphene.String(description="`pageInfo.endCursor` of the previous page."))

    def resolve_node(root, info, id):
        checked_text("id", id, 300)
        return _node(info, id)

    def resolve_nodes(root, info, ids):
        if len(ids) > MAX_NODES:
            raise UserFacingError(f"`ids` has more than {MAX_NODES} items.")
        return [_node(info, checked_text("ids", i, 300)) for i in ids]

    def resolve_search_connection(root, info, text, first=10, after=None):
        text = checked_text("text", text, 500)
        start, first = page_bounds(first, after, MAX_SEARCH_HITS)
        from service.search import search_entities

        rows = search_entities(get_graph(), text, MAX_SEARCH_HITS, timeout_s=request_deadline(info))
        mark_cacheable(info)
        hits = [Entity.make(r.id, r.label, r.name) for r in rows]
        return offset_connection(EntityConnection, EntityEdge, hits, start, first, len(hits))

    def resolve_sources_connection(root, info, first=100, after=None):
        start, first = page_bounds(first, after, MAX_SOURCES_PAGE)
        rows = typed_reads.list_sources(get_graph(), first=1_000_000, timeout_s=request_deadline(info))
        mark_cacheable(info)
        sources = [Citation(id=r.id, title=r.title, year=r.year, url=r.url) for r in rows]
        return offset_connection(SourceConnection, SourceEdge, sources, start, first, len(sources))

    def resolve_graph_info(root, info):
        graph = get_graph()
        version = typed_reads.server_version(graph, timeout_s=request_deadline(info))
        counts = typed_reads.graph_info(graph, timeout_s=request_deadline(info))
        return GraphInfo(neo4j_version=version.version, neo4j_edition=version.edition,
                         node_count=counts.node_count, relationship_count=counts.relationship_count,
                         model_version=counts.model_version, built_at=counts.built_at,
                         document_count=counts.document_count)

    def resolve_ask(root, info, question, patient=None):
        question = checked_text("question", question)
        record = _question_patient(question) if patient is None else None
        if patient is not None or record is not None:
            parts = patient_answer(question, patient, request_deadline(info), record=record)
            return answer_to_graphql(parts.answer, eligibility=parts.eligibility, treatment_plan=parts.treatment_plan)
        from service.answer import answer_question

        record = answer_question(get_answer_graph(request_deadline(info)), question, get_settings(), deadline_s=request_deadline(info),
                                 writer=get_writer(), sources=request_sources())
        # A fallback after a failed Claude call is a stand-in; the next request should try again.
        if "fallback" not in record.writer:
            mark_cacheable(info)
        return answer_to_graphql(record)

    def resolve_search(root, info, text, first=10):
        text = checked_text("text", text, 500)
        if first is None or not 1 <= first <= 100:
            raise UserFacingError("`first` must be between 1 and 100.")
        from service.search import search_entities

        rows = search_entities(get_graph(), text, first, timeout_s=request_deadline(info))
        mark_cacheable(info)
        return [Entity.make(r.id, r.label, r.name) for r in rows]

    def resolve_entity(root, info, id):
        checked_text("id", id, 300)
        r = typed_reads.entity_by_id(get_graph(), id=id, timeout_s=request_deadline(info))
        mark_cacheable(info)
        if r is None:
            return None
        return Entity.make(r.id, r.label, r.name or r.id, r.props)

    def resolve_paths(root, info, from_id, to_id, max_hops=4):
        if max_hops is None or not 1 <= max_hops <= 6:
            raise UserFacingError("`maxHops` must be between 1 and 6.")
        from mdskg.records import PathNode, PathResult, PathStep

        rows = typed_reads.paths_between(get_graph(), from_id=from_id, to_id=to_id, max_hops=max_hops, limit=20,
                                         timeout_s=request_deadline(info))
        mark_cacheable(info)
        out = []
        for r in rows:
            nodes = tuple(PathNode(n["id"], n["label"], n["name"] or n["id"]) for n in r.nodes)
            steps = tuple(PathStep(s["type"], s["from_id"], s["to_id"], tuple(s["citations"])) for s in r.steps)
            out.append(path_to_graphql(PathResult(nodes, steps, text=" → ".join(n.name for n in nodes))))
        return out

    def resolve_therapies(root, info):
        return _concepts("Therapy")

    def resolve_drugs(root, info):
        return _concepts("Drug")

    def resolve_diseases(root, info):
        return _concepts("Disease")

    def resolve_subtypes(root, info):
        return _concepts("Subtype")

    def resolve_criteria(root, info, therapy_id=None):
        rows = typed_reads.all_recommendations(get_graph(), therapy_ids=[therapy_id] if therapy_id else None,
                                               timeout_s=request_deadline(info))
        seen = {}
        for row in rows:
            for c in row.criteria:
                seen.setdefault(c["id"], Entity.make(c["id"], "Criterion", c["name"], {
                    "variable": c["variable"], "operator": c["operator"], "value_json": c["value_json"],
                    "unit": c["unit"], "role": c["role"], "text": c["text"]}))
        return list(seen.values())

    def resolve_sources(root, info, first=100):
        if first is None or not 1 <= first <= 1000:
            raise UserFacingError("`first` must be between 1 and 1000.")
        rows = typed_reads.list_sources(get_graph(), first=first, timeout_s=request_deadline(info))
        return [Citation(id=r.id, title=r.title, year=r.year, url=r.url) for r in rows]


def _node(info, id: str):
    """The Node with this id: a source node is a Citation, any other graph node an Entity."""
    r = typed_reads.entity_by_id(get_graph(), id=id, timeout_s=request_deadline(info))
    mark_cacheable(info)
    if r is None:
        return None
    if r.label == SOURCE_LABEL:
        props = r.props or {}
        year = props.get("year")
        return Citation(id=r.id, title=props.get("title") or r.name, year=int(year) if str(year or "").isdigit() else None,
                        url=props.get("url"))
    return Entity.make(r.id, r.label, r.name or r.id, r.props)


def _concepts(label: str) -> list[Entity]:
    return [Entity.make(c.id, c.label, c.name) for c in load_ontology().by_label(label)]


class Mutation(PatientMutations, graphene.ObjectType):
    """Operations that are not reads: POST only (nothing is stored)."""


schema = graphene.Schema(query=Query, mutation=Mutation)


if __name__ == "__main__":
    # `python -m service.schema > schema.graphql` refreshes the committed contract.
    print(str(schema).rstrip())

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
    Path,
    Section,
    checked_text,
    fact_id,
    path_to_graphql,
    request_deadline,
)
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


class Answer(graphene.ObjectType):
    question = graphene.String(required=True)
    intent = graphene.String(required=True)
    entities = graphene.List(graphene.NonNull(Entity), required=True)
    paths = graphene.List(graphene.NonNull(Path), required=True)
    therapies = graphene.List(graphene.NonNull(Entity), required=True)
    sections = graphene.List(graphene.NonNull(Section), required=True)
    text = graphene.String(required=True)
    citations = graphene.List(graphene.NonNull(Citation), required=True)
    writer = graphene.String(required=True, description="template, claude:<model>, or template (claude fallback: …)")
    grounded = graphene.Boolean(required=True, description="Whether the text passed the grounding check.")
    disclaimer = graphene.String(required=True)
    covered = graphene.Boolean(required=True, description="False when our sources do not cover the question.")
    closest = graphene.List(graphene.NonNull(graphene.String), required=True,
                            description="With covered=false: the nearest topics our sources do cover.")
    facts = graphene.List(graphene.NonNull(FactType), required=True)
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
        facts=[FactType(id=fact_id(f), local_id=f.id, section=f.section, text=f.text, citations=list(f.citations))
               for f in a.facts],
        eligibility=eligibility or [],
        treatment_plan=treatment_plan,
    )


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


class Query(PatientQueries, PlanQueries, TrialQueries, graphene.ObjectType):
    graph_info = graphene.Field(GraphInfo, required=True, description="Counts and versions, from the live database.")
    ask = graphene.Field(Answer, required=True, question=graphene.String(required=True), patient=PatientInput())
    search = graphene.List(graphene.NonNull(Entity), required=True, text=graphene.String(required=True),
                           first=graphene.Int(default_value=10))
    entity = graphene.Field(Entity, id=graphene.ID(required=True))
    paths = graphene.List(graphene.NonNull(Path), required=True, from_id=graphene.ID(required=True),
                          to_id=graphene.ID(required=True), max_hops=graphene.Int(default_value=4))
    therapies = graphene.List(graphene.NonNull(Entity), required=True)
    drugs = graphene.List(graphene.NonNull(Entity), required=True)
    diseases = graphene.List(graphene.NonNull(Entity), required=True)
    subtypes = graphene.List(graphene.NonNull(Entity), required=True)
    criteria = graphene.List(graphene.NonNull(Entity), required=True, therapy_id=graphene.ID())
    sources = graphene.List(graphene.NonNull(Citation), required=True, first=graphene.Int(default_value=100))

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


def _concepts(label: str) -> list[Entity]:
    return [Entity.make(c.id, c.label, c.name) for c in load_ontology().by_label(label)]


class Mutation(PatientMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)


if __name__ == "__main__":
    # `python -m service.schema > schema.graphql` refreshes the committed contract.
    print(str(schema).rstrip())

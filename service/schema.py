"""The GraphQL schema: the contract front-end apps build on."""

from __future__ import annotations

import graphene

from service.extensions import get_graph


class GraphInfo(graphene.ObjectType):
    neo4j_version = graphene.String(required=True)
    neo4j_edition = graphene.String()
    node_count = graphene.Int(required=True)
    relationship_count = graphene.Int(required=True)
    model_version = graphene.String(description="Version of the ontology the graph was built with.")
    built_at = graphene.String(description="When the graph was last built (ISO 8601).")
    document_count = graphene.Int()


class Query(graphene.ObjectType):
    graph_info = graphene.Field(GraphInfo, required=True, description="Counts and versions, from the live database.")

    def resolve_graph_info(root, info):
        graph = get_graph()
        version = graph.read("server_version")[0]
        counts = graph.read("graph_info")[0]
        return GraphInfo(neo4j_version=version["version"], neo4j_edition=version["edition"],
                         node_count=counts["nodeCount"], relationship_count=counts["relationshipCount"],
                         model_version=counts["modelVersion"], built_at=counts["builtAt"],
                         document_count=counts["documentCount"])


schema = graphene.Schema(query=Query)

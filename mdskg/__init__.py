"""MDS knowledge graph: literature → extraction → Neo4j → GraphQL → written answer."""

__version__ = "0.1.0"

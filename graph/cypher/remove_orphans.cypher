// Recommendations that no longer recommend anything, and criteria no recommendation uses.
CALL () {
  MATCH (rec:Recommendation) WHERE NOT (rec)-[:RECOMMENDS]->() DETACH DELETE rec
}
CALL () {
  MATCH (c:Criterion) WHERE NOT ()-[:HAS_CRITERION]->(c) DETACH DELETE c
}

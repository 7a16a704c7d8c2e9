// Full-text search over names and synonyms; $lucene is built by the caller from escaped terms
// with fuzzy operators, and arrives as a parameter like any other value.
CALL db.index.fulltext.queryNodes('entity_search', $lucene) YIELD node, score
WHERE NOT node:Recommendation AND NOT node:Criterion AND NOT node:Source
RETURN node.id AS id, node.name AS name, [l IN labels(node) WHERE l <> 'Entity'][0] AS label,
       node.definition AS definition, score
ORDER BY score DESC
LIMIT $first

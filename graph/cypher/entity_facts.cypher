// What the graph states about one concept: its definition and its cited relationships
// (MENTIONS and bookkeeping edges excluded), both directions.
MATCH (e:Entity {id: $id})
OPTIONAL MATCH (e)-[r]-(other:Entity)
WHERE NOT type(r) IN ['MENTIONS', 'SUPPORTED_BY', 'HAS_CRITERION', 'ABOUT']
  AND NOT other:Recommendation AND NOT other:Criterion
WITH e, r, other
ORDER BY coalesce(r.source_count, 0) DESC
WITH e, collect(CASE WHEN r IS NULL THEN NULL ELSE
     {type: type(r), outgoing: startNode(r) = e, other_id: other.id, other_name: other.name,
      other_label: [l IN labels(other) WHERE l <> 'Entity'][0], citations: coalesce(r.citations, []),
      sentences: coalesce(r.sentences, []), note: r.note, hedged: r.hedged} END)[..$limit] AS relations
RETURN e.id AS id, e.name AS name, [l IN labels(e) WHERE l <> 'Entity'][0] AS label, e.definition AS definition,
       e.synonyms AS synonyms, e.abbreviations AS abbreviations, e.brand_names AS brand_names, relations

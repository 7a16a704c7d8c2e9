// The criteria of recommendations, with their role and where each was stated.
UNWIND $rec_ids AS rec_id
MATCH (rec:Recommendation {id: rec_id})-[h:HAS_CRITERION]->(c:Criterion)
OPTIONAL MATCH (c)-[:ABOUT]->(about:Entity)
RETURN rec.id AS rec_id, rec.therapy_id AS therapy_id, c.id AS id, c.name AS name, c.variable AS variable,
       c.operator AS operator, c.value_json AS value_json, c.value_text AS value_text, c.unit AS unit,
       coalesce(h.role, c.role) AS role, c.text AS text, h.citations AS citations, h.sentences AS sentences,
       about.id AS about_id, about.name AS about_name
ORDER BY rec_id, role, variable

// All recommendations in the graph with their criteria (eligibility checks every one of them).
MATCH (rec:Recommendation)-[rr:RECOMMENDS]->(t:Entity)
WHERE $therapy_ids IS NULL OR t.id IN $therapy_ids OR rec.therapy_id IN $therapy_ids
OPTIONAL MATCH (rec)-[:FOR_POPULATION]->(pop:Entity)
WITH rec, rr, t, collect(DISTINCT {id: pop.id, name: pop.name, label: [l IN labels(pop) WHERE l <> 'Entity'][0]}) AS populations
OPTIONAL MATCH (rec)-[h:HAS_CRITERION]->(c:Criterion)
WITH rec, rr, t, populations, collect(CASE WHEN c IS NULL THEN NULL ELSE
     {id: c.id, name: c.name, variable: c.variable, operator: c.operator, value_json: c.value_json,
      unit: c.unit, role: coalesce(h.role, c.role), text: c.text, citations: h.citations,
      sentence: h.sentences[0]} END) AS criteria
RETURN rec.id AS rec_id, rec.strength AS strength, rec.line AS line, rec.after_therapy_id AS after_therapy_id,
       t.id AS therapy_id, t.name AS therapy_name, [l IN labels(t) WHERE l <> 'Entity'][0] AS therapy_label,
       populations, criteria, rr.citations AS citations, rr.sentences AS sentences, rr.source_count AS source_count
ORDER BY therapy_name, rec_id

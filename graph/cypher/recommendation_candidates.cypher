// Recommendations EXTRACTED from literature (no `curated: true`): evidence and candidates for curation,
// which `mdskg curation diff` (etl/curation.py) compares with the curated guideline logic. One row per
// candidate with its therapy, strength, line, populations and criteria, and the first sentence it was
// read in with the sources that sentence cites (evidence_citations holds them per sentence, '|'-joined).
// $therapy_ids: null for every candidate, or a list of therapy ids.
MATCH (rec:Recommendation)-[rr:RECOMMENDS]->(t:Entity)
WHERE coalesce(rec.curated, false) = false
  AND ($therapy_ids IS NULL OR t.id IN $therapy_ids)
OPTIONAL MATCH (rec)-[h:HAS_CRITERION]->(c:Criterion)
WITH rec, rr, t, h, c
ORDER BY c.variable, coalesce(h.role, c.role), c.id
WITH rec, rr, t, collect(CASE WHEN c IS NULL THEN NULL ELSE
     {id: c.id, variable: c.variable, operator: c.operator, value_json: c.value_json, unit: c.unit,
      role: coalesce(h.role, c.role), sentence: h.sentences[0], sentence_citations: h.evidence_citations[0],
      citations: coalesce(h.citations, []), source_ids: coalesce(h.source_ids, [])} END) AS criteria
RETURN rec.id AS id, t.id AS therapy_id, t.name AS therapy_name, rec.strength AS strength, rec.line AS line,
       rec.after_therapy_id AS after_therapy_id, coalesce(rec.population_ids, []) AS population_ids, criteria,
       rr.sentences[0] AS sentence, rr.evidence_citations[0] AS sentence_citations,
       coalesce(rr.citations, []) AS citations, coalesce(rr.source_ids, []) AS source_ids
ORDER BY therapy_id, id

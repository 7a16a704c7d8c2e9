// The curated recommendations that drive patient verdicts (ontology/data/recommendations), with
// their rule as JSON and the therapy's name. Extracted recommendations are evidence, never read here.
MATCH (rec:Recommendation {curated: true})-[:RECOMMENDS]->(t:Entity)
RETURN rec.id AS id, rec.therapy_id AS therapy_id, t.name AS therapy_name,
       [l IN labels(t) WHERE l <> 'Entity'][0] AS therapy_label, rec.name AS name, rec.summary AS summary,
       rec.strength AS strength, rec.line AS line, coalesce(rec.after_failure_of, []) AS after_failure_of,
       rec.evidence_level AS evidence_level, rec.evidence_basis AS evidence_basis, rec.logic_json AS logic_json,
       coalesce(rec.citations, []) AS citations, coalesce(rec.allowed_after_class_failure, false) AS allowed_after_class_failure,
       coalesce(rec.population_ids, []) AS population_ids, rec.guidance_file AS guidance_file,
       rec.guidance_version AS guidance_version
ORDER BY id

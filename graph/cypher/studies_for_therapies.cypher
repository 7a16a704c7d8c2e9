// Curated studies of therapies (or a study by id), with their outcomes and adverse-event frequencies. Only
// curated ones speak in answers: a trial record or a study the ETL read from an abstract has no reviewed summary
// (its criteria, outcomes and conclusion are evidence for analysts, not sentences for patients).
MATCH (s:Study)
WHERE coalesce(s.curated, false)
  AND (($study_ids IS NOT NULL AND s.id IN $study_ids)
       OR ($therapy_ids IS NOT NULL AND EXISTS { MATCH (s)-[:STUDIED]->(t:Entity) WHERE t.id IN $therapy_ids }))
OPTIONAL MATCH (s)-[:REPORTED]->(o:Outcome)
WITH s, o ORDER BY o.id
WITH s, collect(o {.id, .kind, .endpoint, .arm, .value, .unit, .comparator_value, .p, .hr, .ci, .follow_up, .n,
                   .primary, .any_grade_pct, .grade3_pct, .comparator_any_grade_pct, .comparator_grade3_pct,
                   .citations}) AS outcomes
OPTIONAL MATCH (s)-[:STUDIED]->(t:Entity)
RETURN s.id AS id, s.name AS name, coalesce(s.aliases, []) AS aliases, s.nct_id AS nct_id, s.pmid AS pmid,
       s.year AS year, s.design AS design, s.phase AS phase, s.n AS n, s.population AS population,
       s.comparator AS comparator, s.conclusion AS conclusion, s.summary AS summary,
       coalesce(s.citations, []) AS citations, collect(DISTINCT t.id) AS therapy_ids, outcomes
ORDER BY s.year DESC, s.id

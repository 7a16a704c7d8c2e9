// Loaded trials (Study nodes from trial records) with their eligibility criteria.
MATCH (s:Study)
WHERE s.nct_id IS NOT NULL AND ($nct_ids IS NULL OR s.nct_id IN $nct_ids)
OPTIONAL MATCH (s)-[h:HAS_CRITERION]->(c:Criterion)
WITH s, collect(CASE WHEN c IS NULL THEN NULL ELSE
     {id: c.id, variable: c.variable, operator: c.operator, value_json: c.value_json, unit: c.unit,
      role: coalesce(h.role, c.role), text: c.text, sentence: h.sentences[0], scope: coalesce(h.scope, c.scope),
      group: h.group, groups: h.groups} END) AS criteria
OPTIONAL MATCH (s)-[:STUDIED]->(t:Entity)
RETURN s.id AS id, s.nct_id AS nct_id, s.name AS name, s.title AS title, s.phase AS phase, s.status AS status,
       coalesce(s.conditions, []) AS conditions, coalesce(s.interventions, []) AS interventions, s.url AS url,
       s.source_id AS source_id, criteria, collect(DISTINCT t.name) AS therapies,
       coalesce(s.unchecked_inclusion, []) AS unchecked_inclusion, coalesce(s.unchecked_exclusion, []) AS unchecked_exclusion
ORDER BY nct_id
LIMIT $limit

// What membership of a population implies about a patient: its risk group (its own, or the
// risk group it sits under) and the markers that define it.
UNWIND $population_ids AS pid
MATCH (p:Entity {id: pid})
OPTIONAL MATCH (rg:RiskCategory)-[:HAS_PATIENT_GROUP*1..3]->(p)
OPTIONAL MATCH (p)-[d:DEFINED_BY]->(b:Entity)
RETURN p.id AS id, p.name AS name, [l IN labels(p) WHERE l <> 'Entity'][0] AS label, p.group AS own_group,
       [g IN collect(DISTINCT rg.group) WHERE g IS NOT NULL] AS parent_groups,
       [m IN collect(DISTINCT CASE WHEN b IS NULL THEN NULL ELSE
          {id: b.id, name: b.name, variable: b.variable, value: coalesce(d.value, b.value), operator: d.operator,
           citations: coalesce(d.citations, [])} END) WHERE m IS NOT NULL] AS markers

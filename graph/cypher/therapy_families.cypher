// Which drugs each therapy class includes (the class rule of patient guidance), and every therapy's name.
MATCH (t:Entity)
WHERE t:Therapy OR t:Drug
// Only the ontology's own edges: a class's members decide patient verdicts, so an edge the ETL read from a
// sentence (evidence for analysts) never changes them.
OPTIONAL MATCH (t)-[inc:INCLUDES_DRUG]->(d:Drug)
WHERE any(extractor IN coalesce(inc.extractors, []) WHERE extractor STARTS WITH 'ontology@')
RETURN t.id AS id, t.name AS name, [l IN labels(t) WHERE l <> 'Entity'][0] AS label, collect(d.id) AS drugs
ORDER BY id

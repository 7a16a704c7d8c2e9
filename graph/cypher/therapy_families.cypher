// Which drugs each therapy class includes (the class rule of patient guidance), and every therapy's name.
MATCH (t:Entity)
WHERE t:Therapy OR t:Drug
OPTIONAL MATCH (t)-[:INCLUDES_DRUG]->(d:Drug)
RETURN t.id AS id, t.name AS name, [l IN labels(t) WHERE l <> 'Entity'][0] AS label, collect(d.id) AS drugs
ORDER BY id

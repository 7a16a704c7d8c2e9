// Our corpus documents (and other loaded documents) that mention a concept, the most
// specific first: a document about the concept mentions it most often.
MATCH (d:Document)-[m:MENTIONS]->(e:Entity {id: $id})
RETURN d.id AS id, coalesce(d.title, d.name) AS title
ORDER BY CASE WHEN d.id STARTS WITH 'MDSKG:doc/' THEN 0 ELSE 1 END, size(m.offsets) DESC, d.id
LIMIT $limit

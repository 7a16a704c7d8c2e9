// Curated statements (symptoms, causes, mechanism, how a treatment is given, prognosis, scope…) about concepts.
UNWIND $ids AS about_id
MATCH (s:Statement)-[:DESCRIBES]->(c:Entity {id: about_id})
WHERE $kinds IS NULL OR s.kind IN $kinds
RETURN s.id AS id, s.kind AS kind, s.text AS text, coalesce(s.citations, []) AS citations, c.id AS about_id,
       c.name AS about_name
ORDER BY about_id, kind, id

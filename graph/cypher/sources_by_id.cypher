UNWIND $ids AS id
MATCH (s:Source {id: id})
RETURN s.id AS id, coalesce(s.title, s.name) AS title, s.year AS year, s.url AS url, s.kind AS kind

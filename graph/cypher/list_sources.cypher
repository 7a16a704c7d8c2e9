MATCH (s:Source)
RETURN s.id AS id, coalesce(s.title, s.name) AS title, s.year AS year, s.url AS url
ORDER BY s.id
LIMIT $first

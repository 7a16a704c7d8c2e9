// One page of a concept's neighbours, in a stable order (type, other id) for cursor paging.
MATCH (n:Entity {id: $id})-[r]-(other:Entity)
WHERE ($rel_type IS NULL OR type(r) = $rel_type)
WITH r, other, startNode(r) = n AS outgoing, type(r) + '|' + other.id AS cursor
WHERE $after IS NULL OR cursor > $after
RETURN type(r) AS type, outgoing, other.id AS id, other.name AS name,
       [l IN labels(other) WHERE l <> 'Entity'][0] AS label, coalesce(r.citations, []) AS citations, cursor
ORDER BY cursor
LIMIT $first

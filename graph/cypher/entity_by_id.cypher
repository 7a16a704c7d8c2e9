MATCH (n:Entity {id: $id})
RETURN n.id AS id, n.name AS name, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, properties(n) AS props

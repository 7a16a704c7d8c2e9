// Shortest paths between two concepts, bookkeeping edges excluded, bounded by $max_hops.
MATCH (a:Entity {id: $from_id}), (b:Entity {id: $to_id})
MATCH p = allShortestPaths((a)-[*..10]-(b))
WHERE length(p) <= $max_hops
  AND none(r IN relationships(p) WHERE type(r) IN ['MENTIONS', 'SUPPORTED_BY'])
RETURN [n IN nodes(p) | {id: n.id, name: n.name, label: [l IN labels(n) WHERE l <> 'Entity'][0]}] AS nodes,
       [r IN relationships(p) | {type: type(r), from_id: startNode(r).id, to_id: endNode(r).id,
                                 citations: coalesce(r.citations, [])}] AS steps
LIMIT $limit

// Every node of the model for the KGX export (graph/export/kgx.py): its id, labels and properties.
// Each model node carries :Entity; GraphMeta (bookkeeping) does not and is left out.
MATCH (n:Entity)
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props
ORDER BY id

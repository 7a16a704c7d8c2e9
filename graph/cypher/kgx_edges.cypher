// Every relationship between model nodes for the KGX export (graph/export/kgx.py), with its provenance.
MATCH (a:Entity)-[r]->(b:Entity)
RETURN a.id AS subject, type(r) AS type, b.id AS object, properties(r) AS props
ORDER BY subject, type, object

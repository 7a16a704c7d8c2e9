// Concept, recommendation, criterion and source nodes. Every node also carries :Entity so one
// constraint and one full-text index cover all types. Labels arrive as validated parameters.
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n:$(row.label)
SET n += row.props

// Counts and model metadata for graphInfo and the answer caches' graph version. Count store
// lookups, no scans.
CALL () { MATCH (n) RETURN count(n) AS node_count }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationship_count }
OPTIONAL MATCH (m:GraphMeta {id: 'MDSKG:meta'})
RETURN node_count, relationship_count, m.model_version AS model_version, m.built_at AS built_at,
       m.build_number AS build_number, m.document_count AS document_count

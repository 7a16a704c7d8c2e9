// Counts and model metadata for graphInfo and the answer caches' graph version. Count store
// lookups, no scans.
CALL () { MATCH (n) RETURN count(n) AS nodeCount }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationshipCount }
OPTIONAL MATCH (m:GraphMeta {id: 'MDSKG:meta'})
RETURN nodeCount, relationshipCount, m.model_version AS modelVersion, m.built_at AS builtAt,
       m.build_number AS buildNumber, m.document_count AS documentCount

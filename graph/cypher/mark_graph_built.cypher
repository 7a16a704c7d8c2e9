// build_number moves on every completed build, even two within the same second: answer caches
// key on it (with the counts), so they never serve an answer from the graph before this build.
MERGE (m:GraphMeta {id: 'MDSKG:meta'})
SET m.model_version = $model_version, m.built_at = $built_at,
    m.build_number = coalesce(m.build_number, 0) + 1,
    m.document_count = COUNT { MATCH (:Document) }

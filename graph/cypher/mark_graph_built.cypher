MERGE (m:GraphMeta {id: 'MDSKG:meta'})
SET m.model_version = $model_version, m.built_at = $built_at,
    m.document_count = COUNT { MATCH (:Document) }

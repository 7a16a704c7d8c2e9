// Records the ontology version the graph follows; built_at only changes when a load runs.
MERGE (m:GraphMeta {id: 'MDSKG:meta'})
SET m.model_version = $model_version

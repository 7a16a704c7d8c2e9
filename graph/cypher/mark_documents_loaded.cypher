// Written after a document's rows are in: an interrupted load leaves the hash unset and the
// next run loads that document again (evidence keys keep it free of duplicates).
UNWIND $rows AS row
MERGE (d:Entity {id: row.id})
SET d:Document:Source, d.content_hash = row.content_hash, d.loaded_at = row.loaded_at

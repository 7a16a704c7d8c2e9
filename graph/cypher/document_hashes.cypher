// Content hashes of documents already loaded, so unchanged documents are skipped.
UNWIND $ids AS id
MATCH (d:Document {id: id})
RETURN d.id AS id, d.content_hash AS content_hash

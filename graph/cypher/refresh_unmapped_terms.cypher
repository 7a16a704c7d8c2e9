// After a load or a retraction: each UnmappedTerm's `document_count` is the number of documents that
// MENTIONS_UNMAPPED it (one edge per document, so re-running a load never changes it); a term no document
// mentions any more (a document was read again and its word is now mapped, or removed) goes.
MATCH (t:UnmappedTerm)
WITH t, COUNT { (t)<-[:MENTIONS_UNMAPPED]-() } AS documents
CALL (t, documents) {
  WITH t, documents WHERE documents = 0
  DETACH DELETE t
}
CALL (t, documents) {
  WITH t, documents WHERE documents > 0
  SET t.document_count = documents
}

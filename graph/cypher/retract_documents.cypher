// Before a changed document is loaded again, what it said before is withdrawn: its evidence
// entries are removed from every relationship, and a relationship left with no evidence goes.
// One row per relationship, whatever the number of withdrawn documents it cites: the positions
// to keep are computed once from its lists (a row per document would compute them all first,
// then apply the second document's positions to lists the first had already shortened).
// The counts are recomputed as merge_relationships.cypher computes them.
MATCH ()-[r]->()
WHERE any(doc IN $doc_ids WHERE doc IN r.source_ids)
WITH r, [i IN range(0, size(r.evidence_keys) - 1) WHERE NOT r.source_ids[i] IN $doc_ids] AS keep
CALL (r, keep) {
  WITH r, keep WHERE size(keep) = 0
  DELETE r
}
CALL (r, keep) {
  WITH r, keep WHERE size(keep) > 0
  SET r.evidence_keys = [i IN keep | r.evidence_keys[i]],
      r.source_ids = [i IN keep | r.source_ids[i]],
      r.sentences = [i IN keep | r.sentences[i]],
      r.offsets = [i IN keep | r.offsets[i]],
      r.extractors = [i IN keep | r.extractors[i]],
      r.evidence_citations = [i IN keep | r.evidence_citations[i]]
  SET r.citations = reduce(acc = [], s IN r.evidence_citations |
                           acc + [c IN split(s, '|') WHERE c <> '' AND NOT c IN acc])
  SET r.citation_count = size(r.citations),
      r.source_count = size(r.citations),
      r.document_count = size(reduce(acc = [], i IN range(0, size(r.source_ids) - 1) |
          acc + [d IN CASE WHEN r.extractors[i] STARTS WITH 'ontology@' OR r.extractors[i] STARTS WITH 'curated@'
                           THEN split(r.evidence_citations[i], '|') ELSE [r.source_ids[i]] END
                 WHERE d <> '' AND NOT d IN acc]))
}

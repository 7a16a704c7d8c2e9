// One relationship per (from, type, to). Its provenance is a set of aligned lists with one
// entry per piece of evidence (evidence_keys, source_ids, sentences, offsets, extractors,
// evidence_citations); `citations` is the union of the sources cited. Each evidence is added once,
// so re-running a load never duplicates anything (and never changes a count).
// Counts (docs/analyst.md, "Evidence counts"):
//   document_count  the distinct documents that state the fact: the document an extracted sentence was
//                   read from (one corpus sentence citing three papers is one document), and for curated
//                   evidence (extractor ontology@… or curated@…) the sources the curator read;
//   citation_count  the distinct sources cited, `size(citations)`;
//   source_count    the older name of citation_count, kept for the reads that rank by it.
// `reading` is a short caption for Neo4j Browser's style sheet: "positive, hedged, conf 0.7" on the facts the
// ETL reads from text (the six types of the list below), and on any other edge with a direction, hedging or a
// confidence below 1; absent otherwise. The Browser styles by type only, so the caption carries these.
// A new relationship gets its first evidence in ON CREATE (each list written once, not created
// empty and rewritten: half the property-store writes of a first load); a relationship that
// exists gets the row's evidence appended only when its key is not there yet.
// graph/load.py writes the checked relationship type in place of the dynamic type, one statement per
// type: with a dynamic type the MERGE is planned as a scan of every relationship of that type
// when the statistics say there are few (a fresh database) — quadratic — instead of Expand(Into).
UNWIND $rows AS row
MATCH (a:Entity {id: row.from_id})
MATCH (b:Entity {id: row.to_id})
MERGE (a)-[r:$(row.type)]->(b)
  ON CREATE SET r.evidence_keys = [row.evidence_key], r.source_ids = [row.source_id], r.citations = row.citations,
                r.sentences = [row.sentence], r.offsets = [row.offset], r.extractors = [row.extractor],
                r.evidence_citations = [reduce(s = '', c IN row.citations | s + CASE WHEN s = '' THEN '' ELSE '|' END + c)],
                r.confidence = CASE WHEN row.confidence > 0.0 THEN row.confidence ELSE 0.0 END
WITH r, row
SET r += row.props
// A row whose evidence is there already and whose counts are written (a reload) changes nothing below.
WITH r, row
WHERE NOT (row.evidence_key IN r.evidence_keys AND r.document_count IS NOT NULL)
FOREACH (_ IN CASE WHEN row.evidence_key IN r.evidence_keys THEN [] ELSE [1] END |
  SET r.evidence_keys = r.evidence_keys + row.evidence_key,
      r.source_ids = r.source_ids + row.source_id,
      r.evidence_citations = r.evidence_citations + reduce(s = '', c IN row.citations | s + CASE WHEN s = '' THEN '' ELSE '|' END + c),
      r.citations = r.citations + [c IN row.citations WHERE NOT c IN r.citations],
      r.sentences = r.sentences + row.sentence,
      r.offsets = r.offsets + row.offset,
      r.extractors = r.extractors + row.extractor,
      r.confidence = CASE WHEN row.confidence > r.confidence THEN row.confidence ELSE r.confidence END
)
SET r.citation_count = size(r.citations),
    r.source_count = size(r.citations),
    r.document_count = size(reduce(acc = [], i IN range(0, size(r.source_ids) - 1) |
        acc + [d IN CASE WHEN r.extractors[i] STARTS WITH 'ontology@' OR r.extractors[i] STARTS WITH 'curated@'
                         THEN split(r.evidence_citations[i], '|') ELSE [r.source_ids[i]] END
               WHERE d <> '' AND NOT d IN acc])),
    r.reading = CASE WHEN r.direction IS NULL AND NOT coalesce(r.hedged, false) AND r.confidence >= 1.0
                          AND NOT type(r) IN ['TREATS', 'NOT_ESTABLISHED_FOR', 'PREDICTS_RESPONSE_TO', 'ASSOCIATED_WITH',
                                              'HAS_SIDE_EFFECT', 'NEXT_AFTER_FAILURE'] THEN null
                     ELSE reduce(s = '', part IN [r.direction, CASE WHEN coalesce(r.hedged, false) THEN 'hedged' END,
                                                  'conf ' + toString(round(r.confidence, 2))]
                                 | s + CASE WHEN part IS NULL THEN '' WHEN s = '' THEN part ELSE ', ' + part END) END

// One relationship per (from, type, to); each piece of evidence is added once (evidence_key),
// so re-running a load never duplicates a relationship or its provenance.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from_id})
MATCH (b:Entity {id: row.to_id})
MERGE (a)-[r:$(row.type)]->(b)
  ON CREATE SET r.evidence_keys = [], r.source_ids = [], r.citations = [], r.sentences = [],
                r.offsets = [], r.extractors = [], r.confidence = 0.0
WITH r, row
SET r += row.props
WITH r, row
WHERE NOT row.evidence_key IN r.evidence_keys
SET r.evidence_keys = r.evidence_keys + row.evidence_key,
    r.source_ids = CASE WHEN row.source_id IN r.source_ids THEN r.source_ids ELSE r.source_ids + row.source_id END,
    r.citations = r.citations + [c IN row.citations WHERE NOT c IN r.citations],
    r.sentences = r.sentences + row.sentence,
    r.offsets = r.offsets + row.offset,
    r.extractors = r.extractors + row.extractor,
    r.confidence = CASE WHEN row.confidence > r.confidence THEN row.confidence ELSE r.confidence END
SET r.source_count = size(r.citations)

// One relationship per (from, type, to). Its provenance is a set of aligned lists with one
// entry per piece of evidence (evidence_keys, source_ids, sentences, offsets, extractors,
// evidence_citations); `citations` is the union of the sources cited and `source_count`
// their number. Each evidence is added once, so re-running a load never duplicates anything.
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
                r.confidence = CASE WHEN row.confidence > 0.0 THEN row.confidence ELSE 0.0 END,
                r.source_count = size(row.citations)
WITH r, row
SET r += row.props
WITH r, row
WHERE NOT row.evidence_key IN r.evidence_keys
SET r.evidence_keys = r.evidence_keys + row.evidence_key,
    r.source_ids = r.source_ids + row.source_id,
    r.evidence_citations = r.evidence_citations + reduce(s = '', c IN row.citations | s + CASE WHEN s = '' THEN '' ELSE '|' END + c),
    r.citations = r.citations + [c IN row.citations WHERE NOT c IN r.citations],
    r.sentences = r.sentences + row.sentence,
    r.offsets = r.offsets + row.offset,
    r.extractors = r.extractors + row.extractor,
    r.confidence = CASE WHEN row.confidence > r.confidence THEN row.confidence ELSE r.confidence END
SET r.source_count = size(r.citations)

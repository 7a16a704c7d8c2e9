// Regulatory approvals of drugs.
MATCH (a:Approval)-[:APPROVES]->(d:Entity)
WHERE d.id IN $drug_ids
RETURN a.id AS id, d.id AS drug_id, d.name AS drug_name, a.agency AS agency, a.date AS date,
       a.indication AS indication, a.study_id AS study_id, coalesce(a.citations, []) AS citations
ORDER BY a.date, a.id

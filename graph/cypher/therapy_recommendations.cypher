// Every recommendation about a therapy (or drug), with the population chain from the disease
// (MDS → risk group → patient group) and the drugs the therapy includes.
MATCH (t:Entity {id: $therapy_id})<-[rr:RECOMMENDS]-(rec:Recommendation)-[fp:FOR_POPULATION]->(pop:Entity)
OPTIONAL MATCH chain = (d:Disease {id: $disease_id})-[:HAS_RISK_GROUP|HAS_PATIENT_GROUP*1..3]->(pop)
WITH t, rec, rr, fp, pop, chain
ORDER BY CASE WHEN chain IS NULL THEN 99 ELSE length(chain) END
WITH t, rec, rr, fp, pop, collect(chain)[0] AS chain
OPTIONAL MATCH (t)-[inc:INCLUDES_DRUG]->(drug:Drug)
WITH t, rec, rr, fp, pop, chain,
     collect(CASE WHEN drug IS NULL THEN NULL ELSE {id: drug.id, name: drug.name, citations: inc.citations} END) AS drugs
RETURN rec.id AS rec_id, rec.strength AS strength, rec.line AS line, rec.after_therapy_id AS after_therapy_id,
       rr.citations AS rec_citations, rr.sentences AS rec_sentences, rr.source_count AS source_count,
       t.id AS therapy_id, t.name AS therapy_name, [l IN labels(t) WHERE l <> 'Entity'][0] AS therapy_label,
       pop.id AS population_id, pop.name AS population_name, [l IN labels(pop) WHERE l <> 'Entity'][0] AS population_label,
       CASE WHEN chain IS NULL THEN [] ELSE
         [n IN nodes(chain) | {id: n.id, name: n.name, label: [l IN labels(n) WHERE l <> 'Entity'][0]}] END AS chain_nodes,
       CASE WHEN chain IS NULL THEN [] ELSE
         [r IN relationships(chain) | {type: type(r), from_id: startNode(r).id, to_id: endNode(r).id,
                                       citations: coalesce(r.citations, [])}] END AS chain_steps,
       drugs
ORDER BY size(chain_nodes) DESC, source_count DESC, rec_id
LIMIT $limit

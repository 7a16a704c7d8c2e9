"""Patient records, karyotype parsing, MDS risk scores (IPSS, IPSS-R, IPSS-M), importers
(Phenopacket v2, FHIR R4) and criterion evaluation. Pure Python; nothing is logged."""

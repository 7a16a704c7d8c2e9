"""Builders of the generated vocabularies (ontology/data/vocabularies/*.generated.yaml).

Each builder reads a maintained offline dictionary at build time and writes names and identifiers
only; the generated file, not the dictionary package, is what the ontology loader reads at run time.
See docs/vocabularies.md.
"""

"""Rule NLP for MDS texts, built on `spacy.blank("en")` (no trained model).

Pure modules (tested without spaCy): thresholds, negation, roles, citations, sentences,
relations (given SentenceViews). spaCy components: components (registered factories).
The one pipeline builder: pipeline.build_pipeline(ontology=None).
"""

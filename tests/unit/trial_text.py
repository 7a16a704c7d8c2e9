"""Made-up trial records for the criteria tests: one way to read a record's eligibility text into criteria."""

from __future__ import annotations

from etl.readers.ctgov import TrialFields, trial_document


def trial_criteria(extractor, criteria: str):
    doc = trial_document(TrialFields("NCT00000000", brief_title="A trial of a new drug in MDS",
                                     conditions=["Myelodysplastic Syndromes"], eligibility_criteria=criteria))
    return extractor.extract(doc).criteria

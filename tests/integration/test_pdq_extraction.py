"""The rule extractor on the real NCI PDQ MDS treatment summaries (health professional and
patient versions, ../shared/data/literature/pdq/), read with etl.readers.text.

The expectations below are explicit: each names a surface form the summary uses and the concept
it must map to, and what it must be linked to. The summaries are WHO 2008-era texts, so subtype
names are old names (RA, RARS, RAEB, RCMD, 5q- syndrome) mapped to their WHO 2022 entities.
Neither summary names cyclosporine or epoetin (only 'erythropoietin'); that is asserted too.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from etl.extract import RuleExtractor
from etl.readers.text import read_text_document
from mdskg.records import Extraction
from tests.shared_data import requires_shared

HP = "types-myeloproliferative-hp-myelodysplastic-treatment-pdq.md"
PATIENT = "types-myeloproliferative-patient-myelodysplastic-treatment-pdq.md"
pytestmark = requires_shared(f"data/literature/pdq/{HP}", f"data/literature/pdq/{PATIENT}")  # both, in ../shared

# (surface form in the text, concept id)
HP_MENTIONS = [
    # subtypes (WHO 2008 names → WHO 2022 entities)
    ("Refractory anemia", "MDSKG:subtype/who2022-mds-lb"),
    ("RCMD", "MDSKG:subtype/who2022-mds-lb"),
    ("RCUD", "MDSKG:subtype/who2022-mds-lb"),
    ("MDS-U", "MDSKG:subtype/who2022-mds-lb"),
    ("Refractory anemia with ring sideroblasts", "MDSKG:subtype/who2022-mds-sf3b1"),
    ("RARS", "MDSKG:subtype/who2022-mds-sf3b1"),
    ("RCMD-RS", "MDSKG:subtype/who2022-mds-sf3b1"),
    ("Refractory anemia with excess blasts", "MDSKG:subtype/who2022-mds-ib"),
    ("RAEB", "MDSKG:subtype/who2022-mds-ib"),
    ("RAEB-1", "MDSKG:subtype/who2022-mds-ib1"),
    ("RAEB-2", "MDSKG:subtype/who2022-mds-ib2"),
    ("5q- syndrome", "MDSKG:subtype/who2022-mds-5q"),
    ("del(5q)", "MDSKG:marker/del5q"),
    ("therapy-related MDS", "MDSKG:subtype/therapy-related-mds"),
    # risk schemes and categories
    ("IPSS", "MDSKG:scheme/ipss"),
    ("International Prognostic Scoring System", "MDSKG:scheme/ipss"),
    ("IPSS-R", "MDSKG:scheme/ipss-r"),
    ("higher-risk MDS", "MDSKG:risk/higher-risk"),
    ("lower-risk patients", "MDSKG:risk/lower-risk"),
    # therapies
    ("immunosuppressive therapy", "MDSKG:therapy/ist"),
    ("DNA methyltransferase inhibitors", "MDSKG:therapy/hma"),
    ("Allogeneic hematopoietic stem cell transplant", "MDSKG:therapy/allo-hsct"),
    ("HSCT", "MDSKG:therapy/allo-hsct"),
    ("supportive care", "MDSKG:therapy/supportive-care"),
    ("red blood cell transfusion", "MDSKG:therapy/rbc-transfusion"),
    ("platelet transfusions", "MDSKG:therapy/platelet-transfusion"),
    ("iron chelation", "MDSKG:therapy/iron-chelation"),
    ("erythropoiesis-stimulating agents", "MDSKG:therapy/esa"),
    ("ESAs", "MDSKG:therapy/esa"),
    ("Induction chemotherapy", "MDSKG:therapy/intensive-chemotherapy"),
    ("myeloid growth factors", "MDSKG:therapy/myeloid-growth-factors"),
    # drugs
    ("lenalidomide", "MDSKG:drug/lenalidomide"),
    ("azacitidine", "MDSKG:drug/azacitidine"),
    ("decitabine", "MDSKG:drug/decitabine"),
    ("darbepoetin", "MDSKG:drug/darbepoetin-alfa"),
    ("deferasirox", "MDSKG:drug/deferasirox"),
    ("Antithymocyte globulin", "MDSKG:term/atg"),  # ambiguous word: horse or rabbit ATG
    ("ATG", "MDSKG:term/atg"),
]

# (type, subject, object) that must be extracted from the HP summary
HP_RELATIONS = [
    ("INCLUDES_DRUG", "MDSKG:therapy/ist", "MDSKG:drug/horse-atg"),  # 'Immunosuppressive therapy' / 'ATG …'
    ("INCLUDES_DRUG", "MDSKG:therapy/ist", "MDSKG:drug/rabbit-atg"),
    ("INCLUDES_DRUG", "MDSKG:therapy/hma", "MDSKG:drug/azacitidine"),
    ("INCLUDES_DRUG", "MDSKG:therapy/hma", "MDSKG:drug/decitabine"),
    ("INCLUDES_DRUG", "MDSKG:therapy/iron-chelation", "MDSKG:drug/deferasirox"),
    ("TREATS", "MDSKG:drug/lenalidomide", "MDSKG:risk/lower-risk"),
    ("TREATS", "MDSKG:drug/azacitidine", "MDSKG:risk/higher-risk"),
    ("TREATS", "MDSKG:therapy/allo-hsct", "NCIT:C3247"),
    ("TREATS", "MDSKG:therapy/supportive-care", "NCIT:C3247"),
    ("TREATS", "MDSKG:therapy/intensive-chemotherapy", "MDSKG:risk/higher-risk"),
    ("NOT_ESTABLISHED_FOR", "MDSKG:therapy/myeloid-growth-factors", "NCIT:C3247"),
    ("PREDICTS_RESPONSE_TO", "MDSKG:marker/serum-epo", "MDSKG:therapy/esa"),
    ("PREDICTS_RESPONSE_TO", "MDSKG:marker/serum-epo", "MDSKG:drug/darbepoetin-alfa"),
    ("PREDICTS_RESPONSE_TO", "MDSKG:marker/del5q", "MDSKG:drug/lenalidomide"),
    ("ASSOCIATED_WITH", "MDSKG:marker/del5q", "MDSKG:subtype/who2022-mds-5q"),
    ("ASSOCIATED_WITH", "MDSKG:marker/marrow-blasts", "MDSKG:subtype/who2022-mds-ib1"),
    ("PROGRESSES_TO", "MDSKG:subtype/who2022-mds-sf3b1", "NCIT:C3171"),
    ("PROGRESSES_TO", "MDSKG:subtype/who2022-mds-ib1", "NCIT:C3171"),
    ("PROGRESSES_TO", "MDSKG:subtype/who2022-mds-ib2", "NCIT:C3171"),
    ("USES_VARIABLE", "MDSKG:scheme/ipss", "MDSKG:marker/marrow-blasts"),
    ("USES_VARIABLE", "MDSKG:scheme/ipss-r", "MDSKG:marker/karyotype"),
    ("HAS_CATEGORY", "MDSKG:scheme/ipss", "MDSKG:risk/ipss-int-1"),
    ("IN_RISK_GROUP", "MDSKG:risk/ipss-int-1", "MDSKG:risk/lower-risk"),
]

# (therapy, population, strength, {(variable, operator, value, role)} ⊆ criteria)
HP_RECOMMENDATIONS = [
    ("MDSKG:drug/lenalidomide", "MDSKG:risk/lower-risk", "option",
     {("karyotype_findings", "contains", "del5q", "required"), ("transfusion_dependent", "==", True, "required"),
      ("ipss_category", "in", ("low", "intermediate_1"), "required")}),
    ("MDSKG:drug/azacitidine", "MDSKG:risk/higher-risk", "option",
     {("ipss_category", "in", ("intermediate_2", "high"), "required")}),
    ("MDSKG:therapy/supportive-care", "NCIT:C3247", "recommended", set()),
    ("MDSKG:therapy/allo-hsct", "NCIT:C3247", "option", set()),
    ("MDSKG:therapy/myeloid-growth-factors", "NCIT:C3247", "not_established", set()),
]

PATIENT_MENTIONS = [
    ("Refractory anemia with ring sideroblasts", "MDSKG:subtype/who2022-mds-sf3b1"),
    ("Refractory anemia with excess blasts", "MDSKG:subtype/who2022-mds-ib"),
    ("Refractory cytopenia with multilineage dysplasia", "MDSKG:subtype/who2022-mds-lb"),
    ("del(5q)", "MDSKG:marker/del5q"),
    ("Immunosuppressive therapy", "MDSKG:therapy/ist"),
    ("Erythropoiesis-stimulating agents", "MDSKG:therapy/esa"),
    ("iron chelation therapy", "MDSKG:therapy/iron-chelation"),
    ("red blood cell transfusions", "MDSKG:therapy/rbc-transfusion"),
    ("stem cell transplant", "MDSKG:therapy/allo-hsct"),
    ("supportive care", "MDSKG:therapy/supportive-care"),
    ("Lenalidomide", "MDSKG:drug/lenalidomide"),
    ("Azacitidine", "MDSKG:drug/azacitidine"),
    ("decitabine", "MDSKG:drug/decitabine"),
    ("Antithymocyte globulin", "MDSKG:term/atg"),
]
PATIENT_RELATIONS = [
    ("INCLUDES_DRUG", "MDSKG:therapy/ist", "MDSKG:drug/horse-atg"),  # '**Immunosuppressive therapy**' / 'ATG …'
    ("TREATS", "MDSKG:drug/azacitidine", "NCIT:C3247"),
    ("TREATS", "MDSKG:drug/decitabine", "NCIT:C3247"),
    ("TREATS", "MDSKG:drug/lenalidomide", "NCIT:C3247"),
    ("TREATS", "MDSKG:therapy/supportive-care", "NCIT:C3247"),
    ("TREATS", "MDSKG:therapy/allo-hsct", "NCIT:C3247"),
]


@pytest.fixture(scope="module")
def extractor():
    return RuleExtractor()


@pytest.fixture(scope="module")
def pdq(shared_dir, extractor):
    def load(name: str) -> Extraction:
        document = next(read_text_document(shared_dir / "data" / "literature" / "pdq" / name))
        return extractor.extract(document)
    return {HP: load(HP), PATIENT: load(PATIENT)}


def _mentions(extraction: Extraction) -> dict[str, set[str]]:
    by_text: dict[str, set[str]] = defaultdict(set)
    for m in extraction.mentions:
        by_text[m.text.replace("\n", " ")].add(m.concept_id)
    return by_text


def _relations(extraction: Extraction) -> set[tuple[str, str, str]]:
    return {(r.type, r.subject_id, r.object_id) for r in extraction.relations}


@pytest.mark.parametrize("name,expected", [(HP, HP_MENTIONS), (PATIENT, PATIENT_MENTIONS)], ids=["hp", "patient"])
def test_named_concepts_are_extracted(pdq, name, expected):
    found = _mentions(pdq[name])
    missing = [(text, cid) for text, cid in expected if cid not in found.get(text, set())]
    assert missing == []


@pytest.mark.parametrize("name,expected", [(HP, HP_RELATIONS), (PATIENT, PATIENT_RELATIONS)], ids=["hp", "patient"])
def test_concepts_are_linked(pdq, name, expected):
    missing = [r for r in expected if r not in _relations(pdq[name])]
    assert missing == []


def test_hp_recommendations_and_their_criteria(pdq):
    recs = pdq[HP].recommendations
    for therapy, population, strength, criteria in HP_RECOMMENDATIONS:
        matching = [r for r in recs if r.therapy_id == therapy and population in r.population_ids
                    and r.strength == strength]
        assert matching, (therapy, population, strength, [(r.therapy_id, r.population_ids, r.strength) for r in recs])
        got = {(c.variable, c.operator, tuple(c.value) if isinstance(c.value, list) else c.value, c.role)
               for r in matching for c in r.criteria}
        assert criteria <= got, (therapy, got)


def test_what_the_summaries_do_not_name(pdq):
    for extraction in pdq.values():
        ids = {m.concept_id for m in extraction.mentions}
        assert "MDSKG:drug/cyclosporine" not in ids
        assert "MDSKG:drug/epoetin-alfa" not in ids
        assert "MDSKG:drug/luspatercept" not in ids  # the summaries predate luspatercept


@pytest.mark.parametrize("name", [HP, PATIENT], ids=["hp", "patient"])
def test_every_evidence_is_a_verbatim_sentence_of_the_document(pdq, name):
    extraction = pdq[name]
    text = extraction.document.text
    evidences = [r.evidence for r in extraction.relations] + [r.evidence for r in extraction.recommendations] + \
        [c.evidence for c in extraction.criteria]
    assert evidences
    for evidence in evidences:
        assert text[evidence.start : evidence.end] == evidence.sentence
        assert evidence.source_id == extraction.document.id
        assert evidence.extractor.startswith("rules@")
        section = extraction.document.section_at(evidence.start)
        assert section is not None and evidence.section == (section.title or None)
    for m in extraction.mentions:
        assert text[m.start : m.end] == m.text


def test_reference_lists_are_not_read(pdq):
    document = pdq[HP].document
    reference_spans = [(s.start, s.end) for s in document.sections if s.kind == "references"]
    assert reference_spans
    for m in pdq[HP].mentions:
        assert not any(a <= m.start < b for a, b in reference_spans)


def test_figures(pdq, capsys):
    """Not an assertion of exact counts (the ontology grows); prints the figures for the report."""
    with capsys.disabled():
        for name, x in pdq.items():
            print(f"\n{name}: mentions={len(x.mentions)} concepts={len({m.concept_id for m in x.mentions})} "
                  f"relations={len(x.relations)} recommendations={len(x.recommendations)} "
                  f"criteria={len(x.criteria)} unmapped={list(x.unmapped_terms)[:8]}")
    assert len(pdq[HP].relations) >= len(HP_RELATIONS)

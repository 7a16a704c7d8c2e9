"""The rule extractor over the whole real corpus (etl/corpus): the recommendations the corpus
clearly states must be extracted, the ones it does not state (or states the other way round) must
never be, and every statement is a verbatim, cited sentence of its document.

A wrong polarity, therapy or population here becomes a wrong statement to a patient, so the
FORBIDDEN checks are as important as the REQUIRED ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.extract import RuleExtractor
from etl.nlp.relations import RISK_VARIABLES
from etl.readers.detect import read_documents
from mdskg.records import Document

CORPUS = Path(__file__).resolve().parents[2] / "etl" / "corpus"
MDS = "NCIT:C3247"
POSITIVE = {"recommended", "option", "may_be_considered"}
NEGATIVE = {"not_recommended", "not_established"}
ESA = "MDSKG:therapy/esa"

IST_CRITERIA = {
    ("age", "<=", 60, "favours"),
    ("marrow_blasts_pct", "<=", 5, "favours"),
    ("marrow_cellularity", "==", "hypocellular", "favours"),
    ("pnh_clone", "==", True, "favours"),
    ("stat3_t_cell_clone", "==", True, "favours"),
    ("hla_dr15", "==", True, "favours"),
}

# (therapy, acceptable populations, acceptable strengths, line, after_therapy_id, criteria ⊆)
REQUIRED = [
    ("MDSKG:therapy/ist", {"MDSKG:group/lower-risk-hypocellular-mds"}, {"option"}, None, None, IST_CRITERIA),
    ("MDSKG:therapy/ist", {"MDSKG:risk/lower-risk"}, {"option"}, None, None, IST_CRITERIA),
    ("MDSKG:therapy/ist", {"MDSKG:risk/higher-risk"}, {"not_recommended"}, None, None, set()),
    ("MDSKG:therapy/ist", {"MDSKG:risk/higher-risk"}, {"not_established"}, None, None, set()),
    ("MDSKG:therapy/checkpoint-inhibitors", {MDS}, {"not_established"}, None, None, set()),
    ("MDSKG:therapy/esa", {"MDSKG:risk/lower-risk"}, {"recommended"}, "first_line", None, set()),
    ("MDSKG:drug/luspatercept", {"MDSKG:group/lower-risk-rs-sf3b1"}, {"option"}, "after_failure", ESA,
     {("failed_therapies", "contains", ESA, "required")}),
    ("MDSKG:drug/luspatercept", {"MDSKG:risk/lower-risk"}, {"option", "recommended"}, "first_line", None,
     {("prior_therapies", "not_contains", ESA, "required")}),
    ("MDSKG:drug/luspatercept", {"MDSKG:risk/higher-risk"}, {"not_established"}, None, None, set()),
    ("MDSKG:drug/lenalidomide", {"MDSKG:group/lower-risk-del5q"}, {"recommended"}, None, None, set()),
    ("MDSKG:drug/imetelstat", {"MDSKG:risk/lower-risk"}, {"option"}, "after_failure", ESA,
     {("failed_therapies", "contains", ESA, "required"), ("ipss_category", "in", ("low", "intermediate_1"), "required")}),
    ("MDSKG:drug/imetelstat", {"MDSKG:risk/higher-risk"}, {"not_established"}, None, None, set()),
    ("MDSKG:therapy/hma", {"MDSKG:risk/higher-risk"}, {"recommended"}, "first_line", None, set()),
    ("MDSKG:drug/azacitidine", {"MDSKG:risk/higher-risk", "MDSKG:group/higher-risk-not-transplant-eligible"},
     {"recommended", "option"}, None, None, set()),
    ("MDSKG:therapy/allo-hsct", {"MDSKG:risk/higher-risk", "MDSKG:group/higher-risk-transplant-candidates"},
     {"recommended"}, None, None, set()),
    ("MDSKG:therapy/allo-hsct", {MDS}, {"option"}, None, None, set()),
    ("MDSKG:drug/decitabine-cedazuridine", {MDS, "MDSKG:risk/higher-risk"}, {"option"}, None, None, set()),
    ("MDSKG:drug/ivosidenib", {"MDSKG:group/idh1-mutated-mds"}, {"option"}, "after_failure", None, set()),
    ("MDSKG:drug/oral-azacitidine", {MDS}, {"not_established"}, None, None, set()),
    ("MDSKG:therapy/supportive-care", {MDS}, {"recommended"}, None, None, set()),
    ("MDSKG:therapy/rbc-transfusion", {MDS}, POSITIVE, None, None, set()),
    ("MDSKG:therapy/iron-chelation", {MDS}, POSITIVE, None, None, {("transfusion_dependent", "==", True, "required")}),
    ("MDSKG:therapy/clinical-trial", {MDS}, {"may_be_considered"}, "after_failure", "MDSKG:therapy/hma", set()),
]

# Immune-based treatments the corpus only describes as investigational in MDS.
INVESTIGATIONAL = {"MDSKG:therapy/checkpoint-inhibitors", "MDSKG:drug/pembrolizumab", "MDSKG:drug/nivolumab",
                   "MDSKG:drug/durvalumab", "MDSKG:drug/ipilimumab", "MDSKG:drug/sabatolimab",
                   "MDSKG:drug/magrolimab"}
# Standard therapies of higher-risk MDS: the corpus never advises against them.
HMA_THERAPIES = {"MDSKG:therapy/hma", "MDSKG:drug/azacitidine", "MDSKG:drug/decitabine",
                 "MDSKG:drug/decitabine-cedazuridine"}

# Sentences (their opening words) with no recommendation or approval cue bound to a therapy, or
# whose only cue would lose its population's qualifier: they must give no recommendation.
NO_RECOMMENDATION = [
    "In the first randomized trial of an immune checkpoint inhibitor in higher-risk MDS, adding the PD-L1 antibody",
    "In the randomized phase 2 STIMULUS-MDS1 trial, adding the TIM-3 antibody sabatolimab",
    "In the phase 3 STIMULUS-MDS2 trial, sabatolimab plus azacitidine did not meet",
    "When decitabine was compared with supportive care in two randomized trials, people did not live longer",
    "In the phase III AZA-001 trial in higher-risk MDS",
    "Differentiation syndrome, a potentially serious reaction, was reported in patients with IDH1-mutated AML",
    "Ivosidenib appears on the NCI list of drugs",
    "Ivosidenib was already approved for certain adults with IDH1-mutated AML",
    "Imetelstat is sold under the brand name Rytelo",
    "Imetelstat is an oligonucleotide telomerase inhibitor",
    "ESAs in MDS are given as injections",
    "IST is used because, in some patients with MDS, T cells attack",
    "People with germline DDX41 pathogenic variants who develop MDS or AML may respond to lenalidomide",
    'The word "immunotherapy" is used for treatments',
    "Patients with hypoplastic MDS tend to have severe cytopenias and may respond more often",
    "Horse ATG is preferred over rabbit ATG",
    "Eltrombopag combined with azacitidine is not recommended",
    "Eltrombopag should not be combined with azacitidine",
    "Lenalidomide is not the preferred first choice for lower-risk MDS without del(5q)",
    "Lenalidomide is used to reduce the need for red blood cell transfusions",
    "Thrombopoietin receptor agonists (TPO-RAs) such as romiplostim and eltrombopag are options for lower-risk MDS with",
    "Patients with lower-risk MDS by IPSS-R who have poor-risk genetic features",
    "Patients with a very high MDS transplantation risk score",
    "HMAs are often used for lower-risk MDS",
    "The recommended starting dose of luspatercept",
    "In August 2017, the US FDA approved enasidenib for adults with relapsed or refractory AML",
    "The FDA approval of enasidenib described in these sources is for AML, not for MDS",
    "After ENHANCE was stopped, the sponsor recommended",
    "Immune modulation with donor lymphocyte infusion or a second transplant is advised",
]


@pytest.fixture(scope="module")
def extractor():
    return RuleExtractor()


@pytest.fixture(scope="module")
def extractions(extractor):
    documents = [d for d in read_documents([CORPUS]) if isinstance(d, Document)]
    assert len(documents) >= 10, "the corpus was not read"
    return {d.id: extractor.extract(d) for d in documents}


@pytest.fixture(scope="module")
def recommendations(extractions):
    return [rec for x in extractions.values() for rec in x.recommendations]


def _criteria(rec) -> set[tuple]:
    return {(c.variable, c.operator, tuple(c.value) if isinstance(c.value, list) else c.value, c.role)
            for c in rec.criteria}


def _describe(recs) -> list[tuple]:
    return sorted((r.therapy_id, r.population_ids, r.strength, r.line, r.evidence.sentence[:60]) for r in recs)


def _higher_risk(population_id: str) -> bool:
    return population_id in {"MDSKG:risk/higher-risk", "MDSKG:risk/ipss-int-2", "MDSKG:risk/ipss-high",
                             "MDSKG:risk/ipssr-high", "MDSKG:risk/ipssr-very-high"} or \
        population_id.startswith("MDSKG:group/higher-risk")


# ---- (a) what the corpus clearly states ----------------------------------------------------------

@pytest.mark.parametrize("therapy,populations,strengths,line,after,criteria", REQUIRED,
                         ids=[f"{r[0].split('/')[-1]}-{'|'.join(sorted(r[2]))}-{sorted(r[1])[0].split('/')[-1]}"
                              for r in REQUIRED])
def test_required_recommendations(recommendations, therapy, populations, strengths, line, after, criteria):
    matching = [r for r in recommendations if r.therapy_id == therapy and r.strength in strengths
                and len(r.population_ids) == 1 and r.population_ids[0] in populations
                and (line is None or r.line == line) and (after is None or r.after_therapy_id == after)]
    assert matching, _describe(r for r in recommendations if r.therapy_id == therapy)
    assert any(criteria <= _criteria(r) for r in matching), [_criteria(r) for r in matching]


def test_the_ist_seed_recommendation_comes_from_the_ist_document(extractions):
    recs = [r for r in extractions["MDSKG:doc/immunosuppressive-therapy"].recommendations
            if r.therapy_id == "MDSKG:therapy/ist" and r.population_ids == ("MDSKG:group/lower-risk-hypocellular-mds",)]
    assert recs and all(r.strength == "option" for r in recs)
    assert "especially those with a hypocellular bone marrow" in recs[0].evidence.sentence
    for rec in recs:
        assert IST_CRITERIA <= _criteria(rec)
        assert all(c.role == "favours" for c in rec.criteria)  # who is more likely to respond, not who may have it


# ---- (b) what it must never state ----------------------------------------------------------------

def test_no_positive_statement_for_investigational_immune_therapies(extractions, recommendations):
    assert not [r for r in recommendations if r.therapy_id in INVESTIGATIONAL and r.strength in POSITIVE]
    treats = [r for x in extractions.values() for r in x.relations
              if r.type == "TREATS" and r.subject_id in INVESTIGATIONAL]
    assert not treats, [(r.subject_id, r.object_id, r.evidence.sentence[:80]) for r in treats]


def test_no_negative_statement_for_hypomethylating_agents(extractions, recommendations):
    negative = [r for r in recommendations if r.therapy_id in HMA_THERAPIES and r.strength in NEGATIVE]
    assert not negative, _describe(negative)
    relations = [r for x in extractions.values() for r in x.relations
                 if r.type == "NOT_ESTABLISHED_FOR" and r.subject_id in HMA_THERAPIES]
    assert not relations, [(r.subject_id, r.object_id, r.evidence.sentence[:80]) for r in relations]


def test_hmas_are_never_advised_against_in_higher_risk_mds(recommendations):
    assert not [r for r in recommendations if r.therapy_id in HMA_THERAPIES and r.strength in NEGATIVE
                and any(_higher_risk(p) for p in r.population_ids)]


def test_lenalidomide_is_never_advised_against_for_lower_risk_mds_as_a_whole(extractions, recommendations):
    unqualified = [r for r in recommendations if r.therapy_id == "MDSKG:drug/lenalidomide" and r.strength in NEGATIVE
                   and "MDSKG:risk/lower-risk" in r.population_ids
                   and ("karyotype_findings", "not_contains", "del5q", "required") not in _criteria(r)]
    assert not unqualified, _describe(unqualified)
    relations = [r for x in extractions.values() for r in x.relations if r.type == "NOT_ESTABLISHED_FOR"
                 and r.subject_id == "MDSKG:drug/lenalidomide" and r.object_id == "MDSKG:risk/lower-risk"]
    assert not relations


def test_positive_lenalidomide_recommendations_are_for_del5q(recommendations):
    for rec in (r for r in recommendations if r.therapy_id == "MDSKG:drug/lenalidomide" and r.strength in POSITIVE):
        assert rec.population_ids[0] in ("MDSKG:group/lower-risk-del5q", "MDSKG:subtype/who2022-mds-5q") or \
            ("karyotype_findings", "contains", "del5q", "required") in _criteria(rec), rec.evidence.sentence


def test_oral_azacitidine_is_never_positive_for_mds(recommendations):
    assert not [r for r in recommendations if r.therapy_id == "MDSKG:drug/oral-azacitidine" and r.strength in POSITIVE]


def test_recommendations_are_for_mds_populations_only(extractor, recommendations):
    others = [r for r in recommendations if not all(extractor.rules.is_mds_population(p) for p in r.population_ids)]
    assert not others, _describe(others)


@pytest.mark.parametrize("opening", NO_RECOMMENDATION)
def test_sentences_without_a_bound_cue_give_no_recommendation(extractions, opening):
    documents = [x for x in extractions.values() if opening in x.document.text]
    assert documents, f"not in the corpus any more: {opening!r}"
    from_it = [r for x in documents for r in x.recommendations if r.evidence.sentence.lstrip().startswith(opening)]
    assert not from_it, _describe(from_it)


def test_criteria_stay_with_the_therapy_they_are_about(extractions):
    """IST's response predictors do not reach the HMA recommendation of the IST document, nor any
    therapy that is not IST or one of its drugs."""
    ist_family = {"MDSKG:therapy/ist", "MDSKG:drug/horse-atg", "MDSKG:drug/rabbit-atg", "MDSKG:drug/cyclosporine"}
    ist_only = {"pnh_clone", "hla_dr15", "stat3_t_cell_clone", "marrow_cellularity"}
    x = extractions["MDSKG:doc/immunosuppressive-therapy"]
    hma = [r for r in x.recommendations if r.therapy_id == "MDSKG:therapy/hma"]
    assert hma and all(r.criteria == () for r in hma)
    for rec in x.recommendations:
        if rec.therapy_id not in ist_family:
            assert not {c.variable for c in rec.criteria} & ist_only, rec.evidence.sentence


def test_required_conditions_come_from_the_recommendation_itself(recommendations):
    """A `required` criterion stated in another sentence (a trial's entry criteria, another
    recommendation's population) would exclude the very patients a recommendation is for; only a
    risk-category range within the recommendation's own risk group may come from elsewhere."""
    for rec in recommendations:
        for c in rec.criteria:
            if c.role == "required" and c.evidence.start != rec.evidence.start:
                assert c.variable in RISK_VARIABLES, (rec.therapy_id, rec.evidence.sentence, c)


def test_a_patient_group_is_not_restated_as_required_criteria(extractor, recommendations):
    """'lower-risk MDS with ring sideroblasts (15% or more, or 5% or more with an SF3B1 mutation)' is
    the RS/SF3B1 group, whose definition is an any-of: restating one alternative as `required`
    would exclude patients the group includes."""
    concepts = extractor.ontology.concepts
    for rec in recommendations:
        for population_id in rec.population_ids:
            if concepts[population_id].label != "PatientGroup":
                continue
            defining = set()
            for entry in concepts[population_id].properties.get("criteria") or []:
                defining |= {alt["variable"] for alt in entry.get("any_of", [entry])}
            assert not [c for c in rec.criteria if c.role == "required" and c.variable in defining], \
                (rec.therapy_id, population_id, rec.evidence.sentence)


def test_first_line_and_after_failure_are_consistent(recommendations):
    for rec in recommendations:
        failed = {c.value for c in rec.criteria if c.variable == "failed_therapies"}
        if rec.line == "first_line":
            assert not failed, rec.evidence.sentence
        if rec.line == "after_failure" and rec.after_therapy_id:
            assert rec.after_therapy_id in failed, rec.evidence.sentence


def test_negative_recommendations_carry_no_favouring_criteria(recommendations):
    for rec in (r for r in recommendations if r.strength in NEGATIVE):
        assert not [c for c in rec.criteria if c.role == "favours"], rec.evidence.sentence


# ---- (c) every statement is a verbatim, cited sentence -------------------------------------------

def test_every_recommendation_is_a_verbatim_cited_sentence(extractions):
    count = 0
    for x in extractions.values():
        text = x.document.text
        for rec in x.recommendations:
            count += 1
            assert text[rec.evidence.start : rec.evidence.end] == rec.evidence.sentence
            assert rec.evidence.source_id == x.document.id
            assert len(rec.citations) >= 1 and len(rec.evidence.citations) >= 1, rec.evidence.sentence
            for c in rec.criteria:
                assert text[c.evidence.start : c.evidence.end] == c.evidence.sentence
                assert c.evidence.citations, c.evidence.sentence
    assert count >= 30

"""Patient values typed into a question (service.patient.question_values)."""

import pytest

from service.patient.assess import assess
from service.patient.question_values import (
    IPSSR_INPUTS,
    QuestionValues,
    extract_patient_values,
    missing_for_ipssr,
)
from service.patient.record import Mutation, PriorTherapy, Quantity, normalise


def patient(question):
    v = extract_patient_values(question)
    assert v.patient is not None, (question, v)
    normalise(v.patient)  # every patient built must pass normalise()
    return v.patient


def n(question):
    return normalise(patient(question))


# ---- the worked IPSS-R examples ---------------------------------------------------------

def test_full_ipssr_question():
    q = "age 72, hemoglobin 9.4, platelets 60, anc 1.1, 7% blasts, normal karyotype - what is my IPSS-R?"
    v = extract_patient_values(q)
    p = v.patient
    assert p.age == 72
    assert p.hemoglobin == Quantity(9.4, "g/dL")
    assert p.platelets == Quantity(60, "10^9/L")
    assert p.anc == Quantity(1.1, "10^9/L")
    assert p.marrow_blasts_pct == 7
    assert p.ipssr_cytogenetic_group == "good"
    assert p.sequenced_genes is None and p.mutations is None
    assert missing_for_ipssr(v) == ()
    # Greenberg 2012: Hb 9.4 -> 1, platelets 60 -> 0.5, ANC 1.1 -> 0, blasts 7 % -> 2, good -> 1.
    r = assess(p).ipssr
    assert r.score == 4.5
    assert r.category == "intermediate"
    assert r.risk_group == "higher"  # > 3.5
    assert "hemoglobin 9.4 read as g/dL" in v.assumptions
    assert v.ignored == ()
    assert v.score is None and v.scheme is None


def test_second_ipssr_question_without_anc():
    v = extract_patient_values("I'm 58, hb 8.9, platelets 45, 12% blasts, del(7q)")
    p = v.patient
    assert p.age == 58
    assert p.hemoglobin == Quantity(8.9, "g/dL")
    assert p.platelets == Quantity(45, "10^9/L")
    assert p.marrow_blasts_pct == 12
    assert p.ipssr_cytogenetic_group == "intermediate"  # del(7q) alone
    assert p.anc is None
    assert missing_for_ipssr(v) == ("anc",)
    # Hb 8.9 -> 1, platelets 45 -> 1, blasts 12 % -> 3, intermediate -> 2; ANC missing -> +0 or +0.5.
    r = assess(p).ipssr
    assert r.score is None
    assert (r.score_min, r.score_max) == (7.0, 7.5)
    assert r.category == "very_high"  # > 6 either way
    assert any("del(7q) taken as the only karyotype abnormality" in a for a in v.assumptions)


def test_found_values_point_into_the_question():
    q = "age 72, hemoglobin 9.4, platelets 60, anc 1.1, 7% blasts, normal karyotype"
    v = extract_patient_values(q)
    fields = [f.field for f in v.found]
    assert fields == ["age", "hemoglobin", "platelets", "anc", "marrow_blasts_pct", "ipssr_cytogenetic_group"]
    for f in v.found:
        assert q[f.start:f.end] == f.text
    hb = next(f for f in v.found if f.field == "hemoglobin")
    assert (hb.value, hb.unit, hb.unit_assumed, hb.text) == (9.4, "g/dL", True, "hemoglobin 9.4")
    blasts = next(f for f in v.found if f.field == "marrow_blasts_pct")
    assert (blasts.value, blasts.unit, blasts.unit_assumed) == (7, "%", False)


# ---- stated scores ---------------------------------------------------------------------

@pytest.mark.parametrize("q,score,scheme,category", [
    ("my ipss-r came back as 4.0, is that good or bad?", 4.0, "IPSS-R", None),
    ("IPSS-R score of 3", 3.0, "IPSS-R", None),
    ("a score of 4 on the IPSS-R", 4.0, "IPSS-R", None),
    ("ipssm moderate high", None, "IPSS-M", "moderate_high"),
    ("ipss-m -0.5, what now?", -0.5, "IPSS-M", None),
    ("I'm intermediate-1", None, "IPSS", "intermediate_1"),
    ("told I am int-2", None, "IPSS", "intermediate_2"),
    ("ipss-r very high", None, "IPSS-R", "very_high"),
    ("I'm high risk by ipss-r", None, "IPSS-R", "high"),
    ("my IPSS score is 1.5", 1.5, "IPSS", None),
])
def test_stated_scores(q, score, scheme, category):
    v = extract_patient_values(q)
    assert (v.score, v.scheme, v.category) == (score, scheme, category)
    assert v.patient is None  # a score is not a patient value
    assert missing_for_ipssr(v) == IPSSR_INPUTS


def test_impossible_score_is_ignored():
    v = extract_patient_values("my IPSS-R is 11")
    assert v.score is None and v.scheme is None
    assert len(v.ignored) == 1 and "IPSS-R" in v.ignored[0]


def test_score_and_values_together():
    v = extract_patient_values("my IPSS-R is 3.5 and my hb is 9.1")
    assert (v.score, v.scheme) == (3.5, "IPSS-R")
    assert v.patient.hemoglobin == Quantity(9.1, "g/dL")


# ---- age and sex -----------------------------------------------------------------------

@pytest.mark.parametrize("q,age", [
    ("I'm 58", 58), ("58 yo", 58), ("age 72", 72), ("72 year old man", 72), ("I am 61 years old", 61),
    ("a 67-year-old with MDS", 67), ("aged 80, hb 9", 80),
])
def test_age(q, age):
    assert patient(q).age == age


def test_age_not_read_from_other_numbers():
    assert extract_patient_values("I'm 5 months post transplant").patient is None
    assert extract_patient_values("I'm 58% sure").patient is None


@pytest.mark.parametrize("q,sex", [
    ("72 year old man with MDS", "male"),
    ("I'm a 64 year old woman, hb 9", "female"),
    ("I am female", "female"),
    ("58 yo male, hgb 9.4", "male"),
    ("58yo F with MDS-RS", "female"),
])
def test_sex_first_person(q, sex):
    assert patient(q).sex == sex


@pytest.mark.parametrize("q", [
    "my husband is 72, hb 9",
    "my wife is a 70 year old woman with hb 8",
    "my father, a 75 year old man, has hb 8.5",
])
def test_sex_never_from_a_relative(q):
    p = patient(q)
    assert p.sex is None


# ---- hemoglobin -------------------------------------------------------------------------

@pytest.mark.parametrize("q,quantity,g_dl", [
    ("hb 8.9", Quantity(8.9, "g/dL"), 8.9),
    ("hgb 9.4", Quantity(9.4, "g/dL"), 9.4),
    ("hemoglobin 94 g/L", Quantity(94, "g/L"), 9.4),
    ("haemoglobin 8,9", Quantity(8.9, "g/dL"), 8.9),
    ("hemoglobin 89", Quantity(89, "g/L"), 8.9),
    ("hb 9.1 g/dl", Quantity(9.1, "g/dL"), 9.1),
    ("Hb: 10.2", Quantity(10.2, "g/dL"), 10.2),
    ("hemoglobin 6.2 mmol/L", Quantity(6.2, "mmol/L"), 9.99099),
    ("my counts are 9.4 hemoglobin", Quantity(9.4, "g/dL"), 9.4),
])
def test_hemoglobin(q, quantity, g_dl):
    p = patient(q)
    assert p.hemoglobin == quantity
    assert normalise(p).hemoglobin_g_dl == pytest.approx(g_dl, abs=1e-5)


def test_hemoglobin_unit_assumptions_are_stated():
    assert "hemoglobin 8.9 read as g/dL" in extract_patient_values("hb 8.9").assumptions
    assert "hemoglobin 94 read as g/L" in extract_patient_values("hb 94").assumptions
    assert "hemoglobin 8,9 read as 8.9 g/dL" in extract_patient_values("haemoglobin 8,9").assumptions
    assert extract_patient_values("hemoglobin 94 g/L").assumptions == ()


@pytest.mark.parametrize("q", ["hb 25", "hemoglobin 890", "hb 1.5", "hemoglobin 2"])
def test_impossible_hemoglobin_without_unit_is_ignored(q):
    v = extract_patient_values(q)
    assert v.patient is None
    assert len(v.ignored) == 1 and "hemoglobin" in v.ignored[0]


def test_hemoglobin_with_unit_out_of_range_is_ignored():
    v = extract_patient_values("hb 89 g/dL")
    assert v.patient is None and "not a possible hemoglobin" in v.ignored[0]


# ---- platelets and ANC -----------------------------------------------------------------

@pytest.mark.parametrize("q,quantity,per_nl", [
    ("platelets 60", Quantity(60, "10^9/L"), 60),
    ("plt 45k", Quantity(45, "10^3/uL"), 45),
    ("platelet count 45,000", Quantity(45000, "/uL"), 45),
    ("platelets 45 x10^9/L", Quantity(45, "10^9/L"), 45),
    ("platelets 45 x 10^9/L", Quantity(45, "10^9/L"), 45),
    ("plts 45 thousand", Quantity(45, "10^3/uL"), 45),
    ("plt 45,000/uL", Quantity(45000, "/uL"), 45),
    ("platelets 1500", Quantity(1500, "/uL"), 1.5),
    ("45k platelets", Quantity(45, "10^3/uL"), 45),
])
def test_platelets(q, quantity, per_nl):
    p = patient(q)
    assert p.platelets == quantity
    assert normalise(p).platelets_10e9_l == pytest.approx(per_nl)


@pytest.mark.parametrize("q,quantity,per_nl", [
    ("anc 1.1", Quantity(1.1, "10^9/L"), 1.1),
    ("neutrophils 800", Quantity(800, "/uL"), 0.8),
    ("absolute neutrophil count 0.9", Quantity(0.9, "10^9/L"), 0.9),
    ("ANC 0.6 x10^9/l", Quantity(0.6, "10^9/L"), 0.6),
    ("neutrophils 1,100", Quantity(1100, "/uL"), 1.1),
])
def test_anc(q, quantity, per_nl):
    p = patient(q)
    assert p.anc == quantity
    assert normalise(p).anc_10e9_l == pytest.approx(per_nl)


def test_neutrophil_percentage_is_not_an_absolute_count():
    v = extract_patient_values("neutrophils 45%")
    assert v.patient is None and "ANC" in v.ignored[0]


# ---- typos -------------------------------------------------------------------------------

@pytest.mark.parametrize("q,field,value", [
    ("hemoglobim 9", "hemoglobin", Quantity(9, "g/dL")),
    ("platlets 50", "platelets", Quantity(50, "10^9/L")),
    ("neutrophills 0.7", "anc", Quantity(0.7, "10^9/L")),
    ("8% blats", "marrow_blasts_pct", 8),
    ("ferritn 1200", "serum_ferritin", Quantity(1200, "ng/mL")),
    ("vidazza stopped working", "prior_therapies", (PriorTherapy("azacitidine", "relapse"),)),
])
def test_typos(q, field, value):
    assert getattr(patient(q), field) == value


def test_typo_question_combines():
    p = patient("hemoglobim 9, platlets 50")
    assert p.hemoglobin == Quantity(9, "g/dL") and p.platelets == Quantity(50, "10^9/L")


# ---- blasts, ring sideroblasts, EPO, ferritin ------------------------------------------

@pytest.mark.parametrize("q,marrow,blood", [
    ("7% blasts", 7, None),
    ("blasts 12 percent", 12, None),
    ("bone marrow blasts 4%", 4, None),
    ("BM blasts: 7%", 7, None),
    ("peripheral blood blasts 2%", None, 2),
    ("blasts 3% in the blood", None, 3),
    ("peripheral blood blasts 2%, marrow blasts 8%", 8, 2),
])
def test_blasts(q, marrow, blood):
    p = patient(q)
    assert p.marrow_blasts_pct == marrow
    assert p.peripheral_blasts_pct == blood


def test_blasts_without_site_say_so():
    v = extract_patient_values("7% blasts")
    assert any("bone marrow blasts" in a for a in v.assumptions)
    v = extract_patient_values("bone marrow blasts 4%")
    assert not any("bone marrow blasts" in a for a in v.assumptions)


@pytest.mark.parametrize("q", ["blasts 140%", "140% blasts"])
def test_impossible_blasts_are_ignored(q):
    v = extract_patient_values(q)
    assert v.patient is None
    assert len(v.ignored) == 1 and "not a possible blasts value" in v.ignored[0]


def test_ring_sideroblasts_epo_ferritin():
    p = patient("epo 650, ferritin 1,200 ng/mL, 20% ring sideroblasts")
    assert p.serum_epo == Quantity(650, "mU/mL")
    assert p.serum_ferritin == Quantity(1200, "ng/mL")
    assert p.ring_sideroblasts_pct == 20
    assert p.marrow_blasts_pct is None  # "sideroblasts" is not "blasts"
    assert patient("EPO level of 80 mU/mL").serum_epo == Quantity(80, "mU/mL")


def test_bounds_ranges_and_conflicts_are_not_guessed():
    v = extract_patient_values("epo < 500")
    assert v.patient is None and "bound" in v.ignored[0]
    v = extract_patient_values("hb 8-9")
    assert v.patient is None and "range" in v.ignored[0]
    v = extract_patient_values("hb 8.9, hb 9.4 last month")
    assert v.patient is None and "different hemoglobin values" in v.ignored[0]
    assert not any("hemoglobin" in a for a in v.assumptions)


# ---- karyotype ---------------------------------------------------------------------------

@pytest.mark.parametrize("q,group", [
    ("normal karyotype", "good"),
    ("karyotype was normal", "good"),
    ("del(5q)", "good"),
    ("5q deletion", "good"),
    ("del 5q", "good"),
    ("isolated del(5q)", "good"),
    ("del(7q)", "intermediate"),
    ("monosomy 7", "poor"),
    ("-7", "poor"),
    ("trisomy 8", "intermediate"),
    ("+8", "intermediate"),
    ("-Y alone", "very_good"),
    ("del(11q)", "very_good"),
    ("del(20q)", "good"),
    ("inv(3)", "poor"),
    ("del(5q) and +8", "good"),  # double including del(5q)
    ("del(7q) and +8", "poor"),  # double including del(7q)
    ("+8 and del(20q)", "intermediate"),  # other double
    ("-7, +8 and del(20q)", "poor"),  # complex: 3 abnormalities
    ("-7 and del(5q) and +8 and del(20q)", "very_poor"),  # complex: > 3
    ("complex karyotype with 4 abnormalities", "very_poor"),
    ("3 abnormalities including -7", "poor"),
])
def test_cytogenetic_group_from_words(q, group):
    p = patient(q)
    assert p.ipssr_cytogenetic_group == group
    assert p.karyotype is None  # words are not a complete ISCN karyotype


def test_normal_karyotype_does_not_invent_an_iscn_karyotype():
    p = patient("normal karyotype")
    assert p.karyotype is None and p.ipssr_cytogenetic_group == "good"


@pytest.mark.parametrize("q", ["complex karyotype", "no del(5q)", "not a normal karyotype",
                               "normal karyotype with del(5q)"])
def test_cytogenetics_not_settled(q):
    v = extract_patient_values(q)
    assert v.patient is None or v.patient.ipssr_cytogenetic_group is None


def test_iscn_karyotype_is_kept_as_written():
    v = extract_patient_values("46,XY,del(5)(q13q33)[20], hb 9")
    assert v.patient.karyotype == "46,XY,del(5)(q13q33)[20]"
    assert v.patient.hemoglobin == Quantity(9, "g/dL")
    assert "ipssr_cytogenetic_group" not in missing_for_ipssr(v)
    assert assess(v.patient).karyotype.ipssr_group == "good"


# ---- mutations ---------------------------------------------------------------------------

@pytest.mark.parametrize("q,mutated,tested", [
    ("SF3B1 mutation", ["SF3B1"], ("SF3B1",)),
    ("IDH2 mutated", ["IDH2"], ("IDH2",)),
    ("TP53+", ["TP53"], ("TP53",)),
    ("I have an IDH2 mutation", ["IDH2"], ("IDH2",)),
    ("mutations in TP53 and ASXL1", ["TP53", "ASXL1"], ("TP53", "ASXL1")),
    ("SF3B1 and ASXL1 mutations with TP53 wild type", ["SF3B1", "ASXL1"], ("SF3B1", "ASXL1", "TP53")),
    ("I don't have a TP53 mutation", [], ("TP53",)),
])
def test_mutations(q, mutated, tested):
    p = patient(q)
    assert [m.gene for m in p.mutations] == mutated
    # Only the genes named count as tested: the question is never a complete panel.
    assert p.sequenced_genes == tested


def test_named_mutation_leaves_other_genes_unknown():
    v = extract_patient_values("I have an IDH2 mutation")
    assert v.patient.mutations == (Mutation("IDH2"),)
    norm = n("I have an IDH2 mutation")
    assert any(m.gene == "IDH2" for m in norm.mutations)
    assert norm.sequenced_genes is not None and "TP53" not in norm.sequenced_genes  # not claimed unmutated
    assert any("only the genes named" in a for a in v.assumptions)


def test_flt3_itd_and_gene_named_without_mutation():
    assert patient("FLT3-ITD").mutations == (Mutation("FLT3", kind="ITD"),)
    assert extract_patient_values("what does SF3B1 mean?").patient is None


# ---- transfusions ------------------------------------------------------------------------

@pytest.mark.parametrize("q,per_8wk", [
    ("I need 4 units every 8 weeks", 4),
    ("2 transfusions a month", 4),
    ("I get 2 units every 2 weeks", 8),
    ("every 3 weeks I get 2 units", 5.33),
    ("one unit a week", 8),
])
def test_transfusion_burden(q, per_8wk):
    p = patient(q)
    assert p.transfusion_units_per_8wk == pytest.approx(per_8wk)
    assert assess(p).criterion_values["transfusion_dependent"] is True


def test_transfusions_counted_as_units_say_so():
    v = extract_patient_values("2 transfusions a month")
    assert v.assumptions == ("2 transfusions a month read as 4 units per 8 weeks "
                             "(one unit per transfusion, a month taken as 4 weeks)",)


@pytest.mark.parametrize("q,dependent", [
    ("transfusion dependent", True), ("I'm transfusion-dependent", True), ("not transfusion dependent", False),
    ("I have never had a transfusion", False),
])
def test_transfusion_dependence(q, dependent):
    assert patient(q).transfusion_dependent is dependent


# ---- prior therapies ----------------------------------------------------------------------

@pytest.mark.parametrize("q,therapies", [
    ("decitabine stopped working after 8 cycles", [PriorTherapy("decitabine", "relapse", 8)]),
    ("azacitidine stopped working after 8 cycles", [PriorTherapy("azacitidine", "relapse", 8)]),
    ("after 6 cycles of aza it stopped working", [PriorTherapy("azacitidine", "relapse", 6)]),
    ("I had 6 cycles of vidaza and it didn't work", [PriorTherapy("azacitidine", "no_response", 6)]),
    ("failed vidaza", [PriorTherapy("azacitidine", "no_response")]),
    ("revlimid didn't work", [PriorTherapy("lenalidomide", "no_response")]),
    ("I couldn't tolerate revlimid", [PriorTherapy("lenalidomide", "intolerant")]),
    ("I'm on reblozyl and it's working", [PriorTherapy("luspatercept", "response")]),
    ("I failed vidaza and revlimid", [PriorTherapy("azacitidine", "no_response"),
                                      PriorTherapy("lenalidomide", "no_response")]),
    ("procrit stopped working, then aranesp didn't work either", [PriorTherapy("epoetin alfa", "relapse"),
                                                                  PriorTherapy("darbepoetin alfa", "no_response")]),
    ("failed inqovi, thinking about rytelo", [PriorTherapy("decitabine-cedazuridine", "no_response")]),
    ("dacogen no longer works", [PriorTherapy("decitabine", "relapse")]),
    ("epogen shots stopped working", [PriorTherapy("epoetin alfa", "relapse")]),
    ("tried tibsovo, then idhifa", [PriorTherapy("ivosidenib"), PriorTherapy("enasidenib")]),
    ("vidaza, revlimid and reblozyl all failed", [PriorTherapy("azacitidine", "no_response"),
                                                  PriorTherapy("lenalidomide", "no_response"),
                                                  PriorTherapy("luspatercept", "no_response")]),
    # "then" says revlimid was received, not that it failed too.
    ("I failed vidaza, then revlimid", [PriorTherapy("azacitidine", "no_response"), PriorTherapy("lenalidomide")]),
])
def test_prior_therapies(q, therapies):
    assert list(patient(q).prior_therapies) == therapies


def test_brand_names_and_failed_wording_are_stated():
    v = extract_patient_values("failed vidaza")
    assert "vidaza read as azacitidine" in v.assumptions
    assert "'failed' read as no response to azacitidine" in v.assumptions


@pytest.mark.parametrize("q", [
    "what is luspatercept?",
    "is revlimid right for me?",
    "I haven't tried vidaza yet, should I?",
    "what if vidaza doesn't work?",
    "Is 8 cycles of aza enough?",
])
def test_a_therapy_asked_about_is_not_a_prior_therapy(q):
    assert extract_patient_values(q).patient is None


def test_asked_therapy_next_to_a_failed_one():
    p = patient("should I try luspatercept after revlimid stopped working?")
    assert list(p.prior_therapies) == [PriorTherapy("lenalidomide", "relapse")]


# ---- transplant, ECOG, cellularity ------------------------------------------------------

def test_transplant_wishes():
    p = patient("no donor and not fit for transplant")
    assert p.donor_available is False and p.transplant_candidate is False
    assert assess(p).criterion_values["transplant_candidate"] is False
    p = patient("I want a transplant but have no donor")
    assert p.wants_transplant is True and p.donor_available is False
    assert patient("I don't want a transplant").wants_transplant is False
    assert patient("too old for a transplant").transplant_candidate is False
    assert patient("my brother is a perfect match").donor_available is True
    assert extract_patient_values("am I a transplant candidate?").patient is None


def test_ecog_and_cellularity():
    assert patient("ECOG 1").ecog == 1
    assert patient("hypocellular marrow").marrow_cellularity == "hypocellular"
    v = extract_patient_values("ECOG 7")
    assert v.patient is None and v.ignored


# ---- no values ----------------------------------------------------------------------------

@pytest.mark.parametrize("q", [
    "", "   ", "what is MDS?", "what are the side effects of azacitidine?",
    "what happens if hemoglobin drops below 8?", "my hemoglobin is moderately low",
    "can a blood transfusion help?",
])
def test_questions_with_no_values(q):
    v = extract_patient_values(q)
    assert isinstance(v, QuestionValues)
    assert v.patient is None and v.found == ()
    assert v.score is None
    assert missing_for_ipssr(v) == IPSSR_INPUTS


# ---- every patient passes normalise() and assess() ----------------------------------------

@pytest.mark.parametrize("q", [
    "Female, 66, hb 10.2, plt 120, ANC 2.3, blasts 1%, -Y, SF3B1 35%, ferritin 900",
    "72 year old man, hgb 8.1 g/dL, platelets 30k, neutrophils 500, 15% blasts, complex karyotype with 5 "
    "abnormalities, TP53 mutated, failed azacitidine after 6 cycles, not fit for transplant",
    "I'm 70, hb 94 g/L, plt 45,000, anc 0.7, BM blasts 3%, del(5q), 4 units every 8 weeks, epo 80, "
    "revlimid stopped working",
])
def test_mixed_questions_assess(q):
    v = extract_patient_values(q)
    a = assess(v.patient)
    assert a.normalised is not None
    for f in v.found:
        assert q[f.start:f.end] == f.text


def test_mixed_question_values():
    v = extract_patient_values(
        "72 year old man, hgb 8.1 g/dL, platelets 30k, neutrophils 500, 15% blasts, complex karyotype with 5 "
        "abnormalities, TP53 mutated, failed azacitidine after 6 cycles, not fit for transplant")
    p = v.patient
    assert (p.age, p.sex) == (72, "male")
    assert p.ipssr_cytogenetic_group == "very_poor"
    assert p.prior_therapies == (PriorTherapy("azacitidine", "no_response", 6),)
    assert p.transplant_candidate is False
    r = assess(p).ipssr
    # Hb 8.1 -> 1, platelets 30 -> 1, ANC 0.5 -> 0.5, blasts 15 -> 3, very poor -> 4.
    assert r.score == 9.5 and r.category == "very_high"

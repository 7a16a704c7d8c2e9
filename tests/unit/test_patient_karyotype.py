"""ISCN karyotype parsing and the IPSS-R (Schanz 2012) / IPSS (1997) cytogenetic groups."""

import pytest

from service.patient.karyotype import FINDINGS, parse_karyotype


@pytest.mark.parametrize("iscn,findings,count,ipssr,ipss", [
    ("46,XX[20]", {"normal"}, 0, "good", "good"),
    ("46,XY[20]", {"normal"}, 0, "good", "good"),
    ("46,XY,del(5)(q13q33)[20]", {"del5q"}, 1, "good", "good"),
    ("46,XX,del(5)(q14q34)[18]/46,XX[2]", {"del5q"}, 1, "good", "good"),
    ("45,XY,-7[20]", {"minus7"}, 1, "poor", "poor"),
    ("46,XY,del(7)(q22q36)[15]/46,XY[5]", {"del7q"}, 1, "intermediate", "poor"),
    ("47,XY,+8[20]", {"plus8"}, 1, "intermediate", "intermediate"),
    ("47,XX,+19[12]/46,XX[8]", {"plus19"}, 1, "intermediate", "intermediate"),
    ("45,X,-Y[15]/46,XY[5]", {"minusY"}, 1, "very_good", "good"),
    ("46,XY,del(11)(q14q23)[20]", {"del11q"}, 1, "very_good", "intermediate"),
    ("46,XY,del(12)(p12)[20]", {"del12p"}, 1, "good", "intermediate"),
    ("46,XX,del(20)(q11.2q13.3)[20]", {"del20q"}, 1, "good", "good"),
    ("46,XY,i(17)(q10)[20]", {"i17q"}, 1, "intermediate", "intermediate"),
    ("46,XY,del(17)(p11.2)[10]/46,XY[10]", {"del17p"}, 1, "intermediate", "intermediate"),
    ("46,XX,inv(3)(q21q26.2)[20]", {"inv3"}, 1, "poor", "intermediate"),
    ("46,XY,t(3;3)(q21;q26)[20]", {"inv3"}, 1, "poor", "intermediate"),
    ("46,XY,t(3;5)(q25;q34)[20]", {"abn3q"}, 1, "poor", "intermediate"),
    ("46,XY,del(3)(q21)[20]", {"abn3q"}, 1, "poor", "intermediate"),
    # doubles
    ("46,XY,del(5)(q13q33),del(20)(q11q13)[20]", {"del5q", "del20q", "double"}, 2, "good", "intermediate"),
    ("46,XY,del(5)(q13q33)[10]/47,idem,+8[10]", {"del5q", "plus8", "double"}, 2, "good", "intermediate"),
    ("46,XY,+8,-7[20]", {"plus8", "minus7", "double"}, 2, "poor", "poor"),
    ("46,XY,del(5)(q13q33),del(7)(q22q36)[20]", {"del5q", "del7q", "double"}, 2, "poor", "poor"),
    ("47,XY,+8,del(20)(q11q13)[20]", {"plus8", "del20q", "double"}, 2, "intermediate", "intermediate"),
    ("46,XY,del(5)(q13q33)[10]/47,XY,+8[5]/46,XY[5]", {"del5q", "plus8", "double"}, 2, "good", "intermediate"),
    # complex
    ("45,XY,del(5)(q13q33),-7,+8,-18[20]", {"del5q", "minus7", "plus8", "complex"}, 4, "very_poor", "poor"),
    ("46,XX,del(5)(q13q33),+8,-18[20]", {"del5q", "plus8", "complex"}, 3, "poor", "poor"),
    ("44,XY,del(5)(q13q33),-7,-17,+8,-18,-20,+mar[15]/46,XY[5]",
     {"del5q", "minus7", "plus8", "complex"}, 7, "very_poor", "poor"),
])
def test_real_iscn(iscn, findings, count, ipssr, ipss):
    r = parse_karyotype(iscn)
    assert r.complete, r.warnings
    assert set(r.findings) == findings
    assert r.abnormality_count == count
    assert r.ipssr_group == ipssr
    assert r.ipss_group == ipss
    assert set(r.findings) <= set(FINDINGS)


def test_normal_flags():
    r = parse_karyotype("46,XX[20]")
    assert r.is_normal is True and r.warnings == ()
    assert parse_karyotype("46,XY,+8[20]").is_normal is False


def test_17p_loss_flag_for_ipssm():
    assert parse_karyotype("46,XY,del(17)(p12)[20]").loss_17p
    assert parse_karyotype("45,XY,-17[20]").loss_17p
    assert parse_karyotype("46,XY,i(17)(q10)[20]").loss_17p
    assert not parse_karyotype("47,XY,+8[20]").loss_17p


def test_chromosome_7_anomaly_ipss_poor():
    r = parse_karyotype("46,XY,der(1;7)(q10;p10)[20]")
    assert r.chr7_anomaly and r.ipss_group == "poor" and r.ipssr_group == "intermediate"


def test_legacy_and_loose_notation():
    assert parse_karyotype("46,XY,5q-[20]").findings == {"del5q"}
    assert parse_karyotype("46,XY,del(5q)").findings == {"del5q"}
    assert parse_karyotype(" 46, xy, del(5)(q13q33) [20] ").findings == {"del5q"}
    assert parse_karyotype("46XY").findings == {"normal"}
    assert parse_karyotype("45,XY,−7[20]").findings == {"minus7"}  # unicode minus


def test_constitutional_not_counted():
    r = parse_karyotype("47,XY,+21c[20]")
    assert r.findings == {"normal"} and r.abnormality_count == 0
    assert any("constitutional" in w for w in r.warnings)


def test_non_clonal_single_cell_not_counted():
    r = parse_karyotype("46,XY,+8[1]/46,XY[19]")
    assert r.findings == {"normal"}
    assert any("clone definition" in w for w in r.warnings)
    # a loss needs three cells
    assert parse_karyotype("45,XY,-7[2]/46,XY[18]").findings == {"normal"}
    assert parse_karyotype("45,XY,-7[3]/46,XY[17]").findings == {"minus7"}


def test_composite_and_range_counts():
    r = parse_karyotype("44~46,XY,del(5)(q13q33),-7,+8[cp10]")
    assert r.complete and r.abnormality_count == 3 and r.ipssr_group == "poor"


def test_sex_chromosome_loss_written_in_sex_token():
    assert parse_karyotype("45,X[20]", sex="male").findings == {"minusY"}
    r = parse_karyotype("45,X[20]")
    assert not r.complete and r.ipssr_group is None


def test_fish_part_ignored():
    r = parse_karyotype("46,XY,del(5)(q13q33)[20].nuc ish(EGR1x1)[200]")
    assert r.findings == {"del5q"} and any("FISH" in w for w in r.warnings)


@pytest.mark.parametrize("messy", ["", "   ", "46,XY,foo(5)[20]", "not a karyotype", "46,XY,del(5)[20]",
                                   "ish del(5)(q31)", "46,XY,t(3;5)(q25[20]", "/", "46,XY,[20]"])
def test_messy_input_warns_never_raises(messy):
    r = parse_karyotype(messy)
    assert r.warnings or r.complete
    if not r.complete:
        assert r.ipssr_group is None or r.ipssr_group == "very_poor"


def test_unread_item_does_not_hide_certain_groups():
    r = parse_karyotype("44,XY,del(5)(q13q33),-7,+8,-18,foo(9)[20]")
    assert not r.complete
    assert r.ipssr_group == "very_poor"  # four readable abnormalities: already > 3
    assert "complex" in r.findings
    r = parse_karyotype("46,XY,del(5)(q13q33),foo(9)[20]")
    assert r.ipssr_group is None and "double" not in r.findings


def test_plain_words():
    r = parse_karyotype("normal")
    assert r.findings == {"normal"} and r.warnings
    r = parse_karyotype("complex karyotype")
    assert "complex" in r.findings and r.ipssr_group is None and r.ipss_group == "poor"

"""The NER evaluation harness: corpus readers, span scoring, a small end-to-end run."""

from __future__ import annotations

from bench.ner_eval import BC5CDR_TEST, NCBI_TEST, main, read_iob, read_ncbi, score, table
from tests.shared_data import requires_shared


@requires_shared(NCBI_TEST)
def test_ncbi_reader_offsets_match_the_mentions():
    examples = read_ncbi(limit=5)
    assert len(examples) == 5
    raw = NCBI_TEST.read_text(encoding="utf-8").splitlines()
    mentions = {(line.split("\t")[0], int(line.split("\t")[1]), int(line.split("\t")[2])): line.split("\t")[3]
                for line in raw if line.count("\t") >= 4}
    for ex in examples:
        for start, end, _ in ex.gold:
            assert ex.text[start:end] == mentions[(ex.id, start, end)]


@requires_shared(BC5CDR_TEST)
def test_iob_reader_rebuilds_typed_spans():
    examples = read_iob(limit=20)
    assert len(examples) == 20
    first = examples[0]
    assert first.text.startswith("Torsade de pointes ventricular tachycardia")
    assert (0, len("Torsade de pointes"), "Disease") in first.gold
    assert any(t == "Chemical" and first.text[s:e] == "dobutamine" for s, e, t in first.gold)


def test_score_exact_and_lenient():
    gold = {(0, 10, "Disease"), (20, 30, "Disease")}
    pred = {(0, 10, "Disease"), (22, 28, "Disease"), (40, 45, "Disease")}
    s = score([(gold, pred)], "Disease")
    assert s["exact"] == {"precision": round(1 / 3, 4), "recall": 0.5, "f1": 0.4}
    assert s["lenient"]["recall"] == 1.0 and s["lenient"]["precision"] == round(2 / 3, 4)


@requires_shared(NCBI_TEST, BC5CDR_TEST)
def test_small_run_prints_a_table(capsys):
    results = main(["--limit", "3"])
    out = capsys.readouterr().out
    assert "ncbi_disease" in out and "bc5cdr" in out and "ruler+generic" in out
    assert set(results) == {"ncbi_disease", "bc5cdr"}
    assert set(results["bc5cdr"]) >= {"Chemical", "Disease"}
    assert "P~" in table(results)

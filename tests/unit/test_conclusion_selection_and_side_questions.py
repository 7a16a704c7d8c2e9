"""Conclusion cues (issue 15, Deliver 4): markers rejected as selection tools, factors that guide a therapy's use,
deferral by "needs confirmation", and an open side question after a positive main finding. Sentences written here."""

import pytest

from etl.nlp.conclusions import classify


@pytest.mark.parametrize("text", [
    # a marker is dismissed as a way to pick patients; the therapy itself worked
    "Drug Q induced responses in a quarter of unselected patients; marker Z should not be used to select candidates.",
    "Therapy W was active, and baseline ferritin should not be used alone for choosing who receives it.",
    # a factor that steers the use of a therapy is a positive prognostic finding
    "Baseline platelet count, but not age, should guide the use of agent K in lower-risk disease.",
    "Mutation status can inform the choice of salvage therapy after failure of hypomethylating agents.",
    # the main finding is positive; a later clause leaves a side question open
    "Agent P prolongs survival over best supportive care; whether agent R does so remains unclear.",
    "Combination C improved remission rates, but whether it lengthens survival remains to be determined.",
])
def test_positive(text):
    assert classify(text) == "positive"


@pytest.mark.parametrize("text", [
    "Drug Q should not be used in patients with normal marrow cellularity.",
    "Agent V should not be used outside a clinical trial.",
    "Agent V did not improve survival and should not be used to treat older patients.",
])
def test_negative_still_negative(text):
    assert classify(text) == "negative"


@pytest.mark.parametrize("text", [
    # the key endpoint failed; the subgroup signal is deferred to confirmation
    "Maintenance with drug M did not significantly prolong event-free survival; the benefit seen in one subgroup "
    "needs confirmation before it can be recommended.",
    "Drug M did not improve overall survival; the lower relapse rate in the adverse-karyotype group requires "
    "prospective validation.",
    # an open question alone is not a positive finding
    "Whether agent R improves survival remains unclear.",
    "Agent P was tolerable; whether it improves survival remains unclear.",
])
def test_inconclusive(text):
    assert classify(text) == "inconclusive"


def test_firm_negative_is_not_softened_by_deferral():
    text = "Drug M did not improve survival and cannot be recommended; the subgroup finding needs confirmation."
    assert classify(text) == "negative"

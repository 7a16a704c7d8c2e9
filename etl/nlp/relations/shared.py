"""Sentence helpers that more than one rule family uses: merged mentions (`_dedupe`), the clause
holding an offset, citation markers blanked, and the tests of the part a mention plays (a therapy, a
patient's condition, a comparator arm, a population).

They are kept apart from the families so that no family module imports another just for a helper.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from etl.nlp.relations.cues import _OUTCOME_BEFORE, CONDITION_AFTER, CONDITION_THERAPY, FAILURE_BEFORE, THERAPY_LABELS
from etl.nlp.relations.views import MentionView, SentenceView


def _in_ranges(position: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in ranges)


def _duration_of(sv: SentenceView, start: int) -> bool:
    """'a shorter period of transfusion dependence' states how long, not whether."""
    lead = sv.text[max(0, start - 60) : start]
    return bool(re.search(r"\b(?:period|duration|length)\s+of\s+(?:[\w-]+\s+){0,4}$", lead, re.I))


def _is_therapy(m: MentionView) -> bool:
    return m.label in THERAPY_LABELS or m.label == "Term"


def _without_citations(text: str) -> str:
    """The text with citation markers ('[MDSKG:source/pdq-mds-treatment-hp]') blanked, same length."""
    if "[" not in text:
        return text  # no marker can start: the substitution would return the text unchanged
    return re.sub(r"\[[^\[\]]*\]", lambda m: " " * len(m.group()), text)


def _dedupe(mentions: Iterable[MentionView], sv: SentenceView | None = None) -> list[MentionView]:
    """Sorted mentions with 'long form (ABBR)' merged into one mention of the long form."""
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
    out: list[MentionView] = []
    for m in ordered:
        if out and sv is not None and out[-1].concept_id == m.concept_id and m.start >= out[-1].end:
            gap = sv.text[sv.rel(out[-1].end) : sv.rel(m.start)]
            closing = sv.text[sv.rel(m.end) : sv.rel(m.end) + 1]
            if re.fullmatch(r"\s*\(\s*", gap) and closing == ")":
                out[-1] = replace(out[-1], end=m.end + 1, negated=out[-1].negated or m.negated)
                continue
        if out and m.start < out[-1].end:
            continue  # overlapping mentions cannot come from one Doc; keep the first
        out.append(m)
    return out


def _clauses(sv: SentenceView) -> tuple[tuple[int, int], ...]:
    return sv.clauses


def _clause_text(sv: SentenceView, start: int) -> str:
    """The clause of sv (see clause_bounds) holding the absolute offset `start`; the whole
    sentence when no clause does."""
    position = sv.rel(start)
    for a, b in _clauses(sv):
        if a <= position < b:
            return sv.text[a:b]
    return sv.text


def _populations(mentions: list[MentionView], sv: SentenceView | None = None) -> list[MentionView]:
    """Populations, with a bare disease dropped when something more specific is named, and
    outcomes ('progression … to acute myeloid leukemia') left out."""
    if sv is not None:
        mentions = [m for m in mentions
                    if not _OUTCOME_BEFORE.search(sv.text[max(0, sv.rel(m.start) - 100) : sv.rel(m.start)])]
    specific = [m for m in mentions if m.label != "Disease"]
    chosen = specific or mentions
    seen, out = set(), []
    for m in chosen:
        if m.concept_id not in seen:
            seen.add(m.concept_id)
            out.append(m)
    return out


def _is_condition_therapy(sv: SentenceView, m: MentionView) -> bool:
    """'patients who need red blood cell transfusions', 'baseline transfusion needs'."""
    before = sv.text[max(0, sv.rel(m.start) - 40) : sv.rel(m.start)]
    after = sv.text[sv.rel(m.end) : sv.rel(m.end) + 20]
    if CONDITION_AFTER.match(after):
        return True
    return bool(CONDITION_THERAPY.search(before)) and not FAILURE_BEFORE.search(before)


_COMPARATOR = re.compile(r"\b(?:versus|vs\.?|compared\s+(?:with|to)|than|placebo|(?:preferred|chosen|favou?red)\s+over"
                         r"|rather\s+than|instead\s+of)\b", re.I)


def _is_comparator(sv: SentenceView, m: MentionView) -> bool:
    """A control arm ('azacitidine versus … best supportive care'): the trial's conditions are
    about the first-named therapy, not the comparator. 'Compared with the IPSS, the IPSS-R …'
    restarts the clause after the comma, so the IPSS-R is not a comparator."""
    clause = next(((a, b) for a, b in _clauses(sv) if a <= sv.rel(m.start) < b), (0, len(sv.text)))
    before = sv.text[clause[0] : sv.rel(m.start)]
    cues = list(_COMPARATOR.finditer(before))
    if not cues:
        return False
    after_cue = before[cues[-1].end() :]
    return not re.search(r",\s+(?:the|a|an|this|these|its)\s+(?:\S+\s+)?$", after_cue, re.I)

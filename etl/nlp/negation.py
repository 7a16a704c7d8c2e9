"""Negation and hedging cues within one sentence, and whether an entity falls in their scope.

NegEx-style (Chapman et al. 2001), pure functions over the sentence string:

* a *forward* cue ("no", "without", "absence of", "except") negates what follows it, up to a
  few words or a terminator ("but", "however", ";");
* a *backward* cue ("is not recommended", "did not improve", "is not an established …") negates
  what comes before it in the clause — in guideline prose the negated thing is the subject
  ("Iron chelation is not recommended for …");
* *pseudo* cues ("not only", "no longer", "did not respond") look like negations but are not;
  they are matched first so their words cannot trigger anything;
* hedges ("may be considered", "investigational", "in clinical trials") mark the whole clause.

Entity spans are character offsets within the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

FORWARD_WINDOW_WORDS = 6
BACKWARD_WINDOW_WORDS = 14


@dataclass(frozen=True)
class Cue:
    text: str
    start: int
    end: int
    kind: str  # negation | hedge | pseudo
    direction: str  # forward | backward | both | clause


@dataclass(frozen=True)
class EntityFlags:
    negated: bool = False
    hedged: bool = False
    negation_cue: str | None = None
    hedge_cue: str | None = None


def _alternation(phrases: Sequence[str]) -> str:
    """Longest first so "not recommended" beats "not"; spaces match any run of whitespace."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


PSEUDO_NEGATIONS = [
    "with or without", "or without", "not only", "is not only", "are not only", "was not only", "were not only", "no longer", "not necessarily", "no change", "no increase", "not been determined",
    "whether or not", "not known", "not yet known", "did not respond", "do not respond", "does not respond",
    "not respond", "not responding", "did not show hematologic improvement", "failed to respond",
    "failed to show hematologic improvement", "not been established whether", "not clear", "no doubt",
    "not certain", "not always", "not all", "no more than", "not more than", "not exceeding",
    "not less than", "no less than", "not to exceed", "not eligible for transplant",
]
BACKWARD_NEGATIONS = [
    "is not recommended", "are not recommended", "not recommended", "is not advised", "not advised",
    "should not be used", "should not be given", "should not be offered", "should be avoided",
    "is not an established", "are not an established", "not an established", "is not established",
    "are not established", "not established", "is not a standard", "not a standard", "is not standard",
    "not standard", "not approved", "is not approved", "is not effective", "are not effective",
    "not effective", "ineffective", "did not improve", "does not improve", "do not improve",
    "has not been shown", "have not been shown", "failed to improve", "failed to show", "failed to demonstrate",
    "did not show", "did not demonstrate", "showed no benefit", "shows no benefit", "has no role",
    "have no role", "no established role", "is not indicated", "are not indicated", "not indicated",
    "is contraindicated", "are contraindicated", "contraindicated", "is not", "are not", "was not", "were not",
]
BOTH_NEGATIONS = ["no benefit", "no survival benefit", "no clinical benefit", "no role", "of no benefit"]
FORWARD_NEGATIONS = [
    "no evidence of", "no evidence that", "no evidence", "absence of", "absent", "without", "no", "not",
    "non", "neither", "nor", "lack of", "lacking", "free of", "rule out", "ruled out", "negative for",
    "except", "except for", "other than", "excluding", "never", "cannot", "can't", "don't", "doesn't",
    "does not have", "do not have", "did not have", "do not harbor", "does not harbor", "not harbor",
]
HEDGES = [
    "may be considered", "can be considered", "could be considered", "might be considered",
    "may be an option", "may be used", "may be offered", "may be treated", "may benefit", "may improve",
    "may", "might", "could", "possibly", "potentially", "perhaps", "suggest", "suggests", "suggested",
    "suggesting", "investigational", "experimental", "in clinical trials", "in a clinical trial",
    "clinical trial", "under investigation", "being studied", "is being tested", "are being tested",
    "under evaluation", "under clinical evaluation", "unproven", "remains unproven", "uncertain",
    "unknown", "is unknown", "not known", "not been determined", "unclear", "appear", "appears",
    "has been reported", "have been reported", "preliminary", "limited evidence", "limited data",
]
TERMINATORS = re.compile(
    r"\bbut\b|\bhowever\b|\balthough\b|\bthough\b|\bwhereas\b|\byet\b|\bexcept\b|\bwhich\b|\bwhile\b"
    r"|\bapart\s+from\b|;|:|\bin\s+contrast\b|\bunlike\b",
    re.IGNORECASE,
)
# A forward cue negates a noun phrase: its scope also ends at a comma or at the next verb.
FORWARD_TERMINATORS = re.compile(
    r",|\b(?:may|might|can|could|should|will|would|is|are|was|were|has|have|had|respond\w*|receiv\w*"
    r"|treated|showed?|shows|improv\w*|predict\w*)\b",
    re.IGNORECASE,
)
# Clause breaks for hedges; commas do not end a hedge's scope, "but" does.
CLAUSE_BREAKS = re.compile(r"\bbut\b|\bhowever\b|\bwhereas\b|;|\bin\s+contrast\b", re.IGNORECASE)

_CUE_RE = re.compile(
    r"(?<![\w-])(?:"
    + f"(?P<pseudo>{_alternation(PSEUDO_NEGATIONS)})"
    + f"|(?P<backward>{_alternation(BACKWARD_NEGATIONS)})"
    + f"|(?P<both>{_alternation(BOTH_NEGATIONS)})"
    + f"|(?P<hedge>{_alternation(HEDGES)})"
    + f"|(?P<forward>{_alternation(FORWARD_NEGATIONS)})"
    + r")(?![\w])|(?P<prefix>\bnon-)",
    re.IGNORECASE,
)
_WORD = re.compile(r"\S+")
_RELATIVE = re.compile(r"\b(?:who|whom|whose)\b", re.IGNORECASE)
_SUBORDINATE = re.compile(r"\s*(?:after|when|if|in|for|although|because|since|while|as|unlike|despite)\b", re.IGNORECASE)



def phrase_trie_pattern(phrases: Sequence[str]) -> str:
    """One regex for the union of `phrases`, as a trie of their lower-cased characters (a space
    matches any run of whitespace). Python's `re` tries every branch of an alternation at every
    position; a trie tries one branch per distinct next character, so a scan is ~5x faster.
    Which phrase wins is *not* the alternation's choice: use it only to ask whether, and where,
    any phrase can match."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase.lower():
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [(r"\s+" if char == " " else re.escape(char)) + build(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


# Where a cue can start: the same phrases, lookarounds and flags as _CUE_RE, as one trie. Every
# position where _CUE_RE matches is a position where this matches, and vice versa (same union
# of phrases); _CUE_RE is then run only there, so the cues found are exactly _CUE_RE's.
_CUE_LOCATOR = re.compile(
    r"(?<![\w-])(?:"
    + phrase_trie_pattern(PSEUDO_NEGATIONS + BACKWARD_NEGATIONS + BOTH_NEGATIONS + HEDGES + FORWARD_NEGATIONS)
    + r")(?![\w])|\bnon-",
    re.IGNORECASE,
)


def cue_matches(sentence: str) -> list[re.Match]:
    """The matches of `_CUE_RE.finditer(sentence)`, found faster: the trie locator skips to the
    next position where some cue can match, and `_CUE_RE` decides which cue it is there."""
    matches = []
    position = 0
    while True:
        hit = _CUE_LOCATOR.search(sentence, position)
        if hit is None:
            return matches
        match = _CUE_RE.match(sentence, hit.start())
        matches.append(match)
        position = match.end()


def find_cues(sentence: str) -> list[Cue]:
    """All cues, left to right; pseudo cues are returned so callers can see why nothing fired."""
    cues = []
    for m in cue_matches(sentence):
        group = m.lastgroup
        if group == "pseudo":
            cues.append(Cue(m.group(), m.start(), m.end(), "pseudo", "none"))
        elif group == "hedge":
            cues.append(Cue(m.group(), m.start(), m.end(), "hedge", "clause"))
        elif group == "prefix":
            cues.append(Cue(m.group(), m.start(), m.end(), "negation", "forward"))
        else:
            cues.append(Cue(m.group(), m.start(), m.end(), "negation", group))
    return cues


def negation_scope(sentence: str, cue: Cue) -> list[tuple[int, int]]:
    """Character ranges the cue governs (one or two ranges for a 'both' cue)."""
    ranges = []
    if cue.direction in ("forward", "both"):
        ranges.append((cue.end, _forward_limit(sentence, cue.end)))
    if cue.direction in ("backward", "both"):
        ranges.append((_backward_limit(sentence, cue.start), cue.start))
    if cue.text.lower() == "non-":
        ranges = [(cue.end, _word_end(sentence, cue.end))]
    return ranges


def hedge_scope(sentence: str, cue: Cue) -> tuple[int, int]:
    """A hedge marks its clause: from the previous clause break to the next one."""
    before = [m.end() for m in CLAUSE_BREAKS.finditer(sentence, 0, cue.start)]
    after = CLAUSE_BREAKS.search(sentence, cue.end)
    return (before[-1] if before else 0, after.start() if after else len(sentence))


def entity_flags(sentence: str, spans: Sequence[tuple[int, int]]) -> list[EntityFlags]:
    """Negated/hedged flags for each entity span (sentence-relative offsets)."""
    cues = find_cues(sentence)
    if not cues:
        return [EntityFlags() for _ in spans]
    # A cue's scope does not depend on the entity: compute it once per cue, when first needed.
    scopes: dict[int, list[tuple[int, int]] | tuple[int, int]] = {}
    results = []
    for start, end in spans:
        negation = hedge = None
        for index, cue in enumerate(cues):
            if cue.start < end and start < cue.end:
                continue  # a cue inside the entity's own words ("non-del(5q)") is handled by the ruler
            if cue.kind == "negation" and negation is None:
                if index not in scopes:
                    scopes[index] = negation_scope(sentence, cue)
                if any(a <= start and end <= b or (a <= start < b) for a, b in scopes[index]):
                    negation = cue
            elif cue.kind == "hedge" and hedge is None:
                if index not in scopes:
                    scopes[index] = hedge_scope(sentence, cue)
                a, b = scopes[index]
                if a <= start and end <= b:
                    hedge = cue
        results.append(EntityFlags(
            negated=negation is not None,
            hedged=hedge is not None,
            negation_cue=negation.text if negation else None,
            hedge_cue=hedge.text if hedge else None,
        ))
    return results


def sentence_negation(sentence: str) -> Cue | None:
    """The first backward/both negation cue: the sentence denies its main claim."""
    for cue in find_cues(sentence):
        if cue.kind == "negation" and cue.direction in ("backward", "both"):
            return cue
    return None


def sentence_hedge(sentence: str) -> Cue | None:
    for cue in find_cues(sentence):
        if cue.kind == "hedge":
            return cue
    return None


# ---- scope limits ---------------------------------------------------------------------------


def _forward_limit(sentence: str, position: int) -> int:
    ends = [m.start() for m in (TERMINATORS.search(sentence, position), FORWARD_TERMINATORS.search(sentence, position))
            if m is not None]
    limit = min(ends) if ends else len(sentence)
    words = list(_WORD.finditer(sentence, position, limit))
    if len(words) > FORWARD_WINDOW_WORDS:
        limit = words[FORWARD_WINDOW_WORDS - 1].end()
    return limit


def _backward_limit(sentence: str, position: int) -> int:
    terminators = [m.end() for m in TERMINATORS.finditer(sentence, 0, position)]
    limit = terminators[-1] if terminators else 0
    # An opening subordinate clause is not the subject ("After X failure, Y is not …"): skip it.
    if _SUBORDINATE.match(sentence, limit):
        comma = sentence.find(",", limit, position)
        if comma != -1:
            limit = comma + 1
    # A negated relative clause negates only itself: in "patients with higher-risk MDS who are not
    # eligible for transplant" nothing before "who" is negated.
    relatives = [m.end() for m in _RELATIVE.finditer(sentence, limit, position)]
    if relatives:
        limit = relatives[-1]
    words = list(_WORD.finditer(sentence, limit, position))
    if len(words) > BACKWARD_WINDOW_WORDS:
        limit = words[-BACKWARD_WINDOW_WORDS].start()
    return limit


def _word_end(sentence: str, position: int) -> int:
    match = re.compile(r"[^\s,;.]+").match(sentence, position)
    return match.end() if match else position

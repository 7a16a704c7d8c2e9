"""Rule family: criteria (`ExtractedCriterion`) from a sentence, and the reading of a mention as a
criterion.

`sentence_criteria` gives (therapy ids, criterion) pairs: thresholds, markers, named conditions,
failed and prior therapies, each with the role its clause's cue words give it (required, favours,
excludes; etl/nlp/roles.py). Eligibility sections decide roles by their kind and read washouts,
permitted prior therapies and denied items; elsewhere a sentence yields criteria only when it names a
therapy and gives a role. `_mention_criterion` is also how a recommendation's qualifier is read
(qualifiers.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from etl.nlp import low_blasts, partial_lines, subtype_blasts
from etl.nlp.conditions import (
    CONDITION_VARIABLES,
    EXCLUSION_LABEL,
    FOR_A_TREATMENT,
    NOT_ENROLLED,
    SAID_EXCLUDED,
    denied as words_deny,
    disease_directed_therapies,
    parse_conditions,
)
from etl.nlp.relations.base import RuleBase
from etl.nlp.relations.cues import POPULATION_LABELS, THERAPY_LABELS
from etl.nlp.relations.sequences import _SEQUENCE_ADMITTED, _failed_therapies
from etl.nlp.relations.shared import _clauses, _dedupe, _duration_of, _is_comparator, _is_condition_therapy, _is_therapy
from etl.nlp.relations.views import MentionView, SentenceView
from etl.nlp.roles import find_role, invert_operator
from mdskg.records import ExtractedCriterion, Threshold

NOT_PREDICTIVE = re.compile(r"\b(?:did|do|does)\s+not\s+predict\b|\bnot\s+predictive\b|\bno\s+predictive\b", re.I)

# Numeric variables whose mere presence ("with ring sideroblasts") implies a threshold.
PRESENCE_DEFAULTS: dict[str, tuple[str, Any, str | None]] = {
    "ring_sideroblasts_pct": (">=", 15, "%"),  # WHO: ≥15% ring sideroblasts defines the RS entities
}
CELLULARITY_WORDS = (("hypocell", "hypocellular"), ("hypoplas", "hypocellular"), ("empty", "hypocellular"),
                     ("low cell", "hypocellular"), ("hypercell", "hypercellular"), ("normocell", "normocellular"))

# "failed or (be) ineligible for X", "failed, or are not candidates for, X": failure is one of two ways in.
_OR_INELIGIBLE = re.compile(r"\b(?:or|and/or)\s+(?:(?:be|are|is|were|was)\s+)?(?:(?:not\s+|in)?eligible\s+for"
                            r"|unsuitable\s+for|not\s+(?:a\s+)?candidates?\s+for|unable\s+to\s+(?:receive|take)\b"
                            r"|(?:have|has)\s+(?:a\s+)?contraindications?\s+to)", re.I)

# Eligibility items that name a therapy without making its use a condition: washout windows ("more than
# 4 weeks since prior X", "X within 28 days before"), reactions to it, and exceptions ("other than X").
_WINDOW_UNIT = r"(?:days?|weeks?|wks?|months?|hours?|hrs?|half[\s-]lives)"
_NOT_A_HISTORY = re.compile(
    r"\b\d+\s*" + _WINDOW_UNIT + r"\b[^.;]{0,40}?\b(?:since|prior\s+to|before|from|after|of\s+(?:study|start|entry"
    r"|registration|enrol\w*|the\s+first))"
    r"|\b(?:within|in\s+the\s+(?:last|past|previous)|during\s+the\s+(?:last|past))\s+(?:the\s+)?(?:\w+\s+)?\(?\d*\)?\s*"
    + _WINDOW_UNIT + r"\b"
    r"|\b(?:since|washout)\b[^.;]{0,30}\b\d+\s*" + _WINDOW_UNIT + r"\b"
    # "other than X" (a washout or an exception), unless examples of the therapies meant follow
    r"|\btoxicit\w*|\bother\s+than\b(?![^.;()]{0,60}\(\s*(?:i\.?\s?e\.?|e\.?\s?g\.?|such\s+as)\b)"
    # "no prior therapy with the exception of hydroxyurea and two cycles of an HMA": which of the therapies named
    # are the exceptions is not read (an exception for a group of patients, "except patients with del(5q)", is)
    r"|\b(?:with\s+the\s+exceptions?\s+of|except(?:\s+for)?|apart\s+from)\b(?!\s+(?:for\s+)?(?:in\s+)?(?:patients"
    r"|subjects|participants|those|people|individuals|if|when|where)\b)"
    # the trial's own planned or current treatment ("scheduled for a transplant", "conditioning regimen with X")
    r"|\b(?:scheduled\s+(?:for|to)|planned|candidates?\s+for|will\s+(?:receive|undergo)|currently\s+receiving"
    r"|conditioning\s+regimen)\b"
    # "no post-transplant growth factor": the transplant dates another treatment; it is not asked about
    r"|\bpost[\s-]*(?:transplant\w*|HSCT|HCT|SCT)\s+(?:growth\s+factors?|G-?CSF|prophyla\w*|maintenance|immuno\w*"
    r"|medications?|drugs?|therap\w*)"
    r"|^(?!.*\b(?:prior|previous)\s+(?:therapy|treatment)\s+with\b).*\b(?:hypersensitiv\w*|allerg\w*)",
    re.I,
)
# "has had, or …", "received or …": the line's first branch is having had the therapy
_RECEIVED_BEFORE = re.compile(r"\b(?:received|had|undergone|been\s+treated)\b(?![^,;]{0,40}\b(?:not|no|never)\b)"
                              r"[^.;]{0,60}$", re.I)
_NO_PRIOR = re.compile(r"\b(?:no|without|not\s+(?:have\s+)?(?:had|received|undergone)|never\s+(?:had|received))\s+"
                       r"(?:\w+\s+){0,2}?(?:prior|previous|earlier)\b|\bno\s+history\s+of\b", re.I)

_RESPONSE_TO = re.compile(r"\brespon\w*\s+to\s+(?:the\s+combination\s+of\s+|either\s+|treatment\s+with\s+|the\s+)?$",
                          re.I)

# A failure the line denies: "no prior failure of", "must not have failed", "not refractory to", "without
# intolerance to". "Has not responded to X" is a failure, not its denial, so the response words are not here.
_DENIED_FAILURE = re.compile(
    r"\b(?:no|not|never|without|nor)\s+(?:(?:have|has|had|be|been|being|evidence\s+of|history\s+of|prior|previous|earlier"
    r"|documented|known|a|any)\s+){0,3}(?:failed|failure|intoleran\w*|unresponsive\w*|resistan\w*|refractor\w*)\b"
    r"[^.;]{0,80}$", re.I)


def _therapy_mention(sv: SentenceView, therapy: str | tuple[str, ...]) -> MentionView | None:
    """Where a therapy (or an ambiguous word's set of therapies: the Term) is named in the sentence."""
    first = therapy if isinstance(therapy, str) else therapy[0]
    return next((m for m in sv.mentions if m.concept_id == first), None) or next(
        (m for m in sv.mentions if m.label == "Term"), None)


def _failure_denied(sv: SentenceView, therapy: str | tuple[str, ...]) -> bool:
    mention = _therapy_mention(sv, therapy)
    if mention is None:
        return False
    return bool(_DENIED_FAILURE.search(sv.text[max(0, sv.rel(mention.start) - 120) : sv.rel(mention.start)]))


# "Patients with more than 20% blasts are excluded", in an inclusion list: the limit says who may NOT join
_EXCLUDED_AFTER = re.compile(r"[^.;]{0,40}?" + SAID_EXCLUDED, re.I)
_ADMITTED_ON_A_CONDITION = re.compile(r"\b(?:allowed|permitted|acceptable|admissible|eligible)\b[^.;]{0,40}?"
                                      r"\b(?:only\s+if|if|provided(?:\s+that)?|as\s+long\s+as|unless|only\s+in)\b",
                                      re.I)
_ALONE_BEFORE = re.compile(r"\b(?:isolated|sole|solitary|single|only|lone)\s+(?:an?\s+)?$", re.I)
_ALONE_AFTER = re.compile(r"^\s*\)?[\s,]*(?:alone|only|in\s+isolation|as\s+(?:the|a)\s+(?:sole|single|only))\b", re.I)
_ONE_MORE_AFTER = re.compile(r"^\s*\)?[\s,]*(?:(?:alone|only)\s+)?(?:(?:or|and/or)\s+(?:with|plus)|with\s+or\s+without"
                             r"|(?:and|with|plus)\s+(?:no|not)\s+more\s+than|(?:and|with|plus)\s+(?:at\s+most|up\s+to))\s+"
                             r"(?:at\s+most\s+)?(?:one|1|a\s+single)\s+(?:other|additional|further|more)\b", re.I)


def _alone_limit(before: str, after: str) -> int | None:
    """How many chromosome abnormalities a karyotype finding may come with: 'isolated del(5q)' → 1, 'del(5q) alone
    or with one additional abnormality' → 2; None when the line does not say."""
    if _ONE_MORE_AFTER.match(after):
        return 2
    if _ALONE_BEFORE.search(before) or _ALONE_AFTER.match(after):
        return 1
    return None


# (stricter than SAID_EXCLUDED: a bare "excluded" or "not allowed" near a therapy does not turn its line around)
_SAYS_EXCLUDED = re.compile(r"\b(?:are|is|will\s+be)\s+(?:excluded|(?:not\s+eligible|ineligible)" + FOR_A_TREATMENT
                            + r")\b"
                            r"|\b(?:cannot|(?:will|shall|would|may|can)\s+not)\s+(?:be\s+)?" + NOT_ENROLLED + r"\b",
                            re.I)


def _clause_holding(text: str, words: str | None) -> str:
    """The part of a line between semicolons (or full stops) that holds `words`; the whole line when they are not
    found: "Must be ESA-refractory; ESA-naive patients will not be enrolled" excludes only in its second part."""
    at = text.find(words) if words else -1
    if at < 0:
        return text
    start = max(text.rfind(";", 0, at), text.rfind(". ", 0, at)) + 1
    ends = [e for e in (text.find(";", at), text.find(". ", at)) if e >= 0]
    return text[start : min(ends) if ends else len(text)]


_ON_A_CONDITION = re.compile(r"\b(?:as\s+long\s+as|provided|if|unless|when|only)\b", re.I)
# words saying a condition rules no one out (with no condition of its own: "… does not exclude as long as …" has one)
_NOT_EXCLUDING = re.compile(r"\b(?:is|are)\s+not\s+(?:an?\s+)?(?:exclusion(?:\s+criterion)?|reason\s+for\s+exclusion"
                            r"|grounds?\s+for\s+exclusion|obstacle|barrier|contraindication\s+to\s+(?:enrol\w*|entry))\b"
                            r"|\b(?:does|do|will)\s+not\s+(?:make\s+(?:\w+\s+){1,2}?(?:ineligible|excluded)|exclude|preclude"
                            r"|disqualify|prevent\s+(?:enrol\w*|entry|participation))\b"
                            r"|\b(?:is|are)\s+not\s+excluded\b"
                            r"|\b(?:is|are)\s+not\s+(?:(?:by|in)\s+(?:themselves|itself)\s+|on\s+(?:their|its)\s+own\s+)?"
                            r"exclusionary\b", re.I)
_TREATED = r"(?:pre-?treated|exposed|experienced|previously\s+treated|treated\s+before)"
_EITHER_HISTORY = re.compile(r"na[iï]ve\b[^.;]{0,40}\b(?:and|or|and/or)\b[^.;]{0,30}\b" + _TREATED + r"\b"
                             r"|\b" + _TREATED + r"\b[^.;]{0,40}\b(?:and|or|and/or)\b[^.;]{0,30}na[iï]ve\b"
                             r"|\b(?:regardless|irrespective)\s+of\s+(?:any\s+)?(?:prior|previous|earlier)\b", re.I)
# "(this study is for relapse after a transplant)": why the line is there, not a condition of it
_EXPLANATORY_ASIDE = re.compile(r"\(\s*(?:as\s+)?(?:this|the)\s+(?:study|trial|protocol|cohort)\s+"
                                r"(?:is|was|will|enrols?|recruits?|targets?|aims?|looks)\b[^()]*\)", re.I)
_NOT_REQUIRED = re.compile(r"\b(?:is|are|being)\s+not\s+(?:required|mandatory|necessary|needed|obligatory"
                           r"|a\s+requirement)\b"
                           r"|\bnot\s+(?:required|mandatory)\s+(?:for|to)\s+(?:enrol+ment|entry|eligibility|inclusion)\b"
                           r"|\b(?:is|are)\s+optional\b", re.I)


# "patients may have previously received X", "may receive up to 2 doses of X before enrolment": allowed, not asked
_ADVERB = r"(?:(?:previously|already|also)\s+)?"
_MAY_HAVE_HAD = re.compile(r"\b(?:may|can)\s+" + _ADVERB + r"(?:have\s+)?" + _ADVERB
                           + r"(?:receive|received|had|undergone|be\s+given|been\s+given|been\s+treated)\b", re.I)


def _may_have_had(clause: str, words: str | None) -> bool:
    """'… may have received X' (X after the permission; "X, who may have received it" is the exception's case)."""
    permission = _MAY_HAVE_HAD.search(clause)
    return permission is not None and bool(words) and clause.find(words or "") > permission.start()


def _own_words(text: str, words: str | None) -> str:
    """The aside holding `words`, or else their clause without its bracketed asides: "Never had an allogeneic
    transplant (an autologous one is acceptable)" and "Prior X; prior Y is allowed" permit the other one only."""
    if not words or text.count(words) != 1:
        return text  # where the therapy is named is not known for sure
    aside = _open_aside(text, words)
    return aside if aside is not None else re.sub(r"\([^()]*\)", " ", _clause_holding(text, words))


def _aside_holding(text: str, words: str | None) -> str:
    """The bracketed aside holding `words` ("… (HLA-DR15 favours response but is not required)"), else their clause."""
    aside = _open_aside(text, words)
    return aside if aside is not None else _clause_holding(text, words)


def _open_aside(text: str, words: str | None) -> str | None:
    """The inside of the bracket `words` stand in (up to its closing bracket, or the end), if they stand in one."""
    at = text.find(words) if words else -1
    if at >= 0:
        opening = text.rfind("(", 0, at)
        if opening >= 0 and text.rfind(")", opening, at) < 0:
            closing = text.find(")", at)
            return text[opening + 1 : closing if closing >= 0 else len(text)]
    return None


_NOT_ADMITTED = re.compile(r"\b(?:is|are|will\s+be)\s+not\s+(?:allowed|permitted|acceptable|eligible" + FOR_A_TREATMENT
                           + r")\b"  # "is not eligible for X": unfit for X
                           r"|\bnot\s+(?:allowed|permitted)\b", re.I)
_NOT_MUTATED_AFTER = re.compile(r"\s*[-‐]?\s*(?:wild[\s-]?type|WT\b|un-?mutated|non-?mutated|not\s+mutated"
                                r"|mutation[\s-]+negative|negative\s+for\s+(?:a\s+)?mutations?)", re.I)
# "wild-type for both NPM1 and FLT3", "unmutated for TP53": each gene after the words (a list of genes only)
_WILD_TYPE_FOR = re.compile(r"\b(?:wild[\s-]?type|un-?mutated|non-?mutated|not\s+mutated)\s+(?:for|in|at)\s+"
                            r"(?:both\s+|either\s+)?(?:(?-i:[A-Z][A-Z0-9]{1,7})\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+"
                            r"|/\s*))*$", re.I)
_EXCEPT_PREFIX = re.compile(r"\bnon[\s-]?$|\b(?:other\s+than|except(?:\s+for)?|excluding|apart\s+from|besides"
                            r"|not\s+(?:counting|including))\s+"
                            r"(?:(?:an?|the|any)\s+)?(?:[\w-]+(?:\s+|,\s*)){0,4}?"
                            r"(?:(?:and|or|,)\s+(?:(?:an?|the)\s+)?)?$", re.I)


# An exception to what an exclusion line excludes ("…, excluding isolated del(5q)", "other than X"): the excepted
# finding is not excluded, and nothing is required of anyone either
_EXCEPTION_BEFORE = re.compile(r"\b(?:excluding|except(?:\s+for)?|other\s+than|apart\s+from|besides|but\s+not"
                               r"|with\s+the\s+exceptions?\s+of)\b[^.;]{0,40}$", re.I)


# a gene named as a drug's target: "IDH1 inhibitor", "IDH1 or IDH2 inhibitors", "FLT3-directed therapy"
_DRUG_AFTER_GENE = re.compile(r"(?:\s*(?:/|,|or|and|and/or)\s*[A-Z][A-Z0-9]{1,7})*[\s-]*(?:inhibit(?:or|ors|ion|ing)\b"
                              r"|(?:targeted|targeting|directed)\s+(?:therap|agent|drug|treatment)|blockers?\b|antagonists?\b)",
                              re.I)
_ANY_BUT = re.compile(r"\b(?:any|all|every)\s+(?:[\w()-]+\s+){0,3}?(?:other\s+than|except|excluding|apart\s+from"
                      r"|besides|but)\b[^.;]{0,40}$", re.I)
# "…, except (for) patients with del(5q)": a group of patients the line does not apply to (the case of "unless")
EXCEPT_FOR_PATIENTS = (r"\b(?:except|excepting|apart\s+from|other\s+than|with\s+the\s+exception\s+of)\s+(?:for\s+)?"
                       r"(?:in\s+)?(?:patients|subjects|participants|those|people|individuals)\s+(?:with|who|whose|having)\b")
_EXCEPT_FOR_PATIENTS = re.compile(EXCEPT_FOR_PATIENTS + r"[^.;]{0,40}$", re.I)


_EXCEPT_FOR_PATIENTS_AT = re.compile(EXCEPT_FOR_PATIENTS, re.I)
_DENIED_FORM = {"not_contains": "contains", "not_in": "in"}
_MORE_CYCLES = re.compile(r"(?:\b(?:more\s+than|over|at\s+least|in\s+excess\s+of)\s+|[>≥]\s*=?\s*)\d+\s+"
                          r"(?:or\s+more\s+)?(?:full\s+|complete\s+|treatment\s+)?(?:cycles?|courses?)\s+of\b"
                          r"|\b\d+\s+or\s+more\s+(?:cycles?|courses?)\s+of\b", re.IGNORECASE)


def _neither_nor_requirement(c: ExtractedCriterion, group: str) -> ExtractedCriterion:
    """An excluded denial of a "neither … nor" line (`excludes A == false`, `excludes findings not_contains X`) as
    the alternative it leaves (`A == true`, `findings contains X`) in the line's any-of group; other criteria as
    they are."""
    if c.role != "excludes" or c.group is not None:
        return c
    if c.operator == "==" and c.value is False:
        return replace(c, value=True, role="required", group=group)
    if c.operator in _DENIED_FORM:
        return replace(c, operator=_DENIED_FORM[c.operator], role="required", group=group)
    return c


def _not_a_history(sv: SentenceView, start: int) -> bool:
    """Whether the item's words say a therapy named in it is no history (a washout, a reaction, an exception). A
    reaction named inside an exception for patients after the therapy ("Prior lenalidomide, except in patients with
    del(5q) who stopped it because of toxicity") says who is excepted: the therapy before it is still the history."""
    if line_kind(sv) == "exclusion" and _MORE_CYCLES.search(sv.text):
        return True  # "more than 6 cycles of an HMA", excluded: the cycles are not held, and fewer are no exclusion
    exception = _EXCEPT_FOR_PATIENTS_AT.search(sv.text)
    for match in _NOT_A_HISTORY.finditer(sv.text):
        if exception is not None and sv.rel(start) < exception.start() <= match.start() \
                and match.group().lower().startswith("toxicit"):
            continue
        return True
    return False


def _except_named(sv: SentenceView, m: MentionView) -> bool:
    """'non-hypomethylating agent therapy', 'therapy other than a hypomethylating agent': every therapy but X."""
    return bool(_EXCEPT_PREFIX.search(sv.text[max(0, sv.rel(m.start) - 60) : sv.rel(m.start)]))

_PRIOR_STRICT = re.compile(r"\b(?:prior|previous(?:ly)?|earlier|history\s+of|pre-?treated)\b[^.;]{0,60}$", re.I)
_PRIOR_LOOSE = re.compile(r"(?:\b(?:prior|previous(?:ly)?|earlier|history\s+of|pre-?treated|receiv(?:ed|ing)"
                          r"|exposure\s+to|undergone|underwent|(?:have|has)\s+(?:not\s+|never\s+)?had|treated\s+with"
                          r"|na[iï]ve\s+to|never\s+had"
                          r"|untreated\s+with)\b[^.;]{0,60}"
                          r"|\bpost[\s-]*)$", re.I)
# "must not have received X", "never treated with X", "naive to X", "untreated with X", "X-naive": the person
# must NOT have had X.
_DENIED_PRIOR = re.compile(
    r"(?:\b(?:no|not|never|without)\s+(?:(?:have|has|had|be|been|being|previously|ever|yet|already)\s+){0,3}"
    r"(?:received|had|undergone|taken|treated|exposed|given|prior|previous|earlier|history)\b"
    r"|\bna[iï]ve\s+to\b|\buntreated\s+with\b|\bfree\s+(?:of|from)\s+(?:any\s+)?(?:prior|previous|earlier)\b)[^.;]{0,60}$",
    re.I)
_NAIVE_AFTER = re.compile(r"\s*[-‐]?\s*na[iï]ve\b", re.I)  # used with .match(text, pos): no "^"
_NAIVE_TO_BEFORE = re.compile(r"\bna[iï]ve\s+to\s+(?:(?:an?|the|any|prior|previous)\s+)*$", re.I)
# "not", "no longer", "never been" just before "X-naive" / "naive to X" (the subject may stand between: "who are not")
_NOT_NAIVE_BEFORE = re.compile(r"\b(?:not|no\s+longer|never\s+(?:been\s+)?)\s*(?:(?:be|been|being|yet|considered"
                               r"|regarded\s+as)\s+)?(?:(?:an?|the)\s+)?(?:na[iï]ve\s+to\s+(?:(?:an?|the|any|prior"
                               r"|previous)\s+)*)?$", re.I)


_ABBREVIATION_DOTS = re.compile(r"\b(?:e\.\s?g|i\.\s?e|vs|incl|approx)\.", re.I)


def _undotted(text: str) -> str:
    """The text with the dots of 'e.g.', 'i.e.', 'vs.' blanked (same length), so they end no clause."""
    return _ABBREVIATION_DOTS.sub(lambda m: m.group().replace(".", " "), text)


def _prior_therapies(sv: SentenceView, mentions: list[MentionView], eligibility: bool = False) -> list[str]:
    """Therapies named as received before ('Prior stem cell transplantation'). In eligibility
    criteria 'receiving'/'received' also count; in prose they usually describe a study arm."""
    regex = _PRIOR_LOOSE if eligibility else _PRIOR_STRICT
    prior: list[str] = []
    for m in mentions:
        naive = eligibility and bool(_NAIVE_AFTER.match(sv.text, sv.rel(m.end)))  # "HMA-naive"
        before = _undotted(sv.text[max(0, sv.rel(m.start) - 70) : sv.rel(m.start)])
        if _is_therapy(m) and (naive or regex.search(before)):
            if m.concept_id not in prior:
                prior.append(m.concept_id)
    return prior


def _prior_denied(sv: SentenceView, therapy: str | tuple[str, ...]) -> bool:
    """Whether the words before (or "-naive" after) the therapy's mention deny having had it."""
    mention = _therapy_mention(sv, therapy)
    if mention is None:
        return False
    before = _undotted(sv.text[max(0, sv.rel(mention.start) - 90) : sv.rel(mention.start)])
    if _NAIVE_AFTER.match(sv.text, sv.rel(mention.end)) or _NAIVE_TO_BEFORE.search(before):
        # "not lenalidomide-naive", "no longer naive to HMAs": a denied denial, the therapy was had
        return not _NOT_NAIVE_BEFORE.search(before)
    if _NEITHER_BEFORE.search(before) and _NEITHER_NOR.search(sv.text):
        return True  # "neither prior azacitidine nor decitabine": each one denied
    return bool(_DENIED_PRIOR.search(before))


# Time-window history variables ("another cancer within 3 years"): meeting the window excludes,
# whichever list the item is in; a person with no such history has no value, so it is never negated.
WINDOW_VARIABLES = frozenset({"other_cancer_years"})


# An exclusion-list line that admits people is an inclusion rule: "Patients older than 75 may enrol only if …",
# "Patients with del(5q) are eligible only if lenalidomide has failed".
_ADMITS = re.compile(r"\b(?:may|can)\s+(?:still\s+|also\s+)?(?:enrol+|participate|take\s+part|join"
                     r"|be\s+(?:enrolled|included))\b"
                     r"|\b(?:are|is)\s+(?:still\s+|also\s+)?eligible\b(?!\s+for\b(?!\s+(?:this|the)\s+(?:study|trial)\b))"
                     r"|\b(?:are|is)\s+(?:still\s+|also\s+)?welcome\b", re.I)
# An exclusion-list line that only admits ("Patients with a PNH clone may enrol", "… are welcome to take part"): a
# permission, which requires nothing; with "only", a condition or "must" it is an inclusion rule (line_kind)
_NOT_A_BARE_ADMISSION = re.compile(r"\b(?:only|must|if|provided|as\s+long\s+as|unless|except\w*|when|whereas"
                                   r"|but|not)\b|;", re.I)


# The start of a bracket that lists what a condition read just before it is made of (its members or examples)
_OPEN_LIST_BETWEEN = re.compile(r"[^()]{0,12}?\(\s*(?:e\.?g\.?,?\s*|i\.?e\.?,?\s*|such\s+as\s+|namely\s+|including\s+"
                                r"|for\s+(?:instance|example),?\s*)?"
                                r"(?:[\w+-]+(?:\([\w;]+\))?\s*(?:,|/|or|and|and/or)\s*)*", re.I)
# what a condition read just before such a bracket is made of: its genes, or a cytogenetic group's karyotypes
_LISTED_MEMBERS = {"mutated_genes": "mutated_genes", "karyotype_findings": "ipssr_cytogenetic_group"}


def _admission_only(sv: SentenceView) -> bool:
    return sv.section_kind == "exclusion" and bool(_ADMITS.search(sv.text)) \
        and not _NOT_A_BARE_ADMISSION.search(sv.text) and not _REQUIRES.search(sv.text)
# "Patients who are not candidates for transplant", "Patients who have not received an HMA", in an exclusion list:
# a literal "not" (those people are excluded), not the registry habit of repeating "no" under the heading.
_LITERAL_DENIAL = re.compile(
    r"^\W*(?:patients|subjects|participants|those|people|persons|individuals|anyone|men|women)\b[^.;:]{0,30}?"
    r"\b(?:who|that|whose)\s+(?:\w+\s+){0,2}?(?:not|never)\b"
    r"|^\W*(?:patients|subjects|participants|those|people)\s+(?:not|never)\b"
    r"|^\W*not\s+(?:an?\s+)?(?:candidates?|eligible|fit|suitable|able)\b"
    # "Ineligible for intensive chemotherapy", "Patients unfit for transplant": the unfit are the ones excluded
    r"|^\W*(?:(?:patients|subjects|participants|those|people)\s+(?:who\s+are\s+|considered\s+)?)?"
    r"(?:ineligible|unfit|unsuitable|inappropriate)\s+(?:for|to)\b"
    # "Neither a matched sibling nor an unrelated donor identified", "Patients who have had neither an ESA nor
    # luspatercept": those who lack both are the ones excluded
    r"|\bneither\b[^.;]{0,80}?\bnor\b", re.I)


# "No HLA-matched donor available", "No suitable sibling or unrelated donor": having no donor is a state a line can
# exclude, not the registry's repeated "no"
_NO_DONOR = re.compile(r"\W*no\s+(?:(?:suitable|appropriate|eligible|identified|available|willing)\s+)?"
                       r"(?:[\w-]+[\s,/]+(?:or\s+)?){0,4}?donors?\b", re.I)


# "Eligible patients must have a platelet count of 30 or more", "Must be ESA-refractory", in the exclusion list
_REQUIRES = re.compile(r"^\W*(?:(?:eligible\s+)?(?:patients|subjects|participants)\s+)?must\s+(?:have|be)\b", re.I)


_NEITHER_NOR = re.compile(r"\bneither\b(?:[^.;]|\.(?=\d)){0,80}?\bnor\b", re.I)  # "0.5": no full stop
# "ineligible for", "unfit for", "not a candidate for", "not suitable to receive" just before a therapy; "not" before
# the phrase ("must not be ineligible for") denies it
_INELIGIBLE_FOR = re.compile(
    r"(?:\b(?P<not>not|never)\s+(?:(?:be|been|being|considered|deemed|judged)\s+)*)?"
    r"\b(?:(?:ineligible|unfit|unsuitable|inappropriate|not\s+(?:(?:be|considered|deemed)\s+)*(?:an?\s+)?(?:candidates?"
    r"|eligible|fit|suitable|appropriate))\s+(?:for|to\s+(?:receive|be\s+treated\s+with))"
    r"|(?:unable|not\s+able)\s+to\s+(?:receive|be\s+given|be\s+treated\s+with))\s+"
    r"(?:(?:an?|the|any|further|treatment\s+with|therapy\s+with)\s+)*$", re.I)
_OWN_FITNESS = frozenset({"MDSKG:therapy/allo-hsct", "MDSKG:therapy/intensive-chemotherapy"})
_NEITHER_BEFORE = re.compile(r"\bneither\b[^.;]{0,80}$", re.I)


def line_kind(sv: SentenceView) -> str | None:
    """The section kind a line's criteria take: its heading's, except an exclusion-list line that admits or
    states a requirement. An admission after a ";" is a part of its own ("Primary ESA failure; patients who lost
    a response are eligible"): the line's first part still says who is excluded."""
    admits = _ADMITS.search(sv.text)
    if admits and ";" in sv.text[: admits.start()]:
        admits = None
    if sv.section_kind == "exclusion" and (admits or _REQUIRES.search(sv.text)):
        return "inclusion"
    return sv.section_kind


# a word that could repeat the heading's "no" ("ESA-naive patients" has none: it is literal)
_DENIAL_WORD = re.compile(r"\b(?:no|not|never|without|none|nor|neither|absence|absent|lack\w*|free|non|negative"
                          r"|except\w*|excluded|excludes?|exclusion|ineligible|cannot|other\s+than"
                          r"|un(?:fit|suitable|able)\w*)\b|n't\b", re.I)


def _repeated_no(sv: SentenceView) -> bool:
    """Under an exclusion heading, whether a denial in the line repeats the heading ('No active infection',
    'Pregnancy is excluded') rather than meaning what it says ('Patients who are not transplant candidates',
    'Absence of a matched donor')."""
    return line_kind(sv) == "exclusion" and bool(_DENIAL_WORD.search(sv.text)) and not _LITERAL_DENIAL.search(sv.text) \
        and not re.match(r"\W*(?:absence|lack)\s+of\b|\W*without\b", sv.text, re.I) \
        and not _NO_DONOR.match(sv.text)


def _literal_in_own_part(sv: SentenceView, text: str | None) -> bool:
    """Under an exclusion heading, whether the part of the line after a ";" that holds `text` opens with a literal
    denial of its own ("Prior transplant; patients who have never had an HMA": those never treated are excluded)."""
    at = sv.text.find(text) if text else -1
    semicolon = sv.text.rfind(";", 0, at) if at > 0 else -1
    return semicolon >= 0 and bool(_LITERAL_DENIAL.search(sv.text[semicolon + 1 : at + len(text or "")]))


def _criterion_role(sv: SentenceView, start: int, eligibility: bool, recommendation: bool) -> tuple[str | None, bool]:
    """The role from the cue words of the clause holding the condition (a sentence may say who
    responds and, after 'but', who does not); eligibility sections decide by their kind."""
    if eligibility:
        match = find_role(sv.text, line_kind(sv))
        return (match.role if match else "required"), False
    position = max(0, sv.rel(start))
    clause = next((sv.text[a:b] for a, b in _clauses(sv) if a <= position < b), sv.text)
    match = find_role(clause) or find_role(sv.text)
    if match is None:
        return ("required", False) if recommendation else (None, False)
    return match.role, match.inverted


def _threshold_negated(sv: SentenceView, t: Threshold) -> bool:
    """'not transfusion-dependent' is handled by the parser; 'patients without …' here."""
    rel_start = sv.rel(t.start)
    before = sv.text[max(0, rel_start - 16) : rel_start]
    denial = re.search(r"\b(?:without|no|absence\s+of|excluding|except(?:\s+for)?|other\s+than"
                       r"|neither(?:\s+an?)?|nor(?:\s+an?)?)\s*$", before, re.I)
    return bool(denial) and t.variable != "transfusion_dependent"


_ITEM_DENIAL = re.compile(r"\s*(?:[-*•]\s*)?(?:no|not|without|absence\s+of|free\s+of)\b(?!\s+(?:more|less|greater|fewer"
                          r"|higher|lower|later|earlier|longer)\b)", re.IGNORECASE)


def _item_denied(sv: SentenceView, t: Threshold) -> bool:
    """'No hepatic disease with bilirubin > 2 × ULN': an eligibility item that opens with a denial
    denies each condition in it, up to an exception ('unless', 'except', 'if')."""
    opening = _ITEM_DENIAL.match(sv.text)
    if opening is None:
        return False
    between = sv.text[opening.end() : max(opening.end(), sv.rel(t.start))]
    if t.variable == "transfusion_units_per_8wk" and t.operator in ("<", "<=") \
            and between.count("(") > between.count(")"):
        return False  # "Not transfusion-dependent (fewer than 2 units in 8 weeks)": the bracket says what holds
    # "No severe organ dysfunction: creatinine ≤ 2.5 × ULN …" lists, after the colon, what must hold.
    # "Not a candidate for intensive chemotherapy, or aged 75 or more": the "or" opens a second, undenied case
    # "Not pregnant; EPO of 400 or less": the semicolon ends what the denial covers
    # ("No hyperleukocytosis (i.e. WBC > 30,000/mm3)": a definition opened in a bracket names what is denied)
    return not re.search(r"\b(?:unless|except|if|other\s+than|allowed|permitted)\b"
                         r"|(?<!\()(?<!\(\s)\b(?:defined\s+as|that\s+is|namely)\b|(?<!\()(?<!\(\s)\bi\.\s?e\.|[:;]"
                         r"|,\s*or\s+(?:aged?|age|has|have|is|are|with|older|younger|over|under)\b", between,
                         re.IGNORECASE) and not (re.search(r",\s*or\s*$", between) and re.match(
                                                     r"(?:aged?|older|younger)\b", sv.text[sv.rel(t.start):], re.I))


def _category_from_text(text: str, allowed: Sequence[str]) -> str | None:
    lower = text.lower()
    for word, value in CELLULARITY_WORDS:
        if word in lower and (not allowed or value in allowed):
            return value
    return None


def _presence_phrase(text: str) -> bool:
    return not re.search(r"percentage|count|level", text, re.I)


# a subtype named after a gene's mutation: "TP53-mutated MDS", "MDS with mutated SF3B1"
# Genes named by their family ("a RAS mutation": any of NRAS, KRAS, HRAS) and RAS genes the ontology has no
# concept for: "RAS-mutated", "NRAS or KRAS mutation", "mutation in KRAS", "mutant RAS". A family is one
# condition met by a mutation in any member (`in`); a named member is that gene.
GENE_FAMILIES: dict[str, tuple[str, ...]] = {"RAS": ("NRAS", "KRAS", "HRAS")}
_FAMILY_GENE = r"(?-i:(?:[NKH]RAS|RAS))"
_GENE_FAMILY_MUTATION = re.compile(
    r"\b(?P<genes>" + _FAMILY_GENE + r"(?:\s*(?:/|,|or|and/or)\s*" + _FAMILY_GENE + r")*)[\s-]*(?:gene\s+)?"
    r"(?:mutations?|mutated|mutant|variants?)\b"
    r"|\b(?:mutations?\s+(?:in|of)|mutated|mutant)\s+(?:the\s+)?(?P<genes2>" + _FAMILY_GENE
    + r"(?:\s*(?:/|,|or|and/or)\s*" + _FAMILY_GENE + r")*)\b(?![\s-]*inhibit)", re.I)


# FAB's RAEB in transformation: 20-30% marrow blasts (or blood blasts >= 5%, or Auer rods). A line that rules it out
# rules out at least everyone with >= 20% marrow blasts, which is what is read; a line asking for it is not read.
_RAEB_T = re.compile(r"\bRAEB[\s-]*t\b"
                     r"|\brefractory\s+an(?:a)?emia\s+with\s+excess\s+(?:of\s+)?blasts\s+in\s+transformation\b", re.I)


# risk categories a line may give as the other way in beside a subtype ("RAEB-1/2 or IPSS int-2/high")
_RISK_SCORES = frozenset({"ipss_category", "ipssr_category", "ipssm_category"})
# a group named, then defined by the subtypes after it: "High-risk MDS (i.e. RAEB-1 or RAEB-2)", "… defined as RAEB-2"
_DEFINED_AS = re.compile(r"[^.;]{0,40}?(?:\(|\[|\bi\.\s?e\.|\bthat\s+is\b|\bdefined\s+(?:as|by)\b|\bnamely\b|:)"
                         r"[\s(\[,:]*(?:(?:refractory\s+an(?:a)?emia\s+with\s+excess\s+blasts|MDS)\s*[(\[]?\s*)?",
                         re.IGNORECASE)
# a case the line's condition holds in: "If RAEB-2, …", "RAEB-2 allowed provided …"
_ON_A_CASE = re.compile(r"\b(?:if|unless|provided|as\s+long\s+as|when|whenever|in\s+case)\b", re.IGNORECASE)
_ALTERNATIVE_GAP = re.compile(r"^[\s,/()\[\]]*(?:or|and/or)\b[\s,/()\[\]]*"
                              r"(?:(?:the\s+)?(?:IPSS|IPSS-R|IPSS-M|risk)\b[\s-]*)?$", re.IGNORECASE)


def family_genes(words: str) -> list[str]:
    """The genes "RAS", "NRAS/KRAS" name, in order, without repeats."""
    genes: list[str] = []
    for name in re.findall(r"[NKH]?RAS", words):
        for gene in GENE_FAMILIES.get(name, (name,)):
            if gene not in genes:
                genes.append(gene)
    return genes


# a mutation followed by the list of genes it means, in a bracket: "pathway mutation (NRAS, KRAS or CBL)" (not examples:
# "e.g.", "such as" name only some)
_GENE_SYMBOL = r"(?-i:[A-Z][A-Z0-9]{1,7})"
_GENES_IN_BRACKET = re.compile(
    r"(?P<word>\b[\w-]+[\s-]+(?:gene\s+)?(?:mutations?|mutated|variants?))\s*\(\s*(?P<genes>" + _GENE_SYMBOL
    + r"(?:\s*(?:,|/|or|and/or)\s*" + _GENE_SYMBOL + r")+)\s*(?:genes?\s*)?\)", re.I)
_NOT_GENES = frozenset({"NGS", "MDS", "AML", "CMML", "ULN", "HMA", "ESA", "WHO", "ICC", "IPSS", "FISH", "PCR", "VAF",
                        "DNA", "RNA", "CR", "PR", "HI", "OR", "AND", "NOS", "EB", "RS", "SNP", "CNV", "ELN"})
_LIST_GAP_ONLY = re.compile(r"\s*(?:,\s*|/\s*)?(?:(?:or|and/or|nor)\s+)?", re.I)
_DEL5Q_IN_NAME = re.compile(r"\bdel\s*\(\s*5q\s*\)|\bdel\s*5q\b|\b5q[\s-]*(?:deletion|minus\b|-(?=\s|$))"
                            r"|\bdeletion\s+(?:of\s+)?5q\b", re.I)
_MUTATED_GENE_IN_NAME = re.compile(r"\b(?P<gene>[A-Z][A-Z0-9]{2,7})[\s-]*(?:mutated|mutant|mutation)\b"
                                   r"|\b(?:mutated|mutant)\s+(?P<gene2>[A-Z][A-Z0-9]{2,7})\b")
_LISTED_BEFORE = re.compile(r"\b(?P<word>[\w-]+)\s*(?:,\s*(?:or\s+)?|\s+or\s+|\s+and/or\s+|/\s*)(?:an?\s+|the\s+)?$",
                            re.I)
_FAILED_OR_INELIGIBLE = ("failed_therapies", "ineligible_therapies", "prior_therapies")


_ALLO_HSCT = "MDSKG:therapy/allo-hsct"


def _no_gvhd_without_a_transplant(pairs: list[tuple[tuple[str, ...], ExtractedCriterion]], sv: SentenceView
                                  ) -> list[tuple[tuple[str, ...], ExtractedCriterion]]:
    """'No evidence of graft-versus-host disease' holds for everyone who never had an allogeneic transplant (GVHD
    follows one): no earlier transplant is the other way to meet it, so a patient who had none is not left unknown."""
    out = []
    for therapies, c in pairs:
        if c.variable == "active_gvhd" and c.role == "required" and c.operator == "==" and c.value is False \
                and c.group is None and not c.scope:
            group = f"any:{sv.start}:no-gvhd"
            out.append((therapies, replace(c, group=group)))
            out.append((therapies, replace(c, variable="prior_therapies", operator="not_contains", value=_ALLO_HSCT,
                                           unit=None, concept_id=_ALLO_HSCT, group=group)))
        else:
            out.append((therapies, c))
    return out


def _failed_or_ineligible_groups(pairs: list[tuple[tuple[str, ...], ExtractedCriterion]], sentence_start: int
                                 ) -> list[tuple[tuple[str, ...], ExtractedCriterion]]:
    """A required 'failed X' (or 'received X') and 'ineligible for X' from one sentence are alternatives: one any-of
    group."""
    ineligible = [c.value for _, c in pairs if c.variable == "ineligible_therapies" and c.role == "required"
                  and c.operator in ("contains", "in")]
    if not ineligible:
        return pairs
    out = []
    for therapies, c in pairs:
        if c.role == "required" and c.variable in _FAILED_OR_INELIGIBLE and c.value in ineligible:
            c = replace(c, group=f"any:{sentence_start}:failed-or-ineligible:{c.value}")
        out.append((therapies, c))
    return out


_NEXT_ITEM = re.compile(r"\n\s*(?:[-•*·]|\d{1,3}[.)])\s")


def _one_list_of_excluded_therapies(pairs: list[tuple[tuple[str, ...], ExtractedCriterion]], sv: SentenceView
                                    ) -> list[tuple[tuple[str, ...], ExtractedCriterion]]:
    """Earlier treatments one eligibility line excludes ("no prior azacitidine, decitabine or lenalidomide") are one
    criterion, as a clinician lists them: `prior_therapies in [X, Y, Z]`, excluding whoever had any of them. The
    evaluator reads `in` on a set as "has one of these", so a patient is ruled out exactly as by one criterion each."""
    listed = [(i, c) for i, (_, c) in enumerate(pairs) if c.variable == "prior_therapies" and c.role == "excludes"
              and c.operator in ("contains", "in") and not c.scope and not c.group]
    if len(listed) < 2:
        return pairs
    values: list[Any] = []
    for _, c in listed:
        for v in (c.value if isinstance(c.value, (list, tuple)) else [c.value]):
            if v not in values:
                values.append(v)
    found = sorted((at, at + len(c.text)) for _, c in listed if c.text and (at := sv.text.find(c.text)) >= 0)
    if len(found) == len(listed) and _NEXT_ITEM.search(sv.text, found[0][1], found[-1][0]):
        return pairs  # two items of a list read as one sentence: each keeps its own criterion (and part of the trial)
    if found and found[-1][1] - found[0][0] <= 160:
        text = sv.text[found[0][0] : max(end for _, end in found)]
    else:
        text = " | ".join(dict.fromkeys(c.text for _, c in listed))
    first_index, first = listed[0]
    merged = replace(first, operator="in", value=values, text=text, concept_id=None)
    dropped = {i for i, _ in listed[1:]}
    return [(therapies, merged if i == first_index else c) for i, (therapies, c) in enumerate(pairs)
            if i not in dropped]


# Whole-number scales: "< 3" is "<= 2", "0-2" is "<= 2".
_WHOLE_NUMBER_SCALES = frozenset({"ecog", "prior_therapy_lines", "acute_gvhd_grade"})
WHOLE_NUMBER_SCALES = _WHOLE_NUMBER_SCALES


def _condition_key(c: ExtractedCriterion) -> tuple | None:
    """What must hold for a patient to stay eligible, in one form: an exclusion negated (`excludes X == true` is
    `X == false`, `excludes age < 18` is `age >= 18`), booleans as `== value`, whole-number scales with `<=` / `>=`.
    None for a criterion with no single negation (a range excluded) and for window variables (never negated)."""
    operator, value = c.operator, c.value
    if c.role not in ("required", "excludes") or c.variable in WINDOW_VARIABLES:
        return None
    if c.role == "excludes":
        if isinstance(value, bool) and operator in ("==", "!="):
            value = not value
        else:
            inverted = invert_operator(operator)
            if inverted is None:
                return None
            operator = inverted
    if isinstance(value, bool) and operator == "!=":
        operator, value = "==", not value
    if c.variable in _WHOLE_NUMBER_SCALES:
        if operator in ("<", ">") and isinstance(value, int) and not isinstance(value, bool):
            operator, value = ("<=", value - 1) if operator == "<" else (">=", value + 1)
        elif operator == "between" and isinstance(value, (list, tuple)) and len(value) == 2 and value[0] == 0:
            operator, value = "<=", value[1]
    return (c.variable, operator, repr(value), c.unit, c.scope, c.group)


_SET_VARIABLES = frozenset({"prior_therapies", "failed_therapies", "ineligible_therapies", "karyotype_findings",
                            "mutated_genes"})


def _one_list_per_alternative(criteria: Iterable[ExtractedCriterion], category_variables: frozenset[str] = frozenset()
                              ) -> list[ExtractedCriterion]:
    """Members of one any-of group that ask for one set variable ("failed azacitidine or decitabine", "del(5q), -7
    or a complex karyotype") are one criterion with a list, `failed_therapies in [X, Y]`: the patient's set holds one
    of them; so are those naming values of one category ("newly diagnosed AML, or relapsed or refractory AML":
    `disease_status in [...]`). It is met exactly when the group's members were, and it stays in the group with any
    other members."""
    criteria = list(criteria)
    members: dict[tuple, list[int]] = {}
    for i, c in enumerate(criteria):
        listed = (c.variable in _SET_VARIABLES and c.operator in ("contains", "in")) or (
            c.variable in category_variables and c.operator in ("==", "in"))
        if c.group and c.group.startswith("any:") and c.role == "required" and listed:
            members.setdefault((c.group, c.variable, c.scope), []).append(i)
    merged: dict[int, ExtractedCriterion] = {}
    dropped: set[int] = set()
    for indices in members.values():
        if len(indices) < 2:
            continue
        values: list[Any] = []
        texts: list[str] = []
        for i in indices:
            c = criteria[i]
            for v in (c.value if isinstance(c.value, (list, tuple)) else [c.value]):
                if v not in values:
                    values.append(v)
            if c.text and c.text not in texts:
                texts.append(c.text)
        if len(values) < 2:
            continue
        merged[indices[0]] = replace(criteria[indices[0]], operator="in", value=values, concept_id=None,
                                     text=" or ".join(texts))
        dropped.update(indices[1:])
    return [merged.get(i, c) for i, c in enumerate(criteria) if i not in dropped]


def one_form_per_condition(criteria: Iterable[ExtractedCriterion], category_variables: frozenset[str] = frozenset()
                           ) -> list[ExtractedCriterion]:
    """A trial's condition stated twice in two forms, once as a requirement and once as an exclusion ("at least
    18 years old" and, in the exclusion list, "younger than 18"; "no significant heart disease" and "unstable
    angina", both `significant_cardiac_disease`), is one criterion: the later statement takes the first one's form,
    so both are one Criterion in the graph, each line still its evidence."""
    first: dict[tuple, ExtractedCriterion] = {}
    out: list[ExtractedCriterion] = []
    for c in _one_list_per_alternative(criteria, category_variables):
        key = _condition_key(c)
        if key is None:
            out.append(c)
            continue
        seen = first.setdefault(key, c)
        if seen is not c and (seen.operator, seen.value, seen.role) != (c.operator, c.value, c.role):
            c = replace(c, operator=seen.operator, value=seen.value, unit=seen.unit, role=seen.role)
        out.append(c)
    return out


def _criterion_key(c: ExtractedCriterion) -> tuple:
    return (c.variable, c.operator, repr(c.value), c.role, c.evidence.source_id, c.evidence.start)


def _unique_criteria(criteria: Iterable[ExtractedCriterion]) -> list[ExtractedCriterion]:
    """One of each criterion a sentence states twice: the first, whose words locate it ("blasts under 10% (or
    chemotherapy first to bring them under 10%)": the second mention is a target, not the condition)."""
    unique: dict[tuple, ExtractedCriterion] = {}
    for c in criteria:
        unique.setdefault(_criterion_key(c), c)
    return list(unique.values())


class CriteriaRules(RuleBase):
    """Criteria of one sentence, and a mention read as a criterion (mixed into RelationRules)."""

    def sentence_criteria(self, sv: SentenceView, source_id: str, document_concepts: set[str], *,
                          eligibility: bool = False, recommendation: bool = False
                          ) -> list[tuple[tuple[str, ...], ExtractedCriterion]]:
        """(therapy ids the criteria are about, criterion) pairs for one sentence.

        Outside eligibility sections a sentence yields criteria only when it names a therapy and
        its words give a role (or it is a recommendation sentence: role `required`)."""
        if eligibility and _admission_only(sv):
            return []  # "Patients with therapy-related MDS are eligible", excluded from nothing: a permission
        # "non-hypomethylating agent therapy" names every therapy but that one
        asides = [a.span() for a in _EXPLANATORY_ASIDE.finditer(sv.text)] if eligibility else []
        mentions = [m for m in _dedupe(sv.mentions, sv)
                    if not (eligibility and _is_therapy(m) and _except_named(sv, m))
                    and not any(a <= sv.rel(m.start) < b for a, b in asides)]
        failed = _failed_therapies(sv, mentions)
        prior = [p for p in _prior_therapies(sv, mentions, eligibility) if p not in failed]
        therapies = tuple(dict.fromkeys(
            r[0] for m in mentions if _is_therapy(m) and m.concept_id not in failed + prior
            and not _is_condition_therapy(sv, m) and not _is_comparator(sv, m)
            for r in self.resolve(m, document_concepts) if r[1] in THERAPY_LABELS))
        if not eligibility and not therapies:
            return []
        if not eligibility:
            # "Response to IST is more likely …", "HLA-DR15 was associated with response to either ATG or
            # cyclosporine": the statement is about the therapy responded to, not the others named.
            targets = self._response_targets(sv, mentions, document_concepts)
            therapies = targets or therapies
        evidence = self.evidence(sv, source_id)
        items = self._criterion_items(sv, mentions, self._resolved_ids(failed, sv, document_concepts, eligibility),
                                      self._resolved_ids(prior, sv, document_concepts, eligibility), eligibility)
        out = []
        for variable, operator, value, unit, text, concept_id, start in items:
            if not eligibility and variable not in ("failed_therapies", "prior_therapies"):
                position = sv.rel(start)
                clause = next((sv.text[a:b] for a, b in _clauses(sv) if a <= position < b), sv.text)
                if NOT_PREDICTIVE.search(clause) or _duration_of(sv, position) or \
                        self._about_other_disease(sv, mentions, position):
                    continue  # "did not predict response"; "a shorter period of …"; "in aplastic anemia, …"
            own = _own_words(sv.text, text) if eligibility else sv.text
            if eligibility and _NOT_EXCLUDING.search(own) and not _ON_A_CONDITION.search(own):
                continue  # "Prior ESA use is not an exclusion criterion", "… does not make a patient ineligible"
            if eligibility and variable == "prior_therapies" and _EITHER_HISTORY.search(sv.text):
                continue  # "HMA-naive or HMA-pretreated patients may enrol": either history will do
            if eligibility and _NOT_REQUIRED.search(_aside_holding(sv.text, text)):
                continue  # "(HLA-DR15 or a PNH clone favour response but are not required)": asked of no one
            if eligibility and variable == "prior_therapies" and _NOT_ADMITTED.search(sv.text):
                if line_kind(sv) != "exclusion":  # under an exclusion heading the words repeat the heading
                    operator = "not_contains" if operator == "contains" else operator  # "prior X is not allowed"
            elif eligibility and variable == "prior_therapies" \
                    and (_SEQUENCE_ADMITTED.search(own) or _may_have_had(own, text)) \
                    and not _ADMITTED_ON_A_CONDITION.search(sv.text):
                continue  # "prior transplant is allowed": permitted, neither required nor excluded
                # (with a condition, "allowed provided there is no active GVHD", it is the case of the condition)
            if eligibility and variable in ("prior_therapies", "failed_therapies") and _not_a_history(sv, start) \
                    and value != list(disease_directed_therapies()):  # "naive apart from transfusions": read
                continue  # "4 weeks since prior X", "toxicity on X", "other than X": a washout, not a history
            role, inverted = _criterion_role(sv, start, eligibility, recommendation)
            if role is None:
                continue
            if variable in WINDOW_VARIABLES:
                role, inverted = "excludes", False  # "another cancer within 3 years" excludes from either list
            elif eligibility and variable in CONDITION_VARIABLES:
                role, inverted = ("excludes" if line_kind(sv) == "exclusion" else "required"), False
            if eligibility and variable in ("prior_therapies", "failed_therapies") \
                    and operator in ("not_contains", "not_in"):
                # One form for "no prior X": an exclusion of X (also when an exclusion list says "no prior X");
                # an exclusion list's "patients who have not received X" excludes those without X.
                literal = line_kind(sv) == "exclusion" and (not _repeated_no(sv) or _literal_in_own_part(sv, text))
                operator = "contains" if operator == "not_contains" else "in"
                role = "required" if literal else "excludes"
            if eligibility and variable in ("prior_therapies", "failed_therapies") and role == "excludes" \
                    and operator in ("contains", "in") and line_kind(sv) == "exclusion" \
                    and _NEITHER_NOR.search(sv.text):
                role = "required"  # "Patients who have had neither X nor Y", excluded: those without both
            if eligibility and variable in ("prior_therapies", "failed_therapies") and role == "required" \
                    and line_kind(sv) != "exclusion" and _SAYS_EXCLUDED.search(
                        _own_words(sv.text, text) if text and sv.text.count(text) == 1
                        else _clause_holding(sv.text, text)):
                role = "excludes"  # "Patients who have had an IDH inhibitor in the past are excluded"
            if role == "excludes" and variable == "karyotype_findings" and operator == "contains" \
                    and isinstance(value, (list, tuple)):
                operator = "in"  # one finding's codes ("inv3", "abn3q"): any of them excludes
            if inverted:
                operator = invert_operator(operator)
                if operator is None:
                    continue
            if operator == "!=" and isinstance(value, bool):
                operator, value = "==", not value  # 'transfusion_dependent != false' reads better as '== true'
            out.append((therapies, ExtractedCriterion(variable, operator, value, unit, role, text, evidence,
                                                      concept_id)))
        if eligibility:
            out = _one_list_of_excluded_therapies(out, sv)
            out = _no_gvhd_without_a_transplant(out, sv)
            if line_kind(sv) == "exclusion" and _NEITHER_NOR.search(sv.text):
                # "… neither X nor Y", excluded: having had one of them is what is required
                out = [(t, replace(c, group=f"any:{sv.start}:neither")
                        if c.variable in ("prior_therapies", "failed_therapies") and c.role == "required"
                        and c.group is None else c) for t, c in out]
                # "Neither transfusion-dependent nor symptomatic from anaemia", excluded: each condition was read
                # denied ("not A"), and only a patient with neither is out, so one of A, B is what is required
                out = [(t, _neither_nor_requirement(c, f"any:{sv.start}:neither")) for t, c in out]
            out = self._subtype_definitions(sv, out, evidence)
            out = self._low_blast_limits(sv, out, evidence)
            if line_kind(sv) != "exclusion":
                # "Any 3q26 rearrangement must be absent": the finding named is excluded (etl/nlp/partial_lines.py)
                out = [(t, replace(c, role="excludes", operator="in" if c.operator == "contains"
                                   and isinstance(c.value, (list, tuple)) else c.operator)
                        if partial_lines.said_absent(sv.text, c) else c) for t, c in out]
        return _failed_or_ineligible_groups(out, sv.start)

    def _subtype_definitions(self, sv: SentenceView, out: list[tuple[tuple[str, ...], ExtractedCriterion]],
                             evidence) -> list[tuple[tuple[str, ...], ExtractedCriterion]]:
        """WHO increased-blasts subtypes the line names ("RAEB-1 or RAEB-2", "MDS-EB2"), read as the blast ranges of
        the ontology's `blast_definition` (etl/nlp/subtype_blasts.py says what is read and what is left). Only a line
        whose other conditions are risk groups or scores: beside anything else the subtype may be a case ("RAEB-2
        patients must have had 4 cycles of azacitidine"), and the line is read as before."""
        names = subtype_blasts.named_subtypes(sv.text)
        if not names or subtype_blasts.other_classification(sv.text) \
                or subtype_blasts.other_subtypes_or_examples(sv.text, names[0]) \
                or any(m.label == "Subtype" and m.concept_id not in subtype_blasts.DEFINED for m in sv.mentions):
            return out  # another classification's names, other subtypes beside, names as examples: as before
        if subtype_blasts.names_other_disease(sv.text) or _ON_A_CASE.search(sv.text) \
                or any(c.variable not in _RISK_SCORES | {"risk_group"} for _, c in out):
            if any(c.variable in subtype_blasts.BLAST_VARIABLES and c.role == "required" for _, c in out):
                # "High-risk MDS (i.e. RAEB-1 or RAEB-2) or CMML with > 5% marrow blasts": the group named is what
                # the subtypes define, not a second condition beside the line's own blast limit
                return [(t, c) for t, c in out if not (
                    c.variable == "risk_group" and c.text and 0 <= sv.text.find(c.text) < names[0].start
                    and _DEFINED_AS.fullmatch(sv.text[sv.text.find(c.text) + len(c.text) : names[0].start]))]
            return out  # another disease named beside, other conditions (the subtype may be a case): as before
        cover = subtype_blasts.covering_subtype(names, sv.text)
        conditions = subtype_blasts.definition(self.ontology, cover[0]) if cover else None
        if cover is None or conditions is None:
            return out
        concept, first, last = cover
        denied = words_deny(sv.text, first.start, last.end)
        if line_kind(sv) == "exclusion":
            if denied and not _repeated_no(sv):
                return out  # "patients who do not have RAEB-2", excluded: a double denial, left unread
            excluded = True
        else:
            excluded = denied or bool(_EXCLUDED_AFTER.match(sv.text, last.end))
        if excluded and not subtype_blasts.excludable(conditions):
            return out  # RAEB-1 excluded: its ceiling (under 10%) needs nested groups, left unread
        group = f"any:{sv.start + first.start}:subtype"
        kept: list[tuple[tuple[str, ...], ExtractedCriterion]] = []
        for therapies, c in out:
            at = sv.text.find(c.text) if c.text else -1
            if at < 0 or c.group is not None:
                kept.append((therapies, c))
            elif at < first.start and _DEFINED_AS.fullmatch(sv.text[at + len(c.text) : first.start]):
                continue  # "High-risk MDS (i.e. RAEB-1 or RAEB-2)": the subtypes define the group named
            elif not excluded and c.role == "required" and (
                    _ALTERNATIVE_GAP.match(sv.text[last.end : at]) if at >= last.end
                    else _ALTERNATIVE_GAP.match(sv.text[at + len(c.text) : first.start])):
                kept.append((therapies, replace(c, group=group)))  # "RAEB-1/2 or IPSS int-2/high": one more way in
            else:
                kept.append((therapies, c))
        text = sv.text[first.start : last.end]
        if excluded:
            return kept + [((), ExtractedCriterion(c.variable, c.operator, c.value, c.unit, "excludes", text, evidence,
                                                   concept)) for c in conditions if c.any_of]
        aml = subtype_blasts.names_aml(sv.text)  # "RAEB-2 or AML": the MDS ceiling is not a limit of the line
        return kept + [((), ExtractedCriterion(c.variable, c.operator, c.value, c.unit, "required", text, evidence,
                                               concept, group=group if c.any_of else None))
                       for c in conditions if c.any_of or not (aml and c.variable in subtype_blasts.BLAST_VARIABLES)]

    def _low_blast_limits(self, sv: SentenceView, out: list[tuple[tuple[str, ...], ExtractedCriterion]],
                          evidence) -> list[tuple[tuple[str, ...], ExtractedCriterion]]:
        """WHO low-blast subtypes the inclusion line asks ("MDS-SLD or MDS-MLD", "MDS-5q"), read with the blast limits
        of the ontology's MDS-LB `blast_definition` beside what the names already gave (etl/nlp/low_blasts.py says
        when); the line as before otherwise."""
        if line_kind(sv) != "inclusion" or any(c.variable in subtype_blasts.BLAST_VARIABLES | {"auer_rods"}
                                               for _, c in out):
            return out
        run = low_blasts.named_run(sv.text)
        limits = low_blasts.limits(self.ontology) if run else None
        if run is None or not limits or words_deny(sv.text, run[0], run[1]) or _EXCLUDED_AFTER.match(sv.text, run[1]) \
                or low_blasts.own_part_unread(sv.text, run, {c.variable for _, c in out}):
            return out
        for _, c in out:
            at = sv.text.find(c.text) if c.text else -1
            if c.role != "required" or c.group is not None or (at >= 0 and low_blasts.or_joined(sv.text, run, at,
                                                                                                  len(c.text or ""))):
                return out  # an exclusion beside, alternatives, or another way in: as before
        text = sv.text[run[0] : run[1]]
        return out + [((), ExtractedCriterion(limit.variable, limit.operator, limit.value, limit.unit, "required", text,
                                              evidence, low_blasts.LOW_BLASTS)) for limit in limits]

    def _response_targets(self, sv, mentions, document_concepts) -> tuple[str, ...]:
        """Therapies named as what patients respond to ('response to IST', 'respond to either ATG or
        cyclosporine')."""
        targets: list[str] = []
        previous: MentionView | None = None
        for m in mentions:
            if not _is_therapy(m):
                previous = None
                continue
            lead = sv.text[max(0, sv.rel(m.start) - 45) : sv.rel(m.start)]
            listed = previous is not None and re.fullmatch(r"\s*,?\s*(?:or|and|and/or)\s*", sv.between(previous, m),
                                                           re.I)
            if _RESPONSE_TO.search(lead) or listed:
                targets += [r[0] for r in self.resolve(m, document_concepts) if r[1] in THERAPY_LABELS]
                previous = m
            else:
                previous = None
        return tuple(dict.fromkeys(targets))

    def _about_other_disease(self, sv, mentions, position: int) -> bool:
        """The nearest population named before the condition is not MDS ('in aplastic anemia a
        STAT3-mutant clone showed …')."""
        before = [m for m in mentions if m.label in POPULATION_LABELS and sv.rel(m.end) <= position]
        return bool(before) and not self.is_mds_population(before[-1].concept_id)

    def _criterion_items(self, sv, mentions, failed, prior, eligibility) -> list[tuple]:
        items: list[tuple] = []
        spans: list[tuple[int, int, str]] = []
        for t in sv.thresholds:
            # a yes/no finding ("not transfusion dependent") already carries the polarity its words give
            negated = not isinstance(t.value, bool) and (
                _threshold_negated(sv, t) or (eligibility and line_kind(sv) != "exclusion" and (
                    _item_denied(sv, t) or bool(_EXCLUDED_AFTER.match(sv.text, sv.rel(t.end)))
                    or bool(EXCLUSION_LABEL.match(sv.text)))))
            operator = invert_operator(t.operator) if negated else t.operator
            if operator is None:
                continue
            value = t.value
            if isinstance(value, bool) and eligibility and line_kind(sv) != "exclusion" \
                    and _EXCLUDED_AFTER.match(sv.text, sv.rel(t.end)):
                value = not value  # "Transfusion-independent patients are not eligible", in the inclusion list
            elif value is True and eligibility and line_kind(sv) != "exclusion" \
                    and re.match(r"\W*no\s+(?:[\w-]+\s+){0,3}$", sv.text[: max(0, sv.rel(t.start))], re.I):
                value = False  # "No transfusion dependence", "No red-cell transfusion dependence", required
            items.append((t.variable, operator, value, t.unit, t.text, self._variable_concepts.get(t.variable),
                          t.start))
            spans.append((t.start, t.end, t.variable))
        if eligibility:
            for c in parse_conditions(sv.text):
                # Named conditions ("no active infection") carry their own polarity, except under an
                # exclusion heading, where registry text often repeats the "no" ("Exclusion: no pregnancy").
                # ("transfusion-independent patients" is no denial: its False is the word's own meaning)
                repeated = _repeated_no(sv) and not re.search(r"independen", c.text or "", re.I)
                value = True if repeated and c.value is False else c.value
                if isinstance(value, bool) and not repeated and re.search(r"independen", c.text or "", re.I) \
                        and line_kind(sv) != "exclusion" and _EXCLUDED_AFTER.match(sv.text, c.end):
                    value = not value  # "Transfusion-independent patients are not eligible", in the inclusion list
                operator = c.operator
                if repeated and operator in ("not_in", "!="):
                    operator = "in" if operator == "not_in" else "=="  # the same repeated "no", on a category
                if repeated and c.variable in ("peripheral_blasts_pct", "marrow_blasts_pct") \
                        and (undone := invert_operator(operator)) is not None:
                    operator = undone  # "no circulating blasts" under the exclusion heading: blasts are excluded
                if repeated and c.variable == "acute_gvhd_grade" and operator == "<":
                    operator = ">="  # "grade 3 acute GVHD is excluded", under the exclusion heading: the same
                if repeated and c.variable == "prior_therapy_lines" and operator == "==" and value == 0 \
                        and not re.search(r"untreated|na[iï]ve", c.text or "", re.I):  # "treatment-naive" is literal
                    operator, value = ">=", 1  # "No prior therapy for MDS" under the exclusion heading
                items.append((c.variable, operator, value, c.unit, c.text, None, sv.start + c.start))
                spans.append((sv.start + c.start, sv.start + c.end, c.variable))
        if eligibility and "marrow_blasts_pct" not in {v for *_, v in spans}:
            for r in _RAEB_T.finditer(sv.text):
                no = words_deny(sv.text, r.start(), r.end())
                if line_kind(sv) == "exclusion" and (not no or _repeated_no(sv)):
                    items.append(("marrow_blasts_pct", ">=", 20, "%", r.group(), None, sv.start + r.start()))
                elif line_kind(sv) != "exclusion" and no:
                    items.append(("marrow_blasts_pct", "<", 20, "%", r.group(), None, sv.start + r.start()))
                else:
                    continue
                spans.append((sv.start + r.start(), sv.start + r.end(), "marrow_blasts_pct"))
                break
        if eligibility:
            for g in _GENE_FAMILY_MUTATION.finditer(sv.text):
                if _DRUG_AFTER_GENE.match(sv.text, g.end()):
                    continue  # "a RAS inhibitor": a kind of drug
                genes = family_genes(g.group("genes") or g.group("genes2"))
                named = re.match(r"\s*\(([^()]{0,40})\)", sv.text[g.end():])
                if named and family_genes(named.group(1)):
                    genes = family_genes(named.group(1))  # "RAS mutation (NRAS or KRAS)": the members meant
                # the words' own denial ("no", "without", "… are not eligible"), read as written under the exclusion
                # heading too: "No RAS mutation" there excludes those without one, as for a single gene ("No TP53
                # mutation"): a missing mutation is a state a trial of a targeted drug excludes, not a repeated "no"
                no = words_deny(sv.text, g.start(), g.end())
                operator = "not_in" if no else "in"
                items.append(("mutated_genes", operator, genes, None, g.group(), None, sv.start + g.start()))
                spans.append((sv.start + g.start(), sv.start + g.end(), "mutated_genes"))
        if eligibility and "mutated_genes" not in {v for *_, v in spans}:
            for g in _GENES_IN_BRACKET.finditer(sv.text):
                genes = list(dict.fromkeys(re.findall(r"[A-Z][A-Z0-9]{1,7}", g.group("genes"))))
                variants = [gene for gene in genes if gene in _NOT_GENES or re.fullmatch(r"[A-Z]\d+[A-Z]?", gene)]
                if len(genes) < 2 or variants \
                        or re.fullmatch(_GENE_SYMBOL + r"[\s-]+(?:gene\s+)?(?:mutations?|mutated|variants?)",
                                        g.group("word"), re.I):
                    continue  # "IDH2 mutation (R140 or R172)": the variants of one gene, not genes
                # "a RAS-pathway mutation (NRAS, KRAS, CBL, PTPN11 or NF1)": the bracket names the genes meant, any
                # one of which will do; denied as written, as for a gene family
                no = words_deny(sv.text, g.start(), g.end())
                items.append(("mutated_genes", "not_in" if no else "in", genes, None, g.group("word"), None,
                              sv.start + g.start()))
                spans.append((sv.start + g.start(), sv.start + g.end(), "mutated_genes"))
                break
        variables = self.ontology.criterion_variables
        denied_list: MentionView | None = None  # the last gene of a list a denial opened ("no TP53, ASXL1 or …")
        for m in mentions:
            if eligibility and m.label == "Subtype" and (gene := _MUTATED_GENE_IN_NAME.search(m.text)) is not None:
                # "TP53-mutated MDS", "MDS with mutated SF3B1": the entity needs the mutation (its other conditions
                # are not read: required, the mutation rules out only those without it; excluded, it is stricter)
                said_excluded = line_kind(sv) != "exclusion" and bool(_EXCLUDED_AFTER.match(sv.text, sv.rel(m.end)))
                operator = "not_contains" if m.negated != said_excluded else "contains"
                items.append(("mutated_genes", operator, gene.group("gene") or gene.group("gene2"), None, m.text, None,
                              m.start))
                spans.append((m.start, m.end, "mutated_genes"))
                continue
            if eligibility and m.label == "Subtype" and _DEL5Q_IN_NAME.search(m.text):
                # "MDS with isolated del(5q)": the entity needs the deletion, with at most one other change, and that
                # one not -7/del(7q) (WHO 2016, Arber et al., Blood 2016;127:2391; kept in WHO 5th ed., Khoury et al.,
                # Leukemia 2022, doi:10.1038/s41375-022-01613-1). "isolated del(5q)" alone is the deletion alone, above
                said_excluded = line_kind(sv) != "exclusion" and bool(_EXCLUDED_AFTER.match(sv.text, sv.rel(m.end)))
                operator = "not_contains" if m.negated != said_excluded else "contains"
                items.append(("karyotype_findings", operator, "del5q", None, m.text, None, m.start))
                if operator == "contains":  # del(5q) with at most one other change
                    items.append(("karyotype_abnormality_count", "<=", 2, None, m.text, None, m.start))
                    if line_kind(sv) != "exclusion":  # ... and that one not -7/del(7q) (excluded, the wider reading
                        # stays: it may hide a patient, never offer a trial)
                        items.append(("karyotype_findings", "not_contains", "minus7", None, m.text, None, m.start))
                        items.append(("karyotype_findings", "not_contains", "del7q", None, m.text, None, m.start))
                spans.append((m.start, m.end, "karyotype_findings"))
                continue
            if m.label not in ("Biomarker", "RiskCategory") or (m.label == "RiskCategory" and not eligibility):
                continue
            if m.label == "Biomarker" and _DRUG_AFTER_GENE.match(sv.text, sv.rel(m.end)):
                continue  # "an IDH1 or IDH2 inhibitor", "FLT3-targeted therapy": a kind of drug, not a mutation
            before = sv.text[max(0, sv.rel(m.start) - 60) : sv.rel(m.start)]
            excepted_case = eligibility and m.negated and bool(_EXCEPT_FOR_PATIENTS.search(before))
            if eligibility and m.negated and not excepted_case and line_kind(sv) == "exclusion" \
                    and _EXCEPTION_BEFORE.search(before) and not _ANY_BUT.search(before):
                # "chromosome 5 or 7 abnormalities, excluding isolated del(5q)": a carve-out from what the line
                # excludes excludes no one ("any karyotype other than del(5q)" does exclude all the others)
                continue
            item = self._mention_criterion(m, variables)
            if item is None:
                continue
            previous, denied_list = denied_list, None
            if m.label == "Biomarker" and m.negated:
                denied_list = m
            elif eligibility and m.label == "Biomarker" and previous is not None \
                    and _LIST_GAP_ONLY.fullmatch(sv.text[sv.rel(previous.end) : sv.rel(m.start)]) \
                    and item[1] == "contains":
                # "no mutation in TP53, ASXL1 or RUNX1": the denial before the list's first gene denies each one
                item, denied_list = (item[0], "not_contains", *item[2:]), m
            if excepted_case and (undone := invert_operator(item[1])) is not None:
                # "…, except patients with del(5q)": the patients excepted are a case (etl/nlp/trial_criteria.py
                # reads "Y except X" as "Y unless X")
                item = (item[0], undone, *item[2:])
            if eligibility and item[1] in ("==", "!=") and isinstance(item[2], str):
                item = self._listed_category(sv, m, item, variables)  # "normocellular or hypercellular marrow"
            if item[1] == "contains" and (_NOT_MUTATED_AFTER.match(sv.text, sv.rel(m.end)) or (
                    item[0] == "mutated_genes" and _WILD_TYPE_FOR.search(sv.text, 0, sv.rel(m.start)))):
                # "TP53 wild-type", "NPM1-unmutated", "wild-type for both NPM1 and FLT3"
                item = (item[0], "not_contains", *item[2:])
            variable = item[0]
            if any(a < m.end and m.start < b and v == variable for a, b, v in spans):
                continue  # the threshold parser already read this condition
            if eligibility and variable in _LISTED_MEMBERS and any(
                    v == _LISTED_MEMBERS[variable] and b <= m.start
                    and _OPEN_LIST_BETWEEN.fullmatch(sv.text[sv.rel(b) : sv.rel(m.start)]) for _, b, v in spans):
                # "a splicing-factor mutation (SF3B1, SRSF2, U2AF1 or ZRSR2)", "good IPSS-R cytogenetics (e.g. -Y,
                # del(11q))": the bracket names the members of what was read
                continue
            if any(v == variable and variables.get(variable) and variables[variable].type in ("number", "boolean")
                   for _, _, v in spans):
                continue
            said_excluded = eligibility and line_kind(sv) != "exclusion" and not m.negated \
                and bool(_EXCLUDED_AFTER.match(sv.text, sv.rel(m.end)))
            if said_excluded:
                # "Those with del(5q) cannot take part" in the inclusion list; with "isolated" the excluded case
                # is del(5q) alone, which one criterion cannot say: del(5q) of any kind is ruled out (stricter)
                flipped = invert_operator(item[1])
                if flipped is None:
                    continue
                items.append((item[0], flipped, *item[2:], m.text, m.concept_id, m.start))
                spans.append((m.start, m.end, variable))
                continue
            items.append((*item, m.text, m.concept_id, m.start))
            if eligibility and item[0] == "karyotype_findings" and item[1] == "contains":
                limit = _alone_limit(sv.text[max(0, sv.rel(m.start) - 25) : sv.rel(m.start)],
                                     sv.text[sv.rel(m.end) : sv.rel(m.end) + 70])
                if limit is not None:  # "isolated del(5q)": no other abnormality
                    items.append(("karyotype_abnormality_count", "<=", limit, None, m.text, None, m.start))
            elif eligibility and item[0] == "karyotype_findings" and item[1] == "not_contains" \
                    and line_kind(sv) == "exclusion" and _ANY_BUT.search(before):
                # "Any karyotype other than isolated del(5q)", excluded: without del(5q), or with more than it
                limit = _alone_limit(sv.text[max(0, sv.rel(m.start) - 25) : sv.rel(m.start)],
                                     sv.text[sv.rel(m.end) : sv.rel(m.end) + 70])
                if limit is not None:
                    items.append(("karyotype_abnormality_count", ">", limit, None, m.text, None, m.start))
            spans.append((m.start, m.end, variable))
        for therapy in failed:
            # a tuple: the meanings of one ambiguous word, any of which counts ("in"); "no prior failure of X",
            # "must not have failed X": the person must NOT have failed it
            denied_failure = eligibility and _failure_denied(sv, therapy)
            operator, value, concept_id, text = self._therapy_value(sv, therapy,
                                                                    "not_contains" if denied_failure else "contains")
            items.append(("failed_therapies", operator, value, None, text, concept_id, sv.start))
            if eligibility and _OR_INELIGIBLE.search(sv.text):
                # "must have failed or be ineligible for X": either one will do (an any-of group, see below)
                items.append(("ineligible_therapies", operator, value, None, text, concept_id, sv.start))
        denied = bool(_NO_PRIOR.search(sv.text))
        or_ineligible = _OR_INELIGIBLE.search(sv.text) if eligibility else None
        for therapy in prior:
            # "No prior allogeneic transplant", "must not have received X": the person must NOT have had it.
            no_prior = denied or (eligibility and _prior_denied(sv, therapy))
            if or_ineligible is not None and not denied and _RECEIVED_BEFORE.search(sv.text, 0, or_ineligible.start()):
                no_prior = False  # "has had, or is not eligible for, X": the "not" is the other branch's own
            operator, value, concept_id, text = self._therapy_value(sv, therapy,
                                                                    "not_contains" if no_prior else "contains")
            items.append(("prior_therapies", operator, value, None, text, concept_id, sv.start))
            if eligibility and not no_prior and _OR_INELIGIBLE.search(sv.text):
                # "received or (be) ineligible for X": having had X is one of two ways in (an any-of group)
                items.append(("ineligible_therapies", operator, value, None, text, concept_id, sv.start))
        if eligibility and not or_ineligible and not failed:
            items += self._ineligible_for(sv, mentions, prior)
        return items

    def _ineligible_for(self, sv: SentenceView, mentions: list[MentionView], prior: list[str]) -> list[tuple]:
        """'Ineligible for azacitidine', 'not a candidate for HMA therapy': the patient cannot have the therapy
        (`ineligible_therapies contains X`); 'not ineligible for X' denies it (`not_contains`), except under the
        exclusion heading, where the 'not' repeats the heading. Fitness for a transplant or for intensive
        chemotherapy has variables of its own (etl/nlp/conditions.py)."""
        out: list[tuple] = []
        for m in mentions:
            if not _is_therapy(m) or m.label == "Term" or m.concept_id in prior or m.concept_id in _OWN_FITNESS:
                continue
            before = _undotted(sv.text[max(0, sv.rel(m.start) - 60) : sv.rel(m.start)])
            phrase = _INELIGIBLE_FOR.search(before)
            if phrase is None or any(i[0] == "ineligible_therapies" and i[2] == m.concept_id for i in out):
                continue
            denied_twice = bool(phrase.group("not")) and not _repeated_no(sv)
            out.append(("ineligible_therapies", "not_contains" if denied_twice else "contains", m.concept_id, None,
                        m.text, m.concept_id, m.start))
        return out

    def _listed_category(self, sv: SentenceView, m: MentionView, item: tuple, variables) -> tuple:
        """A category mention with another value of it listed just before ("normocellular or hypercellular marrow"):
        either value, `in [a, b]` (`not_in` when denied)."""
        spec = variables.get(item[0])
        listed = _LISTED_BEFORE.search(sv.text[max(0, sv.rel(m.start) - 40) : sv.rel(m.start)])
        if spec is None or listed is None:
            return item
        other = _category_from_text(listed.group("word"), spec.values or ())
        if other is None or other == item[2]:
            return item
        return (item[0], "in" if item[1] == "==" else "not_in", [other, item[2]], *item[3:])

    def _means_any_of(self, mention: MentionView) -> bool:
        concept = self.ontology.concepts.get(mention.concept_id)
        return bool(concept and (concept.properties or {}).get("criteria_mean_any_of"))

    def _therapy_value(self, sv: SentenceView, therapy: str | tuple[str, ...], operator: str
                       ) -> tuple[str, Any, str | None, str]:
        """(operator, value, concept id, text) for one therapy or one ambiguous word's set of therapies."""
        if isinstance(therapy, str):
            return operator, therapy, therapy, self._therapy_text(sv, therapy)
        set_operator = {"contains": "in", "not_contains": "not_in"}[operator]
        term = next((m for m in sv.mentions if m.label == "Term"
                     and therapy[0] in (r[0] for r in self.resolve(m, set(), expand=True))), None)
        return set_operator, list(therapy), None, term.text if term else self._therapy_text(sv, therapy[0])

    def _resolved_ids(self, ids: list[str], sv: SentenceView, document_concepts: set[str],
                      eligibility: bool = False) -> list[str | tuple[str, ...]]:
        """Therapy ids with Terms resolved (an unresolvable Term is dropped). In eligibility text an
        ambiguous Term stands for every therapy it may mean, as one alternative set: "no prior ATG" rules
        out horse and rabbit ATG alike, "failed ATG" is met by either."""
        out: list[str | tuple[str, ...]] = []
        for concept_id in ids:
            mention = next((m for m in sv.mentions if m.concept_id == concept_id), None)
            if mention is None:
                continue
            resolved = [r for r, label, _ in self.resolve(mention, document_concepts, expand=eligibility)
                        if label in THERAPY_LABELS]
            # Only a word the ontology marks as meaning any one of a few drugs of one kind (ATG: horse or rabbit);
            # a word as broad as "chemotherapy" or "chemo pill" names no particular treatment and is left out.
            if eligibility and mention.label == "Term" and len(resolved) > 1 and self._means_any_of(mention):
                if tuple(resolved) not in out:
                    out.append(tuple(resolved))
                continue
            if mention.label == "Term" and len(resolved) > 1:
                continue
            out.extend(r for r in resolved if r not in out)
        return out

    def _therapy_text(self, sv: SentenceView, concept_id: str) -> str:
        for m in sv.mentions:
            if m.concept_id == concept_id:
                return m.text
        concept = self.ontology.concepts.get(concept_id)
        return concept.name if concept else concept_id

    def _mention_criterion(self, m: MentionView, variables) -> tuple | None:
        concept = self.ontology.concepts.get(m.concept_id)
        props = dict(concept.properties or {}) if concept else {}
        variable = props.get("variable")
        spec = variables.get(variable) if isinstance(variable, str) else None
        if spec is None:
            return None
        value = props.get("value")
        if spec.type == "boolean":
            operator, value = "==", True if value is None else value
        elif spec.type == "set":
            if value is None:
                return None
            operator = "contains"
        elif spec.type == "category":
            value = value if value is not None else _category_from_text(m.text, spec.values or ())
            if value is None:
                return None
            operator = "=="
        elif variable in PRESENCE_DEFAULTS and _presence_phrase(m.text):
            operator, value, unit = PRESENCE_DEFAULTS[variable]
            return (variable, invert_operator(operator) if m.negated else operator, value, unit)
        else:
            return None
        if m.negated:
            operator = invert_operator(operator)
        return (variable, operator, value, spec.unit)

"""Outcome records (endpoint + value) from one sentence of a publication abstract.

Pure functions on plain strings, no spaCy:

    find_outcomes("The overall response rate was 45% (54/120).")
    -> [OutcomeMatch(endpoint="overall_response_rate", value=45.0, unit="%", n=120, ...)]

Endpoints come from the closed list of tests/data/real_gold/README.md. Precision first: a value is only
taken when an endpoint cue and a number with a fitting unit are close together with nothing in between that
could belong to something else (another number, another endpoint, a negation, a threshold sign). Two readings
of one number cancel each other. Sentences that deny or do not report a number give nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mdskg.records import Evidence, ExtractedOutcome

NUM = r"\d+(?:\.\d+)?"
PCT = rf"(?P<v>{NUM})\s?%"
TIME_UNIT = r"(?P<u>months?|mo|years?|weeks?)\b"

#: endpoint -> (cue regex, unit kind: "%" or "time")
_CUES: list[tuple[str, str, str]] = [
    ("cr_plus_pr_rate", r"(?:complete\s+or\s+partial\s+(?:remission|response)s?|CR\s*\+\s*PR)", "%"),
    ("marrow_cr_rate", r"(?:marrow\s+(?:complete\s+)?(?:remission|response)s?|marrow\s+CR|mCR)", "%"),
    ("overall_response_rate", r"(?:overall\s+response\s+rates?|objective\s+response\s+rates?|ORR|"
                              r"overall\s+response|objective\s+response|response\s+rates?)", "%"),
    ("complete_remission_rate", r"(?:complete\s+(?:remission|response)s?(?:\s*\(CR\))?(?:\s+rates?)?|CR\s+rates?|CR)",
     "%"),
    ("partial_remission_rate", r"(?:partial\s+(?:remission|response)s?(?:\s*\(PR\))?(?:\s+rates?)?|PR)", "%"),
    ("hematologic_improvement_rate", r"(?:ha?ematologic(?:al)?\s+improvement|HI)", "%"),
    ("stable_disease_rate", r"(?:stable\s+diseases?)", "%"),
    ("transfusion_independence_rate", r"(?:(?:RBC\s+|red\s+(?:blood\s+)?cell\s+)?transfusion[\s-]+independence|"
                                      r"RBC-TI)", "%"),
    ("overall_survival_at_years", r"(?:(?P<yrs>\d+|one|two|three|four|five)[\s-]+years?[\s-]+"
                                  r"(?:overall\s+survival|OS|survival)(?:\s+rates?)?)", "%"),
    ("overall_survival_at_years", r"(?:overall\s+survival|OS)(?=\s+(?:rate\s+)?(?:was|were)\s+\d+(?:\.\d+)?\s?%"
                                  r"\s+at\s+\d+\s+years?)", "%"),
    ("median_overall_survival", r"(?:median\s+(?:actuarial\s+)?(?:overall\s+)?survival(?:\s+times?)?|"
                                r"median\s+OS(?:\s+times?)?)", "time"),
    ("median_event_free_survival", r"(?:median\s+(?:event[\s-]free\s+survival|EFS))", "time"),
    ("median_progression_free_survival", r"(?:median\s+(?:progression[\s-]free\s+survival|PFS))", "time"),
    ("median_response_duration", r"(?:(?:median\s+)?(?:duration\s+of\s+(?:the\s+)?response|response\s+duration))",
     "time"),
    ("median_time_to_response", r"(?:(?:median\s+)?times?\s+to\s+(?:best\s+|first\s+)?response)", "time"),
    ("progression_to_aml_rate", r"(?:progress(?:ed|ion)\s+to\s+(?:acute\s+(?:myeloid\s+)?leuka?emia|AML)|"
                                r"(?:transformation|evolution)\s+to\s+(?:AML|acute\s+(?:myeloid\s+)?leuka?emia))",
     "%"),
    ("early_mortality_rate", r"(?:(?P<wks>\d+)[\s-]+week\s+(?:early\s+)?mortality(?:\s+rates?)?|"
                             r"early\s+mortality(?:\s+rates?)?)", "%"),
    ("death_rate", r"(?:death\s+rates?|mortality\s+rates?)", "%"),
    ("hsct_rate", r"(?<=underwent\s)(?:(?:allogeneic|ha?ematopoietic|allo)\s+)*(?:stem[\s-]+cell\s+"
                  r"transplant(?:ation)?|HSCT|SCT)", "%"),
]

_CUE_RX = [(endpoint, re.compile(rf"(?<![\w-])(?:{rx})(?![\w-])", re.I), kind) for endpoint, rx, kind in _CUES]
#: abbreviations only count in capitals ("hi", "or", "os" are words)
_ABBREV = re.compile(r"(?:CR|PR|HI|OS|ORR|mCR|EFS|PFS|SCT|HSCT|RBC-TI)(?:\s+rates?)?")

_NEG = re.compile(r"\b(?:not|no|never|neither|nor|without|n't|unknown|unavailable|undetermined|defined|definition|"
                  r"required|requires|requiring|eligib\w*|inclusion|exclusion|threshold|cut-?off|expected|"
                  r"anticipated|assum\w*|hypothes\w*|target\w*|previous\w*|prior|historical\w*|reported\s+in|"
                  r"approximately|about|around|up\s+to|at\s+least|more\s+than|less\s+than|over|under|nearly|almost)\b"
                  r"|[<>≤≥]|=<|>=", re.I)
_SENTENCE_NEG = re.compile(r"\b(?:not\s+(?:been\s+)?(?:reported|available|reached|evaluable|assessed|estimable)|"
                           r"could\s+not\s+be|were\s+not|was\s+not)\b", re.I)
_BACKGROUND = re.compile(r"\bremains?\s+poor\b|\bhistorical(?:ly)?\b|\bpreviously\s+(?:reported|published|shown)\b|"
                         r"\b(?:in|from)\s+(?:previous|prior|earlier|other)\s+(?:studies|trials|reports|series)\b",
                         re.I)
_GRADE3 = re.compile(r"\bgrade\s*(?:3\s*(?:[-–/]|to|or)\s*4|≥\s*3|>=\s*3|3\s+or\s+(?:higher|worse|above|more)|"
                     r"III\s*[-–/]\s*IV|3\+?)\b", re.I)
_AE_EVENTS = {
    "anaemia": "anaemia", "anemia": "anaemia", "neutropenia": "neutropenia", "thrombocytopenia": "thrombocytopenia",
    "febrile neutropenia": "febrile neutropenia", "pneumonia": "pneumonia", "sepsis": "sepsis",
    "infection": "infection", "infections": "infection", "fatigue": "fatigue", "leukopenia": "leukopenia",
    "leucopenia": "leukopenia", "diarrhoea": "diarrhoea", "diarrhea": "diarrhoea", "nausea": "nausea",
}
_AE_RX = re.compile(r"(?<![\w-])(?P<ev>" + "|".join(sorted(map(re.escape, _AE_EVENTS), key=len, reverse=True))
                    + rf")\s*\((?:(?P<k>\d+|[a-z]+)\s*\[)?(?P<v>{NUM})\s?%\]?(?:\s+of\s+(?P<n>\d+))?", re.I)

_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


@dataclass(frozen=True)
class OutcomeMatch:
    """One outcome read from a sentence; `start`/`end` are sentence offsets of the matched stretch."""

    endpoint: str
    value: float
    unit: str
    start: int
    end: int
    arm: str | None = None
    comparator_value: float | None = None
    n: int | None = None
    p: str | None = None
    hr: float | None = None
    ci: str | None = None
    event: str | None = None


def _normalise(sentence: str) -> str:
    """Same-length copy with middle-dot decimals and unicode spaces made plain."""
    return sentence.replace("·", ".").replace("\u2009", " ").replace("\u00a0", " ").replace("–", "-").replace("−", "-")


def _cue_spans(text: str) -> list[tuple[int, int, str, str, re.Match]]:
    spans = []
    for endpoint, rx, kind in _CUE_RX:
        for m in rx.finditer(text):
            word = m.group(0)
            if _ABBREV.fullmatch(word) is None and re.fullmatch(_ABBREV.pattern, word, re.I):
                continue
            spans.append((m.start(), m.end(), endpoint, kind, m))
    # overlapping cues: keep the longest (leftmost on ties)
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str, str, re.Match]] = []
    for s in spans:
        if kept and s[0] < kept[-1][1]:
            if (s[1] - s[0]) > (kept[-1][1] - kept[-1][0]):
                kept[-1] = s
            continue
        kept.append(s)
    return kept


_P_RX = re.compile(r"\bp\s*(?P<op>[=<>≤]|<\s*=|=\s*<)?\s*(?P<val>0?\.\d+|1\.0+|10\s*\(\s*-\s*(?P<exp>\d+)\s*\)|NS)",
                   re.I)
_NS_RX = re.compile(r"\((?:difference\s+)?(?:NS|not\s+significant)\)", re.I)
_HR_RX = re.compile(rf"\b(?:HR|hazard\s+ratio)(?:\s*\(HR\))?\s*[:=,]?\s*(?P<hr>{NUM})", re.I)
_CI_RX = re.compile(rf"(?:95\s?%\s*(?:CI|confidence\s+interval)\s*[:,]?\s*|\[?\s*\(?)\[?(?P<lo>{NUM})\s*(?:-|to|,)\s*"
                    rf"(?P<hi>{NUM})", re.I)
_N_SLASH = re.compile(rf"^\s*\(?\s*(?P<k>\d+)\s*/\s*(?P<n>\d+)\s*\)?")
_N_OF = re.compile(r"^\s*\(?(?:\s*\d+\s+)?of\s+(?:the\s+|all\s+)?(?P<n>\d+)\s+(?:\w+\s+)?(?:patients|pts|participants|"
                   r"subjects|evaluable)\b", re.I)


def _p_value(window: str) -> str | None:
    m = _P_RX.search(window)
    if m is None:
        return "NS" if _NS_RX.search(window) else None
    if m.group("val").upper() == "NS":
        return "NS"
    op = (m.group("op") or "=").replace(" ", "")
    op = {"=": "", "<=": "<=", "=<": "<=", "≤": "<="}.get(op, op)
    if m.group("exp"):
        return f"{op}0.{'0' * (int(m.group('exp')) - 1)}1"
    val = m.group("val")
    if val.startswith("."):
        val = "0" + val
    return f"{op}{val}"


def _hr_ci(window: str) -> tuple[float | None, str | None]:
    m = _HR_RX.search(window)
    if m is None:
        return None, None
    rest = window[m.end():m.end() + 60]
    c = _CI_RX.search(rest)
    ci = f"{c.group('lo')}-{c.group('hi')}" if c and c.start() < 30 else None
    return float(m.group("hr")), ci


_VALUE_PCT = re.compile(rf"^(?P<pre>[^\d;]*?)(?:(?P<k>\d+)\s+(?:patients|pts|participants)\s*\(\s*)?(?P<v>{NUM})\s?%(?!\s*(?:CI|confidence))")
_VALUE_TIME = re.compile(rf"^(?P<pre>[^\d;]*?)(?P<v>{NUM})(?P<range>\s*\(\s*{NUM}\s*-\s*{NUM}\s*\))?"
                         rf"(?P<and>\s+(?:and|vs\.?|versus|v)\s+(?P<c>{NUM}))?\s+{TIME_UNIT}")
_COMP_PCT = re.compile(rf"^(?P<fill>[^\d;]{{0,40}}?)\b(?:vs\.?|versus|v|compared\s+with|than)\s+(?:[^\d;]{{0,25}}?)"
                       rf"(?P<c>{NUM})\s?%")
_COMP_TIME = re.compile(rf"^(?P<fill>[^\d;]{{0,40}}?)\b(?:vs\.?|versus|v|compared\s+with|than)\s+(?:[^\d;]{{0,25}}?)"
                        rf"(?P<c>{NUM})\s+{TIME_UNIT}")
_AND_PCT = re.compile(rf"^\s*(?:and|,)\s+(?P<c>{NUM})\s?%")
_ARM = re.compile(r"^\s*(?:in|with|for|among)\s+(?:the\s+)?(?P<arm>[A-Za-z][\w+/-]*(?:\s+[\w+/-]+){0,3}?)"
                  r"(?:\s+(?:arm|group|cohort)s?\b|(?=\s*[,;(]|\s+(?:vs|versus|v|compared)\b))")
_BEFORE = re.compile(rf"(?P<v>{NUM})\s?%\s*\)?\s+(?:of\s+(?:the\s+|all\s+)?(?:patients|pts|participants)\s+)?"
                     r"(?:patients\s+|pts\s+)?(?:(?:achieved|had|attained|obtained|showed|reached|demonstrated|"
                     r"experienced|underwent|developed)\s+(?:an?\s+|a\s+major\s+|major\s+)?)?$", re.I)
_FILLER_MAX = 50


def find_outcomes(sentence: str) -> list[OutcomeMatch]:
    """Outcomes stated in one sentence (sentence offsets). Empty when anything is ambiguous."""
    text = _normalise(sentence)
    if _SENTENCE_NEG.search(text) or _BACKGROUND.search(text):
        return []
    cues = _cue_spans(text)
    claims: list[OutcomeMatch] = []
    for i, (start, end, endpoint, kind, m) in enumerate(cues):
        limit = cues[i + 1][0] if i + 1 < len(cues) else len(text)
        after = text[end:limit]
        found = _after_cue(text, start, end, endpoint, kind, m, after)
        if found is None:
            found = _before_cue(text, start, end, endpoint, kind, m, cues[i - 1][1] if i else 0)
        if found is not None:
            claims.append(found)
    claims += _grade3_events(text)
    return _resolve(claims)


def _after_cue(text, start, end, endpoint, kind, m, after) -> OutcomeMatch | None:
    rx = _VALUE_PCT if kind == "%" else _VALUE_TIME
    v = rx.match(after)
    if v is None:
        return None
    pre = v.group("pre")
    if len(pre) > _FILLER_MAX or _NEG.search(pre) or "+" in pre or "/" in pre or "," in pre \
            or (kind == "%" and re.search(r"\band\b", pre)):
        return None  # too far, negated or a threshold, or the value belongs to the next item of a list
    unit = "%"
    comparator = None
    value_end = end + v.end()
    if kind == "time":
        u = v.group("u").lower()
        unit = "months" if u.startswith("mo") else "years" if u.startswith("year") else "weeks"
        if v.group("and"):
            joiner = v.group("and").split()[0].lower()
            if joiner == "and" and not re.search(r"\brespectively\b", text, re.I):
                return None
            # "median EFS and OS were 17 and 19 months": the second number is another endpoint
            comparator = None if re.search(r"\band\b", pre) else float(v.group("c"))
    rest = text[value_end:]
    if kind == "%" and re.match(r"\s*(?:of\s+)?(?:bone\s+)?(?:marrow\s+)?blasts?\b", rest, re.I):
        return None  # a blast percentage, not a rate
    if comparator is None:
        comp_rx = _COMP_PCT if kind == "%" else _COMP_TIME
        c = comp_rx.match(rest)
        if c and not _NEG.search(c.group("fill")):
            if kind == "time" and _unit(c.group("u")) != unit:
                return None
            comparator = float(c.group("c"))
        elif kind == "%" and re.search(r"\brespectively\b", text, re.I):
            a = _AND_PCT.match(rest)
            if a:
                comparator = float(a.group("c"))
    if endpoint == "overall_survival_at_years" and m.groupdict().get("yrs") is None \
            and re.match(r"\s+at\s+\d+\s+years?", rest) is None:
        return None
    arm_m = _ARM.match(rest)  # arm after the value ("45% in the X arm")
    arm = arm_m.group("arm") if arm_m else None
    if arm_m is None:
        a2 = re.search(r"\b(?:in|with|for)\s+(?:the\s+)?(?P<arm>[A-Za-z][\w+/-]*(?:\s+[\w+/-]+){0,2}?)\s+"
                       r"(?:arm|group|cohort)\b", pre)
        arm = a2.group("arm") if a2 else None
    n = _n_after(rest)
    tail = _tail(text, value_end)
    hr, ci = _hr_ci(tail)
    p = _p_value(tail)
    return OutcomeMatch(endpoint, float(v.group("v")), unit, start, value_end, arm, comparator, n, p, hr, ci)


def _before_cue(text, start, end, endpoint, kind, m, prev_end) -> OutcomeMatch | None:
    """'32 patients (40%) achieved a complete response', '30% obtained complete or partial remission'."""
    if kind != "%" or endpoint in ("overall_survival_at_years",):
        return None
    head = text[prev_end:start]
    b = _BEFORE.search(head)
    if b is None:
        return None
    v_start = prev_end + b.start()
    before = text[:v_start]
    if re.search(r"(?:\d\s*%?\s*-|\bto|[<>≤≥])\s*$", before):
        return None  # a range or a threshold ("0-28% response rates")
    n = None
    k = re.search(r"(?P<k>\d+)\s*/\s*(?P<n>\d+)\s*\(\s*$", before)
    if k:
        n = int(k.group("n"))
    tail = _tail(text, end)
    return OutcomeMatch(endpoint, float(b.group("v")), "%", v_start, end, None, None, n, _p_value(tail),
                        None, None)


def _grade3_events(text: str) -> list[OutcomeMatch]:
    """'grade 3-4 adverse events included neutropenia (20%) and anaemia (15%)'."""
    g = _GRADE3.search(text)
    if g is None:
        return []
    out = []
    seen = set()
    for m in _AE_RX.finditer(text, g.end()):
        event = _AE_EVENTS[m.group("ev").lower()]
        if event in seen:
            return []  # the same event twice: two arms or two grades, ambiguous
        seen.add(event)
        n = int(m.group("n")) if m.group("n") else None
        comp = re.match(rf"\s*(?:vs\.?|versus)\s+(?:\w+\s*\[)?(?P<c>{NUM})\s?%", text[m.end():])
        out.append(OutcomeMatch("grade3plus_adverse_event_rate", float(m.group("v")), "%", m.start(), m.end(),
                                comparator_value=float(comp.group("c")) if comp else None, n=n, event=event))
    return out


def _resolve(claims: list[OutcomeMatch]) -> list[OutcomeMatch]:
    """One reading per number: a value span claimed by two endpoints is dropped."""
    by_value: dict[tuple[int, int], list[OutcomeMatch]] = {}
    for c in claims:
        by_value.setdefault((c.start, c.end), []).append(c)
    out = []
    for group in by_value.values():
        if len({c.endpoint for c in group}) == 1:
            out.append(group[0])
    seen = set()
    result = []
    for c in sorted(out, key=lambda c: c.start):
        key = (c.endpoint, c.value, c.comparator_value, c.event)
        if key not in seen:
            seen.add(key)
            result.append(c)
    return result


def _unit(u: str) -> str:
    u = u.lower()
    return "months" if u.startswith("mo") else "years" if u.startswith("year") else "weeks"


def _n_after(rest: str) -> int | None:
    s = _N_SLASH.match(rest)
    if s:
        return int(s.group("n"))
    o = _N_OF.match(rest)
    if o:
        return int(o.group("n"))
    return None


def _tail(text: str, pos: int) -> str:
    """The rest of the clause after a value, up to the next outcome-ish value outside brackets."""
    rest = text[pos:pos + 160]
    depth = 0
    for i, ch in enumerate(rest):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth < 0:
                return rest[: i + 1]
        elif depth <= 0 and ch == ";":
            return rest[:i]
        elif depth <= 0 and rest.startswith(", and", i):
            return rest[:i]
    return rest


def sentence_outcomes(sentence: str, evidence: Evidence, offset: int = 0) -> list[ExtractedOutcome]:
    """ExtractedOutcome records of one abstract sentence; `evidence` is the sentence's provenance."""
    del offset
    return [
        ExtractedOutcome(endpoint=o.endpoint, value=o.value, unit=o.unit, arm=o.arm,
                         comparator_value=o.comparator_value, n=o.n, p=o.p, hr=o.hr, ci=o.ci,
                         text=sentence[o.start:o.end], evidence=evidence, event=o.event)
        for o in find_outcomes(sentence)
    ]

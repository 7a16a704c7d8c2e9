"""Split a trial's eligibility criteria into inclusion/exclusion parts and single items.

Registry text is free-form: headings come as "Inclusion Criteria:", "INCLUSION CRITERIA",
"Key Inclusion Criteria:", "**Exclusion criteria**", "Criteria for exclusion:", "Exclusion:",
and items as "-", "*", "•", "1.", "a)" bullets or plain lines. Every span returned here is an
offset into the text given, so callers can place it inside a Document.

Scope: some criteria are not about the trial's (MDS) patients — "Donor Inclusion Criteria:",
"Inclusion criteria for the AML cohort:", a "Donors:" sub-list, "(AML cohort only)". Such parts
and items carry a `scope` ("donor", "cohort:AML") and a part with a scope gets the kind `body`,
so the extractor, which reads a registry record's conditions only from inclusion/exclusion/
eligibility sections, does not apply them to the patients; `criteria_kind` keeps what they were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mdskg.scopes import ARM_PREFIX, is_arm

_HEADING = re.compile(
    r"""
    ^[ \t]*(?:\#{1,6}[ \t]*)?[*_]{0,2}[ \t]*
    (?P<who>(?:
        (?:(?:HLA[ \t-]*(?:identical|matched)|matched|related|unrelated|sibling|haplo(?:identical)?|stem[ \t]+cell
           |healthy|potential|allogeneic)[ \t]+)*(?:donors?|recipients?|patients?|participants?|subjects?)(?:['’]s?)?
      | (?:AML|MDS|CMML|MPN|ALL|CLL|MF|[A-Z]{2,6}(?:/[A-Z]{2,6})?)[ \t]+(?:cohorts?|arms?|groups?|patients)
      | (?:cohort|arm|part|group|stage|phase|step)[ \t]+[A-Za-z0-9]{1,4}(?:[ \t]*\([^)\n]{1,30}\))?
    )[ \t]*[-–:]?[ \t]*)?
    (?:(?:key|main|major|principal|general|other|additional|specific)[ \t]+)?
    (?:
        (?P<kind>inclusion|exclusion)(?P<criteria>[ \t]+criteri(?:a|on))?
      | criteria[ \t]+(?:for[ \t]+)?(?P<kind_after>inclusion|exclusion)(?P<criteria_after>)
    )
    (?:[ \t]+(?:for|of|in)[ \t]+[^\n:*_]{1,60}(?=[*_]{0,2}[ \t]*[:：])|[ \t]*\([^)\n]{0,60}\))?
    [ \t]*[*_]{0,2}[ \t]*(?P<mark>[:：\-–—.])?[ \t]*[*_]{0,2}[ \t]*
    (?P<inline>[^\n]*?)[ \t]*$
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)

# A bullet or enumerator at the start of a line: -, *, •, 1., 1), a., (a), ii)
_BULLET = re.compile(
    r"^[ \t]*(?:[-*•·◦▪‣–—]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\([ivxIVX]{1,4}\)|[ivx]{1,4}[.)])[ \t]+"
)


@dataclass(frozen=True)
class EligibilityPart:
    """One stretch of criteria: `kind` is inclusion, exclusion or eligibility (unlabelled)."""

    kind: str  # "body" when the part has a scope (its criteria are not the patients')
    heading: str
    start: int  # content only: the heading line is not part of the span
    end: int
    scope: str | None = None  # None: the trial's patients; "donor"; "cohort:AML", …
    criteria_kind: str | None = None  # inclusion/exclusion/eligibility, also for a scoped part

    def __post_init__(self) -> None:
        if self.criteria_kind is None:
            object.__setattr__(self, "criteria_kind", self.kind)


class CriterionItem(str):
    """One criterion; the string equals `text[start:end]` of the text it came from."""

    start: int
    end: int
    scope: str | None  # None: about the trial's patients; "donor", "cohort:AML", …
    denied: bool  # under a parent line that denies its sub-items ("No uncontrolled illness, such as:")
    # Under a parent that asks for some of its sub-items: ("any", parent start) for "one of the following:",
    # ("several", parent start) for "two or more of the following:"; ("defined", parent start) under a line whose
    # sub-items define a term ("The following are considered adverse abnormalities:"); None otherwise.
    alternatives: tuple[str, int] | None

    def __new__(cls, text: str, start: int, end: int, scope: str | None = None,
                denied: bool = False, alternatives: tuple[str, int] | None = None) -> CriterionItem:
        item = super().__new__(cls, text[start:end])
        item.start = start
        item.end = end
        item.scope = scope
        item.denied = denied
        item.alternatives = alternatives
        return item


# ---- scope ----------------------------------------------------------------------------------

_DONOR = re.compile(r"\bdonors?\b", re.IGNORECASE)
_PATIENT = re.compile(r"\b(?:recipients?|patients?|participants?|subjects?)\b", re.IGNORECASE)
_MDS = re.compile(r"\bMDS\b|myelodysplas", re.IGNORECASE)
_OTHER_DISEASE = re.compile(
    r"(?-i:\b(?:AML|APL|CMML|MPN|ALL|CLL|CML|MF|NHL)\b)|\bacute\s+(?:myeloid|myelogenous|promyelocytic)\s+leuka?emia\b"
    r"|\bchronic\s+myelomonocytic\b|\bchronic\s+(?:myelogenous|myeloid)\s+leuka?emia\b"
    r"|\bmyeloproliferative\b|\bmyelofibrosis\b|\bacute\s+lympho(?:blastic|cytic)\b|\bchronic\s+lymphocytic\b|\blymphomas?\b"
    r"|\bmyelomas?\b|\bsolid\s+tumou?rs?\b|\bhealthy\s+volunteers?\b",
    re.IGNORECASE,
)
_DISEASE_CODES = {"acute myeloid": "AML", "acute myelogenous": "AML", "acute promyelocytic": "AML", "apl": "AML",
                  "chronic myelomonocytic": "CMML", "chronic myelogenous": "CML", "chronic myeloid": "CML",
                  "myeloproliferative": "MPN", "acute lymphoblastic": "ALL", "acute lymphocytic": "ALL",
                  "chronic lymphocytic": "CLL"}
# "Donors:", "For the AML cohort:", "AML cohort only: …" — a label that sets the scope.
_SCOPE_LABEL = re.compile(
    r"^(?:for\s+|in\s+)?(?:the\s+|all\s+)?(?P<label>[^:\n]{2,60}?)\s*(?:\(?only\)?)?\s*[:：]\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_SCOPE_WORD = re.compile(r"\b(?:donors?|recipients?|patients?|cohorts?|arms?|groups?|part|participants?)\b"
                         r"|" + _OTHER_DISEASE.pattern, re.IGNORECASE)
# "(AML cohort only)", "(for donors)", "in the AML cohort", "for the AML arm".
_SCOPE_INLINE = re.compile(
    r"\((?:for\s+|in\s+)?(?:the\s+)?(?P<paren>[^()\n]{0,30}?\b(?:cohorts?|arms?|groups?|donors?)\b[^()\n]{0,15})\)"
    r"|\b(?:for|in)\s+(?:the\s+)?(?P<phrase>[\w/-]+(?:\s+[\w/-]+)?\s+(?:cohorts?|arms?|groups?|subjects|patients"
    r"|participants))\b",
    re.IGNORECASE,
)
# "Donors must be …", "Donor: age 18–60": an item about the donor, not "donor available".
_DONOR_ITEM = re.compile(r"^(?:the\s+|all\s+|potential\s+|related\s+|unrelated\s+|sibling\s+)*donors?['’]?s?"
                         r"(?:\s*[:\-–]|\s+(?:must|should|shall|is|are|will|aged?|has|have|with|without|needs?|who"
                         r"|may|can(?:not)?|of\s+age)\b)", re.IGNORECASE)


# A part of the trial named by its label: "Cohorts A, A2, B, and B2", "phase 2", "Part 2 group 1", "dose
# expansion". A bare "cohort" or "arm" without a name is not one (it may be the whole trial's).
_ARM_NAME = r"(?:[A-H]\d?|\d{1,2}[a-c]?|I{1,3}V?|IV)\b"
_ARM_WORD = r"(?:cohorts?|arms?|parts?|phases?|groups?|strat(?:um|a))"
_NAMED_ARM = _ARM_WORD + r"\s+" + _ARM_NAME + r"(?:\s*(?:,|and|or|&)\s*(?:and\s+)?" + _ARM_NAME + r")*"
ARM = re.compile(
    r"\b(?P<arm>" + _NAMED_ARM + r"(?:\s+(?:in\s+|of\s+)?(?:the\s+)?" + _NAMED_ARM + r")*"
    r"|dose[- ](?:escalation|expansion)(?:\s+(?:cohorts?|part|phase))?|expansion\s+(?:cohorts?|part|phase))",
    re.IGNORECASE,
)

# "participants in phase 2 should have …", "For phase 3, …", "(Part 2 only)"; not "in phase 1 trials before".
# "during the expanded phase II portion only" too.
_ARM_INLINE = re.compile(r"(?:\b(?:for|in|during)\s+(?:the\s+)?(?:(?:expanded|expansion|dose[- ]escalation"
                         r"|dose[- ]expansion|randomi[sz]ed)\s+)?|\()(?P<arm>" + _NAMED_ARM + r"|dose[- ](?:escalation|expansion))"
                         r"(?!\s+(?:trials?|stud(?:y|ies)|clinical|investigational|agents?|drugs?))", re.IGNORECASE)


def arm_scope(label: str) -> str | None:
    """'arm:<name>' when the label names one part of the trial (see ARM), else None."""
    match = ARM.search(label)
    if match is None:
        return None
    return ARM_PREFIX + re.sub(r"\s+", " ", match.group("arm")).strip().lower().replace(" of the study", "")


# A label that asks the patient for a donor ("Must have a related donor who is:"), and words that keep a line about
# that donor (HLA typing, matching, the donor's own health).
_DONOR_REQUEST = re.compile(r"(?:patients?\s+)?(?:must|should)\s+have\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}donors?\b",
                            re.IGNORECASE)
_ABOUT_DONOR = re.compile(r"\bdonors?\b|\bHLA\b|\bhaplo\w*|\bmatched\b|\bmismatch\w*|\bgenotypic\w*|\bleukapheresis\b"
                          r"|\bapheresis\b|\bmobiliz\w*|\bharvest\w*", re.IGNORECASE)


def asks_for_donor(scope: str | None, label: str) -> bool:
    """Whether a donor label asks the patient to have a donor ("Must have a related donor who is:")."""
    return scope == "donor" and bool(_DONOR_REQUEST.match(label.strip()))


def patients_line_under(scope: str | None, donor_request: bool, content: str) -> str | None:
    """The scope a line keeps under a label: under a label asking for a donor, only lines about the donor are the
    donor's; registry text often lists the patient's own organ function after them, at the same level."""
    if donor_request and scope == "donor" and not _ABOUT_DONOR.search(content):
        return None
    return scope


# "Suitable donor identified:", "Donor available:": a label saying the patient has a donor is the patient's line
_DONOR_FOUND = re.compile(r"\bdonors?\s+(?:(?:has|have)\s+been\s+|is\s+|are\s+)?(?:identified|available|found|secured"
                          r"|confirmed|in\s+place|on\s+hand)\b|\b(?:availability|identification)\s+of\s+(?:an?\s+)?"
                          r"(?:[\w-]+\s+){0,3}donors?\b", re.IGNORECASE)


def scope_of(label: str) -> str | None:
    """The scope a heading or label names: 'donor', 'cohort:AML', 'arm:phase 2', or None for the MDS patients.

    Donors unless recipients/patients are also named; another disease's cohort unless MDS is
    also named ("patients with MDS or AML" are the trial's patients); one part of the trial when the
    label names it ("For participants in Cohorts C1 and C2:")."""
    if _DONOR.search(label) and not _PATIENT.search(label) and not _DONOR_FOUND.search(label):
        return "donor"
    disease = _OTHER_DISEASE.search(label)
    if disease and not _MDS.search(label):
        name = disease.group()
        code = next((c for words, c in _DISEASE_CODES.items() if name.lower().startswith(words)), None)
        return f"cohort:{code or (name if name.isupper() else name.lower())}"
    return arm_scope(label)


def _label_scope(content: str) -> tuple[bool, str | None, bool]:
    """(is a scope label, its scope, label only — nothing after the colon) for one line's content."""
    match = _SCOPE_LABEL.match(content.strip())
    label = match.group("label") if match else ""
    if not match or not _SCOPE_WORD.search(label) or re.search(r"[<>≤≥=]|\d+\s*%", label):
        return False, None, False
    if len(label.split()) > 8:
        return False, None, False
    return True, scope_of(label), not match.group("rest").strip()


_LEADING_DISEASE = re.compile(
    r"(?:(?:primary|secondary|de\s+novo|untreated|newly\s+diagnosed|relapsed|refractory|confirmed|diagnosis\s+of|evidence\s+of"
    r"|histologically\s+confirmed|patients\s+with|or|and|with|high[\s-]risk|poor[\s-]risk|adult|acute|chronic|advanced"
    r"|(?:therapy|treatment)[\s-]related)\s+)*",  # "Secondary or therapy-related AML"
    re.IGNORECASE,
)


_CO_ENROLLED_DISEASES = frozenset({"cohort:AML", "cohort:CMML", "cohort:MPN"})


def leading_disease_scope(content: str) -> str | None:
    """The cohort scope of an item that opens with another disease's name ('Secondary AML in
    remission', 'Chronic myelogenous leukemia in blast phase'); None when it opens otherwise or
    names MDS too. Used for sub-items of a list of diseases, where each alternative is one disease."""
    lead = _LEADING_DISEASE.match(content)
    rest = content[lead.end() if lead else 0 :]
    disease = _OTHER_DISEASE.match(rest)
    if disease is None and not re.match(r"(?:myelogenous|myeloid|promyelocytic|lymphoblastic|lymphocytic)\s+leuka?emia"
                                        r"|CML\b", rest, re.IGNORECASE):
        return None
    # The disease the line opens with, up to its first colon or bracket: "Acute myelogenous leukemia: high risk CR1
    # (as evidenced by preceding MDS ...)" is about AML, whatever history it names later.
    heading = re.split(r"[:(;]", content, maxsplit=1)[0]
    return scope_of(heading[:80])


def line_scope(content: str) -> str | None:
    """Scope written on a criterion line itself: 'For the AML cohort: …', '… (AML cohort only)',
    'Donors must be …'."""
    is_label, scope, _ = _label_scope(content)
    if is_label and scope:
        return scope
    if _DONOR_ITEM.match(content.strip()):
        return "donor"
    for match in _SCOPE_INLINE.finditer(content):
        scope = scope_of(match.group("paren") or match.group("phrase"))
        if scope:
            return scope
    arm = _ARM_INLINE.search(content)
    return arm_scope(arm.group("arm")) if arm else None


def eligibility_parts(text: str) -> list[EligibilityPart]:
    """Labelled parts of the criteria text, in order; one `eligibility` part if no headings."""
    headings = list(_headings(text))
    if not headings:
        start, end = _trim(text, 0, len(text))
        return _scoped_parts(text, "eligibility", "Eligibility Criteria", start, end, None) if start < end else []

    parts = []
    preamble = _trim(text, 0, headings[0][1])
    if preamble[0] < preamble[1]:
        parts += _scoped_parts(text, "eligibility", "Eligibility Criteria", *preamble, None)
    for index, (kind, _line_start, content_start, heading) in enumerate(headings):
        next_start = headings[index + 1][1] if index + 1 < len(headings) else len(text)
        start, end = _trim(text, content_start, next_start)
        parts += _scoped_parts(text, kind, heading, start, max(start, end), scope_of(heading))
    return parts


def _scoped_parts(text: str, kind: str, heading: str, start: int, end: int,
                  scope: str | None) -> list[EligibilityPart]:
    """One part, or several when lines inside it are scoped ('Donors:' sub-list, '(AML cohort only)')."""
    runs: list[list] = []  # [start, end, scope]
    for line_start, line_end, line_scope_ in _line_scopes(text, start, end, scope):
        if runs and runs[-1][2] == line_scope_:
            runs[-1][1] = line_end
        else:
            runs.append([line_start, line_end, line_scope_])
    parts = []
    for run_start, run_end, run_scope in runs:
        run_start, run_end = _trim(text, run_start, run_end)
        if run_start >= run_end and len(runs) > 1:
            continue
        if run_scope is None:
            parts.append(EligibilityPart(kind, heading, run_start, max(run_start, run_end)))
        else:
            title = heading if scope_of(heading) == run_scope else f"{heading} [scope: {run_scope}]"
            parts.append(EligibilityPart("body", title, run_start, max(run_start, run_end), run_scope, kind))
    return parts or [EligibilityPart(kind, heading, start, end) if scope is None
                     else EligibilityPart("body", heading, start, end, scope, kind)]


def _line_scopes(text: str, start: int, end: int, base: str | None):
    """(line start, line end, scope) for each line in [start, end); blank and continuation lines
    take the scope of the line before."""
    label_scope = base
    previous = base
    after_blank = True
    donor_request = False  # as in criteria_items: the label asks the patient for a donor
    for line_start, line in _lines(text[start:end]):
        line_start += start
        line_end = line_start + len(line)
        if not line.strip():
            after_blank = True
            yield line_start, line_end, previous
            continue
        bullet = _BULLET.match(line)
        content = line[bullet.end():] if bullet else line
        is_label, scope, label_only = _label_scope(content)
        if is_label and label_only and not bullet:
            # A bulleted "- AML with any of these:" scopes only its sub-items (criteria_items nests them).
            label_scope = scope or base
            current = label_scope
            donor_request = asks_for_donor(scope, content)
        elif not bullet and not after_blank:
            current = line_scope(content) or previous  # a wrapped line continues its item
        else:
            current = line_scope(content) or label_scope
            if patients_line_under(current, donor_request, content) is None:
                current = base
        after_blank = False
        previous = current
        # One part of the trial (a cohort, a phase) is still the patients': its lines stay in their list, and
        # each item carries the part (criteria_items); only donors and other diseases' cohorts are split out.
        yield line_start, line_end, None if is_arm(current) else current


def split_eligibility(text: str) -> tuple[str, str]:
    """(inclusion_text, exclusion_text) without their headings.

    Several inclusion (or exclusion) parts for the patients are joined with a blank line; parts
    with a scope (for donors, for another disease's cohort) are left out. Criteria without any
    heading are all conditions to meet, so they are returned as the inclusion text.
    """
    parts = eligibility_parts(text)
    labelled = any(part.criteria_kind != "eligibility" for part in parts)
    inclusion, exclusion = [], []
    for part in parts:
        if labelled and part.criteria_kind == "eligibility":
            continue  # a preamble before the first heading belongs to neither list
        if part.scope is not None:
            continue  # criteria for donors or another cohort are not the patients' criteria
        target = exclusion if part.kind == "exclusion" else inclusion
        target.append(text[part.start : part.end])
    return "\n\n".join(p for p in inclusion if p), "\n\n".join(p for p in exclusion if p)


def criteria_items(text: str) -> list[CriterionItem]:
    """One item per bullet or per unbulleted paragraph line; headings are not items.

    An unbulleted line directly under an item (no blank line between) continues that item,
    which is how hard-wrapped registry text reads. Each item's `scope` says whom it is about
    (None: the patients; see `scope_of`), from a heading, a 'Donors:' label or the item itself.
    """
    items: list[CriterionItem] = []
    current: tuple[int, int, str | None] | None = None  # (start, end, scope) of the item being built
    after_blank = True
    label_scope: str | None = None  # from the last heading or scope label
    donor_request = False  # the last label asks the patient to have a donor (see below)
    # (indent, scope for its sub-items, whether it denies them) of the open "…:" items above this line
    parents: list[tuple[int, str | None, bool, tuple[str, int] | None]] = []
    kind = "eligibility"
    kinds: list[str] = []  # the list (inclusion/exclusion/eligibility) of each item, aligned with `items`
    for line_start, line in _lines(text):
        if not line.strip():
            after_blank = True
            continue
        heading = _HEADING.fullmatch(line)
        if heading and _is_heading(heading):
            _flush(items, text, current)
            kinds += [kind] * (len(items) - len(kinds))
            current = None
            parents.clear()
            kind = (heading.group("kind") or heading.group("kind_after") or "eligibility").lower()
            label_scope = scope_of(line[: heading.start("inline")] if heading.group("inline") else line)
            donor_request = False
            if heading.group("inline"):  # "Exclusion criteria: prior HSCT" carries an item
                inline = heading.group("inline")
                current = (line_start + heading.start("inline"), line_start + heading.end("inline"),
                           line_scope(inline) or label_scope, False, None)
            after_blank = True
            continue
        bullet = _BULLET.match(line)
        content_offset = bullet.end() if bullet else len(line) - len(line.lstrip())
        content_start = line_start + content_offset
        content_end = line_start + len(line.rstrip())
        content = text[content_start:content_end]
        continues = current is not None and not bullet and not after_blank
        if continues and not text[current[0] : current[1]].endswith(":"):
            current = (current[0], content_end, current[2] or line_scope(content), current[3], current[4])
        else:
            _flush(items, text, current)
            kinds += [kind] * (len(items) - len(kinds))
            indent = len(line) - len(line.lstrip())
            while parents and parents[-1][0] >= indent:
                parents.pop()
            is_label, scope, label_only = _label_scope(content)
            if is_label and label_only and not bullet:
                label_scope = scope
                # "Must have a related donor who is:" asks the patient for a donor; registry text often lists the
                # donor's attributes and then, at the same level, the patient's own organ function.
                donor_request = asks_for_donor(scope, content)
            elif is_label and not bullet:
                donor_request = False
            inherited = patients_line_under(parents[-1][1] if parents else label_scope, donor_request, content)
            # "Diagnosis of one of the following:" / "- Primary AML meeting any of these:" / "- First CR …":
            # a sub-item is about the disease its parent line names.
            # A top-level line opening with a disease the trial's MDS patients cannot have ("Advanced myelofibrosis
            # resistant to therapy, or untreated with haemoglobin < 10 g/dL") is that disease's cohort too; a line
            # opening with AML or CMML may still set limits for everyone, and keeps the scope it had.
            lead = leading_disease_scope(content)
            if not parents and lead in _CO_ENROLLED_DISEASES:
                lead = None
            scope = line_scope(content) or lead or inherited
            denied = sum(p[2] for p in parents) % 2 == 1
            alternatives = parents[-1][3] if parents else None
            current = (content_start, content_end, scope, denied, alternatives)
            if content.rstrip().endswith(":"):
                parents.append((indent, scope, bool(_DENYING_PARENT.match(content)),
                                _quantifier(content, content_start)))
        after_blank = False
    _flush(items, text, current)
    kinds += [kind] * (len(items) - len(kinds))
    return _disease_alternatives(items, kinds, text)


def _disease_alternatives(items: list[CriterionItem], kinds: list[str], text: str) -> list[CriterionItem]:
    """Inclusion items that each open with a disease ('High-risk AML defined as …', 'MDS with IPSS …') are
    alternatives: when one of them is MDS, the others are about their own disease's patients. Exclusion
    items keep no such scope ('AML (blasts > 20%)' there excludes the trial's own patients)."""
    leads = [_leading_disease(str(item)) if kinds[i] != "exclusion" else None for i, item in enumerate(items)]
    if "MDS" not in leads:
        return items
    out = []
    scoped_parents: list[tuple[int, str]] = []  # (indentation, scope) of the disease lines given a scope here
    for index, (item, lead) in enumerate(zip(items, leads, strict=True)):
        indent = item.start - text.rfind("\n", 0, item.start) - 1
        while scoped_parents and (scoped_parents[-1][0] >= indent or kinds[index] == "exclusion"):
            scoped_parents.pop()
        if lead not in (None, "MDS") and item.scope is None:
            scope = scope_of(str(item)[:80])
            if scope is not None:
                item = CriterionItem(text, item.start, item.end, scope, item.denied, item.alternatives)
                scoped_parents.append((indent, scope))
        elif lead not in (None, "MDS") and item.scope is not None and item.scope.startswith("cohort:"):
            scoped_parents.append((indent, item.scope))
        elif scoped_parents and item.scope is None and lead is None:
            # a sub-item of that disease's line ("- CML in blast phase" / "  - progressed on imatinib") is about
            # that disease's patients too
            item = CriterionItem(text, item.start, item.end, scoped_parents[-1][1], item.denied, item.alternatives)
        out.append(item)
    return out


def _leading_disease(content: str) -> str | None:
    """'MDS' or another disease's code when the item opens with a disease name, else None."""
    lead = _LEADING_DISEASE.match(content)
    rest = content[lead.end() if lead else 0 :]
    if re.match(r"(?:CD34\+\s+)?(?:MDS\b|myelodysplas)", rest, re.IGNORECASE):
        return "MDS"
    rest = re.sub(r"^CD34\+\s+", "", rest)
    if _OTHER_DISEASE.match(rest) or re.match(r"(?:myelogenous|myeloid|promyelocytic|lymphoblastic|lymphocytic)\s+leuka?emia|CML\b",
                                               rest, re.IGNORECASE):
        return "other"
    return None


# "No uncontrolled illness, for example any of the following:", "Patients cannot take part if
# any of these apply:": the sub-items are what the patient must NOT have.
_DENYING_PARENT = re.compile(
    r"(?:no|none|not|without|absence\s+of)\b(?!\s+(?:more|less|fewer|greater)\b)"
    r"|(?:patients?|subjects?|participants?)\s+(?:are|is|will\s+be)\s+(?:not\s+eligible|ineligible|excluded)"
    r"|(?:must|should)\s+not\s+(?:have|meet)|(?:any|one)\s+of\s+the\s+following\s+(?:exclud|make\w*\s+ineligible)",
    re.IGNORECASE,
)


_SEVERAL = re.compile(r"\b(?:more\s+than\s+one|at\s+least\s+(?:two|three|2|3)|(?:two|three|2|3)\s+or\s+more)\b",
                      re.IGNORECASE)
_ANY = re.compile(r"\b(?:any|one|either|at\s+least\s+one|1)\s+(?:\w+\s+)?of\s+the\s+following\b|\bany\s+of\s+(?:these|them)\b"
                  r"|\bas\s+(?:indicated|defined|evidenced)\s+by\s+any\b", re.IGNORECASE)


# "The following are considered adverse abnormalities:": the sub-items define a term the line above uses; they ask
# nothing of the patient on their own.
_DEFINITION_LIST = re.compile(r"\bfollowing\s+(?:are|is|will\s+be)\s+(?:considered|regarded|defined|deemed|classified"
                              r"|counted)\b|\b(?:is|are)\s+defined\s+as(?:\s+follows)?\s*:\s*$", re.IGNORECASE)


def _quantifier(content: str, start: int) -> tuple[str, int] | None:
    """What a parent line asks of its sub-items: several of them, any one of them, or (None) all; ("defined",
    start) for a list that defines a term ("The following are considered high-risk features:")."""
    if _DEFINITION_LIST.search(content):
        return ("defined", start)
    if _SEVERAL.search(content):
        return ("several", start)
    if _ANY.search(content):
        return ("any", start)
    return None


# "Cohort A: …; Cohort B: …", "Dose-escalation part: …; expansion part: …": after a ";" a label naming another part of
# the trial starts that part's criteria
_NEXT_PART = re.compile(r";\s*(?P<label>[^:;()]{2,40}?)\s*(?:\(?only\)?)?\s*:", re.IGNORECASE)


def _flush(items: list[CriterionItem], text: str, span: tuple | None) -> None:
    # A bullet with nothing after it (seen in real records) is not a criterion.
    if span is not None and span[0] < span[1] and text[span[0] : span[1]].strip(" -*•"):
        start, end, scope, *rest = span
        if is_arm(scope):
            for part in _NEXT_PART.finditer(text, start, end):
                label = part.group("label").strip()
                part_scope = arm_scope(label)
                if part_scope is None or part_scope == scope or len(label.split()) > 4:
                    continue
                # one line, two parts: each part's criteria are its own
                items.append(CriterionItem(text, start, part.start(), scope, *rest))
                start, scope = part.start() + 1, part_scope
        items.append(CriterionItem(text, start, end, scope, *rest))


def _headings(text: str):
    """(kind, line_start, content_start, heading_text) for each criteria heading line."""
    for match in _HEADING.finditer(text):
        if not _is_heading(match):
            continue
        kind = (match.group("kind") or match.group("kind_after")).lower()
        inline = match.group("inline")
        content_start = match.start("inline") if inline else min(match.end() + 1, len(text))
        heading = text[match.start() : match.start("inline") if inline else match.end()]
        yield kind, match.start(), content_start, heading.strip(" \t*_#:-–—.")


def _is_heading(match: re.Match) -> bool:
    has_word_criteria = match.group("criteria") is not None or match.group("criteria_after") is not None
    has_mark = match.group("mark") is not None
    if match.group("inline"):
        # "Inclusion criteria: age ≥ 18" is a heading with content; "Inclusion of women" is not.
        return match.group("mark") in (":", "：")
    return has_word_criteria or has_mark


def _lines(text: str):
    offset = 0
    for line in text.splitlines(keepends=True):
        yield offset, line.rstrip("\r\n")
        offset += len(line)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end

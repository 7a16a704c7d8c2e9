"""Named conditions in trial eligibility items: pregnancy, HIV, active infection, another cancer,
APL, therapy-related disease, fitness for intensive chemotherapy or transplant, donors, platelet-transfusion
need, earlier treatment lines. Disease status ("relapsed", "in remission") is left out: in real
records it is mostly part of another disease's definition list, and read alone it misleads.

Pure functions over one criterion item's text; no spaCy, no ontology. Each finding is a
`Threshold` on a boolean or category variable of model.yaml's `criterion_variables` with the
polarity the words give ("no active infection" → active_infection == false); the caller adds
the role from the list the item is in (inclusion → required, exclusion → excludes). Numbers
(labs, scores) are the threshold parser's (etl/nlp/thresholds.py), except the two conditions
that are about a count or a time span rather than a lab: years since another cancer
(`other_cancer_years`, a time window, never an age) and the number of earlier treatment lines.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from etl.curation import class_members_from_ontology
from mdskg.records import Threshold
from ontology import load_ontology

# ---- polarity -------------------------------------------------------------------------------

# Words before a condition, inside its clause, that deny it: "no", "without", "must not be",
# "free of", "non-"; and after it: "negative", "not allowed".
_DENIED_BEFORE = re.compile(
    r"(?:\b(?:no|not|without|absence\s+of|absent|free\s+of|lack\s+of|lacks?|lacking|neither|nor|never|non|excluding"
    r"|exclusive\s+of|except(?:ing)?|other\s+than|sero-?negative(?:\s+for)?|negative\s+for)\b"
    r"|\bnon-|\bun(?=fit|suitable|able)"
    # "…, excluding patients with APL": the people named after the exception word are the ones left out
    r"|\b(?:excluding|except(?:ing)?|other\s+than)\s+(?:(?:all\s+|any\s+)?(?:patients|subjects|participants|those"
    r"|people|persons|individuals|cases)\s+)?(?:with|having|who\s+have)\b)(?:(?!\b(?:and|but|or|with|if|unless)\b)[^;:.])*$",
    re.IGNORECASE,
)
_DENIED_AFTER = re.compile(
    r"^[\s,()-]*(?:status\s+)?(?:is\s+|must\s+be\s+|are\s+)?(?:negative|sero-?negative|absent|excluded|not\s+allowed"
    r"|not\s+permitted|ineligible|is\s+not\s+allowed)\b",
    re.IGNORECASE,
)
_CLAUSE_START = re.compile(r"[;:]|\.\s|\b(?:unless|but|including|such\s+as)\b"
                           r"|\bnot\s+limited\s+to\b", re.IGNORECASE)


def _clause_before(text: str, start: int, reach: int = 60) -> str:
    window = text[max(0, start - reach) : start]
    cut = 0
    for match in _CLAUSE_START.finditer(window):
        cut = match.end()
    return window[cut:]


# "No patients for whom a matched sibling is available", "Not patients who have ...": the item denies the
# whole clause that follows its subject, however long.
_DENIED_SUBJECT = re.compile(r"^\W*(?:no|not)\s+(?:patients?|subjects?|participants?|candidates?|persons?|people|one)\s+"
                             r"(?:for\s+whom|who|whose|with|having|that)\b(?:(?!\b(?:but|unless)\b)[^;:.])*$",
                             re.IGNORECASE)


# "Patients with an uncontrolled infection are not eligible", "… pregnancy excludes", "Not eligible: …"
# The words that say the patients a line describes may not join ("are not eligible", "excluded", "cannot be
# enrolled", "will not be included"): one list for every reader that needs them.
NOT_ENROLLED = r"(?:enrol+(?:ed)?|included|admitted|accepted|randomi[sz]ed|eligible|participate|take\s+part|join)"
# "ineligible for intensive chemotherapy" is a fitness condition the patient must meet, not a word that excludes the
# patients just described ("… are ineligible", "not eligible for this study" are)
FOR_A_TREATMENT = (r"(?!\s+(?:for|to\s+(?:receive|undergo))\b[\s,]+(?![^.;]{0,40}?\b(?:this|the\s+(?:present\s+)?"
                    r"(?:study|trial|protocol)|study|trial|protocol|participation|enrol\w*|inclusion|entry|registration)\b))")
SAID_EXCLUDED = (r"(?:\b(?:are|is|will\s+be|would\s+be)\s+)?\b(?:excluded|not\s+eligible" + FOR_A_TREATMENT
                 + r"|ineligible" + FOR_A_TREATMENT + r"|not\s+allowed"
                 r"|not\s+permitted|excludes?|cannot\s+(?:be\s+)?" + NOT_ENROLLED
                 + r"|(?:will|shall|would|may|can)\s+not\s+(?:be\s+)?" + NOT_ENROLLED + r")\b")
_EXCLUDED_LATER = re.compile(r"^[^.;]{0,50}?" + SAID_EXCLUDED, re.IGNORECASE)
EXCLUSION_LABEL = re.compile(r"^\W*(?:not\s+eligible|ineligible|excluded|exclusions?)\s*:", re.IGNORECASE)


# "not free of an active infection", "not without": a denied denial, the condition is there
_DOUBLE_DENIAL = re.compile(r"\b(?:not|never)\s+(?:(?:be|been|being|yet|currently)\s+)?(?:free\s+of|without"
                            r"|negative\s+for|lacking)\b(?:(?!\b(?:and|but|or|with|if|unless)\b)[^;:.])*$", re.IGNORECASE)


def denied(text: str, start: int, end: int) -> bool:
    """Whether the words around text[start:end] deny the condition."""
    if _DOUBLE_DENIAL.search(_clause_before(text, start, 45)):
        return False
    return bool(_DENIED_BEFORE.search(_clause_before(text, start, 45))) or bool(_DENIED_AFTER.match(text[end : end + 30])) \
        or bool(_DENIED_SUBJECT.match(text[:start])) or bool(_EXCLUDED_LATER.match(text[end:])) \
        or bool(EXCLUSION_LABEL.match(text[:start]))


# ---- boolean conditions ---------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionRule:
    variable: str
    pattern: re.Pattern
    skip_after: re.Pattern | None = None  # text right after the match that makes it another thing
    skip_before: re.Pattern | None = None  # text right before the match (same clause)
    needs: re.Pattern | None = None  # the item must also say this


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


_FITNESS = r"(?:candidates?|eligible|ineligible|fit|unfit|suitable|unsuitable|appropriate|inappropriate)"
RULES: tuple[ConditionRule, ...] = (
    ConditionRule(
        "pregnant_or_breastfeeding",
        _rx(r"\b(?:pregnan(?:t|cy|cies)|breast[\s-]?feed(?:ing)?|lactat(?:ing|ion)|nursing)\b"),
        # "pregnancy test", "nursing home"; contraception items ("to avoid pregnancy") are not the condition.
        skip_after=_rx(r"[\s-]*(?:tests?|testing|home|care|staff|potential|precautions?|prevention|category"
                       r"|registry|outcomes?)\b"),
        # ("if she becomes pregnant, or suspects that she is, while on the study": a time to come, no condition)
        skip_before=_rx(r"\b(?:avoid|avoiding|prevent|preventing|prevention\s+of|becoming|becomes?|cause|causing"
                        r"|negative|during|throughout|contracepti\w*|birth\s+control|suspects?|suspected)\b[^;.]{0,25}$"),
    ),
    ConditionRule(
        "hiv_positive",
        _rx(r"\bHIV(?:[\s-]?(?:1|2|positiv\w*|infection|infected|seropositiv\w*|disease))*\b"
            r"|\bhuman\s+immunodeficiency\s+virus\b"),
        skip_after=_rx(r"[\s-]*(?:tests?|testing|screening)\b"),
        skip_before=_rx(r"\b(?:therapy|treatment|drugs?|medications?)\s+for\s*$"),  # "antiretroviral therapy for HIV"
    ),
    ConditionRule(
        "active_infection",
        _rx(r"\b(?:active|uncontrolled|ongoing|serious|severe|systemic|untreated|life[\s-]threatening|current"
            # ("active serious viral, fungal or bacterial infection": up to six words between)
            r"|clinically\s+significant|significant)\s+(?:(?!hepatitis|HIV|HBV|HCV|viral\s+(?:hepatitis|load))[\w/-]+[\s,]+){0,6}?"
            r"infections?\b"
            r"|\binfections?\b(?=[^.;]{0,40}\b(?:uncontrolled|not\s+(?:adequately\s+)?controlled|not\s+responding)\b)"),
        skip_before=_rx(r"\bhistory\s+of\s*$"),
    ),
    ConditionRule(
        # Bleeding now: "clinically significant bleeding", "active haemorrhage"; not a bleeding disorder or a risk
        "bleeding",
        _rx(r"\b(?:active|uncontrolled|ongoing|current|serious|severe|major|clinically\s+(?:significant|relevant)"
            r"|significant|life[\s-]threatening)\s+(?:[\w-]+\s+){0,2}?(?:bleeding|bleeds?|ha?emorrhages?)\b"),
        skip_after=_rx(r"[\s-]*(?:disorders?|diathes[ie]s|tendenc\w*|risks?|events?\s+in\s+the\s+past)\b"),
        skip_before=_rx(r"\b(?:history\s+of|risk\s+of|prior|previous|past)\s*$"),
    ),
    ConditionRule(
        "active_autoimmune_disease",
        _rx(r"\b(?:active|ongoing|symptomatic)\s+(?:\w+\s+){0,2}?autoimmune\s+(?:diseases?|disorders?)\b"
            r"|\bautoimmune\s+(?:diseases?|disorders?)\b(?=[^.;]{0,40}\b(?:requir\w*|needing|treatment)\b)"),
    ),
    ConditionRule(
        # Heart disease that limits treatment; a trial's own list (failure, recent infarction, unstable angina,
        # arrhythmia, NYHA class) is one condition. A rule that only asks for a heart test after past heart
        # disease ("a history of cardiac disease should have an echocardiogram") is not this condition.
        "significant_cardiac_disease",
        _rx(r"\b(?:symptomatic|uncontrolled|unstable|decompensated|uncompensated|(?:clinically\s+)?significant"
            r"|severe|serious|active)\s+(?:[\w-]+\s+){0,3}?(?:cardiac|heart|cardiovascular|coronary)\b"
            r"|\bcongestive\s+heart\s+failure\b|\bheart\s+failure\b|\bcardiac\s+(?:insufficiency|failure)\b"
            r"|\bmyocardial\s+infarction\b|\bunstable\s+angina\b|\bNYHA\b|\bNew\s+York\s+Heart\s+Association\b"
            r"|\b(?:uncontrolled|unstable|symptomatic|significant|serious|severe)\s+(?:[\w-]+\s+){0,2}?arrhythmias?\b"),
        skip_after=_rx(r"[^.;]{0,80}\b(?:should|must)\s+(?:have|undergo|be\s+evaluated)\b"),
    ),
    ConditionRule(
        "apl",
        _rx(r"\bacute\s+promyelocytic\b|\bAPL\b|\bt\(15;\s*17\)|\bPML[\s/-]*RARA?\b|\bFAB\s+M3\b|\bAML[\s-]M3\b"),
    ),
    ConditionRule(
        "therapy_related",
        _rx(r"\b(?:therapy|treatment)[\s-]+related\b(?!\s+(?:toxicit|adverse|improvement|mortality|death|morbidity"
            r"|side|complication|AEs?\b|events?))|\bt-(?:MDS|AML|MN)\b"
            r"|\bsecondary\s+to\s+(?:prior\s+|previous\s+)?(?:chemo\w*|radi\w*|cytotoxic|alkylating)"
            # "MDS that is caused by radiotherapy or chemotherapy", "leukemia induced by alkylating agents"
            r"|\b(?:MDS|myelodysplas\w*|AML|leuka?emia|disease)\s+(?:(?:that|which)\s+(?:is|was|has\s+been)\s+)?"
            r"(?:caused\s+by|due\s+to|resulting\s+from|induced\s+by|arising\s+(?:after|from))\s+(?:prior\s+|previous\s+|earlier\s+)?"
            r"(?:chemo\w*|radi\w*|cytotoxic|alkylating)"),
    ),
    ConditionRule(
        "secondary_mds",
        _rx(r"\bsecondary\s+(?:MDS|myelodysplas\w*)"),
    ),
    ConditionRule(
        # An earlier acute myeloid leukaemia: "history of AML", "prior acute myeloid leukemia"; not a treatment
        # given for it ("prior therapy for AML") nor a transformation the trial is about.
        "prior_aml",
        _rx(r"\b(?:(?:prior|previous|past|earlier)\s+(?:history\s+of\s+|diagnosis\s+of\s+)?|history\s+of\s+)"
            r"(?:AML|acute\s+(?:myeloid|myelogenous|non-?lymphocytic)\s+leuka?emia)\b"),
        skip_after=_rx(r"[\s-]*(?:therapy|treatment|induction|chemotherapy|regimens?|protocols?)\b"),
        # "relapsed AML, defined as blasts in a patient with a known history of AML": part of a definition
        skip_before=_rx(r"\bdefined\s+as\b[^;]{0,80}$|\bin\s+(?:an?\s+)?(?:patients?|person|subjects?)\s+with\s+"
                        r"(?:(?:a|known|documented)\s+)*$"),
    ),
    ConditionRule(
        # Proliferative (myeloproliferative) CMML, not the dysplastic kind: "proliferative CMML", "MP-CMML"
        "cmml_proliferative",
        _rx(r"(?<!non-)(?<!non)\b(?:myelo)?proliferative\s+(?:type\s+|form\s+of\s+|variant\s+of\s+)?"
            r"(?:CMML|chronic\s+myelomonocytic\s+leuka?emia)\b|\bMP-?CMML\b"),
    ),
    ConditionRule(
        "intensive_chemo_candidate",
        _rx(_FITNESS + r"\s+(?:\w+\s+){0,2}?(?:for|to\s+(?:receive|undergo|have|tolerate))\s+(?:\w+\s+){0,3}?"
                       r"(?:intensive|induction|standard|high[\s-]dose"
                       r"|aggressive|remission[\s-]induction|curative)\s+(?:\w+\s+){0,2}?chemotherapy\b"
            r"|\b(?:intensive|induction)\s+chemotherapy\s+(?:is\s+)?(?:not\s+)?(?:appropriate|indicated|possible)\b"
            # "no contraindication to intensive induction therapy": a contraindication is unfitness
            r"|\bcontraindications?\s+(?:to|for|against)\s+(?:\w+\s+){0,2}?(?:intensive|induction|high[\s-]dose"
            r"|remission[\s-]induction)\s+(?:\w+\s+){0,2}?(?:chemotherapy|therapy|treatment)\b"),
    ),
    ConditionRule(
        "transplant_candidate",
        _rx(_FITNESS + r"\s+(?:\w+\s+){0,2}?(?:for|to\s+(?:receive|undergo|have))"
                       # "unfit for, or having declined, intensive chemotherapy and allo-SCT": unfit or unwilling,
                       # which is what not being a transplant candidate means
                       r"(?:\s*,?\s*(?:or|and/or)\s+(?:having\s+|who\s+(?:has|have)\s+|has\s+|have\s+)?(?:declined|refused)"
                       r"\s*,?)?\s+(?:an?\s+)?"
                       # "eligible for and willing to proceed to allo-SCT"
                       r"(?:and\s+(?:willing|able|consenting|agreeing)\s+to\s+(?:proceed\s+to|undergo|receive|have)\s+"
                       r"(?:an?\s+)?)?(?:[\w-]+\s+){0,4}?"
                       r"(?:transplant\w*|HSCT|SCT|BMT|allo-?HSCT|allo-?SCT|allo-?HCT|allograft\w*)\b"
            r"|\btransplant(?:ation)?\s+candidates?\b"
            # "a planned allogeneic transplant" opening the line: the patient is to have one (a candidate); not
            # "planned within 3 months" or one from a named donor (read as a donor below)
            r"|(?<![\w(,;/:] )(?<![\w(,;/:])(?:an?\s+)?(?:planned|scheduled)\s+(?:for\s+(?:an?\s+)?)?(?:allogeneic|allo-?)\s*(?:stem[\s-]cell\s+"
            r"|h(?:a)?ematopoietic\s+(?:stem[\s-]cell\s+)?)?(?:transplant(?:ation)?|HSCT|HCT|SCT)\b(?![^.;]{0,40}?"
            r"\b(?:within|from|with|using)\b)"
            # "no contraindication to allogeneic stem-cell transplantation": a contraindication is unfitness
            r"|\bcontraindications?\s+(?:to|for|against)\s+(?:an?\s+)?(?:[\w-]+\s+){0,4}?"
            r"(?:transplant\w*|HSCT|SCT|BMT|allo-?HSCT|allo-?SCT|allo-?HCT)\b"),
    ),
    ConditionRule(
        # "willing to undergo allogeneic transplantation", "wishes to proceed to allo-SCT": the patient wants one (beside
        # "eligible for and willing to …", read above as a transplant candidate)
        "wants_transplant",
        _rx(r"\b(?:willing|wish(?:es|ing)?|wants?|agree(?:s|ing)?)\s+to\s+(?:proceed\s+(?:to|with)|undergo|receive|have)\s+"
            r"(?:an?\s+)?(?:[\w-]+\s+){0,3}?(?:transplant\w*|HSCT|HCT|SCT|BMT|allo-?HSCT|allo-?SCT|allo-?HCT)\b"),
        skip_before=_rx(r"\b(?:eligible|fit|suitable|candidates?|able)\s+(?:for\s+)?(?:and|or)\s*$"),
    ),
    ConditionRule(
        "haplo_donor_available",
        _rx(r"\bhaplo(?:identical|-identical)?\b[^.;]{0,40}?\bdonors?\b"),
        needs=_rx(r"\b(?:availab\w*|identified|has|have|having|with|lack\w*|no|without|absence)\b"),
    ),
    ConditionRule(
        "matched_sibling_donor_available",
        _rx(r"\b(?:HLA[\s-]*)?(?:matched|identical|compatible)\s+(?:\w+\s+){0,2}?siblings?(?:\s+donors?)?\b"
            r"|\bsibling\s+donors?\b(?=[^.;]{0,30}\b(?:match\w*|identical)\b)"),
        needs=_rx(r"\b(?:availab\w*|identified|has|have|having|lack\w*|no|without|absence)\b"),
    ),
    ConditionRule(
        "matched_donor_available",
        # ("a matched (8/8) sibling or unrelated donor": the degree of matching in brackets)
        _rx(r"\b(?:HLA[\s-]*)?(?:matched|identical|compatible)\s+(?:\([^()]{1,20}\)\s+)?(?:\w+\s+){0,3}?donors?\b"
            r"|\b(?:sibling|related|unrelated)\s+donors?\b(?=[^.;]{0,30}\b(?:match\w*|identical)\b)"),
        skip_before=_rx(r"\bhaplo\w*[^.;]{0,20}$|\bmis-?match\w*[^.;]{0,10}$"),
        # "a related donor matching at least 4 of 6 antigens": a partial match at least, which any donor may be
        skip_after=_rx(r"[^.;]{0,25}?\bat\s+least\s+(?:an?\s+)?\d"),
        needs=_rx(r"\b(?:availab\w*|identified|has|have|having|lack\w*|no|without|absence)\b"),
    ),
    ConditionRule(
        # "no evidence of active GVHD", "ongoing graft-versus-host disease"; a grade is read as acute_gvhd_grade
        "active_gvhd",
        # ("no evidence of GVHD": evidence of it is GVHD present now)
        _rx(r"\b(?:active|ongoing|uncontrolled|current|clinically\s+significant|significant|symptomatic"
            r"|evidence\s+of)\s+"
            r"(?:(?:acute|chronic|or|and|/)\s*){0,3}(?:GV-?HD|graft[\s-]+(?:versus|vs\.?)[\s-]+host(?:\s+disease)?)\b"),
        skip_before=_rx(r"\bhistory\s+of\s*$|\bprophylaxis\b[^.;]{0,20}$"),
    ),
    ConditionRule(
        # Any suitable donor, of no stated match: "an available healthy donor", "a suitable donor is identified".
        "donor_available",
        _rx(r"\b(?:available|suitable|identified)\s+(?:(?:healthy|related|unrelated|adult|stem[\s-]cell|HSC|marrow"
            r"|family)\s+){0,2}donors?\b"
            r"|\bdonors?\s+(?:is\s+|are\s+|must\s+be\s+|has\s+been\s+)?(?:available|identified)\b"
            # "must have a family donor, at least 4 of 6 antigens matching": a donor of partial match or better
            r"|\b(?:must|should)\s+have\s+an?\s+(?:(?:healthy|related|unrelated|adult|family)\s+){0,2}donors?\b"
            r"(?=[^.;]{0,25}?\bat\s+least\s+(?:an?\s+)?\d)"
            # "scheduled for a stem cell transplant from an unrelated donor": the patient has a donor
            r"|\b(?:scheduled|planned)\s+(?:for|to\s+(?:receive|undergo|have))\s+(?:an?\s+)?(?:[\w-]+\s+){0,4}?"
            r"(?:transplant\w*|HSCT|HCT|SCT|BMT)\s+(?:from|with|using)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?donors?\b"),
        skip_before=_rx(r"\b(?:haplo\w*|mis-?match\w*|matched|identical|compatible|sibling|cord|umbilical)\b[^.;]{0,30}$"),
    ),
    ConditionRule(
        # "symptomatic anaemia", "anaemia-related symptoms", "symptoms of anemia"; "asymptomatic anaemia" is the
        # reverse (parse_conditions turns it round)
        "anemia_symptoms",
        _rx(r"\b(?:a)?symptomatic\s+an(?:a)?emia\b|\ban(?:a)?emia[\s-]+(?:related\s+|associated\s+)?symptoms\b"
            r"|\bsymptoms\s+(?:of|from|due\s+to|caused\s+by|attributable\s+to)\s+(?:the\s+|their\s+)?an(?:a)?emia\b"
            r"|\bsymptomatic\s+(?:from|due\s+to|because\s+of|owing\s+to)\s+(?:the\s+|their\s+)?an(?:a)?emia\b"
            r"|\ban(?:a)?emia\s+(?:that\s+(?:is\s+)?|which\s+(?:is\s+)?)?(?:causing|with)\s+symptoms\b"),
        # "symptomatic anaemia with Hb < 10 or needing transfusions": a definition with alternatives follows, and the
        # symptoms hold together with one of them (in a list of alternatives, reading the symptoms alone would admit
        # more than the words do); "defined as …" is the definition itself. "Symptomatic anaemia with Hb < 10", with
        # no alternative, asks for both (a sub-item of "one of the following" drops the symptoms: trial_criteria)
        skip_after=_rx(r"\s*,?\s*(?:defined\b|(?:with|requiring|needing|that\s+requires?|which\s+requires?|and)\b"
                       r"(?=(?:[^.;]|\.(?=\d))*\b(?:or|and/or)\b))"),
    ),
)

# A denied list of donors: "no matched sibling donor or potential unrelated donor available" (the denial before the
# first donor holds for each one the list joins with "or")
_DONOR_LIST_DENIED = _rx(r"\b(?:not|no|without|lacks?|lacking|lack\s+of|absence\s+of)\b[^.;:]{0,80}?\bdonors?\b"
                         r"(?:(?!\b(?:but|if|unless|except|and)\b)[^.;:]){0,60}?\b(?:or|nor|and/or)\b"
                         r"(?:(?!\b(?:but|if|unless|except|and)\b)[^.;:]){0,40}$")
_OR_UNRELATED = _rx(r"(?:\s+donors?)?\s*,?\s*(?:or|and/or|nor|and\s+(?:no|without))\s+(?:an?\s+|a\s+suitable\s+|suitable\s+)?(?:fully\s+)?"
                    r"(?:(?:HLA[\s-]*)?(?:matched|identical|compatible)[\s-]+)?(?:[\w,/-]+\s+){0,6}?unrelated\b")

_PLATELET_DEPENDENT = _rx(
    r"\bplatelet\s+transfusion[\s-]*dependen\w*|\brequir\w*\s+(?:\w+\s+){0,2}?platelet\s+transfusions?"
    r"|\bdependen\w*\s+on\s+platelet\s+transfusions?|\bplatelet\s+transfusions?\s+(?:are\s+|were\s+)?(?:required|needed)")
_PLATELET_INDEPENDENT = _rx(r"\bplatelet\s+transfusion[\s-]*independen\w*")
# "transfusion independent", "RBC transfusion-independent": not needing red-cell transfusions (an eligibility
# condition; "transfusion independence" in an abstract is an outcome and is not read here)
_RBC_INDEPENDENT = _rx(r"(?<!platelet\s)(?:\b(?:red[\s-]+(?:blood[\s-]+)?cell|RBC)[\s-]+)?\btransfusion[\s-]*independent\b")


_THERAPY_RELATED = next(rule for rule in RULES if rule.variable == "therapy_related")
# Every variable parse_conditions can emit: their polarity is in the value, so a list's role words
# ("ineligible", "excluded") must not turn them around again.
CONDITION_VARIABLES = frozenset({r.variable for r in RULES} | {"platelet_transfusions", "other_cancer_years",
                                                                "other_cancer_history", "other_active_cancer",
                                                                "prior_therapy_lines", "disease_status",
                                                                "acute_gvhd_grade", "transfusion_dependent", "esa_status"})


_DONOR_NOT_COUNTED = _rx(r"[^.;,()]{0,25}?\b(?:is|are)\s+not\s+(?:acceptable|accepted|sufficient|allowed|permitted"
                         r"|eligible)\b|[^.;,()]{0,25}?\bdo(?:es)?\s+not\s+(?:qualify|count|suffice)\b")
_OR_ANOTHER_DONOR = _rx(r"[^.;]{0,50}?\b(?:or|and/or)\s+(?:an?\s+|the\s+)?(?:[\w/-]+\s+){0,2}?(?:haplo\w*|mismatched"
                        r"|(?:umbilical\s+)?cord|alternative|relatives?)\b")


def parse_conditions(text: str) -> list[Threshold]:
    """The named conditions one criterion item states, with their polarity, in reading order."""
    found: dict[str, Threshold] = {}
    therapy_related_item = bool(_THERAPY_RELATED.pattern.search(text))
    for rule in RULES:
        if rule.variable in found:
            continue
        if rule.needs is not None and not rule.needs.search(text):
            continue
        for match in rule.pattern.finditer(text):
            if rule.skip_after is not None and rule.skip_after.match(text, match.end()):
                continue
            if rule.skip_before is not None and rule.skip_before.search(_clause_before(text, match.start())):
                continue
            if rule.variable.endswith("donor_available") and _DONOR_NOT_COUNTED.match(text, match.end()):
                continue  # "haploidentical donors are not acceptable": that kind does not count, nobody is excluded
            value = not denied(text, match.start(), match.end())
            if value and rule.variable.endswith("donor_available") and _DONOR_LIST_DENIED.search(text, 0, match.start()):
                value = False  # "must not have a related donor or a matched unrelated donor": the "not" covers both
            if rule.variable == "transplant_candidate" and re.search(r"\bautologous\b", match.group(), re.I) \
                    and not re.search(r"\ballogeneic\b", match.group(), re.I):
                continue  # fitness for an autologous transplant says nothing about an allogeneic one
            if rule.variable in ("intensive_chemo_candidate", "transplant_candidate") \
                    and re.match(r"(?:in|un|contraindicat)", match.group(), re.IGNORECASE):
                value = not value  # "ineligible for", "unfit for", "inappropriate for", "a contraindication to"
            if rule.variable == "anemia_symptoms" and match.group().lower().startswith("asymptomatic"):
                value = not value  # "asymptomatic anaemia": no symptoms
            if rule.variable == "secondary_mds" and therapy_related_item:
                break
            if rule.variable == "matched_donor_available" and "matched_sibling_donor_available" in found:
                break  # "a matched sibling donor" is the narrower variable
            if rule.variable == "donor_available" and any(v.endswith("donor_available") for v in found):
                break  # the line is about a donor of a named kind
            variable = rule.variable
            if variable == "matched_sibling_donor_available" and _OR_UNRELATED.match(text, match.end()):
                variable = "matched_donor_available"  # "a matched sibling or unrelated donor": either one
            if variable in ("matched_sibling_donor_available", "matched_donor_available") and value \
                    and _OR_ANOTHER_DONOR.match(text, match.end()):
                # "a matched sibling or a haploidentical relative": any of the kinds listed; each is a donor
                variable, value = "donor_available", True
            found[variable] = Threshold(variable, "==", value, None, match.group(), match.start(), match.end())
            break
    for finding in (_platelet_transfusions(text), _other_cancer(text, therapy_related_item), _disease_status(text),
                    _prior_lines(text), _acute_gvhd_grade(text), _rbc_transfusion_independent(text),
                    _esa_status(text), _splicing_mutation(text), _no_blood_blasts(text), _no_excess_blasts(text),
                    _hypocellular_disease(text), _earlier_treatment(text), _transplanted(text),
                    _cytogenetic_group(text), _lay_performance(text)):
        if finding is not None and finding.variable not in found:
            found[finding.variable] = finding
    return sorted(found.values(), key=lambda t: t.start)


# A mutation named by the kind of gene, not the gene: "a splicing-factor mutation" is one in any of the four
# spliceosome genes mutated in MDS (SF3B1, SRSF2, U2AF1, ZRSR2).
SPLICING_GENES = ("SF3B1", "SRSF2", "U2AF1", "ZRSR2")
_SPLICING = _rx(r"\b(?:RNA[\s-]+)?splic(?:ing|e|eosome)(?:[\s-]+(?:factors?|machinery|genes?|pathway)){0,2}"
                r"(?:[\s-]+(?:mutations?|mutated|mutant|variants?))?\b")
_SPLICING_MUTATION_NEAR = _rx(r"\bmutat\w*|\bmutant\b|\bvariants?\b")


def _splicing_mutation(text: str) -> Threshold | None:
    match = _SPLICING.search(text)
    if match is None or not _SPLICING_MUTATION_NEAR.search(text[max(0, match.start() - 40) : match.end() + 20]):
        return None
    operator = "not_in" if denied(text, match.start(), match.end()) else "in"
    return Threshold("mutated_genes", operator, list(SPLICING_GENES), None, match.group(), match.start(), match.end())


# "no blasts in the peripheral blood", "without circulating blasts": none at all in the blood
_NO_BLOOD_BLASTS = _rx(r"\b(?:no|without|absence\s+of|absent)\s+(?:(?:circulating|peripheral(?:[\s-]+blood)?|blood)\s+)?"
                       r"blasts?(?:\s+(?:cells?\s+)?(?:in|on)\s+(?:the\s+)?(?:peripheral\s+)?(?:blood|smear|circulation))?\b")


def _no_blood_blasts(text: str) -> Threshold | None:
    for match in _NO_BLOOD_BLASTS.finditer(text):
        if re.search(r"circulating|peripheral|blood|smear|circulation", match.group(), re.IGNORECASE):
            return Threshold("peripheral_blasts_pct", "==", 0, "%", match.group(), match.start(), match.end())
    return None


# "without excess blasts", "no excess of marrow blasts": fewer than 5% blasts in the marrow (excess blasts may also
# be counted in the blood, which this reading leaves unasked: it never rules out someone the words admit)
_NO_EXCESS_BLASTS = _rx(r"\b(?:no|without|absence\s+of|not\s+(?:having\s+|with\s+)?)\s*(?:an\s+)?excess(?:\s+of)?\s+"
                        r"(?:(?:bone\s+)?marrow\s+)?blasts?\b|\bnon-?(?:excess[\s-]+blasts?|EB)\b")


def _no_excess_blasts(text: str) -> Threshold | None:
    match = _NO_EXCESS_BLASTS.search(text)
    if match is None:
        return None
    return Threshold("marrow_blasts_pct", "<", 5, "%", match.group(), match.start(), match.end())


# IPSS-R cytogenetic risk groups: "poor or very poor cytogenetic risk per IPSS-R", "IPSS-R cytogenetics good to
# intermediate". Only where the words are the IPSS-R's (it names IPSS-R, or "very good"/"very poor", which the older
# IPSS has not): the IPSS's own good/intermediate/poor groups are cut differently.
_CYTO_GROUPS = ("very_good", "good", "intermediate", "poor", "very_poor")
_CYTO_WORD = r"(?:very[\s-]+good|very[\s-]+poor|good|poor|intermediate|int)"
_CYTO_LIST = r"(?P<groups>" + _CYTO_WORD + r"(?:\s*(?:,|/|or|and/or|and|to|through|-|–)\s*" + _CYTO_WORD + r")*)"
_CYTOGENETICS = r"(?:cytogenetic(?:s|al)?|karyotype)"
_CYTO_GROUP = _rx(r"\b" + _CYTO_LIST + r"(?:[\s-]+risk)?\s+(?:\(?(?:IPSS-?R|R-?IPSS)\)?\s+)?" + _CYTOGENETICS + r"\b"
                  r"|\b" + _CYTOGENETICS + r"\s*:?\s*(?:risk\s+)?(?:groups?|categor(?:y|ies)|risk)?\s*(?:\((?:IPSS-?R|R-?IPSS)\)\s*)?"
                  r"(?:of\s+|:\s*|is\s+|must\s+be\s+)?(?:from\s+|between\s+)?" + _CYTO_LIST.replace("groups>", "groups2>")
                  + r"\b")
_IPSSR_WORDS = _rx(r"IPSS-?R|R-?IPSS|revised\s+(?:international|IPSS)")


def _cyto_value(word: str) -> str:
    word = re.sub(r"[\s-]+", "_", word.lower())
    return "intermediate" if word == "int" else word


def _cytogenetic_group(text: str) -> Threshold | None:
    match = _CYTO_GROUP.search(text)
    if match is None:
        return None
    groups = match.group("groups") or match.group("groups2")
    found = list(re.finditer(_CYTO_WORD, groups, re.IGNORECASE))
    words = [_cyto_value(w.group()) for w in found]
    if not words or not (_IPSSR_WORDS.search(text) or any(w.startswith("very") for w in words)):
        return None
    joint = groups[found[0].end() : found[1].start()] if len(found) == 2 else ""
    if re.search(r"\b(?:to|through)\b|[-–]", joint) or (re.search(r"\band\b", joint)
                                                         and re.search(r"\bbetween\b", match.group(), re.I)):
        low, high = sorted(_CYTO_GROUPS.index(w) for w in words)
        words = list(_CYTO_GROUPS[low : high + 1])  # "good to intermediate": every group between
    values = list(dict.fromkeys(words))
    operator = "not_in" if denied(text, match.start(), match.end()) else "in"
    return Threshold("ipssr_cytogenetic_group", operator, values, None, match.group(), match.start(), match.end())


# Performance status in lay words, as the ECOG scale defines its grades: "fully active" is 0; "able to do light work"
# is 1 at worst; "looks after themselves and is up and about more than half of the day" is 2 at worst.
_ECOG_LAY = (
    (0, _rx(r"\bfully\s+active\b")),
    (1, _rx(r"\b(?:light|sedentary|office|house)\s+(?:or\s+(?:sedentary|office)\s+)?(?:work|jobs?|housework)\b")),
    (2, _rx(r"\bup\s+and\s+about\b[^.;]{0,30}?\b(?:more|over)\s+than\s+half\b|\bout\s+of\s+bed\b[^.;]{0,30}?"
            r"\b(?:more|over)\s+than\s+half\b")),
)
_SELF_CARE = _rx(r"\b(?:look\s+after|care\s+for|take\s+care\s+of)\s+(?:yourself|themselves|himself|herself|oneself)\b"
                 r"|\bfully\s+active\b")


def _lay_performance(text: str) -> Threshold | None:
    care = _SELF_CARE.search(text)
    if care is None or denied(text, care.start(), care.end()) or re.search(r"\b(?:unable|cannot|can't|not\s+able)\b",
                                                                           text, re.IGNORECASE):
        return None  # "unable to look after yourself or do light work": which grade is meant is not said
    for grade, regex in _ECOG_LAY:
        match = regex.search(text)
        if match is not None:
            if denied(text, match.start(), match.end()):
                return None  # "not able to do light work": which grade is meant is not said
            return Threshold("ecog", "<=", grade, None, match.group(), match.start(), match.end())
    return None


# "Not previously transplanted", "patients who have been transplanted before": an earlier allogeneic transplant (the
# transplant of MDS; an autologous one is named as such and is not read)
_TRANSPLANTED = _rx(r"\b(?:(?:previously|earlier|already)\s+(?:allo(?:geneic(?:ally)?|-)?\s*)?transplanted"
                    r"|(?:has|have|had)\s+(?:already\s+)?been\s+(?:allo(?:geneic(?:ally)?|-)?\s*)?transplanted"
                    r"(?:\s+(?:before|previously|in\s+the\s+past))?)\b")


def _transplanted(text: str) -> Threshold | None:
    match = _TRANSPLANTED.search(text)
    if match is None or re.search(r"\bauto(?:logous|-)", text[max(0, match.start() - 40) : match.end() + 40], re.I):
        return None
    operator = "not_contains" if denied(text, match.start(), match.end()) else "contains"
    return Threshold("prior_therapies", operator, "MDSKG:therapy/allo-hsct", None, match.group(), match.start(),
                     match.end())


# "Hypocellular MDS", "hypoplastic myelodysplastic syndrome": the marrow is hypocellular
_HYPOCELLULAR_DISEASE = _rx(r"\bhypo(?:cellular|plastic)\s+(?:MDS|myelodysplas\w*(?:\s+syndromes?)?|disease)\b")


def _hypocellular_disease(text: str) -> Threshold | None:
    match = _HYPOCELLULAR_DISEASE.search(text)
    if match is None:
        return None
    value = "hypocellular"
    operator = "!=" if denied(text, match.start(), match.end()) else "=="
    return Threshold("marrow_cellularity", operator, value, None, match.group(), match.start(), match.end())


# How an earlier ESA went, where the words say which way it failed: a response that was lost, or none ever (primary
# resistance). "Refractory to ESA" alone may be either: it stays a failed therapy (etl/nlp/relations/), not a status.
_ESA = r"(?:an?\s+|the\s+)?(?:ESAs?|erythropoie\w+(?:[\s-]+stimulating\s+agents?)?|epoetin(?:\s+alfa)?|darbepoetin(?:\s+alfa)?)"
_ESA_LOST = _rx(r"\b(?:lost|loss\s+of|losing|lose)\s+(?:(?:a|an|the|their|his|her)\s+)?(?:(?:previous|prior|earlier|initial"
                r"|erythroid|hematologic|haematologic)\s+)*response\s+(?:to|on|with)\s+" + _ESA + r"(?:\s+therapy)?\b"
                r"|\b" + _ESA + r"\s+(?:response|benefit)\s+(?:that\s+(?:was|has\s+been)\s+)?(?:lost|faded|waned)\b")
_ESA_PRIMARY = _rx(r"\bprimary\s+(?:resistance|refractoriness|failure)\s+(?:to|of)\s+" + _ESA
                   + r"|\bprimar(?:y|ily)\s+(?:resistant|refractory)\s+to\s+" + _ESA
                   + r"|\bnever\s+(?:had\s+an?\s+|achieved\s+an?\s+)?respon\w*\s+(?:to|on)\s+" + _ESA)


def _esa_status(text: str) -> Threshold | None:
    for regex, value in ((_ESA_LOST, "responded_then_lost"), (_ESA_PRIMARY, "refractory")):
        match = regex.search(text)
        if match is not None:
            # only the words in its own clause deny it ("Primary refractoriness to ESA (those who lost a response are
            # not eligible)": the bracket's exclusion is about the others)
            no = bool(_DENIED_BEFORE.search(_clause_before(text, match.start(), 45))) or bool(
                _DENIED_AFTER.match(text[match.end() : match.end() + 30]))
            return Threshold("esa_status", "!=" if no else "==", value, None, match.group(), match.start(), match.end())
    return None


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_GRADE = r"(?P<g>IV|III|II|I|[1-4])"
# "grade II-IV acute GVHD", "≥ grade 3 acute graft-versus-host disease", "acute GVHD grade 2 or higher": the
# condition is a grade at or above the lowest one named.
_ACUTE_GVHD_GRADE = _rx(
    r"(?:(?:≥|>=|greater\s+than\s+or\s+equal\s+to|at\s+least)\s*)?\bgrade\s+" + _GRADE
    + r"(?:\s*(?:-|–|to|through)\s*(?:IV|4))?(?:\s+or\s+(?:higher|greater|above|more))?\s+acute\s+"
      r"(?:GV-?HD|graft[\s-]+(?:versus|vs\.?)[\s-]+host(?:\s+disease)?)\b"
    r"|\bacute\s+(?:GV-?HD|graft[\s-]+(?:versus|vs\.?)[\s-]+host(?:\s+disease)?)\s*(?:of\s+)?(?:≥|>=)?\s*grade\s+" + _GRADE.replace("g>", "h>")
    + r"(?:\s*(?:-|–|to|through)\s*(?:IV|4)|\s+or\s+(?:higher|greater|above|more))"
    # "acute GVHD grade ≥ 2"
    r"|\bacute\s+(?:GV-?HD|graft[\s-]+(?:versus|vs\.?)[\s-]+host(?:\s+disease)?)\s*(?:of\s+)?grade\s*(?:≥|>=|of\s+at\s+least)\s*"
    + _GRADE.replace("g>", "k>") + r"\b"
)


def _acute_gvhd_grade(text: str) -> Threshold | None:
    """Acute GVHD at or above a grade, as `acute_gvhd_grade >= n` (the polarity the words give: "no grade
    II-IV acute GVHD" is `< n`)."""
    match = _ACUTE_GVHD_GRADE.search(text)
    if match is None:
        return None
    grade = _ROMAN[(match.group("g") or match.group("h") or match.group("k")).lower()]
    operator = "<" if denied(text, match.start(), match.end()) else ">="
    return Threshold("acute_gvhd_grade", operator, grade, None, match.group(), match.start(), match.end())


def _rbc_transfusion_independent(text: str) -> Threshold | None:
    match = _RBC_INDEPENDENT.search(text)
    if match is None:
        return None
    # "not transfusion independent": dependent; only a denial right before it counts ("patients not needing
    # transfusions (transfusion independent)" says the same thing twice)
    value = bool(re.search(r"\b(?:not|no\s+longer|never)\s+(?:yet\s+)?$", text[max(0, match.start() - 16) : match.start()],
                           re.IGNORECASE))
    return Threshold("transfusion_dependent", "==", value, None, match.group(), match.start(), match.end())


def _platelet_transfusions(text: str) -> Threshold | None:
    for regex, value in ((_PLATELET_INDEPENDENT, False), (_PLATELET_DEPENDENT, True)):
        match = regex.search(text)
        if match:
            if denied(text, match.start(), match.end()):
                value = not value
            return Threshold("platelet_transfusions", "==", value, None, match.group(), match.start(), match.end())
    return None


# ---- another cancer -------------------------------------------------------------------------

_OTHER_CANCER = _rx(
    r"\b(?:other|another|second(?:ary)?|concurrent|concomitant|additional|co-?existing|active|prior|previous"
    r"|invasive|synchronous|non-?hematologic(?:al)?|non-?myeloid|solid)\s+"
    r"(?:(?:or|and/or)\s+(?:current|concurrent|active|prior|previous|other)\s+)?"  # "previous or current cancer"
    r"(?:(?:primary|active|invasive|malignant|solid)\s+){0,2}"
    r"(?:malignan(?:cy|cies|t\s+(?:disease|tumou?rs?|neoplasms?))|cancers?|neoplasms?|tumou?rs?|carcinomas?)\b"
    r"(?![\s-]+(?:therap\w*|treatments?|agents?|drugs?|chemotherap\w*|medications?|trials?))"
    r"|\bhistory\s+of\s+(?:\w+\s+){0,2}?(?:malignan\w*|cancers?)\b|\bmalignan(?:cy|cies)\b"
    r"(?![\s-]+(?:therap\w*|treatments?|agents?|drugs?|exception))"
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10}
_YEARS = r"(\d+(?:\.\d+)?|one|two|three|four|five|six|ten)\s*(?:\(\d+\)\s*)?(?:years?|yrs?|months?)\b"  # months: / 12
_CANCER_WINDOW = _rx(
    r"\b(?:within|in|during|for)\s+(?:the\s+)?(?:(?:last|past|previous|preceding|prior)\s+)?" + _YEARS
    + r"|(?:<|≤|less\s+than|fewer\s+than|under)\s*" + _YEARS
    + r"|" + _YEARS + r"\s*(?:prior|before|of\s+(?:study\s+)?(?:entry|enrol\w*|registration|randomi\w*))"
    + r"|(?:free|disease[\s-]free|in\s+(?:complete\s+)?remission|without\s+evidence\s+of\s+disease)\s+(?:\w+\s+){0,5}?"
      r"(?:for\s+)?(?:at\s+least\s+|≥\s*|>\s*|more\s+than\s+|>=\s*)?" + _YEARS
    + r"|(?:≥|>=|>|at\s+least|more\s+than)\s*" + _YEARS + r"\s*(?:since|from|disease[\s-]free|free|ago|prior)"
)
_THERAPY_RELATED_CONTEXT = _rx(r"\b(?:for|of|treat\w*)\s+(?:a\s+|an\s+|the\s+)?(?:\w+\s+)?$")


_CNS_SITE_BEFORE = _rx(r"\b(?:central\s+nervous\s+system|CNS|(?:lepto)?meningeal|brain|cerebral)\s+$")
_NOW = re.compile(r"(?:concurrent|concomitant|active|synchronous|co-?existing)\b", re.IGNORECASE)
_EXCEPTED = re.compile(r"\b(?:except|excluding|other\s+than|apart\s+from|with\s+the\s+exception\s+of)\b", re.IGNORECASE)


def _other_cancer(text: str, therapy_related_item: bool) -> Threshold | None:
    """'another cancer within 3 years' → other_cancer_years < 3 (a time window, kept apart from
    age); 'history of another cancer' → other_cancer_history; 'active second malignancy' →
    other_active_cancer. A cancer named as the reason for earlier chemotherapy is not one."""
    for match in _OTHER_CANCER.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        if therapy_related_item and _THERAPY_RELATED_CONTEXT.search(before):
            continue
        if _CNS_SITE_BEFORE.search(before):
            continue  # "active CNS malignancy": the trial's own disease in the nervous system, not another cancer
        if re.match(r"malignan", match.group(), re.IGNORECASE) and not re.search(
                r"\b(?:other|another|second|prior|previous|concurrent|active|history|additional)\b",
                text[max(0, match.start() - 40) : match.end() + 40], re.IGNORECASE):
            continue  # a bare "malignancy" may be the trial's own disease
        window = _CANCER_WINDOW.search(text, max(0, match.start() - 40), min(len(text), match.end() + 160))
        if window is not None and _NOW.match(match.group()) and window.start() >= match.end() \
                and _EXCEPTED.search(text, match.end(), window.start()):
            # "concomitant malignancy except ... prostate cancer treated more than 10 years ago": a cancer present
            # now is the condition; the years belong to the cancers excepted from it
            window = None
        if window is not None:
            raw = next(g for g in window.groups() if g is not None)
            years = float(_NUMBER_WORDS.get(raw.lower(), raw)) if raw.lower() in _NUMBER_WORDS else float(raw)
            if re.search(r"\bmonths?\b", window.group(), re.IGNORECASE):
                years = round(years / 12, 2)  # "in the past 24 months": two years
            years = int(years) if years.is_integer() else years
            start, end = min(match.start(), window.start()), max(match.end(), window.end())
            return Threshold("other_cancer_years", "<", years, "years", text[start:end], start, end)
        value = not denied(text, match.start(), match.end())
        history = re.search(r"\b(?:history|prior|previous)\b", text[max(0, match.start() - 25) : match.end()],
                            re.IGNORECASE)
        variable = "other_cancer_history" if history else "other_active_cancer"
        return Threshold(variable, "==", value, None, match.group(), match.start(), match.end())
    return None


# ---- earlier treatment lines ----------------------------------------------------------------

_LINES_OPS = (
    ("<=", r"no\s+more\s+than|not\s+more\s+than|at\s+most|up\s+to|a\s+maximum\s+of|maximum\s+of|≤|<=|=<"),
    (">=", r"at\s+least|a\s+minimum\s+of|minimum\s+of|≥|>=|=>"),
    ("<", r"fewer\s+than|less\s+than|<"),
    (">", r"more\s+than|greater\s+than|>"),
    ("==", r"exactly|precisely|only"),  # "exactly one prior regimen": one line, not one or more
)
_LINE_NOUN = r"(?:(?:prior|previous|earlier)\s+)?(?:(?:systemic|disease[\s-]directed|MDS|AML|anti-?leuk(?:a)?emic|cytotoxic)\s+)?" \
             r"(?:treatment\s+|therapy\s+|therapeutic\s+)?(?:regimens?|lines?(?:\s+of\s+(?:therapy|treatment))?|therap(?:y|ies)" \
             r"|treatments?)"
_LINES = _rx(r"(?P<op>" + "|".join(p for _, p in _LINES_OPS) + r")?\s*(?P<n>\d|one|two|three|four|five)"
             r"(?P<post>\s+or\s+(?:fewer|less|more))?\s+" + _LINE_NOUN + r"\b")


# ---- disease status --------------------------------------------------------------------------
# Read only where the status is bound to a named disease ("relapsed or refractory AML", "AML in first
# remission", "newly diagnosed MDS"); the disease decides whom it is about (status_scope). Names that
# only look like a status are not one: "refractory anaemia" (an MDS subtype), "refractory to X" (a failed
# therapy), "remission induction" (a treatment).
_DISEASE = (r"(?:acute\s+(?:myeloid|myelogenous|non-?lymphocytic|lymphoblastic|lymphocytic|promyelocytic)\s+leuka?emias?"
            r"|acute\s+leuka?emias?|AML|ALL|APL|MDS|myelodysplas\w*(?:\s+syndromes?)?|CMML|chronic\s+myelomonocytic"
            r"\s+leuka?emia|CML|chronic\s+myel\w+\s+leuka?emia|(?:non-?hodgkin'?s?\s+|hodgkin'?s?\s+)?lymphomas?|NHL"
            r"|(?:multiple\s+)?myeloma|CLL|leuka?emias?)")
_NOT_STATUS_AFTER = re.compile(r"\s*(?:to\b|an(?:a)?emia|cytopenias?|thrombocytopenia|neutropenia|induction)", re.I)
_STATUS_RULES: tuple[tuple[re.Pattern, str, tuple[str, ...]], ...] = (
    (_rx(r"\b(?:relapsed|recurrent)\s*(?:/|,|or|and/or)\s*(?:primary\s+)?refractory\b"
         r"|\brefractory\s*(?:/|,|or|and/or)\s*(?:relapsed|recurrent)\b|\bR/R\b"), "in", ("relapsed", "refractory")),
    (_rx(r"\bin\s+(?:(?:a|first|second|third|1st|2nd|3rd|complete|morphologic(?:al)?|hematologic(?:al)?)\s+)*"
         r"(?:complete\s+)?remission\b"
         r"|\b(?:first|second|third|1st|2nd|3rd)\s+(?:or\s+(?:greater|later|subsequent)\s+)?(?:complete\s+)?remission\b"
         r"|\bCR[123]\b"), "==", ("remission",)),
    (_rx(r"\bnewly[\s-]+diagnosed\b|\bpreviously\s+untreated\b"), "==", ("newly_diagnosed",)),
    # "refractory AML" on its own, the leukaemia's status (for MDS the word is loose: "refractory MDS" may mean any
    # failure, which failed_therapies holds; "refractory anaemia", "refractory cytopenia" are MDS subtypes)
    (_rx(r"\b(?:primary\s+)?refractory\b(?=\s+(?:\(?(?:primary|secondary|de\s+novo)\)?\s+)?(?:AML\b|acute\s+"
         r"(?:myeloid|myelogenous)\b))"), "==", ("refractory",)),
)


def _status_disease(text: str, start: int, end: int) -> re.Match | None:
    """The disease a status phrase at text[start:end] is about: named right after it, or right before it
    ("AML in first remission", "Acute leukemias: must be in remission")."""
    after = re.match(rf"\s*(?:\(?\s*(?:primary|secondary|de\s+novo|high[\s-]risk)\s*\)?\s+)*(?P<d>{_DISEASE})\b",
                     text[end:], re.I)
    if after:
        return after
    return re.search(rf"\b(?P<d>{_DISEASE})\b[^.;()]{{0,40}}$", text[:start], re.I)


# "the disease may be new or relapsed/refractory" allows every status; "a score that predicts early death in
# newly diagnosed AML" defines a tool. Neither is a condition on the status.
_STATUS_PERMISSIVE = re.compile(r"\b(?:may|can|either|any)\b[^.;]{0,25}$|\b(?:model|score|scoring|predicts?|defined|"
                                r"definition|calculated)\b[^.;]{0,80}$", re.I)
_STATUS_ANY_AFTER = re.compile(r"[^.;]{0,30}?\bor\s+(?:de\s+novo|newly\s+diagnosed|untreated|any\s+status)\b", re.I)
_ALSO_RELAPSE = re.compile(r"\s*(?:or|/)\s*(?:in\s+)?(?:relapse|relapsed)\b", re.I)


def _disease_status(text: str) -> Threshold | None:
    for regex, operator, values in _STATUS_RULES:
        for match in regex.finditer(text):
            if _NOT_STATUS_AFTER.match(text, match.end()) or _status_disease(text, match.start(), match.end()) is None:
                continue
            if _STATUS_PERMISSIVE.search(text[: match.start()]) or _STATUS_ANY_AFTER.match(text, match.end()):
                continue
            if values == ("remission",) and _ALSO_RELAPSE.match(text, match.end()):
                operator, values = "in", ("remission", "relapsed")  # "in remission or relapse"
            value: object = list(values) if operator == "in" else values[0]
            if denied(text, match.start(), match.end()):
                operator = "not_in" if operator == "in" else "!="
            return Threshold("disease_status", operator, value, None, match.group(), match.start(), match.end())
    return None


def status_scope(item_text: str, start: int, end: int) -> str | None:
    """Whom a disease-status criterion at item_text[start:end] is about: None (the trial's MDS patients),
    "cohort:AML", "cohort:CMML", or "other" for a disease the graph does not cover (ALL, CML, lymphoma …)."""
    found = _status_disease(item_text, start, end)
    if found is None:
        return None
    disease = found.group("d").lower()
    if re.match(r"mds|myelodysplas", disease):
        return None
    if re.match(r"cmml|chronic\s+myelomonocytic", disease):
        return "cohort:CMML"
    if re.match(r"aml|apl|acute\s+(?:myeloid|myelogenous|non-?lymphocytic|promyelocytic)|acute\s+leuka?emias?$", disease):
        return "cohort:AML"
    return "other"


# Treatments directed at the disease itself: a line about earlier treatment of MDS that excepts only supportive care
# ("treatment-naive apart from transfusions") is about them all. Supportive care (transfusions, chelation, growth
# factors, ESAs and TPO agonists, which some records count as supportive) is left out, so the reading never rules out
# more than the words do. The classes are chosen here; the drugs each includes come from the ontology's INCLUDES_DRUG
# edges, so a drug added to a class there is counted here too.
_DISEASE_DIRECTED_CLASSES = (
    "MDSKG:therapy/hma", "MDSKG:therapy/imids", "MDSKG:therapy/erythroid-maturation-agents", "MDSKG:therapy/ist",
    "MDSKG:therapy/bcl2-inhibitors", "MDSKG:therapy/idh-inhibitors", "MDSKG:therapy/telomerase-inhibitors",
    "MDSKG:therapy/intensive-chemotherapy", "MDSKG:therapy/allo-hsct",
)


@functools.lru_cache(maxsize=1)
def disease_directed_therapies() -> tuple[str, ...]:
    """Each disease-directed class, followed by the drugs the ontology says it includes."""
    drugs = class_members_from_ontology(load_ontology())
    return tuple(dict.fromkeys(cid for cls in _DISEASE_DIRECTED_CLASSES for cid in (cls, *sorted(drugs.get(cls, ())))))


# "Any prior therapy for MDS except transfusions and G-CSF", "No previous disease-directed treatment for MDS other
# than supportive care (...)", "Untreated MDS, excluding supportive care": earlier treatment of the disease, with only
# supportive care excepted, is every disease-directed therapy (an exception that names one, "up to two cycles of an
# HMA", is not read: which of them it spares a list cannot say)
_TREATMENT = (r"(?:(?:disease[\s-](?:directed|modifying)|MDS[\s-](?:directed|specific)|anti-?\s?MDS|systemic|specific"
              r"|active)\s+)?"
              r"(?:MDS\s+)?(?:therap(?:y|ies)|treatments?)")
_OF_MDS = r"(?:\s+(?:for|of)\s+(?:the\s+|their\s+)?(?:MDS|myelodysplas\w*(?:\s+syndromes?)?|CMML))?"
_EARLIER_TREATMENT = _rx(r"^\W*(?:(?:any|all|no|at\s+least\s+(?:one|1)|one\s+or\s+more|1\s+or\s+more)\s+(?:prior|previous"
                         r"|earlier)\s+" + _TREATMENT + _OF_MDS
                         + r"|(?:previously\s+)?untreated(?:\s+MDS)?" + _OF_MDS
                         + r"|never\s+(?:been\s+)?treated" + _OF_MDS
                         + r"|(?:treatment|therapy)[\s-]na[iï]ve" + _OF_MDS + r")"
                         r"\s*,?\s*\(?\s*(?:other\s+than|except(?:\s+for)?|excluding|apart\s+from|besides"
                         r"|not\s+(?:counting|including)|with\s+the\s+exception\s+of)\s+(?P<exception>[^.;]*)")
_SUPPORTIVE_ONLY = _rx(r"(?:[\s,()/&-]|\b(?:and|or|and/or|the|a|an|of|for|to|given|used|only|e\.?g\.?|i\.?e\.?|such|as"
                       r"|including|etc|support|supportive|care|transfusions?|blood|red|cells?|RBC|platelets?|growth"
                       r"|factors?|ha?ematopoietic|myeloid|G-?CSF|GM-?CSF|filgrastim|ESAs?|erythropoie\w*|epoetin"
                       r"|darbepoetin|alfa|iron|chelation|chelators?|hydroxyurea|hydroxycarbamide|antibiotics?|antimicrobials?"
                       r"|count|counts|control|controlling|do|does|not|count|as|prior|treatment|therapy)\b)*")


# "Previously untreated", "Newly diagnosed and treatment-naive": a line that says only that is no earlier
# disease-directed treatment at all (supportive care is no treatment of the disease)
_UNTREATED_LINE = _rx(r"^\W*(?:(?:patients|subjects|participants)\s+(?:must\s+be\s+|who\s+are\s+)?|must\s+be\s+)?"
                      r"(?:newly\s+diagnosed(?:\s+MDS)?\s*(?:,\s*(?:and\s+)?|and\s+))?(?P<naive>(?:previously\s+)?untreated"
                      r"|(?:treatment|therapy)[\s-]na[iï]ve)" + _OF_MDS + r"\s*[.;]?\s*$")


def _earlier_treatment(text: str) -> Threshold | None:
    match = _EARLIER_TREATMENT.search(text)
    if match is None and (untreated := _UNTREATED_LINE.search(text)) is not None:
        return Threshold("prior_therapies", "not_in", list(disease_directed_therapies()), None, untreated.group("naive"),
                         untreated.start("naive"), untreated.end("naive"))
    if match is None or not _SUPPORTIVE_ONLY.fullmatch(match.group("exception").strip(" .")):
        return None
    opening = match.group()[: match.start("exception") - match.start()]
    naive = re.search(r"\b(?:no|never|untreated|na[iï]ve)\b", opening, re.IGNORECASE) is not None
    return Threshold("prior_therapies", "not_in" if naive else "in", list(disease_directed_therapies()), None,
                     match.group().strip(), match.start(), match.end())


# "No prior therapy for MDS": no earlier disease-directed treatment line at all (an exception names a kind that is
# allowed, which a count cannot say)
_NO_LINES = _rx(r"\bno\s+(?:prior|previous|earlier)\s+(?:(?:disease[\s-]directed|disease[\s-]modifying|systemic|specific)\s+)?"
                r"(?:therapy|therapies|treatments?)\s+(?:for|of)\s+(?:the\s+|their\s+)?"
                r"(?:MDS|myelodysplas\w*(?:\s+syndromes?)?|CMML)\b"
                r"(?![^.;]{0,40}\b(?:other\s+than|except|exceptions?|besides|apart\s+from|unless)\b)")


# "at least one but no more than three prior regimens", "1 to 3 prior lines", "between 1 and 2 prior therapies"
_N = r"(?:\d|one|two|three|four|five)"
_LINES_RANGE = _rx(r"(?:\b(?:at\s+least|a\s+minimum\s+of|minimum\s+of)\s+(?P<low>" + _N + r")\s*(?:,\s*)?(?:but|and)\s+"
                   r"(?:no|not)\s+more\s+than\s+|\bbetween\s+(?P<low2>" + _N + r")\s+and\s+|\b(?P<low3>" + _N
                   + r")\s*(?:-|–|to)\s*)(?P<high>" + _N + r")\s+" + _LINE_NOUN + r"\b")


# "Untreated for MDS", "Treatment-naive apart from supportive care (transfusions, G-CSF)": no earlier treatment line;
# supportive care is no line, so an exception for it changes nothing (an exception for a drug does)
_SUPPORTIVE = (r"(?:supportive|transfusions?|blood\s+transfusions?|RBC|red[\s-]+(?:blood[\s-]+)?cells?|platelets?|G-?CSF"
               r"|growth\s+factors?|iron\s+chelation|antibiotics?)")
_NAIVE_LINES = _rx(r"^\W*(?:(?:patients|subjects|participants)\s+(?:must\s+be\s+|who\s+are\s+)?|must\s+be\s+)?"
                   r"(?:newly\s+diagnosed(?:\s+MDS)?\s*(?:,\s*(?:and\s+)?|and\s+))?(?P<naive>(?:(?:previously\s+)?untreated|treatment[\s-]na[iï]ve|therapy[\s-]na[iï]ve)\b"
                   r"(?:\s+(?:for|of)\s+(?:the\s+|their\s+)?(?:MDS|myelodysplas\w*(?:\s+syndromes?)?|CMML)\b"
                   r"|\s+(?:MDS|myelodysplas\w*(?:\s+syndromes?)?|CMML)\b)?)"  # "treatment-naive MDS"
                   r"(?=\s*(?:$|[.;]|\(?\s*(?:apart\s+from|except(?:\s+for)?|other\s+than|besides|excluding)\s+(?:\(?\s*)?"
                   + _SUPPORTIVE + r"|\(\s*(?:prior\s+|previous\s+|earlier\s+)?(?:" + _SUPPORTIVE + r"(?:\s*(?:,|and|or)\s*|\s+))+"
                   r"(?:are|is)\s+(?:permitted|allowed|acceptable)\b))")  # "(prior transfusions and G-CSF are permitted)"


# "Previously treated with two or more lines", "has received at most one regimen": a count of earlier lines (of lines
# or regimens only: "failed at least one therapy with an HMA" names the therapy, not a count)
_TREATED_BEFORE = _rx(r"\b(?:previously|pre-?treated|(?:has|have|had)\s+(?:already\s+)?(?:received|had)|received)\b"
                      r"[^.;]{0,25}$")


def _prior_lines(text: str) -> Threshold | None:
    none = _NO_LINES.search(text)
    naive = _NAIVE_LINES.search(text)
    if none is None and naive is not None:
        return Threshold("prior_therapy_lines", "==", 0, None, naive.group("naive"), naive.start("naive"),
                         naive.end("naive"))
    if none is not None:
        return Threshold("prior_therapy_lines", "==", 0, None, none.group(), none.start(), none.end())
    ranged = _LINES_RANGE.search(text)
    if ranged is not None and re.search(r"\b(?:prior|previous|earlier)\b", ranged.group() + text[ranged.end() : ranged.end() + 20],
                                        re.IGNORECASE):
        low, high = (_NUMBER_WORDS.get(raw.lower()) or int(raw) for raw in (
            ranged.group("low") or ranged.group("low2") or ranged.group("low3"), ranged.group("high")))
        if low <= high:
            return Threshold("prior_therapy_lines", "between", [low, high], None, ranged.group().strip(), ranged.start(),
                             ranged.end())
    for match in _LINES.finditer(text):
        raw = match.group("n").lower()
        n = _NUMBER_WORDS.get(raw) or int(raw)
        operator = None
        if match.group("op"):
            written = match.group("op").lower()
            operator = next(op for op, p in _LINES_OPS if re.fullmatch(p, written, re.IGNORECASE))
        elif match.group("post"):
            operator = ">=" if "more" in match.group("post").lower() else "<="
        if operator is None:
            continue  # "2 prior regimens" without a bound is a description
        if not re.search(r"\b(?:prior|previous|earlier)\b", match.group() + text[match.end() : match.end() + 20],
                         re.IGNORECASE) and not (_TREATED_BEFORE.search(text[max(0, match.start() - 40) : match.start()])
                                                 and re.search(r"\b(?:lines?|regimens?)\b", match.group(), re.I)):
            continue
        return Threshold("prior_therapy_lines", operator, n, None, match.group().strip(), match.start(), match.end())
    return None
